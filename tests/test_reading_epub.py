"""The EPUB reader of the consistency check (healthinfo.exporters.epub.outline
.read_readings): an article's e-book and a book's read back into the reading the model
says they must show (healthinfo.checks.reading), for the shipped corpus, a German copy
and generated articles; books of several articles (one glossary and the reusable back
blocks once for the book, compared once by compare_book); a changed word is found in its
unit, a changed shared block or definition in a book, a damaged e-book is refused with
one of the check's exceptions."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings

import healthinfo
from healthinfo.checks.consistency import compare_book
from healthinfo.checks.reading import CARRIES_ALL, carried, expected_book, expected_reading
from healthinfo.exporters.epub.outline import read_readings
from healthinfo.schema import Article, Book

from .conftest import CORPUS
from .strategies import books
from .test_reading_html import (
    DAMAGE,
    check,
    check_book,
    corpus_like,
    one_definition_per_term,
    two_articles,
)

CHAPTER = "EPUB/chapter-1.xhtml"


def rewritten(epub: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """``epub`` with each member changed by ``change`` (None: the member left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(epub)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = change(info.filename, source.read(info))
            if data is not None:
                target.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def article(corpus: healthinfo.Corpus) -> Article:
    return next(iter(corpus.articles.values()))


def test_the_shipped_article(article: Article) -> None:
    (found,) = read_readings(healthinfo.export(article, "epub"))
    check(found, article)
    # The package document describes the article; an e-book has no region of it.
    assert set(found.metadata) == {"title", "topic", "lang", "publisher", "updated", "next_update", "rights", "license",
                                     "edition"}
    assert found.metadata["rights"].startswith("©") and found.metadata["next_update"] == "2027"


def test_the_shipped_books(corpus: healthinfo.Corpus) -> None:
    for book in corpus.books.values():
        found = read_readings(healthinfo.export(book, "epub"))
        check_book(found, book)
        for reading in found:
            # A book's package document describes the book: the chapter's head is the article's.
            assert set(reading.metadata) == {"title", "topic", "lang", "publisher", "updated", "next_update"}
            # A book of one article shows its glossary and back matter as the article's own.
            assert reading.carries == CARRIES_ALL and reading.back == 4


def test_a_book_of_two_articles(corpus: healthinfo.Corpus, article: Article) -> None:
    book = two_articles(corpus, article)
    first, second = found = read_readings(healthinfo.export(book, "epub"))
    check_book(found, book)
    # glossary.xhtml and more.xhtml are the book's: each block once, after the last chapter.
    assert first.glossary == second.glossary and [t for t, _ in first.glossary] == ["Diagnosis", "Fatigue", "Remission"]
    assert (first.back, second.back) == (0, 6)
    assert [u.text for u in second.units[-6:] if u.kind == "block-title"] == ["About our health information", "Disclaimer"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=books().map(corpus_like).filter(one_definition_per_term))
def test_generated_books(generated: Book) -> None:
    check_book(read_readings(healthinfo.export(generated, "epub")), generated)


def test_a_changed_shared_block_and_definition_are_found(corpus: healthinfo.Corpus, article: Article) -> None:
    book = two_articles(corpus, article)

    def change(name: str, data: bytes) -> bytes:
        if name == "EPUB/more.xhtml":
            return data.replace(b"Ask your doctor first.", b"Ask your pharmacist first.")
        return data.replace(b"does not go away with rest", b"goes away with rest") if name == "EPUB/glossary.xhtml" else data

    epub = healthinfo.export(book, "epub")
    differences = compare_book(*expected_book(book), read_readings(rewritten(epub, change)))
    assert [(d.code, d.where) for d in differences] == [
        ("text:changed", 'back matter, block "Disclaimer" / block 1'), ("glossary:changed", 'glossary "Fatigue"'),
    ]


def test_a_changed_word_differs_in_its_unit_only(article: Article) -> None:
    epub = healthinfo.export(article, "epub")
    damaged = rewritten(epub, lambda name, data: data.replace(b"sequential therapy", b"sequential treatment"))
    (found,) = read_readings(damaged)
    expected = carried(expected_reading(article), found)
    differing = [n for n, (f, e) in enumerate(zip(found.units, expected.units, strict=True)) if f != e]
    assert len(differing) == 1 and "sequential treatment" in found.units[differing[0]].text
    assert found.references == expected.references and found.metadata == expected.metadata


def test_a_changed_source_and_title_are_found(article: Article) -> None:
    epub = healthinfo.export(article, "epub")

    def change(name: str, data: bytes) -> bytes:
        if name == "EPUB/sources.xhtml":
            return data.replace(b"Mistletoe", b"Holly")
        return data.replace(b'id="subtitle">Treatment', b'id="subtitle">Treatments') if name.endswith(".opf") else data

    (found,) = read_readings(rewritten(epub, change))
    expected = carried(expected_reading(article), found)
    assert found.units == expected.units
    assert [n for n, (f, e) in enumerate(zip(found.references, expected.references, strict=True)) if f != e] == [4]
    # The package and the chapter's head disagree: both are given, so the check sees it.
    assert found.metadata["title"] == "Treatment options and supportive care | Treatments options and supportive care"


def test_the_topic_is_read_from_the_titles_not_the_subjects(article: Article) -> None:
    # the first subject is the topic only by the writer's habit; the titles say it
    epub = healthinfo.export(article, "epub")

    def change(name: str, data: bytes) -> bytes:
        return data.replace(b'id="title">Metastatic', b'id="title">Metastasised') if name.endswith(".opf") else data

    (found,) = read_readings(rewritten(epub, change))
    assert found.metadata["topic"] == "Metastatic breast cancer | Metastasised breast cancer"
    assert found.metadata["title"] == "Treatment options and supportive care"


@pytest.mark.parametrize(
    "damage",
    [
        lambda epub: b"not a zip",
        lambda epub: epub[: len(epub) // 2],
        lambda epub: rewritten(epub, lambda name, data: None if name == CHAPTER else data),
        lambda epub: rewritten(epub, lambda name, data: data[: len(data) // 2] if name == CHAPTER else data),
        lambda epub: rewritten(epub, lambda name, data: b"<container/>" if name == "META-INF/container.xml" else data),
        lambda epub: rewritten(epub, lambda name, data: data.replace(b'class="article-head"', b'class="head"')),
    ],
    ids=["not-a-zip", "truncated-zip", "missing-chapter", "truncated-chapter", "no-rootfile", "no-head"],
)
def test_a_damaged_epub_is_refused(article: Article, damage: Callable[[bytes], bytes]) -> None:
    with pytest.raises(DAMAGE):
        read_readings(damage(healthinfo.export(article, "epub")))
