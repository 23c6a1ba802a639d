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

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import CorpusError, Problem
from ..loader import DocumentReader
from ..loader._corpus import _book_path
from ..loader._files import FileTooLarge, NotRegularFile, read_regular_file
from ..schema import Article, Book, Corpus, CorpusSettings, Figure, GlossaryEntry, Include, walk

__all__ = ["SHARED_FILES", "DocumentRef", "FileHashes", "Sources", "document_files", "read_sources"]

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


class FileHashes:
    """SHA-256 of corpus files (relative paths), each read once per build; "missing"
    for a file that is not there (see :func:`file_digest`)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.cache: dict[str, str] = {}

    def __call__(self, relative: str) -> str:
        if relative not in self.cache:
            self.cache[relative] = "missing" if self.root is None else file_digest(self.root / relative)
        return self.cache[relative]


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
    files = [*SHARED_FILES, f"articles/{article.id}.md"]
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


def _shared_fingerprint(root: Path, hashes: FileHashes) -> str:
    blocks = sorted(f"blocks/{p.name}" for p in (root / "blocks").glob("*.md")) if (root / "blocks").is_dir() else []
    return hashlib.sha256(json.dumps([(f, hashes(f)) for f in [*SHARED_FILES, *blocks]]).encode()).hexdigest()


def _read_folder(root: Path) -> Sources:
    reader = DocumentReader(root)  # CorpusError here: nothing is written
    documents = tuple([DocumentRef(a) for a in reader.articles] + [DocumentRef(b, book=True) for b in reader.books])
    hashes = FileHashes(root)
    return Sources(documents, reader.settings, reader.glossary, hashes, root=root, reader=reader,
                   shared=_shared_fingerprint(root, hashes))


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


def read_sources(corpus: str | os.PathLike[str] | Corpus) -> Sources:
    """What the plan needs of ``corpus`` (a folder or a loaded corpus). Raises
    CorpusError when the files every document uses have problems."""
    return _read_model(corpus) if isinstance(corpus, Corpus) else _read_folder(Path(corpus))
