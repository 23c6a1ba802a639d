"""Reading a JATS article back (lxml's XML parser, not the writer): its outline and
its reading (:mod:`healthinfo.checks.reading`) for the consistency check, and its text.

JATS 1.1 Journal Publishing, https://jats.nlm.nih.gov/publishing/tag-library/1.1/ ;
the attribute values and id prefixes are the plain constants of :mod:`.vocab`
(docs/exporters/jats.md has the mapping).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from ...checks.outline import SAFE_XML
from ...checks.reading import CARRIES_SOURCES, Reading, Unit, normalise, translations_text
from .vocab import (
    ALI_LICENSE_REF,
    CT_BREAK,
    CT_REGION,
    CT_REUSABLE,
    CT_SYNONYM,
    CT_TERM,
    DATE_NEXT_UPDATE,
    DATE_UPDATED,
    LANG,
    META_EDITION,
    META_REGION,
    NOTES_REUSABLE,
    REGION_PREFIX,
    RELATED_ORIGINAL,
    RELATED_TRANSLATION,
    SECTION_PREFIX,
    XLINK,
)

__all__ = ["read_readings", "read_text"]


def _itertext(element: etree._Element) -> Iterator[str]:
    # The XML parser gives str; lxml-stubs type itertext() as str | bytes.
    return cast("Iterator[str]", element.itertext())


def _is_citation(element: etree._Element) -> bool:
    return (element.tag == "xref" and element.get("ref-type") == "bibr") or (
        element.tag == "named-content" and element.get("content-type") == "citation"
    )


def read_text(data: bytes) -> str:
    return "".join(_itertext(etree.fromstring(data, SAFE_XML)))


# ---------------------------------------------------------------------------
# The reading (healthinfo.checks.reading): every text-bearing block in reading order,
# the references, the citation and glossary links, the metadata of article-meta.

#: The elements that are blocks where blocks stand (body, sec, boxed-text, disp-quote,
#: list-item and the <p> that wraps a block inside a list-item).
_BLOCKS = frozenset({"p", "list", "boxed-text", "fig", "table-wrap", "disp-quote"})
#: Children of the block containers that are no block: read by their container
#: (a section's title, a note's caption, a quote's attribution, nested sections) or
#: no text of the model (a list item's number, the model's ``start``; a reusable
#: block's id).
_NOT_BLOCKS = frozenset({"title", "caption", "attrib", "sec", "label", "object-id"})


def _local(element: etree._Element) -> str:
    return element.tag if isinstance(element.tag, str) else ""


def _is_line_break(element: etree._Element) -> bool:
    return element.tag == "break" or (element.tag == "named-content" and element.get("content-type") == CT_BREAK)


class _ReadingBuilder:
    """The units, citations and terms of one article, gathered in one pass in
    document order (the model's reading order: the body, then the reusable blocks of
    the back matter)."""

    def __init__(self, ref_positions: dict[str, int], entry_positions: dict[str, int]) -> None:
        self.ref_positions = ref_positions
        self.entry_positions = entry_positions
        self.units: list[Unit] = []
        self.citations: list[int] = []
        self.terms: list[int] = []
        #: How many links or terms the text being read is inside.
        self.linking = 0

    # -- inline text ----------------------------------------------------------

    def text(self, element: etree._Element | None) -> str:
        """The text of ``element`` as the model's inline_text gives it: without the
        citation markers ("[1, 2]"), a line break as a space. Records the citations
        and glossary links inside it, in text order."""
        if element is None:
            return ""
        parts: list[str] = []
        self._gather(element, parts)
        return normalise("".join(parts))

    def _gather(self, element: etree._Element, parts: list[str]) -> None:
        parts.append(element.text or "")
        for child in element:
            if not isinstance(child.tag, str):
                pass  # a comment or processing instruction is no text of the article
            elif _is_line_break(child):
                parts.append(" ")
            elif _is_citation(child):
                self._citation(child)
            else:
                term = child.tag == "named-content" and child.get("content-type") == CT_TERM
                if term:
                    self._term(child)
                nests = int(term or child.tag == "ext-link")
                self.linking += nests
                self._gather(child, parts)
                self.linking -= nests
            parts.append(child.tail or "")

    def _citation(self, element: etree._Element) -> None:
        # healthinfo's citation: a <named-content> whose <xref>s link each source's
        # piece ("[<xref>2</xref>–<xref>4</xref>]"); inside a link it links nowhere.
        # Another's: an <xref> whose @rid (IDREFS) names the sources it links.
        links = [element] if element.tag == "xref" else list(element.iter("xref"))
        for link in links:
            for rid in (link.get("rid") or "").split():
                if rid in self.ref_positions:
                    self.citations.append(self.ref_positions[rid])

    def _term(self, element: etree._Element) -> None:
        """A glossary link, unless inside a link or another term: links do not nest in
        the other formats, so the reading has none there (checks.reading)."""
        rid = element.get("rid") or ""
        if rid in self.entry_positions and not self.linking:
            self.terms.append(self.entry_positions[rid])

    def add(self, kind: str, text: str, note: str, depth: int = 0, id: str | None = None) -> None:
        self.units.append(Unit(kind, text, note, depth, id))

    def add_plain(self, kind: str, element: etree._Element | None, note: str) -> None:
        """A unit of plain text (a title, credit, attribution) where the output has
        one: an empty one is none, as in the model's reading (a title of white space
        is one, whose text is empty)."""
        if element is not None and "".join(_itertext(element)):
            self.add(kind, self.text(element), note)

    # -- blocks ---------------------------------------------------------------

    def blocks(self, parent: etree._Element, kind: str, note: str) -> None:
        for child in parent:
            tag = _local(child)
            if tag in _BLOCKS:
                self.block(child, kind, note)
            elif tag and tag not in _NOT_BLOCKS:
                raise ValueError(f"unexpected <{tag}> inside <{parent.tag}>")

    def block(self, element: etree._Element, kind: str, note: str) -> None:
        tag = element.tag
        if tag == "p":
            self.visit_p(element, kind, note)
        elif tag == "list":
            for item in element.iterchildren("list-item"):
                self.blocks(item, "item", note)
        elif tag == "boxed-text":
            self.visit_boxed_text(element, kind, note)
        elif tag == "fig":
            self.visit_fig(element, note)
        elif tag == "table-wrap":
            self.visit_table_wrap(element, note)
        else:
            self.visit_disp_quote(element, note)

    def visit_p(self, element: etree._Element, kind: str, note: str) -> None:
        # A block other than a paragraph or list inside a list item stands in a <p>
        # of its own (<list-item> takes only <p>, <list>, <def-list>): that <p> is no
        # paragraph of the model.
        inner = [child for child in element if _local(child) in _BLOCKS]
        if inner and not (element.text or "").strip() and all(not (c.tail or "").strip() for c in element):
            for child in inner:
                self.block(child, kind, note)
        else:
            self.add(kind, self.text(element), note)

    def visit_boxed_text(self, element: etree._Element, kind: str, note: str) -> None:
        title = element.find("caption/title")
        if element.get("content-type") == CT_REUSABLE:
            self.add_plain("block-title", title, note)
            self.blocks(element, kind, note)
            return
        if element.get("content-type") == CT_REGION:
            self.units.append(Unit("region", normalise((element.get("specific-use") or "").removeprefix(REGION_PREFIX)), note))
            self.blocks(element, kind, note)
            return
        inner = element.get("content-type") or ""
        region = element.get("specific-use") or ""
        if region.startswith(REGION_PREFIX):
            inner += "/" + region[len(REGION_PREFIX):]
        self.add_plain("note-title", title, inner)
        self.blocks(element, kind, inner)

    def visit_fig(self, element: etree._Element, note: str) -> None:
        # The model's order is alt text, caption, credit; JATS writes the caption
        # first (fig's content model) and the alt text inside <graphic> (JATS4R).
        caption = element.find("caption/p")
        caption_text = self.text(caption) if caption is not None else None
        self.add("alt", self.text(element.find("graphic/alt-text")), note)
        if caption_text is not None:
            self.add("caption", caption_text, note)
        self.add_plain("credit", element.find("attrib"), note)

    def visit_table_wrap(self, element: etree._Element, note: str) -> None:
        caption = element.find("caption/p")
        if caption is not None:
            self.add("caption", self.text(caption), note)
        table = element.find("table")
        if table is None:
            raise ValueError("a <table-wrap> without its <table>")
        for row in table.iter("tr"):
            for cell in row:
                if cell.tag in ("th", "td"):
                    self.add("cell", self.text(cell), note)

    def visit_disp_quote(self, element: etree._Element, note: str) -> None:
        self.blocks(element, "quote", note)
        self.add_plain("attribution", element.find("attrib"), note)

    def sections(self, parent: etree._Element, depth: int) -> None:
        for sec in parent.iterchildren("sec"):
            sec_id = sec.get("id") or ""
            self.add(
                "heading",
                self.text(sec.find("title")),
                "",
                depth=depth,
                id=sec_id[len(SECTION_PREFIX):] if sec_id.startswith(SECTION_PREFIX) else sec_id or None,
            )
            self.blocks(sec, "paragraph", "")
            self.sections(sec, depth + 1)


def _required(parent: etree._Element, path: str) -> etree._Element:
    element = parent.find(path)
    if element is None:
        raise ValueError(f"the JATS article has no <{path}> in <{parent.tag}>")
    return element


def _plain(element: etree._Element | None) -> str:
    return "" if element is None else normalise("".join(_itertext(element)))


def _date(element: etree._Element | None) -> str:
    """A JATS date as ISO: YYYY-MM-DD from its day, month and year, a year alone
    (a planned next update) as YYYY."""
    if element is None:
        return ""
    parts = [element.findtext(tag) for tag in ("year", "month", "day")]
    if parts[0] is None:
        return element.get("iso-8601-date") or ""
    numbers = [int(part) for part in parts if part is not None]
    shown = "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])
    iso = element.get("iso-8601-date")
    # The two forms of one date must agree: a reader may take either.
    return shown if iso is None or iso == shown else f"{shown} | {iso}"


def _metadata(root: etree._Element, meta: etree._Element) -> dict[str, str]:
    """The METADATA keys from their JATS places: article-meta, journal-meta's
    publisher, the article's xml:lang, custom-meta for the region (no JATS home)."""
    region = edition = ""
    for custom in meta.iterfind("custom-meta-group/custom-meta"):
        if custom.findtext("meta-name") == META_REGION:
            region = _plain(custom.find("meta-value"))
        elif custom.findtext("meta-name") == META_EDITION:
            edition = _plain(custom.find("meta-value"))
    return {
        "title": _plain(meta.find("title-group/article-title")),
        "topic": _plain(meta.find("article-categories/subj-group[@subj-group-type='topic']/subject")),
        "lang": root.get(LANG) or "",
        "publisher": _plain(root.find("front/journal-meta/publisher/publisher-name")),
        "updated": _date(meta.find(f"pub-date[@date-type='{DATE_UPDATED}']")),
        "next_update": _date(meta.find(f"history/date[@date-type='{DATE_NEXT_UPDATE}']")),
        "region": region,
        "rights": _plain(meta.find("permissions/copyright-statement")),
        "license": _plain(meta.find(f"permissions/license/{ALI_LICENSE_REF}")),
        "edition": edition,
        "translations": translations_text(
            (str(related.get(LANG)), related.get("related-article-type") == RELATED_ORIGINAL)
            for related in meta.iterfind("related-article")
            if related.get("related-article-type") in (RELATED_ORIGINAL, RELATED_TRANSLATION)
        ),
    }


