"""Reading a book: ``books/<id>.yaml``, the book's metadata and the ids of its
articles in order, into a :class:`~healthinfo.schema.Book`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from ..schema import Article, Book, CorpusSettings, Image, Publisher
from ..schema._base import ContentStr, Id, LanguageTag, Node, NonEmptyStr
from ..schema.book import Profile, Series
from ._articles import ArticleLoader
from ._files import parse_date
from ._validation import explain
from ._yaml import LineDict, LineList

__all__ = ["BOOK_SUFFIXES", "BookFile", "BookLoader", "_book_path"]

#: A book file's name endings, the first preferred when both exist.
BOOK_SUFFIXES = (".yaml", ".yml")


class BookFile(Node):
    """A ``books/<id>.yaml`` file: as the model's Book, with ids where the model has
    the objects (publisher, articles, cover)."""

    title: NonEmptyStr
    subtitle: ContentStr | None = None
    identifier: NonEmptyStr
    lang: LanguageTag | None = None
    publisher: Id | None = None
    profile: Profile = Profile.ebook
    description: ContentStr | None = None
    date: Any = None
    articles: list[Id] = Field(min_length=1)
    cover: NonEmptyStr | None = None
    series: Series | None = None


def _book_path(root: Path, book_id: str) -> Path:
    """The file of book ``book_id`` in the corpus at ``root`` (``.yaml`` when there is none)."""
    for suffix in BOOK_SUFFIXES:
        if os.path.lexists(root / "books" / f"{book_id}{suffix}"):
            return root / "books" / f"{book_id}{suffix}"
    return root / "books" / f"{book_id}.yaml"


class _Invalid:
    """Marks a book field whose problem was reported: the book is not made."""


_INVALID = _Invalid()


class BookLoader(ArticleLoader):
    """Loads books (``load_book``) into ``books``, with the articles they hold."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.books: dict[str, Book] = {}

    def book_files(self) -> list[Path]:
        """The files of ``books/``; a book id with two files (``x.yaml`` and
        ``x.yml``) is reported and neither file is read."""
        by_id: dict[str, list[Path]] = {}
        for path in self.files("books", BOOK_SUFFIXES):
            by_id.setdefault(path.stem, []).append(path)
        found = []
        for paths in by_id.values():
            if len(paths) == 1:
                found.append(paths[0])
                continue
            names = " and ".join(self.rel(p) for p in paths)
            for path in paths:
                self.problem(path, None, f"the book id {path.stem!r} has two files, {names}; keep one")
        return found

    def load_book(self, path: Path) -> None:
        book_id = self.file_id(path)
        before = len(self.problems)
        data = self.read_yaml(path)
        if data is None and len(self.problems) == before:
            self.problem(path, None, "the book file is empty; give the book's title and its articles (docs/authoring.md)")
        if data is None or book_id is None or self.settings is None:
            return
        meta = self.validate(BookFile, data, path)
        if meta is None:
            return
        before = len(self.problems)
        articles = self._book_articles(path, meta, data)
        publisher = self._book_publisher(path, meta, data)
        if publisher is None:
            return
        cover = self._book_cover(path, meta, data)
        if isinstance(cover, _Invalid):
            return
        date = self._book_date(path, meta, data)
        if isinstance(date, _Invalid) or not articles:
            return
        book = self._build_book(path, book_id, meta, data, self.settings, publisher, cover, date, articles)
        if book is not None and len(self.problems) == before:
            self.books[book_id] = book

    def _book_articles(self, path: Path, meta: BookFile, data: Any) -> list[Article]:
        """The book's articles that loaded, each loaded first when a partial load
        had not asked for it."""
        articles = []
        for index, article_id in enumerate(meta.articles):
            article_file = self.root / "articles" / f"{article_id}.md"
            if article_id not in self.attempted and os.path.lexists(article_file) and self.inside(article_file):
                # A partial load: the book needs an article that was not asked for.
                self.attempted.add(article_id)
                self.load_article(article_file)
            if article_id in self.articles:
                articles.append(self.articles[article_id])
            elif not os.path.lexists(article_file):
                line = data["articles"].item_lines[index] if isinstance(data.get("articles"), LineList) else None
                self.problem(path, line, f"there is no article {article_id!r} in articles/")
        return articles

    def _book_publisher(self, path: Path, meta: BookFile, data: Any) -> Publisher | None:
        """The publisher named, or the corpus's only one when none is; None when
        there is no such publisher (reported)."""
        publisher_id = meta.publisher or (next(iter(self.publishers)) if len(self.publishers) == 1 else None)
        publisher = self.publishers.get(publisher_id or "")
        if publisher is None:
            line = data.key_lines.get("publisher", 1) if isinstance(data, LineDict) else None
            if publisher_id is None:
                self.problem(path, line, "publisher is missing; name one of the publishers of healthinfo.yaml")
            else:
                self.problem(path, line, f"the publisher {publisher_id!r} is not in healthinfo.yaml (known: {', '.join(self.publishers)})")
        return publisher

    def _book_cover(self, path: Path, meta: BookFile, data: Any) -> Image | _Invalid | None:
        if not meta.cover:
            return None
        cover = self.image(meta.cover, path, data.key_lines.get("cover") if isinstance(data, LineDict) else None)
        return _INVALID if cover is None else cover

    def _book_date(self, path: Path, meta: BookFile, data: Any) -> dt.date | _Invalid | None:
        if meta.date is None:
            return None
        try:
            return parse_date(meta.date)
        except ValueError as error:
            self.problem(path, data.key_lines.get("date"), f"date: {error}")
            return _INVALID

    def _build_book(
        self, path: Path, book_id: str, meta: BookFile, data: Any, settings: CorpusSettings,
        publisher: Publisher, cover: Image | None, date: dt.date | None, articles: list[Article],
    ) -> Book | None:
        """The Book from its file and the corpus settings; None when the model
        refuses it (reported at the lines of the book file)."""
        try:
            return Book(
                id=book_id,
                title=meta.title,
                subtitle=meta.subtitle,
                identifier=meta.identifier,
                lang=meta.lang or settings.lang,
                publisher=publisher,
                profile=meta.profile,
                description=meta.description,
                date=date,
                rights=settings.rights,
                license=settings.license,
                cover=cover,
                series=meta.series,
                articles=articles,
            )
        except ValidationError as error:
            for line, message in explain(error, data, model=Book):
                self.problem(path, line, message)
            return None
