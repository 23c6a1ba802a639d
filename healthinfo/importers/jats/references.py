"""JATS XML import: the reference list, one CSL :class:`~healthinfo.schema.Citation`
per ``<ref>/<element-citation>``.

The inverse of :mod:`healthinfo.exporters.jats.references` (the tag library's
element-citation and the JATS4R citations recommendation); the publication-type maps,
page rules and attribute values both sides agree on are in
:mod:`healthinfo.exporters.jats.vocab`.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ...exporters.jats import vocab
from ...schema import Citation, CslDate, Name
from ._errors import JatsImportError, at, unknown
from ._tree import date_parts, elements, find, integer, plain

__all__ = ["read_name", "read_person_group", "read_ref", "read_ref_list"]

#: Children of element-citation that hold one CSL field's text.
_TEXT_FIELDS = {
    "series": "collection_title",
    "edition": "edition",
    "volume": "volume",
    "issue": "issue",
    "publisher-loc": "publisher_place",
    "publisher-name": "publisher",
    "elocation-id": "page",
    "page-range": "page",
    "isbn": "ISBN",
}
#: pub-id/@pub-id-type values and their CSL fields.
_PUB_IDS = {"doi": "DOI", "pmid": "PMID", "pmcid": "PMCID"}
#: comment/@content-type values and their CSL fields (a plain comment is the note).
_COMMENTS = {vocab.CT_NUMBER: "number", vocab.CT_GENRE: "genre"}


def read_ref_list(ref_list: etree._Element) -> list[Citation]:
    """The sources of <ref-list>: its <title> is a heading (in any language), not
    content."""
    refs = []
    for ref in elements(ref_list):
        if ref.tag == "ref":
            refs.append(read_ref(ref))
        elif ref.tag != "title":
            raise unknown(ref, ref_list)
    return refs


def read_ref(ref: etree._Element) -> Citation:
    cite = find(ref, "element-citation")
    alternatives = find(ref, "citation-alternatives")
    if cite is None and alternatives is not None:
        # The structured form beside the formatted one (JATS4R): the fields are read
        # from the element-citation; the mixed-citation is the style's rendering of them.
        cite = find(alternatives, "element-citation")
    if cite is None:
        raise JatsImportError(f"{at(ref)}the source {ref.get('id')!r} has no <element-citation>")
    reader = _CitationReader({"id": vocab.decode_key(ref.get("id", ""))})
    if cite.get(vocab.LANG) is not None:
        reader.fields["language"] = cite.get(vocab.LANG)
    for child in elements(cite):
        reader.read(child, cite)
    return reader.citation(cite.get("publication-type"), cite.get("specific-use") or "")


_SEASON_MONTHS = {name: month for month, name in vocab.SEASON_NAMES.items()}


class _CitationReader:
    """The fields of one citation, gathered child by child: the title, the pages and
    the dates are only known once every child is read."""

    def __init__(self, fields: dict[str, Any]) -> None:
        self.fields = fields
        self.source: etree._Element | None = None
        self.has_own_title = False
        self.has_chapter_title = False
        self.issued_first: dict[str, int] = {}  # year, month, day
        self.issued_end: list[list[int]] = []
        self.issued_literal: str | None = None
        self.accessed: list[list[int]] = []
        self.accessed_literal: str | None = None
        self.pages: dict[str, str] = {}  # fpage, lpage

    def read(self, child: etree._Element, cite: etree._Element) -> None:
        tag, text = child.tag, plain(child)
        if tag in _TEXT_FIELDS:
            self.fields[_TEXT_FIELDS[tag]] = text
        elif tag == "person-group":
            read_person_group(child, self.fields)
        elif tag in ("article-title", "chapter-title"):
            self.fields["title"] = text
            self.has_own_title = True
            self.has_chapter_title = self.has_chapter_title or tag == "chapter-title"
        elif tag == "source":
            self.source = child
        elif tag in ("year", "month", "day"):
            self.issued_first[tag] = integer(child)
        elif tag == "season" and text.strip() in _SEASON_MONTHS:
            self.issued_first["month"] = _SEASON_MONTHS[text.strip()]
        elif tag == "date" and child.get("date-type") == vocab.DATE_ISSUED_END:
            parts = date_parts(child)
            season = child.find("season")
            if season is not None and len(parts) == 1 and plain(season).strip() in _SEASON_MONTHS:
                parts.append(_SEASON_MONTHS[plain(season).strip()])
            self.issued_end.append(parts)
        elif tag == "string-date":
            self.issued_literal = text
        elif tag in ("fpage", "lpage"):
            self.pages[tag] = text
        elif tag == "date-in-citation" and child.get("content-type") in (vocab.CT_ACCESS_DATE, vocab.CT_ACCESS_LITERAL):
            self.read_accessed(child, text)
        elif tag == "pub-id" and child.get("pub-id-type") in _PUB_IDS:
            self.fields[_PUB_IDS[child.get("pub-id-type", "")]] = text
        elif tag == "ext-link":
            self.fields["URL"] = child.get(vocab.HREF) or text
        elif tag == "comment":
            self.fields[_COMMENTS.get(child.get("content-type") or "", "note")] = text
        else:
            raise unknown(child, cite)

    def read_accessed(self, child: etree._Element, text: str) -> None:
        if child.get("content-type") == vocab.CT_ACCESS_LITERAL:
            self.accessed_literal = text
            return
        iso = child.get("iso-8601-date") or text
        try:
            self.accessed.append([int(part) for part in iso.split("-")])
        except ValueError:
            raise JatsImportError(f"{at(child)}access date {iso!r} is not YYYY-MM-DD") from None

    def citation(self, publication_type: str | None, specific_use: str) -> Citation:
        fields = self.fields
        if self.source is not None:
            # A source-titled type (book, report …) without a title of its own has its
            # title in <source>, unless the writer marked it as the container's.
            title_in_source = (
                publication_type in vocab.SOURCE_TITLED
                and not self.has_own_title
                and self.source.get("content-type") != vocab.CT_CONTAINER_TITLE
            )
            fields["title" if title_in_source else "container_title"] = plain(self.source)
        if "fpage" in self.pages:
            fpage, lpage = self.pages["fpage"], self.pages.get("lpage")
            fields["page"] = fpage if lpage is None else f"{fpage}-{lpage}"
        if "year" in self.issued_first or self.issued_literal is not None:
            first = [self.first_issued()] if "year" in self.issued_first else []
            fields["issued"] = CslDate(date_parts=[*first, *self.issued_end], literal=self.issued_literal)
        if self.accessed:
            fields["accessed"] = CslDate(date_parts=self.accessed, literal=self.accessed_literal)
        if specific_use.startswith(vocab.CSL_PREFIX):
            fields["type"] = specific_use[len(vocab.CSL_PREFIX):]
        else:
            fields["type"] = vocab.csl_type_of(publication_type, self.has_chapter_title)
        return Citation(**fields)

    def first_issued(self) -> list[int]:
        """[year, month, day] of the issued date (a day only with a month)."""
        parts = [self.issued_first["year"]]
        if "month" in self.issued_first:
            parts.append(self.issued_first["month"])
            if "day" in self.issued_first:
                parts.append(self.issued_first["day"])
        return parts


def read_person_group(group: etree._Element, fields: dict[str, Any]) -> None:
    kind = group.get("person-group-type")
    if kind not in ("author", "editor"):
        raise JatsImportError(f'{at(group)}<person-group person-group-type="{kind}"> has no place in the content model')
    names = []
    et_al = False
    for child in elements(group):
        if child.tag == "etal":
            et_al = True
        elif child.tag == "collab":
            names.append(Name(literal=plain(child)))
        elif child.tag in ("name", "string-name"):
            names.append(read_name(child))
        else:
            raise unknown(child, group)
    fields[kind] = names
    fields[f"{kind}_et_al"] = et_al


def read_name(element: etree._Element) -> Name:
    # A <string-name> holds the separators (" ", ", ") between its parts.
    fields: dict[str, str] = {}
    for part in elements(element, lenient=element.tag == "string-name"):
        text = plain(part)
        if part.tag == "surname":
            fields["family"] = text
        elif part.tag == "given-names":
            fields["given"] = text
        elif part.tag == "suffix":
            fields["suffix"] = text
        elif part.tag == "prefix" and part.get("content-type") == vocab.CT_DROPPING_PARTICLE:
            fields["dropping_particle"] = text
        elif part.tag == "prefix" and part.get("content-type") == vocab.CT_NON_DROPPING_PARTICLE:
            fields["non_dropping_particle"] = text
        elif part.tag == "prefix":
            continue  # an honorific ("Dr"): CSL has no field for it
        else:
            raise unknown(part, element)
    return Name(**fields)
