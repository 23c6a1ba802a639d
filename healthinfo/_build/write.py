"""Writing a build's outputs: every file atomically (a temporary file in the same
folder, fsync, rename), on a few threads of the calling process.

An interrupted build leaves every output either the old or the new version, never a
half-written file (POSIX ``rename(2)`` replaces the target in one step); the
temporary files a killed build leaves behind are removed by the next one.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from stat import S_ISREG

from .guard import inside

__all__ = ["Writer", "remove_stale_temporaries", "write_atomic", "write_files"]


#: os.umask can only be read by setting it: the writing threads take turns, or one
#: would read the value another set for a moment and leave it for the whole process.
_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, *, through_links: bool = False) -> None:
    """Write ``data`` to ``path`` so that the file is always either the old or the new
    version, never half-written (temporary file in the same folder, fsync, rename).
    An existing file keeps its permissions. ``through_links``: a symbolic link at
    ``path`` is written through (the file it names is replaced), as a user who names a
    link expects; and a path that is not a regular file (``/dev/stdout``, a FIFO) is
    written into, not replaced. A build never sets it: a link inside its output
    folder is replaced, never followed."""
    if through_links:
        resolved = Path(os.path.realpath(path))
        if resolved.exists() and not resolved.is_file():
            with open(resolved, "wb") as stream:
                stream.write(data)
            return
        path = resolved
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            # What open() would give a new file (0o666 less the umask); the temporary
            # file alone is private (0o600) and a web server could not read it.
            mode = 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files(output: Path, files: Sequence[tuple[str, bytes]]) -> None:
    """Write the files of one output (paths relative to ``output``), in order: the
    resources first, the document last, so that a document never points at a
    resource that is not there yet. A name that would leave ``output`` raises
    :class:`~.guard.OutputPathError` before anything is written. A file that already
    holds its bytes (a rebuild that made the same output, an image shared by many
    documents) is left as it is."""
    paths = [(inside(output, relative), data) for relative, data in files]
    for path, data in paths:
        if not _holds(path, data):
            write_atomic(path, data)


def _holds(path: Path, data: bytes) -> bool:
    """Whether the regular file at ``path`` (not a link) holds exactly ``data``: then
    it is the output already, and is not written again (no second copy, flush and
    rename; its time is kept, as rsync and make like). A file of another size is not
    read."""
    try:
        status = os.lstat(path)
        if not S_ISREG(status.st_mode) or status.st_size != len(data):
            return False
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as stream:
            return stream.read(len(data) + 1) == data
    except OSError:
        return False


#: A temporary file of write_atomic: "." + the file's name + "." + the eight characters
#: tempfile draws + ".tmp".
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def remove_stale_temporaries(output: Path, folders: Collection[str]) -> None:
    """Delete the temporary files a killed build may have left (``.name.xxxxxxxx.tmp``)
    in the output folder itself and below its ``folders`` (the formats' and the
    targets' folders, the cache): only names of that exact form, only where a build
    writes, never following a link out. The outputs themselves are always complete."""
    if not output.is_dir():
        return
    _sweep(output, recursive=False)
    for name in folders:
        folder = output / name
        if folder.is_dir() and not folder.is_symlink():
            _sweep(folder, recursive=True)


def _sweep(top: Path, recursive: bool) -> None:
    todo = [top]
    while todo:
        try:
            entries = list(os.scandir(todo.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if recursive:
                    todo.append(Path(entry.path))
            elif _TEMPORARY.match(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


class Writer:
    """Writes the outputs on a few threads of this process. Each file is flushed to the
    disk before it replaces the old one (write_atomic), and that wait is for the disk,
    not the processor: on threads, the waits overlap each other and the collecting of
    the workers' results. At most ``limit`` outputs wait to be written, so their bytes
    never pile up. ``on_written`` callbacks run in the calling thread, in order, as the
    writes complete (``write`` and ``finish`` run them), never on a writing thread."""

    def __init__(self, output: Path, threads: int = 4, limit: int = 32) -> None:
        self.output = output
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="healthinfo-write")
        self.limit = limit
        self.pending: deque[tuple[Future[None], Callable[[], None]]] = deque()

    def write(self, files: Sequence[tuple[str, bytes]], on_written: Callable[[], None]) -> None:
        self.pending.append((self.pool.submit(write_files, self.output, files), on_written))
        self._collect(block=len(self.pending) > self.limit)

    def _collect(self, block: bool) -> None:
        while self.pending and (block or self.pending[0][0].done()):
            future, on_written = self.pending.popleft()
            future.result()  # a write that failed (a full disk) raises here
            on_written()
            block = block and len(self.pending) > self.limit

    def finish(self) -> None:
        """Wait for every write; raise the first that failed."""
        while self.pending:
            future, on_written = self.pending.popleft()
            future.result()
            on_written()

    def close(self) -> None:
        """After an interruption or an error: let the writes under way complete (each is
        atomic), cancel the others, and record those that were written."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        while self.pending:
            future, on_written = self.pending.popleft()
            if not future.cancelled() and future.exception() is None:
                on_written()


def existing_files(output: Path, skip: Collection[str] = ()) -> frozenset[str]:
    """Every file below ``output`` (paths relative to it, with "/"), from one walk of
    the folder: a build asks for thousands of outputs whether they exist, and one
    listing costs a fraction of a stat() each. ``skip``: top-level folders not walked
    (the build's cache)."""
    found: list[str] = []
    todo = [(output, "")]
    while todo:
        folder, prefix = todo.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not (prefix == "" and entry.name in skip):
                    todo.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif entry.is_file():
                found.append(prefix + entry.name)
    return frozenset(found)
