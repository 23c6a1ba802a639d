"""A fuzzer over corpus trees and file-system shapes: whatever the corpus folder holds,
`validate`, `build`, `export` and `check-outputs` end with exit status 0, 1 or 2 and
never print a traceback.

Each example starts from a copy of the shipped corpus and applies a few changes drawn
by hypothesis: files replaced by garbage, mutated text, deep nesting, YAML tricks,
names with control characters, folders, FIFOs, huge sparse files and symbolic links
(loops, dangling, to outside) where files should be, files removed. The commands run in this process
(typer's runner), so an exception that escapes a command is seen as what it is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from healthinfo.cli import app

from .conftest import CORPUS

ARTICLE = "metastatic-breast-cancer-treatment"
SEED_TEXT = (CORPUS / "articles" / f"{ARTICLE}.md").read_text(encoding="utf-8")

PLACES = [
    f"articles/{ARTICLE}.md", "articles/new.md", "articles/forged.md\nforged.md:1: all good", "articles/esc\x1b[2J.md",
    "blocks/about-our-health-information.md", "blocks/new.md", "books/metastatic-breast-cancer.yaml", "books/new.yaml",
    "books/new.yml", "glossary.yaml", "references.yaml", "healthinfo.yaml", "images/infusion.png", "images/new.png",
]


def _deep(opening: str, closing: str, depth: int) -> str:
    return opening * depth + "x" + closing * depth


@st.composite
def contents(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["garbage", "mutated", "deep-markdown", "deep-yaml", "yaml-trick", "empty", "latin1"]))
    if kind == "garbage":
        return draw(st.binary(max_size=300))
    if kind == "mutated":
        text = SEED_TEXT
        for _ in range(draw(st.integers(1, 5))):
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(st.text(max_size=20)) + text[position + draw(st.integers(0, 40)):]
        return text.encode("utf-8", "surrogatepass")
    if kind == "deep-markdown":
        depth = draw(st.sampled_from([30, 200, 2000]))
        body = draw(st.sampled_from([_deep("*", "*", depth), "> " * depth + "quoted", "".join("  " * i + "- item\n" for i in range(depth))]))
        return SEED_TEXT.replace("\n## ", f"\n{body}\n\n## ", 1).encode()
    if kind == "deep-yaml":
        return ("title: " + _deep("[", "]", draw(st.sampled_from([50, 5000])))).encode()
    if kind == "yaml-trick":
        return draw(st.sampled_from([b"a: !!set {x, y}\n", b"a: &x [1]\nb: *x\n", b"a: !!python/object:os.system x\n",
                                     b"---\nid: x\n---\n---\n", b"\xef\xbb\xbf---\ntitle: x\n---\n", b"a: 99999999999999999999999\n"]))
    if kind == "latin1":
        return SEED_TEXT.encode("latin-1", "replace")
    return b""


@st.composite
def changes(draw: st.DrawFn) -> list[tuple[str, str, Any]]:
    shapes = st.sampled_from(["file", "folder", "link-loop", "link-outside", "link-dangling", "remove", "fifo", "sparse"])
    return draw(st.lists(st.tuples(shapes, st.sampled_from(PLACES), contents()), min_size=1, max_size=3))


def _apply(root: Path, change: tuple[str, str, Any]) -> None:
    shape, place, data = change
    path = root / place
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):  # a file, a link, a FIFO (writing to one would wait for a reader)
        path.unlink()
    if shape == "file":
        path.write_bytes(data)
    elif shape == "folder":
        (path / "inside.md").parent.mkdir(parents=True)
        (path / "inside.md").write_bytes(data)
    elif shape == "link-loop":
        os.symlink(path.name, path)
    elif shape == "link-outside":
        os.symlink("/etc/hostname", path)
    elif shape == "link-dangling":
        os.symlink(root / "no" / "such" / "file", path)
    elif shape == "fifo":
        os.mkfifo(path)
    elif shape == "sparse":  # larger than any corpus file may be, on no disk
        with open(path, "wb") as stream:
            stream.truncate(100_000_000)


def _run(arguments: list[str]) -> None:
    result = CliRunner().invoke(app, arguments)
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    escaped = result.exception if not isinstance(result.exception, SystemExit) else None
    assert escaped is None, f"{arguments}: {type(escaped).__name__}: {escaped}"
    assert result.exit_code in (0, 1, 2), (arguments, result.exit_code, output[-2000:])
    assert "Traceback" not in output, output[-2000:]


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(changes())
def test_no_command_tracebacks_on_any_corpus(found: list[tuple[str, str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "corpus"
        shutil.copytree(CORPUS, root)
        for change in found:
            _apply(root, change)
        out = Path(folder) / "out"
        _run(["validate", str(root)])
        _run(["build", str(root), "-o", str(out), "-f", "jats,html,docx", "-j", "1", "-q"])
        _run(["export", ARTICLE, "-f", "epub", "-o", str(out / "one.epub"), "-c", str(root)])
        _run(["check-outputs", str(out)])
