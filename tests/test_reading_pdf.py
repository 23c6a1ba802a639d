"""The PDF reader of the consistency check (healthinfo/exporters/pdf/outline.py,
``read_readings``): the shipped corpus, nested blocks (notes, passages, lists and
quotations inside list items and quotations) and generated articles read back into
the reading the model says every format must show."""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

import healthinfo
from healthinfo.checks.consistency import compare_book
from healthinfo.checks.reading import Reading, carried, expected_book, expected_reading, normalise, restrict
from healthinfo.csl.citations import citation_text
from healthinfo.exporters._references import Citations
from healthinfo.exporters.pdf.outline import read_readings
from healthinfo.schema import Article, Cite, Link, Term, Text
from healthinfo.schema.book import Profile

from .conftest import CORPUS
from .reading_diff import first_difference
from .strategies import articles


@pytest.fixture(scope="module")
def corpus() -> Any:
    return healthinfo.load_corpus(CORPUS)


def assert_reads(article: Article, found: Reading) -> None:
    shown = restrict(found, found.carries, found.metadata)
    expected = carried(expected_reading(article), found)
    assert shown == expected, first_difference(shown, expected)


def single(article: Article) -> Reading:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        readings = read_readings(healthinfo.export(article, "pdf"))
    assert len(readings) == 1
    return readings[0]


def test_the_article(corpus: Any) -> None:
    for article in corpus.articles.values():
        assert_reads(article, single(article))


@pytest.mark.parametrize("book_id", ["metastatic-breast-cancer", "metastatic-breast-cancer-brochure"])
def test_the_books(corpus: Any, book_id: str) -> None:
    book = corpus.books[book_id]
    readings = read_readings(healthinfo.export(book, "pdf"))
    assert len(readings) == len(book.articles)
    if book.profile != Profile.brochure:
        for member, found in zip(book.articles, readings, strict=True):
            assert_reads(member, found)
    assert compare_book(*expected_book(book), readings) == []


def _text(value: str) -> dict[str, str]:
    return {"type": "text", "text": value}


def _paragraph(value: str) -> dict[str, Any]:
    return {"type": "paragraph", "children": [_text(value)]}


def _nested() -> Article:
    """Notes, a regional passage, lists, a quotation and a table inside list items and
    quotations, and a list that ends an item (Typst tags it after the item)."""
    tip = {"type": "note", "kind": "tip", "blocks": [_paragraph("Drink small sips."), _paragraph("Rest.")]}
    warning = {"type": "note", "kind": "warning", "title": "Fever", "blocks": [_paragraph("Call the clinic.")]}
    inner = {"type": "list", "items": [{"blocks": [_paragraph("An inner item.")]}]}
    passage = {"type": "region", "regions": ["DE"], "blocks": [_paragraph("Only in Germany.")]}
    return Article.model_validate({
        "schema_version": "1.0", "id": "nested", "title": "Nausea during chemotherapy", "lang": "en",
        "updated": "2024-01-01", "publisher": {"id": "p", "name": "Publisher"},
        "blocks": [
            {"type": "list", "items": [
                {"blocks": [_paragraph("A simple item.")]},
                {"blocks": [_paragraph("An item with a tip."), tip, inner]},
                {"blocks": [inner]},
                {"blocks": [warning]},
                {"blocks": [inner, passage, _paragraph("After the passage.")]},
            ]},
            {"type": "list", "ordered": True, "items": [
                {"blocks": [_paragraph("Numbered."), {"type": "quote", "blocks": [_paragraph("Quoted.")]},
                            {"type": "table", "body": [{"cells": [{"children": [_text("A cell")]}]}]}]},
            ]},
            {"type": "quote", "attribution": "A patient", "blocks": [_paragraph("It helped."), warning, inner]},
        ],
    })


def test_nested_blocks_are_grouped_and_read() -> None:
    article = _nested()
    found = single(article)
    assert_reads(article, found)
    notes = [unit.note for unit in found.units if unit.note]
    assert notes == ["tip", "tip", "warning", "warning", "warning", "warning"]
    assert [unit.text for unit in found.units if unit.kind == "region"] == ["DE"]


def _english(article: Article) -> Article:
    # Right-to-left text is read with a simplified bidi (tests/test_pdf.py has its cases).
    return article.model_copy(update={"lang": "en"})


def _shown(node: Any, citations: Citations, inside: bool = False) -> Any:
    """``node`` as the PDF shows it: a citation inside a link or a glossary term is
    its text as the style writes it ("(1)"), since a PDF link holds no other link
    (docs/exporters/pdf.md)."""
    if isinstance(node, tuple):
        return tuple(_shown(child, citations, inside) for child in node)
    if isinstance(node, Cite) and inside:
        return Text(text=citation_text(citations.of(node)))
    if not isinstance(node, BaseModel):
        return node
    updates = {}
    for name, value in node:
        if isinstance(value, tuple):
            updates[name] = _shown(value, citations, inside or isinstance(node, (Link, Term)))
    return node.model_copy(update=updates) if updates else node


def as_shown(article: Article) -> Article:
    shown: Article = _shown(article, Citations(article))
    return shown


def _drawn(reading: Reading, left_out: set[str]) -> Reading:
    """``reading`` with each character the PDF's fonts cannot draw as U+FFFD in the
    text (the writer warns with pdf:missing-glyphs, naming them); the metadata (the
    articles' /T) and the figures' /Alt keep them."""
    if not left_out:
        return reading
    # The model's text is compared in NFC: a compatibility ideograph is its unified one.
    table = {ord(c): "\ufffd" for c in left_out | {unicodedata.normalize("NFC", c) for c in left_out} if len(c) == 1}
    units = tuple(u if u.kind == "alt" else replace(u, text=normalise(u.text.translate(table))) for u in reading.units)
    return replace(reading, units=units,
                   glossary=tuple((normalise(t.translate(table)), normalise(d.translate(table))) for t, d in reading.glossary),
                   references=tuple(normalise(r.translate(table)) for r in reading.references))


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(articles())
def test_generated_articles(generated: Article) -> None:
    article = as_shown(_english(generated))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        (found,) = read_readings(healthinfo.export(article, "pdf"))
    left_out = {chr(int(code, 16)) for w in caught if getattr(w.message, "code", "") == "pdf:missing-glyphs"
                for code in re.findall(r"U\+([0-9A-F]{4,6})", str(w.message))}
    shown = restrict(found, found.carries, found.metadata)
    expected = _drawn(carried(expected_reading(article), found), left_out)
    assert shown == expected, first_difference(shown, expected)


def test_a_citation_written_as_text_inside_a_link_stays_in_its_place() -> None:
    # Found by test_generated_articles: "[1]" as text inside a link (a PDF link holds no
    # other link), then a real citation "[1]" after more text; the reader took the
    # first "[1]" for the citation and moved the text one after the other.
    source = {"id": "s", "type": "book", "title": "Guidelines", "issued": {"date-parts": [[2021]]}}
    link = Link(href="https://example.org/a", children=(Text(text="see"), Cite(refs=("s",))))
    paragraph = {"type": "paragraph", "children": [
        {"type": "span", "lang": "de", "children": [link.model_dump(), {"type": "text", "text": " and more"}]},
        {"type": "cite", "refs": ["s"]}]}
    article = as_shown(Article.model_validate({
        "id": "a", "title": "T", "lang": "en", "updated": "2024-01-02", "publisher": {"id": "p", "name": "P"},
        "blocks": [paragraph], "references": [source]}))
    found = single(article)
    assert_reads(article, found)
    assert found.units[0].text == "see(1) and more" and found.citations == (1,)
