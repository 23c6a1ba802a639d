"""The JATS reader of the consistency check (healthinfo.exporters.jats.outline.read_readings):
the reading of a JATS article equals the model's reading, as far as JATS carries it,
for the shipped corpus, a German copy, every node type and generated articles; a
changed word is found in exactly its unit, and a damaged file raises a reading error."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import healthinfo
from healthinfo.checks.reading import CARRIES_SOURCES, METADATA, Reading, carried, expected_reading
from healthinfo.checks.sources import with_sources
from healthinfo.exporters.jats.outline import read_readings
from healthinfo.schema import Article, Include, Note, NoteKind, Paragraph, Quote, Text

from .conftest import CORPUS
from .reading_diff import first_difference
from .strategies import articles
from .test_jats import kitchen_sink

ARTICLE_ID = "metastatic-breast-cancer-treatment"
#: What a damaged file may raise (the consistency check's contract).
READING_ERRORS = (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError)


def modelled(article: Article) -> Reading:
    """The model's reading with the structured fields of its sources, which JATS carries."""
    return with_sources(expected_reading(article), article)


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def article(corpus: healthinfo.Corpus) -> Article:
    return corpus.articles[ARTICLE_ID]


def read_one(data: bytes) -> Reading:
    readings = read_readings(data)
    assert len(readings) == 1, "a JATS file holds one article"
    return readings[0]


def assert_reads_back(article: Article) -> Reading:
    found = read_one(healthinfo.export(article, "jats"))
    expected = carried(modelled(article), found)
    assert found == expected, first_difference(found, expected)
    return found


def test_the_shipped_article_reads_back(article: Article) -> None:
    found = assert_reads_back(article)
    assert found.carries == CARRIES_SOURCES
    assert tuple(found.metadata) == METADATA
    assert found.id == ARTICLE_ID
    assert len(found.references) == 12 and found.terms == (2, 2, 2, 2, 1)
    assert found.metadata["updated"] == "2024-01-23" and found.metadata["next_update"] == "2027"
    assert any(unit.note == "note/DE" for unit in found.units)


def test_each_article_of_each_book_reads_back(corpus: healthinfo.Corpus) -> None:
    # JATS takes no books: a book is exported as one file per article.
    assert corpus.books
    for book in corpus.books.values():
        for article in book.articles:
            assert_reads_back(article)


def test_a_german_copy_reads_back_without_the_fixed_words(article: Article) -> None:
    german = article.model_copy(update={"lang": "de"})
    found = assert_reads_back(german)
    texts = {unit.text for unit in found.units}
    assert not texts & {"Quellen", "Glossar", "Hinweis", "Sources", "Glossary"}
    assert found.metadata["lang"] == "de"


def test_every_node_type_reads_back(article: Article) -> None:
    found = assert_reads_back(Article.model_validate(kitchen_sink(article).model_dump()))
    assert found.citations and found.terms


@pytest.mark.parametrize("title", ["", " "], ids=["empty", "white-space"])
def test_empty_and_blank_titles_credits_and_attributions(article: Article, title: str) -> None:
    # The model's reading has a unit for a title of white space (its text empty) and
    # none for an empty title; the writer writes both elements.
    paragraph = Paragraph(children=[Text(text="x")])
    blocks = [
        Note(kind=NoteKind.tip, title=title, region="AT", blocks=[paragraph]),
        Quote(blocks=[paragraph], attribution=title),
        Include(ref="about", title=title, blocks=[paragraph]),
        article.blocks[0].model_copy(update={"credit": title}),
    ]
    assert_reads_back(Article.model_validate({**article.model_dump(), "blocks": blocks}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles())
def test_generated_articles_read_back(article: Article) -> None:
    assert_reads_back(article)


def test_a_changed_word_differs_in_exactly_its_unit(article: Article) -> None:
    data = healthinfo.export(article, "jats")
    word = b"psycho-oncology services"
    assert data.count(word) == 1
    damaged = read_one(data.replace(word, b"psycho-oncology offices"))
    expected = carried(modelled(article), damaged)
    differing = [i for i, (a, b) in enumerate(zip(damaged.units, expected.units, strict=True)) if a != b]
    assert len(differing) == 1
    assert "psycho-oncology offices" in damaged.units[differing[0]].text
    assert (damaged.references, damaged.citations, damaged.glossary, damaged.terms, damaged.metadata) == (
        expected.references, expected.citations, expected.glossary, expected.terms, expected.metadata
    )


def test_a_changed_reference_is_found_in_exactly_its_entry(article: Article) -> None:
    data = healthinfo.export(article, "jats")
    expected = modelled(article)
    # The formatted entry (mixed-citation) and the structured one (element-citation), each on its own.
    shown = read_one(data.replace(b"Ernst ", b"Ernest ", 1))
    assert [i for i, (a, b) in enumerate(zip(shown.references, expected.references, strict=True)) if a != b] == [4]
    assert shown.sources == expected.sources
    fields = read_one(data.replace(b"<surname>Ernst</surname>", b"<surname>Ernest</surname>", 1))
    assert [i for i, (a, b) in enumerate(zip(fields.sources, expected.sources, strict=True)) if a != b] == [4]
    assert fields.references == expected.references
    assert shown.units == fields.units == carried(expected, fields).units


def test_a_citation_or_glossary_link_pointing_elsewhere_is_found(article: Article) -> None:
    sink = Article.model_validate(kitchen_sink(article).model_dump())
    data = healthinfo.export(sink, "jats")
    expected = carried(modelled(sink), read_one(data))
    # The first term and the first citation are inside a link: marked, not linked to
    # the glossary or the sources (links do not nest).
    assert expected.citations == (1, 2) and expected.terms == (1,)
    elsewhere = read_one(data.replace(b'<xref ref-type="bibr" rid="ref-vanGogh">', b'<xref ref-type="bibr" rid="ref-web">', 1))
    assert elsewhere.citations == (1, 4)
    lost = read_one(data.replace(b'rid="gloss-fatigue"', b'rid="gloss-nowhere"', 1))
    assert lost.terms == ()
    # A citation marker and a link are no text: the units stay equal.
    assert elsewhere.units == lost.units == expected.units


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"PK\x03\x04 not xml", id="not-xml"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data.replace(b"<front>", b"<frnt>").replace(b"</front>", b"</frnt>"), id="no-front"),
        pytest.param(lambda data: b"<?xml version='1.0'?><book/>", id="not-an-article"),
        pytest.param(lambda data: data.replace(b"<fig>", b"<figure>").replace(b"</fig>", b"</figure>"), id="unknown-block"),
        pytest.param(lambda data: data.replace(b"element-citation", b"x-citation"), id="no-citation"),
        pytest.param(lambda data: data.replace(b"<month>01</month>", b"<month>Jan</month>"), id="bad-date"),
    ],
)
def test_a_damaged_file_raises_a_reading_error(article: Article, damage: object) -> None:
    data = healthinfo.export(article, "jats")
    assert callable(damage)
    with pytest.raises(READING_ERRORS):
        read_readings(damage(data))
