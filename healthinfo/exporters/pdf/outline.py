"""PDF: read a tagged PDF back — its structure tree (ISO 32000-1 §14.7) and the marked
content each element owns — into the consistency check's readings
(:mod:`healthinfo.checks.reading`) and into text, with pikepdf (the tree) and pdfminer.six (the text), never
with the writer's code.

Where the parts of an article are: one ``Art`` element per article (``/T`` its title,
``/Lang`` its language); inside it ``Sect`` elements for the sections (``/ID``
``sec-<n>-<section id>``), the glossary (``glossary-<n>``) and the sources
(``references-<n>``), ``Note`` elements for callouts (``note-<kind>-<region>-<n>``),
``Div`` elements for regional passages (``region-<codes>``), reusable blocks
(``block-<id>`` in the text, ``back-<id>`` after it) and the article's small print
(``meta-…``), which is not compared. A brochure's reusable blocks follow its last
article, outside it.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pikepdf
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from ...checks.reading import CARRIES_ALL, Reading, Unit, normalise
from ...schema import NoteKind
from .._i18n import is_rtl, note_label, word

__all__ = ["read_readings", "read_text"]

#: What a PDF reading does not carry: glossary links are link annotations whose targets
#: are page positions, not named entries (citations are read from their Reference
#: elements' numbers).
_CARRIES = CARRIES_ALL - {"terms"}


def _dehyphenated(text: str) -> str:
    # Typst writes the hyphen it adds where it breaks a word as a soft hyphen.
    return text.replace("\u00ad", "")


@dataclass
class _Piece:
    """The characters of one marked-content sequence, as drawn: their text (or the
    sequence's /ActualText, ISO 32000-1 §14.9.4), where on the page they lie, and
    whether they are in reverse order (a right-to-left run, §14.8.2.3.3)."""

    chars: list[str]
    bottom: float
    top: float
    reversed: bool
    actual: str | None = None
    left: float = 0.0
    right: float = 0.0

    @property
    def text(self) -> str:
        if self.actual is not None:
            return self.actual
        return "".join(self.chars[::-1] if self.reversed else self.chars)


@dataclass
class _Mark:
    """An open marked-content sequence: its MCID (or the one of the sequence around),
    its /ActualText, whether it reverses its characters, whether it is an artifact."""

    mcid: int | None
    actual: str | None
    reversed: bool
    artifact: bool
    pieces: list[_Piece] = field(default_factory=list)


class _Device(PDFPageAggregator):
    """pdfminer's page device, keeping the stack of marked-content sequences (pdfminer
    itself keeps none): every character with the MCID of the innermost sequence that
    has one, a sequence with /ActualText read as that text once."""

    def __init__(self, manager: PDFResourceManager, page_number: int, found: dict[tuple[int, int], list[_Piece]]) -> None:
        super().__init__(manager, laparams=None)
        self.page_number = page_number
        self.found = found
        self.stack: list[_Mark] = []

    def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
        props = props if isinstance(props, dict) else {}
        outer = self.stack[-1] if self.stack else None
        mcid = props.get("MCID", outer.mcid if outer is not None else None)
        actual = props.get("ActualText")
        self.stack.append(_Mark(
            mcid=mcid if isinstance(mcid, int) else None,
            actual=decode_text(actual) if isinstance(actual, bytes) else None,
            reversed=tag.name == "ReversedChars" or (outer is not None and outer.reversed),
            artifact=tag.name == "Artifact" or (outer is not None and outer.artifact),
        ))

    def end_tag(self) -> None:
        if self.stack:
            self.stack.pop()

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance: float = super().render_char(*args, **kwargs)
        char = self.cur_item._objs[-1]
        assert isinstance(char, LTChar)
        mark = self.stack[-1] if self.stack else None
        if mark is None or mark.artifact or mark.mcid is None:
            return advance
        holder = next((m for m in reversed(self.stack) if m.actual is not None), None)
        pieces = self.found.setdefault((self.page_number, mark.mcid), [])
        if holder is not None:
            # The whole sequence reads as its /ActualText, once.
            if not holder.pieces:
                piece = _Piece([], char.y0, char.y1, False, holder.actual, char.x0, char.x1)
                holder.pieces.append(piece)
                pieces.append(piece)
            return advance
        last = mark.pieces[-1] if mark.pieces else None
        if last is None or last is not (pieces[-1] if pieces else None):
            last = _Piece([], char.y0, char.y1, mark.reversed, left=char.x0, right=char.x1)
            mark.pieces.append(last)
            pieces.append(last)
        last.chars.append(char.get_text())
        last.bottom, last.top = min(last.bottom, char.y0), max(last.top, char.y1)
        last.left, last.right = min(last.left, char.x0), max(last.right, char.x1)
        return advance


class _Text:
    """The pieces of each marked-content sequence, by page and MCID (read with
    pdfminer.six)."""

    def __init__(self, data: bytes) -> None:
        self.pieces: dict[tuple[int, int], list[_Piece]] = {}
        manager = PDFResourceManager()
        for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data)), start=1):
            device = _Device(manager, number, self.pieces)
            PDFPageInterpreter(manager, device).process_page(page)

    def of(self, element: _Element, lang: str = "en", stand_in: frozenset[tuple[int, int]] = frozenset()) -> str:
        """The text of ``element`` in an article in ``lang``, each piece of the
        marked-content sequences ``stand_in`` as U+0000. The writer sets the text
        direction of each article from its language: a paragraph's base direction is
        the article's, whatever the /Lang of the paragraph or a passage in it."""
        rtl = is_rtl(lang)
        pieces: list[tuple[int, _Piece]] = []
        for key in sorted(set(_marked(element))):
            found = self.pieces.get(key, ())
            if key in stand_in:
                found = [replace(piece, chars=["\0"], actual=None) for piece in found]
            pieces += [(key[0], piece) for piece in found]
        return " ".join(_dehyphenated(_joined(pieces, rtl)).split())


