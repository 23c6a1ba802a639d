"""The manifest of a build (``OUT/.healthinfo-manifest.json``): what each output was
made from, so that the next build skips what is up to date.

    {"healthinfo": "<version>", "layout": 2, "outputs": {
        "jats/<id>.xml": {"producer": "jats", "document": "<id>", "book": false,
                          "key": "<code fingerprint and options>",
                          "inputs": {"articles/<id>.md": "<sha256>", ...},
                          "files": ["jats/<id>.xml"]},
        "site/<id>": {..., "files": ["site/articles/<id>.html"], "summary": {...}},
        "site/index.html": {"producer": "site", "page": true}}}

An output of a corpus-level target (the site) records the files it made and the
summary its corpus-level pages (``page``) are made from. A manifest of another layout
is not read: everything is built again once.
"""

from __future__ import annotations

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
LAYOUT = 2


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
    outputs = data.get("outputs") if isinstance(data, dict) and data.get("layout") == LAYOUT else None
    return dict(outputs) if isinstance(outputs, dict) else {}


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
    data = {"healthinfo": __version__, "layout": LAYOUT, "outputs": dict(outputs)}
    write_atomic(path, json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
