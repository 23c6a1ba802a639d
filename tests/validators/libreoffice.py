"""LibreOffice (Debian ``libreoffice-writer-nogui``) and poppler (``poppler-utils``) as
independent judges of DOCX files: LibreOffice converts the document to PDF headless,
pdfinfo, pdftotext and pdftoppm say what came out.

soffice exits 0 even when the conversion fails, so the PDF itself is judged, never
its exit status. Each conversion runs with a fresh user profile (a running or broken
LibreOffice profile cannot swallow the job). A missing tool fails the test with the
install command (tests/validators/__init__.py), it never passes silently.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import require

#: Seconds one conversion may take.
TIMEOUT = int(os.environ.get("TOOL_TIMEOUT", "300"))


def _run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=TIMEOUT, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def to_pdf(docx: Path, outdir: Path) -> Path:
    """Convert ``docx`` to PDF in ``outdir`` with LibreOffice; the PDF's path. Fails
    with LibreOffice's output when no PDF came out."""
    soffice = require("soffice", "LibreOffice (Debian package libreoffice-writer-nogui)")
    outdir.mkdir(parents=True, exist_ok=True)
    pdf = outdir / (docx.stem + ".pdf")
    pdf.unlink(missing_ok=True)  # never judge a file left by an earlier run
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = _run(
            [
                soffice,
                "--headless",
                "--norestore",
                "--nolockcheck",
                f"-env:UserInstallation=file://{profile}/user",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            env={**os.environ, "HOME": profile},
        )
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise AssertionError(f"LibreOffice made no PDF of {docx.name} (exit {result.returncode}): {result.stdout[-500:]}{result.stderr[-500:]}")
    return pdf


@dataclass(frozen=True)
class PdfInfo:
    pages: int
    #: (width, height) of each page in points
    sizes: list[tuple[float, float]]


def pdf_info(pdf: Path) -> PdfInfo:
    """Page count and every page's size, as pdfinfo reads them."""
    pdfinfo = require("pdfinfo", "pdfinfo (Debian package poppler-utils)")
    first = _run([pdfinfo, str(pdf)])
    match = re.search(r"^Pages:\s+(\d+)", first.stdout, re.M)
    if match is None:
        raise AssertionError(f"pdfinfo could not read {pdf}: {first.stdout}{first.stderr}")
    pages = int(match.group(1))
    listing = _run([pdfinfo, "-f", "1", "-l", str(pages), str(pdf)]).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", listing, re.M)]
    return PdfInfo(pages=pages, sizes=sizes)


def pdf_text(pdf: Path) -> str:
    """The PDF's text (pdftotext, reading order), words broken at line ends joined."""
    pdftotext = require("pdftotext", "pdftotext (Debian package poppler-utils)")
    result = _run([pdftotext, "-enc", "UTF-8", str(pdf), "-"])
    if result.returncode != 0:
        raise AssertionError(f"pdftotext failed on {pdf}: {result.stderr}")
    return re.sub(r"-\n\s*", "", result.stdout)


def pdf_to_png(pdf: Path, outdir: Path, first: int = 1, last: int = 2, dpi: int = 60) -> list[Path]:
    """Pages ``first``..``last`` as PNG images (for looking at them)."""
    pdftoppm = require("pdftoppm", "pdftoppm (Debian package poppler-utils)")
    prefix = outdir / pdf.stem
    _run([pdftoppm, "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(prefix)])
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))
