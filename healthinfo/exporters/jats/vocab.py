"""JATS XML: the vocabulary healthinfo's JATS writer and its importer share.

JATS 1.1 Journal Publishing (NISO Z39.96-2015),
https://jats.nlm.nih.gov/publishing/tag-library/1.1/ , and the JATS4R recommendations,
https://jats4r.org/ . The tag library fixes the elements; the values written into
their free-text attributes (``@content-type``, ``@date-type``, ``meta-name``, id
prefixes …) are healthinfo's choices, and the writer (:mod:`.writer`, :mod:`.front`,
:mod:`.references`) and the reader (:mod:`healthinfo.importers.jats`) must agree on
them. They live here, once, with the few pure functions both sides apply (bibliography
keys as XML ids, page ranges, CSL <-> JATS publication types, ISO dates). This module
builds no tree and reads none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "ALI",
    "ALI_LICENSE_REF",
    "ARTICLE_TYPE",
    "CSL_PREFIX",
    "CSL_TO_JATS",
    "CT_ACCESS_DATE",
    "CT_ACCESS_LITERAL",
    "CT_BREAK",
    "CT_CITATION",
    "CT_CONTAINER_TITLE",
    "CT_DROPPING_PARTICLE",
    "CT_GENRE",
    "CT_LANGUAGE",
    "CT_LINK",
    "CT_NON_DROPPING_PARTICLE",
    "CT_NUMBER",
    "CT_REGION",
    "CT_REUSABLE",
    "CT_SYNONYM",
    "CT_TERM",
    "DATE_ISSUED_END",
    "DATE_NEXT_UPDATE",
    "DATE_PUBLISHED",
    "DATE_UPDATED",
    "DOCTYPE",
    "FIGURE_PREFIX",
    "GLOSSARY_PREFIX",
    "HREF",
    "JATS_TO_CSL",
    "LANG",
    "META_AUDIENCE",
    "META_EDITION",
    "META_IMAGE_PATH",
    "META_IMAGE_SIZE",
    "META_REGION",
    "META_SCHEMA_VERSION",
    "NOTES_REUSABLE",
    "NSMAP",
    "ORCID_URI",
    "PUBLIC_ID",
    "REF_PREFIX",
    "REGION_PREFIX",
    "RELATED_ORIGINAL",
    "RELATED_TRANSLATION",
    "SECTION_PREFIX",
    "SHORT_NAME",
    "SOURCE_TITLED",
    "SYSTEM_ID",
    "TABLE_PREFIX",
    "XLINK",
    "XLINK_TITLE",
    "XML",
    "csl_type_of",
    "decode_key",
    "encode_key",
    "iso_date",
    "split_page",
]

# ---------------------------------------------------------------------------
# The document type and the namespaces

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
#: JATS4R permissions: the licence URI as <license><ali:license_ref>.
ALI_LICENSE_REF = f"{{{ALI}}}license_ref"

#: https://jats.nlm.nih.gov/publishing/tag-library/1.1/attribute/article-type.html —
#: patient information is none of the research or editorial types; "other" says so
#: honestly instead of passing it off as a "review-article".
ARTICLE_TYPE = "other"

# ---------------------------------------------------------------------------
# Ids

# Prefixes that make model ids XML ids (an XML id cannot start with a digit) and keep
# the id spaces of sections, figures, tables, glossary entries and sources apart.
SECTION_PREFIX = "sec-"
FIGURE_PREFIX = "fig-"
TABLE_PREFIX = "tbl-"
GLOSSARY_PREFIX = "gloss-"
REF_PREFIX = "ref-"

# ---------------------------------------------------------------------------
# Attribute values of the body and the back

# content-type values of <named-content> for the inline nodes that have no element of
# their own in JATS, or whose element is not allowed where the node stands.
CT_TERM = "term"
CT_LANGUAGE = "language"
CT_BREAK = "line-break"
CT_LINK = "link"
CT_CITATION = "citation"
#: content-type of <boxed-text> for an included reusable block.
CT_REUSABLE = "reusable-block"
#: content-type of <boxed-text> for a regional passage (its countries in specific-use,
#: "region:DE AT").
CT_REGION = "region"
#: notes-type of the <notes> in <back> that holds ``Article.back``.
NOTES_REUSABLE = "reusable-blocks"
#: Prefix of <boxed-text specific-use> that records a note's region.
REGION_PREFIX = "region:"
#: content-type of the <p> in a glossary <def> that holds a synonym.
CT_SYNONYM = "synonym"

# ---------------------------------------------------------------------------
# The front

#: pub-date/@date-type and history date/@date-type values.
DATE_PUBLISHED = "pub"
DATE_UPDATED = "update"
DATE_NEXT_UPDATE = "next-update"
#: related-article/@related-article-type of an article's other language versions: the
#: original it translates (SciELO's "translated-article"), a translation of it or of
#: its original ("translation", as sub-article/@article-type names one).
RELATED_ORIGINAL = "translated-article"
RELATED_TRANSLATION = "translation"
#: meta-name values of custom-meta.
META_SCHEMA_VERSION = "healthinfo-schema-version"
META_AUDIENCE = "audience"
META_REGION = "region"
META_EDITION = "edition"
META_IMAGE_SIZE = "image-size"
META_IMAGE_PATH = "image-path"
#: collab/@specific-use of the publisher's short name in <collab-alternatives>.
SHORT_NAME = "short-name"
#: JATS4R: an ORCID iD is written as a full https URI.
ORCID_URI = "https://orcid.org/"

# ---------------------------------------------------------------------------
# The reference list

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
#: A CSL season (date-parts month 21-24) as the text of a JATS <season>.
SEASON_NAMES = {21: "Spring", 22: "Summer", 23: "Autumn", 24: "Winter"}
#: prefix/@content-type of the CSL name particles inside a <string-name>.
CT_DROPPING_PARTICLE = "dropping-particle"
CT_NON_DROPPING_PARTICLE = "non-dropping-particle"


# ---------------------------------------------------------------------------
# The functions both sides apply


def encode_key(key: str) -> str:
    """A bibliography key as the XML id of its <ref>: 'ref-' + the key with every
    character other than ASCII letters, digits, '.' and '-' written as '_' and its
    code in hex: two digits below U+0100 ('_' is '_5F', ':' '_3A', '/' '_2F'), else
    'U' and six ('_U01F600'). Reversible, and an XML id for any key (a Zotero URI too)."""
    out = []
    for char in key:
        if char.isascii() and (char.isalnum() or char in ".-"):
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"_{ord(char):02X}")
        else:
            out.append(f"_U{ord(char):06X}")
    return REF_PREFIX + "".join(out)


def decode_key(ref_id: str) -> str:
    """The bibliography key of a <ref> id written by :func:`encode_key`."""
    if not ref_id.startswith(REF_PREFIX):
        raise ValueError(f"reference id {ref_id!r} does not start with {REF_PREFIX!r}")
    body = ref_id[len(REF_PREFIX):]
    return re.sub(r"_(?:U([0-9A-F]{6})|([0-9A-F]{2}))", lambda m: chr(int(m.group(1) or m.group(2), 16)), body)


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
