"""The one guard of everything a build writes or deletes: every path stays inside the
output folder, and the output folder is not the corpus.

Partner content is untrusted input, and so is a manifest left in a folder: a name
from either becomes a file name only through :func:`inside`, which refuses absolute
paths, ``..``, empty or control-character segments and backslashes, and resolves the
folders on the way (symbolic links followed) to check that the file stays below the
output folder. :func:`check_output_folder` refuses an output folder that is the
corpus, lies inside it, holds it, or is a link to one of those: a build never writes
into its corpus, and its sweep of stale temporary files never reaches corpus files.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from .._errors import HealthinfoError
from .._paths import path_fault

__all__ = ["OutputPathError", "check_output_folder", "claimed", "inside", "is_safe_name"]


class OutputPathError(HealthinfoError, ValueError):
    """A file name that would leave the output folder, or an output folder that is (in,
    or around) the corpus."""


def is_safe_name(relative: str) -> bool:
    """Whether ``relative`` is a plain relative POSIX path (healthinfo/_paths.py): no
    leading "/", no ".." or "." or empty segment, no control characters, backslashes
    or colons."""
    return path_fault(relative) is None


def inside(output: Path, relative: str) -> Path:
    """The path of ``relative`` (a name a build writes or deletes) below ``output``.
    Raises :class:`OutputPathError` when the name is not a plain relative path or
    when the folders it goes through lead (by symbolic links) outside ``output``."""
    if not is_safe_name(relative):
        raise OutputPathError(f"refused to write or delete {relative!r}: not a relative path inside the output folder")
    path = output.joinpath(*PurePosixPath(relative).parts)
    root = _real(os.path.abspath(output))
    # The folder must resolve inside the output folder; the file itself is replaced
    # by a rename (a link in its place is replaced, never followed).
    folder = os.path.realpath(path.parent)
    if folder != root and not folder.startswith(root + os.sep):
        raise OutputPathError(f"refused to write or delete {relative!r}: its folder leads outside the output folder")
    return path


@functools.lru_cache(maxsize=8)
def _real(output: str) -> str:
    # The output folder's own path, resolved once per process: a build names it once
    # and writes thousands of files below it (each file's folder is resolved anew).
    return os.path.realpath(output)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def check_output_folder(output: Path, corpus: Path, *, around: bool = True) -> None:
    """Refuse an output folder that is the corpus folder, inside it or (``around``)
    holds it, links followed: a build writes only outside its corpus, and what it
    sweeps away (stale temporary files, withdrawn outputs) is never a corpus file. A
    single export or the site command, which delete nothing, may write beside the
    corpus (``around=False``)."""
    out, source = os.path.realpath(output), os.path.realpath(corpus)
    if _within(out, source):
        where = "is the corpus folder" if out == source else "is inside the corpus folder"
        raise OutputPathError(f"the output folder {str(output)!r} {where} {str(corpus)!r}; "
                              "choose a folder outside the corpus (e.g. build/ beside it)")
    if around and _within(source, out):
        raise OutputPathError(f"the output folder {str(output)!r} holds the corpus folder {str(corpus)!r}; "
                              "choose a folder outside the corpus (e.g. build/ beside it)")


@contextlib.contextmanager
def claimed(output: Path, cache: str) -> Iterator[None]:
    """Hold the output folder for one build: an exclusive lock on ``OUT/<cache>/lock``
    (``flock``; released when the build ends, or when its processes are gone). A
    second build into the same folder at the same time is refused with a plain
    message instead of the two failing on each other's files. Where ``flock`` does not
    exist (Windows), nothing is locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    folder = output / cache
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputPathError(f"another build is writing to {str(output)!r}; wait until it has finished, "
                                  "or build into another folder") from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
