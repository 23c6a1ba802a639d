"""JATS XML: an article as a JATS 1.1 Journal Publishing document (NISO Z39.96-2015).

Reference: the Journal Publishing tag library,
https://jats.nlm.nih.gov/publishing/tag-library/1.1/ , and the JATS4R recommendations,
https://jats4r.org/ . The output is valid against the official DTD
(``JATS-journalpublishing1.dtd``) and :func:`healthinfo.importers.read_jats` reads it
back into an equal :class:`~healthinfo.schema.Article`. docs/exporters/jats.md has the
whole mapping, field by field, and the reasons for each choice.

The shape of the document:

- ``front``: ``journal-meta`` stands for the publisher's health-information series,
  ``article-meta`` holds the article's metadata; what JATS has no element for
  (audience, region, image sizes) goes into ``custom-meta``.
- ``body``: lead blocks, then nested ``sec``.
- ``back``: ``ref-list`` (one ``element-citation`` per source), the reusable blocks
  shown after the sources (``notes``), the ``glossary``.

The tree is built with lxml and serialised once, without pretty-printing (indentation
would add text to mixed content), so escaping is lxml's and the bytes are the same for
the same article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pydantic import Field

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Book,
    Citation,
    Cite,
    CslDate,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Name,
    Note,
    Paragraph,
    Quote,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
)
from ...schema.publisher import Person
from .._base import ExportError, ExportOptions, Rendered
from .._dispatch import Dispatch
from .._i18n import word

__all__ = [
    "EXTENSION",
    "MEDIA_TYPE",
    "NAME",
    "PUBLIC_ID",
    "SYSTEM_ID",
    "Options",
    "render",
]

NAME = "jats"
EXTENSION = ".xml"
MEDIA_TYPE = "application/jats+xml"
#: JATS holds one article per document: a book is exported article by article.
ACCEPTS_BOOKS = False

#: The public and system identifiers of the JATS 1.1 Journal Publishing DTD.
PUBLIC_ID = "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN"
SYSTEM_ID = "JATS-journalpublishing1.dtd"
DOCTYPE = f'<!DOCTYPE article PUBLIC "{PUBLIC_ID}" "{SYSTEM_ID}">'

XLINK = "http://www.w3.org/1999/xlink"
ALI = "http://www.niso.org/schemas/ali/1.0/"
XML = "http://www.w3.org/XML/1998/namespace"
NSMAP = {"xlink": XLINK, "ali": ALI}

HREF = f"{{{XLINK}}}href"
XLINK_TITLE = f"{{{XLINK}}}title"
LANG = f"{{{XML}}}lang"

#: https://jats.nlm.nih.gov/publishing/tag-library/1.1/attribute/article-type.html —
#: patient information is none of the research or editorial types; "other" says so
#: honestly instead of passing it off as a "review-article".
ARTICLE_TYPE = "other"

# Prefixes that make model ids XML ids (an XML id cannot start with a digit) and keep
# the id spaces of sections, figures, tables, glossary entries and sources apart.
SECTION_PREFIX = "sec-"
FIGURE_PREFIX = "fig-"
TABLE_PREFIX = "tbl-"
GLOSSARY_PREFIX = "gloss-"
REF_PREFIX = "ref-"

# content-type values of <named-content> for the inline nodes that have no element of
# their own in JATS, or whose element is not allowed where the node stands.
CT_TERM = "term"
CT_LANGUAGE = "language"
CT_BREAK = "line-break"
CT_LINK = "link"
CT_CITATION = "citation"
#: content-type of <boxed-text> for an included reusable block.
CT_REUSABLE = "reusable-block"
#: notes-type of the <notes> in <back> that holds ``Article.back``.
NOTES_REUSABLE = "reusable-blocks"
#: Prefix of <boxed-text specific-use> that records a note's region.
REGION_PREFIX = "region:"
#: content-type of the <p> in a glossary <def> that holds a synonym.
CT_SYNONYM = "synonym"
#: pub-date/@date-type and history date/@date-type values.
DATE_PUBLISHED = "pub"
DATE_UPDATED = "update"
DATE_NEXT_UPDATE = "next-update"
#: meta-name values of custom-meta.
META_SCHEMA_VERSION = "healthinfo-schema-version"
META_AUDIENCE = "audience"
META_REGION = "region"
META_IMAGE_SIZE = "image-size"
META_IMAGE_PATH = "image-path"

#: <break/> is only allowed as a direct child of these (of the elements this writer
#: puts inline runs in); elsewhere a line break is <named-content content-type="line-break"/>.
BREAK_PARENTS = frozenset({"title", "td", "th"})
#: <ext-link> and <xref> may contain neither <ext-link> nor <xref>.
LINK_ELEMENTS = frozenset({"ext-link", "xref"})

# CSL item type -> element-citation/@publication-type (JATS4R citations
# recommendation). A type that does not come back from the publication type (chapter
# without chapter-title, the CSL types JATS has no name for) is written in
# element-citation/@specific-use as "csl:<type>".
CSL_TO_JATS: dict[str, str] = {
    "article": "journal",
    "article-journal": "journal",
    "article-magazine": "magazine",
    "article-newspaper": "newspaper",
    "book": "book",
    "chapter": "book",
    "report": "report",
    "webpage": "webpage",
    "post-weblog": "webpage",
    "paper-conference": "confproc",
    "thesis": "thesis",
    "patent": "patent",
    "dataset": "data",
    "software": "software",
    "standard": "standard",
    "legislation": "legal-doc",
    "bill": "legal-doc",
    "regulation": "legal-doc",
    "legal_case": "legal-doc",
    "treaty": "legal-doc",
    "review": "journal",
    "review-book": "journal",
    "entry-encyclopedia": "book",
    "entry-dictionary": "book",
}
JATS_TO_CSL: dict[str, str] = {
    "journal": "article-journal",
    "magazine": "article-magazine",
    "newspaper": "article-newspaper",
    "book": "book",
    "report": "report",
    "webpage": "webpage",
    "confproc": "paper-conference",
    "thesis": "thesis",
    "patent": "patent",
    "data": "dataset",
    "software": "software",
    "standard": "standard",
    "legal-doc": "legislation",
}
#: Publication types whose own title is the <source> (JATS4R: a book's title is its source).
SOURCE_TITLED = frozenset({"book", "report", "thesis", "data", "software", "standard", "patent", "legal-doc", "other"})
CSL_PREFIX = "csl:"
#: source/@content-type when a source-titled citation has only a container title.
CT_CONTAINER_TITLE = "container-title"
#: comment/@content-type for the CSL fields that have no element of their own.
CT_NUMBER = "number"
CT_GENRE = "genre"
#: date-in-citation/@content-type of an access date (JATS4R).
CT_ACCESS_DATE = "access-date"
CT_ACCESS_LITERAL = "access-date-literal"
#: date/@date-type of the end of an issued date range.
DATE_ISSUED_END = "issued-end"

_ISSN = r"^\d{4}-\d{3}[\dX]$"


class Options(ExportOptions):
    """Options of the JATS exporter."""

    journal_title: str | None = Field(
        default=None,
        min_length=1,
        description=(
            "Title of the publisher's health-information series, written as "
            "journal-meta/journal-title. Default: the publisher's short name (or name) "
            "followed by ' health information'."
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


# ---------------------------------------------------------------------------
# Shared helpers (also used by healthinfo.importers.jats)


def encode_key(key: str) -> str:
    """A bibliography key as the XML id of its <ref>: 'ref-' + the key with '_', ':'
    and '/' written as '_5F', '_3A', '_2F' (an XML id cannot hold '/'). Reversible."""
    out = []
    for char in key:
        if char in "_:/":
            out.append(f"_{ord(char):02X}")
        else:
            out.append(char)
    return REF_PREFIX + "".join(out)


def decode_key(ref_id: str) -> str:
    """The bibliography key of a <ref> id written by :func:`encode_key`."""
    if not ref_id.startswith(REF_PREFIX):
        raise ValueError(f"reference id {ref_id!r} does not start with {REF_PREFIX!r}")
    body = ref_id[len(REF_PREFIX):]
    return re.sub(r"_([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), body)


def split_page(page: str) -> tuple[str, str | None, str | None]:
    """How a CSL ``page`` is written: ("range", first, last), ("first", page, None),
    ("elocation", page, None) or ("page-range", page, None). Each way reads back to
    exactly the same string."""
    match = re.fullmatch(r"([A-Za-z]*\d+)-([A-Za-z]*\d+)", page)
    if match:
        return "range", match.group(1), match.group(2)
    if re.fullmatch(r"\d+", page):
        return "first", page, None
    if re.fullmatch(r"[A-Za-z]+\d+", page):
        return "elocation", page, None
    return "page-range", page, None


def csl_type_of(publication_type: str | None, has_chapter_title: bool) -> str:
    """The CSL type a reader infers from @publication-type (without csl: hint)."""
    if publication_type == "book" and has_chapter_title:
        return "chapter"
    return JATS_TO_CSL.get(publication_type or "", "document")


def iso_date(parts: Sequence[int]) -> str:
    """[2024, 1, 23] -> '2024-01-23'; [2027] -> '2027'."""
    text = f"{parts[0]:04d}" if parts[0] >= 0 else str(parts[0])
    for part in parts[1:]:
        text += f"-{part:02d}"
    return text


# ---------------------------------------------------------------------------
# The writer


def _text(parent: etree._Element, text: str) -> None:
    """Append character data at the end of ``parent`` (mixed content)."""
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        element.set(key, value)
    if text:
        element.text = text
    return element


def _attrs(**attrs: str | None) -> dict[str, str]:
    return {k.replace("_", "-"): v for k, v in attrs.items() if v is not None}


@dataclass(frozen=True)
class _Context:
    """Where an inline node is written: inside a link (no <ext-link>/<xref> then)."""

    in_link: bool = False


class _Writer:
    """Builds the JATS tree of one article. One ``visit_<node>`` per node type of the
    schema, in schema order; an unknown node type raises ExportError."""

    def __init__(self, article: Article, options: Options) -> None:
        self.article = article
        self.options = options
        self.ref_numbers = {c.id: n for n, c in enumerate(article.references, start=1)}
        #: resource path -> bytes, and the image (path, type, size, bytes) -> resource path
        self.resources: dict[str, bytes] = {}
        self.image_hrefs: dict[tuple[str, str, int, int, bytes], str] = {}
        self.image_meta: list[tuple[str, str, str]] = []  # (href, meta-name, value)

    # -- dispatch ---------------------------------------------------------

    def inline(self, parent: etree._Element, node: Any, ctx: _Context) -> None:
        _INLINE.lookup(node)(self, parent, node, ctx)

    def inlines(self, parent: etree._Element, nodes: Sequence[Any], ctx: _Context | None = None) -> None:
        for node in nodes:
            self.inline(parent, node, ctx or _Context())

    def block(self, parent: etree._Element, node: Any) -> None:
        _BLOCK.lookup(node)(self, parent, node)

    def blocks(self, parent: etree._Element, nodes: Sequence[Any]) -> None:
        for node in nodes:
            self.block(parent, node)

    # -- inline nodes ---------------------------------------------------------

    def visit_text(self, parent: etree._Element, node: Text, ctx: _Context) -> None:
        _text(parent, node.text)

    def visit_emphasis(self, parent: etree._Element, node: Emphasis, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/italic.html
        self.inlines(_sub(parent, "italic"), node.children, ctx)

    def visit_strong(self, parent: etree._Element, node: Strong, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/bold.html
        self.inlines(_sub(parent, "bold"), node.children, ctx)

    def visit_link(self, parent: etree._Element, node: Link, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/ext-link.html
        # <ext-link> may not contain <ext-link> or <xref>: a link inside a link is a
        # <named-content content-type="link"> with the same XLink attributes.
        if ctx.in_link:
            element = _sub(parent, "named-content", **{"content-type": CT_LINK})
        else:
            element = _sub(parent, "ext-link", **{"ext-link-type": "uri"})
        element.set(HREF, node.href)
        if node.title is not None:
            element.set(XLINK_TITLE, node.title)
        self.inlines(element, node.children, _Context(in_link=True))

    def visit_term(self, parent: etree._Element, node: Term, ctx: _Context) -> None:
        # JATS 1.1 has no inline <term> (it lives in <def-item> only) and xref/@ref-type
        # has no "glossary" value; <named-content> with @rid is allowed wherever text
        # is and the DTD checks that @rid points at the glossary's <def-item>.
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/named-content.html
        element = _sub(parent, "named-content", **{"content-type": CT_TERM, "rid": GLOSSARY_PREFIX + node.ref})
        self.inlines(element, node.children, ctx)

    def visit_cite(self, parent: etree._Element, node: Cite, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/xref.html
        # One <xref> for the whole citation (@rid is IDREFS), so that [1, 2] stays one
        # citation; its text is the sources' numbers in the reference list.
        rid = " ".join(encode_key(key) for key in node.refs)
        label = "[" + ", ".join(str(self.ref_numbers[key]) for key in node.refs) + "]"
        if ctx.in_link:
            _sub(parent, "named-content", label, **{"content-type": CT_CITATION, "rid": rid})
        else:
            _sub(parent, "xref", label, **{"ref-type": "bibr", "rid": rid})

    def visit_span(self, parent: etree._Element, node: Span, ctx: _Context) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/attribute/xml-lang.html
        element = _sub(parent, "named-content", **{"content-type": CT_LANGUAGE})
        element.set(LANG, node.lang)
        self.inlines(element, node.children, ctx)

    def visit_break(self, parent: etree._Element, node: LineBreak, ctx: _Context) -> None:
        # <break/> is only allowed as a direct child of <title>, <td>, <th> (and a few
        # elements this writer does not use); inside a paragraph it is an empty
        # <named-content content-type="line-break"/>.
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/break.html
        if parent.tag in BREAK_PARENTS:
            _sub(parent, "break")
        else:
            _sub(parent, "named-content", **{"content-type": CT_BREAK})

    # -- block nodes ----------------------------------------------------------

    def visit_paragraph(self, parent: etree._Element, node: Paragraph) -> None:
        self.inlines(_sub(parent, "p"), node.children)

    def visit_list(self, parent: etree._Element, node: List) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/list.html
        # JATS has no start number: a list that starts elsewhere than 1 gets a <label>
        # with its number on every item.
        element = _sub(parent, "list", **{"list-type": "order" if node.ordered else "bullet"})
        for number, item in enumerate(node.items, start=1 if node.start is None else node.start):
            self.visit_list_item(element, item, f"{number}." if node.start is not None else None)

    def visit_list_item(self, parent: etree._Element, node: ListItem, label: str | None) -> None:
        # <list-item> holds only <p>, <list> and <def-list>; any other block goes in a
        # <p> of its own (a <p> may hold <boxed-text>, <fig>, <table-wrap> and
        # <disp-quote>), which the importer unwraps.
        element = _sub(parent, "list-item")
        if label is not None:
            _sub(element, "label", label)
        for block in node.blocks:
            if isinstance(block, (Paragraph, List)):
                self.block(element, block)
            else:
                self.block(_sub(element, "p"), block)

    def visit_note(self, parent: etree._Element, node: Note) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/boxed-text.html
        # The kind is the content-type; the region goes in specific-use ("region:DE").
        element = _sub(
            parent,
            "boxed-text",
            **_attrs(content_type=node.kind.value, specific_use=REGION_PREFIX + node.region if node.region else None),
        )
        if node.title is not None:
            _sub(_sub(element, "caption"), "title", node.title)
        self.blocks(element, node.blocks)

    def visit_figure(self, parent: etree._Element, node: Figure) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/fig.html ; alt
        # text inside <graphic> as JATS4R recommends; the credit in <attrib>.
        element = _sub(parent, "fig", **_attrs(id=FIGURE_PREFIX + node.id if node.id else None))
        if node.caption:
            self.inlines(_sub(_sub(element, "caption"), "p"), node.caption)
        graphic = _sub(element, "graphic")
        graphic.set(HREF, self.image_href(node.image))
        graphic.set("mimetype", node.image.media_type.split("/")[0])
        graphic.set("mime-subtype", node.image.media_type.split("/")[1])
        _sub(graphic, "alt-text", node.alt)
        if node.credit is not None:
            attrib = _sub(element, "attrib")
            _text(attrib, node.credit)

    def visit_table(self, parent: etree._Element, node: Table) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/table-wrap.html
        # (XHTML table model).
        element = _sub(parent, "table-wrap", **_attrs(id=TABLE_PREFIX + node.id if node.id else None))
        if node.caption:
            self.inlines(_sub(_sub(element, "caption"), "p"), node.caption)
        table = _sub(element, "table")
        if node.head:
            thead = _sub(table, "thead")
            for row in node.head:
                self.visit_table_row(thead, row, "th")
        tbody = _sub(table, "tbody")
        for row in node.body:
            self.visit_table_row(tbody, row, "td")

    def visit_table_row(self, parent: etree._Element, node: TableRow, cell_tag: str) -> None:
        tr = _sub(parent, "tr")
        for cell in node.cells:
            self.visit_table_cell(tr, cell, cell_tag)

    def visit_table_cell(self, parent: etree._Element, node: TableCell, tag: str) -> None:
        cell = _sub(parent, tag, **_attrs(align=node.align))
        self.inlines(cell, node.children)

    def visit_quote(self, parent: etree._Element, node: Quote) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/disp-quote.html
        element = _sub(parent, "disp-quote")
        self.blocks(element, node.blocks)
        if node.attribution is not None:
            attrib = _sub(element, "attrib")
            _text(attrib, node.attribution)

    def visit_include(self, parent: etree._Element, node: Include) -> None:
        # A reusable block is a <boxed-text content-type="reusable-block"> whose
        # <object-id> is the block's id (several articles, or one article several
        # times, include the same block: it cannot be an XML id).
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/object-id.html
        element = _sub(parent, "boxed-text", **{"content-type": CT_REUSABLE})
        _sub(element, "object-id", node.ref, **{"pub-id-type": "publisher-id"})
        if node.title is not None:
            _sub(_sub(element, "caption"), "title", node.title)
        self.blocks(element, node.blocks)

    def visit_section(self, parent: etree._Element, node: Section) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/sec.html ; the
        # schema.org health aspect is the section's type: sec-type="TreatmentsHealthAspect".
        element = _sub(
            parent,
            "sec",
            **_attrs(id=SECTION_PREFIX + node.id, sec_type=node.aspect.schema_org if node.aspect else None),
        )
        self.inlines(_sub(element, "title"), node.title)
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
            n = 2
            taken = {k[0] for k in self.image_hrefs} | set(self.resources)
            while (href := f"{stem}-{n}{dot}{ext}") in taken:
                n += 1
            self.image_meta.append((href, META_IMAGE_PATH, image.path))
        self.image_hrefs[key] = href
        self.resources[href] = image.data
        self.image_meta.append((href, META_IMAGE_SIZE, f"{image.width}x{image.height}"))
        return href

    # -- front ----------------------------------------------------------------

    def front(self, root: etree._Element) -> None:
        a = self.article
        front = _sub(root, "front")
        self.journal_meta(front)
        meta = _sub(front, "article-meta")
        _sub(meta, "article-id", a.id, **{"pub-id-type": "publisher-id"})
        if a.topic is not None:
            group = _sub(_sub(meta, "article-categories"), "subj-group", **{"subj-group-type": "topic"})
            _sub(group, "subject", a.topic)
        _sub(_sub(meta, "title-group"), "article-title", a.title)
        self.contrib_group(meta)
        if a.published is not None:
            self.date(meta, "pub-date", a.published, DATE_PUBLISHED)
        self.date(meta, "pub-date", a.updated, DATE_UPDATED)
        if a.next_update is not None:
            self.date(_sub(meta, "history"), "date", a.next_update, DATE_NEXT_UPDATE)
        self.permissions(meta)
        if a.url is not None:
            _sub(meta, "self-uri").set(HREF, a.url)
        if a.description is not None:
            _sub(_sub(meta, "abstract"), "p", a.description)
        if a.keywords:
            group = _sub(meta, "kwd-group")
            for keyword in a.keywords:
                _sub(group, "kwd", keyword)
        self.custom_meta(meta)

    def journal_meta(self, front: etree._Element) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/journal-meta.html
        publisher = self.article.publisher
        meta = _sub(front, "journal-meta")
        _sub(meta, "journal-id", publisher.id, **{"journal-id-type": "publisher-id"})
        title = self.options.journal_title or word("series", self.article.lang).format(publisher=publisher.short_name or publisher.name)
        _sub(_sub(meta, "journal-title-group"), "journal-title", title)
        # The Publishing DTD requires an <issn>; pandoc's JATS writer, too, writes an
        # empty one when the journal has none, rather than a made-up number.
        _sub(meta, "issn", self.options.issn)
        element = _sub(meta, "publisher")
        _sub(element, "publisher-name", publisher.name)
        if publisher.address is not None or publisher.country or publisher.email or publisher.url:
            loc = _sub(element, "publisher-loc")
            parts: list[etree._Element] = []
            if publisher.address is not None:
                parts.append(_sub(loc, "addr-line", publisher.address))
            if publisher.country:
                parts.append(_sub(loc, "country", publisher.country, country=publisher.country))
            if publisher.email:
                parts.append(_sub(loc, "email", publisher.email))
            if publisher.url:
                uri = _sub(loc, "uri", publisher.url)
                uri.set(HREF, publisher.url)
                parts.append(uri)
            for part in parts[:-1]:
                part.tail = ", "

    def contrib_group(self, meta: etree._Element) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/contrib.html
        group = _sub(meta, "contrib-group")
        for person in self.article.authors:
            self.person(group, person, "author")
        for person in self.article.reviewers:
            self.person(group, person, "reviewer")
        publisher = self.article.publisher
        contrib = _sub(group, "contrib", **{"contrib-type": "publisher"})
        if publisher.short_name is not None:
            # collab-alternatives: the same organisation's name in other forms.
            alternatives = _sub(contrib, "collab-alternatives")
            _sub(alternatives, "collab", publisher.name)
            _sub(alternatives, "collab", publisher.short_name, **{"specific-use": "short-name"})
        else:
            _sub(contrib, "collab", publisher.name)

    def person(self, group: etree._Element, person: Person, kind: str) -> None:
        contrib = _sub(group, "contrib", **{"contrib-type": kind})
        if person.orcid:
            # JATS4R: the ORCID iD as a full https URI.
            _sub(contrib, "contrib-id", f"https://orcid.org/{person.orcid}", **{"contrib-id-type": "orcid"})
        # The model keeps a person's name as one string (no family/given split). In the
        # Publishing tag set <contrib> cannot hold <string-name> directly, only inside
        # <name-alternatives>.
        _sub(_sub(contrib, "name-alternatives"), "string-name", person.name)
        if person.affiliation is not None:
            _sub(contrib, "aff", person.affiliation)

    def date(self, parent: etree._Element, tag: str, value: Any, date_type: str) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/pub-date.html
        if isinstance(value, int):
            element = _sub(parent, tag, **{"date-type": date_type, "iso-8601-date": f"{value:04d}"})
            _sub(element, "year", str(value))
            return
        attrs = {"date-type": date_type, "iso-8601-date": value.isoformat()}
        if tag == "pub-date":
            attrs = {"publication-format": "electronic", **attrs}
        element = _sub(parent, tag, **attrs)
        _sub(element, "day", f"{value.day:02d}")
        _sub(element, "month", f"{value.month:02d}")
        _sub(element, "year", f"{value.year:04d}")

    def permissions(self, meta: etree._Element) -> None:
        # JATS4R permissions: statement, year and holder together; the licence as
        # <license><ali:license_ref>.
        a = self.article
        if a.rights is None and a.license is None:
            return
        element = _sub(meta, "permissions")
        if a.rights is not None:
            _sub(element, "copyright-statement", a.rights)
            _sub(element, "copyright-year", str((a.published or a.updated).year))
            _sub(element, "copyright-holder", a.publisher.name)
        if a.license is not None:
            _sub(_sub(element, "license"), f"{{{ALI}}}license_ref", a.license)

    def custom_meta(self, meta: etree._Element) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/custom-meta.html
        a = self.article
        group = _sub(meta, "custom-meta-group")

        def add(name: str, value: str, href: str | None = None) -> None:
            item = _sub(group, "custom-meta")
            if href is not None:
                item.set(HREF, href)
            _sub(item, "meta-name", name)
            _sub(item, "meta-value", value)

        add(META_SCHEMA_VERSION, a.schema_version)
        add(META_AUDIENCE, a.audience.value)
        if a.region is not None:
            add(META_REGION, a.region)
        for href, name, value in self.image_meta:
            add(name, value, href)

    # -- back -----------------------------------------------------------------

    def back(self, root: etree._Element) -> None:
        a = self.article
        if not (a.references or a.back or a.glossary):
            return
        back = _sub(root, "back")
        if a.references:
            ref_list = _sub(back, "ref-list")
            _sub(ref_list, "title", word("references", a.lang))
            for number, citation in enumerate(a.references, start=1):
                self.visit_citation(ref_list, citation, number)
        if a.back:
            # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/notes.html
            notes = _sub(back, "notes", **{"notes-type": NOTES_REUSABLE})
            for include in a.back:
                self.block(notes, include)
        if a.glossary:
            glossary = _sub(back, "glossary")
            _sub(glossary, "title", word("glossary", a.lang))
            def_list = _sub(glossary, "def-list")
            for entry in a.glossary.values():
                self.visit_glossary_entry(def_list, entry)

    def visit_glossary_entry(self, parent: etree._Element, entry: GlossaryEntry) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/def-item.html
        item = _sub(parent, "def-item", id=GLOSSARY_PREFIX + entry.id)
        _sub(item, "term", entry.term)
        definition = _sub(item, "def")
        _sub(definition, "p", entry.definition)
        for synonym in entry.synonyms:
            _sub(definition, "p", synonym, **{"content-type": CT_SYNONYM})

    def visit_citation(self, parent: etree._Element, c: Citation, number: int) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/element-citation.html
        # and the JATS4R citations recommendation.
        ref = _sub(parent, "ref", id=encode_key(c.id))
        _sub(ref, "label", str(number))
        publication_type = CSL_TO_JATS.get(c.type, "other")
        cite = _sub(ref, "element-citation", **{"publication-type": publication_type})
        if c.language is not None:
            cite.set(LANG, c.language)
        self.person_group(cite, "author", c.author, c.author_et_al)
        self.person_group(cite, "editor", c.editor, c.editor_et_al)
        title_in_source = publication_type in SOURCE_TITLED and c.type != "chapter" and c.container_title is None
        has_chapter_title = False
        if c.title is not None and not title_in_source:
            if c.type == "chapter":
                _sub(cite, "chapter-title", c.title)
                has_chapter_title = True
            else:
                _sub(cite, "article-title", c.title)
        if title_in_source and c.title is not None:
            _sub(cite, "source", c.title)
        elif c.container_title is not None:
            source = _sub(cite, "source", c.container_title)
            if c.title is None and publication_type in SOURCE_TITLED:
                source.set("content-type", CT_CONTAINER_TITLE)
        if csl_type_of(publication_type, has_chapter_title) != c.type:
            cite.set("specific-use", CSL_PREFIX + c.type)
        if c.collection_title is not None:
            _sub(cite, "series", c.collection_title)
        if c.edition is not None:
            _sub(cite, "edition", c.edition)
        if c.publisher_place is not None:
            _sub(cite, "publisher-loc", c.publisher_place)
        if c.publisher is not None:
            _sub(cite, "publisher-name", c.publisher)
        if c.issued is not None:
            self.issued(cite, c.issued)
        if c.volume is not None:
            _sub(cite, "volume", c.volume)
        if c.issue is not None:
            _sub(cite, "issue", c.issue)
        if c.page is not None:
            how, first, last = split_page(c.page)
            if how in ("range", "first"):
                _sub(cite, "fpage", first)
                if last is not None:
                    _sub(cite, "lpage", last)
            elif how == "elocation":
                _sub(cite, "elocation-id", first)
            else:
                _sub(cite, "page-range", first)
        if c.accessed is not None:
            for parts in c.accessed.date_parts:
                _sub(cite, "date-in-citation", iso_date(parts), **{"content-type": CT_ACCESS_DATE, "iso-8601-date": iso_date(parts)})
            if c.accessed.literal is not None:
                _sub(cite, "date-in-citation", c.accessed.literal, **{"content-type": CT_ACCESS_LITERAL})
        for value, kind in ((c.DOI, "doi"), (c.PMID, "pmid"), (c.PMCID, "pmcid")):
            if value is not None:
                _sub(cite, "pub-id", value, **{"pub-id-type": kind})
        if c.ISBN is not None:
            _sub(cite, "isbn", c.ISBN)
        if c.URL is not None:
            link = _sub(cite, "ext-link", c.URL, **{"ext-link-type": "uri"})
            link.set(HREF, c.URL)
        if c.number is not None:
            _sub(cite, "comment", c.number, **{"content-type": CT_NUMBER})
        if c.genre is not None:
            _sub(cite, "comment", c.genre, **{"content-type": CT_GENRE})
        if c.note is not None:
            # AWMF register numbers and other notes (JATS4R: <comment>).
            _sub(cite, "comment", c.note)

    def person_group(self, cite: etree._Element, kind: str, names: Sequence[Name], et_al: bool) -> None:
        if not names and not et_al:
            return
        group = _sub(cite, "person-group", **{"person-group-type": kind})
        for name in names:
            self.visit_name(group, name)
        if et_al:
            _sub(group, "etal")

    def visit_name(self, parent: etree._Element, name: Name) -> None:
        # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/name.html ; an
        # organisation is a <collab>. <name> has no place for particles ("van", "de"):
        # a name with particles is a <string-name> whose <prefix content-type> elements
        # say which particle they are.
        if name.literal is not None:
            _sub(parent, "collab", name.literal)
            return
        if name.dropping_particle is None and name.non_dropping_particle is None:
            element = _sub(parent, "name")
            _sub(element, "surname", name.family)
            if name.given is not None:
                _sub(element, "given-names", name.given)
            if name.suffix is not None:
                _sub(element, "suffix", name.suffix)
            return
        element = _sub(parent, "string-name")
        if name.given is not None:
            _sub(element, "given-names", name.given).tail = " "
        if name.dropping_particle is not None:
            _sub(element, "prefix", name.dropping_particle, **{"content-type": "dropping-particle"}).tail = " "
        if name.non_dropping_particle is not None:
            _sub(element, "prefix", name.non_dropping_particle, **{"content-type": "non-dropping-particle"}).tail = " "
        _sub(element, "surname", name.family)
        if name.suffix is not None:
            element[-1].tail = ", "
            _sub(element, "suffix", name.suffix)

    def issued(self, cite: etree._Element, date: CslDate) -> None:
        first = date.date_parts[0]
        _sub(cite, "year", str(first[0]), **{"iso-8601-date": iso_date(first)})
        if len(first) > 1:
            _sub(cite, "month", f"{first[1]:02d}")
        if len(first) > 2:
            _sub(cite, "day", f"{first[2]:02d}")
        for parts in date.date_parts[1:]:
            end = _sub(cite, "date", **{"date-type": DATE_ISSUED_END, "iso-8601-date": iso_date(parts)})
            if len(parts) > 2:
                _sub(end, "day", f"{parts[2]:02d}")
            if len(parts) > 1:
                _sub(end, "month", f"{parts[1]:02d}")
            _sub(end, "year", str(parts[0]))
        if date.literal is not None:
            _sub(cite, "string-date", date.literal)

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
        self.front(root)
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
