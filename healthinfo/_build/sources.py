"""What a build reads of its corpus before it plans: the ids of the documents, the
settings and the glossary, and the SHA-256 of corpus files, from a corpus folder or
from a loaded :class:`~healthinfo.schema.Corpus`.

From a folder, only the files every document uses are parsed here (settings,
glossary, references, reusable blocks); each document is loaded by the worker that
renders it. A loaded corpus has no files: each document stands for itself, under the
name ``<model>:articles/<id>.md`` (or ``…books/<id>.yaml``), whose "hash" is that of
the document's JSON.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from .._errors import CorpusError, Problem
from .._version import __version__
from ..loader import DocumentReader
from ..loader._corpus import TRANSLATIONS, _book_path
from ..loader._files import FileTooLarge, NotRegularFile, read_regular_file
from ..csl.styles import is_style_file
from ..schema import Article, Book, Corpus, CorpusSettings, Figure, GlossaryEntry, Include, walk

__all__ = ["SHARED_FILES", "DocumentRef", "FileHashes", "Sources", "document_files", "known_files", "read_sources"]

#: Corpus files every article depends on (its publisher, glossary entries, sources).
SHARED_FILES = ("healthinfo.yaml", "glossary.yaml", "references.yaml", "references.yml", "references.json")

#: The prefix of the names a loaded corpus's documents stand under.
MODEL = "<model>:"


@dataclass(frozen=True, order=True)
class DocumentRef:
    """An article or a book, by id."""

    id: str
    book: bool = False

    @property
    def file(self) -> str:
        """Its own file, relative to the corpus folder (a book's may be ``.yml``
        instead: :meth:`Sources.name`)."""
        return f"books/{self.id}.yaml" if self.book else f"articles/{self.id}.md"


#: Files larger than this are not read to be hashed: no corpus file may be this large
#: (the loader's limits are 2 MB for text and 20 MB for an image), so such a file is
#: named by its size and time instead, and the loader reports it.
HASH_LIMIT = 64 * 1024 * 1024


#: A file's digest is taken from its bytes again, whatever its recorded status says,
#: while its modification (or status change) time is this close to the moment it was
#: looked at: an edit within the same tick of the file system's clock would keep the
#: time (git's "racily clean" rule).
RACY_NS = 2_000_000_000

#: What a corpus file's status is compared by: size, modification and status-change
#: times (ns), inode and device.
Stamp = tuple[int, int, int, int, int]


def _stamp(status: os.stat_result) -> Stamp:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev)


class FileHashes:
    """SHA-256 of corpus files (relative paths), each read once per build; "missing"
    for a file that is not there (see :func:`file_digest`).

    ``known``: the digests the last build took, with each file's status then
    (relative path -> [size, mtime_ns, ctime_ns, inode, device, digest], what
    :attr:`stamps` holds after a build). A file whose status is the same is not read
    again: a rebuild of a thousand articles looks at a thousand statuses instead of
    reading and hashing 25 MB. A file changed less than :data:`RACY_NS` before it was
    looked at is never recorded, so an edit can never hide behind an equal time."""

    def __init__(self, root: Path | None, known: Mapping[str, Any] | None = None) -> None:
        self.root = root
        self.cache: dict[str, str] = {}
        self.known = known or {}
        #: The status and digest of each file read or looked at, for the next build.
        self.stamps: dict[str, list[Any]] = {}
        self._base = "" if root is None else os.fspath(root)

    def __call__(self, relative: str) -> str:
        if relative not in self.cache:
            self.cache[relative] = "missing" if self.root is None else self._digest(relative)
        return self.cache[relative]

    def _digest(self, relative: str) -> str:
        path = os.path.join(self._base, relative)
        try:
            status = os.stat(path)
        except FileNotFoundError:  # as file_digest says of it, without a second look
            return "missing"
        except (OSError, ValueError):
            status = None
        stamp = _stamp(status) if status is not None and S_ISREG(status.st_mode) else None
        if stamp is not None:
            entry = self.known.get(relative)
            if isinstance(entry, list) and len(entry) == 6 and tuple(entry[:5]) == stamp and isinstance(entry[5], str):
                self.stamps[relative] = entry
                return entry[5]
        digest = file_digest(Path(path))
        settled = status is not None and time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > RACY_NS
        if stamp is not None and settled and len(digest) == 64:  # a regular file, read whole, not just changed
            self.stamps[relative] = [*stamp, digest]
        return digest

    def save(self, path: Path) -> None:
        """Record :attr:`stamps` for the next build (atomically; only when they changed:
        a cache that cannot be written only makes the next build read the files)."""
        if self.root is None or self.stamps == self.known:
            return
        from .write import write_atomic

        data = {"version": __version__, "root": self._base, "files": self.stamps}
        with contextlib.suppress(OSError):
            write_atomic(path, json.dumps(data, separators=(",", ":")).encode())


def known_files(path: Path, root: str | os.PathLike[str]) -> dict[str, Any]:
    """What :meth:`FileHashes.save` recorded at ``path`` for the corpus folder
    ``root`` ({} when nothing, another version's or another folder's: every file is
    then read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("version") != __version__ or data.get("root") != os.fspath(root):
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def file_digest(path: Path) -> str:
    """The SHA-256 of a corpus file, read as the loader reads one (a FIFO is never
    opened to wait for a writer); "missing" when there is none or it is a FIFO or a
    device, "unreadable" when it is a folder or cannot be read, its size and time
    when it is over :data:`HASH_LIMIT` (not read). Never raises: the loader reports
    what is wrong with the file, with its name."""
    try:
        return hashlib.sha256(read_regular_file(path, HASH_LIMIT)).hexdigest()  # the loader's one reader
    except FileNotFoundError:
        return "missing"
    except NotRegularFile as error:  # a FIFO, a device: as if not there; a folder: not a file to read
        return "unreadable" if "folder" in error.kind else "missing"
    except FileTooLarge as error:
        try:
            return f"oversized:{error.size}:{os.stat(path).st_mtime_ns}"
        except OSError:
            return f"oversized:{error.size}:"
    except (OSError, ValueError):  # a link loop, permissions; a NUL in the name
        return "unreadable"


def _article_files(article: Article) -> list[str]:
    # Its translation links: the front matter of the other articles of its translation.
    files = [*SHARED_FILES, f"articles/{article.id}.md", f"{TRANSLATIONS}{article.id}"]
    style = article.citation_style
    if style is not None and is_style_file(style.name):
        files.append(style.name)  # the corpus's CSL style file
    for node in walk([article.blocks, article.sections, article.back]):
        if isinstance(node, Include):
            files.append(f"blocks/{node.ref}.md")
        elif isinstance(node, Figure):
            files.append(node.image.path)
    return files


def document_files(document: Article | Book, root: Path) -> tuple[str, ...]:
    """The corpus files a loaded document is made from (paths relative to the corpus):
    an article's file, the shared files, the reusable blocks it includes and its
    images; for a book also the book file, its cover and all its articles' files."""
    if isinstance(document, Article):
        return tuple(dict.fromkeys(_article_files(document)))
    files = [_book_path(root, document.id).relative_to(root).as_posix()]
    if document.cover:
        files.append(document.cover.path)
    for article in document.articles:
        files += _article_files(article)
    return tuple(dict.fromkeys(files))


@dataclass
class Sources:
    """A corpus as the plan sees it."""

    documents: tuple[DocumentRef, ...]
    settings: CorpusSettings
    glossary: dict[str, GlossaryEntry]
    hashes: FileHashes
    #: The corpus folder; None for a loaded corpus.
    root: Path | None = None
    #: The folder's reader (shared files read); handed to in-process rendering.
    reader: DocumentReader | None = None
    #: A fingerprint of the files every document uses (folder only): a worker reads
    #: them again when it changes.
    shared: str = ""
    #: The build date the loader checks dates against (ISO; "" for today).
    today: str = ""
    #: A loaded corpus's documents.
    models: dict[DocumentRef, Article | Book] = field(default_factory=dict)

    def name(self, document: DocumentRef) -> str:
        """The name the document's own input stands under in the manifest: its file
        (a book's may end in .yml), or its model's name."""
        if self.root is None:
            return f"{MODEL}{document.file}"
        if document.book:
            return _book_path(self.root, document.id).relative_to(self.root).as_posix()
        return document.file


def _shared_fingerprint(root: Path, hashes: FileHashes, settings: CorpusSettings) -> str:
    blocks = sorted(f"blocks/{p.name}" for p in (root / "blocks").glob("*.md")) if (root / "blocks").is_dir() else []
    # The CSL style file that healthinfo.yaml names (a style by name is in the settings).
    style = settings.citation_style
    styles = [style] if style is not None and is_style_file(style) else []
    return hashlib.sha256(json.dumps([(f, hashes(f)) for f in [*SHARED_FILES, *blocks, *styles]]).encode()).hexdigest()


def _read_folder(root: Path, known: Mapping[str, Any] | None, today: dt.date | None) -> Sources:
    reader = DocumentReader(root, today=today)  # CorpusError here: nothing is written
    documents = tuple([DocumentRef(a) for a in reader.articles] + [DocumentRef(b, book=True) for b in reader.books])
    hashes = FileHashes(root, known)
    links = reader.translation_digests()
    hashes.cache.update(links)
    # A worker reads the translations again when they changed, as it reads the shared files.
    shared = hashlib.sha256(json.dumps([_shared_fingerprint(root, hashes, reader.settings), sorted(links.items())]).encode())
    return Sources(documents, reader.settings, reader.glossary, hashes, root=root, reader=reader,
                   shared=shared.hexdigest(), today=today.isoformat() if today else "")


def _read_model(corpus: Corpus) -> Sources:
    models: dict[DocumentRef, Article | Book] = {DocumentRef(a): article for a, article in corpus.articles.items()}
    models.update({DocumentRef(b, book=True): book for b, book in corpus.books.items()})
    hashes = FileHashes(None)
    problems = []
    for document, model in models.items():
        name = f"{MODEL}{document.file}"
        try:
            hashes.cache[name] = hashlib.sha256(model.model_dump_json().encode()).hexdigest()
        except ValueError:  # pydantic's serializer refuses a model nested too deep
            problems.append(Problem(name, None, "is nested too deeply to be built; the loader's limits are in docs/security.md"))
    if problems:
        raise CorpusError(problems)
    return Sources(tuple(models), corpus.settings, corpus.glossary, hashes, models=models)


def read_sources(
    corpus: str | os.PathLike[str] | Corpus, known: Mapping[str, Any] | None = None, today: dt.date | None = None
) -> Sources:
    """What the plan needs of ``corpus`` (a folder or a loaded corpus). ``known``: the
    status and digest of each file as the last build recorded them (see
    :class:`FileHashes`). ``today``: the build date the loader checks dates against.
    Raises CorpusError when the files every document uses have problems."""
    return _read_model(corpus) if isinstance(corpus, Corpus) else _read_folder(Path(corpus), known, today)
