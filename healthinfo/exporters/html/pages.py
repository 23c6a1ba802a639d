"""HTML5: the pages — an article or a book as one standalone HTML document.

References: the HTML Living Standard (https://html.spec.whatwg.org/), HTML-AAM for the
``header``, ``main`` and ``footer`` landmarks (https://www.w3.org/TR/html-aam-1.0/),
CSS Paged Media for the print stylesheet's ``@page`` (https://www.w3.org/TR/css-page-3/).
docs/exporters/html.md describes the page structure.

``article.j2`` and ``book.j2`` arrange the parts the writer rendered; ``page.j2`` is the
HTML document around them (head, JSON-LD, header/main/footer landmarks), the frame
every page shares, the site's pages too (healthinfo.exporters.site). The page is
self-contained: the stylesheet is embedded and figures are data: URIs, so one file can
be mailed, archived or printed as it is (``Rendered.resources`` is empty). Pure and
deterministic: no clock, no environment; the same document gives the same bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from ...schema import Article, Book, Publisher
from ...schema.book import isbn13
from .._base import ExportError, Rendered
from .._dates import format_date
from .._i18n import direction, edition_label, language_name, word
from .jsonld import article_jsonld, book_jsonld, jsonld_script
from .options import Options
from .templates import Templates, load_templates
from .text import data_uri, href
from .writer import HtmlWriter, labels, publisher_view

__all__ = [
    "PAGE_MARGINS",
    "LanguageVersion",
    "SiteLinks",
    "article_page",
    "book_page",
    "clear_last_view",
    "language_versions",
    "page",
    "page_title",
    "paper_size",
    "render",
    "social_meta",
]

#: Paper sizes of the print stylesheet and their page margins (top right bottom left).
PAGE_MARGINS = {"A4": "20mm 20mm 22mm 20mm", "A5": "14mm 13mm 16mm 13mm"}


@dataclass
class SiteLinks:
    """Links of a page that is part of a rendered site (the header's site name and
    breadcrumb, an article's topic). Defined here, not in the site package, because
    the page frame (page.j2) shows them and the site package imports this one."""

    name: str
    home_href: str
    glossary_href: str
    topic_href: str | None = None
    #: The page's own name as the breadcrumb's last, current item (Home › topic ›
    #: this page); None on the start page, which has no breadcrumb.
    current: str | None = None
    #: Whether the page is the glossary page (its link in the site's menu is current).
    at_glossary: bool = False
    #: The site's Atom feed (``feed.xml``), linked from the head when it is written.
    feed_href: str | None = None
    #: The title of the feed (the site's name and "Recently updated").
    feed_title: str | None = None
    #: The address of the article's social card (its search result's image), if any.
    card: str | None = None
    #: The search page of the page's language (the header's search box goes there);
    #: None on a search page, which has its own.
    search_href: str | None = None


@dataclass(frozen=True)
class LanguageVersion:
    """One language version of an article, as its page links to it: in the head
    (``<link rel="alternate" hreflang>``) and in its language switcher."""

    lang: str
    href: str
    #: The language's name in itself ("Deutsch"), as the switcher shows it.
    name: str
    title: str
    #: Whether it is the page's own article; the original the others translate.
    current: bool = False
    original: bool = False


def language_versions(article: Article, href_of: Callable[[str], str] | None = None) -> list[LanguageVersion]:
    """Every language version of an article, its own included, by language: empty
    for an article without translations. ``href_of(id)``: the address of an
    article's page (default: its canonical address, else its file beside this one,
    ``<id>.html``, as the html format writes it)."""
    if not article.translations:
        return []
    addresses = {t.id: t.url for t in article.translations} | {article.id: article.url}

    def default(article_id: str) -> str:
        return addresses.get(article_id) or f"{article_id}.html"

    link = href_of or default
    original = article.translation_of or article.id
    versions = [LanguageVersion(article.lang, link(article.id), language_name(article.lang), article.title, current=True,
                        original=article.id == original)]
    versions += [LanguageVersion(t.lang, link(t.id), language_name(t.lang), t.title, original=t.id == original)
                 for t in article.translations]
    return sorted(versions, key=lambda v: v.lang.casefold())


def _outdated_note(article: Article) -> str | None:
    """The sentence that says a translation is older than its original (the
    original was updated after it), in the translation's language; None otherwise."""
    source = article.original()
    if source is None or source.updated <= article.updated:
        return None
    return word("translation_outdated", article.lang).format(
        language=language_name(source.lang, article.lang),
        date=format_date(source.updated, article.lang),
        updated=format_date(article.updated, article.lang),
    )


def page_title(name: str, context: str | None, owner: str | None) -> str:
    """A page's title as every page of healthinfo writes it: "Name – Context | Owner"
    (an article: its title, its topic and its publisher; a page of the site: the
    page's name, the site's name and the publisher), leaving out what is missing or
    repeats the name."""
    title = name if not context or context == name else f"{name} – {context}"
    return title if not owner or owner == name else f"{title} | {owner}"


