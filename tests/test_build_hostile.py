"""The build under hostile input and faults: nothing written or deleted outside the
output folder, never into the corpus, withdrawn documents unpublished whatever
happened before, one build per folder at a time, workers that die with the build,
a damaged manifest rebuilt with a warning, clear exits for bad arguments."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from healthinfo._build import MANIFEST, build
from healthinfo._build.guard import OutputPathError, claimed, inside, is_safe_name
from healthinfo._build.manifest import CACHE, PENDING
from healthinfo.exporters import REGISTRY

from . import fake_exporter
from .conftest import CORPUS

ARTICLE = "metastatic-breast-cancer-treatment"
REPO = Path(__file__).resolve().parent.parent


def cli(*arguments: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "healthinfo", *arguments], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def files_below(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- one guard for every name -------------------------------------------------------


@pytest.mark.parametrize("name", ["../x.png", "/etc/cron.d/evil", "a/../../x", "a//b", "./a", "a\\b", "C:/x",
                                  "a\nb.png", "a\x1b[2Jb", ""])
def test_unsafe_names_are_refused(tmp_path: Path, name: str) -> None:
    assert not is_safe_name(name)
    with pytest.raises(OutputPathError):
        inside(tmp_path, name)


def test_a_folder_linked_outside_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "jats").symlink_to(elsewhere)
    with pytest.raises(OutputPathError, match="outside the output folder"):
        inside(out, "jats/images/x.png")
    assert inside(out, "html/x.html") == out / "html" / "x.html"


@pytest.mark.parametrize("resource", ["../../escaped.png", "/tmp/healthinfo-escaped.png", "images/other.txt"])
def test_a_resource_that_would_leave_out_or_replace_an_output_fails_its_document(
    corpus: Path, tmp_path: Path, fake: None, resource: str
) -> None:
    """Partner content is untrusted: an image path of `../..` or an absolute one, or a
    resource named like an output of the format, fails that document with a plain
    message; nothing is written outside OUT, and the other documents are built."""
    fake_exporter.RESOURCES[ARTICLE] = {resource: b"evil"}
    out = tmp_path / "deep" / "er" / "out"
    report = build(corpus, out, ["fake"], jobs=1)
    assert [f.document for f in report.failed] == [ARTICLE]
    assert "resource named" in report.failed[0].message
    assert not (tmp_path / "deep" / "escaped.png").exists() and not Path("/tmp/healthinfo-escaped.png").exists()
    assert (out / "fake" / "books" / "metastatic-breast-cancer-brochure.txt").is_file()
    assert not (out / "fake" / f"{ARTICLE}.txt").exists()


def test_a_forged_manifest_deletes_nothing_outside_out(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    build(corpus, out, ["fake"], jobs=1)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    data = json.loads((out / MANIFEST).read_text())
    data["outputs"]["fake/gone.txt"] = {"producer": "fake", "document": "gone", "book": False,
                                        "files": ["../victim.txt", "/etc/hostname-not-really"]}
    (out / MANIFEST).write_text(json.dumps(data))
    report = build(corpus, out, ["fake"], jobs=1)
    assert victim.read_text() == "keep me"
    assert any("manifest:unsafe-name" in w.message for w in report.warnings)


# -- the output folder and the corpus ----------------------------------------------------


@pytest.mark.parametrize("where", ["corpus", "corpus/build", "link", "parent"])
def test_out_in_at_or_around_the_corpus_is_refused(corpus: Path, tmp_path: Path, where: str) -> None:
    (tmp_path / "link").symlink_to(corpus)
    out = {"corpus": corpus, "corpus/build": corpus / "build", "link": tmp_path / "link", "parent": tmp_path}[where]
    stale = corpus / "images" / ".figure.png.abcdefgh.tmp"  # looks like a stale temporary file: must stay
    stale.write_bytes(b"editor's file")
    before = files_below(corpus)
    result = cli("build", str(corpus), "-o", str(out), "-f", "jats", "-j", "1")
    assert result.returncode == 2, result.stderr
    assert "output folder" in result.stderr and "corpus" in result.stderr and "Traceback" not in result.stderr
    assert files_below(corpus) == before
    with pytest.raises(OutputPathError):
        build(corpus, out, ["jats"], jobs=1)


def test_the_sweep_of_stale_temporaries_stays_in_the_builds_folders(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out, ["jats"], jobs=1)
    ours = out / "jats" / f".{ARTICLE}.xml.k2j4h5l6.tmp"
    ours.write_bytes(b"half")
    theirs = out / "notes" / ".draft.md.abcdefgh.tmp"
    theirs.parent.mkdir()
    theirs.write_bytes(b"someone else's")
    hidden = out / "jats" / ".gitkeep.tmp"  # not of the temporary files' form
    hidden.write_bytes(b"")
    build(corpus, out, ["jats"], jobs=1)
    assert not ours.exists() and theirs.exists() and hidden.exists()


def test_export_to_a_link_writes_through_it(corpus: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.xml"
    real.write_text("old")
    link = tmp_path / "link.xml"
    link.symlink_to(real)
    result = cli("export", ARTICLE, "-f", "jats", "-o", str(link), "-c", str(corpus))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and real.read_bytes().startswith(b"<?xml")


def test_export_into_the_corpus_is_refused(corpus: Path) -> None:
    before = files_below(corpus)
    result = cli("export", ARTICLE, "-f", "jats", "-o", str(corpus / "articles" / "x.xml"), "-c", str(corpus))
    assert result.returncode == 2 and "inside the corpus folder" in result.stderr, result.stderr
    assert files_below(corpus) == before


# -- withdrawn documents are unpublished, whatever happened before -----------------------


def test_a_document_withdrawn_after_its_failed_build_is_removed(corpus: Path, tmp_path: Path, fake: None) -> None:
    out = tmp_path / "out"
    other = corpus / "articles" / "other.md"
    other.write_text((corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8"), encoding="utf-8")
    build(corpus, out, ["fake"], jobs=1)
    fake_exporter.FAIL_ON.add("other")
    assert not build(corpus, out, ["fake"], jobs=1, force=True).ok  # its old file stays, still known
    fake_exporter.FAIL_ON.clear()
    other.unlink()
    report = build(corpus, out, ["fake"], jobs=1)
    assert out / "fake" / "other.txt" in report.removed and not (out / "fake" / "other.txt").exists()


def test_a_document_withdrawn_after_a_killed_build_is_removed(
    corpus: Path, tmp_path: Path, fake: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build killed before its manifest is written (SIGKILL, a power cut) leaves the
    names of what it was writing in the cache; the next build knows those files."""
    from healthinfo import _build

    out = tmp_path / "out"
    build(corpus, out, ["fake"], jobs=1)
    new = corpus / "articles" / "new-article.md"
    new.write_text((corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8"), encoding="utf-8")

    def killed(*arguments: object) -> None:
        raise SystemExit("killed")  # the manifest is never written

    monkeypatch.setattr(_build, "write_manifest", killed)
    with pytest.raises(SystemExit):
        build(corpus, out, ["fake"], jobs=1)
    monkeypatch.undo()
    monkeypatch.setitem(REGISTRY, "fake", "tests.fake_exporter:EXPORTER")
    assert (out / "fake" / "new-article.txt").is_file() and (out / CACHE / PENDING).is_file()
    new.unlink()
    report = build(corpus, out, ["fake"], jobs=1)
    assert not (out / "fake" / "new-article.txt").exists() and out / "fake" / "new-article.txt" in report.removed
    assert not (out / CACHE / PENDING).exists()


# -- one build per folder; workers die with the build --------------------------------------


def test_a_second_build_into_the_same_folder_is_refused(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with claimed(out, CACHE), pytest.raises(OutputPathError, match="another build is writing"):
        build(corpus, out, ["jats"], jobs=1)
    assert build(corpus, out, ["jats"], jobs=1).ok  # released


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    """SIGKILL of the build's process: its workers end too, and stop writing."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    text = (corpus / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")
    for number in range(40):
        (corpus / "articles" / f"copy-{number}.md").write_text(text, encoding="utf-8")
    shutil.rmtree(corpus / "books")
    out = tmp_path / "out"
    script = (
        "import sys; from healthinfo.exporters import REGISTRY; from tests import fake_exporter;"
        "REGISTRY['fake'] = 'tests.fake_exporter:EXPORTER'; fake_exporter.SLEEP = 0.3;"
        f"from healthinfo import build; build({str(corpus)!r}, {str(out)!r}, ['fake'], jobs=2)"
    )
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "fake").glob("*.txt"))) < 3:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert workers, "the build has no worker processes"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if _alive(pid)]
    for pid in alive:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not alive, "workers outlived the build"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it has ended)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


# -- a damaged manifest; bad arguments ---------------------------------------------------


@pytest.mark.parametrize("damage", [b"garbage{", b"[" * 100_000 + b"]" * 100_000, b'{"layout": 3, "outputs": 5}',
                                    b'{"layout": 3, "inputs": {}, "outputs": {"jats/x.xml": [1, 2]}}', b"\xff\xfe"])
def test_a_damaged_manifest_rebuilds_everything_with_one_warning(corpus: Path, tmp_path: Path, damage: bytes) -> None:
    out = tmp_path / "out"
    first = build(corpus, out, ["jats"], jobs=1)
    (out / MANIFEST).write_bytes(damage)
    report = build(corpus, out, ["jats"], jobs=1)
    assert report.ok and sorted(report.written) == sorted(first.written)
    if not damage.startswith(b'{"layout": 3, "inputs"'):
        assert [w.message.split(":")[0:2] for w in report.warnings] == [["manifest", "damaged"]]
    assert build(corpus, out, ["jats"], jobs=1).written == []  # and the new manifest is sound


def test_only_an_unknown_id_is_an_error(corpus: Path, tmp_path: Path) -> None:
    result = cli("build", str(corpus), "-o", str(tmp_path / "out"), "-f", "jats", "--only", "no-such-id")
    assert result.returncode == 2 and "no-such-id" in result.stderr and "Traceback" not in result.stderr


def test_check_outputs_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = cli("check-outputs", str(tmp_path / "no" / "such"))
    assert result.returncode == 2 and "not a folder" in result.stderr and "consistent" not in result.stdout


# -- hashing the corpus files: no hang, no whole read of a huge file, no exception ---------


def test_hashing_a_corpus_file_never_hangs_reads_a_huge_file_or_raises(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from healthinfo._build.sources import HASH_LIMIT, file_digest

    fifo, huge, loop, folder = tmp_path / "fifo.md", tmp_path / "huge.png", tmp_path / "loop.md", tmp_path / "dir.md"
    os.mkfifo(fifo)
    with open(huge, "wb") as stream:
        stream.truncate(HASH_LIMIT + 1)  # sparse: on no disk
    loop.symlink_to(loop.name)
    folder.mkdir()
    monkeypatch.setattr(hashlib, "file_digest", lambda *a, **k: pytest.fail("a file not to read was read"))
    from healthinfo.loader import _files

    real_fdopen = os.fdopen

    class NoRead:  # the file object of the huge file: its status may be looked at, never its bytes
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> NoRead:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

        def fileno(self) -> int:
            return int(self.stream.fileno())

        def read(self, *a: object) -> bytes:
            pytest.fail("a file not to read was read")

    monkeypatch.setattr(_files.os, "fdopen", lambda fd, *a, **k: NoRead(real_fdopen(fd, *a, **k)))
    signal.alarm(10)  # a FIFO opened for reading waits for a writer: fail instead of hanging
    try:
        assert file_digest(fifo) == "missing"
        assert file_digest(huge).startswith(f"oversized:{HASH_LIMIT + 1}:")
        assert file_digest(loop) == "unreadable" and file_digest(folder) == "unreadable"
        assert file_digest(tmp_path / "none.md") == "missing"
    finally:
        signal.alarm(0)


def test_an_edit_during_the_build_shows_as_a_change_next_time(corpus: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest records the hash of the bytes the outputs were made from: an edit
    made after the worker read the article (and before it was hashed, as it used to
    be) is built by the next build, not hidden."""
    from healthinfo._build import execute

    out = tmp_path / "out"
    article = corpus / "articles" / f"{ARTICLE}.md"
    original = execute.document_files

    def edited_right_after_reading(document: object, root: Path) -> tuple[str, ...]:
        article.write_text(article.read_text(encoding="utf-8") + "\nAn edit made during the build.\n", encoding="utf-8")
        return original(document, root)  # type: ignore[arg-type]

    monkeypatch.setattr(execute, "document_files", edited_right_after_reading)
    build(corpus, out, ["jats"], jobs=1, only=[ARTICLE])
    monkeypatch.undo()
    again = build(corpus, out, ["jats"], jobs=1, only=[ARTICLE])
    assert out / "jats" / f"{ARTICLE}.xml" in again.written
    assert b"An edit made during the build." in (out / "jats" / f"{ARTICLE}.xml").read_bytes()


def test_a_model_nested_deeper_than_an_exporter_can_go_fails_its_document_plainly(tmp_path: Path) -> None:
    """A loaded corpus is not checked by the loader's depth limits: a model nested
    thousands deep fails its document with a plain message, not a RecursionError."""

    import healthinfo
    from healthinfo import CorpusError
    from healthinfo.schema import Emphasis, Paragraph, Text

    corpus = healthinfo.load_corpus(CORPUS)
    def deep(depth: int) -> Any:
        node: Any = Text(text="deep")
        for _ in range(depth):
            node = Emphasis(children=[node])
        article = corpus.articles[ARTICLE]
        changed = article.model_copy(update={"blocks": (Paragraph(children=[node]), *article.blocks)})
        return corpus.model_copy(update={"articles": {ARTICLE: changed}, "books": {}})

    report = build(deep(115), tmp_path / "out", ["html", "jats"], jobs=1)  # too deep for the HTML writer
    assert [f.format for f in report.failed] == ["html", "site"]
    assert all("nested too deeply for the" in f.message for f in report.failed), report.failed
    with pytest.raises(CorpusError, match="nested too deeply to be built"):  # too deep to be hashed even
        build(deep(3000), tmp_path / "out", ["html", "jats"], jobs=1)


def test_export_to_a_device_writes_into_it_and_keeps_the_link(corpus: Path, tmp_path: Path) -> None:
    """`-o /dev/stdout` as root used to replace the device's link with a file; a device
    (here /dev/null, through a link) is written into, and the link stays."""
    link = tmp_path / "out.xml"
    link.symlink_to("/dev/null")
    result = cli("export", ARTICLE, "-f", "jats", "-o", str(link), "-c", str(corpus))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null"
    assert Path("/dev/null").is_char_device()


def test_writing_threads_keep_the_umask_and_give_each_new_file_its_mode(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file gets 0o666 less the umask, which os.umask can only read by setting
    it: threads writing at once must not leave the process with another umask. (The
    threads are made to switch between setting and restoring it, as they may.)"""
    from concurrent.futures import ThreadPoolExecutor

    from healthinfo._build.write import write_atomic

    real = os.umask

    def switching(mask: int) -> int:
        old = real(mask)
        time.sleep(0.001)
        return old

    previous = real(0o027)
    monkeypatch.setattr(os, "umask", switching)
    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: write_atomic(tmp_path / f"f{n}.txt", b"x"), range(200)))
        assert real(0o027) == 0o027
    finally:
        real(previous)
    assert {(p.stat().st_mode & 0o777) for p in tmp_path.glob("f*.txt")} == {0o640}


def test_an_output_that_already_holds_its_bytes_is_not_written_again(corpus: Path, tmp_path: Path) -> None:
    """--force renders everything again; a file that already holds the new bytes keeps
    its inode and time (no second copy, flush and rename), one that differs is
    replaced, and a link in an output's place is replaced, never read through."""
    out = tmp_path / "out"
    build(corpus, out, ["jats"], jobs=1)
    xml, image = out / "jats" / f"{ARTICLE}.xml", out / "jats" / "images" / "infusion.png"
    before = {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in (xml, image)}
    time.sleep(0.01)
    report = build(corpus, out, ["jats"], jobs=1, force=True)
    assert xml in report.written
    assert {path: (path.stat().st_ino, path.stat().st_mtime_ns) for path in (xml, image)} == before
    xml.write_bytes(xml.read_bytes().replace(b"<article", b"<!-- edited --><article", 1))
    image.unlink()
    image.symlink_to(corpus / "images" / "infusion.png")  # the same bytes, through a link
    build(corpus, out, ["jats"], jobs=1, force=True)
    assert b"edited" not in xml.read_bytes() and not image.is_symlink()
