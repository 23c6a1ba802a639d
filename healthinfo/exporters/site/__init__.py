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
from .pages import render_site, site_article, site_pages, site_summary, topic_anchor

__all__ = [
    "TARGET",
    "Options",
    "article_files",
    "article_page",
    "index_pages",
    "render",
    "render_site",
    "site_article",
    "site_pages",
    "site_summary",
    "topic_anchor",
]


def article_files(article_id: str) -> tuple[str, ...]:
    """The site's files of one article."""
    return (f"articles/{article_id}.html",)


def article_page(article: Article, settings: CorpusSettings, options: Options) -> ArticlePage:
    """The site's page of one article (``articles/<id>.html``) and its summary."""
    (file,) = article_files(article.id)
    return ArticlePage(files={file: site_article(article, settings.name, options)}, summary=site_summary(article))


def index_pages(
    settings: CorpusSettings, glossary: Mapping[str, GlossaryEntry], summaries: Sequence[Mapping[str, Any]], options: Options
) -> dict[str, bytes]:
    """``index.html`` and ``glossary.html`` from the summaries of every article."""
    return site_pages(settings, dict(glossary), [dict(s) for s in summaries], options)


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
    summary="the corpus as a static web site: index by topic, article pages, glossary",
    article_files=article_files,
)
