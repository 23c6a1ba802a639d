"""The reading: an article as every format must show it, in a form the formats can be
compared in (the consistency check's unit), and the model's own reading of an article.

A :class:`Reading` holds the text of every block in reading order (:class:`Unit`:
headings, paragraphs, list items, notes with their kind and region, quotes, table
cells, figure alt texts, captions and credits), the text of every reference and the
references each citation points at, the glossary's terms and definitions and the
entries the text links to, and the metadata the format carries. Each exporter package
has an ``outline`` module whose ``read_readings`` reads its own output back into
readings (one for an article's file, one per article for a book's), with that
format's structure and never with the writer's code.

Text is compared after :func:`normalise`: white space, typographic quotes and soft
hyphens only. A changed word is a difference; the fixed words a format adds (a note's
"Note" label, "Updated on", "Sources") are the readers' to leave out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema import (
    Article,
    Book,
    Cite,
    Figure,
    Include,
    Link,
    List,
    ListItem,
    Note,
    Paragraph,
    Quote,
    RegionalPassage,
    Section,
    Table,
    Term,
    inline_text,
    walk,
)

__all__ = [
    "CARRIES_ALL",
    "CARRIES_SOURCES",
    "METADATA",
    "Reading",
    "Unit",
    "agree",
    "carried",
    "expected_book",
    "expected_metadata",
    "expected_reading",
    "normalise",
    "restrict",
    "translations_text",
]

#: The metadata keys a reading may carry, in the order a report lists them: the
#: article's title, topic, language (BCP 47), publisher's name, updated date (ISO),
#: next planned update (a year or an ISO date), region (ISO 3166), rights statement
#: and licence URI, the country of a regional edition, the languages of its other
#: language versions (:func:`translations_text`). A format's reader gives every key its format carries (the empty
#: string when the output has no value); a key it does not give is not compared.
METADATA = ("title", "topic", "lang", "publisher", "updated", "next_update", "region", "rights", "license",
            "edition", "translations")

#: What a reading may carry (:attr:`Reading.carries`): the article's text ("text":
#: its blocks, its sources and its glossary; a metadata record such as ONIX holds none
#: of them, and only its metadata is compared), the model's section ids, the region of
#: a note, in-text citation links, glossary links, and whether the glossary and the
#: back matter shown with the article are its own: an article in a book of several
#: shows the book's one glossary and the reusable blocks of every article once (see
#: :attr:`Reading.glossary` and :attr:`Reading.back`).
CARRIES_ALL = frozenset({"text", "section-ids", "note-region", "citations", "terms", "glossary", "back"})

#: What a format with structured sources (JATS's element-citation beside the
#: formatted mixed-citation) carries: "sources", the fields of each source
#: (:attr:`Reading.sources`; the model's side: :func:`healthinfo.checks.sources.with_sources`),
#: besides :data:`CARRIES_ALL`.
CARRIES_SOURCES = CARRIES_ALL | {"sources"}


@dataclass(frozen=True)
class Unit:
    """One text-bearing block of an article, in reading order.

    ``kind`` is one of

    - ``heading``: a section's title (``depth`` 1 for a top-level section; ``id`` the
      section's id where the format keeps the model's ids);
    - ``paragraph``: a paragraph of the lead, a section or a reusable block;
    - ``item``: a paragraph of a list item (nested lists too; one unit per paragraph);
    - ``quote``: a paragraph of a quotation; ``attribution``: who is quoted;
    - ``cell``: a table cell (head and body, row by row); ``caption``: a figure's or a
      table's caption; ``alt``: a figure's alternative text; ``credit``: its credit;
    - ``note-title``: a note's own title (not the format's "Note" label);
    - ``region``: the mark of a regional passage, as its countries' codes ("DE AT"),
      before the passage's units (the visible "Applies to: …" is a fixed word);
    - ``block-title``: a reusable block's title.

    ``note``: inside a note, the note's kind, with ``/REGION`` when it has a region
    (``"warning"``, ``"note/DE"``); empty outside notes. The innermost item, quote or
    cell decides the kind; a note around it only sets ``note``.
    """

    kind: str
    text: str
    note: str = ""
    depth: int = 0
    id: str | None = None


@dataclass(frozen=True)
class Reading:
    """An article as one output shows it (or as the model says it must be shown)."""

    #: Every text-bearing block, in reading order: the lead, the sections, the
    #: reusable blocks of the back matter.
    units: tuple[Unit, ...]
    #: The text of each reference entry, in order (without its number or back-links).
    references: tuple[str, ...] = ()
    #: For each in-text citation, in text order, the 1-based position of every entry
    #: it points at (a citation of two sources gives two).
    citations: tuple[int, ...] = ()
    #: The glossary: (term, definition) in the order shown (without synonyms or
    #: back-links). Without "glossary" in :attr:`carries`, the glossary shown with the
    #: article is a book's, for all its articles: the check then finds the article's
    #: entries in it, and compares the book's glossary once.
    glossary: tuple[tuple[str, str], ...] = ()
    #: For each glossary link in the text, in text order, the 1-based position of the
    #: entry it points at (in :attr:`glossary`).
    terms: tuple[int, ...] = ()
    #: The metadata the format carries (keys of :data:`METADATA`).
    metadata: Mapping[str, str] = field(default_factory=dict)
    #: What of :data:`CARRIES_ALL` the format carries; what it does not is not compared.
    carries: frozenset[str] = CARRIES_ALL
    #: The article's id, where the output names it (a book's chapters).
    id: str | None = None
    #: How many of the last :attr:`units` are the back matter (the reusable blocks after
    #: the sections). Without "back" in :attr:`carries`, they are a book's, given once,
    #: with its last article: the check compares them once for the book.
    back: int = 0
    #: How many of the last :attr:`citations` and of the last :attr:`terms` are links
    #: in the back matter: without "back" in :attr:`carries` they are not compared
    #: (a book shows a reusable block once, linked for one of its articles).
    back_links: tuple[int, int] = field(default=(0, 0), compare=False)
    #: The files beside the output that it shows (the images a JATS file links to; an
    #: HTML page holds its own), relative to the output's folder: each must be there. Not compared with the
    #: model; a zip's readers check that the zip holds what it names.
    resources: tuple[str, ...] = field(default=(), compare=False)
    #: With "sources" in :attr:`carries`: the fields of each source as the format holds
    #: them apart from its formatted text (JATS's element-citation), each as the JSON of
    #: the citation the JATS importer reads from them, in order. (Last, so that a
    #: reading made with positional arguments keeps its meaning.)
    sources: tuple[str, ...] = ()


_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ad": None, "\u200b": None, "\u2060": None, "\ufeff": None,
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """``text`` as the check compares it: NFC, typographic quotes as straight ones,
    soft hyphens and zero-width characters removed, every run of white space (no-break
    spaces too) as one space, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES)).strip()


