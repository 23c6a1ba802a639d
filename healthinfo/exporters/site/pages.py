"""The corpus as a static web site of HTML5 pages: an index of the articles by topic,
one page per article and the glossary.

References: the HTML Living Standard (https://html.spec.whatwg.org/), WCAG 2.2 3.1.2
Language of Parts (an index entry of an article in another language is marked with its
``lang`` and written in that language), schema.org's CollectionPage and DefinedTermSet.
docs/exporters/html.md ("The site") describes the pages. Every page is made with the
HTML exporter (healthinfo.exporters.html): its templates, its page frame and its
article page.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from ...schema import Article, Corpus, CorpusSettings, GlossaryEntry, Term, walk
from .._cover import SOCIAL_CARD, social_card
from .._dates import format_date
from ..html.jsonld import organisation, prune
from ..html.options import Options
from ..html.pages import SiteLinks, article_page, page, page_title, social_meta
from ..html.templates import Templates, load_templates
from ..html.writer import labels
from .reach import atom_feed, robots_txt, sitemap
from .search import SEARCH_SCRIPT, search_bundle, search_page_name
from .search import script as search_script

__all__ = ["card_path", "feed_title", "render_site", "site_article", "site_card", "site_pages", "site_summary", "topic_anchor"]


def render_site(corpus: Corpus, options: Options | None = None) -> dict[str, bytes]:
    """A whole corpus as a small static site: relative path -> bytes.

    - ``index.html``: the articles, grouped by topic (topics in alphabetical order,
      articles without a topic last);
    - ``articles/<id>.html``: one page per article, as the HTML exporter writes it,
      with a breadcrumb back to the index;
    - ``glossary.html``: every glossary entry, with links to the articles that use it.

    A build makes the same files piece by piece (:func:`site_article` for each
    article in the workers, :func:`site_pages` from the articles' :func:`site_summary`),
    so that one changed article does not need the whole corpus.
    """
    options = options or Options()
    files = {f"articles/{a.id}.html": site_article(a, corpus.settings, options) for a in corpus.articles.values()}
    if corpus.settings.base_url is not None:
        files.update({card_path(a.id): site_card(a) for a in corpus.articles.values()})
    files.update(site_pages(corpus.settings, corpus.glossary, [site_summary(a) for a in corpus.articles.values()], options))
    files.update(search_bundle(files))
    return dict(sorted(files.items()))


def topic_anchor(topic: str) -> str:
    """The id of a topic's group on the site's index: made from the topic's text alone
    (a readable part and a short hash of the exact text, since a topic is free text and
    two spellings may share the readable part), so an article's page links to its
    topic without knowing the other articles."""
    readable = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", topic).encode("ascii", "ignore").decode().lower())
    readable = readable.strip("-")[:40].strip("-")
    digest = hashlib.sha256(topic.encode("utf-8")).hexdigest()[:6]
    return f"topic-{readable}-{digest}" if readable else f"topic-{digest}"


def _site_links(settings: CorpusSettings, prefix: str, lang: str | None = None, **links: Any) -> SiteLinks:
    """The links of a page in ``lang`` (default: the corpus's) ``prefix`` away from
    the site's folder ("../" from an article's page); the feed's only with
    ``base_url`` (no feed is written without)."""
    feed = settings.base_url is not None
    links.setdefault("search_href", f"{prefix}{search_page_name(lang or settings.lang, settings.lang)}")
    return SiteLinks(
        name=settings.name,
        home_href=f"{prefix}index.html",
        glossary_href=f"{prefix}glossary.html",
        feed_href=f"{prefix}feed.xml" if feed else None,
        feed_title=feed_title(settings) if feed else None,
        **links,
    )


def feed_title(settings: CorpusSettings) -> str:
    """The title of the site's feed: its name and "Recently updated"."""
    return f"{settings.name}: {labels(settings.lang)['feed']}"


def card_path(article_id: str) -> str:
    """Where the site keeps an article's social card."""
    return f"cards/{article_id}.png"


def site_card(article: Article) -> bytes:
    """An article's social card: its title, topic and publisher on the generated
    cover's design, 1200×630 (healthinfo.exporters._cover.social_card)."""
    return social_card(title=article.title, topic=article.topic, publisher=article.publisher, lang=article.lang)


def _card_alt(article: Article) -> str:
    """The text alternative of an article's social card: what it shows."""
    publisher = article.publisher
    return page_title(article.title, article.topic, publisher.short_name or publisher.name)


def site_article(article: Article, settings: CorpusSettings, options: Options | None = None) -> bytes:
    """The site's page of one article (``articles/<id>.html``)."""
    options = options or Options()
    card = settings.site_address(card_path(article.id))
    topic_href = f"../index.html#{topic_anchor(article.topic)}" if article.topic else None
    site = _site_links(settings, "../", article.lang, topic_href=topic_href, current=article.title, card=card)
    image = (card, _card_alt(article), *SOCIAL_CARD) if card else None

    def page_of(article_id: str) -> str:  # a language version's page on the site: beside this one
        return settings.site_address(f"articles/{article_id}.html") or f"{article_id}.html"

    return article_page(load_templates(options), article, options, site, image=image, href_of=page_of)


def site_summary(article: Article) -> dict[str, Any]:
    """What the site's index and glossary page show of an article, as JSON data (a
    build keeps it in its manifest)."""
    terms = {node.ref for node in walk([article.blocks, article.sections, article.back]) if isinstance(node, Term)}
    return {
        "id": article.id,
        "title": article.title,
        "lang": article.lang,
        "description": article.description,
        "updated": article.updated.isoformat(),
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "topic": article.topic,
        "terms": sorted(terms),
        # Its language versions, its own included ({} without translations), and its original.
        "translations": {t.lang: t.id for t in article.translations} | {article.lang: article.id} if article.translations else {},
        "translation_of": article.translation_of,
    }


def site_pages(
    settings: CorpusSettings,
    glossary: dict[str, GlossaryEntry],
    summaries: Sequence[dict[str, Any]],
    options: Options | None = None,
) -> dict[str, bytes]:
    """The site's pages made from every article's :func:`site_summary`:
    ``index.html``, ``glossary.html``, ``404.html`` and ``robots.txt``; with
    ``base_url``, ``sitemap.xml`` and ``feed.xml`` too (healthinfo.exporters.site.reach)."""
    options = options or Options()
    t = load_templates(options)
    articles = sorted(summaries, key=lambda a: (a["title"].casefold(), a["id"]))
    index_site = _site_links(settings, "")
    words = labels(settings.lang)
    glossary_site = replace(index_site, current=words["glossary"], at_glossary=True)
    publishers = settings.publishers
    # What the index and the glossary page share: the site's frame and its publisher.
    site_page = functools.partial(
        page,
        t,
        lang=settings.lang,
        page_size=options.page_size or "A4",
        site=index_site,
        publisher=publishers[0] if len(publishers) == 1 else None,
        rights=settings.rights,
        license=settings.license,
    )
    files = {
        "index.html": site_page(**_index_page(t, settings, articles, index_site)),
        "glossary.html": site_page(**_glossary_page(t, settings, glossary, articles, glossary_site)),
        "404.html": site_page(**_not_found_page(t, settings)),
        "robots.txt": robots_txt(settings),
        SEARCH_SCRIPT: search_script(),
    }
    for lang in sorted({settings.lang, *(a["lang"] for a in articles)}, key=lambda tag: (tag != settings.lang, tag)):
        files[search_page_name(lang, settings.lang)] = site_page(**_search_page(t, settings, lang))
    found = {
        "sitemap.xml": sitemap(settings, articles, ["", "glossary.html"]),
        "feed.xml": atom_feed(settings, articles, feed_title(settings)),
    }
    files.update({name: blob for name, blob in found.items() if blob is not None})
    return dict(sorted(files.items()))


def _owner(settings: CorpusSettings) -> str | None:
    """The end of the title of a page of the site: its publisher's short name (or
    name), when the corpus has one publisher."""
    if len(settings.publishers) != 1:
        return None
    publisher = settings.publishers[0]
    return publisher.short_name or publisher.name


def _site_social(settings: CorpusSettings, title: str, path: str | None) -> list[tuple[str, str, str]]:
    """The Open Graph and Twitter card properties of a page of the site."""
    url = settings.site_address(path) if path is not None else None
    return social_meta(title=title, description=None, url=url, site_name=settings.name, lang=settings.lang)


def _search_page(t: Templates, settings: CorpusSettings, lang: str) -> dict[str, Any]:
    """The arguments of the frame of the search page of the articles in ``lang``: in
    that language (its words, its ``<html lang>``, which picks Pagefind's index)."""
    words = labels(lang)
    site = _site_links(settings, "", lang, current=words["search"], search_href=None)
    script_words = {"found": words["search_found"], "none": words["search_none"], "unavailable": words["search_unavailable"]}
    content = Markup(t.get("search-page.j2").render(
        labels=words, site=site, script_href=SEARCH_SCRIPT, words=json.dumps(script_words, ensure_ascii=False)
    ))
    name = search_page_name(lang, settings.lang)
    return {
        "lang": lang,
        "title": page_title(words["search"], settings.name, _owner(settings)),
        "description": None,
        "canonical": settings.site_address(name),
        "jsonld": prune({"@type": "SearchResultsPage", "name": words["search"], "inLanguage": lang,
                         "url": settings.site_address(name)}),
        "content": content,
        "kind": "site-search",
        "robots": "noindex",
        "site": site,
        "social": _site_social(settings, f"{words['search']}: {settings.name}", name),
    }


def _not_found_page(t: Templates, settings: CorpusSettings) -> dict[str, Any]:
    """The arguments of ``404.html``'s frame. A server shows it at any address that
    has no page, so its links are absolute when ``base_url`` is set (from the site's
    folder otherwise: right at its top level)."""
    words = labels(settings.lang)
    root = settings.site_address() or ""
    site = _site_links(settings, root, current=words["not_found"])
    content = Markup(t.get("not-found.j2").render(labels=words, site=site))
    title = page_title(words["not_found"], settings.name, _owner(settings))
    return {
        "title": title,
        "description": None,
        "canonical": None,
        "jsonld": prune({"@type": "WebPage", "name": words["not_found"], "inLanguage": settings.lang}),
        "content": content,
        "kind": "site-not-found",
        "robots": "noindex",
        "site": site,
        "social": _site_social(settings, words["not_found"], None),
    }


# ---------------------------------------------------------------------------
# The index


def _topic_groups(articles: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The articles by topic: topics in alphabetical order, then the articles without
    a topic under "Other topics" (in the corpus language ``lang``)."""
    topics = sorted({a["topic"] for a in articles if a["topic"]}, key=lambda s: (s.casefold(), s))
    groups = [
        {"id": topic_anchor(topic), "title": topic, "articles": [a for a in articles if a["topic"] == topic]}
        for topic in topics
    ]
    untopical = [a for a in articles if not a["topic"]]
    if untopical:
        groups.append({"id": "topic-other", "title": labels(lang)["other_topics"], "articles": untopical})
    return groups


def _index_entry(summary: dict[str, Any]) -> dict[str, Any]:
    """An article on the index. Its "Updated on" and date are in the article's own
    language, as its title and description are: the entry is marked with the
    article's ``lang`` when that is not the page's (WCAG 3.1.2)."""
    lang = summary["lang"]
    updated = dt.date.fromisoformat(summary["updated"])
    return {
        "href": f"articles/{summary['id']}.html",
        "title": summary["title"],
        "lang": lang,
        "description": summary["description"],
        "updated": updated,
        "updated_label": labels(lang)["updated"],
        "updated_text": format_date(updated, lang),
    }


def _index_page(
    t: Templates, settings: CorpusSettings, articles: Sequence[dict[str, Any]], site: SiteLinks
) -> dict[str, Any]:
    """The arguments of the index's page frame: its content and JSON-LD."""
    lang = settings.lang
    groups = [
        {"id": g["id"], "title": g["title"], "articles": [_index_entry(a) for a in g["articles"]]}
        for g in _topic_groups(articles, lang)
    ]
    content = Markup(
        t.get("site-index.j2").render(name=settings.name, groups=groups, site=site, labels=labels(lang), page_lang=lang)
    )
    jsonld = {
        "@type": "CollectionPage",
        "name": settings.name,
        "inLanguage": lang,
        "url": settings.site_address(),
        "publisher": [organisation(p) for p in settings.publishers],
        "hasPart": [
            {"@type": "MedicalWebPage", "name": a["title"], "inLanguage": a["lang"], "url": a["url"] or f"articles/{a['id']}.html"}
            for a in articles
        ],
    }
    return {
        "title": page_title(settings.name, None, _owner(settings)),
        "description": None,
        "canonical": settings.site_address(),
        "jsonld": prune(jsonld),
        "content": content,
        "kind": "site-index",
        "social": _site_social(settings, settings.name, ""),
    }


# ---------------------------------------------------------------------------
# The glossary page


def _glossary_page(
    t: Templates,
    settings: CorpusSettings,
    glossary: dict[str, GlossaryEntry],
    articles: Sequence[dict[str, Any]],
    site: SiteLinks,
) -> dict[str, Any]:
    """The arguments of the glossary page's frame: every entry with the articles that
    use it."""
    words = labels(settings.lang)
    used_in: dict[str, list[dict[str, str]]] = {}
    for article in articles:
        for ref in article["terms"]:
            used_in.setdefault(ref, []).append({"href": f"articles/{article['id']}.html", "title": article["title"]})
    entries = sorted(glossary.values(), key=lambda e: (e.term.casefold(), e.id))
    views = [
        {
            "anchor": f"gloss-{entry.id}",
            "term": entry.term,
            "definition": entry.definition,
            "synonyms": list(entry.synonyms),
            "uses": [],
            "used_in": used_in.get(entry.id, []),
        }
        for entry in entries
    ]
    content = Markup(t.get("glossary-page.j2").render(entries=views, site=site, labels=words))
    jsonld = {
        "@type": "DefinedTermSet",
        "name": f"{words['glossary']}: {settings.name}",
        "inLanguage": settings.lang,
        "hasDefinedTerm": [
            {"@type": "DefinedTerm", "name": e.term, "description": e.definition, "alternateName": list(e.synonyms)}
            for e in entries
        ],
    }
    return {
        "title": page_title(words["glossary"], settings.name, _owner(settings)),
        "description": None,
        "canonical": settings.site_address("glossary.html"),
        "jsonld": prune(jsonld),
        "content": content,
        "kind": "site-glossary",
        "site": site,
        "social": _site_social(settings, f"{words['glossary']}: {settings.name}", "glossary.html"),
    }