def _joined(pieces: list[tuple[int, _Piece]], rtl: bool) -> str:
    """The pieces as text, line by line: a new line where the page changes or a piece lies
    wholly below the line so far (a hyphen or a superscript overlaps it); a run of
    reversed pieces on one line in reading order."""
    lines: list[list[_Piece]] = []
    where: tuple[int, float, float] | None = None
    for page, piece in pieces:
        if where is None or page != where[0] or piece.top < where[1] or piece.bottom > where[2]:
            lines.append([])
            where = (page, piece.bottom, piece.top)
        else:
            where = (page, min(where[1], piece.bottom), max(where[2], piece.top))
        lines[-1].append(piece)
    # Typst ends a line that breaks at a space with that space, and one that breaks a
    # word with a (soft) hyphen or at no character at all: the lines join as they are.
    return "".join(_line(line, rtl) for line in lines)


def _direction(piece: _Piece) -> str:
    """A piece's direction: "R" (reversed by Typst, or right-to-left letters), "L"
    (left-to-right letters), "D" (digits: a run of their own, read left to right) or
    "N" (spaces, punctuation, symbols)."""
    if piece.reversed:
        return "R"
    classes = {unicodedata.bidirectional(c) for c in piece.text}
    if classes & {"R", "AL"}:
        return "R"
    if "L" in classes:
        return "L"
    if classes & {"EN", "AN"}:
        return "D"
    return "N"