def agree(*values: str) -> str:
    """One value an output keeps in several places (the visible text, a metadata
    record): the value when every copy agrees, else every distinct copy joined by
    " | ", so that damage to any one of them shows as a difference."""
    distinct = list(dict.fromkeys(values))
    return " | ".join(distinct) if len(distinct) > 1 else (distinct[0] if distinct else "")


def _date(value: dt.date | int | None) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)


def translations_text(versions: Iterable[tuple[str, bool]]) -> str:
    """An article's other language versions as readings give them: their language
    tags, sorted, the original's marked with "*" ("en* fr" for a German translation
    of an English original that also has a French one; "" without translations)."""
    return " ".join(sorted(f"{lang}{'*' if original else ''}" for lang, original in versions))


def expected_metadata(article: Article) -> dict[str, str]:
    """The metadata of the model, as readings give it."""
    return {
        "title": normalise(article.title),
        "topic": normalise(article.topic or ""),
        "lang": article.lang,
        "publisher": normalise(article.publisher.name),
        "updated": _date(article.updated),
        "next_update": _date(article.next_update),
        "region": article.region or "",
        "rights": normalise(article.rights or ""),
        "license": str(article.license or ""),
        "edition": article.edition or "",
        "translations": translations_text((t.lang, t.id == article.translation_of) for t in article.translations),
    }


