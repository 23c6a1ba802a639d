"""ONIX 3.0: the ONIX for Books 3.0 product record of an e-book (an article's or a
book's), for distributors and stores, with accessibility statements that say what the
EPUB's own metadata says. docs/exporters/onix.md describes the mapping.

The modules: :mod:`.writer` (the message), :mod:`.features` (the accessibility
statements), :mod:`.codes` (the code-list values and the one accessibility table,
:data:`~.codes.ACCESSIBILITY`), :mod:`.options` and :mod:`.outline` (the reader of the
output).
"""

from __future__ import annotations

from .._base import Exporter
from .codes import ACCESSIBILITY
from .options import Options
from .outline import read_readings, read_text
from .writer import EXTENSION, MEDIA_TYPE, NAME, language_code, render, to_tree

__all__ = ["ACCESSIBILITY", "EXPORTER", "Options", "language_code", "render", "to_tree"]

#: An article's record describes the article's e-book; a book's, the book's.
EXPORTER: Exporter[Options] = Exporter(
    name=NAME,
    extension=EXTENSION,
    media_type=MEDIA_TYPE,
    accepts_books=True,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="ONIX 3.0 product record of the e-book (article or book) for distributors; valid against the EDItEUR XSD",
    holds_text=False,
)
