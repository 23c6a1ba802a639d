"""Reading the files of a corpus folder, and reporting their problems.

The base of the loader: where the corpus is, the problems found so far (file, line,
plain sentence), the size limits, and the checks every file name and date passes.
The corpus folder is only read, never written.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import stat
import warnings
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import CorpusWarning, Problem
from ..schema._base import Id
from ._validation import explain
from ._yaml import YamlProblem, load_yaml

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "FileReader",
    "FileTooLarge",
    "NotRegularFile",
    "is_id",
    "parse_date",
    "read_regular_file",
]

#: Largest text file (article, block, YAML) read, in bytes.
MAX_FILE_BYTES = 2_000_000
#: Largest image file, in bytes.
MAX_IMAGE_BYTES = 20_000_000
#: Largest image, in pixels (width x height).
MAX_IMAGE_PIXELS = 40_000_000

_Model = TypeVar("_Model", bound=BaseModel)

_LOOP = "is a symbolic link that leads back to itself (a loop); replace it with the file it should name"

#: What a file that is not a regular file is, by the kind stat gives.
_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFile(OSError):
    """A path names a folder, FIFO, device or socket: reading it could block or
    never end."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class FileTooLarge(OSError):
    """A file is over the size limit (taken from its status, before reading)."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _file_kind(mode: int) -> str | None:
    """None for a regular file, else what it is ("a FIFO")."""
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _FILE_KINDS if test(mode)), "not a file")


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.
    Its status is looked at before it is opened (a FIFO would block ``open``), and
    again on the open file (it may have been replaced in between); at most ``limit``
    bytes are read whatever the file grows to. Raises NotRegularFile, FileTooLarge or
    OSError."""
    kind = _file_kind(os.stat(path).st_mode)
    if kind is not None:
        raise NotRegularFile(kind)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(file.fileno())
        kind = _file_kind(status.st_mode)
        if kind is not None:
            raise NotRegularFile(kind)
        if status.st_size > limit:
            raise FileTooLarge(status.st_size)
        # As many bytes as the file has (a read of limit + 1 would first allocate
        # that much: 2 MB for every article), then on to the limit if it grew.
        want = status.st_size + 1
        data = file.read(want)
        if len(data) == want:
            data += file.read(limit + 1 - want)
    if len(data) > limit:
        raise FileTooLarge(len(data))
    return data


def _is_loop(path: Path) -> bool:
    """Whether ``path`` is a symbolic link that never reaches a file (a loop)."""
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


class _IdCheck(BaseModel):
    id: Id


def is_id(value: str) -> bool:
    """Whether ``value`` is a valid id (lower-case letters, digits and hyphens)."""
    try:
        _IdCheck(id=value)
    except ValidationError:
        return False
    return True


def parse_date(value: Any) -> dt.date:
    """A date from YAML (a date, or a YYYY-MM-DD string); ValueError with the
    sentence to report otherwise."""
    if isinstance(value, dt.datetime):
        raise ValueError("write a date without a time, e.g. 2024-01-23")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-23")


