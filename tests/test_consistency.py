"""The cross-format consistency check: every format shows the same sections,
figures, sources, glossary entries and list items as the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

import healthinfo
from healthinfo.checks.consistency import check_outputs, compare, expected_outline, read_outline
from healthinfo.cli import app
from healthinfo.schema import Article

from .conftest import CORPUS
from .strategies import articles

FORMATS = healthinfo.formats()


def test_every_registered_format_has_a_reader() -> None:
    from healthinfo.exporters import get

    for name in healthinfo.formats():
        assert callable(get(name).read_outline)


def test_corpus_build_is_consistent(tmp_path: Path) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    healthinfo.build(CORPUS, tmp_path, jobs=1)
    report = check_outputs(tmp_path, corpus)
    assert len(report.checked) == len(FORMATS) * len(corpus.articles)
    assert report.ok, "\n".join(map(str, report.problems))


@pytest.mark.parametrize("format_name", FORMATS)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles())
def test_generated_articles_are_consistent(format_name: str, article: Article) -> None:
    outline = read_outline(format_name, healthinfo.export(article, format_name))
    problems = compare(article.id, format_name, expected_outline(article), outline)
    assert not problems, "\n".join(map(str, problems))


def test_check_finds_a_difference(tmp_path: Path) -> None:
    healthinfo.build(CORPUS, tmp_path, ["html", "jats"], jobs=1)
    page = tmp_path / "html" / "metastatic-breast-cancer-treatment.html"
    page.write_bytes(page.read_bytes().replace(b"What is palliative care?", b"What is hospice care?"))
    report = check_outputs(tmp_path, healthinfo.load_corpus(CORPUS))
    assert [(p.format, p.what) for p in report.problems] == [("html", "sections")]


def test_cli_check_outputs(tmp_path: Path) -> None:
    healthinfo.build(CORPUS, tmp_path, ["jats", "html"], jobs=1)
    result = CliRunner().invoke(app, ["check-outputs", str(tmp_path), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "1 article in 2 formats: consistent" in result.stdout
    (tmp_path / "jats" / "metastatic-breast-cancer-treatment.xml").write_bytes(
        (tmp_path / "jats" / "metastatic-breast-cancer-treatment.xml").read_bytes().replace(b"<list-item>", b"<list-item><p>x</p></list-item><list-item>", 1)
    )
    failed = CliRunner().invoke(app, ["check-outputs", str(tmp_path), "--corpus", str(CORPUS)])
    assert failed.exit_code == 1 and "list items differ" in failed.stdout


def test_a_damaged_output_is_reported_not_a_crash(tmp_path: Path) -> None:
    healthinfo.build(CORPUS, tmp_path, ["jats", "docx"], jobs=1)
    (tmp_path / "jats" / "metastatic-breast-cancer-treatment.xml").write_bytes(b"<article><body>")
    (tmp_path / "docx" / "metastatic-breast-cancer-treatment.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["check-outputs", str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "(jats): the file cannot be read" in result.stdout and "(docx): the file cannot be read" in result.stdout
