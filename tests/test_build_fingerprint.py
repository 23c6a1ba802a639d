"""What decides that an output is unchanged: the fingerprint of the code, templates
and static files a format's output depends on (found by following the imports of its
exporter package inside healthinfo), the version, and a user template folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

ARTICLE = "metastatic-breast-cancer-treatment"


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the healthinfo package, to change one file of (the real one stays)."""
    root = tmp_path_factory.mktemp("code")
    shutil.copytree(ROOT / "healthinfo", root / "healthinfo", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _build(code: Path, corpus: Path, out: Path, formats: str) -> list[str]:
    """``healthinfo build`` run with the package at ``code``; the outputs it wrote."""
    result = subprocess.run(
        [sys.executable, "-m", "healthinfo", "build", str(corpus), "-o", str(out), "-f", formats, "-j", "1", "--no-site"],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(code)}, cwd=code, check=False,
    )
    assert result.returncode == 0, result.stderr
    return sorted(line.split()[1] for line in result.stdout.splitlines() if line.startswith("written"))


def test_a_change_only_the_fingerprint_sees_rebuilds_the_affected_outputs(tmp_path: Path) -> None:
    """EPUB renders through the HTML templates: a change of html/templates/nodes.j2
    rewrites the EPUB (and the HTML) but not the JATS file."""
    code = tmp_path / "code"
    shutil.copytree(ROOT / "healthinfo", code / "healthinfo", ignore=shutil.ignore_patterns("__pycache__"))
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    assert len(_build(code, corpus, out, "epub,jats")) == 4
    assert _build(code, corpus, out, "epub,jats") == []
    nodes = code / "healthinfo" / "exporters" / "html" / "templates" / "nodes.j2"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("<p>{{ content }}</p>", '<p class="changed">{{ content }}</p>'), encoding="utf-8")
    rebuilt = _build(code, corpus, out, "epub,jats")
    assert rebuilt == sorted(str(out / "epub" / name) for name in
                             ("books/metastatic-breast-cancer-brochure.epub", "books/metastatic-breast-cancer.epub", f"{ARTICLE}.epub"))
    import zipfile

    with zipfile.ZipFile(out / "epub" / f"{ARTICLE}.epub") as epub:
        assert any(b'<p class="changed">' in epub.read(name) for name in epub.namelist() if name.endswith(".xhtml"))
