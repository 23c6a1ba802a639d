"""PDF: the Typst source of an article or a book — one ``visit_<node>`` per node type
of the schema — and the plan of its structure tree.

Typst (https://typst.app/docs) lays the source out with ``templates/layout.typ`` and
writes a tagged PDF: a paragraph is a ``P``, a heading ``H1``-``H6``, a list ``L``
with ``LI``/``Lbl``/``LBody``, a table ``Table`` with ``TH``/``TD``, a figure
``Figure`` with its ``Alt``. What Typst has no element for (a section around its
heading, a callout, an article of a book, a glossary, a list of sources) is recorded
here as a :class:`Group` of the elements Typst writes for its content, in order;
``structure.py`` builds those groups into the PDF's structure tree (ISO 32000-1
§14.8.4 standard structure types: ``Art``, ``Sect``, ``Div``, ``Note``, ``BibEntry``).

All text goes into the source as escaped markup (:func:`markup`) or string literals
(:func:`string`): nothing of the content is ever read as Typst code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Book,
    Citation,
    Cite,
    Emphasis,
    Figure,
    GlossaryEntry,
    Include,
    Inline,
    LineBreak,
    Link,
    List,
    Note,
    Paragraph,
    Publisher,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Strong,
    Table,
    Term,
    Text,
    inline_text,
    walk,
)
from .._base import warn
from .._cover_type import character_map
from .._dates import updated_line
from .._dispatch import Dispatch
from .._i18n import direction, edition_label, is_rtl, note_label, region_label, word
from .._references import Citations, Segment, article_references, segments_text

__all__ = ["PAGES", "Group", "InnerLink", "Leaf", "Page", "Source", "SourceWriter", "markup", "string"]

#: Characters that mean something in Typst markup, or right after an embedded
#: expression ("#strong[a](b)" would call on; "#emph[a].b" would read a field): each is
#: written escaped ("\#").
_SPECIAL = frozenset("\\/[](){}#*_+=-~`$\"'<>@.:;")


def markup(text: str) -> str:
    """``text`` as Typst markup that shows exactly these characters (line ends as
    spaces: the model's line breaks are LineBreak nodes)."""
    return "".join("\\" + c if c in _SPECIAL else c for c in text.replace("\r", " ").replace("\n", " "))


def string(text: str) -> str:
    """``text`` as a Typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n")
    return f'"{escaped}"'


def _lang_args(lang: str) -> str:
    """Typst's ``lang:`` (ISO 639) and ``region:`` (ISO 3166) of a BCP 47 tag."""
    parts = lang.split("-")
    args = f"lang: {string(parts[0].lower())}"
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region is not None:
        args += f", region: {string(region.upper())}"
    return args


@functools.cache
def _drawable() -> frozenset[int]:
    """The code points the PDF's fonts can draw: Typst falls back to DejaVu Sans (shipped
    with the package) for what Libertinus Serif lacks."""
    return character_map("regular") | character_map("bold")


@functools.cache
def _plain_characters() -> frozenset[str]:
    """Characters :meth:`Source.text` keeps as they are: drawable and not private-use,
    whitespace, and the invisible format characters."""
    spaces = (c for c in (*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
                          0x2028, 0x2029, 0x202F, 0x205F, 0x3000) if chr(c).isspace())
    drawn = (c for c in _drawable() if unicodedata.category(chr(c)) != "Co")
    return frozenset(map(chr, (*drawn, *spaces))) | _INVISIBLE


def _draws_nothing(nodes: Sequence[Inline]) -> bool:
    """Whether a run of inline nodes has nothing to draw (no citation, only spaces and
    invisible characters): Typst 0.15 fails on a link of such a run ("expected link
    ancestor in logical tree"), and a reader would have nothing to click."""
    if any(isinstance(node, Cite) for node in walk(list(nodes))):
        return False
    return all(char.isspace() or char in _INVISIBLE for char in inline_text(nodes))


#: Format characters that show nothing and need no glyph (soft hyphen, zero-width
#: space and joiners, direction marks and embeddings, word joiner, BOM).
_INVISIBLE = frozenset(
    "\u00ad" + "".join(map(chr, range(0x200B, 0x2010))) + "".join(map(chr, range(0x202A, 0x202F)))
    + "".join(map(chr, range(0x2060, 0x2065))) + "".join(map(chr, range(0x2066, 0x2070))) + "\ufeff"
)


@dataclass(frozen=True)
class Page:
    """A page size: its Typst name and its text area in millimetres (for figures)."""

    paper: str
    text_width: float
    text_height: float


PAGES = {"a4": Page("a4", 162.0, 247.0), "a5": Page("a5", 117.0, 174.0)}
#: How a reference's marks (the CSL style's formatting) are set in Typst.
_MARKS = {"italic": "#emph", "bold": "#strong", "smallcaps": "#smallcaps", "superscript": "#super",
          "subscript": "#sub", "underline": "#underline"}
#: The deepest quotation (inside this many others) written as a Typst quote.
MAX_QUOTE_DEPTH = 8
#: The deepest emphasis, strong text, link or language span (inside this many inline
#: nodes) written as itself.
MAX_STYLE_DEPTH = 6
#: A figure takes at most this share of the text height (it keeps its caption company).
MAX_FIGURE_HEIGHT = 0.5
#: Typst tags a figure with a caption as a Div holding Caption and Figure, one without
#: as a Figure.
_FIGURE_TAGS = ("Div", "Figure")


@dataclass(frozen=True)
class InnerLink:
    """A link of the text to a place in the document: to a glossary entry ("term") or
    to a source ("cite"), with the description its annotation gets (PDF/UA-1 §7.18.5)."""

    kind: str
    description: str


@dataclass
class Leaf:
    """One element Typst writes at this level of the tree; ``tags``: the types it may
    have (a check that the plan and Typst's tree agree); ``links``: its links to places
    in the document, in order (None: not planned, as in the contents)."""

    tags: tuple[str, ...]
    links: tuple[InnerLink, ...] | None = ()
    #: the plan of its children (a list's items, a quotation's blocks), if planned
    inner: list[Leaf | Group] | None = None


@dataclass
class Group:
    """An element of the structure tree around the elements Typst writes for its
    children: its standard type, its ID (unique: the reader of the output finds the
    parts of an article by it), its title (/T) and language (/Lang) if any."""

    type: str
    id: str
    children: list[Leaf | Group] = field(default_factory=list)
    title: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Source:
    """The Typst source of a document, the files it reads (images) and the plan of
    its structure tree (the children of the Document element)."""

    text: str
    files: dict[str, bytes]
    plan: list[Leaf | Group]


class SourceWriter:
    """Writes the Typst source of one article or book (``render`` returns it)."""

    def __init__(self, document: Article | Book, page: Page, brochure: bool, bleed_mm: float,
                 links: bool = True) -> None:
        self.document = document
        #: False: every link is written as its text (the fallback for a Typst failure)
        self.links = links
        self.page = page
        self.brochure = brochure
        self.bleed_mm = bleed_mm
        self.lang = document.lang
        self.out: list[str] = []
        self.files: dict[str, bytes] = {}
        self.root = Group("Document", "document")
        self.stack: list[Group] = [self.root]
        #: >0 inside a table cell: what is written there is inside the cell and not
        #: planned (a list item's and a quotation's blocks are, by :meth:`planned`).
        self.inside = 0
        self.ids: dict[str, int] = {}
        self.article: Article | None = None
        self.article_no = 0
        self.ref_numbers: dict[str, int] = {}
        self.ref_entries: dict[str, tuple[Segment, ...]] = {}
        #: the article's in-text citations, as its style writes them
        self.citations: Citations | None = None
        #: writing the reusable blocks after an article (not one inside its text)
        self.in_back = False
        #: how many quotations the block being written is inside
        self.quotes = 0
        #: how many inline nodes the text being written is inside; whether a too deep
        #: one was written as its text
        self.depth = 0
        self.flattened = False
        #: characters no font of the PDF has, left out (and warned about once)
        self.missing: dict[str, None] = {}
        #: the links to places in the document written since the last planned element
        self.pending: list[InnerLink] = []

    def text(self, value: str) -> str:
        """``value`` as markup, each character no font of the PDF can draw (or that
        PDF/A forbids: a private-use one) shown as the replacement character U+FFFD:
        PDF/UA-1 forbids the .notdef glyph (ISO 14289-1 §7.21.8), and Typst refuses to
        write it."""
        if _plain_characters().issuperset(value):  # nearly every text: no character to check one by one
            return markup(value)
        drawable = _drawable()
        kept = []
        for char in value:
            category = unicodedata.category(char)
            # PDF/A forbids private-use code points (ISO 19005-2 §6.2.11.7.3).
            if category != "Co" and (ord(char) in drawable or char.isspace() or char in _INVISIBLE):
                kept.append(char)
            else:
                self.missing[char] = None
                kept.append("\ufffd")
        return markup("".join(kept))

    # -- the plan ----------------------------------------------------------------

    def emit(self, text: str, *tags: str, inner: list[Leaf | Group] | None = None) -> None:
        """A block of source that Typst writes as one element of one of ``tags`` (with
        the children ``inner`` plans)."""
        self.out.append(text + "\n\n")
        if self.inside == 0 and tags:
            self.stack[-1].children.append(Leaf(tags, tuple(self.pending), inner))
            self.pending.clear()

    def unique(self, base: str) -> str:
        count = self.ids[base] = self.ids.get(base, 0) + 1
        return base if count == 1 else f"{base}-{count}"

    @contextlib.contextmanager
    def group(self, kind: str, base_id: str, title: str | None = None, lang: str | None = None) -> Iterator[None]:
        if self.inside:
            yield
            return
        group = Group(kind, self.unique(base_id), title=title, lang=lang)
        self.stack[-1].children.append(group)
        self.stack.append(group)
        try:
            yield
        finally:
            self.stack.pop()

    @contextlib.contextmanager
    def planned(self) -> Iterator[list[Leaf | Group]]:
        """The plan of the blocks written meanwhile inside an element Typst writes (a
        list item's body, a quotation): that element's children."""
        holder = Group("", "")
        self.stack.append(holder)
        try:
            yield holder.children
        finally:
            self.stack.pop()

    def captured(self, blocks: Sequence[Any]) -> tuple[str, list[Leaf | Group]]:
        """The source of ``blocks`` (taken out of the output) and their plan."""
        mark = len(self.out)
        with self.planned() as plan:
            self.blocks(blocks)
        text = "".join(self.out[mark:])
        del self.out[mark:]
        return text, plan

    @contextlib.contextmanager
    def within(self) -> Iterator[None]:
        self.inside += 1
        try:
            yield
        finally:
            self.inside -= 1

    def label(self, kind: str, key: str) -> str:
        """The Typst label of a glossary entry ("g", by its id: letters, digits and
        hyphens) or a source ("r", by its number: a key may hold any character) of the
        current article."""
        return f"{kind}{self.article_no}-{self.ref_numbers[key] if kind == 'r' else key}"

    # -- inline nodes ------------------------------------------------------------

    def inlines(self, nodes: Sequence[Inline], in_link: bool = False) -> str:
        in_link = in_link or not self.links
        self.depth += 1
        try:
            return "".join(_INLINE.lookup(node)(self, node, in_link) for node in nodes)
        finally:
            self.depth -= 1

    def styled(self, function: str, children: Sequence[Inline], in_link: bool) -> str:
        """``#function[children]``; deeper than MAX_STYLE_DEPTH inside other inline
        nodes, the children alone: Typst applies at most 64 show rules inside one
        another, and each emphasis, strong text or link takes some."""
        inner = self.inlines(children, in_link)
        if self.depth >= MAX_STYLE_DEPTH:
            if not self.flattened:
                warn("pdf:inline-depth", f"emphasis, strong text and links nested more than {MAX_STYLE_DEPTH} deep "
                     "are written as their text")
            self.flattened = True
            return inner
        return f"{function}[{inner}]"

    def link(self, target: str, content: str) -> str:
        """A link to ``target`` (a Typst string literal or label) around ``content``."""
        return f"#link({target})[{content}]" if self.links else content

    def visit_text(self, node: Text, in_link: bool) -> str:
        return self.text(node.text)

    def visit_emphasis(self, node: Emphasis, in_link: bool) -> str:
        return self.styled("#emph", node.children, in_link)

    def visit_strong(self, node: Strong, in_link: bool) -> str:
        return self.styled("#strong", node.children, in_link)

    def visit_link(self, node: Link, in_link: bool) -> str:
        if in_link:
            # A PDF link annotation has one target: the inner link keeps its text only.
            if self.links:
                warn("pdf:nested-link", f"the link to {node.href} inside another link keeps its text only")
            return self.inlines(node.children, True)
        if _draws_nothing(node.children):
            warn("pdf:empty-link", f"the link to {node.href} shows nothing to click (only invisible characters); "
                 "it is written as its text")
            return self.inlines(node.children, True)
        return self.styled(f"#link({string(node.href)})", node.children, True)

    def visit_term(self, node: Term, in_link: bool) -> str:
        # A glossary term links to its entry; inside a link it keeps its text.
        inner = self.inlines(node.children, True)
        if in_link:
            return inner
        if _draws_nothing(node.children):
            warn("pdf:empty-link", f"the glossary term {node.ref!r} shows nothing to click (only invisible "
                 "characters); it is written as its text")
            return inner
        assert self.article is not None
        entry = self.article.glossary[node.ref]
        self.pending.append(InnerLink("term", f"{entry.term}: {entry.definition} ({word('glossary', self.lang)})"))
        return f"#hi-term(<{self.label('g', node.ref)}>)[{inner}]"

    def visit_cite(self, node: Cite, in_link: bool) -> str:
        # The citation as the article's style writes it ("[2–4]", a superscript "1,2",
        # "(Danesh et al., 2014)"); each source's piece links to its entry, with the
        # entry as the link's description, except inside a link (links do not nest).
        # Outside a link it is a bidirectional isolate in the article's direction
        # (UAX #9 §2.4: LRI or RLI … PDI): beside right-to-left words its brackets stay
        # with its numbers.
        assert self.article is not None and self.citations is not None
        out = []
        for piece in self.citations.of(node):
            text = self.text(piece.text)
            for mark in sorted(piece.marks):
                text = f"{_MARKS[mark]}[{text}]"
            if piece.source is not None and not in_link:
                number = self.ref_numbers[piece.source]
                entry = segments_text(self.ref_entries[piece.source])
                self.pending.append(InnerLink("cite", f"{word('references', self.lang)} {number}: {entry}"))
                text = f"#link(<{self.label('r', piece.source)}>)[{text}]"
            out.append(text)
        if in_link:
            return "".join(out)  # the link's text
        isolate = "\u2067" if is_rtl(self.lang) else "\u2066"
        return isolate + "".join(out) + "\u2069"

    def visit_span(self, node: Span, in_link: bool) -> str:
        return self.styled(f"#text({_lang_args(node.lang)})", node.children, in_link)

    def visit_break(self, node: LineBreak, in_link: bool) -> str:
        # A no-break space ends the line (Typst drops a plain one there): a reader of
        # the text finds the two lines apart, as a browser's reader finds them.
        return "~#linebreak()"

    # -- block nodes ---------------------------------------------------------------

    def blocks(self, nodes: Sequence[Any]) -> None:
        for node in nodes:
            _BLOCK.lookup(node)(self, node)

    def visit_paragraph(self, node: Paragraph) -> None:
        self.emit(f"#par[{self.inlines(node.children)}]", "P")

    def visit_list(self, node: List) -> None:
        items = []
        plan: list[Leaf | Group] = []
        for item in node.items:
            body, inner = self.captured(item.blocks)
            items.append(f"[{body}]")
            # Typst tags a list that ends an item as the list's own child, after the item.
            after = [inner.pop()] if isinstance(item.blocks[-1], List) and inner else []
            plan += [Leaf(("LI",), inner=[Leaf(("Lbl",)), Leaf(("LBody",), inner=inner)]), *after]
        if node.ordered:
            self.emit(f"#enum(start: {1 if node.start is None else node.start}, tight: false, {', '.join(items)})",
                      "L", inner=plan)
        else:
            self.emit(f"#list(tight: false, {', '.join(items)})", "L", inner=plan)

    def visit_note(self, node: Note) -> None:
        label = note_label(node.kind, self.lang)
        heading = label if node.title is None else f"{label}: {node.title}"
        with self.group("Note", f"note-{node.kind.value}-{node.region or 'all'}-{self.article_no}", title=heading):
            self.out.append(f"#hi-note({string(node.kind.value)})[\n")
            self.emit(f"#hi-label[{self.text(heading)}]", "P")
            if node.region is not None and self.regions != (node.region,):
                self.emit(f"#hi-small[#emph[{self.text(region_label([node.region], self.lang))}]]", "P")
            self.blocks(node.blocks)
            self.out.append("]\n\n")

    #: the countries of the regional passage being written
    regions: tuple[str, ...] = ()

    def visit_region(self, node: RegionalPassage) -> None:
        mark = region_label(node.regions, self.lang)
        with self.group("Div", f"region-{'-'.join(node.regions)}", title=mark):
            self.out.append("#hi-region[\n")
            self.emit(f"#hi-label[{self.text(mark)}]", "P")
            outer, self.regions = self.regions, node.regions
            self.blocks(node.blocks)
            self.regions = outer
            self.out.append("]\n\n")

    def visit_figure(self, node: Figure) -> None:
        image = node.image
        suffix = ".png" if image.media_type == "image/png" else ".jpg"
        name = f"images/{len(self.files) + 1}-{PurePosixPath(image.path).stem}{suffix}"
        self.files[name] = image.data
        native = image.width / 96 * 25.4
        width = min(native, self.page.text_width,
                    self.page.text_height * MAX_FIGURE_HEIGHT * image.width / image.height)
        picture = f"image({string(name)}, alt: {string(node.alt)}, width: {width:.2f}mm)"
        with self.group("Div", f"figure-{self.article_no}"):
            if node.caption:
                self.emit(f"#figure({picture}, caption: [{self.inlines(node.caption)}])", *_FIGURE_TAGS)
            else:
                self.emit(f"#figure({picture})", *_FIGURE_TAGS)
            if node.credit is not None:
                self.emit(f"#hi-credit[{self.text(node.credit)}]", "P")

    def visit_table(self, node: Table) -> None:
        columns = len((node.head or node.body)[0].cells)
        head_rows, body_rows = node.head, node.body
        if not head_rows:
            # PDF/UA-1 asks every table for header cells (ISO 14289-1 §7.5; Matterhorn
            # 15-003): the first row is tagged as the header.
            warn("pdf:table-header-assumed", "a table without a header row: its first row is tagged as the "
                 "header in the PDF (give the table a header row)")
            head_rows, body_rows = body_rows[:1], body_rows[1:]
        # Typst puts a table's caption first (its position: top), the links in it too.
        caption = self.inlines(node.caption) if node.caption else None
        with self.within():
            head = [self.cells(row.cells) for row in head_rows]
            body = [self.cells(row.cells) for row in body_rows]
        parts = [f"columns: {columns}"]
        if head:
            # Typst would repeat the header rows on each page a table runs onto, as
            # artifacts: outloud counts such a row as prose hidden from every reader
            # (TAG-002, an error, seen with a header of words in emphasis beside Hebrew),
            # and an artifact may not hold links (PDF/UA-1). A header is printed once.
            parts.append(f"table.header(repeat: false, {', '.join(head)})")
        parts += body
        table = f"table({', '.join(parts)})"
        if caption is not None:
            # Typst tags a captioned table as a Table holding its Caption, or, when the
            # table is wider than the caption allows, as a Div of the Caption and a Div
            # holding the Table.
            self.emit(f"#figure({table}, caption: figure.caption(position: top)[{caption}])",
                      "Table", "Div")
        else:
            self.emit(f"#{table}", "Table")

    def cells(self, cells: Sequence[Any]) -> str:
        written = []
        for cell in cells:
            content = self.inlines(cell.children)
            if cell.align is not None:
                written.append(f"table.cell(align: {cell.align})[{content}]")
            else:
                written.append(f"[{content}]")
        return ", ".join(written)

    def visit_quote(self, node: Quote) -> None:
        self.quotes += 1
        body, inner = self.captured(node.blocks)
        self.quotes -= 1
        if self.quotes >= MAX_QUOTE_DEPTH:
            # Typst's quotes nest at most 19 deep (its limit of show rules): a quotation
            # deeper than MAX_QUOTE_DEPTH inside others is indented text, not a BlockQuote.
            warn("pdf:quote-depth", f"a quotation inside {self.quotes} others is written as indented text")
            self.stack[-1].children += inner
            attribution = ""
            if node.attribution is not None:
                attribution = f"#par[{self.text(chr(0x2014) + ' ' + node.attribution)}]"
                self.stack[-1].children.append(Leaf(("P",)))
            self.out.append(f"#pad(left: 1.2em)[{body}{attribution}]\n\n")
            return
        attribution = "" if node.attribution is None else f"attribution: [{self.text(node.attribution)}], "
        if node.attribution is not None:
            inner.append(Leaf(("Span", "P")))
        self.emit(f"#quote(block: true, {attribution}[{body}])", "BlockQuote", inner=inner)

    def visit_include(self, node: Include) -> None:
        with self.group("Div", f"{'back' if self.in_back else 'block'}-{node.ref}", title=node.title):
            self.out.append("#hi-reusable[\n")
            if node.title is not None:
                self.emit(f"#hi-label[{self.text(node.title)}]", "P")
            self.blocks(node.blocks)
            self.out.append("]\n\n")

    def visit_section(self, node: Section, level: int) -> None:
        with self.group("Sect", f"sec-{self.article_no}-{node.id}"):
            self.heading(level, self.inlines(node.title))
            self.blocks(node.blocks)
            for child in node.sections:
                self.visit_section(child, level + 1)

    def heading(self, level: int, content: str) -> None:
        self.emit(f"#heading(level: {level})[{content}]", f"H{level}")

    # -- glossary and sources ------------------------------------------------------

    def glossary(self, article: Article, level: int) -> None:
        with self.group("Sect", f"glossary-{self.article_no}"):
            self.heading(level, self.text(word("glossary", article.lang)))
            self.emit(f"#terms(tight: false, {', '.join(self.entry(e) for e in article.glossary.values())})", "L")

    def entry(self, entry: GlossaryEntry) -> str:
        term = entry.term
        if entry.synonyms:
            term += f" ({word('also', self.lang)}: {', '.join(entry.synonyms)})"
        return f"terms.item([#metadata(none) <{self.label('g', entry.id)}>{self.text(term)}], [{self.text(entry.definition)}])"

    def sources(self, article: Article, level: int) -> None:
        with self.group("Sect", f"references-{self.article_no}"):
            self.heading(level, self.text(word("references", article.lang)))
            items = [self.source_entry(number, c) for number, c in enumerate(article.references, start=1)]
            self.emit(f"#enum(tight: false, {', '.join(items)})", "L")

    def source_entry(self, number: int, citation: Citation) -> str:
        text = "".join(self.source_segment(s) for s in self.ref_entries[citation.id]).strip()
        if citation.language is not None and citation.language != self.lang:
            text = f"#text({_lang_args(citation.language)})[{text}]"
        return f"enum.item({number})[#metadata(none) <{self.label('r', citation.id)}>{text}]"

    def source_segment(self, segment: Segment) -> str:
        """A piece of a formatted reference, set as its style says, a link where it has one."""
        text = self.text(segment.text)
        for mark in sorted(segment.marks):
            text = f"{_MARKS[mark]}[{text}]"
        return self.link(string(segment.href), text) if segment.href is not None else text

    # -- documents -------------------------------------------------------------------

    def start_article(self, article: Article, number: int) -> None:
        self.article = article
        self.article_no = number
        self.lang = article.lang
        self.ref_numbers = {c.id: n for n, c in enumerate(article.references, start=1)}
        self.ref_entries = dict(zip((c.id for c in article.references), article_references(article), strict=True))
        self.citations = Citations(article)

    def article_body(self, article: Article, level: int, with_back: bool) -> None:
        """An article: its topic, title, updated line, lead, sections, glossary,
        sources (and its reusable blocks), all in one ``Art`` element."""
        with self.group("Art", f"article-{self.article_no}", title=article.title, lang=article.lang):
            if article.lang != self.document.lang:
                self.out.append(f"#[#set text({_lang_args(article.lang)}, dir: {direction(article.lang)})\n")
            if article.topic:
                with self.group("Div", f"meta-{self.article_no}-topic"):
                    self.emit(f"#hi-kicker[{self.text(article.topic)}]", "P")
                # The title sits close under its kicker (a scoped rule: no element of its own).
                self.out.append("#[#show heading: set block(above: 0.45em)\n")
                self.heading(level, self.text(article.title))
                self.out.append("]\n\n")
            else:
                self.heading(level, self.text(article.title))
            with self.group("Div", f"meta-{self.article_no}-updated"):
                self.emit(f"#hi-small[{self.text(updated_line(article))}]", "P")
            self.blocks(article.blocks)
            for section in article.sections:
                self.visit_section(section, level + 1)
            # A book's glossary and sources are at the level of the article's title (as in
            # the HTML book, the e-book and the DOCX book); an article's at its sections'.
            end_level = level if isinstance(self.document, Book) else level + 1
            if article.glossary:
                self.glossary(article, end_level)
            if article.references:
                self.sources(article, end_level)
            if with_back:
                self.in_back = True
                self.blocks(article.back)
                self.in_back = False
            if article.lang != self.document.lang:
                self.out.append("]\n\n")

    def imprint(self, publisher: Publisher, rights: str | None, licence: str | None,
                article: Article | None) -> None:
        """The publisher, its contact, the people, the dates, the rights and the
        licence (never an internal identifier)."""
        name = publisher.name + (f" ({publisher.short_name})" if publisher.short_name else "")
        lines = [f"#strong[{self.text(word('publisher', self.lang) + ': ' + name)}]"]
        if publisher.address is not None:
            lines.append(self.text(publisher.address))
        if publisher.url is not None:
            lines.append(self.link(string(publisher.url), self.text(publisher.url)))
        if publisher.email is not None:
            lines.append(self.link(string("mailto:" + publisher.email), self.text(publisher.email)))
        if article is not None:
            for key, people in (("authors", article.authors), ("reviewers", article.reviewers)):
                if people:
                    names = ", ".join(p.name + (f" ({p.affiliation})" if p.affiliation else "") for p in people)
                    lines.append(self.text(f"{word(key, self.lang)}: {names}"))
            lines.append(self.text(updated_line(article)))
        if self.document.edition is not None:
            lines.append(self.text(edition_label(self.document.edition, self.lang)))
        if rights is not None:
            lines.append(self.text(rights))
        if licence is not None:
            lines.append(f"{self.text(word('licence', self.lang))}: {self.link(string(licence), self.text(licence))}")
        with self.group("Div", "imprint"):
            for line in lines:
                self.emit(f"#par[{line}]", "P")

    def article_document(self, article: Article) -> None:
        self.start_article(article, 1)
        self.article_body(article, 1, with_back=True)
        self.out.append("#v(1.5em)\n\n")
        self.imprint(article.publisher, article.rights, article.license, article)

    def book_document(self, book: Book) -> None:
        self.lang = book.lang
        self.cover(book)
        with self.group("Div", "contents"):
            self.out.append("#page(header: none, footer: none)[\n")
            if book.description:
                self.emit(f"#par[{self.text(book.description)}]", "P")
            self.emit(f"#outline(title: [{self.text(word('contents', book.lang))}], depth: 2)", "H1")
            self.stack[-1].children.append(Leaf(("TOC",), None))
            self.out.append("]\n\n")
        for number, article in enumerate(book.articles, start=1):
            self.start_article(article, number)
            self.out.append("#pagebreak(weak: true)\n\n")
            self.article_body(article, 1, with_back=not self.brochure)
        self.article_no = 0
        self.lang = book.lang
        single = book.articles[0] if len(book.articles) == 1 else None
        if self.brochure:
            self.back_page(book)
            self.out.append("#metadata(none) <hi-end>\n\n")
            self.out.append(
                "#context { let n = locate(<hi-end>).page(); "
                "for _ in range(calc.rem(4 - calc.rem(n + 1, 4), 4)) { "
                f"hi-blank[{self.text(word('blank_page', book.lang))}] }} }}\n\n"
            )
        self.out.append("#hi-imprint[\n")
        self.imprint(book.publisher, book.rights, book.license, single)
        self.out.append("]\n\n")

    def cover(self, book: Book) -> None:
        topic = book.articles[0].topic
        args = [f"title: hi-cover-title[#title[{self.text(book.title)}]]",
                f"publisher: [{self.text(book.publisher.name)}]"]
        if book.subtitle:
            args.append(f"subtitle: [{self.text(book.subtitle)}]")
        if topic and topic != book.title:
            args.append(f"kicker: [{self.text(topic)}]")
        if book.cover is not None:
            suffix = ".png" if book.cover.media_type == "image/png" else ".jpg"
            self.files["images/cover" + suffix] = book.cover.data
            args.append(f"image-file: {string('images/cover' + suffix)}")
        with self.group("Div", "cover"):
            self.out.append(f"#hi-cover({', '.join(args)})\n\n")
            leaves = self.stack[-1].children
            if topic and topic != book.title:
                leaves.append(Leaf(("P",)))
            leaves.append(Leaf(("P", "Title")))
            if book.subtitle:
                leaves.append(Leaf(("P",)))
            leaves.append(Leaf(("P",)))

    def back_page(self, book: Book) -> None:
        """A brochure's back matter: the reusable blocks of the articles, each once."""
        seen: set[str] = set()
        self.out.append("#pagebreak(weak: true)\n\n")
        for number, article in enumerate(book.articles, start=1):
            self.start_article(article, number)
            for include in article.back:
                if include.ref not in seen:
                    seen.add(include.ref)
                    self.in_back = True
                    self.blocks([include])
                    self.in_back = False
        self.article_no = 0
        self.lang = book.lang

    def preamble(self, moment: dt.datetime, head: str) -> str:
        source = self.document
        keywords = (
            dict.fromkeys(k for a in source.articles for k in a.keywords) if isinstance(source, Book) else source.keywords
        )
        description = source.description
        args = [
            f"title: {string(source.title)}",
            f"authors: ({string(source.publisher.name)},)",
            f"keywords: ({''.join(string(k) + ', ' for k in keywords)})",
            f"date: datetime(year: {moment.year}, month: {moment.month}, day: {moment.day}, "
            f"hour: {moment.hour}, minute: {moment.minute}, second: {moment.second})",
            _lang_args(source.lang),
            f"dir: {direction(source.lang)}",
            f"paper: {string(self.page.paper)}",
            f"bleed: {self.bleed_mm}mm",
            f"head: [{self.text(head)}]",
        ]
        if description:
            args.append(f"description: {string(description)}")
        return f'#import "layout.typ": *\n#show: hi-document.with({", ".join(args)})\n\n'

    def render(self, moment: dt.datetime) -> Source:
        source = self.document
        if isinstance(source, Book):
            self.book_document(source)
            head = source.title
        else:
            self.article_document(source)
            head = source.topic or source.title
        if self.missing:
            listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in self.missing)
            warn("pdf:missing-glyphs", f"the PDF's fonts have no glyph for {listed}: shown as \ufffd (U+FFFD)")
        return Source(self.preamble(moment, head) + "".join(self.out), self.files, self.root.children)


_INLINE: Dispatch[str] = Dispatch("PDF", "inline", SourceWriter, INLINE_TYPES)
_BLOCK: Dispatch[None] = Dispatch("PDF", "block", SourceWriter, BLOCK_TYPES)
