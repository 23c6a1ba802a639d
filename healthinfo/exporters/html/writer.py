"""HTML5: the writer, which renders the body of a page (an article, or the articles of
a book) from the content model.

References: the HTML Living Standard (https://html.spec.whatwg.org/), WCAG 2.2
(https://www.w3.org/TR/WCAG22/) and HTML-AAM for the landmark roles of ``aside``
(https://www.w3.org/TR/html-aam-1.0/); docs/exporters/html.md describes the markup of
each node, the ids and the classes.

One ``visit_<node>`` method per node type, in schema order, turns the model into HTML
by calling one Jinja2 macro per node type (``nodes.j2``) with the node's fields and its
already rendered children. Python never writes a tag: all markup is in the templates.

:class:`HtmlWriter` is public so that other formats made of HTML extend it, as Sphinx's
EPUB builder extends its HTML builder: healthinfo.exporters.epub overrides its hooks
(:meth:`HtmlWriter.image_src`, :meth:`HtmlWriter.back`, the ``files`` of
:meth:`HtmlWriter.href_to`). The dispatch tables hold the ``visit_<node>`` methods of
this class, so a subclass changes where things go through the hooks, not the visitors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from markupsafe import Markup, escape

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Cite,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Note,
    Paragraph,
    Publisher,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
    inline_text,
)
from .._dates import format_date, format_next_update
from .._dispatch import Dispatch
from .._i18n import direction, edition_label, note_label, region_label, words
from .._references import CitationPiece, Citations, Segment, article_references
from .templates import Templates
from .text import data_uri, escape_text, href, join

__all__ = ["Context", "GlossarySlot", "HtmlWriter", "labels", "publisher_view"]


def labels(lang: str) -> dict[str, str]:
    """Every fixed word of the page in ``lang`` (the one table of words)."""
    return dict(words(lang))


def publisher_view(publisher: Publisher) -> dict[str, Any]:
    """What the templates show of a publisher (its address as an href value too)."""
    return {
        "name": publisher.name,
        "short_name": publisher.short_name,
        "url": href(publisher.url) if publisher.url else None,
        "url_text": publisher.url,
        "email": publisher.email,
        "address": publisher.address,
    }


def _article_facts(article: Article) -> dict[str, Any]:
    """What article.j2 shows of an article's front matter, in its language."""
    next_update = article.next_update
    return {
        "title": article.title,
        "topic": article.topic,
        "lang": article.lang,
        "dir": direction(article.lang),
        "updated": article.updated,
        "updated_text": format_date(article.updated, article.lang),
        "published": article.published,
        "published_text": format_date(article.published, article.lang) if article.published else None,
        "next_update": format_next_update(next_update, article.lang) if next_update is not None else None,
        "next_update_iso": _iso(next_update) if next_update is not None else None,
        "publisher": publisher_view(article.publisher),
        "authors": [p.name for p in article.authors],
        "reviewers": [p.name for p in article.reviewers],
        "region": article.region,
        "edition": edition_label(article.edition, article.lang) if article.edition else None,
    }


def _iso(value: int | dt.date) -> str:
    """A year as it is, a date as ISO 8601 (the datetime of a <time>)."""
    return str(value) if isinstance(value, int) else value.isoformat()


@dataclass(frozen=True)
class Context:
    """Where an inline or block is written."""

    #: inside an <a>: no other <a> may start (HTML forbids nested links).
    in_link: bool = False
    #: inside an <aside>: a callout is a role="note" div, not another complementary
    #: landmark (axe: landmark-complementary-is-top-level).
    in_aside: bool = False
    #: the direction of the surrounding text.
    dir: str = "ltr"
    #: the countries of the regional passage around (empty outside one).
    regions: tuple[str, ...] = ()


@dataclass
class GlossarySlot:
    """A glossary entry's place on the page: its anchor and the places that use it."""

    entry: GlossaryEntry
    anchor: str
    #: links to each place the term is used, in order (hrefs, see HtmlWriter.href_to).
    uses: list[str] = field(default_factory=list)



#: How a formatted reference's marks (its CSL style's formatting) are written.
_MARK_TAGS = {"italic": ("<i>", "</i>"), "bold": ("<b>", "</b>"), "superscript": ("<sup>", "</sup>"),
              "subscript": ("<sub>", "</sub>"), "smallcaps": ('<span class="ref-smallcaps">', "</span>"),
              "underline": ('<span class="ref-underline">', "</span>")}


