"""A build's record of each corpus file's status (OUT/.healthinfo-cache/files.json):
an unchanged file is not read again, and no edit hides behind it."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import healthinfo
from healthinfo._build import FILES, sources
from healthinfo._build.manifest import CACHE

ARTICLE = "articles/metastatic-breast-cancer-treatment.md"


def _age(corpus: Path, seconds: float = 3600) -> None:
    """Every corpus file as if last changed ``seconds`` ago (its status-change time
    stays now: the rule looks at both)."""
    then = time.time() - seconds
    for path in corpus.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = sources.file_digest

    def counting(path: Path) -> str:
        read.append(path.name)
        return original(path)

    monkeypatch.setattr(sources, "file_digest", counting)
    return read


def test_an_unchanged_file_is_not_read_again(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(corpus)
    out = tmp_path / "out"
    healthinfo.build(corpus, out, ["jats"], jobs=1)
    monkeypatch.setattr(sources, "RACY_NS", 0)  # the status-change time of an aged file is now
    healthinfo.build(corpus, out, ["jats"], jobs=1, force=True)  # records every file
    recorded = json.loads((out / CACHE / FILES).read_text())["files"]
    assert ARTICLE in recorded and "glossary.yaml" in recorded
    read = _reads(monkeypatch)
    report = healthinfo.build(corpus, out, ["jats"], jobs=1)
    assert read == [] and report.written == []


def test_an_edit_that_keeps_size_and_time_is_seen(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(corpus)
    out = tmp_path / "out"
    monkeypatch.setattr(sources, "RACY_NS", 0)
    healthinfo.build(corpus, out, ["jats"], jobs=1)
    path = corpus / ARTICLE
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("remove all of the tumor", "remove any of the tumor"), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # the same size and modification time
    assert path.stat().st_size == status.st_size and path.stat().st_mtime_ns == status.st_mtime_ns
    report = healthinfo.build(corpus, out, ["jats"], jobs=1)
    assert [p.name for p in report.written] == ["metastatic-breast-cancer-treatment.xml"]
    assert b"remove any of the tumor" in (out / "jats" / "metastatic-breast-cancer-treatment.xml").read_bytes()


def test_a_file_changed_just_now_is_not_recorded(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    healthinfo.build(corpus, out, ["jats"], jobs=1)  # the copied corpus was written just now
    path = out / CACHE / FILES
    recorded = json.loads(path.read_text())["files"] if path.exists() else {}
    assert ARTICLE not in recorded


def test_a_record_of_another_corpus_folder_is_not_used(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(corpus)
    out = tmp_path / "out"
    monkeypatch.setattr(sources, "RACY_NS", 0)
    healthinfo.build(corpus, out, ["jats"], jobs=1)
    assert sources.known_files(out / CACHE / FILES, corpus)
    assert sources.known_files(out / CACHE / FILES, tmp_path / "elsewhere") == {}
    (out / CACHE / FILES).write_text("{damaged")
    assert sources.known_files(out / CACHE / FILES, corpus) == {}
    read = _reads(monkeypatch)
    healthinfo.build(corpus, out, ["jats"], jobs=1)
    assert read  # read again, nothing trusted
