"""The plan of a build: which outputs are due, which are up to date, which belong to
documents withdrawn from the corpus. A pure step: it reads only its arguments (the
manifest of the last build, the producers' keys, a function giving the SHA-256 of a
corpus file, one telling whether an output file exists), so that a test can call it
without exporting anything.

An output is up to date when the manifest records it with the same key (the
producer's code fingerprint and options), every file it wrote still exists, and every
corpus file it was made from has the hash recorded then.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .manifest import entry_files
from .sources import DocumentRef

__all__ = ["Due", "Plan", "Producer", "make_plan"]


@dataclass(frozen=True)
class Producer:
    """A format, or a corpus-level target (the site), as the plan sees it."""

    name: str
    #: What, besides the corpus files, decides its outputs (code fingerprint, options).
    key: str
    #: Whether it makes an output of each book too (a target makes article outputs only).
    books: bool
    #: A format's file extension; None for a corpus-level target, which names its
    #: files itself when it makes them.
    extension: str | None = None

    def output(self, document: DocumentRef) -> str:
        """The manifest's name of the output of ``document``: a format's file
        (``jats/<id>.xml``, ``epub/books/<id>.epub``), a target's ``site/<id>``."""
        stem = f"{self.name}/books/{document.id}" if document.book else f"{self.name}/{document.id}"
        return stem + (self.extension or "")


@dataclass(frozen=True)
class Due:
    """A document to render, to the outputs that are not up to date."""

    document: DocumentRef
    #: (producer name, manifest name of the output)
    outputs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Plan:
    due: tuple[Due, ...]
    #: Files of up-to-date outputs (relative to the output folder), not rewritten.
    skipped: tuple[str, ...]
    #: Manifest names of outputs of documents no longer in the corpus: to delete.
    removed: tuple[str, ...]
    #: The documents considered (those of ``only``, and with an output to make).
    documents: int


def is_fresh(entry: Any, key: str, hashes: Callable[[str], str], exists: Callable[[str], bool],
             checked: dict[int, bool] | None = None) -> bool:
    """Whether a manifest entry says its output is up to date with the corpus files.
    ``checked``: id() of an input set -> whether its files are as recorded, for
    entries that share one set dict (the outputs of one document); each set is then
    compared once."""
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    files, inputs = entry_files("", entry), entry.get("inputs")
    if not files or not all(exists(file) for file in files) or not isinstance(inputs, dict) or not inputs:
        return False
    if checked is not None and id(inputs) in checked:
        return checked[id(inputs)]
    current = all(hashes(str(relative)) == digest for relative, digest in inputs.items())
    if checked is not None:
        checked[id(inputs)] = current
    return current


def withdrawn(documents: Collection[DocumentRef], producers: Collection[str], manifest: Mapping[str, Any]) -> list[str]:
    """The outputs (of the producers of this build) of documents not in the corpus:
    withdrawn health information must not stay published."""
    present = {(document.id, document.book) for document in documents}
    removed = []
    for name, entry in manifest.items():
        if not isinstance(entry, dict) or entry.get("producer") not in producers or "document" not in entry:
            continue
        if (str(entry["document"]), bool(entry.get("book"))) not in present:
            removed.append(name)
    return sorted(removed)


def make_plan(
    documents: Sequence[DocumentRef],
    producers: Sequence[Producer],
    manifest: Mapping[str, Any],
    hashes: Callable[[str], str],
    exists: Callable[[str], bool],
    *,
    only: Collection[str] | None = None,
    force: bool = False,
) -> Plan:
    """Decide what a build does. ``hashes(relative)``: the SHA-256 of a corpus file now;
    ``exists(relative)``: whether an output file is there; ``only``: the document ids
    to consider; ``force``: every output is due."""
    due: list[Due] = []
    skipped: list[str] = []
    considered = 0
    checked: dict[int, bool] = {}  # the manifest, and so every set dict, lives throughout
    for document in documents:
        if only is not None and document.id not in only:
            continue
        mine = [producer for producer in producers if producer.books or not document.book]
        considered += bool(mine)
        outputs: list[tuple[str, str]] = []
        for producer in mine:
            name = producer.output(document)
            entry = manifest.get(name)
            if not force and is_fresh(entry, producer.key, hashes, exists, checked):
                skipped += entry_files(name, entry)
            else:
                outputs.append((producer.name, name))
        if outputs:
            due.append(Due(document, tuple(outputs)))
    removed = withdrawn(set(documents), {producer.name for producer in producers}, manifest)
    return Plan(tuple(due), tuple(skipped), tuple(removed), considered)
