"""DOCX (Office Open XML WordprocessingML): an article or a book as a styled document
or an A5 brochure that designers edit. docs/exporters/docx.md describes the styles,
the page layouts and the mapping.
"""

from __future__ import annotations

from .._base import Exporter
from .document import Options, render
from .outline import read_readings, read_text

__all__ = ["EXPORTER", "Options", "render"]

#: A book is one document: a title page, a table of contents, one part per article.
EXPORTER: Exporter[Options] = Exporter(
    name="docx",
    extension=".docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    accepts_books=True,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="Word document or A5 brochure; opened by LibreOffice, read back by pandoc",
)
