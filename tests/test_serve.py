"""``healthinfo serve`` (issue 20): the author's loop in a real browser — edit an
article and see the new text without reloading, break it and see the problems page
(file:line; vnu and axe clean), mend it and see the article again — and a clean stop
on Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from healthinfo.preview import EVENTS, Preview, problems_page

from .conftest import CORPUS
from .validators import preview as preview_check
from .validators import vnu

ARTICLE_ID = "metastatic-breast-cancer-treatment"


def _start(corpus: Path, tmp: Path) -> tuple[subprocess.Popen[str], str, queue.Queue[str]]:
    """``healthinfo serve CORPUS --port 0`` with its temporary folder under ``tmp``:
    the process, the address it serves at, and the lines it prints after that."""
    tmp.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "healthinfo", "serve", str(corpus), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(tmp)},
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    first = lines.get(timeout=120)
    assert first.startswith(f"serving {corpus} at http://127.0.0.1:"), first
    return process, first.split(" at ", 1)[1].split(" ", 1)[0], lines


def _stop(process: subprocess.Popen[str], lines: queue.Queue[str]) -> list[str]:
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    said = []
    while not lines.empty():
        said.append(lines.get())
    return said


def test_the_authors_loop_in_a_browser(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    article = corpus / "articles" / f"{ARTICLE_ID}.md"
    process, address, lines = _start(corpus, tmp_path / "tmp")
    try:
        seen = preview_check.run(
            f"{address}articles/{ARTICLE_ID}.html", article,
            "Cancer-related pain can be treated", "Cancer-related pain can be treated (edited in the preview)",
            "updated: 2024-01-23", "updated: someday",
        )
    finally:
        said = _stop(process, lines)
    # The new text came without a reload by the reader, within a few seconds.
    assert seen["edited"]["ms"] < 10_000 and seen["mended"]["ms"] < 10_000, seen
    (problem,) = seen["broken"]["problems"]
    assert problem == (f"{article}:6: updated: 'someday' is not a date; write it as YYYY-MM-DD, e.g. 2024-01-23")
    assert seen["broken"]["title"] == "1 problem – healthinfo serve"
    assert not seen["broken"]["violations"] and not seen["consoleErrors"], seen
    # The terminal says what happened; Ctrl-C stops cleanly and leaves nothing behind.
    assert f"changed {ARTICLE_ID}.md: rebuilt" in said and said[-1] == "stopped", said
    assert not list((tmp_path / "tmp").glob("healthinfo-serve-*"))
    assert "edited in the preview" in article.read_text(encoding="utf-8")  # the author's file as they left it


def test_a_corpus_with_problems_is_served_as_its_problems(tmp_path: Path) -> None:
    """Broken from the start: the server runs and every page lists the problems; the
    event stream tells the page which build it shows."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = corpus / "healthinfo.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("lang: en", "lang: en\nbase_urll: x"), encoding="utf-8")
    preview = Preview(corpus, port=0, say=lambda line: None)
    problems = preview.rebuild()
    assert problems and "base_urll" in problems[0] and "healthinfo.yaml" in problems[0]
    preview.start()
    try:
        for path in ("", "index.html", f"articles/{ARTICLE_ID}.html", "no-such-page.html"):
            with urllib.request.urlopen(preview.address + path, timeout=30) as response:
                page = response.read().decode()
            assert 'id="healthinfo-problems"' in page and "base_urll" in page and 'data-build="1"' in page
        with urllib.request.urlopen(preview.address + EVENTS.lstrip("/"), timeout=30) as stream:
            assert stream.headers["Content-Type"] == "text/event-stream"
            assert stream.readline() == b"data: 1\n"
    finally:
        preview.close()
    assert not preview.folder.exists()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(preview.address, timeout=5)


def test_the_problems_page_is_valid_and_escapes_what_it_shows(tmp_path: Path) -> None:
    page = problems_page(Path("corpus"), ["articles/a.md:3: <script>alert(1)</script> is not a date", "b.md: x & y"])
    assert b"<script>alert(1)</script>" not in page and b"&lt;script&gt;" in page
    path = tmp_path / "problems.html"
    path.write_bytes(page)
    problems = vnu.errors([path])
    assert not problems, vnu.describe(problems)


def test_sigterm_stops_the_preview_cleanly(tmp_path: Path) -> None:
    """A process manager's SIGTERM stops it as Ctrl-C does: exit 0, nothing left behind."""
    process, _, _lines = _start(CORPUS, tmp_path / "tmp")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert not list((tmp_path / "tmp").glob("healthinfo-serve-*"))


def test_serve_refuses_a_folder_that_is_no_corpus(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "healthinfo", "serve", str(tmp_path), "--port", "0"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "has no healthinfo.yaml" in done.stderr and "Traceback" not in done.stderr
