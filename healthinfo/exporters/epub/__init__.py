"""EPUB 3: an article (a one-chapter e-book) or a book (one chapter per article) as a
reflowable EPUB 3.3 publication, made with the HTML exporter's writer plus packaging
(as Sphinx's EPUB builder is its HTML builder). docs/exporters/epub.md describes it.

The modules: :mod:`.writer` (:class:`~.writer.EpubWriter`, an extension of the HTML
writer, and the content documents), :mod:`.package` (the package document, the NCX and
the zip), :mod:`.accessibility` (the accessibility claims), :mod:`.publication` (the
package-level facts of an article or a book), :mod:`.options` and :mod:`.outline` (the
reader of the output).
"""

from __future__ import annotations

from .._base import Exporter
from .accessibility import CONFORMS_TO, Accessibility, accessibility
from .options import Options
from .outline import read_readings, read_text
from .package import STYLESHEET
from .publication import identifier
from .writer import image_file, render

__all__ = [
    "CONFORMS_TO",
    "EXPORTER",
    "STYLESHEET",
    "Accessibility",
    "Options",
    "accessibility",
    "identifier",
    "image_file",
    "render",
]

#: A book is one e-book with a chapter per article.
EXPORTER: Exporter[Options] = Exporter(
    name="epub",
    extension=".epub",
    media_type="application/epub+zip",
    accepts_books=True,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="EPUB 3.3 e-book (article or book); checked by EPUBCheck and DAISY Ace",
)
