"""The site's files for search engines and feed readers: ``sitemap.xml``,
``feed.xml`` (Atom) and ``robots.txt``.

References: the Sitemaps protocol 0.9 (https://www.sitemaps.org/protocol.html; its
XSD is in tests/data/sitemaps), Google's "localized versions" of a page in a sitemap
(``xhtml:link rel="alternate" hreflang``,
https://developers.google.com/search/docs/specialty/international/localized-versions),
RFC 4287 The Atom Syndication Format, RFC 9309 The Robots Exclusion Protocol.

Every address in a sitemap and a feed is absolute, so both are written only when the
corpus names its ``base_url``; without it, ``robots.txt`` has no ``Sitemap`` line.
Pure: no clock; a feed's ``updated`` is its newest entry's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from lxml import etree

from ...schema import CorpusSettings

__all__ = ["FEED_ENTRIES", "atom_feed", "robots_txt", "sitemap", "translation_warnings"]

#: How many articles the feed holds: the most recently updated.
FEED_ENTRIES = 20

_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XHTML = "http://www.w3.org/1999/xhtml"
_ATOM = "http://www.w3.org/2005/Atom"


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def sitemap(settings: CorpusSettings, summaries: Sequence[Mapping[str, Any]], pages: Sequence[str]) -> bytes | None:
    """``sitemap.xml``: the site's ``pages`` (paths relative to its folder, "" for the
    start page), then one ``url`` per article with its ``lastmod`` (its ``updated``)
    and, for an article with translations, an ``xhtml:link`` per language (its own
    included, as Google asks) and one for ``x-default`` (the original). None without
    ``base_url``."""
    if settings.base_url is None:
        return None
    root = etree.Element(f"{{{_SITEMAP}}}urlset", nsmap={None: _SITEMAP, "xhtml": _XHTML})  # type: ignore[dict-item]
    for path in pages:
        entry = etree.SubElement(root, f"{{{_SITEMAP}}}url")
        etree.SubElement(entry, f"{{{_SITEMAP}}}loc").text = settings.site_address(path)
    for summary in sorted(summaries, key=lambda s: str(s["id"])):
        entry = etree.SubElement(root, f"{{{_SITEMAP}}}url")
        etree.SubElement(entry, f"{{{_SITEMAP}}}loc").text = settings.site_address(f"articles/{summary['id']}.html")
        etree.SubElement(entry, f"{{{_SITEMAP}}}lastmod").text = str(summary["updated"])
        versions = dict(summary.get("translations") or {})
        if versions:  # the original is also the page for other languages (x-default)
            versions["x-default"] = summary.get("translation_of") or summary["id"]
        for lang, article_id in sorted(versions.items()):
            link = etree.SubElement(entry, f"{{{_XHTML}}}link", rel="alternate", hreflang=lang)
            link.set("href", settings.site_address(f"articles/{article_id}.html") or "")
    return _xml(root)


def _timestamp(day: str) -> str:
    """An article's date as an Atom date (RFC 3339 with a time): its midnight, UTC."""
    return f"{dt.date.fromisoformat(day).isoformat()}T00:00:00Z"


def atom_feed(settings: CorpusSettings, summaries: Sequence[Mapping[str, Any]], title: str) -> bytes | None:
    """``feed.xml``: the :data:`FEED_ENTRIES` most recently updated articles as an
    Atom feed (RFC 4287): each entry's id is the article's canonical address, its
    link the page on the site, its summary the article's description, its category
    its topic; the feed's author is the corpus's publishers. None without
    ``base_url`` or without articles (a feed must have an ``updated``)."""
    if settings.base_url is None or not summaries:
        return None
    newest = sorted(summaries, key=lambda s: (str(s["updated"]), str(s["id"])), reverse=True)[:FEED_ENTRIES]
    root = etree.Element(f"{{{_ATOM}}}feed", nsmap={None: _ATOM})  # type: ignore[dict-item]
    root.set("{http://www.w3.org/XML/1998/namespace}lang", settings.lang)
    etree.SubElement(root, f"{{{_ATOM}}}id").text = settings.site_address("feed.xml")
    etree.SubElement(root, f"{{{_ATOM}}}title").text = title
    etree.SubElement(root, f"{{{_ATOM}}}updated").text = _timestamp(str(newest[0]["updated"]))
    etree.SubElement(root, f"{{{_ATOM}}}link", rel="self", type="application/atom+xml", href=settings.site_address("feed.xml") or "")
    etree.SubElement(root, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=settings.site_address() or "")
    for publisher in settings.publishers:
        author = etree.SubElement(root, f"{{{_ATOM}}}author")
        etree.SubElement(author, f"{{{_ATOM}}}name").text = publisher.name
        if publisher.url:
            etree.SubElement(author, f"{{{_ATOM}}}uri").text = publisher.url
    if settings.rights:
        etree.SubElement(root, f"{{{_ATOM}}}rights").text = settings.rights
    etree.SubElement(root, f"{{{_ATOM}}}generator").text = "healthinfo"
    for summary in newest:
        page = settings.site_address(f"articles/{summary['id']}.html") or ""
        entry = etree.SubElement(root, f"{{{_ATOM}}}entry")
        entry.set("{http://www.w3.org/XML/1998/namespace}lang", str(summary["lang"]))
        etree.SubElement(entry, f"{{{_ATOM}}}id").text = str(summary.get("url") or page)
        etree.SubElement(entry, f"{{{_ATOM}}}title").text = str(summary["title"])
        etree.SubElement(entry, f"{{{_ATOM}}}updated").text = _timestamp(str(summary["updated"]))
        if summary.get("published"):
            etree.SubElement(entry, f"{{{_ATOM}}}published").text = _timestamp(str(summary["published"]))
        etree.SubElement(entry, f"{{{_ATOM}}}link", rel="alternate", type="text/html", href=page)
        if summary.get("topic"):
            etree.SubElement(entry, f"{{{_ATOM}}}category", term=str(summary["topic"]))
        if summary.get("description"):
            etree.SubElement(entry, f"{{{_ATOM}}}summary").text = str(summary["description"])
    return _xml(root)


def robots_txt(settings: CorpusSettings) -> bytes:
    """``robots.txt`` (RFC 9309): every page may be crawled; the sitemap's address
    when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if settings.base_url is not None:
        lines += ["", f"Sitemap: {settings.site_address('sitemap.xml')}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def translation_warnings(summaries: Sequence[Mapping[str, Any]]) -> list[str]:
    """site:translation-outdated for each translation older than its original (its
    page says so to readers too) and site:translation-missing, once per language, for
    the originals without a version in a language the site's translations are in."""
    from ...checks.translations import Version, missing, outdated

    versions = [Version(str(s["id"]), str(s["lang"]), s.get("translation_of"), dt.date.fromisoformat(str(s["updated"])))
                for s in summaries]
    found = [f"site:translation-outdated: {t.id} ({t.lang}) is older than its original {o.id} ({o.lang}), updated "
             f"{o.updated} after it ({t.updated}); its page tells readers so until it is brought up to date"
             for t, o in outdated(versions)]
    lacking: dict[str, list[str]] = {}
    for original, langs in missing(versions):
        for lang in langs:
            lacking.setdefault(lang, []).append(original.id)
    for lang, ids in lacking.items():
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        found.append(f"site:translation-missing: {len(ids)} article{'s' if len(ids) != 1 else ''} ha"
                     f"{'ve' if len(ids) != 1 else 's'} no version in {lang} ({shown}); healthinfo audit lists each")
    return found
