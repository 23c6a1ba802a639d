"""From the model to citeproc-js and back: a :class:`~healthinfo.schema.Citation` as the
CSL-JSON item the processor reads, and the processor's HTML as text segments that
every format styles and links in its own way.

Two conventions of the model that CSL-JSON has no variable for are carried through:

- ``author-et-al`` / ``editor-et-al`` (the source lists more names than the data
  holds): the processor gets one stand-in name after the known ones, so the style's
  own et-al rule applies (the seed's house style: "Volz S et al."); where the style
  would print every name, the stand-in becomes the locale's "et al." term.
- A given name written as initials without full stops (``HJ``, PubMed's form) is given
  to the processor as ``H. J.``, so that a style that initialises names keeps both
  initials ("Lück HJ"; citeproc-js would read ``HJ`` as one name and write "Lück H").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, ClassVar, Literal

from lxml import etree

from ..schema import Citation
from .styles import CSL_NS, locale_xml

__all__ = ["ETAL_MARK", "Mark", "Segment", "csl_item", "segments_from_html"]

#: The stand-in name for "and others" (a private-use character no source contains).
ETAL_MARK = "\ue000"

Role = Literal["text", "doi", "pmid", "pmcid", "url"]
Mark = Literal["italic", "bold", "smallcaps", "superscript", "subscript", "underline"]


@dataclass(frozen=True)
class Segment:
    """A piece of a formatted reference: its text, how the style sets it (``marks``) and,
    for a link (DOI, PubMed, PubMed Central, web address), where it leads."""

    text: str
    role: Role = "text"
    href: str | None = None
    marks: frozenset[Mark] = field(default_factory=frozenset)


_INITIALS = re.compile(r"^[^\W\d_]{2,4}$")


def _given(given: str) -> str:
    # "HJ" (upper-case letters only, up to four) is two initials; "Ho" or "Anna" a name.
    if _INITIALS.match(given) and given.isupper():
        return " ".join(f"{letter}." for letter in given)
    return given


def csl_item(citation: Citation) -> dict[str, Any]:
    """``citation`` as a CSL-JSON item for citeproc-js."""
    item: dict[str, Any] = citation.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    for role, flag in (("author", "author-et-al"), ("editor", "editor-et-al")):
        item.pop(flag, None)
        names = item.get(role)
        if names:
            for name in names:
                if name.get("given") and not name.get("literal"):
                    name["given"] = _given(name["given"])
        if getattr(citation, f"{role}_et_al") and names:
            item[role] = [*names, {"literal": ETAL_MARK}]
    if "custom" in item and isinstance(item["custom"], str):
        item["custom"] = json.loads(item["custom"])
    return item


@dataclass(frozen=True)
class _Terms:
    et_al: str
    and_word: str


def _terms(locale: str) -> _Terms:
    root = etree.fromstring(locale_xml(locale).encode("utf-8"))
    found: dict[str, str] = {}
    for term in root.iter(f"{{{CSL_NS}}}term"):
        name = term.get("name")
        if name in ("et-al", "and") and term.get("form") in (None, "long") and name not in found:
            found[name] = (term.text or "").strip()
    return _Terms(found.get("et-al", "et al."), found.get("and", "and"))


def _replace_mark(html: str, locale: str) -> str:
    """The stand-in name, where the style printed it, as the locale's "et al."."""
    if ETAL_MARK not in html:
        return html
    terms = _terms(locale)
    connector = rf"(?:&amp;|&#38;|{re.escape(terms.and_word)}|and)"
    pattern = re.compile(rf"(,)?\s*(?:{connector}\s+)?(?:<[^>]+>)*{ETAL_MARK}(?:</[^>]+>)*(\.)?")

    def word(match: re.Match[str]) -> str:
        text = (", " if match.group(1) else " ") + terms.et_al
        if match.group(2) and not text.endswith("."):
            text += "."
        return text

    return pattern.sub(word, html)