class _Units:
    """The model's units of an article, in reading order."""

    def __init__(self) -> None:
        self.units: list[Unit] = []

    def add(self, kind: str, text: str, note: str, depth: int = 0, id: str | None = None) -> None:
        self.units.append(Unit(kind, normalise(text), note, depth, id))

    def blocks(self, blocks: Iterable[object], kind: str, note: str) -> None:
        for block in blocks:
            self.block(block, kind, note)

    def block(self, block: object, kind: str, note: str) -> None:
        if isinstance(block, Paragraph):
            self.add(kind, inline_text(block.children), note)
        elif isinstance(block, List):
            for item in block.items:
                self.blocks(item.blocks, "item", note)
        elif isinstance(block, ListItem):
            self.blocks(block.blocks, "item", note)
        elif isinstance(block, Note):
            inner = block.kind.value + (f"/{block.region}" if block.region else "")
            if block.title:
                self.add("note-title", block.title, inner)
            self.blocks(block.blocks, kind, inner)
        elif isinstance(block, Quote):
            self.blocks(block.blocks, "quote", note)
            if block.attribution:
                self.add("attribution", block.attribution, note)
        elif isinstance(block, Figure):
            self.add("alt", block.alt, note)
            if block.caption:
                self.add("caption", inline_text(block.caption), note)
            if block.credit:
                self.add("credit", block.credit, note)
        elif isinstance(block, Table):
            if block.caption:
                self.add("caption", inline_text(block.caption), note)
            for row in [*block.head, *block.body]:
                for cell in row.cells:
                    self.add("cell", inline_text(cell.children), note)
        elif isinstance(block, RegionalPassage):
            self.add("region", " ".join(block.regions), note)
            self.blocks(block.blocks, kind, note)
        elif isinstance(block, Include):
            if block.title:
                self.add("block-title", block.title, note)
            self.blocks(block.blocks, kind, note)
        else:  # a new block type must be given its reading here
            raise TypeError(f"the consistency check has no reading of a {type(block).__name__} block")

    def sections(self, sections: Sequence[Section], depth: int) -> None:
        for section in sections:
            self.add("heading", inline_text(section.title), "", depth=depth, id=section.id)
            self.blocks(section.blocks, "paragraph", "")
            self.sections(section.sections, depth + 1)


def _linked_terms(everything: list[Any]) -> list[Term]:
    """The glossary terms the text links to its glossary, in order: not a term inside
    a link or inside another term, since links do not nest (HTML, an EPUB's XHTML and
    a Word hyperlink cannot): such a term is marked in every format, not linked."""
    nested = {id(inner) for node in walk(everything) if isinstance(node, (Link, Term))
              for inner in walk(node.children) if isinstance(inner, Term)}
    return [node for node in walk(everything) if isinstance(node, Term) and id(node) not in nested]


def _linked_citations(article: Article, parts: list[Any]) -> list[int]:
    """The positions of the sources the in-text citations of ``parts`` link to, in
    text order: each piece of a citation that stands for a source, as the article's
    style writes it ("[2–4]" links 2 and 4, "(Danesh et al., 2014; Lück, 2010)" both in
    the style's order). A citation inside a link or a glossary term links nowhere
    (links do not nest); it is shown as text."""
    from ..exporters._references import Citations

    nested = {id(inner) for node in walk(parts) if isinstance(node, (Link, Term))
              for inner in walk(node.children) if isinstance(inner, Cite)}
    positions = {citation.id: position for position, citation in enumerate(article.references, 1)}
    citations = Citations(article)
    return [positions[piece.source] for node in walk(parts) if isinstance(node, Cite) and id(node) not in nested
            for piece in citations.of(node) if piece.source in positions]


