"""Reading an article: ``articles/<id>.md``, Markdown with a YAML front matter,
into an :class:`~healthinfo.schema.Article` with its publisher, dates, sources,
back matter and the glossary entries it uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from .._errors import HealthinfoError
from ..schema import Article, Citation, CorpusSettings, Publisher, Section
from ..schema._base import ContentStr, HttpUrl, Id, Key, LanguageTag, Node, NonEmptyStr, Region
from ..schema.article import Audience, NextUpdate
from ..schema.publisher import Person
from ._files import is_id, parse_date
from ._markdown import Use
from ._sections import sectionize
from ._shared import BlockUses, SharedParts
from ._translations import TranslationIndex, read_index
from ._yaml import LineDict, LineList

__all__ = ["ArticleFrontMatter", "ArticleLoader"]


class ArticleFrontMatter(Node):
    """The YAML front matter of an article: as the model's Article, but with ids
    where the model has the objects (publisher, sources, back matter) and dates as
    written (checked one by one, for a plain message)."""

    title: NonEmptyStr
    topic: ContentStr | None = None
    description: ContentStr | None = None
    lang: LanguageTag | None = None
    audience: Audience = Audience.patients
    authors: list[Person] = Field(default_factory=list)
    reviewers: list[Person] = Field(default_factory=list)
    publisher: Id | None = None
    published: Any = None
    updated: Any
    next_update: NextUpdate | None = None
    region: Region | None = None
    keywords: list[NonEmptyStr] = Field(default_factory=list)
    url: HttpUrl | None = None
    translation_of: Id | None = None
    sources: list[Key] = Field(default_factory=list)
    back: list[Id] = Field(default_factory=list)


class _FieldLines:
    """The lines of a front matter's fields in the Markdown file."""

    def __init__(self, data: Any, first_line: int) -> None:
        self.data = data
        self.first_line = first_line

    def of(self, key: str) -> int | None:
        """The line of field ``key``; the front matter's first line when it is not there."""
        found = self.data.key_lines.get(key) if isinstance(self.data, LineDict) else None
        return found + self.first_line - 1 if found else self.first_line

    def has(self, key: str) -> bool:
        """Whether the front matter gives field ``key``."""
        return isinstance(self.data, dict) and key in self.data

    def of_item(self, key: str, index: int) -> int | None:
        """The line of item ``index`` of list field ``key``."""
        items = self.data.get(key)
        return items.item_lines[index] + self.first_line - 1 if isinstance(items, LineList) else self.of(key)


@dataclass
class _ArticleParts:
    """What an article's ids (publisher, sources, back matter), dates and body give."""

    publisher: Publisher | None
    dates: dict[str, dt.date]
    references: list[Citation]
    back: list[dict[str, Any]]
    lead: list[Any]
    sections: list[Section]
    #: The ids of the glossary terms the body uses.
    used_terms: set[str]
    #: The other language versions (as Translation fields).
    translations: list[dict[str, Any]]