def _line(pieces: list[_Piece], rtl: bool) -> str:
    """One line's pieces in reading order. Typst writes the runs of a line in reading
    order, each right-to-left run with its pieces from the right (a piece of several
    glyphs also marked ReversedChars, ISO 32000-1 §14.8.2.3.3). Neutral pieces take the
    direction of the strong pieces around them when both agree, else the paragraph's
    (UAX #9, rules N1 and N2); each right-to-left run is then read from its end."""
    strong = [_direction(piece) for piece in pieces]
    base = "R" if rtl else "L"
    # Digits after left-to-right letters (or at the start of a left-to-right
    # paragraph) are left-to-right themselves (UAX #9, W7).
    for index, kind in enumerate(strong):
        if kind == "D" and next((k for k in reversed(strong[:index]) if k not in "ND"), base) == "L":
            strong[index] = "L"
    resolved = []
    for index, kind in enumerate(strong):
        if kind == "N":
            # Digits count as right-to-left here (UAX #9, N1).
            before = next((k for k in reversed(strong[:index]) if k != "N"), base).replace("D", "R")
            after = next((k for k in strong[index + 1:] if k != "N"), base).replace("D", "R")
            if before == after:
                kind = before
            elif (after == "R" and next((k for k in strong[index + 1:] if k not in "NR"), base) == "D"
                  and _drawn_with_next(pieces, index)):
                # Written before a right-to-left run that a number ends, and drawn
                # touching it after a jump: the run's last character (a reversed run is
                # written from its end; the number lies to its left).
                kind = "R"
            else:
                kind = base
        resolved.append(kind)
    out: list[str] = []
    for kind, group in itertools.groupby(zip(resolved, pieces, strict=True), key=lambda pair: pair[0]):
        run = [piece for _, piece in group]
        if kind != "R":
            out += [piece.text for piece in run]
            continue
        # Typst shapes a right-to-left run by script and style (Arabic, then Hebrew;
        # emphasis apart): each part is written from its end, the parts in reading order.
        for part in _stretches(run, pieces):
            out += [piece.text for piece in part[::-1]]
    return "".join(out)


def _touch(first: _Piece, then: _Piece, line: list[_Piece]) -> bool:
    """Whether ``then`` is drawn next to ``first``, rightwards: no other piece of the
    line lies between them (a justified line's spaces are wider than their glyphs;
    kerning moves a glyph by less than 1 pt)."""
    if then.left < first.right - 1.0:
        return False
    return not any(other is not first and other is not then and other.left >= first.right - 1.0
                   and other.right <= then.left + 1.0 for other in line)


def _drawn_with_next(pieces: list[_Piece], index: int) -> bool:
    """Whether the neutral piece at ``index`` and the pieces after it up to the next
    strong one are drawn edge to edge with it, the first of them apart from the piece
    before (a neutral that ends a right-to-left run is drawn first, at the run's left)."""
    end = next(i for i in range(index + 1, len(pieces)) if _direction(pieces[i]) != "N")
    if not all(_touch(pieces[i], pieces[i + 1], pieces) for i in range(index, end)):
        return False
    start = index
    while start > 0 and _direction(pieces[start - 1]) == "N" and _touch(pieces[start - 1], pieces[start], pieces):
        start -= 1
    return start == 0 or not _touch(pieces[start - 1], pieces[start], pieces)


def _stretches(run: list[_Piece], line: list[_Piece]) -> list[list[_Piece]]:
    """A right-to-left run split where the drawing jumps back to the left: Typst writes
    the run's shaping runs (one per script and style) in reading order, each from its
    end, that is from its left edge rightwards; the next one lies to its left."""
    parts: list[list[_Piece]] = []
    for piece in run:
        if parts and _touch(parts[-1][-1], piece, line):
            parts[-1].append(piece)
        else:
            parts.append([piece])
    return parts


@dataclass
class _Element:
    """A structure element: its type, /ID, /T, /Lang, /Alt, children, and its own
    marked content as (page number, MCID)."""

    type: str
    id: str = ""
    title: str | None = None
    lang: str | None = None
    alt_text: str | None = None
    children: list[_Element] = field(default_factory=list)
    marks: list[tuple[int, int]] = field(default_factory=list)
    #: the description (/Contents) of the link annotation of a Link, or of the Link
    #: inside a Reference
    contents: str | None = None


def _string(value: Any) -> str | None:
    return None if value is None else str(value)


def _element(node: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> _Element:
    element = _Element(str(node.S)[1:], _string(node.get("/ID")) or "", _string(node.get("/T")),
                       _string(node.get("/Lang")), _string(node.get("/Alt")))
    page = pages.get(node.Pg.objgen, 0) if "/Pg" in node else 0
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, int):
            element.marks.append((page, int(kid)))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            element.children.append(_element(kid, pages))
        elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
            on = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
            element.marks.append((on, int(kid.MCID)))
        elif isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid:
            element.contents = _string(kid.Obj.get("/Contents"))
    if element.contents is None and element.type == "Reference":
        element.contents = next((child.contents for child in element.children if child.contents), None)
    return element


