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

from healthinfo._build.fingerprint import PACKAGE, code_files, code_fingerprint
from healthinfo.exporters import REGISTRY, TARGETS

from .conftest import CORPUS, ROOT

ARTICLE = "metastatic-breast-cancer-treatment"

#: Format or target name -> the module of its exporter (or target).
MODULES = {name: path.partition(":")[0] for name, path in {**REGISTRY, **TARGETS}.items()}
EVERY = set(MODULES)


def copy_package(folder: Path) -> Path:
    """A copy of the healthinfo package, to change one file of (the real one stays)."""
    shutil.copytree(ROOT / "healthinfo", folder / "healthinfo", ignore=shutil.ignore_patterns("__pycache__"))
    return folder / "healthinfo"


def fingerprints(root: Path) -> dict[str, str]:
    return {name: code_fingerprint(module, root) for name, module in MODULES.items()}


@pytest.mark.parametrize(
    ("changed", "affected"),
    [
        ("exporters/docx/styles.py", {"docx"}),
        ("exporters/docx/ooxml.py", {"docx"}),
        ("exporters/jats/writer.py", {"jats"}),
        # ONIX records describe the e-books: the ONIX package imports the EPUB package
        # (its publication facts and accessibility claims), so what changes an EPUB
        # rebuilds its record too.
        ("exporters/epub/templates/nav.j2", {"epub", "onix"}),
        ("exporters/epub/accessibility.py", {"epub", "onix"}),
        ("exporters/onix/codes.py", {"onix"}),
        # EPUB and the site render blocks and inlines through the HTML writer's templates.
        ("exporters/html/templates/nodes.j2", {"html", "epub", "onix", "site"}),
        ("exporters/html/writer.py", {"html", "epub", "onix", "site"}),
        ("exporters/site/__init__.py", {"site"}),
        ("exporters/_zip.py", {"docx", "epub", "onix"}),
        ("exporters/_i18n.py", EVERY),
        ("exporters/_base.py", EVERY),
        # Workers load the content: the model and the loader are part of every output.
        ("schema/blocks.py", EVERY),
        ("loader/_markdown.py", EVERY),
        ("loader/_typography.py", EVERY),
        ("loader/_yaml.py", EVERY),
        ("_version.py", EVERY),
    ],
)
def test_a_change_changes_the_fingerprints_of_the_formats_it_affects(tmp_path: Path, changed: str, affected: set[str]) -> None:
    """A copy of the package with one file changed, beside the package itself (the
    names in a fingerprint are relative to the package's parent folder: an unchanged
    copy has the same fingerprints)."""
    assert fingerprints(copy_package(tmp_path / "same")) == fingerprints(PACKAGE)
    root = copy_package(tmp_path / "changed")
    file = root / changed
    file.write_bytes(file.read_bytes() + b"\n")
    before, after = fingerprints(PACKAGE), fingerprints(root)
    assert {name for name in MODULES if before[name] != after[name]} == affected


def test_what_a_fingerprint_covers() -> None:
    docx = {p.relative_to(PACKAGE).as_posix() for p in code_files(MODULES["docx"])}
    epub = {p.relative_to(PACKAGE).as_posix() for p in code_files(MODULES["epub"])}
    assert {"exporters/docx/styles.py", "exporters/docx/ooxml.py", "schema/blocks.py", "loader/_corpus.py"} <= docx
    assert {"exporters/html/writer.py", "exporters/html/templates/nodes.j2", "exporters/epub/templates/nav.j2",
            "exporters/epub/static/epub.css", "exporters/_zip.py"} <= epub
    assert not any(name.startswith(("exporters/html/", "exporters/jats/", "_build/", "cli.py")) for name in docx)
    # The build itself and the consistency check are not among what an output is made of.
    assert not any(name.startswith(("_build/", "checks/consistency")) for name in epub)


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
