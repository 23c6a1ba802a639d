"""References in a medical (Vancouver/NLM) style, formatted once for every format from
the structured CSL data, with the words of the reference's article language (the
one table of words, ``_i18n``).

Reference: Citing Medicine, 2nd ed. (NLM), https://www.ncbi.nlm.nih.gov/books/NBK7256/
— the style most medical journals and IQWiG use. The formatter returns *segments*
(text with a role) so that each format can style or link parts (the DOI as a link,
the journal title in its own character style) without formatting twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..schema import Citation, Name
from ._i18n import words

__all__ = ["MAX_AUTHORS", "Segment", "reference_segments", "reference_text"]

Role = Literal["authors", "title", "container", "details", "doi", "pmid", "url", "note", "text"]


@dataclass(frozen=True)
class Segment:
    """A piece of a formatted reference. ``href`` is set for links (DOI, PubMed, URL)."""

    text: str
    role: Role = "text"
    href: str | None = None


#: How many authors are listed before "et al." (Citing Medicine lists up to 6; a
#: publisher that lists fewer says so in the data with author-et-al).
MAX_AUTHORS = 6


def _name(name: Name) -> str:
    if name.literal:
        return name.literal
    parts = [p for p in (name.non_dropping_particle, name.family) if p]
    if not parts:  # a person known by one name ("Banksy"): that name, whole
        return " ".join(p for p in (name.given, name.suffix) if p)
    text = " ".join(parts)
    if name.given:
        initials = name.given if name.given.replace(" ", "").isupper() and len(name.given) <= 4 else "".join(
            word[0] for word in name.given.replace("-", " ").split() if word
        )
        text += f" {initials.replace(' ', '')}"
    if name.suffix:
        text += f" {name.suffix}"
    return text


def _names(names: Sequence[Name], et_al: bool, et_al_word: str) -> str:
    shown = [_name(n) for n in names[:MAX_AUTHORS]]
    text = ", ".join(shown)
    if et_al or len(names) > MAX_AUTHORS:
        text += f", {et_al_word}"
    return text


def _end(text: str) -> str:
    """``text`` ending in a full stop (or its own ? or !)."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else text + "."


def reference_segments(citation: Citation, lang: str = "en") -> list[Segment]:
    """A reference in Vancouver/NLM style, as segments; joined they read e.g.
    ``Danesh M, Belkora J, Volz S, et al. Informational needs … J Cancer Educ.
    2014;29(1):175-180.``"""
    w = words(lang)
    out: list[Segment] = []
    if citation.author:
        out.append(Segment(_end(_names(citation.author, citation.author_et_al, w["ref_et_al"])) + " ", "authors"))
    if citation.title:
        out.append(Segment(_end(citation.title) + " ", "title"))
    kind = citation.type
    if kind == "article-journal" or (kind in ("article", "article-magazine", "article-newspaper") and citation.container_title):
        out += _journal(citation)
    elif kind == "chapter" or (citation.container_title and citation.editor):
        out += _chapter(citation, w)
    else:
        out += _other(citation)
    out += _identifiers(citation, w)
    # Tidy the joins: no empty segment, no trailing space.
    cleaned = [segment for segment in out if segment.text]
    if cleaned and cleaned[-1].href is None:
        last = cleaned[-1]
        cleaned[-1] = Segment(last.text.rstrip(), last.role, last.href)
    return cleaned


def _year(citation: Citation) -> str | None:
    # The year; a date given only as text, that text.
    date = citation.issued
    if date is None:
        return None
    return str(date.year) if date.year is not None else date.literal or date.raw


def _journal(citation: Citation) -> list[Segment]:
    """Journal. Year;Volume(Issue):Pages."""
    out: list[Segment] = []
    if citation.container_title:
        out.append(Segment(_end(citation.container_title) + " ", "container"))
    details = _year(citation) or ""
    if citation.volume:
        details += f";{citation.volume}"
    if citation.issue:
        details += f"({citation.issue})"
    if citation.page:
        details += f":{citation.page}"
    if details:
        out.append(Segment(_end(details), "details"))
    return out


def _chapter(citation: Citation, w: Mapping[str, str]) -> list[Segment]:
    """In: Editors, editors. Book. Place: Publisher; Year. p. Pages."""
    book = ""
    if citation.editor:
        editors = _names(citation.editor, citation.editor_et_al, w["ref_et_al"])
        one = len(citation.editor) == 1 and not citation.editor_et_al
        book += f"{w['ref_in']}: {editors}, {w['ref_editor'] if one else w['ref_editors']}"
        book += " " if book.endswith(".") else ". "
    elif citation.container_title:
        book += f"{w['ref_in']}: "
    out = [Segment(book, "text")]
    if citation.container_title:
        out.append(Segment(_end(citation.container_title) + " ", "container"))
    out.append(Segment(_publication(citation, _year(citation)), "details"))
    if citation.page:
        out.append(Segment(f" {w['ref_pages']} {citation.page}.", "details"))
    return out


def _other(citation: Citation) -> list[Segment]:
    """Books, reports, guidelines, web pages: Container. Number. Place: Publisher; Year."""
    out: list[Segment] = []
    if citation.container_title:
        out.append(Segment(_end(citation.container_title) + " ", "container"))
    if citation.number:
        out.append(Segment(f"{_end(citation.number)} ", "details"))
    out.append(Segment(_publication(citation, _year(citation)), "details"))
    return out


def _identifiers(citation: Citation, w: Mapping[str, str]) -> list[Segment]:
    """The note, then DOI, PubMed id and URL, each as a link."""
    out: list[Segment] = []
    if citation.note:
        out.append(Segment(" " + _end(citation.note), "note"))
    if citation.DOI:
        out += [Segment(" doi: ", "text"), Segment(citation.DOI, "doi", f"https://doi.org/{citation.DOI}")]
    if citation.PMID:
        out += [Segment(" PMID: ", "text"), Segment(citation.PMID, "pmid", f"https://pubmed.ncbi.nlm.nih.gov/{citation.PMID}/")]
    if citation.URL:
        out += [Segment(f" {w['ref_available']}: ", "text"), Segment(citation.URL, "url", citation.URL)]
    return out


def _publication(citation: Citation, year: str | None) -> str:
    place_publisher = ": ".join(p for p in (citation.publisher_place, citation.publisher) if p)
    if place_publisher and year:
        return f"{place_publisher}; {year}."
    if place_publisher:
        return _end(place_publisher)
    return f"{year}." if year else ""


def reference_text(citation: Citation, lang: str = "en") -> str:
    """The formatted reference as plain text."""
    return "".join(segment.text for segment in reference_segments(citation, lang)).replace("  ", " ").strip()
