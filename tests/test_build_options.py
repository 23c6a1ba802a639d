"""Exporter options through build() and ``healthinfo build --set``: checked with each
exporter's options model before anything is written, part of each output's key (a
changed option rebuilds), a user template folder part of the fingerprint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from healthinfo._build import MANIFEST, OptionError, build
from healthinfo.cli import app

from .conftest import CORPUS

ARTICLE = "metastatic-breast-cancer-treatment"
EPOCH = 1700000000


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    return tmp_path / "corpus"


def names(paths: list[Path], out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in paths)


def test_an_option_reaches_the_exporter_and_a_change_rebuilds(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out, ["docx", "jats"], jobs=1, source_date_epoch=EPOCH)
    a4 = (out / "docx" / f"{ARTICLE}.docx").read_bytes()
    changed = build(corpus, out, ["docx", "jats"], jobs=1, source_date_epoch=EPOCH, options={"docx": {"page_size": "a5"}})
    # Only the outputs the option applies to (the brochure book is A5 already, but its key changed too).
    assert names(changed.written, out) == [
        "docx/books/metastatic-breast-cancer-brochure.docx", "docx/books/metastatic-breast-cancer.docx", f"docx/{ARTICLE}.docx",
    ]
    a5 = (out / "docx" / f"{ARTICLE}.docx").read_bytes()
    assert a5 != a4
    fresh = tmp_path / "fresh"
    build(corpus, fresh, ["docx"], jobs=2, source_date_epoch=EPOCH, options={"docx": {"page_size": "a5"}})
    assert (fresh / "docx" / f"{ARTICLE}.docx").read_bytes() == a5
    assert not build(corpus, out, ["docx", "jats"], jobs=1, source_date_epoch=EPOCH, options={"docx": {"page_size": "a5"}}).written
    back = build(corpus, out, ["docx", "jats"], jobs=1, source_date_epoch=EPOCH)
    assert len(back.written) == 3 and (out / "docx" / f"{ARTICLE}.docx").read_bytes() == a4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"docx": {"page_size": "b5"}}, "docx.page_size: Input should be 'a4' or 'a5' (given: 'b5')"),
        ({"docx": {"paper": "a5"}}, "docx.paper: unknown option"),
        ({"rtf": {"page_size": "a5"}}, "options for 'rtf': not a format or target"),
        ({"jats": {"source_date_epoch": 1}}, "jats.source_date_epoch: set for every format at once"),
        ({"html": {"template_dir": "no/such/folder"}}, "html.template_dir: no such file or folder: no/such/folder"),
        ({"site": {"page_size": "B5"}}, "site.page_size:"),
        # Options of a format not built now are checked too: a typo is a typo.
        ({"epub": {"page_size": "a5"}}, "epub.page_size: unknown option"),
    ],
)
def test_a_bad_option_stops_the_build_before_anything_is_written(corpus: Path, tmp_path: Path,
                                                                 options: dict[str, dict[str, str]], message: str) -> None:
    with pytest.raises(OptionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build(corpus, tmp_path / "out", ["docx", "jats", "html"], jobs=1, options=options)
    assert not (tmp_path / "out").exists()


def test_a_template_folder_is_part_of_the_fingerprint(corpus: Path, tmp_path: Path) -> None:
    """The site takes the html options; a change of a template in the folder rebuilds
    the html outputs and the site, not the EPUB (which has no template folder)."""
    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.j2"
    page.write_text('{% extends "default/page.j2" %}\n', encoding="utf-8")
    out = tmp_path / "out"
    options = {"html": {"template_dir": str(templates)}}
    first = build(corpus, out, ["html", "epub"], jobs=1, options=options)
    assert first.ok and (out / "site" / "index.html").is_file()
    assert not build(corpus, out, ["html", "epub"], jobs=1, options=options).written
    page.write_text('{% extends "default/page.j2" %}\n{% block footer %}<footer>Our footer</footer>{% endblock %}\n', encoding="utf-8")
    rebuilt = build(corpus, out, ["html", "epub"], jobs=1, options=options)
    assert names(rebuilt.written, out) == [
        "html/books/metastatic-breast-cancer-brochure.html", "html/books/metastatic-breast-cancer.html",
        f"html/{ARTICLE}.html", "site/404.html", f"site/articles/{ARTICLE}.html", "site/glossary.html", "site/index.html",
        "site/search.html",
    ]
    assert b"Our footer" in (out / "html" / f"{ARTICLE}.html").read_bytes()
    assert b"Our footer" in (out / "site" / "index.html").read_bytes()
    # Site options of its own: the html ones no longer apply to it.
    own = build(corpus, out, ["html", "epub"], jobs=1, options={**options, "site": {}})
    assert names(own.written, out) == ["site/404.html", f"site/articles/{ARTICLE}.html", "site/glossary.html", "site/index.html",
                                       "site/search.html"]
    assert b"Our footer" not in (out / "site" / "index.html").read_bytes()
    assert (out / MANIFEST).is_file()


runner = CliRunner()


def test_cli_set(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "-f", "docx", "-j", "1", "--set", "docx.page_size=a5",
                                 "--set", "docx.layout=brochure"], env={"SOURCE_DATE_EPOCH": str(EPOCH)})
    assert result.exit_code == 0, result.output
    expected = tmp_path / "expected"
    build(corpus, expected, ["docx"], jobs=1, source_date_epoch=EPOCH, options={"docx": {"page_size": "a5", "layout": "brochure"}})
    assert (out / "docx" / f"{ARTICLE}.docx").read_bytes() == (expected / "docx" / f"{ARTICLE}.docx").read_bytes()


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("docx.page_size=b5", "error: docx.page_size: Input should be 'a4' or 'a5' (given: 'b5')"),
        ("page_size=a5", "error: --set 'page_size=a5': expected FORMAT.OPTION=VALUE"),
        ("docx.page_size", "error: --set 'docx.page_size': expected FORMAT.OPTION=VALUE"),
        ("docx.source_date_epoch=1", "error: docx.source_date_epoch: set for every format at once"),
    ],
)
def test_cli_bad_set(corpus: Path, tmp_path: Path, setting: str, message: str) -> None:
    result = runner.invoke(app, ["build", str(corpus), "-o", str(tmp_path / "out"), "-f", "docx", "--set", setting])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
