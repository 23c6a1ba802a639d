"""The HTML reader of the consistency check (healthinfo.exporters.html.outline
.read_readings): an article's page and a book's page read back into the reading the
model says they must show (healthinfo.checks.reading), for the shipped corpus, a German
copy and generated articles; a changed word is found in its unit, a garbled page is
refused with one of the check's exceptions."""

from __future__ import annotations

import zipfile
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import healthinfo
from healthinfo.checks.reading import Reading, carried, expected_reading
from healthinfo.exporters.html.outline import read_readings
from healthinfo.schema import Article, Cite, Emphasis, Link, Paragraph, Term, Text

from .conftest import CORPUS
from .strategies import articles

#: What a reader may raise for a damaged file (READING.md; the check reports it).
DAMAGE = (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError)


def difference(found: Reading, expected: Reading) -> str:
    """A readable account of the first difference of two readings ("" when equal)."""
    for n, (f, e) in enumerate(zip(found.units, expected.units, strict=False)):
        if f != e:
            return f"unit {n} differs:\n  found    {f}\n  expected {e}"
    if len(found.units) != len(expected.units):
        extra = found.units[len(expected.units):] or expected.units[len(found.units):]
        return f"{len(found.units)} units found, {len(expected.units)} expected; first extra: {extra[0]}"
    for what in ("references", "citations", "glossary", "terms", "metadata", "carries", "id"):
        if getattr(found, what) != getattr(expected, what):
            return f"{what} differ:\n  found    {getattr(found, what)!r}\n  expected {getattr(expected, what)!r}"
    return ""


def check(found: Reading, article: Article, expected: Reading | None = None) -> None:
    expected = carried(expected or expected_reading(article), found)
    assert found == expected, difference(found, expected)


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def article(corpus: healthinfo.Corpus) -> Article:
    return next(iter(corpus.articles.values()))


def test_the_shipped_article(article: Article) -> None:
    (found,) = read_readings(healthinfo.export(article, "html"))
    check(found, article)
    assert found.id == article.id and found.metadata["updated"] == "2024-01-23"
    assert set(found.metadata) == {"title", "topic", "lang", "publisher", "updated", "next_update", "region", "rights", "license"}


def test_the_shipped_books(corpus: healthinfo.Corpus) -> None:
    for book in corpus.books.values():
        found = read_readings(healthinfo.export(book, "html"))
        assert [r.id for r in found] == [a.id for a in book.articles], book.id
        for reading, member in zip(found, book.articles, strict=True):
            check(reading, member)


def test_a_german_copy_shows_no_fixed_words(article: Article) -> None:
    german = article.model_copy(update={"lang": "de"})
    (found,) = read_readings(healthinfo.export(german, "html"))
    check(found, german)
    words = {"Hinweis", "Aktualisiert", "Quellen", "Glossar", "Herausgeber"}
    assert not [u for u in found.units if any(w in u.text for w in words)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=articles())
def test_generated_articles(generated: Article) -> None:
    (found,) = read_readings(healthinfo.export(generated, "html"))
    check(found, generated)


def term_inside_a_link(article: Article) -> Article:
    term = Term(ref=next(iter(article.glossary)), children=[Text(text="fatigue")])
    paragraph = Paragraph(children=[Text(text="See "), Link(href="https://example.org/", children=[Emphasis(children=[term])]), Text(text=".")])
    return article.model_copy(update={"blocks": [*article.blocks, paragraph]})


def test_a_citation_inside_a_link_keeps_its_entry(article: Article) -> None:
    paragraph = Paragraph(children=[Link(href="https://example.org/", children=[Text(text="read"), Cite(refs=[article.references[1].id])]), Text(text=".")])
    changed = article.model_copy(update={"blocks": [*article.blocks, paragraph]})
    (found,) = read_readings(healthinfo.export(changed, "html"))
    check(found, changed)
    assert found.citations[-1] == 2


def test_a_term_inside_a_link_is_marked_not_linked(article: Article) -> None:
    changed = term_inside_a_link(article)
    (found,) = read_readings(healthinfo.export(changed, "html"))
    check(found, changed)


def test_a_changed_word_differs_in_its_unit_only(article: Article) -> None:
    page = healthinfo.export(article, "html")
    assert page.count(b"sequential therapy") == 1
    (found,) = read_readings(page.replace(b"sequential therapy", b"sequential treatment"))
    expected = carried(expected_reading(article), found)
    differing = [n for n, (f, e) in enumerate(zip(found.units, expected.units, strict=True)) if f != e]
    assert len(differing) == 1 and "sequential treatment" in found.units[differing[0]].text
    assert found.references == expected.references and found.metadata == expected.metadata


def test_a_changed_heading_and_a_lost_note_region_are_found(article: Article) -> None:
    page = healthinfo.export(article, "html")
    (found,) = read_readings(page.replace(b"What is palliative care?", b"What is hospice care?").replace(b' data-region="DE"', b""))
    expected = carried(expected_reading(article), found)
    differing = [(f.kind, f.text, f.note) for f, e in zip(found.units, expected.units, strict=True) if f != e]
    note = next(u.text for u in expected.units if u.note == "note/DE")
    assert differing == [("paragraph", note, "note"), ("heading", "What is hospice care?", "")]


@pytest.mark.parametrize(
    "damage",
    [
        lambda page: b"",
        lambda page: b"not a page",
        lambda page: b"\x00\xff\xfe" * 100,
        lambda page: page[: len(page) // 3],
        lambda page: page.replace(b'class="article-head"', b'class="head"'),
        lambda page: page.replace(b'"@type": "MedicalWebPage"', b'"@type": "MedicalWebPage",,'),
    ],
    ids=["empty", "text", "binary", "truncated", "no-head", "bad-json-ld"],
)
def test_a_garbled_page_is_refused(article: Article, damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(DAMAGE):
        read_readings(damage(healthinfo.export(article, "html")))
