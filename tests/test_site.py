"""The site's reach (issue 20): canonical addresses under ``base_url``, sitemap.xml
(checked against the sitemaps.org XSD, tests/data/sitemaps), the Atom feed (read by
feedparser), robots.txt, the 404 page, Open Graph / Twitter card metadata with a
social card, page titles, the breadcrumb and the layout fixes (measured in Chromium)."""

from __future__ import annotations

import functools
import http.server
import io
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from PIL import Image

import healthinfo
from healthinfo.exporters import render
from healthinfo.exporters.site import render_site

from .conftest import CORPUS, ROOT
from .readers.html import tree
from .validators import axe, require, vnu
from .validators import search as search_check

ARTICLE_ID = "metastatic-breast-cancer-treatment"
BASE = "https://health.example.org/library/"
SITEMAP_XSD = ROOT / "tests" / "data" / "sitemaps" / "sitemap.xsd"


def _corpus_at(folder: Path, base_url: str | None) -> Path:
    """A copy of the shipped corpus, with ``base_url`` in its settings when given."""
    target = folder / "corpus"
    shutil.copytree(CORPUS, target)
    if base_url is not None:
        settings = target / "healthinfo.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + f"base_url: {base_url}\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> healthinfo.Corpus:
    """The shipped corpus, named as published at :data:`BASE`."""
    return healthinfo.load_corpus(_corpus_at(tmp_path_factory.mktemp("published"), BASE))


@pytest.fixture(scope="module")
def site(published: healthinfo.Corpus) -> dict[str, bytes]:
    return render_site(published)


