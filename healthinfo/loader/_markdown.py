"""The article body: Markdown (CommonMark + GFM tables + a few MyST extensions) to
model blocks and sections.

Parsing is markdown-it-py's, with the mdit-py-plugins front_matter, colon_fence and
myst_role; this module only walks the syntax tree it gives. One ``visit_<node>``
method per syntax-tree node type; a node type without a method is reported as
unsupported, never dropped.

The extensions (docs/authoring.md has the full guide):

- ``## Heading {#id aspect=Treatments}`` — trailing attributes of a heading, read
  with the mdit-py-plugins attribute parser (djot/pandoc syntax).
- ``{term}`fatigue``` / ``{term}`tiredness <fatigue>``` — a glossary term.
- ``{cite}`key1, key2``` — a citation (a key holding a comma or semicolon in braces:
  ``{cite}`{http://example.org/a,b}```; a source's ``citation-key`` serves as a key too).
- ``{lang:de}`Brustkrebszentren``` — a passage in another language.
- ``:::{note}`` (and ``{tip}``, ``{important}``, ``{warning}``, ``{caution}``) with
  ``:kind:``, ``:region:``, ``:title:`` options — a callout.
- ``:::{figure} images/x.png`` with ``:alt:``, ``:credit:``, ``:id:``; the body is the
  caption. ``![alt](images/x.png "caption")`` alone in a paragraph is a figure too.
- ``:::{include} block-id`` — a reusable block of ``blocks/``.
- ``:::{region} DE`` (or ``DE AT``) — a passage that applies only to those countries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs.parse import ParseError as AttrsParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_role import myst_role_plugin
from pydantic import BaseModel, ValidationError

from ..schema import (
    Cite,
    Emphasis,
    Figure,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Note,
    NoteKind,
    Paragraph,
    Quote,
    RegionalPassage,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
)
from ..schema.article import HealthAspect
from ._depth import BLOCK_TOO_DEEP, MARKDOWN_IT_NESTING, MAX_BLOCK_DEPTH, blocks_depth, depth_problem, top_level_groups
from ._myst_role import myst_role_rule
from ._typography import AS_TYPED, Typography, finish, typeset_text

__all__ = ["BodyContext", "Document", "Heading", "Use", "make_parser", "parse_body", "read_document", "slugify"]

#: Directives that make a callout, with the kind they set.
CALLOUTS = {kind.value: kind for kind in NoteKind}

def make_parser() -> MarkdownIt:
    """The markdown-it parser for article bodies and reusable blocks."""
    # markdown-it drops what nests deeper than maxNesting without a word; _depth
    # refuses it (with its line) well before that.
    md = MarkdownIt("commonmark", {"typographer": False, "linkify": False, "maxNesting": MARKDOWN_IT_NESTING})
    md.enable("table")
    md.use(front_matter_plugin).use(colon_fence_plugin).use(myst_role_plugin)
    md.inline.ruler.at("myst_role", myst_role_rule)
    # The typographer needs the language of the front matter: _typography.finish runs
    # it, then this last core rule, once the front matter is read.
    md.core.ruler.disable("text_join")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # unsafe schemes are refused with a message below
    return md


_PARSER = make_parser()


class BodyContext(Protocol):
    """What the body parser needs from the loader."""

    def problem(self, line: int | None, message: str) -> None: ...

    def include(self, ref: str, line: int) -> tuple[str | None, list[Any]] | None: ...

    def image(self, src: str, line: int) -> Image | None: ...

    def source_key(self, written: str) -> str: ...


# The keys of a {cite} role: separated by commas or semicolons; a key that holds one
# of those (a URI may) is written in braces, as pandoc's citation syntax does.
_CITE_KEY = re.compile(r"\s*(?:\{([^{}]*)\}|([^,;{}]*?))\s*(?:[,;]|$)")


def cite_keys(content: str) -> list[str] | None:
    """The source keys of a {cite} role's text, or None when a brace is not closed."""
    keys: list[str] = []
    position = 0
    while position < len(content):
        match = _CITE_KEY.match(content, position)
        if match is None or match.end() == position:
            return None
        key = match.group(1) if match.group(1) is not None else match.group(2)
        if key.strip():
            keys.append(key.strip())
        position = match.end()
    return keys


