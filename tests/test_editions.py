"""Regional editions: the shipped article's German passage, :func:`healthinfo.edition`,
what every format says of an edition and of a regional passage, and
``healthinfo build --edition``."""

from __future__ import annotations

import io
import json
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html
from typer.testing import CliRunner

import healthinfo
from healthinfo import EditionWarning
from healthinfo.checks.consistency import check_outputs
from healthinfo.cli import app
from healthinfo.editions import corpus_edition, edition_of
from healthinfo.exporters import render
from healthinfo.schema import (
    Article,
    Book,
    GlossaryEntry,
    List,
    ListItem,
    Note,
    Paragraph,
    RegionalPassage,
    Section,
    Term,
    Text,
    plain_text,
    walk,
)

from .conftest import CORPUS
from .strategies import articles

ARTICLE = "metastatic-breast-cancer-treatment"


@pytest.fixture(scope="module")
def corpus() -> Any:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def article(corpus: Any) -> Article:
    found: Article = corpus.articles[ARTICLE]
    return found


def para(text: str) -> Paragraph:
    return Paragraph(children=(Text(text=text),))


def passage(regions: tuple[str, ...], text: str) -> RegionalPassage:
    return RegionalPassage(regions=regions, blocks=(para(text),))


def with_blocks(article: Article, *blocks: Any, sections: tuple[Section, ...] = ()) -> Article:
    return article.model_copy(update={"blocks": tuple(blocks), "sections": sections, "back": ()})


# ---------------------------------------------------------------- the shipped article

def test_the_german_passage_of_the_shipped_article_is_scoped(article: Article) -> None:
    """Exactly what the note introduces — the note, the paragraph about the services
    and the list of facilities — applies to Germany; nothing else is scoped."""
    passages = [node for node in walk([article.blocks, article.sections]) if isinstance(node, RegionalPassage)]
    assert len(passages) == 1
    (german,) = passages
    assert german.regions == ("DE",)
    assert [type(block) for block in german.blocks] == [Note, Paragraph, List]
    note, services, facilities = german.blocks
    assert isinstance(note, Note) and note.region == "DE"
    assert plain_text(note).startswith("The following information describes the situation in Germany.")
    assert plain_text(services).startswith("In the hospital, this kind of support is mainly provided")
    assert isinstance(facilities, List) and len(facilities.items) == 4
    assert plain_text(facilities.items[-1]) == "Practice-based psychotherapists"
    section = next(s for s in article.sections if german in s.blocks)
    assert section.id == "psycho-oncological-care"


def test_the_austrian_edition_leaves_out_the_german_passage_and_says_so(article: Article) -> None:
    cut, notices = edition_of(article, "AT")
    assert isinstance(cut, Article) and cut.edition == "AT"
    assert [notice.code for notice in notices] == ["edition:passage-left-out"]
    message = notices[0].message
    assert message.startswith(f"{ARTICLE}, section “What is psycho-oncological care?”: the passage for DE “The "
                              "following information")
    assert message.endswith("it has no alternative for AT")
    text = plain_text(cut)
    assert "In the hospital, this kind of support" not in text and "Practice-based psychotherapists" not in text
    # Everything else stays, in order.
    kept = [line for line in plain_text(article).splitlines() if line not in plain_text(
        next(n for n in walk(article.sections) if isinstance(n, RegionalPassage))).splitlines()]
    assert text.splitlines() == kept


def test_the_german_edition_is_the_complete_text(article: Article) -> None:
    cut, notices = edition_of(article, "DE")
    assert notices == []
    assert cut == article.model_copy(update={"edition": "DE"})


# ---------------------------------------------------------------- the rules

