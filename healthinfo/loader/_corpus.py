"""Reading a corpus folder into the model, checking every reference on the way.

Every problem is collected (file, line, plain sentence) and raised together as one
:class:`~healthinfo.CorpusError`. The corpus folder is only read, never written.

The loader is built in layers, each a module: the files and their problems
(``_files``), what every document uses (``_shared``), articles (``_articles``, with
their sections from ``_sections``) and books (``_books``). This module puts them
together: the whole corpus at once (:func:`load_corpus`) or one document at a time
(:class:`DocumentReader`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Collection
from pathlib import Path

from pydantic import ValidationError

from .._errors import CorpusError, Problem
from ..schema import Article, Book, Corpus, CorpusSettings, GlossaryEntry
from ._books import BookLoader
from ._books import _book_path as _book_path  # re-exported: the build imports it from here
from ._files import MAX_FILE_BYTES, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from ._translations import TRANSLATIONS

__all__ = ["MAX_FILE_BYTES", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS", "TRANSLATIONS", "DocumentReader", "load_corpus"]


def load_corpus(
    path: str | os.PathLike[str],
    *,
    articles: Collection[str] | None = None,
    books: Collection[str] | None = None,
    today: dt.date | None = None,
) -> Corpus:
    """Read the corpus folder at ``path``: settings, glossary, references, reusable
    blocks, articles and books. Raises :class:`~healthinfo.CorpusError` listing every
    problem when anything is wrong; issues a :class:`~healthinfo.CorpusWarning` (with
    :func:`warnings.warn`) for each thing that only looks wrong.

    ``articles`` / ``books``: load only these ids (the articles a loaded book holds
    are loaded too). Incremental builds use this; problems of the files not loaded
    are not looked for.

    ``today``: the build date the content's dates are checked against (an ``updated``
    after it is a warning); default: today's date."""
    loader = _Loader(corpus_folder(path, "load_corpus"), articles, books)
    loader.today = _build_date(today, "load_corpus")
    return loader.load()


def _build_date(today: object, caller: str) -> dt.date:
    if today is None:
        return dt.date.today()
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        raise TypeError(f"{caller}() takes today as a datetime.date, not {type(today).__name__}")
    return today


