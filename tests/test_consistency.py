"""The cross-format consistency check: every format shows the same text, sources,
glossary and metadata as the model. tests/test_tamper.py damages the outputs;
tests/test_reading_<format>.py reads generated articles of every shape back."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import healthinfo
from healthinfo.checks.consistency import CODES, check_outputs, compare
from healthinfo.checks.reading import Reading, Unit, normalise
from healthinfo.cli import app

from .conftest import CORPUS, ROOT

FORMATS = healthinfo.formats()


def test_every_registered_format_has_a_reader() -> None:
    from healthinfo.exporters import get

    for name in healthinfo.formats():
        assert callable(get(name).read_readings)


def test_corpus_build_is_consistent(tmp_path: Path) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    healthinfo.build(CORPUS, tmp_path, jobs=1)
    report = check_outputs(tmp_path, corpus)
    assert report.ok, "\n".join(map(str, report.differences))
    assert {(name, f) for name, f in report.checked} >= {(a, f) for a in corpus.articles for f in FORMATS}


def test_normalise_only_touches_white_space_quotes_and_soft_hyphens() -> None:
    assert normalise(" \u201cNo\u00a0dose\u201d  is\u00adn\u2019t \n safe ") == "\"No dose\" isn't safe"
    assert normalise("5 mg") != normalise("50 mg")


def test_compare_reports_each_kind_of_block_difference() -> None:
    units = (Unit("heading", "Doses", depth=1, id="doses"), Unit("paragraph", "Take 5 mg."),
             Unit("item", "Morning"), Unit("item", "Evening"), Unit("paragraph", "Never more.", note="warning"))
    expected = Reading(units)

    def codes(found: tuple[Unit, ...]) -> list[tuple[str, str]]:
        return [(d.code, d.where) for d in compare(expected, Reading(found))]

    assert codes(units) == []
    assert codes((*units[:1], Unit("paragraph", "Take 50 mg."), *units[2:])) == [
        ("text:changed", 'section 1 "Doses" / block 1')]
    assert codes(units[:4]) == [("block:missing", 'section 1 "Doses" / block 4')]
    assert codes((*units[:2], units[3], units[2], *units[4:]))[0][0] == "block:moved"
    assert codes((*units[:4], Unit("paragraph", "Never more."))) == [("note:changed", 'section 1 "Doses" / block 4')]
    assert codes((*units[:2], Unit("paragraph", "Morning"), *units[3:])) == [("block:kind", 'section 1 "Doses" / block 2')]
    assert codes((*units, Unit("paragraph", "Extra.")))[0][0] == "block:extra"


def test_cli_check_outputs(tmp_path: Path) -> None:
    healthinfo.build(CORPUS, tmp_path, ["jats", "html"], jobs=1)
    result = CliRunner().invoke(app, ["check-outputs", str(tmp_path), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "1 article and 2 books in 2 formats: consistent" in result.stdout
    jats = tmp_path / "jats" / "metastatic-breast-cancer-treatment.xml"
    jats.write_bytes(jats.read_bytes().replace(b"<list-item>", b"<list-item><p>x</p></list-item><list-item>", 1))
    failed = CliRunner().invoke(app, ["check-outputs", str(tmp_path), "--corpus", str(CORPUS)])
    assert failed.exit_code == 1 and "[block:extra]" in failed.stdout


def test_a_damaged_output_is_reported_not_a_crash(tmp_path: Path) -> None:
    healthinfo.build(CORPUS, tmp_path, ["jats", "docx"], jobs=1)
    (tmp_path / "jats" / "metastatic-breast-cancer-treatment.xml").write_bytes(b"<article><body>")
    (tmp_path / "docx" / "metastatic-breast-cancer-treatment.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["check-outputs", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "jats/metastatic-breast-cancer-treatment.xml: the file cannot be read as JATS" in result.stdout
    assert "docx/metastatic-breast-cancer-treatment.docx: the file is not DOCX" in result.stdout


def test_every_code_is_used_and_documented() -> None:
    source = (ROOT / "healthinfo" / "checks" / "consistency.py").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "consistency.md").read_text(encoding="utf-8")
    for code in CODES:
        assert source.count(f'"{code}"') >= 2, f"{code} is in CODES but never reported"
        assert f"`{code}`" in docs, f"{code} is not in docs/consistency.md"


def test_a_changed_title_in_an_onix_record_is_found(tmp_path: Path) -> None:
    """An ONIX record holds no text of the article: its title (and for a book, the
    titles of its articles) is compared, and a change in it is reported."""
    corpus = healthinfo.load_corpus(CORPUS)
    healthinfo.build(CORPUS, tmp_path, ["onix"], jobs=1)
    assert check_outputs(tmp_path, corpus).ok
    article = tmp_path / "onix" / "metastatic-breast-cancer-treatment.onix.xml"
    data = article.read_bytes()
    article.write_bytes(data.replace(b"<Subtitle>Treatment options", b"<Subtitle>Treatment choices", 1))
    book = tmp_path / "onix" / "books" / "metastatic-breast-cancer.onix.xml"
    book.write_bytes(book.read_bytes().replace(b"<TitleText>Treatment options and supportive care<",
                                               b"<TitleText>Treatment options<", 1))
    found = [(d.file, d.code, d.where, d.found) for d in check_outputs(tmp_path, corpus).differences]
    assert found == [
        ("onix/metastatic-breast-cancer-treatment.onix.xml", "metadata:changed", "metadata title",
         "Treatment choices and supportive care"),
        ("onix/books/metastatic-breast-cancer.onix.xml", "metadata:changed", "metadata title", "Treatment options"),
    ]