def _reference_text(ref: etree._Element, lang: str) -> str:
    """The text of a source as a reader of the JATS sees it: its <mixed-citation>
    (healthinfo writes one beside each <element-citation>, in citation-alternatives)
    as it stands; a source with an <element-citation> only, what a renderer formats
    from its fields (the importer's reader of element-citation, then the default CSL
    style)."""
    mixed = ref.find("mixed-citation")
    if mixed is None:
        mixed = ref.find("citation-alternatives/mixed-citation")
    if mixed is not None:
        return _plain(mixed)
    # Imported here: the importer's package imports this exporter's vocab.
    from ...csl import format_references
    from ...importers.jats import JatsImportError
    from ...importers.jats.references import read_ref
    from .._references import segments_text

    try:
        return normalise(segments_text(format_references([read_ref(ref)], lang)[0]))
    except JatsImportError as error:
        raise ValueError(str(error)) from error


def _source_fields(ref: etree._Element) -> str:
    """The fields of a source: its <element-citation> (in citation-alternatives or
    alone) as the importer reads it, as JSON (the model's side:
    :func:`healthinfo.checks.reading.source_fields`). A source without one is no
    healthinfo JATS: partners' pipelines read the structured form."""
    from ...importers.jats import JatsImportError
    from ...importers.jats.references import read_ref

    try:
        return read_ref(ref).model_dump_json(by_alias=True, exclude_defaults=True)
    except JatsImportError as error:
        raise ValueError(str(error)) from error


