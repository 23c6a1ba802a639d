"""Bibliographic sources, in the field names and shapes of CSL-JSON.

Reference: CSL-JSON schema, https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html
and https://github.com/citation-style-language/schema (csl-data.json). Field names
with hyphens (``container-title``) are the JSON names; the Python attributes use
underscores. Two healthinfo extensions, ignored by CSL processors:
``author-et-al`` / ``editor-et-al`` say that the source has more authors or editors
than are listed (the reference said "et al.").
"""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field, field_validator, model_validator

from ._base import ContentStr, Key, LanguageTag, Node, StrictBool

__all__ = ["CSL_TYPES", "Citation", "CslDate", "Name"]

# The item types of CSL 1.0.2.
CslType = Literal[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "event",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
]

#: The item types of CSL 1.0.2, as a tuple.
CSL_TYPES: tuple[str, ...] = get_args(CslType)


class Name(Node):
    """A person (``family`` and ``given``) or an organisation (``literal``)."""

    family: ContentStr | None = None
    given: ContentStr | None = None
    dropping_particle: ContentStr | None = Field(default=None, alias="dropping-particle")
    non_dropping_particle: ContentStr | None = Field(default=None, alias="non-dropping-particle")
    suffix: ContentStr | None = None
    literal: ContentStr | None = None

    @model_validator(mode="after")
    def _person_or_organisation(self) -> Name:
        if self.literal is not None:
            if self.family or self.given:
                raise ValueError("a name is either a person (family, given) or a literal, not both")
        elif not self.family:
            raise ValueError("a name needs a family name, or a literal for an organisation")
        return self


class CslDate(Node):
    """A CSL date: ``date-parts`` [[year, month, day]] with month and day optional."""

    date_parts: tuple[tuple[int, ...], ...] = Field(alias="date-parts", min_length=1, max_length=2)
    literal: ContentStr | None = None

    @field_validator("date_parts")
    @classmethod
    def _parts(cls, value: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, ...], ...]:
        for parts in value:
            if not 1 <= len(parts) <= 3:
                raise ValueError("a date is [year], [year, month] or [year, month, day]")
            if len(parts) > 1 and not 1 <= parts[1] <= 12:
                raise ValueError(f"month {parts[1]} is not between 1 and 12")
            if len(parts) > 2 and not 1 <= parts[2] <= 31:
                raise ValueError(f"day {parts[2]} is not between 1 and 31")
        return value

    @property
    def year(self) -> int:
        return self.date_parts[0][0]


class Citation(Node):
    """One source of the bibliography (a CSL item)."""

    id: Key
    type: CslType
    author: tuple[Name, ...] = Field(default_factory=tuple)
    author_et_al: StrictBool = Field(default=False, alias="author-et-al")
    editor: tuple[Name, ...] = Field(default_factory=tuple)
    editor_et_al: StrictBool = Field(default=False, alias="editor-et-al")
    title: ContentStr | None = None
    container_title: ContentStr | None = Field(default=None, alias="container-title")
    collection_title: ContentStr | None = Field(default=None, alias="collection-title")
    edition: ContentStr | None = None
    issued: CslDate | None = None
    accessed: CslDate | None = None
    volume: ContentStr | None = None
    issue: ContentStr | None = None
    page: ContentStr | None = None
    number: ContentStr | None = None
    genre: ContentStr | None = None
    publisher: ContentStr | None = None
    publisher_place: ContentStr | None = Field(default=None, alias="publisher-place")
    DOI: ContentStr | None = None
    PMID: ContentStr | None = None
    PMCID: ContentStr | None = None
    ISBN: ContentStr | None = None
    URL: ContentStr | None = None
    language: LanguageTag | None = None
    note: ContentStr | None = None

    @field_validator("issued", "accessed", mode="before")
    @classmethod
    def _date_shorthand(cls, value: object) -> object:
        # CSL-YAML as pandoc writes it also allows "issued: 2014" or "issued: 2014-05-02".
        if isinstance(value, int) and not isinstance(value, bool):
            return {"date-parts": [[value]]}
        if isinstance(value, str) and value[:4].isdigit():
            try:
                return {"date-parts": [[int(part) for part in value.split("-")]]}
            except ValueError:
                return value
        if hasattr(value, "year") and hasattr(value, "month") and hasattr(value, "day"):
            return {"date-parts": [[value.year, value.month, value.day]]}
        return value

    @field_validator("volume", "issue", "page", "number", "edition", mode="before")
    @classmethod
    def _numbers_as_text(cls, value: object) -> object:
        # CSL-JSON allows numbers here ("volume": 29); keep them as text so "29" and
        # "12A" are one type.
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("URL")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("URL must start with https:// or http://")
        return value

    @model_validator(mode="after")
    def _has_title(self) -> Citation:
        if not self.title and not self.container_title:
            raise ValueError("a source needs a title or a container-title")
        return self