def _tree(data: bytes) -> _Element | None:
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return None
        kids = root.get("/K")
        first = kids[0] if isinstance(kids, pikepdf.Array) else kids
        return _element(first, pages) if isinstance(first, pikepdf.Dictionary) else None


def _marked(element: _Element) -> Iterator[tuple[int, int]]:
    yield from element.marks
    for child in element.children:
        yield from _marked(child)


@dataclass
class _Article:
    title: str = ""
    lang: str = ""
    units: list[Unit] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    back: int = 0


_NOTE = re.compile(r"note-([a-z]+)-([A-Z]{2}|all)(?:-\d+)*$")
_REGION = re.compile(r"region-((?:[A-Z]{2}-?)+?)(?:-\d+)?$")
_SECTION = re.compile(r"sec-\d+-(.+?)$")


#: A citation once each of its links to a source (a Reference element) stands as
#: U+0000: the links, what the style writes between them (", ", "; ", a range's dash)
#: and the brackets around them, if any: "[\0–\0]", "(\0; \0)", a superscript "\0,\0";
#: in the bidirectional isolate the writer puts it in (LRI or RLI … PDI); its brackets
#: read the other way round when it follows right-to-left words (the reader's line
#: order is simpler than the bidirectional algorithm).
_LINKED = r"\x00+(?:\s*[,;]\s*\x00+|\s*[\u2013\u2010-]\s*\x00+)*"
_CITATION = re.compile(rf"[\u2066\u2067]?(?:\[{_LINKED}\]|\({_LINKED}\)|\]{_LINKED}\[|\){_LINKED}\(|{_LINKED})\u2069?")
#: The number of the source a citation's link leads to, in the link's description
#: ("Sources 3: Danesh M, …", written by the PDF exporter for assistive technology).
_TARGET = re.compile(r"^\D*?(\d+): ")