def social_meta(
    *,
    title: str,
    description: str | None,
    url: str | None,
    site_name: str | None,
    lang: str,
    image: tuple[str, str, int, int] | None = None,
    article: Article | None = None,
) -> list[tuple[str, str, str]]:
    """The Open Graph (https://ogp.me/) and Twitter card
    (https://developer.x.com/en/docs/x-for-websites/cards/overview/markup) properties
    of a page, as (attribute, name, content): ``property`` for Open Graph, ``name``
    for Twitter's, which takes the title, description and image from Open Graph's.
    ``image``: its absolute address, its text alternative, its width and height. ``og:locale`` is written
    for a language tag with a region only (Open Graph's form is language_TERRITORY,
    and "de" alone does not say which)."""
    parts = [p for p in lang.split("-") if p]
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    found: list[tuple[str, str, str]] = [
        ("property", "og:type", "article" if article is not None else "website"),
        ("property", "og:title", title),
    ]
    for name, value in (("og:description", description), ("og:url", url), ("og:site_name", site_name),
                        ("og:locale", f"{parts[0].lower()}_{region.upper()}" if region else None)):
        if value:
            found.append(("property", name, value))
    if image is not None:
        url_, alt, width, height = image
        found += [("property", "og:image", url_), ("property", "og:image:alt", alt),
                  ("property", "og:image:width", str(width)), ("property", "og:image:height", str(height))]
    if article is not None:
        if article.published is not None:
            found.append(("property", "article:published_time", article.published.isoformat()))
        found.append(("property", "article:modified_time", article.updated.isoformat()))
        if article.topic:
            found.append(("property", "article:section", article.topic))
    found.append(("name", "twitter:card", "summary_large_image" if image is not None else "summary"))
    return found


def paper_size(document: Article | Book, options: Options) -> str:
    """The paper size of the print stylesheet: the option, else A5 for a brochure
    book and A4 for everything else."""
    if options.page_size is not None:
        return options.page_size
    if isinstance(document, Book) and document.profile.value == "brochure":
        return "A5"
    return "A4"


def page(
    t: Templates,
    *,
    lang: str,
    title: str,
    description: str | None,
    canonical: str | None,
    jsonld: dict[str, Any],
    content: Markup,
    page_size: str,
    site: SiteLinks | None,
    publisher: Publisher | None,
    rights: str | None,
    license: str | None,
    kind: str,
    topic: str | None = None,
    extra_footer: Sequence[tuple[str, str]] = (),
    edition: str | None = None,
    social: Sequence[tuple[str, str, str]] = (),
    robots: str | None = None,
    versions: Sequence[LanguageVersion] = (),
) -> bytes:
    """The HTML document (page.j2) around ``content``, as UTF-8. ``social``: the
    page's :func:`social_meta`; ``robots``: its ``<meta name="robots">`` ("noindex"
    for a page that search engines should not list); ``versions``: the page's
    language versions (:func:`language_versions`, addresses as href values), linked
    with ``hreflang``, the original as ``x-default`` too."""
    html = t.get("page.j2").render(
        social=list(social),
        versions=list(versions),
        robots=robots,
        lang=lang,
        dir=direction(lang),
        title=title,
        description=description,
        canonical=href(canonical) if canonical else None,
        jsonld=jsonld_script(jsonld),
        css=t.css,
        page_size=page_size,
        page_margins=PAGE_MARGINS[page_size],
        site=site,
        publisher=publisher_view(publisher) if publisher else None,
        rights=rights,
        license=license,
        license_href=href(license) if license else None,
        labels=labels(lang),
        content=content,
        kind=kind,
        topic=topic,
        extra_footer=list(extra_footer),
        edition=edition,
    )
    return html.encode("utf-8")


# ---------------------------------------------------------------------------
# The one cache of rendered views

#: The last article rendered and its view, per thread: a build renders an article's
#: page for the html format and for the site one after the other, and the view (every
#: node rendered) is most of the work. Keyed by identity, and holding the article, so
#: the key cannot be reused; one entry, so nothing piles up. The view depends only on
#: the article and the templates, so the cache never changes a page's bytes;
#: clear_last_view() empties it (for tests that render twice from scratch).
_LAST_VIEW = threading.local()


def clear_last_view() -> None:
    """Forget this thread's last rendered article view, so that the next page renders
    its article again."""
    _LAST_VIEW.entry = None