def corpus_folder(path: object, caller: str) -> Path:
    """``path`` as a Path; TypeError when it is not a str or a path, CorpusError when
    it is empty (whether it is a folder is checked when the shared parts load)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{caller}() takes the corpus folder as a str or a path, not {type(path).__name__}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise TypeError(f"{caller}() takes the corpus folder as a str or a path, not a bytes path")
    if not text:
        raise CorpusError([Problem("''", None, "no corpus folder given (the path is empty)")])
    return Path(text)


class DocumentReader:
    """A corpus read one document at a time: the settings, glossary, references and
    reusable blocks once, then each article or book when asked for. Builds use it so
    that each worker process loads only its own share of a large corpus.

    Problems of the shared files, and file names that are not ids, raise
    :class:`~healthinfo.CorpusError` when the reader is made; problems of a document
    when it is loaded."""

    def __init__(self, path: str | os.PathLike[str], *, today: dt.date | None = None) -> None:
        self._loader = _Loader(corpus_folder(path, "DocumentReader"), (), ())
        self._loader.today = _build_date(today, "DocumentReader")
        # Per thread: a thread pool's workers share one reader, each loading its own document.
        self._last = threading.local()
        self._loader.load_shared()
        self.articles: list[str] = []
        self.books: list[str] = []
        for files, ids in ((self._loader.files("articles", (".md",)), self.articles),
                           (self._loader.book_files(), self.books)):
            for file in files:
                if self._loader.file_id(file) is not None:
                    ids.append(file.stem)
        if not self.articles and not self._loader.problems:
            self._loader.problem(self._loader.root / "articles", None, "no articles found; add Markdown files to articles/")
        self._loader.corpus()  # raises CorpusError for any problem so far

    @property
    def settings(self) -> CorpusSettings:
        assert self._loader.settings is not None
        return self._loader.settings

    @property
    def glossary(self) -> dict[str, GlossaryEntry]:
        return self._loader.glossary

    def digest(self, relative: str) -> str | None:
        """The SHA-256 of the corpus file ``relative`` (a POSIX path inside the corpus)
        as the last document loaded read it (or the shared files, as read when the
        reader was made); None when it was not read."""
        if relative.startswith(TRANSLATIONS):
            return self._loader.translations.digest(relative.removeprefix(TRANSLATIONS))
        last: dict[str, str] = getattr(self._last, "digests", {})
        return last.get(relative, self._loader.digests.get(relative))

    def translation_digests(self) -> dict[str, str]:
        """For each article, under ``<translations>:<id>``, what its translation links
        are made from (the front matter of the articles of its translation, as
        :meth:`digest` gives it): a build records it as an input of the article."""
        return {f"{TRANSLATIONS}{article_id}": self._loader.translations.digest(article_id) for article_id in self.articles}

    def load(self, articles: Collection[str] = (), books: Collection[str] = ()) -> Corpus:
        """The given articles and books (and the articles the books hold) as a Corpus
        with the shared parts; CorpusError lists their problems."""
        return self._documents(articles, books).corpus()

    def article(self, article_id: str) -> Article:
        """One article; CorpusError lists its problems."""
        loader = self._documents([article_id], ())
        loader.issue_warnings()
        if loader.problems or article_id not in loader.articles:
            raise CorpusError(loader.problems or [_not_loaded(loader.root / "articles" / f"{article_id}.md")])
        return loader.articles[article_id]

    def book(self, book_id: str) -> Book:
        """One book with its articles; CorpusError lists their problems."""
        loader = self._documents((), [book_id])
        loader.issue_warnings()
        if loader.problems or book_id not in loader.books:
            raise CorpusError(loader.problems or [_not_loaded(_book_path(loader.root, book_id))])
        return loader.books[book_id]

    def _documents(self, articles: Collection[str], books: Collection[str]) -> _Loader:
        loader = self._loader.fork()
        self._last.digests = loader.digests
        loader.partial = True
        loader.only_articles, loader.only_books = set(articles), set(books)
        for article_id in sorted(loader.only_articles):
            loader.attempted.add(article_id)
            loader.load_article(loader.root / "articles" / f"{article_id}.md")
        for book_id in sorted(loader.only_books):
            found = _book_path(loader.root, book_id)
            loader.load_book(found)
        return loader


def _not_loaded(path: Path) -> Problem:
    """What to say of a document that gave neither a problem nor a model (a problem
    is always given; this keeps a gap from being a KeyError in a build)."""
    return Problem(str(path), None, "could not be loaded; check that the file is there and readable")


class _Loader(BookLoader):
    """The whole loader: settings, glossary, references, blocks, articles and books;
    all of them, or (``partial``) only the articles and books asked for."""

    def __init__(self, root: Path, only_articles: Collection[str] | None = None, only_books: Collection[str] | None = None) -> None:
        super().__init__(root)
        self.partial = only_articles is not None or only_books is not None
        self.only_articles = set(only_articles or ())
        self.only_books = set(only_books or ())

    def load(self) -> Corpus:
        self.load_shared()
        article_files = self.files("articles", (".md",))
        if not article_files and not self.partial:
            self.problem(self.root / "articles", None, "no articles found; add Markdown files to articles/")
        for path in article_files:
            if not self.partial or path.stem in self.only_articles:
                self.attempted.add(path.stem)
                self.load_article(path)
        for path in self.book_files():
            if not self.partial or path.stem in self.only_books:
                self.load_book(path)
        return self.corpus()

    def corpus(self) -> Corpus:
        """The loaded parts as a Corpus; CorpusError when anything had a problem.
        The warnings are issued either way."""
        self.issue_warnings()
        if self.problems or self.settings is None:
            raise CorpusError(self.problems)
        try:
            return Corpus(
                settings=self.settings,
                articles=self.articles,
                blocks={k: v for k, v in self.blocks.items() if v is not None},
                glossary=self.glossary,
                references=self.references,
                books=self.books,
            )
        except ValidationError as error:  # pragma: no cover - every part was checked above
            raise CorpusError([Problem(self.display_root, None, str(error))]) from None

    def fork(self) -> _Loader:
        """A loader for more documents that shares this one's loaded settings,
        glossary, references and blocks (which loading documents only reads)."""
        other = _Loader(self.root, (), ())
        self.share_with(other)
        return other
