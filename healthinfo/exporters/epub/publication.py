"""EPUB 3: the package-level facts of an e-book (EPUB 3.3, 5.5 Metadata,
https://www.w3.org/TR/epub-33/#sec-pkg-metadata), taken from an article or a book in
one shape, so that the content documents, the accessibility claims and the package
document read them from one place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ...schema import Article, Book, Image, Publisher, Series
from ...schema.book import isbn13
from .._base import ExportError

__all__ = [
    "ARTICLE_NAMESPACE",
    "ROLE_AUTHOR",
    "ROLE_REVIEWER",
    "Contributor",
    "Publication",
    "identifier",
    "isbn13",
    "publication",
]

#: Namespace of the stable identifier of an article e-book (uuid5, RFC 9562 5.5).
ARTICLE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:healthinfo:article")

#: The roles of contributors, as MARC relator codes (EPUB 3.3, 5.5.6: the ``role``
#: property with the ``marc:relators`` scheme, https://id.loc.gov/vocabulary/relators).
ROLE_AUTHOR = "aut"
ROLE_REVIEWER = "rev"


@dataclass(frozen=True)
class Contributor:
    """A creator or contributor of the e-book: a person, or an organisation
    (``corporate``) when the publisher stands as the author."""

    name: str
    #: a MARC relator code (ROLE_AUTHOR, ROLE_REVIEWER)
    role: str
    corporate: bool = False


@dataclass(frozen=True)
class Publication:
    """The package-level facts of an article or a book, in one shape.

    ``title`` is the main title and ``subtitle`` the rest: an article's e-book is
    titled by its topic with the article's title as subtitle ("Metastatic breast
    cancer" / "Treatment options and supportive care"), so that a library list says
    what the treatment is for; an article without a topic has its title alone."""

    identifier: str
    title: str
    subtitle: str | None
    description: str | None
    lang: str
    languages: tuple[str, ...]
    publisher: Publisher
    date: dt.date
    modified: dt.date
    rights: str | None
    license: str | None
    #: the topics first, then the keywords, each once
    subjects: tuple[str, ...]
    #: authors first, then reviewers; the publisher as the author when no person is named
    contributors: tuple[Contributor, ...]
    source: str | None
    #: the book's own cover image (None: the e-book's cover is generated)
    cover: Image | None
    topic: str | None
    articles: tuple[Article, ...]
    series: Series | None = None
    #: the ISBN-13 (digits only) when the identifier is an ISBN
    isbn: str | None = None
    #: an article's e-book (not a book of one article)
    single: bool = False
    #: the regional edition (ISO 3166-1 alpha-2), None for the complete text
    edition: str | None = None
    #: an article's other language versions: (language, address, whether it is the
    #: original this article translates)
    translations: tuple[tuple[str, str, bool], ...] = ()

    @property
    def creators(self) -> tuple[Contributor, ...]:
        """The authors (dc:creator); the other contributors are dc:contributor."""
        return tuple(c for c in self.contributors if c.role == ROLE_AUTHOR)

    @property
    def full_title(self) -> str:
        """Title and subtitle as one line ("Title: Subtitle"), as reading systems show
        them."""
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title


def identifier(document: Article | Book) -> str:
    """The e-book's dc:identifier: a book's own identifier, or for an article a
    urn:uuid made from its publisher and id (uuid5), so that every export of the same
    article is the same publication."""
    if isinstance(document, Book):
        return document.identifier
    return f"urn:uuid:{uuid.uuid5(ARTICLE_NAMESPACE, f'{document.publisher.id}/{document.id}')}"


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    """The values, each once (compared without case: a keyword that repeats the
    topic is one subject), in order."""
    seen: dict[str, str] = {}
    for value in values:
        if value:
            seen.setdefault(" ".join(value.split()).casefold(), value)
    return tuple(seen.values())


def _people(articles: Sequence[Article], publisher: Publisher) -> tuple[Contributor, ...]:
    """Every article's authors (in order, once each), then the reviewers; the
    publisher as a corporate author when no article names a person."""
    authors = _unique(p.name for a in articles for p in a.authors)
    reviewers = [name for name in _unique(p.name for a in articles for p in a.reviewers) if name not in authors]
    people = [Contributor(name, ROLE_AUTHOR) for name in authors]
    if not people:
        people.append(Contributor(publisher.name, ROLE_AUTHOR, corporate=True))
    return (*people, *(Contributor(name, ROLE_REVIEWER) for name in reviewers))


def _subjects(articles: Sequence[Article]) -> tuple[str, ...]:
    return _unique([*(a.topic for a in articles), *(k for a in articles for k in a.keywords)])


def _article_publication(article: Article) -> Publication:
    return Publication(
        identifier=identifier(article),
        title=article.topic or article.title,
        subtitle=article.title if article.topic else None,
        description=article.description,
        lang=article.lang,
        languages=(article.lang,),
        publisher=article.publisher,
        date=article.updated,
        modified=article.updated,
        rights=article.rights,
        license=article.license,
        subjects=_subjects([article]),
        contributors=_people([article], article.publisher),
        source=article.url,
        cover=None,
        topic=article.topic,
        articles=(article,),
        single=True,
        edition=article.edition,
        translations=tuple((t.lang, translation_address(article, t.id, t.url), t.id == article.translation_of)
                           for t in article.translations),
    )


def translation_address(article: Article, other: str, url: str | None) -> str:
    """How an e-book names another language version of its article: its web address,
    else the identifier of its e-book (:func:`identifier`, made with the article's
    publisher: an article and its translations have one publisher)."""
    return url or f"urn:uuid:{uuid.uuid5(ARTICLE_NAMESPACE, f'{article.publisher.id}/{other}')}"


def _book_publication(book: Book) -> Publication:
    newest = max(a.updated for a in book.articles)
    # A book of one article without a description of its own is described by it.
    description = book.description or (book.articles[0].description if len(book.articles) == 1 else None)
    return Publication(
        identifier=book.identifier,
        title=book.title,
        subtitle=book.subtitle,
        description=description,
        lang=book.lang,
        languages=_unique([book.lang, *(a.lang for a in book.articles)]),
        publisher=book.publisher,
        date=book.effective_date,
        modified=max(newest, book.date) if book.date else newest,
        rights=book.rights,
        license=book.license,
        subjects=_subjects(book.articles),
        contributors=_people(book.articles, book.publisher),
        source=None,
        cover=book.cover,
        topic=None,
        articles=tuple(book.articles),
        series=book.series,
        isbn=isbn13(book.identifier),
        edition=book.edition,
    )


def publication(document: Article | Book) -> Publication:
    """The package-level facts of ``document``."""
    if isinstance(document, Article):
        return _article_publication(document)
    if isinstance(document, Book):
        return _book_publication(document)
    raise ExportError(f"the EPUB exporter takes an Article or a Book, not a {type(document).__name__}")
