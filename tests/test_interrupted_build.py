"""A build killed at any moment leaves every output either the previous version or
the new one, never a truncated file; the next build completes the work."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from healthinfo._build import MANIFEST, build
from healthinfo._build.manifest import CACHE

from .conftest import CORPUS

COUNT = 80


def big_corpus(root: Path) -> Path:
    shutil.copytree(CORPUS, root)
    seed = (root / "articles" / "metastatic-breast-cancer-treatment.md").read_text(encoding="utf-8")
    for n in range(COUNT):
        (root / "articles" / f"copy-{n:03}.md").write_text(seed, encoding="utf-8")
    return root


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MANIFEST and not p.name.endswith(".tmp") and CACHE not in p.relative_to(folder).parts
    }


def mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*.xml")}


@pytest.mark.parametrize(("written_before_kill", "jobs"), [(1, 1), (20, 1), (60, 1), (5, 2), (40, 2)])
def test_kill_mid_build(tmp_path: Path, written_before_kill: int, jobs: int) -> None:
    """With one job the calling process writes; with two the pool's workers write, and
    the whole process group is killed at once."""
    corpus = big_corpus(tmp_path / "corpus")
    out = tmp_path / "out"
    build(corpus, out, ["jats"], jobs=1)
    old = outputs(out)
    glossary = corpus / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("Severe physical", "Strong physical"), encoding="utf-8")
    build(corpus, tmp_path / "fresh", ["jats"], jobs=1)
    new = outputs(tmp_path / "fresh")
    assert old.keys() == new.keys() and old != new

    before = mtimes(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "healthinfo", "build", str(corpus), "-o", str(out), "-f", "jats", "-j", str(jobs), "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    # Kill it (SIGKILL: no cleanup at all) once it has replaced some outputs.
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        changed = sum(1 for path, ns in before.items() if path.exists() and path.stat().st_mtime_ns != ns)
        if changed >= written_before_kill:
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(0.2)  # the kernel reaps the workers too

    after = outputs(out)
    assert after.keys() == old.keys()
    replaced = [name for name, data in after.items() if data != old[name]]
    for name, data in after.items():
        assert data in (old[name], new[name]), f"{name} is neither the old nor the new version"
    assert 0 < len(replaced) < len(after) - 1, "the build was not interrupted in the middle; the test proved nothing"

    # The next build finishes the job and leaves no temporary file behind.
    report = build(corpus, out, ["jats"], jobs=1)
    assert report.ok
    assert outputs(out) == new
    assert not list(out.rglob("*.tmp"))
