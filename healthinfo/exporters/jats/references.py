"""JATS XML: the reference list, one ``<element-citation>`` per CSL item.

References: the Journal Publishing tag library,
https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/element-citation.html ,
and the JATS4R citations recommendation, https://jats4r.org/citations/ . The CSL
fields in :data:`WRITTEN` have their place, so that :mod:`healthinfo.importers.jats`
reads back an equal citation; a source with other variables gets the warning
``jats:citation-variables`` naming them. The values the two sides agree on are in
:mod:`.vocab`.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ...schema import Article, Citation, CslDate, Name
from .._base import warn
from .._i18n import word
from .._references import Segment, article_references
from ._tree import sub
from .vocab import (
    CSL_PREFIX,
    CSL_TO_JATS,
    CT_ACCESS_DATE,
    CT_ACCESS_LITERAL,
    CT_CONTAINER_TITLE,
    CT_DROPPING_PARTICLE,
    CT_GENRE,
    CT_NON_DROPPING_PARTICLE,
    CT_NUMBER,
    DATE_ISSUED_END,
    HREF,
    LANG,
    SEASON_NAMES,
    SOURCE_TITLED,
    csl_type_of,
    encode_key,
    iso_date,
    split_page,
)

__all__ = ["element_citation", "person_group", "visit_citation", "visit_name", "write_ref_list"]


def write_ref_list(back: etree._Element, article: Article) -> None:
    """The <ref-list> of ``back``: its heading in the article's language, then the
    sources numbered from 1 (the numbers the body's citations show)."""
    ref_list = sub(back, "ref-list")
    sub(ref_list, "title", word("references", article.lang))
    entries = article_references(article)
    for number, (citation, entry) in enumerate(zip(article.references, entries, strict=True), start=1):
        visit_citation(ref_list, citation, number, entry)


def visit_citation(parent: etree._Element, c: Citation, number: int, entry: Sequence[Segment] = ()) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/element-citation.html
    # and the JATS4R citations recommendation: the structured element-citation and,
    # with a formatted entry, the mixed-citation (the entry as the article's CSL style
    # wrote it) side by side in citation-alternatives.
    ref = sub(parent, "ref", id=encode_key(c.id))
    sub(ref, "label", str(number))
    holder = sub(ref, "citation-alternatives") if entry else ref
    element_citation(holder, c)
    publication_type = CSL_TO_JATS.get(c.type, "other")
    left_out = unwritten_variables(c)
    if left_out:
        warn("jats:citation-variables", f"the source {c.id!r} has {', '.join(left_out)}, for which healthinfo's "
             "element-citation has no place yet; the JATS leaves them out")
    if entry:
        mixed = sub(holder, "mixed-citation", **{"publication-type": publication_type})
        if c.language is not None:
            mixed.set(LANG, c.language)
        _mixed(mixed, entry)


#: How a formatted reference's marks are tagged in JATS (the emphasis elements).
MARK_ELEMENTS = {"italic": "italic", "bold": "bold", "smallcaps": "sc", "superscript": "sup",
                  "subscript": "sub", "underline": "underline"}
_PUB_ID = {"doi": "doi", "pmid": "pmid", "pmcid": "pmcid"}


def _mixed(mixed: etree._Element, entry: Sequence[Segment]) -> None:
    """The formatted entry as mixed content: its marks as emphasis elements, an
    identifier printed as itself as <pub-id>, other links as <ext-link>."""
    for segment in entry:
        if segment.role in _PUB_ID and _is_identifier(segment):
            target = sub(mixed, "pub-id", **{"pub-id-type": _PUB_ID[segment.role]})
        elif segment.href is not None:
            target = sub(mixed, "ext-link", **{"ext-link-type": "uri"})
            target.set(HREF, segment.href)
        else:
            target = mixed
        for mark in sorted(segment.marks):
            target = sub(target, MARK_ELEMENTS[mark])
        _append_text(mixed, target, segment.text)


def _is_identifier(segment: Segment) -> bool:
    # The DOI as "10.1136/…" (not as its web address), a PubMed id as its number.
    if segment.role == "doi":
        return segment.href == f"https://doi.org/{segment.text}"
    return segment.text.isalnum()


def _append_text(mixed: etree._Element, target: etree._Element, text: str) -> None:
    if target is not mixed:
        target.text = text
        return
    last = mixed[-1] if len(mixed) else None
    if last is None:
        mixed.text = (mixed.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def element_citation(parent: etree._Element, c: Citation) -> etree._Element:
    """The <element-citation> of ``c`` in ``parent``: its fields as JATS tags them
    (what it has no place for, :func:`unwritten_variables`, left out)."""
    publication_type = CSL_TO_JATS.get(c.type, "other")
    cite = sub(parent, "element-citation", **{"publication-type": publication_type})
    if c.language is not None:
        cite.set(LANG, c.language)
    _element_citation(cite, c, publication_type)
    return cite


def _element_citation(cite: etree._Element, c: Citation, publication_type: str) -> None:
    person_group(cite, "author", c.author, c.author_et_al)
    person_group(cite, "editor", c.editor, c.editor_et_al)
    has_chapter_title = _titles(cite, c, publication_type)
    if csl_type_of(publication_type, has_chapter_title) != c.type:
        cite.set("specific-use", CSL_PREFIX + c.type)
    _publication(cite, c)
    if c.page is not None:
        _page(cite, c.page)
    if c.accessed is not None:
        _accessed(cite, c.accessed)
    _identifiers(cite, c)
    _comments(cite, c)


#: The fields of a Citation that the element-citation above writes (and the importer
#: reads back); a date's circa, season field and raw text, and a name's comma-suffix
#: and static-ordering flags, are not among them.
WRITTEN = frozenset({
    "id", "type", "language", "author", "author_et_al", "editor", "editor_et_al", "title", "container_title",
    "collection_title", "edition", "publisher_place", "publisher", "issued", "volume", "issue", "page", "accessed",
    "DOI", "PMID", "PMCID", "ISBN", "URL", "number", "genre", "note",
})


def unwritten_variables(c: Citation) -> list[str]:
    """The CSL names of the variables of ``c`` that the JATS does not carry."""
    names = [
        field.alias or name
        for name, field in Citation.model_fields.items()
        if name not in WRITTEN and getattr(c, name) not in (None, (), False)
    ]
    for name in ("issued", "accessed"):
        date = getattr(c, name)
        if date is not None:
            names += [f"{name}.{part}" for part in ("season", "circa", "raw") if getattr(date, part) not in (None, False)]
    for name in ("author", "editor"):  # <name> and <string-name> have no place for CSL's name flags
        names += [f"{name}.{flag.replace('_', '-')}" for flag in ("comma_suffix", "static_ordering")
                  if any(getattr(person, flag) for person in getattr(c, name))]
    return names


def _titles(cite: etree._Element, c: Citation, publication_type: str) -> bool:
    """The title and the container title; whether a <chapter-title> was written (the
    reader tells a chapter from a book by it)."""
    # JATS4R: the title of a book, report, thesis … is its <source>, unless it sits in
    # a container (then the container is the source and the title an article-title).
    title_in_source = publication_type in SOURCE_TITLED and c.type != "chapter" and c.container_title is None
    has_chapter_title = False
    if c.title is not None and not title_in_source:
        if c.type == "chapter":
            sub(cite, "chapter-title", c.title)
            has_chapter_title = True
        else:
            sub(cite, "article-title", c.title)
    if title_in_source and c.title is not None:
        sub(cite, "source", c.title)
    elif c.container_title is not None:
        source = sub(cite, "source", c.container_title)
        if c.title is None and publication_type in SOURCE_TITLED:
            # Without the mark a reader would take it for the item's own title.
            source.set("content-type", CT_CONTAINER_TITLE)
    return has_chapter_title


def _publication(cite: etree._Element, c: Citation) -> None:
    """Series, edition, publisher, the issued date, volume and issue."""
    if c.collection_title is not None:
        sub(cite, "series", c.collection_title)
    if c.edition is not None:
        sub(cite, "edition", c.edition)
    if c.publisher_place is not None:
        sub(cite, "publisher-loc", c.publisher_place)
    if c.publisher is not None:
        sub(cite, "publisher-name", c.publisher)
    if c.issued is not None:
        _issued(cite, c.issued)
    if c.volume is not None:
        sub(cite, "volume", c.volume)
    if c.issue is not None:
        sub(cite, "issue", c.issue)


def _page(cite: etree._Element, page: str) -> None:
    # fpage/lpage where the page is a plain range, elocation-id for an article
    # number ("e123"), page-range for anything else, so that the string comes back.
    how, first, last = split_page(page)
    if how in ("range", "first"):
        sub(cite, "fpage", first)
        if last is not None:
            sub(cite, "lpage", last)
    elif how == "elocation":
        sub(cite, "elocation-id", first)
    else:
        sub(cite, "page-range", first)


def _accessed(cite: etree._Element, accessed: CslDate) -> None:
    # JATS4R: the access date is a <date-in-citation content-type="access-date">.
    for parts in accessed.date_parts:
        sub(cite, "date-in-citation", iso_date(parts), **{"content-type": CT_ACCESS_DATE, "iso-8601-date": iso_date(parts)})
    if accessed.literal is not None:
        sub(cite, "date-in-citation", accessed.literal, **{"content-type": CT_ACCESS_LITERAL})


def _identifiers(cite: etree._Element, c: Citation) -> None:
    for value, kind in ((c.DOI, "doi"), (c.PMID, "pmid"), (c.PMCID, "pmcid")):
        if value is not None:
            sub(cite, "pub-id", value, **{"pub-id-type": kind})
    if c.ISBN is not None:
        sub(cite, "isbn", c.ISBN)
    if c.URL is not None:
        link = sub(cite, "ext-link", c.URL, **{"ext-link-type": "uri"})
        link.set(HREF, c.URL)


def _comments(cite: etree._Element, c: Citation) -> None:
    if c.number is not None:
        sub(cite, "comment", c.number, **{"content-type": CT_NUMBER})
    if c.genre is not None:
        sub(cite, "comment", c.genre, **{"content-type": CT_GENRE})
    if c.note is not None:
        # AWMF register numbers and other notes (JATS4R: <comment>).
        sub(cite, "comment", c.note)


def person_group(cite: etree._Element, kind: str, names: Sequence[Name], et_al: bool) -> None:
    """<person-group person-group-type="author"/"editor">, with <etal/> at its end."""
    if not names and not et_al:
        return
    group = sub(cite, "person-group", **{"person-group-type": kind})
    for name in names:
        visit_name(group, name)
    if et_al:
        sub(group, "etal")


def visit_name(parent: etree._Element, name: Name) -> None:
    # https://jats.nlm.nih.gov/publishing/tag-library/1.1/element/name.html ; an
    # organisation is a <collab>. <name> has no place for particles ("van", "de"):
    # a name with particles is a <string-name> whose <prefix content-type> elements
    # say which particle they are.
    if name.literal is not None:
        sub(parent, "collab", name.literal)
        return
    if name.dropping_particle is None and name.non_dropping_particle is None:
        element = sub(parent, "name")
        if name.family is not None:  # JATS 1.1: (surname, given-names?) | given-names
            sub(element, "surname", name.family)
        if name.given is not None:
            sub(element, "given-names", name.given)
        if name.suffix is not None:
            sub(element, "suffix", name.suffix)
        return
    element = sub(parent, "string-name")
    if name.given is not None:
        sub(element, "given-names", name.given).tail = " "
    if name.dropping_particle is not None:
        sub(element, "prefix", name.dropping_particle, **{"content-type": CT_DROPPING_PARTICLE}).tail = " "
    if name.non_dropping_particle is not None:
        sub(element, "prefix", name.non_dropping_particle, **{"content-type": CT_NON_DROPPING_PARTICLE}).tail = " "
    if name.family is not None:
        sub(element, "surname", name.family)
    else:  # no space after the last part
        element[-1].tail = None
    if name.suffix is not None:
        element[-1].tail = ", "
        sub(element, "suffix", name.suffix)


def _issued(cite: etree._Element, date: CslDate) -> None:
    # The first date as year (with @iso-8601-date), month (or season), day; the end of
    # a range as <date date-type="issued-end">; a literal date as <string-date>.
    if date.date_parts:
        first = date.date_parts[0]
        sub(cite, "year", str(first[0]), **{"iso-8601-date": iso_date(first)})
        if len(first) > 1:
            _month(cite, first[1])
        if len(first) > 2:
            sub(cite, "day", f"{first[2]:02d}")
    for parts in date.date_parts[1:]:
        end = sub(cite, "date", **{"date-type": DATE_ISSUED_END, "iso-8601-date": iso_date(parts)})
        if len(parts) > 2:
            sub(end, "day", f"{parts[2]:02d}")
        if len(parts) > 1:
            _month(end, parts[1])
        sub(end, "year", str(parts[0]))
    if date.literal is not None:
        sub(cite, "string-date", date.literal)


def _month(parent: etree._Element, month: int) -> None:
    # A month, or a season (CSL's months 21-24) as <season> by its English name.
    if month in SEASON_NAMES:
        sub(parent, "season", SEASON_NAMES[month])
    else:
        sub(parent, "month", f"{month:02d}")
