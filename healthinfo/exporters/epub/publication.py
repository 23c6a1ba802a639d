"""EPUB 3: the package-level facts of an e-book (EPUB 3.3, 5.5 Metadata,
https://www.w3.org/TR/epub-33/#sec-pkg-metadata), taken from an article or a book in
one shape, so that the content documents, the accessibility claims and the package
document read them from one place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ...schema import Article, Book, Image, Publisher
from .._base import ExportError

__all__ = ["ARTICLE_NAMESPACE", "Publication", "identifier", "publication"]

#: Namespace of the stable identifier of an article e-book (uuid5, RFC 9562 5.5).
ARTICLE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:healthinfo:article")


@dataclass(frozen=True)
class Publication:
    """The package-level facts of an article or a book, in one shape."""

    identifier: str
    title: str
    subtitle: str | None
    description: str | None
    lang: str
    languages: list[str]
    publisher: Publisher
    date: dt.date
    modified: dt.date
    rights: str | None
    license: str | None
    subjects: list[str]
    creators: list[str]
    source: str | None
    cover: Image | None
    topic: str | None
    articles: list[Article]
    #: an article's e-book (not a book of one article)
    single: bool = False


def identifier(document: Article | Book) -> str:
    """The e-book's dc:identifier: a book's own identifier, or for an article a
    urn:uuid made from its publisher and id (uuid5), so that every export of the same
    article is the same publication."""
    if isinstance(document, Book):
        return document.identifier
    return f"urn:uuid:{uuid.uuid5(ARTICLE_NAMESPACE, f'{document.publisher.id}/{document.id}')}"


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _article_publication(article: Article) -> Publication:
    return Publication(
        identifier=identifier(article),
        title=article.title,
        subtitle=None,
        description=article.description,
        lang=article.lang,
        languages=[article.lang],
        publisher=article.publisher,
        date=article.updated,
        modified=article.updated,
        rights=article.rights,
        license=article.license,
        subjects=_unique([article.topic or ""]),
        creators=_unique([p.name for p in article.authors]),
        source=article.url,
        cover=None,
        topic=article.topic,
        articles=[article],
        single=True,
    )


def _book_publication(book: Book) -> Publication:
    newest = max(a.updated for a in book.articles)
    return Publication(
        identifier=book.identifier,
        title=book.title,
        subtitle=book.subtitle,
        description=book.description,
        lang=book.lang,
        languages=_unique([book.lang, *(a.lang for a in book.articles)]),
        publisher=book.publisher,
        date=book.effective_date,
        modified=max(newest, book.date) if book.date else newest,
        rights=book.rights,
        license=book.license,
        subjects=_unique([a.topic or "" for a in book.articles]),
        creators=_unique([p.name for a in book.articles for p in a.authors]),
        source=None,
        cover=book.cover,
        topic=None,
        articles=list(book.articles),
    )


def publication(document: Article | Book) -> Publication:
    """The package-level facts of ``document``."""
    if isinstance(document, Article):
        return _article_publication(document)
    if isinstance(document, Book):
        return _book_publication(document)
    raise ExportError(f"the EPUB exporter takes an Article or a Book, not a {type(document).__name__}")