@pytest.fixture(scope="module")
def site_folder(site: Mapping[str, bytes], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    for relative, data in site.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    return folder


def _address_to_file(address: str) -> str:
    """The site's file at a web address under :data:`BASE` (the start page: index.html)."""
    assert address.startswith(BASE), address
    relative = address.removeprefix(BASE)
    return relative or "index.html"


def test_the_site_writes_its_reach_files(site: Mapping[str, bytes]) -> None:
    assert {name for name in site if not name.startswith("pagefind/")} == {
        "index.html", "glossary.html", "404.html", "robots.txt", "sitemap.xml", "feed.xml", "search.html", "search.js",
        f"articles/{ARTICLE_ID}.html", f"cards/{ARTICLE_ID}.png",
    }
    assert {"pagefind/pagefind.js", "pagefind/pagefind-entry.json"} <= set(site)


def test_sitemap_is_valid_and_names_the_pages_the_site_writes(site: Mapping[str, bytes], published: healthinfo.Corpus) -> None:
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    document = etree.fromstring(site["sitemap.xml"])
    assert schema.validate(document), schema.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = document.xpath("//s:url/s:loc/text()", namespaces=ns)
    # every page but the 404 page and the search page (both say noindex)
    assert {_address_to_file(loc) for loc in locations} == {
        name for name in site if name.endswith(".html") and name not in ("404.html", "search.html")
    }
    for name in ("404.html", "search.html"):
        assert tree(site[name]).xpath("//meta[@name='robots']/@content") == ["noindex"]
    (lastmod,) = document.xpath("//s:url[s:loc[contains(., '/articles/')]]/s:lastmod/text()", namespaces=ns)
    assert lastmod == published.articles[ARTICLE_ID].updated.isoformat()


def test_a_schema_violation_is_found() -> None:
    """The schema check can fail: a sitemap with a relative address is refused."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    bad = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</loc><lastmod>soon</lastmod></url></urlset>'
    assert not schema.validate(etree.fromstring(bad))


def test_the_feed_parses_and_links_to_the_pages(site: Mapping[str, bytes], published: healthinfo.Corpus) -> None:
    feed = feedparser.parse(site["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Informed health library: Recently updated"
    assert feed.feed.author_detail.name == "Institute for Quality and Efficiency in Health Care"
    (entry,) = feed.entries
    article = published.articles[ARTICLE_ID]
    assert entry.title == article.title and entry.summary == article.description
    assert entry.updated.startswith(article.updated.isoformat())
    assert _address_to_file(entry.link) == f"articles/{ARTICLE_ID}.html"
    assert entry.id == article.url
    assert [tag.term for tag in entry.tags] == [article.topic]
    assert _address_to_file(feed.feed.links[0].href) == "feed.xml"


def test_robots_names_the_sitemap(site: Mapping[str, bytes]) -> None:
    assert site["robots.txt"].decode().splitlines() == ["User-agent: *", "Allow: /", "", f"Sitemap: {BASE}sitemap.xml"]


def test_canonical_addresses_are_pages_the_site_writes(site: Mapping[str, bytes]) -> None:
    for name in ("index.html", "glossary.html", f"articles/{ARTICLE_ID}.html"):
        (canonical,) = tree(site[name]).xpath("//link[@rel='canonical']/@href")
        assert _address_to_file(canonical) == name
        (og_url,) = tree(site[name]).xpath("//meta[@property='og:url']/@content")
        assert og_url == canonical
    assert not tree(site["404.html"]).xpath("//link[@rel='canonical']")


def test_social_metadata_and_card(site: Mapping[str, bytes], published: healthinfo.Corpus) -> None:
    page = tree(site[f"articles/{ARTICLE_ID}.html"])
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.xpath("//meta[@property or @name]")}
    article = published.articles[ARTICLE_ID]
    assert meta["og:type"] == "article" and meta["og:title"] == article.title
    assert meta["og:description"] == article.description and meta["og:site_name"] == "Informed health library"
    assert meta["article:modified_time"] == article.updated.isoformat()
    assert meta["article:section"] == article.topic
    assert meta["twitter:card"] == "summary_large_image"
    assert _address_to_file(meta["og:image"]) == f"cards/{ARTICLE_ID}.png"
    assert meta["og:image:alt"] == f"{article.title} – {article.topic} | IQWiG"
    card = Image.open(io.BytesIO(site[f"cards/{ARTICLE_ID}.png"]))
    assert card.format == "PNG" and card.size == (1200, 630)
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    # The feed is announced in the head of every page.
    for name in ("index.html", "glossary.html", f"articles/{ARTICLE_ID}.html"):
        (feed,) = tree(site[name]).xpath("//link[@rel='alternate'][@type='application/atom+xml']/@href")
        assert feed.endswith("feed.xml")
    # The start page is a website, not an article.
    index = tree(site["index.html"])
    assert index.xpath("//meta[@property='og:type']/@content") == ["website"]


def test_page_titles_end_alike(site: Mapping[str, bytes], published: healthinfo.Corpus) -> None:
    """ "Title – Topic | Publisher" on an article; the site's pages end the same way."""
    article = published.articles[ARTICLE_ID]
    titles = {name: tree(site[name]).xpath("//title/text()")[0] for name in site if name.endswith(".html")}
    assert titles == {
        f"articles/{ARTICLE_ID}.html": f"{article.title} – Metastatic breast cancer | IQWiG",
        "index.html": "Informed health library | IQWiG",
        "glossary.html": "Glossary – Informed health library | IQWiG",
        "404.html": "Page not found – Informed health library | IQWiG",
        "search.html": "Search – Informed health library | IQWiG",
    }


def test_not_found_page_links_work_from_any_address(site: Mapping[str, bytes]) -> None:
    """A server shows 404.html at any missing address: its links are absolute."""
    page = tree(site["404.html"])
    links = page.xpath("//a/@href")
    internal = [href for href in links if not href.startswith(("mailto:", "https://www.informedhealth.org", "#"))]
    assert internal and all(href.startswith(BASE) for href in internal), internal
    assert {_address_to_file(href) for href in internal} <= set(site)


def test_without_base_url_no_sitemap_or_feed_and_a_warning(tmp_path: Path) -> None:
    corpus = _corpus_at(tmp_path, None)
    site = render_site(healthinfo.load_corpus(corpus))
    assert "sitemap.xml" not in site and "feed.xml" not in site and not any(name.startswith("cards/") for name in site)
    assert site["robots.txt"] == b"User-agent: *\nAllow: /\n"
    page = tree(site[f"articles/{ARTICLE_ID}.html"])
    assert not page.xpath("//link[@rel='canonical'] | //meta[@property='og:image'] | //link[@type='application/atom+xml']")
    report = healthinfo.build(corpus, tmp_path / "out", ["html"], jobs=1)
    assert report.ok
    assert [w.message.split(":", 2)[:2] for w in report.warnings] == [["site", "no-base-url"]]
    # reported again by a build that has nothing to do
    again = healthinfo.build(corpus, tmp_path / "out", ["html"], jobs=1)
    assert [w.message.split(":", 2)[:2] for w in again.warnings] == [["site", "no-base-url"]]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".healthinfo" not in p.relative_to(folder).as_posix()}


