"""calibre (Debian ``calibre``) as the judge of an e-book in a real reading system's
hands: ``ebook-meta`` says what a library shows (title, authors, publisher, language,
description, cover), ``ebook-convert`` lays the e-book out on pages of an e-reader's
size (calibre's Qt WebEngine renderer) and poppler (``pdfimages``, ``pdftotext``)
says what is on each page.

calibre's renderer runs headless (``QT_QPA_PLATFORM=offscreen``); as root, Chromium's
sandbox must be off (``--no-sandbox``). A missing tool fails the test with the
install command (tests/validators/__init__.py), it never passes silently.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import require

#: Seconds one run may take.
TIMEOUT = int(os.environ.get("TOOL_TIMEOUT", "300"))

#: An e-ink reader's screen (6", 600 x 800 px), as in calibre's "Kobo/Kindle" profiles.
EREADER = "600x800"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox --disable-gpu"
    env.setdefault("HOME", "/tmp")
    return env


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, errors="replace", timeout=TIMEOUT, check=False, env=_env()
    )


@dataclass
class Metadata:
    """What ``ebook-meta`` shows (field name -> value, e.g. "Title", "Author(s)"),
    and the cover image it found (bytes, or None)."""

    fields: dict[str, str]
    cover: bytes | None


def metadata(epub: Path, workdir: Path) -> Metadata:
    """``ebook-meta`` of ``epub``, with the cover it extracts."""
    tool = require("ebook-meta", "calibre (Debian package calibre)")
    cover = workdir / f"{epub.stem}-cover.img"
    cover.unlink(missing_ok=True)
    result = _run([tool, str(epub), f"--get-cover={cover}"])
    assert result.returncode == 0, f"ebook-meta failed on {epub.name}:\n{result.stdout}\n{result.stderr}"
    fields: dict[str, str] = {}
    for line in result.stdout.splitlines():
        name, sep, value = line.partition(":")
        if sep and re.fullmatch(r"[A-Z][A-Za-z() ]+", name.strip()):
            fields[name.strip()] = value.strip()
    return Metadata(fields, cover.read_bytes() if cover.exists() and cover.stat().st_size else None)


def to_pdf(epub: Path, outdir: Path, size: str = EREADER) -> Path:
    """``epub`` laid out by calibre on pages of ``size`` pixels, as a PDF."""
    tool = require("ebook-convert", "calibre (Debian package calibre)")
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / f"{epub.stem}.pdf"
    pdf.unlink(missing_ok=True)  # never judge a file left by an earlier run
    result = _run([tool, str(epub), str(pdf), "--custom-size", size, "--unit", "devicepixel"])
    assert pdf.exists() and pdf.stat().st_size, f"calibre made no PDF of {epub.name}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return pdf


@dataclass
class PlacedImage:
    """An image as ``pdfimages -list`` reports it: its page, pixel size and the
    resolution it is drawn at across and down (equal when the ratio is kept)."""

    page: int
    width: int
    height: int
    x_ppi: float
    y_ppi: float


def images(pdf: Path) -> list[PlacedImage]:
    """Every image drawn in ``pdf`` (soft masks aside), in page order."""
    tool = require("pdfimages", "poppler (Debian package poppler-utils)")
    result = _run([tool, "-list", str(pdf)])
    assert result.returncode == 0, result.stderr
    found = []
    for line in result.stdout.splitlines()[2:]:
        cells = line.split()
        if len(cells) >= 14 and cells[2] == "image":
            found.append(PlacedImage(int(cells[0]), int(cells[3]), int(cells[4]), float(cells[12]), float(cells[13])))
    return found


def pages_text(pdf: Path) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext, in reading order)."""
    tool = require("pdftotext", "poppler (Debian package poppler-utils)")
    result = _run([tool, "-layout", str(pdf), "-"])
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\f")[:-1] if result.stdout.endswith("\f") else result.stdout.split("\f")
