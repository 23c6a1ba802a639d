"""The corpus: every article, reusable block, glossary entry, source and book of a
content library, with its settings."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from ._base import (
    SCHEMA_VERSION,
    ContentStr,
    Date,
    HttpUrl,
    Id,
    Key,
    LanguageTag,
    Node,
    NonEmptyStr,
    SchemaVersion,
    StrictBool,
)
from .article import Article
from .audit import AuditSettings
from .blocks import Block
from .book import Book
from .citation import Citation
from .glossary import GlossaryEntry
from .publisher import Publisher

__all__ = ["Corpus", "CorpusSettings", "ReusableBlock", "TypographySettings"]


class ReusableBlock(Node):
    """A block of content kept once and included by id (a disclaimer, a standard text)."""

    id: Id
    title: ContentStr | None = None
    lang: LanguageTag | None = None
    translation_of: Id | None = Field(
        default=None, description="The id of the block this one translates (its original, in another language)."
    )
    updated: Date | None = Field(
        default=None, description="The last change of the block's text: a translated block older than its original is outdated."
    )
    blocks: tuple[Block, ...] = Field(min_length=1)


class TypographySettings(Node):
    """What the typographer changes in the text of articles and reusable blocks: the
    ``typography:`` key of ``healthinfo.yaml`` (docs/authoring.md, Typography).
    ``typography: false`` turns both off, ``typography: true`` keeps both on."""

    quotes: StrictBool = Field(
        default=True,
        description="Straight quotes and apostrophes become those of the text's language "
        "(English \u201c\u2026\u201d, German \u201e\u2026\u201c).",
    )
    dashes: StrictBool = Field(
        default=True, description='" -- " becomes an en dash (\u2013), "---" an em dash (\u2014).'
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        # true or false for the whole key: both settings at once.
        if value is True:
            return {}
        if value is False:
            return {"quotes": False, "dashes": False}
        if not isinstance(value, (dict, TypographySettings)):
            raise ValueError(f"{value!r} is not a typography setting; write true or false, or quotes: and dashes: under it")
        return value


def _typography_json_schema(schema: dict[str, Any]) -> None:
    """The JSON Schema of the ``typography`` key as the loader reads it: the shorthand
    true or false, or the mapping."""
    reference = {key: schema.pop(key) for key in list(schema) if key in ("$ref", "allOf", "type", "properties")}
    schema["anyOf"] = [{"type": "boolean"}, reference]


class CorpusSettings(Node):
    """The corpus's ``healthinfo.yaml``."""

    name: NonEmptyStr
    lang: LanguageTag = "en"
    rights: ContentStr | None = Field(default=None, description="Rights statement written into every output.")
    license: HttpUrl | None = Field(default=None, description="Licence URI.")
    url: HttpUrl | None = Field(
        default=None,
        description="Where the articles are published first: an article is at <url>/<article id> when set "
        "(its canonical address), unless its front matter names its own `url`.",
    )
    base_url: HttpUrl | None = Field(
        default=None,
        description="The address the site is published at (`OUT/site/` copied there): its pages are at "
        "<base_url>/articles/<article id>.html, the address of an article without `url`; needed for the "
        "site's sitemap, feed, canonical links and social cards (docs/site.md).",
    )
    publishers: tuple[Publisher, ...] = Field(min_length=1)
    audit: AuditSettings = Field(
        default_factory=AuditSettings, description="Thresholds of `healthinfo audit` (docs/governance.md)."
    )
    citation_style: NonEmptyStr | None = Field(
        default=None,
        description="The CSL style of the references: a .csl file of the corpus (house.csl) or the name of a "
        "style of the CSL style repository (apa, american-medical-association); none: nlm-citation-sequence "
        "(docs/references.md).",
    )
    typography: TypographySettings = Field(
        default_factory=TypographySettings,
        description="Smart quotes and dashes in the text (docs/authoring.md); `false` turns them off.",
        json_schema_extra=_typography_json_schema,
    )

    def site_address(self, path: str = "") -> str | None:
        """The web address of a file of the site (``path`` relative to its folder,
        "" for its home page) when ``base_url`` is set."""
        if self.base_url is None:
            return None
        return f"{self.base_url.rstrip('/')}/{path}"

    def article_address(self, article_id: str) -> str | None:
        """The canonical address of an article whose front matter names none: under
        ``url`` when set, else its page on the site (under ``base_url``)."""
        if self.url is not None:
            return f"{self.url.rstrip('/')}/{article_id}"
        return self.site_address(f"articles/{article_id}.html")


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