class _Reader:
    def __init__(self, text: _Text, lang: str) -> None:
        self.text = text
        self.lang = lang
        #: the numbers of the citations read so far, in text order
        self.citations: list[int] = []

    def of(self, element: _Element) -> str:
        """The text of ``element`` without its citations ("[2–4]", "(Danesh et al.,
        2014)"), whose links' sources (their Reference elements) go to
        :attr:`citations`, by number."""
        references = list(_descendants(element, "Reference"))
        if not references:
            return self.text.of(element, self.lang)
        for reference in references:
            found = _TARGET.match(reference.contents or "")
            if found is None:
                raise ValueError(f"a citation's link is described as {reference.contents!r}, "
                                 "not as a link to a numbered source")
            self.citations.append(int(found.group(1)))
        # A citation written as text (inside a link) has no Reference: it stays text.
        text = self.text.of(element, self.lang, frozenset(key for r in references for key in _marked(r)))
        return _CITATION.sub("", text)

    def unit(self, into: list[Unit], kind: str, element: _Element, note: str, **extra: Any) -> None:
        into.append(Unit(kind, normalise(self.of(element)), note, **extra))

    def article(self, element: _Element) -> _Article:
        found = _Article(title=normalise(element.title or ""), lang=element.lang or self.lang)
        self.lang = found.lang
        self.citations = found.citations
        for child in element.children:
            kind, ident = child.type, child.id or ""
            if ident.startswith("meta-") or (kind.startswith("H") and not found.units and not ident):
                continue
            if ident.startswith("glossary-"):
                self.glossary(child, found)
            elif ident.startswith("references-"):
                found.references += [normalise(self.of(body)) for body in _descendants(child, "BibEntry")]
            elif ident.startswith("back-"):
                before = len(found.units)
                self.block(child, found.units, "paragraph", "", 0)
                found.back += len(found.units) - before
            else:
                self.block(child, found.units, "paragraph", "", 0)
        return found

    def glossary(self, element: _Element, into: _Article) -> None:
        also = re.compile(rf" \({re.escape(word('also', self.lang))}: .*\)$")
        for item in _descendants(element, "LI"):
            label = next((c for c in item.children if c.type == "Lbl"), None)
            body = next((c for c in item.children if c.type == "LBody"), None)
            if label is not None and body is not None:
                into.glossary.append((normalise(also.sub("", self.of(label))), normalise(self.of(body))))

    def blocks(self, elements: Iterable[_Element], into: list[Unit], kind: str, note: str, depth: int) -> None:
        for element in elements:
            self.block(element, into, kind, note, depth)

    def block(self, element: _Element, into: list[Unit], kind: str, note: str, depth: int) -> None:
        ident, tag = element.id or "", element.type
        if tag == "Sect" and _SECTION.match(ident):
            heading, *rest = element.children
            level = int(heading.type[1:]) if heading.type[1:].isdigit() else 1
            self.unit(into, "heading", heading, "", depth=level - 1, id=_SECTION.match(ident).group(1))  # type: ignore[union-attr]
            self.blocks(rest, into, "paragraph", "", depth)
        elif tag == "Note":
            self.note(element, into, kind)
        elif tag == "Div" and ident.startswith("region-"):
            match = _REGION.match(ident)
            into.append(Unit("region", " ".join(match.group(1).strip("-").split("-")) if match else "", note))
            self.blocks(element.children[1:], into, kind, note, depth)
        elif tag == "Div" and (ident.startswith("block-") or ident.startswith("back-")):
            children = element.children
            if element.title:
                self.unit(into, "block-title", children[0], note)
                children = children[1:]
            self.blocks(children, into, kind, note, depth)
        elif tag == "L":
            for child in element.children:
                if child.type == "LI":
                    for body in (c for c in child.children if c.type == "LBody"):
                        self.item(body, into, note, depth)
                elif child.type == "L":
                    # A list that ends an item: Typst tags it after the item.
                    self.block(child, into, "item", note, depth)
        elif tag == "BlockQuote":
            for child in element.children:
                if child.type == "P":
                    self.unit(into, "quote", child, note)
                elif child.type in _BLOCK_TAGS:
                    self.block(child, into, "quote", note, depth)
                else:
                    into.append(Unit("attribution", normalise(self.of(child).lstrip("\u2014 ")), note))
        elif tag == "Table":
            self.table(element, into, note)
        elif tag == "Div" and ident.startswith("figure-"):
            figure, *credit = element.children
            self.figure(figure, into, note)
            for child in credit:
                self.unit(into, "credit", child, note)
        elif tag == "Div" and not ident and any(True for _ in _descendants(element, "Table")):
            self.table(element, into, note)
        elif tag in ("Div", "Figure") and not ident:
            self.figure(element, into, note)
        elif tag == "P":
            self.unit(into, kind, element, note)
        else:
            self.blocks(element.children, into, kind, note, depth)

    def item(self, body: _Element, into: list[Unit], note: str, depth: int) -> None:
        """A list item's paragraphs ("item" units), then its nested blocks."""
        inline = [c for c in body.children if c.type not in _BLOCK_TAGS]
        if body.marks or inline:
            own = _Element("LBody", children=inline, marks=body.marks)
            into.append(Unit("item", normalise(self.of(own)), note))
        for child in body.children:
            if child.type in _BLOCK_TAGS:
                self.block(child, into, "item", note, depth)

    def note(self, element: _Element, into: list[Unit], kind: str) -> None:
        match = _NOTE.match(element.id or "")
        note_kind = match.group(1) if match else "note"
        region = match.group(2) if match and match.group(2) != "all" else None
        inner = note_kind + (f"/{region}" if region else "")
        first, *rest = element.children
        label = note_label(NoteKind(note_kind), self.lang)
        heading = self.of(first)
        if heading.startswith(label + ": "):
            into.append(Unit("note-title", normalise(heading[len(label) + 2:]), inner))
        if region is not None and rest and rest[0].type == "P" and _is_mark(self.text.of(rest[0], self.lang), self.lang):
            rest = rest[1:]
        self.blocks(rest, into, kind, inner, 0)

    def table(self, element: _Element, into: list[Unit], note: str) -> None:
        for caption in _descendants(element, "Caption"):
            self.unit(into, "caption", caption, note)
        for cell in _descendants(element, "TH", "TD"):
            self.unit(into, "cell", cell, note)

    def figure(self, element: _Element, into: list[Unit], note: str) -> None:
        figures = [element] if element.type == "Figure" else list(_descendants(element, "Figure"))
        for figure in figures:
            into.append(Unit("alt", normalise(figure.alt_text or ""), note))
        for caption in (c for c in element.children if c.type == "Caption"):
            self.unit(into, "caption", caption, note)


