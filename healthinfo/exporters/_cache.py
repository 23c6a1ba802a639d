"""Where the exporters of this process may keep what they compile (the HTML
templates' bytecode) between processes: a folder a build names, inside its output's
cache folder. Nothing an exporter writes depends on it: a missing or unwritable
folder only costs the compiling again. Kept here, away from the exporters, so that
naming the folder imports no exporter."""

from __future__ import annotations

from pathlib import Path

__all__ = ["compiled_folder", "keep_compiled_in"]

_FOLDER: list[Path | None] = [None]


def keep_compiled_in(folder: Path | None) -> None:
    """Keep compiled templates in ``folder`` from now on (None: in memory only)."""
    _FOLDER[0] = folder


def compiled_folder() -> Path | None:
    """The folder named by :func:`keep_compiled_in`, if any."""
    return _FOLDER[0]
