"""The HTML reader of the consistency check (healthinfo.exporters.html.outline
.read_readings): an article's page and a book's page read back into the reading the
model says they must show (healthinfo.checks.reading), for the shipped corpus, a German
copy and generated articles; books of several articles (one glossary and the reusable
back blocks once for the book, compared once by compare_book); a changed word is found
in its unit, a changed shared block or definition in a book, a garbled page is refused
with one of the check's exceptions."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import healthinfo
from healthinfo.checks.consistency import compare, compare_book
from healthinfo.checks.reading import CARRIES_ALL, Reading, carried, expected_book, expected_reading, normalise, restrict
from healthinfo.exporters.html.outline import read_readings
from healthinfo.schema import Article, Book, Cite, Emphasis, GlossaryEntry, Include, Link, Paragraph, Term, Text

from .conftest import CORPUS
from .reading_diff import first_difference
from .strategies import articles, books

#: What a reader may raise for a damaged file (READING.md; the check reports it).
DAMAGE = (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError)


def check(found: Reading, article: Article, expected: Reading | None = None) -> None:
    expected = carried(expected or expected_reading(article), found)
    assert found == expected, first_difference(found, expected)


def headwords(reading: Reading) -> tuple[str, ...]:
    """The terms the glossary links of ``reading`` point at."""
    return tuple(reading.glossary[n - 1][0] if 0 < n <= len(reading.glossary) else f"({n})" for n in reading.terms)


def check_book(found: Sequence[Reading], book: Book) -> None:
    """``found`` is what ``book``'s output must show: for each article, what the model
    says as far as the output carries it; in a book of several articles (without
    "glossary" and "back" in their carries) each article's glossary entries in the
    book's one glossary, its links pointing at them by term, and the shared back blocks
    and glossary as :func:`expected_book` says (compare_book finds no difference).

    The links inside the back blocks a book of several shows once are no one article's
    (the page shows them once, with the article that brought the block first): the
    readers leave them out, and ``carried`` leaves the model's out (Reading.back_links)."""
    assert [r.id for r in found] == [a.id for a in book.articles], book.id
    for reading, member in zip(found, book.articles, strict=True):
        expected = expected_reading(member)
        if {"glossary", "back"} <= reading.carries:
            check(reading, member)
            continue
        assert not {"glossary", "back"} & reading.carries and len(book.articles) > 1
        shown, wanted = restrict(reading, reading.carries, reading.metadata), carried(expected, reading)
        assert replace(shown, glossary=(), terms=()) == replace(wanted, glossary=(), terms=()), first_difference(shown, wanted)
        assert set(wanted.glossary) <= set(reading.glossary) and headwords(wanted) == headwords(reading)
        assert compare(expected, reading) == []
    assert not [r.id for r in found[:-1] if r.back and "back" not in r.carries]  # given with the last article
    assert compare_book(*expected_book(book), found) == []


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
    assert set(found.metadata) == {"title", "topic", "lang", "publisher", "updated", "next_update", "region", "rights",
                                     "license", "edition", "translations"}


def test_the_shipped_books(corpus: healthinfo.Corpus) -> None:
    for book in corpus.books.values():
        found = read_readings(healthinfo.export(book, "html"))
        check_book(found, book)
        # A book of one article shows its glossary and back matter as the article's own.
        assert all(r.carries == CARRIES_ALL and r.back == 4 for r in found)


def second_article(article: Article) -> Article:
    """The shipped article under another id, with one more glossary entry and, after
    the shipped back block, another one."""
    extra = GlossaryEntry(id="remission", term="Remission", definition="A time when the signs of the disease are gone.")
    notice = Include(ref="disclaimer", title="Disclaimer", blocks=[Paragraph(children=[Text(text="Ask your doctor first.")])])
    return article.model_copy(update={
        "id": "second", "title": "A second article", "glossary": {**article.glossary, "remission": extra},
        "back": (*article.back, notice),
    })


def two_articles(corpus: healthinfo.Corpus, article: Article) -> Book:
    """The shipped e-book with the shipped article and :func:`second_article`."""
    book: Book = corpus.books["metastatic-breast-cancer"]
    return book.model_copy(update={"articles": (article, second_article(article))})


def test_a_book_of_two_articles(corpus: healthinfo.Corpus, article: Article) -> None:
    book = two_articles(corpus, article)
    first, second = found = read_readings(healthinfo.export(book, "html"))
    check_book(found, book)
    # One glossary for the book, each reusable block once, after the last article.
    assert first.glossary == second.glossary and [t for t, _ in first.glossary] == ["Diagnosis", "Fatigue", "Remission"]
    assert (first.back, second.back) == (0, 6)
    assert [u.text for u in second.units[-6:] if u.kind == "block-title"] == ["About our health information", "Disclaimer"]


def a_shared_block_with_a_term(corpus: healthinfo.Corpus, article: Article) -> Book:
    """:func:`two_articles`, the second article's back block linking a glossary term."""
    term = Term(ref="fatigue", children=[Text(text="fatigue")])
    notice = Include(ref="disclaimer", title="Disclaimer", blocks=[Paragraph(children=[Text(text="Ask about "), term])])
    book = two_articles(corpus, article)
    return book.model_copy(update={"articles": (article, book.articles[1].model_copy(update={"back": (notice,)}))})