def _article_view(t: Templates, article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
    last = getattr(_LAST_VIEW, "entry", None)
    if last is not None and last[0] is article and last[1] is t:
        return last[2], last[3]
    view = HtmlWriter(t, article.lang).article_view(article, level=1, standalone=True)
    jsonld = article_jsonld(article)
    _LAST_VIEW.entry = (article, t, view, jsonld)
    return view, jsonld


# ---------------------------------------------------------------------------
# Article and book pages


def article_page(
    t: Templates,
    article: Article,
    options: Options,
    site: SiteLinks | None = None,
    image: tuple[str, str, int, int] | None = None,
    href_of: Callable[[str], str] | None = None,
) -> bytes:
    """The page of one article; with ``site``, as a page of the site. ``image``: the
    address and text alternative of its social card, when the site has one.
    ``href_of(id)``: the address of another language version's page
    (:func:`language_versions`)."""
    view, jsonld = _article_view(t, article)
    versions = [replace(v, href=href(v.href)) for v in language_versions(article, href_of)]
    content = Markup(
        t.get("article.j2").render(
            a=view, site=site, page_lang=article.lang, page_dir=direction(article.lang),
            versions=[v for v in versions if not v.current], outdated=_outdated_note(article),
        )
    )
    publisher = article.publisher
    title = page_title(article.title, article.topic, publisher.short_name or publisher.name)
    return page(
        t,
        lang=article.lang,
        title=title,
        social=social_meta(
            title=article.title,
            description=article.description,
            url=article.url,
            site_name=site.name if site else publisher.name,
            lang=article.lang,
            image=image,
            article=article,
        ),
        description=article.description,
        canonical=article.url,
        jsonld=jsonld,
        content=content,
        page_size=paper_size(article, options),
        site=site,
        publisher=publisher,
        rights=article.rights,
        license=article.license,
        kind="article",
        topic=article.topic,
        edition=article.edition,
        versions=versions,
    )


def _book_view(book: Book) -> dict[str, Any]:
    """What book.j2 shows of the book itself (its title page)."""
    return {
        "title": book.title,
        "subtitle": book.subtitle,
        "description": book.description,
        "cover": data_uri(book.cover) if book.cover else None,
        "cover_width": book.cover.width if book.cover else None,
        "cover_height": book.cover.height if book.cover else None,
        "date": book.effective_date,
        "date_text": format_date(book.effective_date, book.lang),
        "identifier": book.identifier,
        "publisher": publisher_view(book.publisher),
        "profile": book.profile.value,
        "edition": edition_label(book.edition, book.lang) if book.edition else None,
    }


def book_page(t: Templates, book: Book, options: Options) -> bytes:
    """The page of a book: its articles one after the other, with a table of contents,
    then the back matter as the e-book and the Word document order it: one glossary,
    the sources (one list per article), the reusable back blocks once each."""
    writer = HtmlWriter(t, book.lang)
    article_t = t.get("article.j2")
    words = labels(book.lang)
    chapters: list[Markup] = []
    toc: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for article in book.articles:
        view = writer.article_view(article, level=2, standalone=False)
        if view["references"]:
            sources.append({"id": view["references_id"], "title": article.title, "refs": view["references"]})
        # The sources are the book's back matter, after its glossary.
        view = {**view, "references": []}
        chapters.append(
            Markup(article_t.render(a=view, site=None, page_lang=book.lang, page_dir=direction(book.lang), versions=[],
                                    outdated=None))
        )
        toc.append({"href": f"#{view['heading_id']}", "title": article.title, "children": writer.toc(article)})
    glossary = writer.glossary_view(writer.glossary_order)
    toc += _back_matter_toc(words, glossary, sources)
    back_html = Markup("").join(writer.back_parts)
    content = Markup(
        t.get("book.j2").render(
            book=_book_view(book),
            toc=toc,
            chapters=chapters,
            glossary=glossary,
            sources=sources,
            back=back_html,
            labels=words,
        )
    )
    isbn = isbn13(book.identifier)
    return page(
        t,
        lang=book.lang,
        title=book.title + (f": {book.subtitle}" if book.subtitle else ""),
        description=book.description,
        canonical=None,
        jsonld=book_jsonld(book),
        content=content,
        page_size=paper_size(book, options),
        site=None,
        publisher=book.publisher,
        rights=book.rights,
        license=book.license,
        kind=f"book {book.profile.value}",
        # An ISBN is printed, as on the e-book's imprint; an internal identifier
        # (urn:uuid) is not shown to readers: it stays in the JSON-LD.
        extra_footer=[("ISBN", isbn)] if isbn else [],
        edition=book.edition,
    )


def _back_matter_toc(
    words: dict[str, str], glossary: Sequence[dict[str, Any]], sources: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The contents entries of a book's glossary and sources (book.j2): the sources of
    one article are one list; of several, one list per article under one heading."""
    entries: list[dict[str, Any]] = []
    if glossary:
        entries.append({"href": "#glossary", "title": words["glossary"], "children": []})
    if len(sources) == 1:
        entries.append({"href": f"#{sources[0]['id']}", "title": words["references"], "children": []})
    elif sources:
        children = [{"href": f"#{g['id']}", "title": g["title"], "children": []} for g in sources]
        entries.append({"href": "#sources", "title": words["references"], "children": children})
    return entries


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as one standalone HTML5 page (UTF-8): stylesheet embedded, figures
    as data: URIs, so ``resources`` is empty."""
    t = load_templates(options)
    if isinstance(document, Article):
        return Rendered(data=article_page(t, document, options))
    if isinstance(document, Book):
        return Rendered(data=book_page(t, document, options))
    raise ExportError(f"the HTML exporter takes an Article or a Book, not a {type(document).__name__}")
