"""The command line: what it prints, what it writes, its exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import healthinfo
from healthinfo.cli import app

from .conftest import CORPUS

runner = CliRunner()


def test_validate_shipped_corpus() -> None:
    result = runner.invoke(app, ["validate", str(CORPUS)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "1 article, 1 block, 2 books, 12 sources, 2 glossary terms, 0 problems"
    assert lines[0].startswith("metastatic-breast-cancer-treatment: Treatment options and supportive care (en; 8 sections, 12 sources")


def test_validate_defaults_to_corpus_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS.parent)
    assert runner.invoke(app, ["validate"]).exit_code == 0


def test_version_and_help() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"healthinfo {healthinfo.__version__}"
    for command in ([], ["validate"], ["schema"], ["formats"], ["export"]):
        help_result = runner.invoke(app, [*command, "--help"])
        assert help_result.exit_code == 0 and "Usage" in help_result.stdout


@pytest.mark.parametrize("model", ["article", "book", "corpus"])
def test_schema(model: str) -> None:
    result = runner.invoke(app, ["schema", model])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == model.capitalize()


def test_schema_unknown_model() -> None:
    result = runner.invoke(app, ["schema", "chapter"])
    assert result.exit_code == 2 and "unknown model" in result.stderr


def test_formats() -> None:
    result = runner.invoke(app, ["formats"])
    assert result.stdout.split() == healthinfo.formats()


def test_export_article_writes_the_file_and_its_images(tmp_path: Path) -> None:
    target = tmp_path / "out" / "article.xml"
    result = runner.invoke(app, ["export", "metastatic-breast-cancer-treatment", "-f", "jats", "-o", str(target), "-c", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"<?xml")
    assert (target.parent / "images" / "infusion.png").read_bytes() == (CORPUS / "images" / "infusion.png").read_bytes()
    assert not list(target.parent.glob(".*.tmp"))


def test_export_by_article_path(tmp_path: Path) -> None:
    target = tmp_path / "a.xml"
    source = CORPUS / "articles" / "metastatic-breast-cancer-treatment.md"
    assert runner.invoke(app, ["export", str(source), "-f", "jats", "-o", str(target)]).exit_code == 0
    assert target.exists()


def test_export_book_to_a_one_article_format_writes_each_article(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "metastatic-breast-cancer", "-f", "jats", "-o", str(tmp_path / "book"), "-c", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "book" / "metastatic-breast-cancer-treatment.xml").exists()


@pytest.mark.parametrize(
    ("arguments", "env", "message"),
    [
        (["export", "metastatic-breast-cancer-treatment", "-f", "rtf", "-o", "x"], {}, "unknown format 'rtf'"),
        (["export", "nothing", "-f", "jats", "-o", "x"], {}, "no article or book 'nothing'"),
        (["export", "metastatic-breast-cancer-treatment", "-f", "jats", "-o", "x"], {"SOURCE_DATE_EPOCH": "yesterday"}, "SOURCE_DATE_EPOCH"),
    ],
)
def test_export_errors(arguments: list[str], env: dict[str, str], message: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [*arguments, "-c", str(CORPUS)], env=env)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_commands_never_modify_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    runner.invoke(app, ["validate", str(corpus)])
    runner.invoke(app, ["export", "metastatic-breast-cancer", "-f", "jats", "-o", str(tmp_path / "o"), "-c", str(corpus)])
    after = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
    assert before == after


def test_console_script_exit_status_and_no_traceback(tmp_path: Path) -> None:
    """The installed command, as a user runs it, on a broken corpus."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "glossary.yaml").write_text("fatigue: [unclosed\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "healthinfo", "validate", str(corpus)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{corpus}/glossary.yaml:1: invalid YAML" in result.stderr


def test_the_console_script_ends_with_its_status_output_and_exit_handlers(tmp_path: Path) -> None:
    """The command ends without the interpreter's teardown (_entry._leave): its status,
    everything it printed, and the exit handlers registered during it are kept."""
    out = tmp_path / "out"
    code = (
        "import atexit, sys; atexit.register(lambda: print('exit handler ran'));"
        f"sys.argv = ['healthinfo', 'build', {str(CORPUS)!r}, '-o', {str(out)!r}, '-f', 'jats'];"
        "from healthinfo._entry import main; main()"
    )
    built = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "0 failed" in built.stdout and built.stdout.rstrip().endswith("exit handler ran")
    assert (out / "jats" / "metastatic-breast-cancer-treatment.xml").is_file()
    refused = subprocess.run(
        [sys.executable, "-m", "healthinfo", "build", str(tmp_path / "missing"), "-o", str(out)],
        capture_output=True, text=True,
    )
    assert refused.returncode == 2 and refused.stderr.strip() and "Traceback" not in refused.stderr


def test_version_fast_path_imports_nothing_heavy() -> None:
    code = (
        "import sys, runpy; sys.argv=['healthinfo','--version'];"
        "from healthinfo._entry import main; main();"
        "heavy=[m for m in ('pydantic','typer','rich','markdown_it','lxml') if m in sys.modules];"
        "print(heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines() == [f"healthinfo {healthinfo.__version__}", "[]"]


def test_import_healthinfo_is_light() -> None:
    code = "import sys, healthinfo; print([m for m in ('pydantic','typer','markdown_it','lxml') if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


def test_site(tmp_path: Path) -> None:
    result = runner.invoke(app, ["site", str(CORPUS), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    written = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert f"wrote {len(written)} files" in result.stdout
    # the shipped corpus names no base_url: the site says what it leaves out
    assert "warning: site:no-base-url:" in result.stderr
    for page in ("index.html", "glossary.html", "404.html", "articles/metastatic-breast-cancer-treatment.html"):
        assert (tmp_path / "site" / page).read_bytes().startswith(b"<!DOCTYPE html>")


def test_site_with_a_broken_template(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.j2").write_text("{% if %}broken\n", encoding="utf-8")
    result = runner.invoke(app, ["site", str(CORPUS), "-o", str(tmp_path / "site"), "--templates", str(templates)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "page.j2:1: template error" in result.stderr