def marked(segment: Segment | CitationPiece) -> Markup:
    """A piece of a formatted reference or citation as HTML: its text in the elements
    of its marks."""
    out = escape(segment.text)
    for mark in sorted(segment.marks):
        start, end = _MARK_TAGS[mark]
        out = Markup(start) + out + Markup(end)
    return Markup(out)

class HtmlWriter:
    """Renders the body of one page (an article, or the articles of a book). One
    ``visit_<node>`` per node type of the schema, in schema order; an unknown node type
    raises UnknownNodeError.

    ``INLINE`` and ``BLOCK`` are the dispatch tables of the class; a subclass (the EPUB
    writer) builds its own, so that its format names its errors and its overrides of
    ``visit_<node>`` methods take effect."""

    INLINE: ClassVar[Dispatch[Markup]]
    BLOCK: ClassVar[Dispatch[Markup]]

    def __init__(self, templates: Templates, lang: str) -> None:
        self.t = templates
        self.lang = lang
        #: id prefix of the current article: "" on an article page, "<id>--" in a book
        #: (article ids hold no "--", so ids of different articles cannot meet).
        self.prefix = ""
        #: heading level of the current article's top sections.
        self.section_level = 2
        self.ref_numbers: dict[str, int] = {}
        #: the current article's in-text citations, as its style writes them
        self.citations: Citations | None = None
        #: glossary: entry id -> slots (one per different entry of that id, in a book).
        self.glossary: dict[str, list[GlossarySlot]] = {}
        self.glossary_order: list[GlossarySlot] = []
        #: the current article's term refs -> glossary slot.
        self.terms: dict[str, GlossarySlot] = {}
        self.counters: dict[str, int] = {}
        #: accessible names of the complementary landmarks so far (they must differ).
        self.landmark_names: dict[str, int] = {}
        #: a book's reusable back blocks, rendered once each.
        self.back_seen: list[Include] = []
        self.back_parts: list[Markup] = []
        #: the file each part is written to, for a format that splits a document into
        #: several files (EPUB: "text" is the current chapter, "glossary", "references").
        #: Empty for an HTML page, where every link stays in the page.
        self.files: dict[str, str] = {}

    # -- state ---------------------------------------------------------------

    def begin_article(self, article: Article, prefix: str, section_level: int) -> None:
        self.prefix = prefix
        self.section_level = section_level
        # Callout labels in the article's language (a book may mix languages).
        self.lang = article.lang
        self.ref_numbers = {c.id: n for n, c in enumerate(article.references, start=1)}
        self.citations = Citations(article)
        self.terms = {key: self.glossary_slot(entry) for key, entry in article.glossary.items()}

    def glossary_slot(self, entry: GlossaryEntry) -> GlossarySlot:
        """The glossary entry's place on the page. A book shows one glossary: the same
        entry used by two articles is listed once; two different entries with the same
        id (possible in hand-made books) are both listed, the second as gloss-<id>_2."""
        slots = self.glossary.setdefault(entry.id, [])
        for slot in slots:
            if slot.entry == entry:
                return slot
        anchor = f"gloss-{entry.id}" + (f"_{len(slots) + 1}" if slots else "")
        slot = GlossarySlot(entry, anchor)
        slots.append(slot)
        self.glossary_order.append(slot)
        return slot

    def href_to(self, part: str, anchor: str) -> str:
        """A link to ``anchor`` in ``part`` (see ``files``): "#anchor" on one page."""
        return f"{self.files.get(part, '')}#{anchor}"

    def image_src(self, image: Image) -> str:
        """Where a figure's image comes from: a data: URI, so that the page needs no
        other file (EPUB overrides this with a file of the package)."""
        return data_uri(image)

    def next(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]

    def local(self, local_id: str) -> str:
        """An id of the current article (its prefix + ``local_id``)."""
        return self.prefix + local_id

    def landmark_ordinal(self, name: str) -> int | None:
        """None for the first landmark with this accessible name; 2, 3 … for the next
        ones, written as hidden text so that the names differ (axe: landmark-unique)."""
        key = " ".join(name.split()).casefold()
        seen = self.landmark_names.get(key, 0) + 1
        self.landmark_names[key] = seen
        return None if seen == 1 else seen

    # -- dispatch --------------------------------------------------------------

    def inline(self, node: Any, ctx: Context) -> Markup:
        return self.INLINE(self, node, ctx)

    def inlines(self, nodes: Sequence[Any], ctx: Context) -> Markup:
        return join(self.inline(node, ctx) for node in nodes)

    def block(self, node: Any, ctx: Context) -> Markup:
        return self.BLOCK(self, node, ctx)

    def blocks(self, nodes: Sequence[Any], ctx: Context) -> Markup:
        return join(self.block(node, ctx) for node in nodes)

    # -- inline nodes ------------------------------------------------------------

    def visit_text(self, node: Text, ctx: Context) -> Markup:
        return escape_text(node.text)

    def visit_emphasis(self, node: Emphasis, ctx: Context) -> Markup:
        return self.t.macro("emphasis", content=self.inlines(node.children, ctx))

    def visit_strong(self, node: Strong, ctx: Context) -> Markup:
        return self.t.macro("strong", content=self.inlines(node.children, ctx))

    def visit_link(self, node: Link, ctx: Context) -> Markup:
        # https://html.spec.whatwg.org/multipage/text-level-semantics.html#the-a-element:
        # an <a> may not contain another <a>. A link inside a link (or inside a glossary
        # term, which is a link) keeps its words, and its address is written after them.
        inner = self.inlines(node.children, replace(ctx, in_link=True))
        if ctx.in_link:
            return self.t.macro("nested_link", href=node.href, content=inner)
        # The text equals the address: print CSS need not repeat it after the link.
        bare = inline_text(node.children).strip() == node.href
        return self.t.macro("link", href=href(node.href), title=node.title, content=inner, bare=bare)

    def visit_term(self, node: Term, ctx: Context) -> Markup:
        slot = self.terms[node.ref]
        inner = self.inlines(node.children, replace(ctx, in_link=True))
        if ctx.in_link:
            # Inside a link a term cannot be a link too; it is marked, and the glossary
            # still lists the entry.
            return self.t.macro("term_text", content=inner)
        use_id = f"use-{slot.anchor[len('gloss-'):]}-{len(slot.uses) + 1}"
        slot.uses.append(self.href_to("text", use_id))
        return self.t.macro("term", href=self.href_to("glossary", slot.anchor), id=use_id, content=inner)

    def visit_cite(self, node: Cite, ctx: Context) -> Markup:
        # The citation as the article's style writes it ("[2–4]", "(Danesh et al.,
        # 2014)"); each source's piece links to its entry (not inside a link). One of
        # numbers is set small and kept on one line; one of names and years is text.
        assert self.citations is not None, "begin_article comes first"
        found = self.citations.of(node)
        pieces = [
            {
                "html": marked(piece),
                "href": None if ctx.in_link or piece.source is None
                else self.href_to("references", self.local(f"ref-{self.ref_numbers[piece.source]}")),
            }
            for piece in found
        ]
        numeric = not any(char.isalpha() for piece in found for char in piece.text)
        return self.t.macro("cite", pieces=pieces, numeric=numeric)

    def visit_span(self, node: Span, ctx: Context) -> Markup:
        # WCAG 3.1.2 Language of Parts; dir only where the direction changes.
        span_dir = direction(node.lang)
        inner = self.inlines(node.children, replace(ctx, dir=span_dir))
        return self.t.macro("span", lang=node.lang, dir=span_dir if span_dir != ctx.dir else None, content=inner)

    def visit_break(self, node: LineBreak, ctx: Context) -> Markup:
        return self.t.macro("line_break")

    # -- block nodes -------------------------------------------------------------

    def visit_paragraph(self, node: Paragraph, ctx: Context) -> Markup:
        return self.t.macro("paragraph", content=self.inlines(node.children, ctx))

    def visit_list(self, node: List, ctx: Context) -> Markup:
        items = [self.visit_list_item(item, ctx) for item in node.items]
        return self.t.macro("list", ordered=node.ordered, start=node.start, items=items)

    def visit_list_item(self, node: ListItem, ctx: Context) -> Markup:
        # A simple item (one paragraph) holds its text directly, as Markdown's tight
        # lists do; a complex one holds its blocks.
        if len(node.blocks) == 1 and isinstance(node.blocks[0], Paragraph):
            return self.inlines(node.blocks[0].children, ctx)
        return self.blocks(node.blocks, ctx)

    def visit_note(self, node: Note, ctx: Context) -> Markup:
        # An <aside> (complementary landmark) named by its visible label
        # (aria-labelledby, WCAG 1.3.1). Inside another aside it is a role="note" div:
        # a complementary landmark must not nest in another one.
        note_id = f"note-{self.next('note')}"
        kind_label = note_label(node.kind, self.lang)
        title = node.title if node.title else None
        landmark = not ctx.in_aside
        name = kind_label + (f": {title}" if title else "")
        ordinal = self.landmark_ordinal(name) if landmark else None
        content = self.blocks(node.blocks, replace(ctx, in_aside=True))
        # A note's region is marked unless the passage around says it already.
        marked = node.region is not None and ctx.regions != (node.region,)
        return self.t.macro(
            "note",
            id=note_id,
            kind=node.kind.value,
            label=kind_label,
            title=title,
            region=node.region,
            region_label=region_label([node.region], self.lang) if marked and node.region else None,
            landmark=landmark,
            ordinal=ordinal,
            content=content,
        )

    def figure_id(self, node: Figure) -> str | None:
        """The figure's id in the page: its own, if it has one (the e-book's writer
        gives every figure one, for its list of figures)."""
        return self.local(f"fig-{node.id}") if node.id else None

    def table_id(self, node: Table) -> str | None:
        """The table's id in the page: its own, if it has one."""
        return self.local(f"tbl-{node.id}") if node.id else None

    def visit_figure(self, node: Figure, ctx: Context) -> Markup:
        return self.t.macro(
            "figure",
            id=self.figure_id(node),
            src=self.image_src(node.image),
            alt=node.alt,
            width=node.image.width,
            height=node.image.height,
            caption=self.inlines(node.caption, ctx) if node.caption else None,
            credit=node.credit if node.credit else None,
        )

    def visit_table(self, node: Table, ctx: Context) -> Markup:
        head = [self.visit_table_row(row, ctx, header=True) for row in node.head]
        body = [self.visit_table_row(row, ctx, header=False) for row in node.body]
        return self.t.macro(
            "table",
            id=self.table_id(node),
            caption=self.inlines(node.caption, ctx) if node.caption else None,
            head=head,
            body=body,
        )

    def visit_table_row(self, node: TableRow, ctx: Context, header: bool) -> list[dict[str, Any]]:
        return [self.visit_table_cell(cell, ctx, header) for cell in node.cells]

    def visit_table_cell(self, node: TableCell, ctx: Context, header: bool) -> dict[str, Any]:
        # An empty header cell is a <td>: a <th> without text names nothing
        # (axe: empty-table-header).
        return {
            "content": self.inlines(node.children, ctx),
            "align": node.align,
            "header": header and bool(inline_text(node.children).strip()),
        }

    def visit_quote(self, node: Quote, ctx: Context) -> Markup:
        return self.t.macro(
            "quote",
            content=self.blocks(node.blocks, ctx),
            attribution=node.attribution if node.attribution else None,
        )

    def visit_region(self, node: RegionalPassage, ctx: Context) -> Markup:
        return self.t.macro(
            "regional",
            id=f"region-{self.next('region')}",
            regions=" ".join(node.regions),
            label=region_label(node.regions, self.lang),
            content=self.blocks(node.blocks, replace(ctx, regions=node.regions)),
        )

    def visit_include(self, node: Include, ctx: Context, level: int | None = None) -> Markup:
        # A reusable block, marked as such (class and data-block). With a title it is
        # an aside named by its title; ``level`` makes the title a heading (the
        # reusable blocks after the sources are parts of the page).
        block_id = f"block-{self.next('block')}"
        title = node.title if node.title else None
        landmark = title is not None and not ctx.in_aside
        ordinal = self.landmark_ordinal(title) if landmark and title else None
        content = self.blocks(node.blocks, replace(ctx, in_aside=ctx.in_aside or landmark))
        return self.t.macro(
            "include",
            id=block_id,
            ref=node.ref,
            title=title,
            level=level,
            landmark=landmark,
            ordinal=ordinal,
            content=content,
        )

    def visit_section(self, node: Section, ctx: Context, depth: int) -> Markup:
        # Heading levels follow nesting; HTML has six (deeper sections stay h6).
        level = min(self.section_level + depth, 6)
        title = self.inlines(node.title, ctx)
        content = self.blocks(node.blocks, ctx)
        subsections = join(self.visit_section(child, ctx, depth + 1) for child in node.sections)
        return self.t.macro(
            "section",
            id=self.local(f"sec-{node.id}"),
            level=level,
            title=title,
            aspect=node.aspect.value if node.aspect else None,
            content=content + subsections,
        )

    # -- the parts of an article ---------------------------------------------------

    def references(self, article: Article) -> list[dict[str, Any]]:
        out = []
        entries = article_references(article)
        for number, (citation, entry) in enumerate(zip(article.references, entries, strict=True), start=1):
            segments = [
                {
                    "text": segment.text,
                    "role": segment.role,
                    "href": href(segment.href) if segment.href else None,
                    "bare": segment.href is not None and segment.text == segment.href,
                    "html": marked(segment),
                }
                for segment in entry
            ]
            out.append(
                {
                    "id": self.local(f"ref-{number}"),
                    "number": number,
                    "key": citation.id,
                    "lang": citation.language,
                    "segments": segments,
                }
            )
        return out

    def glossary_view(self, slots: Sequence[GlossarySlot]) -> list[dict[str, Any]]:
        return [
            {
                "anchor": slot.anchor,
                "term": slot.entry.term,
                "definition": slot.entry.definition,
                "synonyms": list(slot.entry.synonyms),
                "uses": list(slot.uses),
                "used_in": [],
            }
            for slot in slots
        ]

    def toc(self, article: Article) -> list[dict[str, Any]]:
        def entry(section: Section) -> dict[str, Any]:
            return {
                "href": self.href_to("text", self.local("sec-" + section.id)),
                "title": " ".join(inline_text(section.title).split()),
                "children": [entry(child) for child in section.sections],
            }

        return [entry(section) for section in article.sections]

    def article_view(
        self,
        article: Article,
        level: int,
        standalone: bool,
        back_level: int | None = None,
        prefix: str | None = None,
    ) -> dict[str, Any]:
        """Everything article.j2 shows. ``standalone``: the article is the page (its
        glossary and reusable blocks are its own); in a book they are the book's.
        ``back_level``: heading level of the titles of a book's reusable back blocks
        (default: ``level``; EPUB puts them under a heading of their own). ``prefix``:
        of the article's ids (default: none on its own page, "<id>--" in a book; an
        article's e-book keeps the ids of its page)."""
        ctx = Context(dir=direction(article.lang))
        if prefix is None:
            prefix = "" if standalone else f"{article.id}--"
        self.begin_article(article, prefix, level + 1)
        lead = self.blocks(article.blocks, ctx)
        sections = join(self.visit_section(section, ctx, 0) for section in article.sections)
        view: dict[str, Any] = {
            "id": article.id,
            "heading_id": "title" if standalone else self.local("title"),
            "level": level,
            **_article_facts(article),
            "lead": lead,
            "sections": sections,
            "references": self.references(article),
            "references_id": self.local("sources"),
            "labels": labels(article.lang),
            "glossary": None,
            "back": None,
        }
        if standalone:
            view["back"] = self.back(article.back, ctx, level + 1)
            view["glossary"] = self.glossary_view(self.glossary_order)
        else:
            # In a book the reusable blocks shown after each article's sources (a
            # disclaimer, "about us") are shown once, at the end of the book, with the
            # links of the article that brought them first.
            fresh = [node for node in article.back if node not in self.back_seen]
            self.back_seen.extend(fresh)
            self.back_parts.append(self.back(fresh, ctx, level if back_level is None else back_level))
        return view

    def back(self, includes: Sequence[Include], ctx: Context, level: int) -> Markup:
        return join(self.visit_include(node, ctx, level=level) for node in includes)


HtmlWriter.INLINE = Dispatch("HTML", "inline", HtmlWriter, INLINE_TYPES)
HtmlWriter.BLOCK = Dispatch("HTML", "block", HtmlWriter, BLOCK_TYPES)