def test_incremental_builds_follow_base_url(tmp_path: Path) -> None:
    """Naming base_url adds the sitemap, the feed and the cards; taking it away again
    removes them: each build's folder equals a build from scratch."""
    corpus = _corpus_at(tmp_path, None)
    out = tmp_path / "out"
    healthinfo.build(corpus, out, ["html"], jobs=1)
    settings = corpus / "healthinfo.yaml"
    plain = settings.read_text(encoding="utf-8")
    for text in (plain + f"base_url: {BASE}\n", plain):
        settings.write_text(text, encoding="utf-8")
        assert healthinfo.build(corpus, out, ["html"], jobs=1).ok
        scratch = tmp_path / f"scratch-{len(text)}"
        healthinfo.build(corpus, scratch, ["html"], jobs=1)
        assert _files(out) == _files(scratch)
    assert not (out / "site" / "sitemap.xml").exists() and not (out / "site" / "cards").exists()


def test_vnu_and_axe_on_the_site_pages(site_folder: Path) -> None:
    pages = sorted(site_folder.rglob("*.html"))
    problems = vnu.errors(pages)
    assert not problems, vnu.describe(problems)
    results = axe.run(pages)
    assert len(results) == len(pages)
    assert all(not r.get("error") and not r["violations"] for r in results), axe.describe(results)


def _computed(page: Path, script: str, tmp_path: Path) -> str:
    """What ``script`` (an expression) gives in Chromium on ``page``: the page is
    copied with a script that writes the value into the DOM, which Chromium dumps."""
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    tmp_path.mkdir(parents=True, exist_ok=True)
    probe = tmp_path / page.name
    html = page.read_text(encoding="utf-8")
    html = html.replace("</body>", f"<script>document.body.setAttribute('data-probe', String({script}));</script></body>")
    probe.write_text(html, encoding="utf-8")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--window-size=1000,800", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return found.group(1)