def test_passages_one_after_another_are_alternatives(article: Article) -> None:
    doc = with_blocks(article, passage(("DE",), "Ask your health insurer."), passage(("AT", "CH"), "Ask your doctor."),
                      para("For everyone."))
    at, notices = edition_of(doc, "AT")
    assert notices == [] and isinstance(at, Article)
    assert [plain_text(b) for b in at.blocks] == ["Ask your doctor.", "For everyone."]
    de, _ = edition_of(doc, "DE")
    assert isinstance(de, Article) and [plain_text(b) for b in de.blocks] == ["Ask your health insurer.", "For everyone."]
    gb, notices = edition_of(doc, "GB")
    assert isinstance(gb, Article) and [plain_text(b) for b in gb.blocks] == ["For everyone."]
    assert [n.code for n in notices] == ["edition:passage-left-out"] * 2
    assert "the passage for AT CH “Ask your doctor.”" in notices[1].message


def test_a_paragraph_between_passages_ends_the_alternatives(article: Article) -> None:
    doc = with_blocks(article, passage(("DE",), "German."), para("Between."), passage(("AT",), "Austrian."))
    _, notices = edition_of(doc, "AT")
    assert [n.code for n in notices] == ["edition:passage-left-out"]
    assert "“German.”" in notices[0].message


def test_a_note_for_another_country_and_an_emptied_section(article: Article) -> None:
    only_german = Section(id="in-germany", title=(Text(text="Help in Germany"),), blocks=(passage(("DE",), "Call us."),))
    note = Note(region="DE", blocks=(para("A German note."),))
    doc = with_blocks(article, para("Lead."), note, sections=(only_german,))
    cut, notices = edition_of(doc, "AT")
    assert isinstance(cut, Article) and cut.sections == () and [plain_text(b) for b in cut.blocks] == ["Lead."]
    assert [(n.code, n.message) for n in notices] == [
        ("edition:note-left-out", f"{ARTICLE}, the lead: the note for DE “A German note.” is left out"),
        ("edition:passage-left-out", f"{ARTICLE}, section “Help in Germany”: the passage for DE “Call us.” is left "
                                     "out; it has no alternative for AT"),
        ("edition:section-empty", f"{ARTICLE}, section “Help in Germany”: the section is left out: in the AT "
                                  "edition it has no content"),
    ]


def test_a_section_that_was_empty_stays(article: Article) -> None:
    empty = Section(id="empty", title=(Text(text="To come"),))
    cut, notices = edition_of(with_blocks(article, para("Lead."), sections=(empty,)), "AT")
    assert isinstance(cut, Article) and cut.sections == (empty,) and notices == []


def test_containers_emptied_by_an_edition_go_too(article: Article) -> None:
    items = (ListItem(blocks=(passage(("DE",), "German item."),)), ListItem(blocks=(para("Item."),)))
    doc = with_blocks(article, List(items=items), Note(blocks=(passage(("DE",), "Only German."),)))
    cut, _ = edition_of(doc, "AT")
    assert isinstance(cut, Article)
    (remaining,) = cut.blocks
    assert isinstance(remaining, List) and [plain_text(i) for i in remaining.items] == ["Item."]


def test_the_glossary_keeps_the_terms_the_edition_uses(article: Article) -> None:
    term = Paragraph(children=(Term(ref="fatigue", children=(Text(text="fatigue"),)),))
    entry = GlossaryEntry(id="fatigue", term="fatigue", definition="Great tiredness.")
    doc = with_blocks(article, RegionalPassage(regions=("DE",), blocks=(term,))).model_copy(
        update={"glossary": {"fatigue": entry}})
    at, _ = edition_of(doc, "AT")
    de, _ = edition_of(doc, "DE")
    assert isinstance(at, Article) and at.glossary == {}
    assert isinstance(de, Article) and list(de.glossary) == ["fatigue"]


def test_an_article_for_another_country_and_a_book_without_articles(corpus: Any, article: Article) -> None:
    german = article.model_copy(update={"region": "DE"})
    assert edition_of(german, "AT") == (None, [edition_of(german, "AT")[1][0]])
    assert edition_of(german, "AT")[1][0].code == "edition:article-left-out"
    book = next(iter(corpus.books.values())).model_copy(update={"articles": (german,)})
    cut, notices = edition_of(book, "AT")
    assert cut is None and [n.code for n in notices] == ["edition:article-left-out", "edition:book-left-out"]


