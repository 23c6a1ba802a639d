"""PDF (ISO 32000-1, tagged): an article or a book as a PDF/UA-1 and PDF/A-2a file for
the screen, or with bleed and crop marks for a print shop; A5 patient brochures.
docs/exporters/pdf.md has the structure mapping, the options and the engine choice.

The package: :mod:`.source` (the Typst source, one ``visit_<node>`` per node type, and
the plan of the structure tree), ``templates/layout.typ`` (the page layout),
:mod:`.structure` (the structure tree completed after layout, the print boxes),
:mod:`.writer` (options, layout, the bytes), :mod:`.outline` (reads the output back
for the consistency check, without the writer).
"""

from __future__ import annotations

from .._base import Exporter
from .outline import read_readings, read_text
from .writer import ACCEPTS_BOOKS, EXTENSION, MEDIA_TYPE, NAME, Options, render

__all__ = ["EXPORTER", "Options", "render"]

#: A book is one PDF: cover, contents, its articles, the imprint.
EXPORTER: Exporter[Options] = Exporter(
    name=NAME,
    extension=EXTENSION,
    media_type=MEDIA_TYPE,
    accepts_books=ACCEPTS_BOOKS,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="tagged PDF/UA-1 (and PDF/A-2a) for the screen or for print (bleed, crop marks); A5 brochures",
)