def _is_mark(text: str, lang: str) -> bool:
    prefix = word("region", lang).split("{")[0]
    return text.startswith(prefix)


_BLOCK_TAGS = frozenset({"P", "L", "Table", "BlockQuote", "Div", "Figure", "Note", "Sect"})


def _descendants(element: _Element, *types: str) -> Iterator[_Element]:
    for child in element.children:
        if child.type in types:
            yield child
        else:
            yield from _descendants(child, *types)


def _document_lang(data: bytes) -> str:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return str(pdf.Root.get("/Lang", "en"))


def _damaged(error: Exception) -> ValueError:
    return ValueError(f"not a readable PDF: {error}")


#: What a damaged PDF raises in pikepdf (qpdf) and pdfminer.six.
_DAMAGE = (pikepdf.PdfError, PSException, AttributeError, TypeError)


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One reading per ``Art`` element of the PDF, in order (a damaged file: ValueError)."""
    try:
        return _readings(data)
    except _DAMAGE as error:
        raise _damaged(error) from error


def _readings(data: bytes) -> tuple[Reading, ...]:
    text = _Text(data)
    document = _tree(data)
    lang = document.lang if document is not None and document.lang else _document_lang(data)
    articles: list[_Article] = []
    book_back: list[Unit] = []
    reader = _Reader(text, lang)
    back_citations: list[int] = []
    for child in document.children if document is not None else ():
        if child.type == "Art":
            articles.append(reader.article(child))
        elif child.id.startswith(("back-", "block-")):
            reader.citations = back_citations
            reader.block(child, book_back, "paragraph", "", 0)
    readings = []
    for position, found in enumerate(articles):
        carries = _CARRIES if not book_back else _CARRIES - {"back"}
        last = bool(book_back) and position == len(articles) - 1
        units = found.units + (book_back if last else [])
        back = found.back if not book_back else (len(book_back) if position == len(articles) - 1 else 0)
        readings.append(Reading(
            units=tuple(units),
            references=tuple(found.references),
            citations=tuple(found.citations + (back_citations if last else [])),
            glossary=tuple(found.glossary),
            metadata={"title": found.title, "lang": found.lang},
            carries=frozenset(carries),
            back=back,
            back_links=(len(back_citations) if last else 0, 0),
        ))
    return tuple(readings)


#: Elements that hold blocks: read_text reads their children one by one.
_CONTAINERS = frozenset({"Document", "Art", "Sect", "Div", "Note", "L", "LI", "LBody", "Table", "THead", "TBody",
                         "TFoot", "TR", "TOC", "TOCI", "BlockQuote", "Part"})


def _texts(element: _Element, text: _Text, lang: str) -> Iterator[str]:
    if element.type in ("Document", "Art"):
        lang = element.lang or lang
    if element.type == "Figure":
        yield element.alt_text or ""
    elif element.type in _CONTAINERS and not element.marks:
        for child in element.children:
            yield from _texts(child, text, lang)
    else:
        yield text.of(element, lang)


def read_text(data: bytes) -> str:
    """The text of the structure tree, element by element in its order (what a screen
    reader reads: no running heads or page numbers, which are artifacts)."""
    try:
        return _text_of(data)
    except _DAMAGE as error:
        raise _damaged(error) from error


def _text_of(data: bytes) -> str:
    document = _tree(data)
    if document is None:
        return ""
    text = _Text(data)
    return "\n".join(_texts(document, text, document.lang or _document_lang(data)))
