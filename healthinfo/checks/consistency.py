"""The cross-format consistency check: every format of every document must show the
same text, in the same order, with the same sources, glossary and metadata as the
model (or, without the corpus, as each other).

No publishing tool checks this. healthinfo reads each of its outputs back with that
format's own reader (the ``read_readings`` of its registered exporter: lxml over the
HTML, the JATS, the XHTML inside an EPUB and the WordprocessingML inside a DOCX; the
metadata of an ONIX record) into one :class:`~healthinfo.checks.reading.Reading` per
article, and compares them block by block. For health information a changed dose or a
dropped warning in one format is the failure that matters: a changed word is a
difference. A format added to the registry is checked with no change here.

    healthinfo check-outputs build/ --corpus corpus/

Each difference has a stable code (docs/consistency.md lists them), the file, where in
the document it is (section and block), and the two texts side by side.
"""

from __future__ import annotations

import difflib
import io
import json
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from .._build.guard import is_safe_name
from ..schema import Article, Book, Corpus
from .outline import MAX_BYTES
from .reading import METADATA, Reading, Unit, expected_book, expected_reading, restrict
from .sources import with_sources

__all__ = [
    "CODES", "CheckReport", "Difference", "Finding", "check_outputs", "compare", "compare_book", "expected_reading",
    "read_document",
]

#: Every code a difference may have, with what it means (docs/consistency.md).
CODES: Mapping[str, str] = {
    "text:changed": "a block's text differs (a word, a number, a sign)",
    "block:missing": "a block of the model is not in the output",
    "block:extra": "the output has a block the model does not have",
    "block:moved": "a block is in another place (a swapped list order, a moved paragraph)",
    "block:kind": "a block is of another kind (a list item shown as a paragraph, a warning as a note)",
    "note:changed": "a note's kind or region differs (the Germany note shown without its region)",
    "heading:changed": "a section heading's level or id differs",
    "reference:changed": "a source's text differs (a year, an author, a page)",
    "reference:missing": "a source of the model is not in the output",
    "reference:extra": "the output lists a source the model does not have",
    "citation:targets": "the in-text citations point at other sources",
    "glossary:changed": "a glossary term's definition differs, or the entries are in another order",
    "glossary:missing": "a glossary entry of the model is not in the output",
    "glossary:extra": "the output has a glossary entry the model does not have",
    "glossary:links": "the glossary links in the text point at other entries",
    "metadata:changed": "a metadata value differs (title, language, dates, region, rights)",
    "book:articles": "a book's output holds other articles than the book",
    "file:missing": "an expected output file is not there, or an image beside it that it shows",
    "file:unreadable": "an output file cannot be read as its format (garbled, truncated)",
}

#: Longest text a report shows of each side.
SHOWN = 90


@dataclass(frozen=True)
class Difference:
    """One place where an output differs from the model (or from the first format)."""

    code: str
    #: The output file, relative to the build folder ("docx/books/x.docx").
    file: str
    #: The document: an article id, or "book id/article id" for an article in a book.
    document: str
    format: str
    #: Where in the document ("section 2 'Title' / block 3"), or "" for the file.
    where: str
    message: str
    expected: str = ""
    found: str = ""

    def __str__(self) -> str:
        head = f"{self.file}: {self.where + ': ' if self.where else ''}{self.message} [{self.code}]"
        if not (self.expected or self.found):
            return head
        expected, found = _shortened(self.expected, self.found)
        return f"{head}\n    expected: {expected}\n    found:    {found}"