#: The page and the e-book, whose chapters are the page's markup: the tests that read
#: both the same way.
PAGES = ("html", "epub")


def read(document: Article | Book, format_name: str) -> tuple[Reading, ...]:
    return healthinfo.exporters.get(format_name).read_readings(healthinfo.export(document, format_name))


@pytest.mark.parametrize("format_name", PAGES)
def test_the_links_of_a_shared_back_block_are_compared_once(corpus: healthinfo.Corpus, article: Article,
                                                            format_name: str) -> None:
    """A block a book shows once has no links in any article's reading: the model's
    links in the back matter are left out of the comparison (Reading.back_links)."""
    book = a_shared_block_with_a_term(corpus, article)
    found = read(book, format_name)
    assert [compare(expected_reading(a), r) for a, r in zip(book.articles, found, strict=True)] == [[], []]


def corpus_like(book: Book) -> Book:
    """``book`` as a corpus makes books: a reusable block's ref names one block, so a
    later article's block of that ref is the first's. (A generated book may hold two
    blocks of one ref: the writer shows both, expected_book only the first.)"""
    first: dict[str, Include] = {}
    members = []
    for member in book.articles:
        back = tuple(first.setdefault(include.ref, include) for include in member.back)
        members.append(member.model_copy(update={"back": back}))
    return book.model_copy(update={"articles": tuple(members)})


def one_definition_per_term(book: Book) -> bool:
    """Whether the book's glossary entries of the same term have the same definition
    (else the check, which finds entries by term, cannot tell them apart)."""
    definitions: dict[str, set[str]] = {}
    for member in book.articles:
        for entry in member.glossary.values():
            definitions.setdefault(normalise(entry.term), set()).add(normalise(entry.definition))
    return all(len(shown) == 1 for shown in definitions.values())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=books().map(corpus_like).filter(one_definition_per_term))
def test_generated_books(generated: Book) -> None:
    check_book(read_readings(healthinfo.export(generated, "html")), generated)


def test_a_changed_shared_block_and_definition_are_found(corpus: healthinfo.Corpus, article: Article) -> None:
    book = two_articles(corpus, article)
    page = healthinfo.export(book, "html")
    assert page.count(b"Ask your doctor first.") == 1 and page.count(b"does not go away with rest") == 1
    damaged = page.replace(b"Ask your doctor first.", b"Ask your pharmacist first.")
    damaged = damaged.replace(b"does not go away with rest", b"goes away with rest")
    differences = compare_book(*expected_book(book), read_readings(damaged))
    assert [(d.code, d.where) for d in differences] == [
        ("text:changed", 'back matter, block "Disclaimer" / block 1'), ("glossary:changed", 'glossary "Fatigue"'),
    ]


@pytest.mark.parametrize("format_name", PAGES)
def test_a_german_copy_shows_no_fixed_words(article: Article, format_name: str) -> None:
    german = article.model_copy(update={"lang": "de"})
    (found,) = read(german, format_name)
    check(found, german)
    words = {"Hinweis", "Aktualisiert", "Quellen", "Glossar", "Herausgeber"}
    assert not [u for u in found.units if any(w in u.text for w in words)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@pytest.mark.parametrize("format_name", PAGES)
@given(generated=articles())
def test_generated_articles(generated: Article, format_name: str) -> None:
    (found,) = read(generated, format_name)
    check(found, generated)


def term_inside_a_link(article: Article) -> Article:
    term = Term(ref=next(iter(article.glossary)), children=[Text(text="fatigue")])
    paragraph = Paragraph(children=[Text(text="See "), Link(href="https://example.org/", children=[Emphasis(children=[term])]), Text(text=".")])
    return article.model_copy(update={"blocks": (*article.blocks, paragraph)})


def test_a_citation_inside_a_link_is_its_text(article: Article) -> None:
    # Links do not nest: the citation shows as the style writes it ("[2]") and links
    # nowhere, so the reading has no citation for it.
    paragraph = Paragraph(children=[Link(href="https://example.org/", children=[Text(text="read"), Cite(refs=[article.references[1].id])]), Text(text=".")])
    changed = article.model_copy(update={"blocks": (*article.blocks, paragraph)})
    page = healthinfo.export(changed, "html")
    (found,) = read_readings(page)
    check(found, changed)
    assert found.citations == () and b'read<span class="cite cite-number">[2]</span></a>' in page


@pytest.mark.parametrize("format_name", PAGES)
def test_a_term_inside_a_link_is_marked_not_linked(article: Article, format_name: str) -> None:
    changed = term_inside_a_link(article)
    (found,) = read(changed, format_name)
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
    # The German passage's codes went too (its data-region).
    assert differing == [("region", "", ""), ("paragraph", note, "note"), ("heading", "What is hospice care?", "")]


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


def test_a_short_name_with_spaces_is_read_as_shown(article: Article) -> None:
    """The publisher line shows "Name (short )" when the short name ends in a space."""
    publisher = article.publisher.model_copy(update={"short_name": "IQWiG ", "url": None})
    spaced = article.model_copy(update={"publisher": publisher})
    (found,) = read_readings(healthinfo.export(spaced, "html"))
    assert found.metadata["publisher"] == expected_reading(spaced).metadata["publisher"]
