"""The worked example of docs/development.md is a real exporter: its three files, taken
from the page, installed as ``healthinfo.exporters.text`` with one registry line, pass
the exporter contract, the consistency check and a build. So the page cannot drift
from the code, and "a new format is one package + one registry line" is tested."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import healthinfo
import healthinfo.exporters as exporters
from healthinfo.checks.consistency import check_outputs, compare
from healthinfo.checks.reading import expected_reading
from healthinfo.exporters._dispatch import UnknownNodeError

from .conftest import CORPUS, ROOT

ARTICLE = "metastatic-breast-cancer-treatment"
_FILE = re.compile(r"```python\n# healthinfo/exporters/text/(\S+\.py)\n(.*?)```", re.S)


@pytest.fixture
def text_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    page = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
    files = dict(_FILE.findall(page))
    assert set(files) == {"__init__.py", "writer.py", "outline.py"}
    package = tmp_path / "pkg" / "text"
    package.mkdir(parents=True)
    for name, source in files.items():
        (package / name).write_text(source, encoding="utf-8")
    monkeypatch.setattr(exporters, "__path__", [*exporters.__path__, str(tmp_path / "pkg")])
    monkeypatch.setitem(exporters.REGISTRY, "text", "healthinfo.exporters.text:EXPORTER")
    yield "text"
    import sys

    for name in [m for m in sys.modules if m.startswith("healthinfo.exporters.text")]:
        del sys.modules[name]


def test_contract(text_format: str) -> None:
    from .test_exporter_contract import assert_text_survives

    article = healthinfo.load_corpus(CORPUS).articles[ARTICLE]
    assert text_format in healthinfo.formats()
    assert_text_survives(article, text_format)
    assert healthinfo.export(article, text_format) == healthinfo.export(article, text_format)
    section = article.sections[0]
    broken = article.model_construct(
        **{**dict(article), "sections": (section.model_construct(**{**dict(section), "blocks": (object(),)}),)}
    )
    with pytest.raises(UnknownNodeError) as raised:
        healthinfo.export(broken, text_format)
    assert raised.value.format == "text" and raised.value.kind == "block"


def test_consistency_and_build(text_format: str, tmp_path: Path) -> None:
    corpus = healthinfo.load_corpus(CORPUS)
    article = corpus.articles[ARTICLE]
    (reading,) = exporters.get(text_format).read_readings(healthinfo.export(article, text_format))
    assert compare(expected_reading(article), reading) == []
    out = tmp_path / "out"
    report = healthinfo.build(CORPUS, out, [text_format, "jats"], jobs=1)
    assert report.ok, report.failed
    assert (out / "text" / f"{ARTICLE}.txt").is_file()
    assert not (out / "text" / "books").exists()  # it takes no books
    report = check_outputs(out, corpus)
    assert report.ok, "\n".join(map(str, report.differences))
    assert (ARTICLE, text_format) in report.checked


def test_cli_lists_and_exports_it(text_format: str, tmp_path: Path) -> None:
    from healthinfo.cli import app

    runner = CliRunner()
    listed = runner.invoke(app, ["formats"])
    assert listed.exit_code == 0 and "text" in listed.output.split()
    target = tmp_path / "article.txt"
    done = runner.invoke(app, ["export", ARTICLE, "-f", text_format, "-o", str(target), "--corpus", str(CORPUS)])
    assert done.exit_code == 0, done.output
    assert target.read_text(encoding="utf-8").startswith("# Treatment options and supportive care")


def test_formats_doc_is_current() -> None:
    """docs/formats.md is generated from the registry (scripts/gen-formats-doc.py)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen-formats-doc.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
