"""pandoc as an independent reader of DOCX files: what pandoc's docx reader makes of an
exported document, as an outline (headings with levels, list items, paragraphs).

pandoc comes with the PyPI package pypandoc-binary (the ``test`` extra); without it
the test fails with the install command, it never passes silently.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from . import require


def pandoc() -> str:
    """The path of the pandoc binary that pypandoc-binary ships."""
    try:
        import pypandoc
    except ImportError:
        pytest.fail("pypandoc-binary is not installed; run: bash scripts/setup-test-tools.sh", pytrace=False)
    try:
        path = pypandoc.get_pandoc_path()
    except OSError:
        path = "pandoc"
    return require(path, "pandoc (PyPI package pypandoc-binary)")


def read_docx(data: bytes) -> dict[str, Any]:
    """pandoc's JSON AST of a .docx file."""
    with tempfile.TemporaryDirectory(prefix="pandoc-docx-") as tmp:
        path = Path(tmp) / "in.docx"
        path.write_bytes(data)
        result = subprocess.run(
            [pandoc(), "--from=docx", "--to=json", str(path)],
            capture_output=True,
            timeout=120,
            check=False,
        )
    if result.returncode != 0:
        raise AssertionError(f"pandoc could not read the DOCX: {result.stderr.decode(errors='replace')}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def collapse(text: str) -> str:
    return " ".join(text.split())


def inline_text(inlines: list[dict[str, Any]]) -> str:
    """The text of pandoc inlines; spaces, soft and hard breaks as one space."""
    out: list[str] = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            out.append(inline_text(content))
        elif kind in ("Link", "Span"):
            out.append(inline_text(content[1]))
        elif kind == "Quoted":
            mark = '"' if content[0]["t"] == "DoubleQuote" else "'"
            out.append(mark + inline_text(content[1]) + mark)
        elif kind == "Cite":
            out.append(inline_text(content[1]))
        elif kind == "Code":
            out.append(content[1])
        elif kind == "Image":
            out.append(inline_text(content[1]))
    return "".join(out)


@dataclass
class Outline:
    """What pandoc read: headings as (level, text), list items (the text of each item's
    first paragraph, in document order, nested lists included) and the text of every
    paragraph-like block (paragraphs, list item paragraphs, table cells, headings)."""

    headings: list[tuple[int, str]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def text(self) -> str:
        return " ".join(self.paragraphs)


def outline(ast: dict[str, Any]) -> Outline:
    result = Outline()
    title = ast.get("meta", {}).get("title")
    if title and title["t"] == "MetaInlines":
        result.title = collapse(inline_text(title["c"]))
    _blocks(ast["blocks"], result)
    return result


def read_outline(data: bytes) -> Outline:
    return outline(read_docx(data))


def _blocks(blocks: list[dict[str, Any]], result: Outline) -> None:
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            result.paragraphs.append(collapse(inline_text(content)))
        elif kind == "Header":
            text = collapse(inline_text(content[2]))
            result.headings.append((content[0], text))
            result.paragraphs.append(text)
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            for item in items:
                first = item[0] if item else None
                if first is not None and first["t"] in ("Para", "Plain"):
                    result.items.append(collapse(inline_text(first["c"])))
                else:
                    result.items.append("")
                _blocks(item, result)
        elif kind in ("BlockQuote", "Div"):
            _blocks(content if kind == "BlockQuote" else content[1], result)
        elif kind == "Figure":
            _blocks(content[1][1], result)  # the caption's blocks
            _blocks(content[2], result)
        elif kind == "Table":
            _table(content, result)
        elif kind == "DefinitionList":
            for term, definitions in content:
                result.paragraphs.append(collapse(inline_text(term)))
                for definition in definitions:
                    _blocks(definition, result)
        elif kind == "LineBlock":
            for line in content:
                result.paragraphs.append(collapse(inline_text(line)))


def _table(content: list[Any], result: Outline) -> None:
    _attr, caption, _colspecs, head, bodies, foot = content
    _blocks(caption[1], result)
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    for row in rows:
        for cell in row[1]:
            _blocks(cell[4], result)
