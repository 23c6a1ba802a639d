"""The manifest of a build (``OUT/.healthinfo-manifest.json``): what each output was
made from, so that the next build skips what is up to date.

    {"healthinfo": "<version>", "layout": 3,
     "inputs": {"<set id>": {"articles/<id>.md": "<sha256>", "glossary.yaml": "<sha256>", ...}},
     "outputs": {
        "jats/<id>.xml": {"producer": "jats", "document": "<id>", "book": false,
                          "key": "<code fingerprint and options>",
                          "inputs": "<set id>", "files": ["jats/<id>.xml"]},
        "site/<id>": {..., "files": ["site/articles/<id>.html"], "summary": {...}},
        "site/index.html": {"producer": "site", "page": true}}}

The corpus files an output was made from, with their hashes, form a set that every
output of the same document made at the same time shares: it is written once under
"inputs" (its id is a hash of its content) and each output names it. In memory (what
:func:`read_manifest` returns and :func:`write_manifest` takes) an entry's "inputs" is
the set itself, and entries read from one set share one dict, so that the plan checks
each set once. An output of a corpus-level target (the site) records the files it
made and the summary its corpus-level pages (``page``) are made from. A manifest of
another layout is not read: everything is built again once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from .._version import __version__
from .write import write_atomic

__all__ = [
    "LAYOUT", "MANIFEST", "PENDING", "clear_pending", "entry_files", "merge", "read_manifest", "take_pending",
    "write_manifest", "write_pending",
]

MANIFEST = ".healthinfo-manifest.json"

#: The build's cache folder inside the output folder (code fingerprints, compiled
#: templates): nothing in it is an output, and deleting it only makes the next build
#: slower.
CACHE = ".healthinfo-cache"
#: The layout of the entries; a manifest of another layout is ignored.
LAYOUT = 3


class InputSet(dict[str, str]):
    """An input set as read from a manifest, with the id it was stored under: written
    again unchanged, it keeps that id without being serialised and hashed again (a
    thousand sets cost a twentieth of a second). Never changed after reading."""

    key: str | None = None


def entry_files(name: str, entry: Any) -> list[str]:
    """The files (relative to the output folder) an entry records: the output's own
    files, the resources beside them aside; ``[name]`` when it lists none."""
    files = entry.get("files") if isinstance(entry, dict) else None
    if isinstance(files, list) and all(isinstance(file, str) for file in files):
        return list(files)
    return [name] if name else []


def read_manifest(path: Path, problems: list[str] | None = None) -> dict[str, Any]:
    """The outputs the manifest at ``path`` records; {} when there is none, or it is
    unreadable, damaged or of another layout (everything is then built again).
    ``problems`` gets a sentence when the file is there but cannot be used."""

    def damaged(why: str) -> dict[str, Any]:
        if problems is not None:
            problems.append(f"the manifest of the last build {why}; everything is built again")
        return {}

    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError, RecursionError) as error:
        return damaged(f"cannot be read ({type(error).__name__})")
    if not isinstance(data, dict) or data.get("layout") != LAYOUT:
        return {} if isinstance(data, dict) and isinstance(data.get("layout"), int) else damaged("is damaged")
    outputs, sets = data.get("outputs"), data.get("inputs")
    if not isinstance(outputs, dict) or not isinstance(sets, dict):
        return damaged("is damaged")
    read: dict[str, InputSet] = {}
    for entry in outputs.values():
        if isinstance(entry, dict) and "inputs" in entry:
            named = entry["inputs"]
            # An unknown or malformed set reads as none: the output is due.
            entry["inputs"] = _input_set(named, sets, read) if isinstance(named, str) else None
    return dict(outputs)


def _input_set(named: str, sets: Mapping[str, Any], read: dict[str, InputSet]) -> InputSet | None:
    """The set stored under ``named``, one object for every entry that names it."""
    if named not in read:
        stored = sets.get(named)
        if not isinstance(stored, dict):
            return None
        read[named] = InputSet(stored)
        read[named].key = named
    return read[named]


def _set_id(inputs: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]


def merge(previous: Mapping[str, Any], due: Collection[str], done: Mapping[str, Any],
          exists: Callable[[str], bool]) -> dict[str, Any]:
    """The manifest after a build: the entries of the last build whose files are all
    still there, and those written now. An output that was due but not written
    (its document failed, the build was interrupted) keeps its entry without its key
    and input set: it is not up to date, so the next build makes it again, and it is
    still known as this tool's file, so it is removed if its document is withdrawn."""
    kept: dict[str, Any] = {}
    for name, entry in previous.items():
        if name in done or not (files := entry_files(name, entry)) or not all(exists(file) for file in files):
            continue
        if name in due and isinstance(entry, dict):
            entry = {key: value for key, value in entry.items() if key not in ("key", "inputs")}
        kept[name] = entry
    return {**kept, **done}


#: The file, in the build's cache folder, that names the outputs a build is about to
#: write, until its manifest is written: a build killed before that (SIGKILL, a power
#: cut) leaves it, and the next build knows those files as this tool's.
PENDING = "pending.json"


def write_pending(folder: Path, outputs: Mapping[str, Any]) -> None:
    """Name the outputs about to be written (manifest name -> an entry with producer,
    document, book and files, and no key: never up to date)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / PENDING, json.dumps({"layout": LAYOUT, "outputs": dict(outputs)}, sort_keys=True).encode())


def take_pending(folder: Path, manifest: dict[str, Any]) -> None:
    """Fold the outputs a killed build was writing into ``manifest`` (each replaces the
    entry of the same name: its file may hold the new version or the old one), so
    that they are made again, or removed when their document is gone."""
    path = folder / PENDING
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    outputs = data.get("outputs") if isinstance(data, dict) and data.get("layout") == LAYOUT else None
    if isinstance(outputs, dict):
        for name, entry in outputs.items():
            if isinstance(entry, dict):
                manifest[name] = {key: value for key, value in entry.items() if key not in ("key", "inputs")}


def clear_pending(folder: Path) -> None:
    (folder / PENDING).unlink(missing_ok=True)


def write_manifest(path: Path, outputs: Mapping[str, Any]) -> None:
    """Write the manifest of ``outputs`` (entries with their input sets, as
    :func:`read_manifest` returns them), each input set once."""
    sets: dict[str, Any] = {}
    named: dict[int, str] = {}  # id() of a set dict -> its id (entries share dicts)
    written: dict[str, Any] = {}
    for name, entry in outputs.items():
        inputs = entry.get("inputs") if isinstance(entry, dict) else None
        if isinstance(inputs, dict):
            key = named.get(id(inputs))
            if key is None:
                key = inputs.key if isinstance(inputs, InputSet) and inputs.key else None
                if key is None or (key in sets and sets[key] != inputs):  # a new set, or a damaged id
                    key = _set_id(inputs)
                named[id(inputs)] = key
                sets[key] = inputs
            entry = {**entry, "inputs": key}
        written[name] = entry
    data = {"healthinfo": __version__, "layout": LAYOUT, "inputs": sets, "outputs": written}
    write_atomic(path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
