"""JATS XML: an article as a JATS 1.1 Journal Publishing document (NISO Z39.96-2015).

Reference: the Journal Publishing tag library,
https://jats.nlm.nih.gov/publishing/tag-library/1.1/ , and the JATS4R recommendations,
https://jats4r.org/ . The output is valid against the official DTD
(``JATS-journalpublishing1.dtd``) and :func:`healthinfo.importers.read_jats` reads it
back into an equal :class:`~healthinfo.schema.Article`. docs/exporters/jats.md has the
whole mapping, field by field, and the reasons for each choice.

The shape of the document:

- ``front`` (:mod:`.front`): ``journal-meta`` stands for the publisher's
  health-information series, ``article-meta`` holds the article's metadata.
- ``body`` (this module): lead blocks, then nested ``sec``; one ``visit_<node>`` per
  node type of the schema.
- ``back``: ``ref-list`` (:mod:`.references`, one ``element-citation`` per source), the
  reusable blocks shown after the sources (``notes``), the ``glossary``.

The attribute values the importer reads back are in :mod:`.vocab`. The tree is built
with lxml and serialised once, without pretty-printing (indentation would add text to
mixed content), so escaping is lxml's and the bytes are the same for the same article.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from lxml import etree
from pydantic import Field

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Book,
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
)
from .._base import ExportError, ExportOptions, Rendered
from .._dispatch import Dispatch
from .._i18n import word
from .._references import Citations
from ._tree import append_text, attributes, sub
from .front import ImageMeta, write_front
from .references import MARK_ELEMENTS, write_ref_list
from .vocab import (
    ARTICLE_TYPE,
    CT_BREAK,
    CT_CITATION,
    CT_LANGUAGE,
    CT_LINK,
    CT_REGION,
    CT_REUSABLE,
    CT_SYNONYM,
    CT_TERM,
    DOCTYPE,
    FIGURE_PREFIX,
    GLOSSARY_PREFIX,
    HREF,
    LANG,
    META_IMAGE_PATH,
    META_IMAGE_SIZE,
    NOTES_REUSABLE,
    NSMAP,
    PUBLIC_ID,
    REGION_PREFIX,
    SECTION_PREFIX,
    SYSTEM_ID,
    TABLE_PREFIX,
    XLINK_TITLE,
    encode_key,
)

__all__ = [
    "ACCEPTS_BOOKS",
    "EXTENSION",
    "MEDIA_TYPE",
    "NAME",
    "PUBLIC_ID",
    "SYSTEM_ID",
    "Options",
    "render",
    "to_tree",
]

NAME = "jats"
EXTENSION = ".xml"
MEDIA_TYPE = "application/jats+xml"
#: JATS holds one article per document: a book is exported article by article.
ACCEPTS_BOOKS = False

#: <break/> is only allowed as a direct child of these (of the elements this writer
#: puts inline runs in); elsewhere a line break is <named-content content-type="line-break"/>.
BREAK_PARENTS = frozenset({"title", "td", "th"})

_ISSN = r"^\d{4}-\d{3}[\dX]$"


class Options(ExportOptions):
    """Options of the JATS exporter."""

    journal_title: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Title of the publisher's health-information series, written as "
            "journal-meta/journal-title. Default: the publisher's short name (or name) "
            "followed by ' health information', in the article's language."
        ),
    )
    issn: str | None = Field(
        default=None,
        pattern=_ISSN,
        description=(
            "The series' ISSN, if it has one. The Journal Publishing DTD requires an "
            "<issn> in journal-meta; without one an empty <issn/> is written (never a "
            "made-up number)."
        ),
    )


@dataclass(frozen=True)
class _Context:
    """Where an inline node is written: inside a link (no <ext-link>/<xref> then), inside
    a glossary term (a citation's sources are not linked there: links do not nest in the
    other formats)."""

    in_link: bool = False
    in_term: bool = False


class _Writer:
    """Builds the JATS tree of one article. One ``visit_<node>`` per node type of the
    schema, in schema order; an unknown node type raises ExportError."""

    def __init__(self, article: Article, options: Options) -> None:
        self.article = article
        self.options = options
        self.citations = Citations(article)
        #: resource path -> bytes, and the image (path, type, size, bytes) -> resource path
        self.resources: dict[str, bytes] = {}
        self.image_hrefs: dict[tuple[str, str, int, int, bytes], str] = {}
        self.image_meta: list[ImageMeta] = []  # (href, meta-name, value) for custom-meta
        #: The model paths and resource paths used so far, and the next number to try
        #: for a model path that is taken.
        self.taken: set[str] = set()
        self.suffixes: dict[str, int] = {}

    # -- dispatch ---------------------------------------------------------

    def inline(self, parent: etree._Element, node: Any, ctx: _Context) -> None:
        _INLINE.lookup(node)(self, parent, node, ctx)

    def inlines(self, parent: etree._Element, nodes: Sequence[Any], ctx: _Context | None = None) -> None:
        context = ctx or _Context()
        # Adjacent Text nodes are appended as one string: appending each to the same
        # text or tail would copy it again each time (n^2 for n runs of text).
        run: list[str] = []
        for node in nodes:
            if type(node) is Text:
                run.append(node.text)
                continue
            if run:
                append_text(parent, "".join(run))
                run.clear()
            self.inline(parent, node, context)
        if run:
            append_text(parent, "".join(run))

    def block(self, parent: etree._Element, node: Any) -> None:
        _BLOCK.lookup(node)(self, parent, node)

    def blocks(self, parent: etree._Element, nodes: Sequence[Any]) -> None:
        for node in nodes:
            self.block(parent, node)

    # -- inline nodes ---------------------------------------------------------

    def visit_text(self, parent: etree._Element, node: Text, ctx: _Context) -> None:
        append_text(parent, node.text)

    def visit_emphasis(self, parent: etree._Element, node: Emphasis, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/italic.html
        self.inlines(sub(parent, "italic"), node.children, ctx)

    def visit_strong(self, parent: etree._Element, node: Strong, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/bold.html
        self.inlines(sub(parent, "bold"), node.children, ctx)

    def visit_link(self, parent: etree._Element, node: Link, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/ext-link.html
        # <ext-link> may not contain <ext-link> or <xref>: a link inside a link is a
        # <named-content content-type="link"> with the same XLink attributes.
        if ctx.in_link:
            element = sub(parent, "named-content", **{"content-type": CT_LINK})
        else:
            element = sub(parent, "ext-link", **{"ext-link-type": "uri"})
        element.set(HREF, node.href)
        if node.title is not None:
            element.set(XLINK_TITLE, node.title)
        self.inlines(element, node.children, replace(ctx, in_link=True))

    def visit_term(self, parent: etree._Element, node: Term, ctx: _Context) -> None:
        # JATS 1.1 has no inline <term> (it lives in <def-item> only) and xref/@ref-type
        # has no "glossary" value; <named-content> with @rid is allowed wherever text
        # is and the DTD checks that @rid points at the glossary's <def-item>.
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/named-content.html
        element = sub(parent, "named-content", **{"content-type": CT_TERM, "rid": GLOSSARY_PREFIX + node.ref})
        self.inlines(element, node.children, replace(ctx, in_term=True))

    def visit_cite(self, parent: etree._Element, node: Cite, ctx: _Context) -> None:
        # The citation as the article's style writes it ("[2–4]", "(Danesh et al.,
        # 2014)"), its marks as emphasis elements, in a <named-content> whose @rid
        # (IDREFS) names every source it cites, in the order cited (the importer reads
        # the citation back from it); each source's piece is an <xref> to its <ref>, as
        # PMC writes them ("[<xref>2</xref>–<xref>4</xref>]"), except inside a link.
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/xref.html
        rid = " ".join(encode_key(key) for key in node.refs)
        citation = sub(parent, "named-content", **{"content-type": CT_CITATION, "rid": rid})
        for piece in self.citations.of(node):
            target = citation
            if piece.source is not None and not (ctx.in_link or ctx.in_term):
                target = sub(citation, "xref", **{"ref-type": "bibr", "rid": encode_key(piece.source)})
            for mark in sorted(piece.marks):
                target = sub(target, MARK_ELEMENTS[mark])
            if target is citation:
                append_text(citation, piece.text)
            else:
                target.text = piece.text

    def visit_span(self, parent: etree._Element, node: Span, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/attribute/xml-lang.html
        element = sub(parent, "named-content", **{"content-type": CT_LANGUAGE})
        element.set(LANG, node.lang)
        self.inlines(element, node.children, ctx)

    def visit_break(self, parent: etree._Element, node: LineBreak, ctx: _Context) -> None:
        # <break/> is only allowed as a direct child of <title>, <td>, <th> (and a few
        # elements this writer does not use); inside a paragraph it is an empty
        # <named-content content-type="line-break"/>.
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/break.html
        if parent.tag in BREAK_PARENTS:
            sub(parent, "break")
        else:
            sub(parent, "named-content", **{"content-type": CT_BREAK})

    # -- block nodes ----------------------------------------------------------

    def visit_paragraph(self, parent: etree._Element, node: Paragraph) -> None:
        self.inlines(sub(parent, "p"), node.children)

    def visit_list(self, parent: etree._Element, node: List) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/list.html
        # JATS has no start number: a list that starts elsewhere than 1 gets a <label>
        # with its number on every item.
        element = sub(parent, "list", **{"list-type": "order" if node.ordered else "bullet"})
        for number, item in enumerate(node.items, start=1 if node.start is None else node.start):
            self.visit_list_item(element, item, f"{number}." if node.start is not None else None)

    def visit_list_item(self, parent: etree._Element, node: ListItem, label: str | None) -> None:
        # <list-item> holds only <p>, <list> and <def-list>; any other block goes in a
        # <p> of its own (a <p> may hold <boxed-text>, <fig>, <table-wrap> and
        # <disp-quote>), which the importer unwraps.
        element = sub(parent, "list-item")
        if label is not None:
            sub(element, "label", label)
        for block in node.blocks:
            if isinstance(block, (Paragraph, List)):
                self.block(element, block)
            else:
                self.block(sub(element, "p"), block)

    def visit_note(self, parent: etree._Element, node: Note) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/boxed-text.html
        # The kind is the content-type; the region goes in specific-use ("region:DE").
        element = sub(
            parent,
            "boxed-text",
            **attributes(content_type=node.kind.value, specific_use=REGION_PREFIX + node.region if node.region else None),
        )
        if node.title is not None:
            sub(sub(element, "caption"), "title", node.title)
        self.blocks(element, node.blocks)

    def visit_region(self, parent: etree._Element, node: RegionalPassage) -> None:
        # A passage for some countries: a <boxed-text content-type="region">, its
        # countries in specific-use as a note's region is ("region:DE AT").
        element = sub(parent, "boxed-text", **{"content-type": CT_REGION, "specific-use": REGION_PREFIX + " ".join(node.regions)})
        self.blocks(element, node.blocks)

    def visit_figure(self, parent: etree._Element, node: Figure) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/fig.html ; alt
        # text inside <graphic> as JATS4R recommends; the credit in <attrib>.
        element = sub(parent, "fig", **attributes(id=FIGURE_PREFIX + node.id if node.id else None))
        if node.caption:
            self.inlines(sub(sub(element, "caption"), "p"), node.caption)
        graphic = sub(element, "graphic")
        graphic.set(HREF, self.image_href(node.image))
        graphic.set("mimetype", node.image.media_type.split("/")[0])
        graphic.set("mime-subtype", node.image.media_type.split("/")[1])
        sub(graphic, "alt-text", node.alt)
        if node.credit is not None:
            attrib = sub(element, "attrib")
            append_text(attrib, node.credit)

    def visit_table(self, parent: etree._Element, node: Table) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/table-wrap.html
        # (XHTML table model).
        element = sub(parent, "table-wrap", **attributes(id=TABLE_PREFIX + node.id if node.id else None))
        if node.caption:
            self.inlines(sub(sub(element, "caption"), "p"), node.caption)
        table = sub(element, "table")
        if node.head:
            thead = sub(table, "thead")
            for row in node.head:
                self.visit_table_row(thead, row, "th")
        tbody = sub(table, "tbody")
        for row in node.body:
            self.visit_table_row(tbody, row, "td")

    def visit_table_row(self, parent: etree._Element, node: TableRow, cell_tag: str) -> None:
        tr = sub(parent, "tr")
        for cell in node.cells:
            self.visit_table_cell(tr, cell, cell_tag)

    def visit_table_cell(self, parent: etree._Element, node: TableCell, tag: str) -> None:
        cell = sub(parent, tag, **attributes(align=node.align))
        self.inlines(cell, node.children)

    def visit_quote(self, parent: etree._Element, node: Quote) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/disp-quote.html
        element = sub(parent, "disp-quote")
        self.blocks(element, node.blocks)
        if node.attribution is not None:
            attrib = sub(element, "attrib")
            append_text(attrib, node.attribution)

    def visit_include(self, parent: etree._Element, node: Include) -> None:
        # A reusable block is a <boxed-text content-type="reusable-block"> whose
        # <object-id> is the block's id (several articles, or one article several
        # times, include the same block: it cannot be an XML id).
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/object-id.html
        element = sub(parent, "boxed-text", **{"content-type": CT_REUSABLE})
        sub(element, "object-id", node.ref, **{"pub-id-type": "publisher-id"})
        if node.title is not None:
            sub(sub(element, "caption"), "title", node.title)
        self.blocks(element, node.blocks)

    def visit_section(self, parent: etree._Element, node: Section) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/sec.html ; the
        # schema.org health aspect is the section's type: sec-type="TreatmentsHealthAspect".
        element = sub(
            parent,
            "sec",
            **attributes(id=SECTION_PREFIX + node.id, sec_type=node.aspect.schema_org if node.aspect else None),
        )
        self.inlines(sub(element, "title"), node.title)
        self.blocks(element, node.blocks)
        for child in node.sections:
            self.visit_section(element, child)

    # -- images ---------------------------------------------------------------

    def image_href(self, image: Image) -> str:
        """The resource path of an image: its own path, unless another image with
        other bytes already has it (then 'name-2.png', recorded in custom-meta)."""
        key = (image.path, image.media_type, image.width, image.height, image.data)
        if key in self.image_hrefs:
            return self.image_hrefs[key]
        href = image.path
        if href in self.resources:
            stem, dot, ext = image.path.rpartition(".")
            if not dot or "/" in ext:
                stem, dot, ext = image.path, "", ""
            # The names taken only grow, so the search for a free number goes on
            # from where it stopped for this name (n images of one path: n steps).
            n = self.suffixes.get(image.path, 2)
            while (href := f"{stem}-{n}{dot}{ext}") in self.taken:
                n += 1
            self.suffixes[image.path] = n
            self.image_meta.append((href, META_IMAGE_PATH, image.path))
        self.image_hrefs[key] = href
        self.taken.update((image.path, href))
        self.resources[href] = image.data
        self.image_meta.append((href, META_IMAGE_SIZE, f"{image.width}x{image.height}"))
        return href

    # -- back -----------------------------------------------------------------

    def back(self, root: etree._Element) -> None:
        a = self.article
        if not (a.references or a.back or a.glossary):
            return
        back = sub(root, "back")
        if a.references:
            write_ref_list(back, a)
        if a.back:
            # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/notes.html
            notes = sub(back, "notes", **{"notes-type": NOTES_REUSABLE})
            for include in a.back:
                self.block(notes, include)
        if a.glossary:
            # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/glossary.html ;
            # the terms of the body point here (named-content/@rid). Links back from a
            # definition to its uses are no JATS convention (the tag library has no
            # back-link element for def-list, JATS4R recommends none), so none are
            # written, unlike HTML, EPUB and DOCX (docs/exporters/jats.md).
            glossary = sub(back, "glossary")
            sub(glossary, "title", word("glossary", a.lang))
            def_list = sub(glossary, "def-list")
            for entry in a.glossary.values():
                self.visit_glossary_entry(def_list, entry)

    def visit_glossary_entry(self, parent: etree._Element, entry: GlossaryEntry) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/def-item.html
        item = sub(parent, "def-item", id=GLOSSARY_PREFIX + entry.id)
        sub(item, "term", entry.term)
        definition = sub(item, "def")
        sub(definition, "p", entry.definition)
        for synonym in entry.synonyms:
            sub(definition, "p", synonym, **{"content-type": CT_SYNONYM})

    # -- the document -----------------------------------------------------------

    def document(self) -> etree._Element:
        a = self.article
        root = etree.Element("article", nsmap=NSMAP)
        root.set("article-type", ARTICLE_TYPE)
        root.set("dtd-version", "1.1")
        root.set(LANG, a.lang)
        # The body first: it assigns the image resource paths that front's
        # custom-meta lists. front is then moved before it.
        body = etree.Element("body")
        self.blocks(body, a.blocks)
        for section in a.sections:
            self.visit_section(body, section)
        write_front(root, a, title=self.options.journal_title, issn=self.options.issn, image_meta=self.image_meta)
        if len(body):
            root.append(body)
        self.back(root)
        return root


_INLINE: Dispatch[None] = Dispatch("JATS", "inline", _Writer, INLINE_TYPES)
_BLOCK: Dispatch[None] = Dispatch("JATS", "block", _Writer, BLOCK_TYPES)


def to_tree(article: Article, options: Options | None = None) -> tuple[etree._Element, dict[str, bytes]]:
    """The JATS ``<article>`` element of ``article`` and its image resources."""
    writer = _Writer(article, options or Options())
    root = writer.document()
    return root, writer.resources


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as a JATS 1.1 Journal Publishing XML document (UTF-8, with XML
    declaration and DOCTYPE); ``resources`` holds the image files its <graphic>
    elements point at."""
    if isinstance(document, Book):
        raise ExportError(
            f"JATS holds one article per file; the book {document.id!r} cannot be exported as JATS. "
            "Export each of its articles instead."
        )
    if not isinstance(document, Article):
        raise ExportError(f"the JATS exporter takes an Article, not a {type(document).__name__}")
    root, resources = to_tree(document, options)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE)
    return Rendered(data=data + b"\n", resources=resources)
