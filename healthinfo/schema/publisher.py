"""Publishers: the organisations that stand behind articles and books."""

from __future__ import annotations

from pydantic import Field

from ._base import ContentStr, Email, HttpUrl, Id, Node, NonEmptyStr, Region

__all__ = ["Certification", "Person", "Publisher"]


class Certification(Node):
    """Who checked and certified the accessibility of a publisher's e-books (EPUB
    Accessibility 1.1, section 2.1.3: ``a11y:certifiedBy``, ``a11y:certifierCredential``,
    ``a11y:certifierReport``). Without it, the e-books claim conformance as the
    publisher's own statement and name no certifier."""

    certified_by: NonEmptyStr = Field(description="The person or organisation that certified the e-books.")
    credential: ContentStr | None = Field(default=None, description="The certifier's credential or badge, if any.")
    report: HttpUrl | None = Field(default=None, description="Web address of the certifier's report.")


class Publisher(Node):
    """An organisation that publishes articles and books (``healthinfo.yaml``)."""

    id: Id
    name: NonEmptyStr
    short_name: ContentStr | None = None
    country: Region | None = None
    url: HttpUrl | None = None
    email: Email | None = None
    address: ContentStr | None = None
    accessibility_certification: Certification | None = Field(
        default=None,
        description="An independent accessibility certification of the publisher's e-books, if there is one.",
    )


class Person(Node):
    """An author or reviewer of an article."""

    name: NonEmptyStr
    affiliation: ContentStr | None = None
    orcid: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$", description="ORCID iD, digits only."
    )
