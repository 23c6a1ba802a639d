"""The corpus: every article, reusable block, glossary entry, source and book of a
content library, with its settings."""

from __future__ import annotations

from pydantic import Field

from ._base import SCHEMA_VERSION, ContentStr, HttpUrl, Id, Key, LanguageTag, Node, NonEmptyStr, SchemaVersion
from .article import Article
from .audit import AuditSettings
from .blocks import Block
from .book import Book
from .citation import Citation
from .glossary import GlossaryEntry
from .publisher import Publisher

__all__ = ["Corpus", "CorpusSettings", "ReusableBlock"]


class ReusableBlock(Node):
    """A block of content kept once and included by id (a disclaimer, a standard text)."""

    id: Id
    title: ContentStr | None = None
    lang: LanguageTag | None = None
    blocks: tuple[Block, ...] = Field(min_length=1)


class CorpusSettings(Node):
    """The corpus's ``healthinfo.yaml``."""

    name: NonEmptyStr
    lang: LanguageTag = "en"
    rights: ContentStr | None = Field(default=None, description="Rights statement written into every output.")
    license: HttpUrl | None = Field(default=None, description="Licence URI.")
    url: HttpUrl | None = Field(
        default=None, description="Base web address; articles are at <url>/<article id> when set."
    )
    publishers: tuple[Publisher, ...] = Field(min_length=1)
    audit: AuditSettings = Field(
        default_factory=AuditSettings, description="Thresholds of `healthinfo audit` (docs/governance.md)."
    )


class Corpus(Node):
    """A whole content library, resolved and checked."""

    schema_version: SchemaVersion = Field(default=SCHEMA_VERSION, description="Version of the JSON form.")
    settings: CorpusSettings
    articles: dict[Id, Article] = Field(default_factory=dict)
    blocks: dict[Id, ReusableBlock] = Field(default_factory=dict)
    glossary: dict[Id, GlossaryEntry] = Field(default_factory=dict)
    references: dict[Key, Citation] = Field(default_factory=dict)
    books: dict[Id, Book] = Field(default_factory=dict)

    @property
    def publishers(self) -> dict[str, Publisher]:
        return {p.id: p for p in self.settings.publishers}
