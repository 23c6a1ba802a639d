"""The corpus as a small static web site, made with the HTML exporter's writer: an
index of the articles by topic, one page per article, and the glossary. A
corpus-level target of the registry: a build writes it to ``OUT/site/`` whenever it
builds html (unless told otherwise), each article page in the workers, the index and
the glossary page from the summaries the build's manifest keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...schema import Article, Corpus, CorpusSettings, GlossaryEntry
from .._base import ArticlePage, CorpusTarget
from ..html.options import Options
from .pages import card_path, render_site, site_article, site_card, site_pages, site_summary, topic_anchor
from .reach import translation_warnings
from .search import search_bundle

__all__ = [
    "TARGET",
    "Options",
    "article_files",
    "article_page",
    "card_path",
    "index_pages",
    "render",
    "render_site",
    "search_index",
    "site_article",
    "site_card",
    "site_pages",
    "site_summary",
    "topic_anchor",
    "warnings",
]


def article_files(article_id: str) -> tuple[str, ...]:
    """The site's files of one article: its page and (with ``base_url``) its social card."""
    return (f"articles/{article_id}.html", card_path(article_id))


def article_page(article: Article, settings: CorpusSettings, options: Options) -> ArticlePage:
    """The site's page of one article (``articles/<id>.html``), its social card
    (``cards/<id>.png``, when the corpus names its ``base_url``: Open Graph wants the
    image's absolute address) and its summary."""
    page_file, card_file = article_files(article.id)
    files = {page_file: site_article(article, settings, options)}
    if settings.base_url is not None:
        files[card_file] = site_card(article)
    return ArticlePage(files=files, summary=site_summary(article))


def index_pages(
    settings: CorpusSettings, glossary: Mapping[str, GlossaryEntry], summaries: Sequence[Mapping[str, Any]], options: Options
) -> dict[str, bytes]:
    """``index.html``, ``glossary.html``, the search pages and their script,
    ``404.html``, ``robots.txt`` and (with ``base_url``) ``sitemap.xml`` and
    ``feed.xml``, from the summaries of every article."""
    return site_pages(settings, dict(glossary), [dict(s) for s in summaries], options)


def warnings(settings: CorpusSettings, options: Options, summaries: Sequence[Mapping[str, Any]]) -> list[str]:
    """What the site leaves out for this corpus: the sitemap and the feed (and the
    canonical links and social cards' addresses) without ``base_url``; and what its
    translations lack: a translation older than its original, an original without a
    version in a language the site's translations are in (healthinfo.checks.translations)."""
    found = []
    if settings.base_url is None:
        found.append(
            "site:no-base-url: no sitemap.xml, feed.xml or social cards (they need absolute addresses) and no "
            "canonical links; name the address the site is published at as base_url in healthinfo.yaml"
        )
    return found + translation_warnings(summaries)


def search_index(pages: Mapping[str, bytes], options: Options) -> dict[str, bytes]:
    """The search index (``pagefind/``) of the site's article pages."""
    return search_bundle(pages)


def render(corpus: Corpus, options: Options) -> dict[str, bytes]:
    """The whole site at once: relative path -> bytes."""
    return render_site(corpus, options)


TARGET: CorpusTarget[Options] = CorpusTarget(
    name="site",
    default_with="html",
    options=Options,
    article=article_page,
    pages=index_pages,
    render=render,
    summary="the corpus as a static web site: index by topic, article pages, glossary, search, sitemap and feed",
    article_files=article_files,
    warnings=warnings,
    index=search_index,
)