@dataclass(frozen=True)
class Use:
    """A glossary term or source key as used in a file: its id and line, and, when
    it is used inside an included reusable block (nested includes too), that block's
    id and file, where the line is."""

    ref: str
    line: int
    block: str | None = None
    block_path: Path | None = None


@dataclass
class Heading:
    level: int
    title: list[Any]
    line: int
    id: str | None = None
    aspect: HealthAspect | None = None


@dataclass
class Body:
    front_matter: str | None
    front_matter_line: int
    items: list[Any] = field(default_factory=list)  # blocks and Headings, in order


@dataclass
class Document:
    """A Markdown file as parsed, before its text is typeset and walked: the front
    matter (which gives the language) is read in between."""

    tokens: list[Token]
    front_matter: str | None
    front_matter_line: int
    first_line: int


def slugify(text: str) -> str:
    """A section id from heading text: ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words: list[str] = []
    current = ""
    for char in ascii_text:
        if char.isalnum():
            current += char
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return "-".join(words)[:60].strip("-")


def read_document(text: str, first_line: int = 1) -> Document:
    """Parse a Markdown file (front matter included); its text as typed."""
    tokens = _PARSER.parse(text)
    front = next((token for token in tokens if token.type == "front_matter" and token.level == 0), None)
    if front is None:
        return Document(tokens, None, first_line, first_line)
    line = (front.map[0] if front.map else 0) + first_line + 1
    return Document(tokens, front.content, line, first_line)


def parse_body(document: Document, context: BodyContext, typography: Typography = AS_TYPED) -> Body:
    """The blocks and headings of a Markdown file, its text typeset."""
    walker = _Walker(context, document.first_line, typography=typography)
    body = Body(front_matter=document.front_matter, front_matter_line=document.front_matter_line)
    for node in walker.top_level(finish(document.tokens, typography)):
        if node.type != "front_matter":
            body.items.extend(walker.block(node))
    return body


class _Walker:
    def __init__(self, context: BodyContext, first_line: int, depth: int = 0, typography: Typography = AS_TYPED) -> None:
        self.context = context
        self.offset = first_line - 1
        # How many lists, quotes, callouts and included blocks hold what is walked.
        self.depth = depth
        self.typography = typography

    def shown(self, text: str) -> str:
        """Shown text outside the inline Markdown (an option, a caption), typeset."""
        return typeset_text(text, self.typography)

    def top_level(self, tokens: list[Token]) -> list[SyntaxTreeNode]:
        """The syntax tree of each top-level block of ``tokens``; one that nests too
        deeply is reported (at its line) instead, before a tree is built for it."""
        nodes = []
        for group in top_level_groups(tokens):
            too_deep = depth_problem(group, self.depth)
            if too_deep is not None:
                self.problem(too_deep[0] + 1 + self.offset, too_deep[1])
                continue
            nodes.extend(SyntaxTreeNode(group).children)
        return nodes

    def inside(self, nodes: list[SyntaxTreeNode]) -> list[Any]:
        """The blocks of ``nodes``, one container deeper."""
        self.depth += 1
        try:
            return self.blocks(nodes)
        finally:
            self.depth -= 1

    # ------------------------------------------------------------------ helpers
    def line(self, node: SyntaxTreeNode) -> int:
        current: SyntaxTreeNode | None = node
        while current is not None:
            if current.map is not None:
                return current.map[0] + 1 + self.offset
            current = current.parent
        return 1 + self.offset

    def problem(self, line: int, message: str) -> None:
        self.context.problem(line, message)

    def make(self, cls: type[BaseModel], line: int, **values: Any) -> Any:
        try:
            return cls(**values)
        except ValidationError as error:
            for item in error.errors(include_url=False):
                message = item["msg"]
                if message.startswith("Value error, "):
                    message = message[len("Value error, ") :]
                where = ".".join(str(p) for p in item["loc"] if isinstance(p, str) and p != "type")
                trivial = where in ("", "text", "children.text")
                self.problem(line, message if trivial else f"{cls.__name__.lower()} {where}: {message}")
            return None

    def blocks(self, nodes: list[SyntaxTreeNode]) -> list[Any]:
        result: list[Any] = []
        for node in nodes:
            for item in self.block(node):
                if isinstance(item, Heading):
                    self.problem(item.line, "a heading cannot stand inside a list, quote, callout or region")
                else:
                    result.append(item)
        return result

    def block(self, node: SyntaxTreeNode) -> list[Any]:
        visit: Callable[[SyntaxTreeNode], list[Any]] | None = getattr(self, f"visit_{node.type}", None)
        if visit is None:
            self.problem(self.line(node), _UNSUPPORTED.get(node.type, f"unsupported Markdown ({node.type})"))
            return []
        return visit(node)

    # ------------------------------------------------------------------ blocks
    def visit_paragraph(self, node: SyntaxTreeNode) -> list[Any]:
        inline = node.children[0]
        children = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            figure = self._figure_from_image(children[0], self.line(node))
            return [figure] if figure else []
        inlines = self.inlines(inline)
        if not inlines:
            return []
        paragraph = self.make(Paragraph, self.line(node), children=inlines)
        return [paragraph] if paragraph else []

    def visit_heading(self, node: SyntaxTreeNode) -> list[Any]:
        level = int(node.tag[1])
        line = self.line(node)
        inline = node.children[0]
        heading = Heading(level=level, title=[], line=line)
        children: list[Any] = list(inline.children)
        if children and children[-1].type == "text":
            text = children[-1].content
            start = text.rfind("{")
            if start != -1 and text.rstrip().endswith("}"):
                attributes = text[start:].rstrip()
                try:
                    length, attrs = parse_attrs(attributes)
                except AttrsParseError as error:
                    self.problem(line, f"heading attributes {attributes} cannot be read: {error}")
                    length, attrs = len(attributes), {}
                # parse() returns the index of the closing brace.
                if length + 1 >= len(attributes):
                    self._heading_attrs(heading, attrs)
                    remaining = text[:start].rstrip()
                    children[-1] = _TextNode(remaining)
        heading.title = self._inline_children(children, line)
        if not heading.title:
            self.problem(line, "a heading needs text")
            return []
        return [heading]

    def _heading_attrs(self, heading: Heading, attrs: dict[str, str]) -> None:
        for key, value in attrs.items():
            if key == "id":
                heading.id = value
            elif key == "aspect":
                name = value[: -len("HealthAspect")] if value.endswith("HealthAspect") else value
                try:
                    heading.aspect = HealthAspect(name)
                except ValueError:
                    self.problem(
                        heading.line,
                        f"aspect {value!r} is not a schema.org health aspect; use one of "
                        + ", ".join(a.value for a in HealthAspect),
                    )
            else:
                self.problem(heading.line, f"unknown heading attribute {key!r}; use {{#id aspect=…}}")

    def visit_bullet_list(self, node: SyntaxTreeNode) -> list[Any]:
        return self._list(node, ordered=False, start=None)

    def visit_ordered_list(self, node: SyntaxTreeNode) -> list[Any]:
        start = node.attrs.get("start")
        return self._list(node, ordered=True, start=int(start) if start not in (None, 1, "1") else None)

    def _list(self, node: SyntaxTreeNode, ordered: bool, start: int | None) -> list[Any]:
        items = []
        for child in node.children:
            blocks = self.inside(child.children)
            if not blocks:
                self.problem(self.line(child), "a list item is empty; delete it or write its text")
                continue
            item = self.make(ListItem, self.line(child), blocks=blocks)
            if item is not None:
                items.append(item)
        if not items:
            return []
        made = self.make(List, self.line(node), ordered=ordered, start=start, items=items)
        return [made] if made else []

    def visit_blockquote(self, node: SyntaxTreeNode) -> list[Any]:
        blocks = self.inside(node.children)
        if not blocks:
            return []
        quote = self.make(Quote, self.line(node), blocks=blocks)
        return [quote] if quote else []

    def visit_table(self, node: SyntaxTreeNode) -> list[Any]:
        head: list[TableRow] = []
        body: list[TableRow] = []
        for part in node.children:
            rows = head if part.type == "thead" else body
            for row in part.children:
                cells = []
                for cell in row.children:
                    style = str(cell.attrs.get("style", ""))
                    align = style.split(":", 1)[1] if style.startswith("text-align:") else None
                    inlines = self.inlines(cell.children[0]) if cell.children else []
                    cell_made = self.make(TableCell, self.line(row), children=inlines, align=align)
                    if cell_made is not None:
                        cells.append(cell_made)
                row_made = self.make(TableRow, self.line(row), cells=cells) if cells else None
                if row_made is not None:
                    rows.append(row_made)
        if not body:
            self.problem(self.line(node), "a table needs at least one row below its header")
            return []
        table = self.make(Table, self.line(node), head=head, body=body)
        return [table] if table else []

    def visit_colon_fence(self, node: SyntaxTreeNode) -> list[Any]:
        line = self.line(node)
        info = node.info.strip()
        if not (info.startswith("{") and "}" in info):
            self.problem(line, "a ::: block needs a directive name, e.g. :::{note}")
            return []
        name, _, argument = info[1:].partition("}")
        argument = argument.strip()
        options, body, body_line = self._directive_content(node.content, line)
        if name in CALLOUTS:
            return self._callout(CALLOUTS[name], argument, options, body, body_line, line)
        if name == "figure":
            return self._figure_directive(argument, options, body, body_line, line)
        if name == "include":
            return self._include(argument, options, body, line)
        if name == "region":
            return self._region(argument, options, body, body_line, line)
        self.problem(
            line,
            f"unknown directive {{{name}}}; use one of "
            + ", ".join(f"{{{n}}}" for n in [*CALLOUTS, "figure", "include", "region"]),
        )
        return []

    def _directive_content(self, content: str, line: int) -> tuple[dict[str, tuple[str, int]], str, int]:
        """Split a directive's content into ``:key: value`` option lines and the body."""
        options: dict[str, tuple[str, int]] = {}
        lines = content.split("\n")
        index = 0
        # A line of colons opens a nested directive (``:::{note}`` in a ``::::{region}``).
        while index < len(lines) and lines[index].startswith(":") and not lines[index].startswith("::"):
            key, colon, value = lines[index][1:].partition(":")
            option_line = line + 1 + index
            if not colon or not key.strip():
                self.problem(option_line, f"option {lines[index]!r} should look like ':name: value'")
            elif key.strip() in options:
                self.problem(option_line, f"option :{key.strip()}: is given twice")
            else:
                options[key.strip()] = (value.strip(), option_line)
            index += 1
        return options, "\n".join(lines[index:]), line + 1 + index

    def _unknown_options(self, options: dict[str, tuple[str, int]], allowed: tuple[str, ...], name: str) -> None:
        for key, (_, option_line) in options.items():
            if key not in allowed:
                known = ", ".join(f":{a}:" for a in allowed) or "none"
                self.problem(option_line, f"{{{name}}} has no option :{key}: (options: {known})")

    def _sub_blocks(self, body: str, body_line: int) -> list[Any]:
        """The blocks of a directive's body (one container deeper)."""
        walker = _Walker(self.context, body_line, self.depth + 1, self.typography)
        return walker.blocks(walker.top_level(finish(_PARSER.parse(body), self.typography)))

    def _callout(
        self,
        kind: NoteKind,
        argument: str,
        options: dict[str, tuple[str, int]],
        body: str,
        body_line: int,
        line: int,
    ) -> list[Any]:
        self._unknown_options(options, ("kind", "region", "title"), kind.value)
        values: dict[str, Any] = {"kind": kind}
        if "kind" in options:
            value, option_line = options["kind"]
            if value not in CALLOUTS:
                self.problem(option_line, f"kind {value!r} is not known; use one of {', '.join(CALLOUTS)}")
            else:
                values["kind"] = CALLOUTS[value]
        if "region" in options:
            values["region"] = options["region"][0]
        title = options.get("title", (argument, line))[0] or None
        if title:
            values["title"] = self.shown(title)
        if self.depth + 1 > MAX_BLOCK_DEPTH:
            self.problem(line, BLOCK_TOO_DEEP)
            return []
        blocks = self._sub_blocks(body, body_line)
        if not blocks:
            if not body.strip():  # otherwise what its body holds was reported
                self.problem(line, f"the {{{kind.value}}} block is empty")
            return []
        note = self.make(Note, line, blocks=blocks, **values)
        return [note] if note else []

    def _figure_directive(
        self, argument: str, options: dict[str, tuple[str, int]], body: str, body_line: int, line: int
    ) -> list[Any]:
        self._unknown_options(options, ("alt", "credit", "id"), "figure")
        if not argument:
            self.problem(line, "{figure} needs the image path after it, e.g. :::{figure} images/photo.png")
            return []
        alt = options.get("alt", ("", line))[0]
        if not alt:
            self.problem(line, "the figure has no :alt: text; describe what the image shows")
            return []
        caption: list[Any] = []
        blocks = self._sub_blocks(body, body_line)
        if len(blocks) > 1 or (blocks and not isinstance(blocks[0], Paragraph)):
            self.problem(body_line, "a figure caption is one paragraph of text")
        elif blocks:
            caption = blocks[0].children
        image = self.context.image(argument, line)
        if image is None:
            return []
        values: dict[str, Any] = {"image": image, "alt": self.shown(alt), "caption": caption}
        if "credit" in options:
            values["credit"] = self.shown(options["credit"][0])
        if "id" in options:
            values["id"] = options["id"][0]
        figure = self.make(Figure, line, **values)
        return [figure] if figure else []

    def _figure_from_image(self, node: SyntaxTreeNode, line: int) -> Figure | None:
        src = str(node.attrs.get("src", ""))
        alt = node.content.strip() or "".join(c.content for c in node.children)
        if not alt:
            self.problem(line, "the image has no alt text; write it between the brackets: ![what it shows](path)")
            return None
        title = node.attrs.get("title")
        image = self.context.image(src, line)
        if image is None:
            return None
        caption = [made] if title and (made := self.make(Text, line, text=self.shown(str(title)))) else []
        return self.make(Figure, line, image=image, alt=self.shown(alt), caption=caption)  # type: ignore[no-any-return]

    def _region(
        self, argument: str, options: dict[str, tuple[str, int]], body: str, body_line: int, line: int
    ) -> list[Any]:
        """``:::{region} DE AT``: the blocks of its body apply to those countries only."""
        self._unknown_options(options, (), "region")
        regions = tuple(argument.replace(",", " ").split())
        if not regions:
            self.problem(line, "{region} needs the countries it applies to, e.g. :::{region} DE")
            return []
        from ..editions import is_country

        unknown = [code for code in regions if not is_country(code)]
        if unknown:
            self.problem(line, f"{{region}} {', '.join(map(repr, unknown))}: not a country code; use the two capital "
                         "letters of ISO 3166-1, e.g. DE (several: DE AT)")
            return []
        if self.depth + 1 > MAX_BLOCK_DEPTH:
            self.problem(line, BLOCK_TOO_DEEP)
            return []
        blocks = self._sub_blocks(body, body_line)
        if not blocks:
            if not body.strip():
                self.problem(line, "the {region} block is empty")
            return []
        passage = self.make(RegionalPassage, line, regions=regions, blocks=blocks)
        return [passage] if passage else []

    def _include(self, argument: str, options: dict[str, tuple[str, int]], body: str, line: int) -> list[Any]:
        self._unknown_options(options, (), "include")
        if body.strip():
            self.problem(line, "{include} takes no content; only the block id after it")
        if not argument:
            self.problem(line, "{include} needs a block id, e.g. :::{include} about-our-health-information")
            return []
        resolved = self.context.include(argument, line)
        if resolved is None:
            return []
        title, blocks = resolved
        if self.depth + 1 + blocks_depth(blocks) > MAX_BLOCK_DEPTH:
            self.problem(line, f"the block {argument!r} included here: {BLOCK_TOO_DEEP}")
            return []
        include = self.make(Include, line, ref=argument, title=title, blocks=blocks)
        return [include] if include else []

    # ------------------------------------------------------------------ inlines
    def inlines(self, inline: SyntaxTreeNode) -> list[Any]:
        return self._inline_children(list(inline.children), self.line(inline))

    def _inline_children(self, children: list[Any], line: int) -> list[Any]:
        result: list[Any] = []
        for child in children:
            if child.type in ("softbreak", "hardbreak"):
                result.append(Text(text=" ") if child.type == "softbreak" else LineBreak())
                line += 1
                continue
            visit = getattr(self, f"visit_inline_{child.type}", None)
            if visit is None:
                self.problem(line, _UNSUPPORTED.get(child.type, f"unsupported Markdown ({child.type})"))
                continue
            result.extend(visit(child, line))
        return _merge_text(result)

    def visit_inline_text(self, node: Any, line: int) -> list[Any]:
        made = self.make(Text, line, text=node.content) if node.content else None
        return [made] if made else []

    def visit_inline_em(self, node: SyntaxTreeNode, line: int) -> list[Any]:
        children = self._inline_children(list(node.children), line)
        made = self.make(Emphasis, line, children=children) if children else None
        return [made] if made else []

    def visit_inline_strong(self, node: SyntaxTreeNode, line: int) -> list[Any]:
        children = self._inline_children(list(node.children), line)
        made = self.make(Strong, line, children=children) if children else None
        return [made] if made else []

    def visit_inline_link(self, node: SyntaxTreeNode, line: int) -> list[Any]:
        href = str(node.attrs.get("href", ""))
        children = self._inline_children(list(node.children), line) or [Text(text=href)]
        title = node.attrs.get("title")
        link = self.make(Link, line, href=href, title=str(title) if title else None, children=children)
        return [link] if link else []

    def visit_inline_image(self, node: SyntaxTreeNode, line: int) -> list[Any]:
        self.problem(line, "an image must stand alone in its own paragraph to be a figure")
        return []

    def visit_inline_myst_role(self, node: SyntaxTreeNode, line: int) -> list[Any]:
        name = str(node.meta.get("name", ""))
        content = node.content
        if name == "term":
            text, ref = content, content
            if content.endswith(">") and " <" in content:
                text, _, ref = content[:-1].rpartition(" <")
            ref = ref.strip()
            if not text.strip() or not ref:
                self.problem(line, "a {term} role needs a term: {term}`fatigue` or {term}`tiredness <fatigue>`")
                return []
            self.context_terms.append(Use(ref, line))
            term = self.make(Term, line, ref=ref, children=[{"type": "text", "text": text}])
            return [term] if term else []
        if name == "cite":
            keys = cite_keys(content)
            if keys is None:
                self.problem(line, "a source key in braces needs its closing }: "
                             "{cite}`{http://example.org/a,b}, danesh2014`")
                return []
            if not keys:
                self.problem(line, "a {cite} role needs at least one source key")
                return []
            keys = [self.context.source_key(key) for key in keys]
            self.context_cites.extend(Use(key, line) for key in keys)
            cite = self.make(Cite, line, refs=keys)
            return [cite] if cite else []
        if name.startswith("lang:"):
            span = self.make(Span, line, lang=name[len("lang:") :], children=[{"type": "text", "text": content}])
            return [span] if span else []
        self.problem(line, f"unknown role {{{name}}}; use {{term}}, {{cite}} or {{lang:xx}}")
        return []

    @property
    def context_terms(self) -> list[Use]:
        return self.context.terms  # type: ignore[attr-defined,no-any-return]

    @property
    def context_cites(self) -> list[Use]:
        return self.context.cites  # type: ignore[attr-defined,no-any-return]


