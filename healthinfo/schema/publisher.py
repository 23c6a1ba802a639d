"""Publishers: the organisations that stand behind articles and books."""

from __future__ import annotations

from pydantic import Field

from ._base import ContentStr, Email, HttpUrl, Id, Node, NonEmptyStr, Region

__all__ = ["Person", "Publisher"]


class Publisher(Node):
    id: Id
    name: NonEmptyStr
    short_name: ContentStr | None = None
    country: Region | None = None
    url: HttpUrl | None = None
    email: Email | None = None
    address: ContentStr | None = None


class Person(Node):
    """An author or reviewer of an article."""

    name: NonEmptyStr
    affiliation: ContentStr | None = None
    orcid: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", description="ORCID iD, digits only."
    )
