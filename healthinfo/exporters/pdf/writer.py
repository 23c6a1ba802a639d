"""PDF: an article (A4) or a book (an A5 brochure, or an e-book at A4 or A5) as a
tagged PDF/UA-1 and PDF/A-2a file, for the screen or, with bleed and crop marks, for
a print shop. Laid out by Typst (the PyPI ``typst`` package: the Typst compiler in the
wheel, no other program); docs/exporters/pdf.md has the mapping, the options and the
measurements behind the choice of engine.

The source is written by ``source.py``, laid out with ``templates/layout.typ`` and the
fonts of the package and Typst's own (nothing of the machine's), and completed by
``structure.py``. The bytes depend only on the content and ``source_date_epoch``.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Final, Literal

import pikepdf
import typst
from pydantic import Field

from ...schema import Article, Book
from .._base import ExportError, ExportOptions, Rendered, warn
from .isolated import compile_isolated
from .source import PAGES, Source, SourceWriter
from .structure import build_groups, print_boxes

__all__ = ["ACCEPTS_BOOKS", "EXTENSION", "MEDIA_TYPE", "NAME", "PDF_STANDARDS", "Options", "render", "source"]

NAME = "pdf"
EXTENSION = ".pdf"
MEDIA_TYPE = "application/pdf"
#: A book is one PDF: cover, contents, its articles, imprint.
ACCEPTS_BOOKS = True
#: What every PDF claims, and Typst checks while it writes it (it refuses a document
#: that breaks a rule it can check, such as an image without alternative text).
PDF_STANDARDS: Final = ("ua-1", "a-2a")
#: 1 mm in PDF points.
MM = 72 / 25.4


class Options(ExportOptions):
    """Options of the PDF exporter."""

    page_size: Literal["a4", "a5"] | None = Field(
        default=None,
        description="Paper size: 'a4' or 'a5'. Default: a5 for a book whose profile is brochure, a4 otherwise.",
    )
    variant: Literal["screen", "print"] = Field(
        default="screen",
        description=(
            "'screen': the page as it is read. 'print': the same layout with bleed around each "
            "page, a BleedBox and a TrimBox, and crop marks, for a print shop."
        ),
    )
    bleed: float = Field(default=3.0, ge=0, le=10, description="Bleed of the print variant, in millimetres.")
    crop_marks: bool = Field(default=True, description="Crop marks outside the bleed (print variant).")


@functools.cache
def _layout() -> bytes:
    return resources.files(__package__).joinpath("templates/layout.typ").read_bytes()


@functools.cache
def _fonts() -> str:
    return str(Path(__file__).resolve().parent.parent / "fonts")


def source(document: Article | Book, options: Options, links: bool = True) -> Source:
    """The Typst source of ``document`` (what ``render`` lays out); without ``links``,
    every link written as its text."""
    brochure = isinstance(document, Book) and document.profile.value == "brochure"
    page = PAGES[options.page_size or ("a5" if brochure else "a4")]
    bleed = options.bleed if options.variant == "print" else 0.0
    if isinstance(document, Book):
        moment = options.timestamp(document.effective_date)
    else:
        moment = options.timestamp(max(document.published or document.updated, document.updated))
    return SourceWriter(document, page, brochure, bleed, links).render(moment)


def _typst(text: str, files: dict[str, bytes]) -> tuple[bytes, list[str]]:
    """Typst's PDF of the source ``text`` and the messages of its warnings."""
    with tempfile.TemporaryDirectory(prefix="healthinfo-pdf-") as folder:
        root = Path(folder)
        (root / "layout.typ").write_bytes(_layout())
        (root / "images").mkdir()
        for name, data in files.items():
            (root / name).write_bytes(data)
        main = root / "main.typ"
        main.write_text(text, encoding="utf-8")
        try:
            data, warnings = typst.compile_with_warnings(
                str(main), root=str(root), font_paths=[_fonts()], ignore_system_fonts=True,
                pdf_standards=list(PDF_STANDARDS),
            )
        except typst.TypstError as error:
            raise _LayoutError(str(error)) from None
    if not isinstance(data, bytes):
        raise ExportError("Typst wrote no PDF")
    return data, [str(getattr(found, "message", found)) for found in warnings]


#: The process that ran Typst first. Typst lays out with a pool of threads, which a
#: forked process does not have: a fork of a process that ran Typst (a build's worker
#: forked from a program that exported a PDF before) would wait for them for ever, so
#: it lays out in a Python process started afresh (``isolated.py``).
_TYPST_PROCESS: int | None = None


def _compile(laid: Source) -> bytes:
    global _TYPST_PROCESS
    if _TYPST_PROCESS is not None and os.getpid() != _TYPST_PROCESS:
        data, messages = compile_isolated(laid.text, laid.files)
    else:
        _TYPST_PROCESS = os.getpid()
        data, messages = _typst(laid.text, laid.files)
    for message in messages:
        warn("pdf:layout", message)
    return data


class _LayoutError(ExportError):
    """Typst refused the source (``message``: Typst's own words)."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Typst could not lay out the PDF: {message}")
        self.message = message
        self.internal = "internal error" in message


def _laid_out(document: Article | Book, options: Options) -> tuple[Source, bytes]:
    laid = source(document, options)
    try:
        return laid, _compile(laid)
    except _LayoutError as error:
        if not error.internal:
            raise
        # Typst 0.15 can fail on a link whose text it lays out in pieces in some
        # right-to-left tables ("expected link ancestor in logical tree"): the PDF is
        # then written with every link as its text.
        warn("pdf:links-left-out", f"{error}; the PDF is written with its links as plain text")
        laid = source(document, options, links=False)
        return laid, _compile(laid)


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as a PDF (images and fonts are embedded: no resources)."""
    if not isinstance(document, (Article, Book)):
        raise ExportError(f"the PDF exporter takes an Article or a Book, not a {type(document).__name__}")
    laid, data = _laid_out(document, options)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        build_groups(pdf, laid.plan)
        if options.variant == "print":
            print_boxes(pdf, options.bleed * MM, options.crop_marks)
        _no_false_suspects(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return Rendered(data=out.getvalue())


def _no_false_suspects(pdf: pikepdf.Pdf) -> None:
    """Drop Typst's ``/Suspects false`` from the mark information: false is the default
    (ISO 32000-1 §14.7.1, PDF/UA-1 asks only that it is not true), and poppler's
    pdfinfo reports "Syntax Error: Suspects object is wrong type (boolean)" for it."""
    mark_info = pdf.Root.get("/MarkInfo")
    if isinstance(mark_info, pikepdf.Dictionary):
        suspects = mark_info.get("/Suspects")
        if suspects is not None and not bool(suspects):
            del mark_info["/Suspects"]
