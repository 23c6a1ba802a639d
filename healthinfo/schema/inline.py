"""Inline nodes: the runs of text inside paragraphs, headings, list items and captions.

Each node has a ``type`` tag so that a list of inlines is a discriminated union and
its JSON form says what each item is.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ._base import ContentStr, Id, Key, LanguageTag, LinkTarget, Node

__all__ = [
    "INLINE_TYPES",
    "Cite",
    "Emphasis",
    "Inline",
    "LineBreak",
    "Link",
    "Span",
    "Strong",
    "Term",
    "Text",
]


class Text(Node):
    """Plain text."""

    type: Literal["text"] = "text"
    text: ContentStr = Field(min_length=1, description="The characters, exactly as written; never markup.")


class Emphasis(Node):
    """Emphasised text (usually shown in italics)."""

    type: Literal["emphasis"] = "emphasis"
    children: tuple[Inline, ...] = Field(min_length=1)


class Strong(Node):
    """Strongly emphasised text (usually shown in bold)."""

    type: Literal["strong"] = "strong"
    children: tuple[Inline, ...] = Field(min_length=1)


class Link(Node):
    """A link to a web page or an e-mail address (https, http or mailto only)."""

    type: Literal["link"] = "link"
    href: LinkTarget
    title: ContentStr | None = None
    children: tuple[Inline, ...] = Field(min_length=1)


class Term(Node):
    """A word that the glossary explains.

    ``ref`` is the id of a glossary entry; ``children`` is the text as it appears in
    the sentence, which may differ from the entry's headword (a plural, a synonym).
    """

    type: Literal["term"] = "term"
    ref: Id = Field(description="Id of the glossary entry.")
    children: tuple[Inline, ...] = Field(min_length=1)


class Cite(Node):
    """A citation of one or more sources of the bibliography."""

    type: Literal["cite"] = "cite"
    refs: tuple[Key, ...] = Field(min_length=1, description="Bibliography keys, in the order cited.")


class Span(Node):
    """A passage in another language than its surroundings (for screen readers,
    hyphenation and spell-checking)."""

    type: Literal["span"] = "span"
    lang: LanguageTag
    children: tuple[Inline, ...] = Field(min_length=1)


class LineBreak(Node):
    """A hard line break inside a paragraph."""

    type: Literal["break"] = "break"


Inline = Annotated[
    Text | Emphasis | Strong | Link | Term | Cite | Span | LineBreak,
    Field(discriminator="type"),
]

#: Every inline node class, in schema order.
INLINE_TYPES: tuple[type[Node], ...] = (Text, Emphasis, Strong, Link, Term, Cite, Span, LineBreak)

for _cls in INLINE_TYPES:
    _cls.model_rebuild()