def test_the_page_has_room_under_its_header(site_folder: Path, tmp_path: Path) -> None:
    """The start page's title is not jammed under the header: main's top padding
    (2.25rem) is not taken away by .wrap's."""
    script = ("parseFloat(getComputedStyle(document.querySelector('main')).paddingTop)"
              " / parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert float(_computed(site_folder / "index.html", script, tmp_path)) == 2.25


def test_a_book_chapter_keeps_its_topic_with_its_title(corpus: Path, tmp_path: Path) -> None:
    """In a book, the rule above a chapter is above its topic kicker, not between the
    kicker and the title."""
    book = healthinfo.load_corpus(CORPUS).books["metastatic-breast-cancer"]
    page = tmp_path / "book.html"
    page.write_bytes(render(book, "html").data)
    script = ("(() => { const h = document.querySelector('.chapter-head'); const t = h.querySelector('h2');"
              " return [getComputedStyle(h).borderTopWidth, getComputedStyle(t).borderTopWidth,"
              " Math.round(t.getBoundingClientRect().top - h.querySelector('.topic').getBoundingClientRect().bottom)].join(' '); })()")
    head_rule, title_rule, gap = _computed(page, script, tmp_path / "probe").split()
    assert head_rule == "1px" and title_rule == "0px"
    assert 0 <= int(gap) < 12, gap


# ---------------------------------------------------------------------------
# Search


@pytest.fixture(scope="module")
def served(site_folder: Path) -> Iterator[str]:
    """The site served over http://127.0.0.1 (Pagefind fetches its index: a file:
    page cannot search), as a web server would serve OUT/site/."""
    yield from _serve(site_folder)


def _serve(folder: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_reader_searches_from_an_article_and_finds_it(served: str, published: healthinfo.Corpus) -> None:
    """Typed into the header's search box of an article page: the search page lists
    the article with its title, topic and a snippet marking the word; axe finds
    nothing with the results showing; nothing is fetched from outside the site."""
    article = published.articles[ARTICLE_ID]
    found = search_check.run(f"{served}articles/{ARTICLE_ID}.html", "chemotherapy")
    assert found["url"] == f"{served}search.html?q=chemotherapy"
    assert found["status"] == "Articles found for “chemotherapy”: 1"
    (result,) = found["results"]
    assert result["title"] == article.title and result["topic"] == article.topic
    assert result["href"] == f"{served}articles/{ARTICLE_ID}.html"
    assert "chemotherapy" in result["snippet"] and [m.casefold() for m in result["marked"]] == ["chemotherapy"]
    assert not found["violations"], found["violations"]
    assert not found["blockedRequests"] and not found["consoleErrors"], found


def test_a_search_that_finds_nothing_says_so(served: str) -> None:
    found = search_check.run(f"{served}index.html", "xylophone")
    assert found["status"] == "No article found for “xylophone”."
    assert found["results"] == [] and not found["violations"], found


def test_a_word_only_in_the_sources_finds_nothing(served: str) -> None:
    """"Mammakarzinoms" is in the titles of two sources only: the sources are not the
    article's text, so the search does not find the article by them."""
    found = search_check.run(f"{served}index.html", "Mammakarzinoms")
    assert found["results"] == [], found


def test_the_index_leaves_out_the_head_glossary_and_sources(site: Mapping[str, bytes]) -> None:
    """Only article pages are indexed, without the parts that are not their text: a
    word only in a source's title finds nothing. The index is Pagefind's, split in
    chunks (a query loads only the ones it needs)."""
    entry = __import__("json").loads(site["pagefind/pagefind-entry.json"])
    assert set(entry["languages"]) == {"en"}
    assert entry["languages"]["en"]["page_count"] == 1
    assert any(name.startswith("pagefind/fragment/") for name in site)
    assert any(name.startswith("pagefind/index/") for name in site)


GERMAN = """---
title: Schlafprobleme im Alltag
topic: Schlaf
lang: de
publisher: iqwig
updated: 2024-03-01
description: Was bei gelegentlichen Schlafproblemen helfen kann.
---

Viele Menschen schlafen gelegentlich schlecht. Regelmäßige Entspannungsübungen und
feste Schlafenszeiten können helfen.
"""


def test_a_german_article_is_searched_in_german(tmp_path: Path) -> None:
    """A German article of an English corpus: its search box goes to the German
    search page, which says its words in German and finds the article by another
    form of a word (German stemming: "Entspannungsübung" for "Entspannungsübungen")."""
    corpus = _corpus_at(tmp_path, BASE)
    (corpus / "articles" / "schlafprobleme.md").write_text(GERMAN, encoding="utf-8")
    site = render_site(healthinfo.load_corpus(corpus))
    assert tree(site["articles/schlafprobleme.html"]).xpath("//form[@role='search']/@action") == ["../search-de.html"]
    assert tree(site[f"articles/{ARTICLE_ID}.html"]).xpath("//form[@role='search']/@action") == ["../search.html"]
    assert tree(site["search-de.html"]).xpath("/html/@lang") == ["de"]
    folder = tmp_path / "site"
    for relative, data in site.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(data)
    served = _serve(folder)
    base = next(served)
    try:
        found = search_check.run(f"{base}articles/schlafprobleme.html", "Entspannungsübung")
        english = search_check.run(f"{base}articles/{ARTICLE_ID}.html", "Entspannungsübung")
    finally:
        next(served, None)
    assert found["url"].startswith(f"{base}search-de.html?q=")
    assert found["status"] == "Artikel zu „Entspannungsübung“: 1"
    assert [r["title"] for r in found["results"]] == ["Schlafprobleme im Alltag"]
    assert found["results"][0]["topic"] == "Schlaf"
    assert not found["violations"] and not found["consoleErrors"], found
    # The English search page searches the English articles.
    assert english["results"] == []


def test_the_search_index_is_rebuilt_only_when_a_page_changed(tmp_path: Path) -> None:
    """A build with nothing changed keeps the index; an edit of an article's text makes
    it again, removes the chunks it no longer has, and equals a build from scratch."""
    corpus = _corpus_at(tmp_path, BASE)
    out = tmp_path / "out"
    healthinfo.build(corpus, out, ["html"], jobs=1)
    bundle = out / "site" / "pagefind"
    first = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    again = healthinfo.build(corpus, out, ["html"], jobs=1)
    assert not [p for p in again.written if "pagefind" in p.parts]
    article = corpus / "articles" / f"{ARTICLE_ID}.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Cancer-related pain can be treated", "Cancer-related pain can be treated well", 1), encoding="utf-8")
    edited = healthinfo.build(corpus, out, ["html"], jobs=1)
    assert [p for p in edited.written if "pagefind" in p.parts]
    after = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert after != first and [p for p in edited.removed if "pagefind" in p.parts]
    scratch = tmp_path / "scratch"
    healthinfo.build(corpus, scratch, ["html"], jobs=1)
    assert _files(out) == _files(scratch)


def test_a_search_page_opened_as_a_file_says_why_it_cannot_search(site_folder: Path) -> None:
    """Opened from disk, the browser cannot fetch the index: the page says so in its
    status line instead of showing nothing."""
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--virtual-time-budget=5000", "--dump-dom", (site_folder / "search.html").as_uri() + "?q=chemotherapy"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    status = tree(done.stdout.encode()).xpath("//p[@id='search-status']")
    assert status and status[0].text == (
        "The search could not be loaded. It works when the site is opened from a web server (http:// or https://), "
        "not from a file."
    ), done.stdout[-2000:]