def _shortened(expected: str, found: str) -> tuple[str, str]:
    """The two texts around their first difference, each at most :data:`SHOWN`
    characters, quoted."""
    if len(expected) <= SHOWN and len(found) <= SHOWN:
        return json.dumps(expected, ensure_ascii=False), json.dumps(found, ensure_ascii=False)
    start = next((i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b), min(len(expected), len(found)))
    start = max(0, start - SHOWN // 3)

    def cut(text: str) -> str:
        part = text[start:start + SHOWN]
        return ("…" if start else "") + json.dumps(part, ensure_ascii=False) + ("…" if start + SHOWN < len(text) else "")

    return cut(expected), cut(found)


@dataclass
class CheckReport:
    """What the check compared and found."""

    #: (document, format) of every reading compared.
    checked: list[tuple[str, str]] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def problems(self) -> list[Difference]:
        """The differences (the name of earlier versions)."""
        return self.differences

    def as_json(self) -> dict[str, Any]:
        """The report as plain data (``check-outputs --json``)."""
        return {
            "consistent": self.ok,
            "documents": len({document for document, _ in self.checked}),
            "formats": sorted({format_name for _, format_name in self.checked}),
            "checked": len(self.checked),
            "differences": [asdict(difference) for difference in self.differences],
        }


# ---------------------------------------------------------------- comparing readings


@dataclass(frozen=True)
class Finding:
    """A difference of two readings (:func:`compare`), before it is given its file and
    document (:class:`Difference`)."""

    code: str
    where: str
    message: str
    expected: str = ""
    found: str = ""


def _locations(units: Sequence[Unit]) -> list[str]:
    """Where each unit is, for a report: the section (its number in reading order and
    its heading) or reusable block around it, and its block number there."""
    places: list[str] = []
    context, number, sections = "lead", 0, 0
    for unit in units:
        if unit.kind == "heading":
            sections += 1
            context, number = f"section {sections} {_quoted(unit.text)}", 0
            places.append(context)
            continue
        if unit.kind == "block-title":
            context, number = f"block {_quoted(unit.text)}", 0
            places.append(context)
            continue
        number += 1
        places.append(f"{context} / block {number}")
    return places


def _quoted(text: str) -> str:
    return json.dumps(text if len(text) <= 60 else text[:57] + "…", ensure_ascii=False)


def _where(places: Sequence[str], index: int) -> str:
    if index < len(places):
        return places[index]
    return f"after {places[-1]}" if places else "the body"


def _unit_key(unit: Unit) -> tuple[str, str, int, str | None, str]:
    return (unit.kind, unit.note, unit.depth, unit.id, unit.text)


def _pair(expected: Unit, found: Unit, where: str) -> Finding | None:
    if expected == found:
        return None
    if expected.kind != found.kind:
        return Finding("block:kind", where, f"a {expected.kind} is shown as a {found.kind}", expected.text, found.text)
    if expected.text != found.text:
        code = "text:changed"
        what = "the heading's text differs" if expected.kind == "heading" else f"the {expected.kind}'s text differs"
        return Finding(code, where, what, expected.text, found.text)
    if expected.note != found.note:
        return Finding("note:changed", where, "the note's kind or region differs", expected.note or "(no note)",
                      found.note or "(no note)")
    return Finding("heading:changed", where, "the heading's level or id differs",
                  f"level {expected.depth}, id {expected.id}", f"level {found.depth}, id {found.id}")


def _changes(expected: Sequence[Any], found: Sequence[Any]) -> Iterator[tuple[int, int, list[Any], list[Any]]]:
    """Where ``found`` differs from ``expected``: (i1, i2, expected[i1:i2], what
    ``found`` has there instead), from difflib's alignment of the two."""
    matcher = difflib.SequenceMatcher(None, list(expected), list(found), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield i1, i2, list(expected[i1:i2]), list(found[j1:j2])


def _compare_units(expected: Sequence[Unit], found: Sequence[Unit]) -> list[Finding]:
    places = _locations(expected)
    by_key = {_unit_key(u): u for u in [*expected, *found]}
    changes = [(i1, i2, [by_key[k] for k in mine], [by_key[k] for k in theirs])
               for i1, i2, mine, theirs in _changes([_unit_key(u) for u in expected], [_unit_key(u) for u in found])]
    removed = {_unit_key(u) for _, _, mine, _ in changes for u in mine}
    added = {_unit_key(u) for _, _, _, theirs in changes for u in theirs}
    moved = removed & added
    out: list[Finding] = []
    for i1, i2, mine, theirs in changes:
        if mine and theirs and not moved.intersection(map(_unit_key, mine + theirs)):
            for offset, (a, b) in enumerate(zip(mine, theirs, strict=False)):
                if (difference := _pair(a, b, _where(places, i1 + offset))) is not None:
                    out.append(difference)
            mine, theirs, i1 = mine[len(theirs):], theirs[len(mine):], i1 + min(len(mine), len(theirs))
        for offset, unit in enumerate(mine):
            if _unit_key(unit) in moved:
                out.append(Finding("block:moved", _where(places, i1 + offset), f"this {unit.kind} is in another place",
                                  unit.text, unit.text))
            else:
                out.append(Finding("block:missing", _where(places, i1 + offset), f"a {unit.kind} is missing", unit.text, ""))
        for unit in theirs:
            if _unit_key(unit) not in moved:
                out.append(Finding("block:extra", f"before {_where(places, i2)}", f"an extra {unit.kind}", "", unit.text))
    return out


def _compare_references(expected: Sequence[str], found: Sequence[str]) -> list[Finding]:
    out: list[Finding] = []
    for i1, i2, mine, theirs in _changes(expected, found):
        if mine and theirs:
            for offset, (a, b) in enumerate(zip(mine, theirs, strict=False)):
                out.append(Finding("reference:changed", f"source {i1 + offset + 1}", "the source's text differs", a, b))
            mine, theirs, i1 = mine[len(theirs):], theirs[len(mine):], i1 + min(len(mine), len(theirs))
        out += [Finding("reference:missing", f"source {i1 + k + 1}", "a source is missing", text, "")
                for k, text in enumerate(mine)]
        out += [Finding("reference:extra", f"sources, after {i2}", "an extra source", "", text) for text in theirs]
    return out


def _compare_sources(expected: Reading, found: Reading) -> list[Finding]:
    """The structured fields of each source (JATS's element-citation) whose formatted
    text agrees (a changed text is already found; a missing or extra source is found
    by the texts)."""
    if len(expected.sources) != len(found.sources) or len(expected.references) != len(found.references):
        return []
    return [Finding("reference:changed", f"source {n}", "the source's fields (element-citation) differ", a, b)
            for n, (a, b, shown, read) in enumerate(
                zip(expected.sources, found.sources, expected.references, found.references, strict=True), 1)
            if a != b and shown == read]


def _compare_links(expected: Sequence[object], found: Sequence[object], code: str, what: str, entry: str) -> list[Finding]:
    """Links in text order, by what they point at (an entry's position, a headword)."""
    if tuple(expected) == tuple(found):
        return []
    at = next((i for i, (a, b) in enumerate(zip(expected, found, strict=False)) if a != b), min(len(expected), len(found)))
    return [Finding(code, f"{what} {at + 1}",
                   f"the {what}s point at other {entry} ({len(expected)} expected, {len(found)} found)",
                   ", ".join(map(str, expected)), ", ".join(map(str, found)))]


def _compare_glossary(expected: Sequence[tuple[str, str]], found: Sequence[tuple[str, str]]) -> list[Finding]:
    """The glossary entry by entry, in order (two entries may share a headword)."""
    out: list[Finding] = []
    for _, _, mine, theirs in _changes(expected, found):
        moved = set(mine) & set(found) | set(theirs) & set(expected)
        for term, definition in mine:
            match = next((d for t, d in theirs if t == term), None)
            if (term, definition) in moved:
                out.append(Finding("glossary:changed", f"glossary {_quoted(term)}", "the entry is in another place",
                                  term, term))
            elif match is not None:
                out.append(Finding("glossary:changed", f"glossary {_quoted(term)}", "the definition differs",
                                  definition, match))
            else:
                out.append(Finding("glossary:missing", f"glossary {_quoted(term)}", "a glossary entry is missing",
                                  definition, ""))
        terms = {term for term, _ in mine}
        out += [Finding("glossary:extra", f"glossary {_quoted(term)}", "an extra glossary entry", "", definition)
                for term, definition in theirs if term not in terms and (term, definition) not in moved]
    return out


def _in_glossary(expected: Sequence[tuple[str, str]], found: Sequence[tuple[str, str]]) -> list[Finding]:
    """The article's entries in a book's glossary: each there, with its definition."""
    shown = set(found)
    out: list[Finding] = []
    for term, definition in expected:
        if (term, definition) in shown:
            continue
        other = next((d for t, d in found if t == term), None)
        if other is not None:
            out.append(Finding("glossary:changed", f"glossary {_quoted(term)}", "the definition differs", definition, other))
        else:
            out.append(Finding("glossary:missing", f"glossary {_quoted(term)}", "a glossary entry is missing", definition, ""))
    return out


def _headwords(reading: Reading) -> tuple[str, ...]:
    entries = reading.glossary
    return tuple(entries[position - 1][0] if 0 < position <= len(entries) else f"(entry {position})"
                 for position in reading.terms)


def compare_book(expected_back: Sequence[Unit], expected_glossary: Sequence[tuple[str, str]],
                 readings: Sequence[Reading]) -> list[Finding]:
    """What a book of several articles shows once (its readings without "back" or
    "glossary" in their ``carries``): the back matter's reusable blocks and the
    glossary, against ``expected_back`` and ``expected_glossary``. Readings that carry
    no text (a metadata record's) show neither."""
    out: list[Finding] = []
    readings = [r for r in readings if "text" in r.carries]
    if any("back" not in r.carries for r in readings):
        found = [u for r in readings if "back" not in r.carries for u in r.units[len(r.units) - r.back:]]
        out += [replace(d, where=f"back matter, {d.where}") for d in _compare_units(expected_back, found)]
    if any("glossary" not in r.carries for r in readings):
        shown = sorted({entry for r in readings if "glossary" not in r.carries for entry in r.glossary})
        out += [d for d in _compare_glossary(expected_glossary, shown) if d.message != "the entry is in another place"]
    return out


def _compare_text(expected: Reading, found: Reading) -> list[Finding]:
    """The blocks, the sources and the glossary, with their links (of two readings
    restricted to what both carry)."""
    out = _compare_units(expected.units, found.units)
    out += _compare_references(expected.references, found.references)
    if "sources" in found.carries:
        out += _compare_sources(expected, found)
    out += _compare_links(expected.citations, found.citations, "citation:targets", "citation", "sources")
    if "glossary" in found.carries:
        out += _compare_glossary(expected.glossary, found.glossary)
        out += _compare_links(expected.terms, found.terms, "glossary:links", "glossary link", "entries")
    else:  # a book's glossary: the article's entries must be in it, its links point at them by term
        out += _in_glossary(expected.glossary, found.glossary)
        out += _compare_links(_headwords(expected), _headwords(found), "glossary:links", "glossary link", "entries")
    return out


def compare(expected: Reading, found: Reading) -> list[Finding]:
    """Where ``found`` differs from ``expected``, as far as both carry (their common
    ``carries`` and metadata keys)."""
    carries = expected.carries & found.carries
    keys = set(expected.metadata) & set(found.metadata)
    expected, found = restrict(expected, carries, keys), restrict(found, carries, keys)
    out = _compare_text(expected, found) if "text" in carries else []
    for key in [key for key in METADATA if key in keys]:
        if expected.metadata[key] != found.metadata[key]:
            out.append(Finding("metadata:changed", f"metadata {key}", f"the {key.replace('_', ' ')} differs",
                              expected.metadata[key], found.metadata[key]))
    return out


# ---------------------------------------------------------------- reading the files


def read_document(format_name: str, data: bytes) -> tuple[Reading, ...]:
    """The readings of one output file (one per article), by its format's reader."""
    from ..exporters import get

    return get(format_name).read_readings(data)


#: What a file of each media type starts with: a file that does not is not the
#: format it claims, whatever its reader would make of it.
_SIGNATURES: Mapping[str, Callable[[bytes], bool]] = {
    "application/epub+zip": lambda data: data[:4] == b"PK\x03\x04" and data[30:58] == b"mimetypeapplication/epub+zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": lambda data: data[:4] == b"PK\x03\x04",
    "text/html": lambda data: data.lstrip()[:15].lower() == b"<!doctype html>" or data.lstrip()[:5].lower() == b"<html",
    "application/jats+xml": lambda data: data.lstrip()[:5] == b"<?xml" or data.lstrip()[:1] == b"<",
    "application/xml": lambda data: data.lstrip()[:5] == b"<?xml" or data.lstrip()[:1] == b"<",
}

#: What a reader may raise on a damaged file.
_DAMAGE = (etree.XMLSyntaxError, etree.ParserError, zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError,
           StopIteration, EOFError, UnicodeDecodeError, io.UnsupportedOperation)


@dataclass(frozen=True)
class _Output:
    """An output file the check expects or finds."""

    format: str
    relative: str
    #: The document: an article or a book, by id.
    document: str
    book: bool


def _output(format_name: str, extension: str, document: str, book: bool) -> _Output:
    stem = f"{format_name}/books/{document}" if book else f"{format_name}/{document}"
    return _Output(format_name, stem + extension, document, book)


def _outputs(root: Path, corpus: Corpus | None) -> list[_Output]:
    """Every output to compare: each article's and book's file in each format that the
    build made (a format folder in OUT, or one the manifest names); with a corpus, every
    one its documents should have, without it every one that is there or that the
    manifest records, in every format of the build."""
    from ..exporters import REGISTRY, get

    recorded = _recorded(root)
    built = [name for name in REGISTRY
             if (root / name).is_dir() or any(producer == name for producer, _ in recorded.values())]
    documents: set[tuple[str, bool]] = set()
    if corpus is not None:
        documents = {(a, False) for a in corpus.articles} | {(b, True) for b in corpus.books}
    else:
        for name, (producer, document) in recorded.items():
            if producer in built:
                documents.add((document, name.startswith(f"{producer}/books/")))
        for format_name in built:
            extension = get(format_name).extension
            for book, folder in ((False, root / format_name), (True, root / format_name / "books")):
                if folder.is_dir():
                    documents.update((path.name[: -len(extension)], book) for path in folder.glob(f"*{extension}"))
    outputs = []
    for format_name in built:
        exporter = get(format_name)
        outputs += [_output(format_name, exporter.extension, document, book)
                    for document, book in documents if exporter.accepts_books or not book]
    order = list(REGISTRY)
    return sorted(outputs, key=lambda o: (o.book, o.document, order.index(o.format)))


def _recorded(root: Path) -> dict[str, tuple[str, str]]:
    """The outputs the build's manifest records: name -> (producer, document)."""
    from .._build.manifest import MANIFEST, read_manifest

    recorded: dict[str, tuple[str, str]] = {}
    for name, entry in read_manifest(root / MANIFEST).items():
        if isinstance(entry, dict) and isinstance(entry.get("producer"), str) and isinstance(entry.get("document"), str):
            recorded[name] = (entry["producer"], entry["document"])
    return recorded


def _read(root: Path, output: _Output) -> tuple[Reading, ...] | Difference:
    from ..exporters import get

    path = root / output.relative

    def fault(code: str, message: str) -> Difference:
        return Difference(code, output.relative, output.document, output.format, "", message)

    if not path.is_file():
        return fault("file:missing", "the file is missing")
    if path.stat().st_size > MAX_BYTES:
        return fault("file:unreadable", "the file is too large to read back")
    data = path.read_bytes()
    exporter = get(output.format)
    claims = _SIGNATURES.get(exporter.media_type)
    if claims is not None and not claims(data):
        return fault("file:unreadable", f"the file is not {output.format.upper()} (its first bytes are not)")
    try:
        readings = read_document(output.format, data)
    except RecursionError:
        return fault("file:unreadable", "the file is nested too deeply to read back")
    except _DAMAGE as error:
        return fault("file:unreadable", f"the file cannot be read as {output.format.upper()}: {_reason(error)}")
    for reading in readings:
        for resource in reading.resources:
            if not is_safe_name(resource) or not (path.parent / resource).is_file():
                return fault("file:missing", f"the file {resource} it shows is missing")
    return readings


def _reason(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "…"


# ---------------------------------------------------------------- the check


def _expected(output: _Output, corpus: Corpus | None) -> list[tuple[str, Reading]] | None:
    """The model's readings of a document, with the name each is reported under."""
    if corpus is None:
        return None
    if output.book:
        book: Book | None = corpus.books.get(output.document)
        return None if book is None else [(f"{book.id}/{a.id}", with_sources(expected_reading(a), a))
                                          for a in book.articles]
    article: Article | None = corpus.articles.get(output.document)
    return None if article is None else [(article.id, with_sources(expected_reading(article), article))]


def _check_document(output: _Output, readings: tuple[Reading, ...], reference: list[tuple[str, Reading]],
                    report: CheckReport,
                    shared: tuple[tuple[Unit, ...], tuple[tuple[str, str], ...]] | None = None) -> None:
    def difference(found: Finding, document: str) -> Difference:
        return Difference(found.code, output.relative, document, output.format, found.where, found.message,
                          found.expected, found.found)

    if len(readings) != len(reference):
        report.differences.append(Difference(
            "book:articles", output.relative, output.document, output.format, "",
            f"the output holds {len(readings)} article(s), the book {len(reference)}",
            ", ".join(name for name, _ in reference), ", ".join(r.id or "?" for r in readings)))
    for (name, expected), found in zip(reference, readings, strict=False):
        report.checked.append((name, output.format))
        report.differences += [difference(d, name) for d in compare(expected, found)]
    if output.book and shared is not None:
        report.differences += [difference(d, output.document) for d in compare_book(*shared, readings)]


def _shown_once(corpus: Corpus | None, output: _Output,
                reference: list[tuple[str, Reading]]) -> tuple[tuple[Unit, ...], tuple[tuple[str, str], ...]] | None:
    """What a book shows once for all its articles (its back matter, its glossary):
    from the model; without it, from the first format's readings of the book."""
    if not output.book:
        return None
    if corpus is not None:
        book = corpus.books.get(output.document)
        return None if book is None else expected_book(book)
    readings = [reading for _, reading in reference]
    back: list[Unit] = []
    blocks: set[tuple[Unit, ...]] = set()
    for reading in readings:
        part = reading.units[len(reading.units) - reading.back:] if reading.back else ()
        if "back" not in reading.carries or part not in blocks:  # an article's own: each set once
            back += part
            blocks.add(tuple(part))
    return tuple(back), tuple(sorted({entry for reading in readings for entry in reading.glossary}))


def check_outputs(out: str | Path, corpus: Corpus | None = None, *, jobs: int | None = None,
                  edition: str | None = None) -> CheckReport:
    """Compare every output of a build folder (``OUT/<format>/<id>.*``, books under
    ``OUT/<format>/books/``) with the model of a loaded ``corpus``; without one, each
    format with the first format (in the registry's order) that has the document. The
    report lists every difference, each with its code, file and place. ``jobs``:
    processes that read the outputs (default: the CPU count; 1 reads them in this
    process). ``edition``: the build is that regional edition (``build --edition``):
    the corpus's model is compared as that edition."""
    if corpus is not None and edition is not None:
        from ..editions import corpus_edition

        corpus, _ = corpus_edition(corpus, edition)
    root = Path(out)
    groups: dict[tuple[str, bool], list[_Output]] = {}
    for output in _outputs(root, corpus):
        groups.setdefault((output.document, output.book), []).append(output)
    report = CheckReport()
    for checked, differences in _each(root, corpus, list(groups.values()), jobs or os.cpu_count() or 1):
        report.checked += checked
        report.differences += differences
    return report


Checked = tuple[list[tuple[str, str]], list[Difference]]

#: What the forked processes of a check read from (set before they start).
_WORK: list[tuple[Path, Corpus | None, list[list[_Output]]]] = []


def _each(root: Path, corpus: Corpus | None, groups: list[list[_Output]], jobs: int) -> Iterator[Checked]:
    """:func:`_check_group` of each group, in order: on ``jobs`` forked processes,
    which start with the loaded corpus (nothing to send), where the platform forks and
    the work is large enough to pay for them; else in this process."""
    if jobs < 2 or len(groups) < 16 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_check_group(root, corpus, group) for group in groups)
        return
    _WORK[:] = [(root, corpus, groups)]
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_check_group_at, range(len(groups)), chunksize=max(1, len(groups) // (jobs * 8)))
    finally:
        _WORK.clear()


def _check_group_at(index: int) -> Checked:
    root, corpus, groups = _WORK[0]
    return _check_group(root, corpus, groups[index])


def _check_group(root: Path, corpus: Corpus | None, outputs: list[_Output]) -> Checked:
    """Every output of one document (an article or a book), each format compared with
    the model's readings (or the first format's)."""
    report = CheckReport()
    reference = _expected(outputs[0], corpus)
    shared = None
    for output in outputs:
        readings = _read(root, output)
        if isinstance(readings, Difference):
            report.differences.append(readings)
            continue
        if reference is None:  # no model: the first readable format is the reference
            reference = [(_name(output, reading, index), reading) for index, reading in enumerate(readings)]
            report.checked += [(name, output.format) for name, _ in reference]
            continue
        if shared is None:
            shared = _shown_once(corpus, output, reference)
        _check_document(output, readings, reference, report, shared)
    return report.checked, report.differences


def _name(output: _Output, reading: Reading, index: int) -> str:
    if not output.book:
        return output.document
    return f"{output.document}/{reading.id or index + 1}"


def summary_lines(report: CheckReport) -> Iterator[str]:
    """The report as the command prints it: each difference, then one line."""
    yield from map(str, report.differences)
    articles = {name for name, _ in report.checked if "/" not in name}
    books = {name.partition("/")[0] for name, _ in report.checked if "/" in name}
    formats = len({format_name for _, format_name in report.checked})
    documents = _plural(len(articles), "article") + (f" and {_plural(len(books), 'book')}" if books else "")
    verdict = "consistent" if report.ok else _plural(len(report.differences), "difference")
    yield f"{documents} in {_plural(formats, 'format')}: {verdict}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"

