"""Books and brochures: ordered collections of articles published as one file."""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

from pydantic import Field, field_validator, model_validator

from ._base import (
    SCHEMA_VERSION,
    ContentStr,
    Date,
    HttpUrl,
    Id,
    LanguageTag,
    Node,
    NonEmptyStr,
    Region,
    SchemaVersion,
    StrictInt,
)
from .article import Article
from .blocks import Image
from .publisher import Publisher

__all__ = ["Book", "Profile", "Series", "isbn13"]


class Profile(str, Enum):
    """What a book is made for: an e-book, or a printed patient brochure (A5)."""

    ebook = "ebook"
    brochure = "brochure"


def _ean_check_digit(first_twelve: str) -> int:
    """The EAN-13 check digit (ISBN-13, ISO 2108) of the first twelve digits."""
    total = sum((1 if i % 2 == 0 else 3) * int(d) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def _isbn13_ok(digits: str) -> bool:
    return _ean_check_digit(digits[:12]) == int(digits[12])


def _isbn10_ok(digits: str) -> bool:
    total = sum((10 - i) * (10 if d in "Xx" else int(d)) for i, d in enumerate(digits))
    return total % 11 == 0


def _isbn_digits(value: str) -> str | None:
    """The digits of an identifier written as an ISBN ("urn:isbn:…", "isbn:…" or the
    bare number; hyphens and spaces dropped), else None."""
    if not (value.lower().startswith(("urn:isbn:", "isbn:")) or value[:1].isdigit()):
        return None
    return value.split(":")[-1].replace("-", "").replace(" ", "")


def isbn13(identifier: str) -> str | None:
    """The ISBN-13 (13 digits) of a book identifier that is an ISBN (an ISBN-10 is
    converted: prefix 978 and a new check digit), else None. Book identifiers are
    checked by the model, so the digits are an ISBN's."""
    digits = _isbn_digits(identifier)
    if digits is None:
        return None
    if len(digits) == 13 and digits.isdigit():
        return digits
    if len(digits) == 10:
        body = "978" + digits[:9]
        return body + str(_ean_check_digit(body))
    return None


class Series(Node):
    """The series a book belongs to (EPUB 3.3 ``belongs-to-collection``, ONIX
    ``<Collection>``)."""

    title: NonEmptyStr = Field(description="The series' title.")
    position: StrictInt | None = Field(default=None, ge=1, description="The book's number in the series.")


_UUID_URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Book(Node):
    """A book or brochure. ``articles`` holds the articles themselves, in reading order."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="Version of the JSON form.")
    id: Id
    title: NonEmptyStr
    subtitle: ContentStr | None = None
    identifier: NonEmptyStr = Field(
        description="A unique identifier: 'urn:uuid:…', 'urn:isbn:…' / an ISBN, or a DOI."
    )
    lang: LanguageTag
    publisher: Publisher
    profile: Profile = Profile.ebook
    description: ContentStr | None = None
    date: Date | None = Field(default=None, description="Publication date; defaults to the newest article update.")
    rights: ContentStr | None = None
    license: HttpUrl | None = None
    cover: Image | None = None
    series: Series | None = Field(default=None, description="The series the book belongs to.")
    edition: Region | None = Field(
        default=None, description="The regional edition this is (healthinfo.edition); None: the complete text."
    )
    articles: tuple[Article, ...] = Field(min_length=1)

    @field_validator("identifier")
    @classmethod
    def _identifier(cls, value: str) -> str:
        lowered = value.lower()
        if lowered.startswith("urn:uuid:"):
            if not _UUID_URN.match(lowered):
                raise ValueError(f"{value!r} is not a valid urn:uuid (8-4-4-4-12 hex digits)")
            return value
        digits = _isbn_digits(value)
        if digits is not None:
            if len(digits) == 13 and digits.isdigit() and _isbn13_ok(digits):
                return value
            if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] in "Xx") and _isbn10_ok(digits):
                return value
            raise ValueError(f"{value!r} is not a valid ISBN (check digit or length)")
        if lowered.startswith(("doi:", "https://doi.org/", "urn:")):
            return value
        raise ValueError(
            f"{value!r} is not an identifier; use urn:uuid:…, an ISBN (urn:isbn:…) or a DOI"
        )

    @model_validator(mode="after")
    def _unique_articles(self) -> Book:
        ids = [a.id for a in self.articles]
        if len(set(ids)) != len(ids):
            raise ValueError("an article appears twice in the book")
        return self

    @property
    def effective_date(self) -> dt.date:
        """``date``, or the newest ``updated`` of its articles."""
        return self.date or max(a.updated for a in self.articles)