def _glossary(back: etree._Element | None) -> tuple[tuple[str, str], ...]:
    if back is None:
        return ()
    return tuple(
        (
            _plain(item.find("term")),
            normalise(" ".join(_plain(p) for p in item.iterfind("def/p") if p.get("content-type") != CT_SYNONYM)),
        )
        for item in back.iterfind("glossary/def-list/def-item")
    )


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One Reading per article: one for an article's file, one per article (in order) for a book's.

    JATS holds one article per file: the reading of its <article>, with everything
    JATS carries (section ids, note regions in boxed-text/@specific-use, citation and
    glossary links as @rid) and every METADATA key."""
    root = etree.fromstring(data, SAFE_XML)
    if root.tag != "article":
        raise ValueError(f"the root element is <{root.tag}>, not a JATS <article>")
    meta = _required(root, "front/article-meta")
    back = root.find("back")
    refs = [] if back is None else list(back.iterfind("ref-list/ref"))
    entries = [] if back is None else list(back.iterfind("glossary/def-list/def-item"))
    builder = _ReadingBuilder(
        {ref.get("id") or "": n for n, ref in enumerate(refs, 1)},
        {entry.get("id") or "": n for n, entry in enumerate(entries, 1)},
    )
    body = root.find("body")
    if body is not None:
        builder.blocks(body, "paragraph", "")
        builder.sections(body, 1)
    body_units = len(builder.units)
    if back is not None:
        for notes in back.iterfind(f"notes[@notes-type='{NOTES_REUSABLE}']"):
            builder.blocks(notes, "paragraph", "")
    lang = root.get(LANG) or ""
    article_id = meta.findtext("article-id[@pub-id-type='publisher-id']")
    return (
        Reading(
            units=tuple(builder.units),
            references=tuple(_reference_text(ref, lang) for ref in refs),
            sources=tuple(_source_fields(ref) for ref in refs),
            citations=tuple(builder.citations),
            glossary=_glossary(back),
            terms=tuple(builder.terms),
            metadata=_metadata(root, meta),
            carries=CARRIES_SOURCES,
            id=article_id,
            back=len(builder.units) - body_units,
            resources=tuple(dict.fromkeys(
                href for graphic in root.iter("graphic") if (href := graphic.get(f"{{{XLINK}}}href")) and "://" not in href
            )),
        ),
    )