def test_edition_warns_and_refuses_unknown_countries(article: Article, corpus: Any) -> None:
    with pytest.warns(EditionWarning, match="edition:passage-left-out") as caught:
        cut = healthinfo.edition(article, "AT")
    assert isinstance(cut, Article) and caught[0].message.code == "edition:passage-left-out"  # type: ignore[union-attr]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        whole = healthinfo.edition(corpus, "AT")
    # The books hold the article: what it loses is said once.
    assert len([w for w in seen if issubclass(w.category, EditionWarning)]) == 1
    assert set(whole.articles) == set(corpus.articles) and set(whole.books) == set(corpus.books)
    for code in ("at", "XX", "AUT", ""):
        with pytest.raises(ValueError, match="is not a country code"):
            healthinfo.edition(article, code)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles(), st.sampled_from(["DE", "AT", "GB", "FR"]))
def test_an_edition_holds_nothing_for_other_countries(generated: Article, region: str) -> None:
    cut, notices = edition_of(generated, region)
    if generated.region not in (None, region):
        assert cut is None and [n.code for n in notices] == ["edition:article-left-out"]
        return
    assert isinstance(cut, Article)
    for node in walk([cut.blocks, cut.sections, cut.back]):
        assert not (isinstance(node, RegionalPassage) and region not in node.regions)
        assert not (isinstance(node, Note) and node.region not in (None, region))
    left_out = [n for n in walk([generated.blocks, generated.sections]) if isinstance(n, RegionalPassage)
                and region not in n.regions]
    assert bool(left_out) <= bool(notices)
    # The edition renders like any article.
    assert render(cut, "html").data


# ---------------------------------------------------------------- what the outputs say

