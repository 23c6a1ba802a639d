"""Issue 19: a book's Glossary comes before its Sources, at the level of the article
titles, in every format that has both as headings (HTML, EPUB, DOCX; JATS keeps its
<glossary> and <ref-list> in <back>)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

import healthinfo
from healthinfo.exporters import render

from .conftest import CORPUS

XHTML = "{http://www.w3.org/1999/xhtml}"
BOOKS = ["metastatic-breast-cancer", "metastatic-breast-cancer-brochure"]


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


def _text(element: etree._Element | None) -> str:
    assert element is not None
    return " ".join("".join(str(t) for t in element.itertext()).split())


def _levels(headings: list[tuple[int, str]], title: str) -> list[tuple[int, str]]:
    """The article title's heading and the Glossary and Sources headings, in order."""
    return [(level, text) for level, text in headings if text in (title, "Glossary", "Sources")]


@pytest.mark.parametrize("name", BOOKS)
def test_glossary_then_sources_at_the_article_title_level(corpus: healthinfo.Corpus, name: str) -> None:
    book = corpus.books[name]
    title = book.articles[0].title
    page = etree.fromstring(render(book, "html").data, etree.HTMLParser())
    html = [(int(str(h.tag)[1]), _text(h)) for h in page.iter("h1", "h2", "h3", "h4")]
    assert _levels(html, title) == [(2, title), (2, "Glossary"), (2, "Sources")]
    with zipfile.ZipFile(io.BytesIO(render(book, "epub").data)) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
    top = nav.find(f".//{XHTML}nav[@id='toc']/{XHTML}ol")
    assert top is not None
    entries = [_text(li.find(f"{XHTML}a")) for li in top.findall(f"{XHTML}li")]
    assert [e for e in entries if e in (title, "Glossary", "Sources")] == [title, "Glossary", "Sources"]
    document = docx.Document(io.BytesIO(render(book, "docx").data))
    styled = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    word = [(int(style.removeprefix("Heading ")), text) for style, text in styled if style.startswith("Heading ")]
    assert _levels(word, title) == [(1, title), (1, "Glossary"), (1, "Sources")]
