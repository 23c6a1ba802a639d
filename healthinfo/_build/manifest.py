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

__all__ = ["LAYOUT", "MANIFEST", "entry_files", "merge", "read_manifest", "write_manifest"]

MANIFEST = ".healthinfo-manifest.json"

#: The build's cache folder inside the output folder (code fingerprints, compiled
#: templates): nothing in it is an output, and deleting it only makes the next build
#: slower.
CACHE = ".healthinfo-cache"
#: The layout of the entries; a manifest of another layout is ignored.
LAYOUT = 3


def entry_files(name: str, entry: Any) -> list[str]:
    """The files (relative to the output folder) an entry records: the output's own
    files, the resources beside them aside; ``[name]`` when it lists none."""
    files = entry.get("files") if isinstance(entry, dict) else None
    if isinstance(files, list) and all(isinstance(file, str) for file in files):
        return list(files)
    return [name] if name else []


def read_manifest(path: Path) -> dict[str, Any]:
    """The outputs the manifest at ``path`` records; {} when there is none, or it is
    unreadable or of another layout."""
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return {}
    if not isinstance(data, dict) or data.get("layout") != LAYOUT:
        return {}
    outputs, sets = data.get("outputs"), data.get("inputs")
    if not isinstance(outputs, dict) or not isinstance(sets, dict):
        return {}
    for entry in outputs.values():
        if isinstance(entry, dict) and "inputs" in entry:
            named = entry["inputs"]
            # An unknown or malformed set reads as none: the output is due.
            entry["inputs"] = sets.get(named) if isinstance(named, str) else None
    return dict(outputs)


def merge(previous: Mapping[str, Any], due: Collection[str], done: Mapping[str, Any],
          exists: Callable[[str], bool]) -> dict[str, Any]:
    """The manifest after a build: the entries of the last build that were not due and
    whose files are all still there, and those written now. Entries of outputs that
    were due but not written (failed, interrupted) are dropped, so the manifest lists
    only outputs complete on disk and an interrupted build resumes where it stopped."""
    kept = {
        name: entry for name, entry in previous.items()
        if name not in due and (files := entry_files(name, entry)) and all(exists(file) for file in files)
    }
    return {**kept, **done}


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
                key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]
                named[id(inputs)] = key
                sets[key] = inputs
            entry = {**entry, "inputs": key}
        written[name] = entry
    data = {"healthinfo": __version__, "layout": LAYOUT, "inputs": sets, "outputs": written}
    write_atomic(path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