def expected_reading(article: Article) -> Reading:
    """The reading the model says every format must show."""
    units = _Units()
    units.blocks(article.blocks, "paragraph", "")
    units.sections(article.sections, 1)
    body = len(units.units)
    units.blocks(article.back, "paragraph", "")
    everything = [article.blocks, article.sections, article.back]
    entries = {entry_id: position for position, entry_id in enumerate(article.glossary, 1)}
    back_citations = len(_linked_citations(article, [list(article.back)]))
    back_terms = sum(1 for term in _linked_terms([list(article.back)]) if term.ref in entries)
    from ..exporters._references import reference_text

    return Reading(
        units=tuple(units.units),
        references=tuple(normalise(text) for text in reference_text(article)),
        citations=tuple(_linked_citations(article, everything)),
        glossary=tuple((normalise(e.term), normalise(e.definition)) for e in article.glossary.values()),
        terms=tuple(entries[term.ref] for term in _linked_terms(everything) if term.ref in entries),
        metadata=expected_metadata(article),
        id=article.id,
        back=len(units.units) - body,
        back_links=(back_citations, back_terms),
    )



def restrict(reading: Reading, carries: frozenset[str], keys: Iterable[str]) -> Reading:
    """``reading`` as far as a format that carries ``carries`` and the metadata
    ``keys`` shows it: the note regions, section ids, citation and glossary links it
    does not carry left out, only those metadata keys kept."""
    regions, ids, keep = "note-region" in carries, "section-ids" in carries, set(keys)
    own = "back" in carries
    units = reading.units if own else reading.units[: len(reading.units) - reading.back]
    citations = reading.citations if own else reading.citations[: len(reading.citations) - reading.back_links[0]]
    terms = reading.terms if own else reading.terms[: len(reading.terms) - reading.back_links[1]]
    return Reading(
        units=tuple(
            Unit(u.kind, u.text, u.note if regions else u.note.partition("/")[0], u.depth, u.id if ids else None)
            for u in units
        ),
        references=reading.references,
        sources=reading.sources if "sources" in carries else (),
        citations=citations if "citations" in carries else (),
        glossary=reading.glossary,
        terms=terms if "terms" in carries else (),
        metadata={key: value for key, value in reading.metadata.items() if key in keep},
        carries=reading.carries & carries,
        id=reading.id,
        back=reading.back if own else 0,
        back_links=reading.back_links if own else (0, 0),
    )


def expected_book(book: Book) -> tuple[tuple[Unit, ...], tuple[tuple[str, str], ...]]:
    """What a book of several articles shows once for all of them: the reusable blocks
    of the articles' back matter (each once, in the order first used) and the
    glossary entries of every article (each once, ordered by term and definition)."""
    seen: set[str] = set()
    units = _Units()
    glossary: set[tuple[str, str]] = set()
    for article in book.articles:
        for include in article.back:
            if include.ref not in seen:
                seen.add(include.ref)
                units.block(include, "paragraph", "")
        glossary.update((normalise(entry.term), normalise(entry.definition)) for entry in article.glossary.values())
    return tuple(units.units), tuple(sorted(glossary))


def carried(expected: Reading, found: Reading) -> Reading:
    """``expected`` as far as the format of ``found`` carries it (its ``carries`` and
    the metadata keys it gives), with ``found``'s id: a correct reader's ``found``
    equals it."""
    shown = restrict(expected, found.carries, found.metadata)
    return Reading(shown.units, shown.references, shown.citations, shown.glossary, shown.terms, shown.metadata,
                   found.carries, found.id, shown.back, shown.back_links, sources=shown.sources)