def _member(data: bytes, suffix: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(next(name for name in archive.namelist() if name.endswith(suffix)))


def _docx_paragraphs(data: bytes, style: str) -> list[str]:
    root = etree.fromstring(_member(data, "word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    return ["".join(p.itertext()) for p in root.iterfind(".//w:p", ns)
            if p.find(f"w:pPr/w:pStyle[@w:val='{style}']", ns) is not None]


@pytest.mark.parametrize(("lang", "mark", "statement"), [
    ("en", "Applies to: Germany", "Edition: Austria"),
    ("de", "Gilt für: Deutschland", "Ausgabe: Österreich"),
])
def test_every_format_says_which_edition_it_is(article: Article, lang: str, mark: str, statement: str) -> None:
    whole = article.model_copy(update={"lang": lang})
    cut, _ = edition_of(whole, "AT")
    assert isinstance(cut, Article)
    page = html.fromstring(render(cut, "html").data)
    assert page.xpath("//meta[@name='dcterms.coverage']/@content") == ["AT"]
    (described,) = [json.loads(s.text) for s in page.iter("script") if s.get("type") == "application/ld+json"]
    assert described["audience"]["geographicArea"] == {"@type": "Country", "identifier": "AT"}
    assert "spatialCoverage" not in described  # the article itself applies everywhere
    assert [p.text_content() for p in page.find_class("edition")] == [statement]
    opf = etree.fromstring(_member(render(cut, "epub").data, ".opf"))
    assert opf.findtext(".//{http://purl.org/dc/elements/1.1/}coverage") == "AT"
    docx = render(cut, "docx").data
    assert b"<vt:lpwstr>AT</vt:lpwstr>" in _member(docx, "docProps/custom.xml")
    assert statement in _docx_paragraphs(docx, "PublisherBlock")
    jats = etree.fromstring(render(cut, "jats").data)
    assert jats.xpath("//custom-meta[meta-name='edition']/meta-value/text()") == ["AT"]
    onix = render(cut, "onix").data.decode()
    assert f"<EditionStatement>{statement}</EditionStatement>" in onix
    # The complete text says no edition, and marks the German passage in the article's language.
    complete = render(whole, "html").data
    assert b"dcterms.coverage" not in complete
    assert [p.text_content() for p in html.fromstring(complete).find_class("regional-label")] == [mark]
    assert _docx_paragraphs(render(whole, "docx").data, "RegionalHeading") == [mark]
    chapter = _member(render(whole, "epub").data, "chapter-1.xhtml").decode()
    assert f'<p class="regional-label" id="region-1-label">{mark}</p>' in chapter


def test_a_note_for_a_country_outside_a_passage_is_marked(article: Article) -> None:
    doc = with_blocks(article, Note(region="DE", blocks=(para("For Germany."),)))
    page = html.fromstring(render(doc, "html").data)
    (note,) = page.find_class("note")
    assert [p.text_content() for p in note.find_class("regional-label")] == ["Applies to: Germany"]
    docx = render(doc, "docx").data
    assert "Applies to: Germany" in _docx_paragraphs(docx, "Note")


# ---------------------------------------------------------------- the build

def test_build_an_edition(tmp_path: Path, corpus: Any) -> None:
    out = tmp_path / "out"
    report = healthinfo.build(CORPUS, out, ["html", "jats", "docx"], jobs=1, edition="AT")
    assert report.ok
    # the passage left out, and the site's own: the corpus names no base_url
    assert {w.message.partition(":")[2].partition(":")[0] for w in report.warnings} == {"passage-left-out", "no-base-url"}
    assert b"In the hospital, this kind of support" not in (out / "html" / f"{ARTICLE}.html").read_bytes()
    assert check_outputs(out, corpus, edition="AT", jobs=1).ok
    assert not check_outputs(out, corpus, jobs=1).ok  # the complete text is not what was built
    again = healthinfo.build(CORPUS, out, ["html", "jats", "docx"], jobs=1, edition="AT")
    assert again.written == [] and again.skipped
    complete = healthinfo.build(CORPUS, out, ["html", "jats", "docx"], jobs=1)

    def documents(written: list[Path]) -> set[Path]:  # the site's index pages are made only when they change
        return {path for path in written if path.relative_to(out).parts[0] != "site"}

    assert documents(complete.written) == documents(report.written)  # another edition: everything again
    assert b"In the hospital, this kind of support" in (out / "html" / f"{ARTICLE}.html").read_bytes()
    with pytest.raises(healthinfo.OptionError, match="--edition 'Austria' is not a country code"):
        healthinfo.build(CORPUS, out, ["html"], edition="Austria")


def test_an_edition_removes_what_is_not_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    (folder / "articles" / "help-in-germany.md").write_text(
        "---\ntitle: Help in Germany\ntopic: Support\nupdated: 2024-01-23\nregion: DE\n---\nCall us.\n", encoding="utf-8")
    out = tmp_path / "out"
    healthinfo.build(folder, out, ["html"], jobs=1)
    assert (out / "html" / "help-in-germany.html").is_file() and (out / "site" / "articles" / "help-in-germany.html").is_file()
    report = healthinfo.build(folder, out, ["html"], jobs=1, edition="AT")
    assert not (out / "html" / "help-in-germany.html").exists()
    assert not (out / "site" / "articles" / "help-in-germany.html").exists()
    assert out / "html" / "help-in-germany.html" in report.removed
    assert "Help in Germany" not in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert any("edition:article-left-out: help-in-germany: the article is for DE, not AT" in w.message
               for w in report.warnings)


def test_the_cli_builds_an_edition(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(CORPUS), "-o", str(tmp_path / "out"), "-f", "jats", "--edition", "AT"])
    assert result.exit_code == 0, result.output
    assert "edition:passage-left-out" in result.stderr
    checked = runner.invoke(app, ["check-outputs", str(tmp_path / "out"), "--corpus", str(CORPUS), "--edition", "AT"])
    assert checked.exit_code == 0, checked.output
    bad = runner.invoke(app, ["build", str(CORPUS), "-o", str(tmp_path / "bad"), "--edition", "at"])
    assert bad.exit_code == 2
    assert "--edition 'at' is not a country code" in bad.stderr and "Traceback" not in bad.output
    exported = runner.invoke(app, ["export", ARTICLE, "-f", "jats", "-o", str(tmp_path / "one.xml"),
                                   "--corpus", str(CORPUS), "--edition", "CH"])
    assert exported.exit_code == 0, exported.output
    assert b"<meta-value>CH</meta-value>" in (tmp_path / "one.xml").read_bytes()


def test_a_book_edition_marks_its_title_page(corpus: Any) -> None:
    book: Book = corpus.books["metastatic-breast-cancer"]
    cut, _ = edition_of(book, "AT")
    assert isinstance(cut, Book) and cut.edition == "AT" and all(a.edition == "AT" for a in cut.articles)
    titlepage = _member(render(cut, "epub").data, "titlepage.xhtml").decode()
    assert '<p class="edition">Edition: Austria</p>' in titlepage
    page = html.fromstring(render(cut, "html").data)
    assert page.find_class("edition")[0].text_content() == "Edition: Austria"  # the title page first


def test_corpus_edition_keeps_the_settings(corpus: Any) -> None:
    cut, _ = corpus_edition(corpus, "AT")
    assert cut.settings == corpus.settings and cut.glossary == corpus.glossary


# ---------------------------------------------------------------- the real validators

@pytest.fixture(scope="module")
def austrian_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus's Austrian edition, in every format, with the site."""
    out = tmp_path_factory.mktemp("edition-at")
    report = healthinfo.build(CORPUS, out, jobs=2, edition="AT")
    assert report.ok and report.warnings
    return out


def test_the_austrian_edition_passes_the_web_validators(austrian_build: Path) -> None:
    from .validators import axe, vnu

    pages = sorted(austrian_build.glob("html/**/*.html")) + sorted(austrian_build.glob("site/**/*.html"))
    assert len(pages) == 8  # 3 html, the site's index, glossary, 404, search and article pages
    problems = vnu.errors(pages)
    assert not problems, vnu.describe(problems)
    results = axe.run(pages)
    assert all(not r.get("error") and not r["violations"] for r in results), axe.describe(results)


def test_the_austrian_edition_passes_the_ebook_validators(austrian_build: Path) -> None:
    from .validators import ace, epubcheck

    for epub in sorted(austrian_build.glob("epub/**/*.epub")):
        problems = epubcheck.problems(epub)
        assert not problems, epubcheck.describe(problems)
    found = ace.violations(austrian_build / "epub" / f"{ARTICLE}.epub")
    assert not found, ace.describe(found)


def test_the_austrian_edition_passes_the_jats_dtd_libreoffice_and_pandoc(austrian_build: Path, tmp_path: Path) -> None:
    from .test_jats import _dtd_path
    from .validators import libreoffice, onix, pandoc

    dtd = etree.DTD(str(_dtd_path()))
    jats = etree.parse(str(austrian_build / "jats" / f"{ARTICLE}.xml"))
    assert dtd.validate(jats), dtd.error_log.filter_from_errors()
    docx = austrian_build / "docx" / f"{ARTICLE}.docx"
    text = " ".join(libreoffice.pdf_text(libreoffice.to_pdf(docx, tmp_path)).split())
    assert "Edition: Austria" in text and "In the hospital, this kind of support" not in text
    assert "Nowadays, psycho-oncological care" in pandoc.read_outline(docx.read_bytes()).text
    for record in sorted(austrian_build.glob("onix/**/*.onix.xml")):
        assert onix.problems(record.read_bytes()) == []
    assert check_outputs(austrian_build, healthinfo.load_corpus(CORPUS), edition="AT", jobs=1).ok