class _Parser(HTMLParser):
    """citeproc-js's HTML output (html.parser, the standard library's) as segments."""

    _MARKS: ClassVar[dict[str, Mark]] = {"i": "italic", "em": "italic", "b": "bold", "strong": "bold", "sup": "superscript",
                               "sub": "subscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[Segment] = []
        self.stack: list[tuple[str, frozenset[Mark], bool]] = []  # tag, marks it adds, hidden
        self.href: str | None = None

    def _marks(self) -> frozenset[Mark]:
        out: set[Mark] = set()
        for _, marks, _ in self.stack:
            out |= marks
        return frozenset(out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        marks: set[Mark] = set()
        if tag in self._MARKS:
            marks.add(self._MARKS[tag])
        style = (values.get("style") or "").replace(" ", "")
        if "font-variant:small-caps" in style:
            marks.add("smallcaps")
        if "font-style:italic" in style:
            marks.add("italic")
        if "font-weight:bold" in style:
            marks.add("bold")
        if "text-decoration:underline" in style:
            marks.add("underline")
        # The list number (second-field-align): each format numbers the list itself.
        hidden = "csl-left-margin" in (values.get("class") or "").split()
        if tag == "a":
            self.href = values.get("href")
        self.stack.append((tag, frozenset(marks), hidden))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _, _ = self.stack.pop()
            if open_tag == tag:
                break
        if tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        if any(hidden for _, _, hidden in self.stack):
            return
        role: Role = "text"
        if self.href is not None:
            role = "doi" if self.href.startswith("https://doi.org/") else "url"
        marks = self._marks()
        last = self.segments[-1] if self.segments else None
        if last is not None and last.href is None and self.href is None and last.marks == marks:
            self.segments[-1] = Segment(last.text + data, "text", None, marks)
        else:
            self.segments.append(Segment(data, role, self.href, marks))


_SPACE = re.compile(r"\s+")


def segments_from_html(html: str, locale: str, citation: Citation, number: int) -> tuple[Segment, ...]:
    """citeproc-js's HTML entry of ``citation`` as segments: whitespace as one space,
    no list number (the ``number``-th entry's, where the style writes it inline), the
    PubMed and PubMed Central ids linked."""
    parser = _Parser()
    parser.feed(_replace_mark(html, locale))
    parser.close()
    segments = [Segment(_SPACE.sub(" ", s.text), s.role, s.href, s.marks) for s in parser.segments]
    segments = [s for s in segments if s.text]
    if segments and segments[0].href is None:
        first = segments[0]
        text = re.sub(rf"^\s*\[?{number}\]?\.?\s+", "", first.text).lstrip()
        segments[0] = Segment(text, first.role, first.href, first.marks)
    if segments and segments[-1].href is None:
        last = segments[-1]
        segments[-1] = Segment(last.text.rstrip(), last.role, last.href, last.marks)
    segments = [s for s in segments if s.text]
    return tuple(_link_ids(segments, citation))


def _link_ids(segments: list[Segment], citation: Citation) -> list[Segment]:
    ids: list[tuple[str, Role, str]] = []
    if citation.PMID:
        ids.append((citation.PMID, "pmid", f"https://pubmed.ncbi.nlm.nih.gov/{citation.PMID}/"))
    if citation.PMCID:
        pmcid = citation.PMCID if citation.PMCID.upper().startswith("PMC") else f"PMC{citation.PMCID}"
        ids.append((citation.PMCID, "pmcid", f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmcid}/"))
    for value, role, href in ids:
        out: list[Segment] = []
        done = False
        for s in segments:
            at = -1 if done or s.href is not None else _find_id(s.text, value)
            if at < 0:
                out.append(s)
                continue
            before, after = s.text[:at], s.text[at + len(value):]
            pieces: tuple[tuple[str, Role, str | None], ...] = (
                (before, "text", None), (value, role, href), (after, "text", None))
            out += [Segment(t, r, h, s.marks) for t, r, h in pieces if t]
            done = True
        segments = out
    return segments


def _find_id(text: str, value: str) -> int:
    # The id as a whole number, not a part of another (PMID 123 in "1234").
    for match in re.finditer(re.escape(value), text):
        start, end = match.span()
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
            return start
    return -1
