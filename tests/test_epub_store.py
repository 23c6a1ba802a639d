"""E-books a distributor accepts (docs/exporters/epub.md, "Store metadata"): the
package document names the title and subtitle, the creators with their roles, the
description, subjects, series and ISBN; every e-book has a raster cover within the
stores' limits; each accessibility claim is made only when the content bears it out;
and calibre, a real reading system, shows the metadata and the cover and lays the
pages out right (one cover, no blank page, the figure at its own ratio with its
caption).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image as PILImage
from PIL import ImageChops, ImageStat

import healthinfo
from healthinfo.exporters import render
from healthinfo.schema import Article, Book, Certification, Cite, Figure, Paragraph, Person, Section, Series, Term, Text, walk

from .conftest import CORPUS
from .readers import epub as reader
from .readers.epub import NS
from .validators import ace, calibre, epubcheck

ARTICLE_ID = "metastatic-breast-cancer-treatment"
BOOK_ID = "metastatic-breast-cancer"
BROCHURE_ID = "metastatic-breast-cancer-brochure"
ISBN = "978-3-16-148410-0"


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


def package(document: Article | Book) -> reader.Package:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader.package(render(document, "epub"))


def metas(pkg: reader.Package) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in pkg.root.iterfind("opf:metadata/opf:meta[@property]", NS):
        found.setdefault(meta.get("property"), []).append(meta.text or "")
    return found


def refinements(pkg: reader.Package, uid: str) -> dict[str, str]:
    return {m.get("property"): m.text or "" for m in pkg.root.iterfind(f"opf:metadata/opf:meta[@refines='#{uid}']", NS)}


def dc(pkg: reader.Package, name: str) -> list[etree._Element]:
    return list(pkg.root.iterfind(f"opf:metadata/dc:{name}", NS))


def text_of(pkg: reader.Package, name: str) -> str:
    return " ".join("".join(reader.xml(pkg.archive, f"EPUB/{name}").itertext()).split())


def cover_image(pkg: reader.Package) -> PILImage.Image:
    (item,) = [i for i in pkg.manifest().values() if "cover-image" in (i.get("properties") or "").split()]
    return PILImage.open(io.BytesIO(pkg.archive.read(pkg.resolve(item.get("href")))))


def with_people(article: Article) -> Article:
    return article.model_copy(
        update={"authors": (Person(name="Anna Schmidt"), Person(name="Ben Okafor")), "reviewers": (Person(name="Clara Diaz"),)}
    )


# ---------------------------------------------------------------------------
# Store metadata


def test_titles_name_the_topic(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    pkg = package(article)
    main, subtitle = dc(pkg, "title")
    assert (main.text, subtitle.text) == (article.topic, article.title)
    assert refinements(pkg, main.get("id"))["title-type"] == "main"
    assert refinements(pkg, subtitle.get("id"))["title-type"] == "subtitle"
    # the chapter's page title says what the treatment is for
    chapter = reader.xml(pkg.archive, "EPUB/chapter-1.xhtml")
    title = chapter.find(".//x:title", NS).text
    assert article.title in title and article.topic in title
    # a book: its title and subtitle as the book file gives them
    book = corpus.books[BOOK_ID]
    assert [t.text for t in dc(package(book), "title")] == [book.title, book.subtitle]


def test_the_publisher_is_the_author_when_no_person_is_named(corpus: healthinfo.Corpus) -> None:
    for document in (corpus.articles[ARTICLE_ID], corpus.books[BOOK_ID], corpus.books[BROCHURE_ID]):
        pkg = package(document)
        (creator,) = dc(pkg, "creator")
        assert creator.text == document.publisher.name
        assert refinements(pkg, creator.get("id")) == {"role": "aut", "file-as": document.publisher.name}
        assert not dc(pkg, "contributor")


def test_named_authors_and_reviewers_have_their_roles(corpus: healthinfo.Corpus) -> None:
    pkg = package(with_people(corpus.articles[ARTICLE_ID]))
    creators = dc(pkg, "creator")
    assert [c.text for c in creators] == ["Anna Schmidt", "Ben Okafor"]
    for element in creators:
        assert refinements(pkg, element.get("id")) == {"role": "aut"}
    (reviewer,) = dc(pkg, "contributor")
    assert reviewer.text == "Clara Diaz" and refinements(pkg, reviewer.get("id")) == {"role": "rev"}
    scheme = pkg.root.find(f"opf:metadata/opf:meta[@refines='#{reviewer.get('id')}']", NS).get("scheme")
    assert scheme == "marc:relators"


def test_description_subjects_and_dates(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    for document in (article, corpus.books[BOOK_ID], corpus.books[BROCHURE_ID]):
        pkg = package(document)
        # a book of one article without a description of its own is described by it
        assert [d.text for d in dc(pkg, "description")] == [article.description]
        subjects = [s.text for s in dc(pkg, "subject")]
        assert subjects[0] == article.topic
        assert len({s.casefold() for s in subjects}) == len(subjects)
        assert set(subjects) >= set(article.keywords) - {k for k in article.keywords if k.casefold() == article.topic.casefold()}
        assert [d.text for d in dc(pkg, "publisher")] == [document.publisher.name]
        assert dc(pkg, "language")[0].text == document.lang


def test_series_and_isbn(corpus: healthinfo.Corpus) -> None:
    book = corpus.books[BOOK_ID].model_copy(
        update={"identifier": f"urn:isbn:{ISBN}", "series": Series(title="Informed health guides", position=3)}
    )
    pkg = package(book)
    assert [i.text for i in dc(pkg, "identifier")] == [f"urn:isbn:{ISBN}"]
    (series,) = [m for m in pkg.root.iterfind("opf:metadata/opf:meta[@property='belongs-to-collection']", NS)]
    assert series.text == "Informed health guides"
    assert refinements(pkg, series.get("id")) == {"collection-type": "series", "group-position": "3"}
    # the imprint prints the ISBN; an internal identifier is never printed
    assert "ISBN 9783161484100" in text_of(pkg, "titlepage.xhtml")
    plain = package(corpus.books[BOOK_ID])
    assert "urn:uuid" not in text_of(plain, "titlepage.xhtml")
    assert "ISBN" not in text_of(plain, "titlepage.xhtml")


def test_epubcheck_passes_the_full_store_metadata(corpus: healthinfo.Corpus, tmp_path: Path) -> None:
    publisher = corpus.books[BOOK_ID].publisher.model_copy(
        update={"accessibility_certification": Certification(
            certified_by="Accessible Books Lab", credential="Certified Accessible", report="https://example.org/report/1"
        )}
    )
    book = corpus.books[BOOK_ID].model_copy(
        update={"identifier": f"urn:isbn:{ISBN}", "series": Series(title="Informed health guides", position=3),
                "publisher": publisher, "articles": (with_people(corpus.articles[ARTICLE_ID]),)}
    )
    path = tmp_path / "store.epub"
    path.write_bytes(render(book, "epub").data)
    problems = epubcheck.problems(path)
    assert not problems, epubcheck.describe(problems)
    violations = ace.violations(path)
    assert not violations, ace.describe(violations)


# ---------------------------------------------------------------------------
# The cover


def test_every_ebook_has_a_cover_within_the_stores_limits(corpus: healthinfo.Corpus) -> None:
    for document in (corpus.articles[ARTICLE_ID], corpus.books[BOOK_ID], corpus.books[BROCHURE_ID]):
        pkg = package(document)
        image = cover_image(pkg)
        width, height = image.size
        assert width * height <= 4_000_000  # Apple: no image over 4 million pixels
        assert min(width, height) >= 1400  # Apple: 1400 px on the short side
        assert abs(height / width - 1.6) < 0.01  # KDP: 1.6:1
        # the EPUB 2 cover meta names the cover-image item; the guide names the cover page
        (item,) = [i for i in pkg.manifest().values() if "cover-image" in (i.get("properties") or "").split()]
        (meta,) = pkg.root.iterfind("opf:metadata/opf:meta[@name='cover']", NS)
        assert meta.get("content") == item.get("id")
        (reference,) = pkg.root.iterfind("opf:guide/opf:reference[@type='cover']", NS)
        assert reference.get("href") == "cover.xhtml"
        # no image of the e-book is over the limit
        for other in pkg.manifest().values():
            if (other.get("media-type") or "").startswith("image/"):
                size = PILImage.open(io.BytesIO(pkg.archive.read(pkg.resolve(other.get("href"))))).size
                assert size[0] * size[1] <= 4_000_000, other.get("href")


def test_a_books_own_cover_is_fitted_not_replaced(corpus: healthinfo.Corpus) -> None:
    book = corpus.books[BOOK_ID]
    assert book.cover is not None and book.cover.width * book.cover.height > 4_000_000
    image = cover_image(package(book)).convert("RGB")
    own = PILImage.open(io.BytesIO(book.cover.data)).convert("RGB").resize(image.size)
    # the same picture, scaled: pixels differ only by resampling (mean difference per channel)
    difference = ImageStat.Stat(ImageChops.difference(image, own)).mean
    assert max(difference) < 4, difference


# ---------------------------------------------------------------------------
# Accessibility claims that are true


def strip_blocks(article: Article, drop: type) -> Article:
    """``article`` without any block of type ``drop`` (sections: flattened into the lead)."""
    def keep(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(b for b in blocks if not isinstance(b, drop))

    def section(s: Section) -> Section:
        return s.model_copy(update={"blocks": keep(s.blocks), "sections": tuple(section(c) for c in s.sections)})

    if drop is Section:
        blocks = list(article.blocks)
        stack = list(article.sections)
        while stack:
            s = stack.pop(0)
            blocks += s.blocks
            stack[:0] = s.sections
        return Article.model_validate(article.model_copy(update={"blocks": tuple(blocks), "sections": ()}).model_dump())
    stripped = article.model_copy(update={"blocks": keep(article.blocks), "sections": tuple(section(s) for s in article.sections)})
    return Article.model_validate(stripped.model_dump())


def unlink_inlines(article: Article, kind: type) -> Article:
    """``article`` with every inline of type ``kind`` replaced by its plain text."""
    data = article.model_dump()

    def visit(value: Any) -> Any:
        if isinstance(value, (list, tuple)):  # model_dump() keeps the model's tuples
            out: list[Any] = []
            for item in value:
                if isinstance(item, dict) and item.get("type") == kind.model_fields["type"].default:
                    text = "".join(n.text for n in walk(kind.model_validate(item)) if isinstance(n, Text)) or "x"
                    out.append({"type": "text", "text": text})
                else:
                    out.append(visit(item))
            return out
        if isinstance(value, dict):
            return {k: visit(v) for k, v in value.items()}
        return value

    return Article.model_validate(visit(data))


def claims(document: Article | Book) -> dict[str, list[str]]:
    return metas(package(document))


def test_each_claim_disappears_with_its_feature(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    full = claims(article)
    summary = full["schema:accessibilitySummary"][0]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "displayTransformability"} == set(
        full["schema:accessibilityFeature"]
    )
    assert "glossary" in summary and "Headings" in summary and "image" in summary
    # the shipped article lists its sources but cites none in the text: no claim of citation links
    assert not [n for n in walk(article) if isinstance(n, Cite)]
    assert "Citations are linked" not in summary and "sources are listed" in summary
    # no sections: no structural navigation, no sentence on headings
    flat = claims(strip_blocks(article, Section))
    assert "structuralNavigation" not in flat["schema:accessibilityFeature"]
    assert "Headings" not in flat["schema:accessibilitySummary"][0]
    # no figures: no alternative text, no visual access mode
    plain = claims(strip_blocks(article, Figure))
    assert "alternativeText" not in plain["schema:accessibilityFeature"]
    assert plain["schema:accessMode"] == ["textual"] and "image" not in plain["schema:accessibilitySummary"][0]
    # no terms: no glossary sentence
    unmarked = unlink_inlines(article, Term)
    assert not [n for n in walk(unmarked) if isinstance(n, Term)]
    assert "glossary" not in claims(unmarked)["schema:accessibilitySummary"][0]
    # no sources at all: neither sentence
    unsourced = claims(article.model_copy(update={"references": ()}))["schema:accessibilitySummary"][0]
    assert "sources" not in unsourced and "Citations" not in unsourced


def test_citation_links_are_claimed_only_when_there_are_some(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    key = article.references[0].id
    cited = article.model_copy(update={"blocks": (*article.blocks, Paragraph(children=[Text(text="See "), Cite(refs=[key])]))})
    cited = Article.model_validate(cited.model_dump())
    summary = claims(cited)["schema:accessibilitySummary"][0]
    assert "Citations are linked to the list of sources" in summary
    # and the claim is true: the e-book has a link from the text to the sources
    pkg = package(cited)
    chapter = reader.xml(pkg.archive, "EPUB/chapter-1.xhtml")
    assert [a for a in chapter.iter("{http://www.w3.org/1999/xhtml}a") if (a.get("href") or "").startswith("sources.xhtml#")]


def test_a_certifier_only_when_the_settings_name_one(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    found = claims(article)
    assert not {"a11y:certifiedBy", "a11y:certifierCredential"} & set(found)
    assert "no independent certifier" in found["schema:accessibilitySummary"][0]
    certification = Certification(certified_by="Accessible Books Lab", credential="Certified Accessible", report="https://example.org/r/1")
    publisher = article.publisher.model_copy(update={"accessibility_certification": certification})
    pkg = package(article.model_copy(update={"publisher": publisher}))
    found = metas(pkg)
    assert found["a11y:certifiedBy"] == ["Accessible Books Lab"]
    assert found["a11y:certifierCredential"] == ["Certified Accessible"]
    (link,) = pkg.root.iterfind("opf:metadata/opf:link[@rel='a11y:certifierReport']", NS)
    assert link.get("href") == "https://example.org/r/1" and link.get("refines") == "#certifier"
    assert "certified by Accessible Books Lab" in found["schema:accessibilitySummary"][0]


def test_german_claims_are_german(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID].model_copy(update={"lang": "de"})
    summary = claims(article)["schema:accessibilitySummary"][0]
    assert summary.startswith("Diese Publikation erfüllt") and "Überschriften" in summary


def test_certification_loads_from_the_settings(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = tmp_path / "corpus" / "healthinfo.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        "    email: gi-kontakt@iqwig.de\n",
        "    email: gi-kontakt@iqwig.de\n    accessibility_certification:\n      certified_by: Accessible Books Lab\n"
        "      report: https://example.org/r/1\n",
    )
    assert "accessibility_certification" in text
    settings.write_text(text, encoding="utf-8")
    loaded = healthinfo.load_corpus(tmp_path / "corpus")
    certification = loaded.books[BOOK_ID].publisher.accessibility_certification
    assert certification is not None and certification.certified_by == "Accessible Books Lab"
    assert metas(package(loaded.books[BOOK_ID]))["a11y:certifiedBy"] == ["Accessible Books Lab"]


# ---------------------------------------------------------------------------
# calibre: what a library shows, and the pages of an e-reader


@pytest.fixture(scope="module")
def shipped(corpus: healthinfo.Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("store")
    out = {}
    for name, document in (("article", corpus.articles[ARTICLE_ID]), ("book", corpus.books[BOOK_ID]),
                           ("brochure", corpus.books[BROCHURE_ID])):
        out[name] = folder / f"{name}.epub"
        out[name].write_bytes(render(document, "epub").data)
    return out


@pytest.mark.parametrize("name", ["article", "book", "brochure"])
def test_calibre_shows_the_store_metadata(shipped: dict[str, Path], corpus: healthinfo.Corpus, name: str, tmp_path: Path) -> None:
    document = {"article": corpus.articles[ARTICLE_ID], "book": corpus.books[BOOK_ID], "brochure": corpus.books[BROCHURE_ID]}[name]
    shown = calibre.metadata(shipped[name], tmp_path)
    article = corpus.articles[ARTICLE_ID]
    expected_title = {
        "article": f"{article.topic}: {article.title}",
        "book": f"{document.title}: {getattr(document, 'subtitle', '')}",
        "brochure": document.title,
    }[name]
    assert shown.fields["Title"] == expected_title
    assert shown.fields["Author(s)"].startswith(document.publisher.name)
    assert "Unknown" not in shown.fields["Author(s)"]
    assert shown.fields["Publisher"] == document.publisher.name
    assert shown.fields["Languages"] == "eng"
    assert shown.fields["Comments"] == article.description
    assert shown.cover is not None
    assert PILImage.open(io.BytesIO(shown.cover)).size == (1563, 2500)


@pytest.mark.parametrize("name", ["article", "book"])
def test_calibre_lays_the_pages_out_right(shipped: dict[str, Path], corpus: healthinfo.Corpus, name: str, tmp_path: Path) -> None:
    pdf = calibre.to_pdf(shipped[name], tmp_path)
    placed = calibre.images(pdf)
    pages = calibre.pages_text(pdf)
    covers = [i for i in placed if (i.width, i.height) == (1563, 2500)]
    # one cover, on the first page, and nothing else on it
    assert [c.page for c in covers] == [1], placed
    assert not pages[0].strip()
    # no blank page: every page shows text or an image
    with_images = {i.page for i in placed}
    blank = [n for n, text in enumerate(pages, start=1) if not text.strip() and n not in with_images]
    assert not blank, f"blank pages {blank} of {len(pages)}"
    # the figure at its own ratio (the same resolution across and down), with its caption on its page
    article = corpus.articles[ARTICLE_ID]
    (figure,) = [n for n in walk(article) if isinstance(n, Figure)]
    (drawn,) = [i for i in placed if (i.width, i.height) == (figure.image.width, figure.image.height)]
    assert abs(drawn.x_ppi - drawn.y_ppi) <= 1, drawn
    caption = " ".join("".join(t.text for t in walk(figure.caption) if isinstance(t, Text)).split())
    assert caption[:30] in " ".join(pages[drawn.page - 1].split())
