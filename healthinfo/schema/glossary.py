"""Glossary entries: the words that articles mark with ``{term}`` and explain."""

from __future__ import annotations

from pydantic import Field

from ._base import ContentStr, Id, Node, NonEmptyStr

__all__ = ["GlossaryEntry"]


class GlossaryEntry(Node):
    """A term and its plain-language definition."""

    id: Id
    term: NonEmptyStr = Field(description="The headword as shown in the glossary.")
    definition: NonEmptyStr = Field(description="A plain, correct explanation for patients.")
    synonyms: tuple[ContentStr, ...] = Field(default_factory=tuple)