class ArticleLoader(SharedParts):
    """Loads articles (``load_article``) into ``articles``."""

    SHARED = (*SharedParts.SHARED, "translations")

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.articles: dict[str, Article] = {}
        # Ids of the articles whose loading was begun, loaded or not: a book that
        # holds one does not load it again.
        self.attempted: set[str] = set()
        self.translations = TranslationIndex({}, ())

    def load_shared(self) -> None:
        """The shared parts, and which articles translate which (from their front matter)."""
        super().load_shared()
        if self.settings is not None:
            self.translations = read_index(self.article_ids(), self.settings)

    def article_ids(self) -> list[tuple[str, Path]]:
        """Every article's id and file, without reporting anything (loading does)."""
        folder = self.root / "articles"
        if not folder.is_dir():
            return []
        folder_inside = not folder.is_symlink() and self.inside(folder)  # as files() does
        return [(path.stem, path) for path in sorted(folder.iterdir())
                if path.suffix == ".md" and not path.name.startswith(".") and is_id(path.stem)
                and ((folder_inside and not path.is_symlink()) or self.inside(path))]

    def load_article(self, path: Path) -> None:
        article_id = self.file_id(path)
        before = len(self.problems)
        parsed = self.parse_markdown(path, ArticleFrontMatter)
        body, meta = parsed.body, parsed.meta
        if body is None:
            return
        lines = _FieldLines(parsed.data, body.front_matter_line)
        # The back matter's blocks first: what they use is the article's too.
        back = self._article_back(path, meta, lines) if meta is not None else []
        terms = [*parsed.terms, *(use for include in back for use in self.block_uses.get(include["ref"], BlockUses()).terms)]
        cites = [*parsed.cites, *(use for include in back for use in self.block_uses.get(include["ref"], BlockUses()).cites)]
        depends_on_broken = self.check_terms_and_cites(path, article_id, terms, cites)
        lead, sections = sectionize(body.items, lambda line, message: self.problem(path, line, message))
        if meta is None or article_id is None or self.settings is None:
            return
        parts = _ArticleParts(
            publisher=self._article_publisher(path, meta, lines),
            dates=self._article_dates(path, meta, lines),
            references=self._article_references(path, meta, lines, cites),
            back=back,
            lead=lead,
            sections=sections,
            used_terms={use.ref for use in terms},
            translations=self._article_translations(path, article_id, meta, lines),
        )
        if len(self.problems) > before or depends_on_broken:
            return
        article = self._build_article(path, article_id, meta, parts, self.settings)
        if article is not None:
            article = self._in_style_order(path, lines, article)
        if article is not None:
            self.articles[article_id] = article

    def _article_translations(
        self, path: Path, article_id: str, meta: ArticleFrontMatter, lines: _FieldLines
    ) -> list[dict[str, Any]]:
        """The article's other language versions; what is wrong with its
        ``translation_of`` is reported."""
        assert self.settings is not None
        lang = meta.lang or self.settings.lang
        if meta.translation_of is not None:
            for message in self.translations.problems(article_id, lang, meta.translation_of):
                self.problem(path, lines.of("translation_of"), message)
        others = self.translations.others(article_id, lang, meta.translation_of)
        return [{"id": v.id, "lang": v.lang, "title": v.title, "updated": v.updated, "url": v.url} for v in others]

    def _article_publisher(self, path: Path, meta: ArticleFrontMatter, lines: _FieldLines) -> Publisher | None:
        """The publisher named, or the corpus's only one when none is."""
        publisher_id = meta.publisher
        if publisher_id is None and lines.has("publisher"):
            return None  # given, but not an id: reported
        if publisher_id is None:
            if len(self.publishers) == 1:
                publisher_id = next(iter(self.publishers))
            else:
                self.problem(path, lines.first_line, "publisher is missing; name one of the publishers of healthinfo.yaml")
        publisher = self.publishers.get(publisher_id) if publisher_id else None
        if publisher_id and publisher is None:
            self.problem(path, lines.of("publisher"), f"the publisher {publisher_id!r} is not in healthinfo.yaml (known: {', '.join(self.publishers) or 'none'})")
        return publisher

    def _article_dates(self, path: Path, meta: ArticleFrontMatter, lines: _FieldLines) -> dict[str, dt.date]:
        """The dates given (``updated``, ``published``), by field name."""
        dates: dict[str, dt.date] = {}
        for key in ("updated", "published"):
            value = getattr(meta, key, None)  # None too when the front matter lacks it (reported)
            if value is None:
                continue
            try:
                dates[key] = parse_date(value)
            except ValueError as error:
                self.problem(path, lines.of(key), f"{key}: {error}")
        self._check_dates(path, dates, getattr(meta, "next_update", None), lines)
        return dates

    def _check_dates(
        self, path: Path, dates: dict[str, dt.date], next_update: int | dt.date | None, lines: _FieldLines
    ) -> None:
        """The dates against each other (errors: what cannot be) and against the build
        date (a warning: what is only suspicious). A year counts as the whole year."""
        updated = dates.get("updated")
        if updated is None:
            return
        if next_update is not None and (
            next_update < updated.year if isinstance(next_update, int) else next_update < updated
        ):
            self.problem(path, lines.of("next_update"), f"next_update: {next_update} is before updated "
                         f"({updated.isoformat()}); the next planned update cannot come before the last one")
        published = dates.get("published")
        if published is not None and published > updated:
            self.problem(path, lines.of("published"), f"published: {published.isoformat()} is after updated "
                         f"({updated.isoformat()}); an article is first published, then updated")
        if updated > self.today:
            self.warn(path, lines.of("updated"), "dates:updated-in-future", f"updated: {updated.isoformat()} is "
                      f"after the build date ({self.today.isoformat()}); check the date")

    def _article_references(
        self, path: Path, meta: ArticleFrontMatter, lines: _FieldLines, cites: list[Use]
    ) -> list[Citation]:
        """The sources listed in the front matter, then those only cited in the body
        (and the blocks it includes), in the order first cited."""
        references: list[Citation] = []
        for index, written in enumerate(meta.sources):
            key = self.source_key(written)
            if key not in self.references and (self.references_broken or key in self.broken_keys):
                continue
            if key not in self.references:
                self.problem(path, lines.of_item("sources", index), self.unknown_source(key))
            elif key in [c.id for c in references]:
                self.problem(path, lines.of("sources"), f"the source {key!r} is listed twice")
            else:
                references.append(self.references[key])
        for key in (use.ref for use in cites):
            if key in self.references and key not in [c.id for c in references]:
                references.append(self.references[key])
        return references

    def _in_style_order(self, path: Path, lines: _FieldLines, article: Article) -> Article | None:
        """The article with its sources in the order the corpus's style lists them, so
        that a source's number is its place in the list shown: in the order first cited,
        then the others as listed (Vancouver), unless the style sorts its bibliography
        (APA: by author and date). None when the style cannot order them (reported)."""
        from ..csl import StyleError, bibliography_order

        clusters = [cite.refs for cite in article.cites()]
        try:
            ordered = list(bibliography_order(article.references, article.lang, self.citation_style, clusters))
        except (StyleError, HealthinfoError) as error:
            style = self.citation_style.name if self.citation_style else "nlm-citation-sequence"
            self.problem(path, lines.of("sources"), f"the sources cannot be put in the order of the style "
                         f"{style!r}: {error}")
            return None
        if [c.id for c in ordered] == [c.id for c in article.references]:
            return article
        return article.model_copy(update={"references": tuple(ordered)})

    def _article_back(self, path: Path, meta: ArticleFrontMatter, lines: _FieldLines) -> list[dict[str, Any]]:
        """The reusable blocks of the back matter, as includes."""
        back = []
        for block_id in meta.back:
            block = self.resolve_block(block_id, path, lines.of("back"))
            if block is not None:
                back.append({"type": "include", "ref": block_id, "title": block.title, "blocks": block.blocks})
        return back

    def _build_article(
        self, path: Path, article_id: str, meta: ArticleFrontMatter, parts: _ArticleParts, settings: CorpusSettings
    ) -> Article | None:
        """The Article from its front matter, the corpus settings and the ``parts``
        loaded from ids and the body; None when the model refuses it (reported)."""
        try:
            return Article(
                id=article_id,
                title=meta.title,
                topic=meta.topic,
                description=meta.description,
                lang=meta.lang or settings.lang,
                audience=meta.audience,
                authors=meta.authors,
                reviewers=meta.reviewers,
                publisher=parts.publisher,
                published=parts.dates.get("published"),
                updated=parts.dates["updated"],
                next_update=meta.next_update,
                region=meta.region,
                keywords=meta.keywords,
                url=meta.url or settings.article_address(article_id),
                translation_of=meta.translation_of,
                translations=parts.translations,
                rights=settings.rights,
                license=settings.license,
                blocks=parts.lead,
                sections=parts.sections,
                back=parts.back,
                references=parts.references,
                glossary={k: v for k, v in sorted(self.glossary.items()) if k in parts.used_terms},
                citation_style=self.citation_style if parts.references else None,
            )
        except ValidationError as error:
            for item in error.errors(include_url=False):
                self.problem(path, None, item["msg"].removeprefix("Value error, "))
            return None
