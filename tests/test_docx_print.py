"""The DOCX brochure on paper (issue 19): LibreOffice's PDF of the brochure measured
with pdfminer.six, and the title page. The rest of the DOCX tests are test_docx.py's."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTFigure

import healthinfo
from healthinfo.exporters.docx.styles import PAGES
from healthinfo.schema import Book

from .conftest import CORPUS
from .validators import libreoffice

WP_INLINE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


def test_brochure_figure_sits_inside_the_text_column(corpus: healthinfo.Corpus, tmp_path: Path) -> None:
    """The full-width figure lies within the margins (it sat 9 pt to the right:
    LibreOffice's default wrap distance when wp:inline gives none)."""
    path = tmp_path / "brochure.docx"
    path.write_bytes(healthinfo.export(corpus.books["metastatic-breast-cancer-brochure"], "docx"))
    page = PAGES["a5"]
    left, right = page.left / 20, (page.width - page.right) / 20  # twips to points
    pages = list(extract_pages(libreoffice.to_pdf(path, tmp_path)))[1:]
    images = [item for page in pages for item in page if isinstance(item, LTFigure)]
    assert images, "no figure in the article's pages"
    for image in images:
        assert image.x0 >= left - 0.5 and image.x1 <= right + 0.5, (image.x0, image.x1, left, right)


@pytest.mark.parametrize("name", ["metastatic-breast-cancer", "metastatic-breast-cancer-brochure"])
def test_title_page_names_the_publisher_once(corpus: healthinfo.Corpus, name: str) -> None:
    """The document layout's title page has the publisher block, which starts with the
    publisher's name: the bare name line is not written before it. Every picture has
    wrap distances 0."""
    book: Book = corpus.books[name]
    data = healthinfo.export(book, "docx")
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    front = texts[: texts.index("Contents")]
    publisher = book.publisher.name
    assert sum(t == publisher or t.startswith(f"Publisher: {publisher}") for t in front) == 1, front
    body: etree._Element = document.element.body
    for inline in body.iter(WP_INLINE):
        assert all(inline.get(side) == "0" for side in ("distT", "distB", "distL", "distR"))