class FileReader:
    """The corpus folder's files, read with every problem collected."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # How paths are shown in problems: as the corpus folder was named by the caller.
        self.display_root = str(root)
        self.problems: list[Problem] = []
        # Lines whose problem says it all (an impossible date): what else would be
        # said of the same line (its field's type) is not said again.
        self.settled: set[tuple[str, int]] = set()
        #: What looks wrong but does not stop the corpus loading, with stable codes.
        self.warnings: list[CorpusWarning] = []
        #: The build date: ``updated`` after it is suspicious (a warning).
        self.today = dt.date.today()
        #: The SHA-256 of every corpus file read, by its path relative to the corpus:
        #: what a build records is the hash of the bytes its outputs were made from,
        #: not of the file as it is a moment later.
        self.digests: dict[str, str] = {}

    # ------------------------------------------------------------ reporting
    def rel(self, path: Path) -> str:
        try:
            inner = path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
        return os.path.join(self.display_root, inner)

    def problem(self, path: Path, line: int | None, message: str) -> None:
        shown = self.rel(path)
        if line is None or (shown, line) not in self.settled:
            self.problems.append(Problem(shown, line, message))

    def warn(self, path: Path, line: int | None, code: str, message: str) -> None:
        """Record a warning (issued when the corpus loads) with its stable code."""
        self.warnings.append(CorpusWarning(code, Problem(self.rel(path), line, message)))

    def issue_warnings(self) -> None:
        """Issue the recorded warnings (:func:`warnings.warn`), each once."""
        for warning in self.warnings:
            warnings.warn(warning, stacklevel=4)
        self.warnings = []

    def settle(self, path: Path, line: int, message: str) -> None:
        """Report a problem that says all there is to say about its line."""
        self.problem(path, line, message)
        self.settled.add((self.rel(path), line))

    def validate(
        self, cls: type[_Model], data: Any, path: Path, line_offset: int = 0, **extra: Any
    ) -> _Model | None:
        """Build ``cls`` from YAML data, reporting each error at its line."""
        if not isinstance(data, dict):
            self.problem(path, (getattr(data, "line", None) or 1) + line_offset - (1 if line_offset else 0),
                         f"expected a mapping of fields (key: value), found {type(data).__name__}")
            return None
        try:
            return cls.model_validate({**data, **extra})
        except ValidationError as error:
            for line, message in explain(error, data, line_offset, model=cls):
                self.problem(path, line, message)
            return None

    # ------------------------------------------------------------ files
    def read_bytes(self, path: Path, limit: int, what: str = "the file") -> bytes | None:
        """The bytes of the regular file at ``path``, or None (reported) when it is
        not a regular file, is over ``limit`` bytes or cannot be read. The size is
        taken from the file's status before anything is read."""
        try:
            return self.note_read(path, read_regular_file(path, limit))
        except NotRegularFile as error:
            self.problem(path, None, f"is not a regular file ({error.kind}); only regular files are read: "
                         "replace it with a file or remove it")
        except FileTooLarge as error:
            self.problem(path, None, f"{what} is {error.size:,} bytes; files over {limit:,} bytes are not read")
        except OSError as error:
            if error.errno == errno.ELOOP:
                self.problem(path, None, _LOOP)
            else:
                self.problem(path, None, f"cannot be read: {error.strerror or error}")
        return None

    def note_read(self, path: Path, data: bytes) -> bytes:
        """Record the hash of ``data``, read from ``path``; returns ``data``."""
        for root in (self.root, Path(os.path.realpath(self.root))):
            try:
                relative = path.relative_to(root).as_posix()
            except ValueError:
                continue
            self.digests[relative] = hashlib.sha256(data).hexdigest()
            break
        return data

    def read_text(self, path: Path) -> str | None:
        """The text of a UTF-8 file with Unix line ends, or None (reported) when it
        is too large, unreadable, not a regular file or not UTF-8."""
        raw = self.read_bytes(path, MAX_FILE_BYTES)
        if raw is None:
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problem(
                path,
                line,
                f"is not UTF-8 text (byte 0x{raw[error.start]:02X}); save the file with UTF-8 encoding",
            )
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    def read_yaml(self, path: Path) -> Any:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            return load_yaml(text)
        except YamlProblem as error:
            self.problem(path, error.line, error.message)
            return None

    def files(self, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
        """The files of ``folder`` with one of ``suffixes``, sorted; hidden files are
        skipped, links out of the corpus and link loops reported."""
        directory = self.root / folder
        if not directory.is_dir():
            return []
        found = []
        # A file that is not a link is inside the corpus when its folder is: only links
        # (and a linked folder) need resolving, which costs a system call per part.
        folder_inside = not directory.is_symlink() and self.inside(directory)
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or path.suffix not in suffixes:
                continue
            if not (folder_inside and not path.is_symlink()):
                if _is_loop(path):
                    self.problem(path, None, _LOOP)
                    continue
                if not self.inside(path):
                    self.problem(path, None, "is a link to a file outside the corpus folder; copy the file in instead")
                    continue
            found.append(path)
        return found

    def inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
            return False
        return True

    def file_id(self, path: Path) -> str | None:
        """The id a file's name gives, or None (reported) when it is not a valid id."""
        stem = path.stem
        if not is_id(stem):
            self.problem(
                path, None, f"the file name {stem!r} is not a valid id; use lower-case letters, digits and hyphens"
            )
            return None
        return stem