class _TextNode:
    """Stands for a text node whose trailing heading attributes were removed."""

    type = "text"

    def __init__(self, content: str) -> None:
        self.content = content


def _merge_text(inlines: list[Any]) -> list[Any]:
    """Join neighbouring Text nodes (markdown-it splits text at special characters,
    and each line break is a Text of its own): each run joined once, so that a long
    paragraph takes time linear in its length."""
    merged: list[Any] = []
    run: list[Text] = []
    for node in [*inlines, None]:
        if isinstance(node, Text):
            run.append(node)
            continue
        if run:
            merged.append(run[0] if len(run) == 1 else Text(text="".join(part.text for part in run)))
            run = []
        if node is not None:
            merged.append(node)
    if merged and isinstance(merged[-1], Text) and not merged[-1].text.strip():
        merged.pop()
    return merged


# What to tell an author who uses Markdown that the model has no node for.
_UNSUPPORTED = {
    "html_block": "raw HTML is not supported; write the content in Markdown",
    "html_inline": "raw HTML is not supported; write the content in Markdown",
    "code_block": "indented code blocks are not supported; remove the leading spaces of the paragraph",
    "fence": "code blocks (```) are not supported in health information",
    "code_inline": "code spans (`…`) are not supported; write the text without backticks",
    "hr": "horizontal rules (---) are not supported; start a new section with a ## heading instead",
}
