"""In-text citations formatted by CSL: each citation of an article (the sources one
``{cite}`` names) as the article's style writes it in the text — "[1]", "[2–4]", a
superscript "1,2", "(Danesh et al., 2014; Wu & McSweeney, 2007)" — in pieces, each
piece that stands for a source naming it, so that a format can link it to its entry.

citeproc-js formats the clusters of an article together, in text order (its
disambiguation — "2001a", "2001b" — and its citation numbers, which follow the order
first cited, need all of them). It writes each cluster twice: as the style writes it,
and with its citation wrapper, which marks each source's piece but leaves out the
layout's prefix and suffix ("[" and "]"); the marked text is found inside the plain one,
and what is around it is the prefix and the suffix. A number's source is the item of
that number; in a collapsed range ("2–4") the numbers in between have no piece.

citeproc-js numbers the sources in the order first cited; a source's number in the
formats is its place in the article's list, which the loader puts in that order
(:func:`healthinfo.csl.bibliography_order`). Sources given in another order (an article
built in Python) are first cited all at once, in their order, by a citation that is not
shown, so that the numbers stay their places (docs/references.md, "In-text citations").
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schema import Citation, CitationStyle
from .engine import render_citations
from .items import Mark, _Parser, _replace_mark, csl_item
from .styles import locale_id

__all__ = ["CitationPiece", "citation_text", "format_citations"]

_OPEN, _BETWEEN, _CLOSE = "\x01", "\x02", "\x03"


@dataclass(frozen=True)
class CitationPiece:
    """A piece of an in-text citation: its text, how the style sets it (``marks``) and,
    for the piece that stands for a source, that source's id (``source``)."""

    text: str
    source: str | None = None
    marks: frozenset[Mark] = field(default_factory=frozenset)


def format_citations(
    citations: Sequence[Citation],
    clusters: Sequence[Sequence[str]],
    lang: str,
    style: CitationStyle | None = None,
) -> tuple[tuple[CitationPiece, ...], ...]:
    """The in-text citations ``clusters`` (each the ids, among ``citations``, of the
    sources one citation names, in text order) as ``style`` (default:
    nlm-citation-sequence) writes them in the locale of ``lang``: one tuple of pieces
    per cluster. A source's number is its place in ``citations`` (unless the style
    sorts its bibliography: then its place in the style's order, which
    :func:`healthinfo.csl.bibliography_order` gives). A style citeproc-js cannot use is
    a :class:`StyleError`."""
    from . import default_style, sorts_bibliography

    if not clusters:
        return ()
    chosen = style or default_style()
    order = [c.id for c in citations]
    first = list(dict.fromkeys(key for cluster in clusters for key in cluster))
    # citeproc-js numbers in the order first cited: a citation of every source, in the
    # list's order, first (and not shown) makes its numbers the places in the list.
    hidden = not sorts_bibliography(chosen.csl) and first != order[:len(first)]
    items = tuple(json.dumps(csl_item(c), ensure_ascii=False, sort_keys=True) for c in citations)
    asked = tuple(tuple(cluster) for cluster in clusters)
    return _format(chosen.csl, locale_id(lang), items, ((*order,), *asked) if hidden else asked)[int(hidden):]


@functools.lru_cache(maxsize=256)
def _format(
    style: str, locale: str, items: tuple[str, ...], clusters: tuple[tuple[str, ...], ...]
) -> tuple[tuple[CitationPiece, ...], ...]:
    # Cached: a build renders an article's citations once for the formats a process writes.
    rendered = render_citations(style, locale, [json.loads(item) for item in items], clusters)
    out = []
    for plain, marked in zip(rendered.plain, rendered.marked, strict=True):
        out.append(_pieces(_replace_mark(plain, locale), _replace_mark(marked, locale), rendered.numbered))
    return tuple(out)


def _pieces(plain: str, marked: str, numbered: Sequence[str]) -> tuple[CitationPiece, ...]:
    inner = _strip_marks(marked)
    at = plain.find(inner)
    if at < 0:
        # Not found (a style whose wrapper output differs otherwise): the plain text,
        # no piece naming a source.
        return tuple(CitationPiece(s.text, None, s.marks) for s in _segments(plain) if s.text)
    whole = plain[:at] + marked + plain[at + len(inner):]
    pieces: list[CitationPiece] = []
    source: str | None = None
    for segment in _segments(whole):
        text = segment.text
        while text:
            cut = min((i for i in (text.find(_OPEN), text.find(_CLOSE)) if i >= 0), default=-1)
            if cut < 0:
                pieces.append(CitationPiece(text, source, segment.marks))
                break
            if cut:
                pieces.append(CitationPiece(text[:cut], source, segment.marks))
            if text[cut] == _CLOSE:
                source, text = None, text[cut + 1:]
                continue
            named, _, text = text[cut + 1:].partition(_BETWEEN)
            source = named or None
            if source is None:  # a citation number: the item of that number
                number = _leading_number(text)
                source = numbered[number - 1] if 0 < number <= len(numbered) else None
    return _joined(pieces)


def _strip_marks(marked: str) -> str:
    # The text without the marks and the ids between U+0001 and U+0002.
    out, skipping = [], False
    for char in marked:
        if char == _OPEN:
            skipping = True
        elif char == _BETWEEN and skipping:
            skipping = False
        elif char != _CLOSE and not skipping:
            out.append(char)
    return "".join(out)


def _leading_number(text: str) -> int:
    digits = ""
    for char in text:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else 0


def _segments(html: str) -> list[CitationPiece]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return [CitationPiece(s.text, None, s.marks) for s in parser.segments]


def _joined(pieces: list[CitationPiece]) -> tuple[CitationPiece, ...]:
    out: list[CitationPiece] = []
    for piece in pieces:
        if not piece.text:
            continue
        last = out[-1] if out else None
        if last is not None and last.source == piece.source and last.marks == piece.marks:
            out[-1] = CitationPiece(last.text + piece.text, last.source, last.marks)
        else:
            out.append(piece)
    return tuple(out)


def citation_text(pieces: Sequence[CitationPiece]) -> str:
    """An in-text citation as plain text."""
    return "".join(piece.text for piece in pieces)
