"""The ONIX 3.0 exporter (healthinfo.exporters.onix): every record is valid against the
official ONIX 3.0 reference XSD (lxml) and passes onixcheck's own validator; a record
and the EPUB of the same document agree, field by field and accessibility statement by
accessibility statement, each read independently (the OPF with lxml, the ONIX with
lxml) into one comparable form; the codes written are the code lists' own; the bytes
are the same twice.

The comparable form of the accessibility statements uses the ONIX code lists' labels
(read from the XSD): the OPF's schema.org values are put into those words by the table
below (:data:`ONIX_LABEL`), written here from the two vocabularies' definitions,
independently of the exporter's table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import pycountry
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

import healthinfo
from healthinfo.exporters import ExportError, ExportWarning, get
from healthinfo.exporters.onix import ACCESSIBILITY, language_code
from healthinfo.exporters.onix import codes as onix_codes
from healthinfo.schema import Article, Audience, Book, Certification, Figure, Person, Section, Series

from .conftest import CORPUS, ROOT
from .strategies import articles, books
from .validators import onix

ONIX = "{http://ns.editeur.org/onix/3.0/reference}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
SOURCE_DATE_EPOCH = 1_700_000_000

#: A certifier with a credential and a report.
CERTIFIER = Certification(certified_by="Example Accessibility Lab", credential="DAISY Ace Certified",
                          report="https://example.org/reports/42")


# ---------------------------------------------------------------- the documents


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


def without_figures(article: Article) -> Article:
    def keep(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(block for block in blocks if not isinstance(block, Figure))

    def section(s: Section) -> Section:
        return s.model_copy(update={"blocks": keep(s.blocks), "sections": tuple(section(c) for c in s.sections)})

    return article.model_copy(update={"blocks": keep(article.blocks), "sections": tuple(section(s) for s in article.sections)})


def certified(document: Article | Book, certification: Certification = CERTIFIER) -> Article | Book:
    return document.model_copy(update={"publisher": document.publisher.model_copy(
        update={"accessibility_certification": certification})})


def shapes(corpus: healthinfo.Corpus) -> dict[str, Article | Book]:
    """The shipped documents and the shapes the brief of the exporter names."""
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    book = corpus.books["metastatic-breast-cancer"]
    people = {"authors": [Person(name="Jane Doe")], "reviewers": [Person(name="John Roe")]}
    return {
        "article": article,
        "book": book,
        "brochure": corpus.books["metastatic-breast-cancer-brochure"],
        "german article": article.model_copy(update={"lang": "de-CH"}),
        "article without figures": without_figures(article),
        "article without sections": article.model_copy(update={"sections": ()}),
        "article without topic, with people and a licence": article.model_copy(update={
            "topic": None, "license": "https://creativecommons.org/licenses/by/4.0/", "description": None,
            "rights": None, **people}),
        "certified article": certified(article),
        "certified, credential a web address": certified(article, CERTIFIER.model_copy(
            update={"credential": "https://example.org/credential", "report": None})),
        "book with an ISBN, in a series": book.model_copy(update={
            "identifier": "urn:isbn:978-3-16-148410-0", "series": Series(title="Patient guides", position=3)}),
        "book with an ISBN-10, a series without number": book.model_copy(update={
            "identifier": "3-16-148410-X", "series": Series(title="Patient guides")}),
        "book with a DOI": book.model_copy(update={"identifier": "doi:10.1234/healthinfo.42"}),
        "book of two articles": book.model_copy(update={"articles": (
            article, without_figures(article).model_copy(update={"id": "second", "title": "Second", "lang": "de"}))}),
        "certified book": certified(book),
    }


@pytest.fixture(scope="module")
def documents(corpus: healthinfo.Corpus) -> dict[str, Article | Book]:
    return shapes(corpus)


def record(document: Article | Book) -> bytes:
    return healthinfo.export(document, "onix", source_date_epoch=SOURCE_DATE_EPOCH)


def ebook(document: Article | Book) -> bytes:
    return healthinfo.export(document, "epub", source_date_epoch=SOURCE_DATE_EPOCH)


# ---------------------------------------------------------------- valid ONIX


def test_the_registry_entry() -> None:
    exporter = get("onix")
    assert healthinfo.formats()[-2:] == ["pdf", "onix"]
    assert exporter.extension == ".onix.xml" and exporter.media_type == "application/xml"
    assert exporter.accepts_books and not exporter.holds_text


@pytest.mark.parametrize("name", list(shapes(healthinfo.load_corpus(CORPUS))))
def test_every_record_is_valid_onix(documents: dict[str, Article | Book], name: str) -> None:
    data = record(documents[name])
    assert onix.problems(data) == []
    assert onix.onixcheck_problems(data) == []
    root = etree.fromstring(data)
    assert root.tag == f"{ONIX}ONIXMessage" and root.get("release") == "3.0"
    assert len(root.findall(f"{ONIX}Product")) == 1


def test_onixcheck_finds_a_broken_record(documents: dict[str, Article | Book]) -> None:
    """The validators are not a no-op: a record without its NotificationType fails both."""
    broken = re.sub(rb"\s*<NotificationType>03</NotificationType>", b"", record(documents["article"]))
    assert onix.problems(broken) and onix.onixcheck_problems(broken)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article=articles())
def test_generated_articles_give_valid_records(article: Article) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)  # a keyword holding ";" is warned about
        data = record(article)
    assert onix.problems(data) == []
    assert_agrees(article, data)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=books())
def test_generated_books_give_valid_records(book: Book) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExportWarning)
        data = record(book)
    assert onix.problems(data) == []
    assert_agrees(book, data)


# ---------------------------------------------------------------- ONIX and OPF agree


def opf_of(epub: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(epub)) as package:
        return etree.fromstring(package.read("EPUB/content.opf"))


def refinements(metadata: etree._Element) -> dict[tuple[str, str], str]:
    """(id, property) -> value of every <meta refines>."""
    return {(str(m.get("refines", "")).lstrip("#"), str(m.get("property"))): m.text or ""
            for m in metadata.iter(f"{OPF}meta") if m.get("refines")}


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


#: A schema.org accessibility value as the ONIX code lists say it (list 196, 143 or
#: 81), from the definitions of both (https://www.w3.org/2021/a11y-discov-vocab/latest/
#: and the lists' notes). tableOfContents is 11, which asks for direct access to the
#: figures and tables too: the navigation document lists them (tests/test_epub.py).
ONIX_LABEL: dict[tuple[str, str], tuple[str, ...]] = {
    ("schema:accessMode", "textual"): ("Text",),
    ("schema:accessMode", "visual"): ("Still images / graphics",),
    ("schema:accessModeSufficient", "textual"): ("All non-decorative content supports reading without sight",),
    ("schema:accessModeSufficient", "textual,visual"): (),
    ("schema:accessibilityFeature", "tableOfContents"): ("Table of contents navigation",),
    ("schema:accessibilityFeature", "readingOrder"): ("Single logical reading order",),
    ("schema:accessibilityFeature", "alternativeText"): ("Short alternative textual descriptions",),
    ("schema:accessibilityFeature", "structuralNavigation"): ("Next / Previous structural navigation",),
    ("schema:accessibilityFeature", "displayTransformability"): ("Appearance of all textual content can be modified",),
    ("schema:accessibilityFeature", "pageNavigation"): ("Page list navigation",),
    ("schema:accessibilityHazard", "none"): ("No flashing hazard warning necessary", "No sound hazard warning necessary",
                                             "No motion simulation hazard warning necessary"),
}
CONFORMANCE = {"EPUB Accessibility 1.1": "EPUB Accessibility Specification 1.1", "WCAG 2.0": "WCAG v2.0",
               "WCAG 2.1": "WCAG v2.1", "WCAG 2.2": "WCAG v2.2", "A": "WCAG level A", "AA": "WCAG level AA",
               "AAA": "WCAG level AAA"}


def opf_accessibility(metadata: etree._Element) -> set[tuple[str, str]]:
    """The package document's accessibility statements, in the ONIX lists' words:
    (label, the text it carries or "")."""
    found: set[tuple[str, str]] = set()
    for meta in metadata.iter(f"{OPF}meta"):
        prop, value = str(meta.get("property")), meta.text or ""
        if (prop, value) in ONIX_LABEL:
            found |= {(label, "") for label in ONIX_LABEL[(prop, value)]}
        elif prop == "schema:accessibilitySummary":
            found.add(("Accessibility summary", one_line(value)))
        elif prop == "dcterms:conformsTo":
            spec, wcag, level = re.fullmatch(r"(.+?) - (WCAG [\d.]+) Level (A+)", value).groups()  # type: ignore[union-attr]
            found |= {(CONFORMANCE[spec], ""), (CONFORMANCE[wcag], ""), (CONFORMANCE[level], "")}
        elif prop == "a11y:certifiedBy":
            found.add(("Compliance certification by (name)", one_line(value)))
        elif prop == "a11y:certifierCredential":
            kind = "URL" if value.startswith("https://") else "name"
            found.add((f"Certifier credentialled by ({kind})", one_line(value)))
        elif prop.startswith(("schema:access", "a11y:")):
            raise AssertionError(f"the test knows no ONIX words for {prop} {value!r}")
    for link in metadata.iter(f"{OPF}link"):
        if link.get("rel") == "a11y:certifierReport":
            found.add(("Compliance web page for detailed accessibility information", str(link.get("href"))))
    return found


def onix_accessibility(product: etree._Element) -> set[tuple[str, str]]:
    """The record's accessibility statements by the code lists' labels."""
    lists = {"09": onix.code_list(196), "12": onix.code_list(143)}
    found: set[tuple[str, str]] = set()
    for feature in product.iter(f"{ONIX}ProductFormFeature"):
        kind = feature.findtext(f"{ONIX}ProductFormFeatureType") or ""
        if kind in lists:
            label = lists[kind][feature.findtext(f"{ONIX}ProductFormFeatureValue") or ""]
            found.add((label, one_line(feature.findtext(f"{ONIX}ProductFormFeatureDescription"))))
    for tag in ("PrimaryContentType", "ProductContentType"):
        found |= {(onix.code_list(81)[e.text or ""], "") for e in product.iter(f"{ONIX}{tag}")}
    return found


def opf_facts(epub: bytes) -> dict[str, Any]:
    """The package document's metadata, in one comparable form."""
    metadata = opf_of(epub).find(f"{OPF}metadata")
    assert metadata is not None
    refined = refinements(metadata)

    def titled(kind: str) -> str:
        return next((one_line(t.text) for t in metadata.iter(f"{DC}title") if refined.get((t.get("id", ""), "title-type")) == kind), "")

    people = [(one_line(p.text), refined[(p.get("id", ""), "role")], (p.get("id", ""), "file-as") in refined)
              for p in metadata if etree.QName(p).localname in ("creator", "contributor")]
    metas = {str(m.get("property")): m.text or "" for m in metadata.iter(f"{OPF}meta") if not m.get("refines")}
    series = next((m for m in metadata.iter(f"{OPF}meta") if m.get("property") == "belongs-to-collection"), None)
    return {
        "identifier": one_line(metadata.findtext(f"{DC}identifier")),
        "title": titled("main"), "subtitle": titled("subtitle"),
        "contributors": people,
        "languages": [language.text for language in metadata.iter(f"{DC}language")],
        "publisher": one_line(metadata.findtext(f"{DC}publisher")),
        "date": metadata.findtext(f"{DC}date"),
        "modified": metas["dcterms:modified"],
        "description": one_line(metadata.findtext(f"{DC}description")),
        "subjects": "; ".join(one_line(s.text) for s in metadata.iter(f"{DC}subject")),
        "rights": one_line(metadata.findtext(f"{DC}rights")),
        "license": metas.get("dcterms:license", ""),
        "series": None if series is None else (one_line(series.text), refined.get((series.get("id", ""), "group-position"))),
        "accessibility": opf_accessibility(metadata),
    }


#: ONIX list 17 role -> the MARC relator the EPUB writes (aut: author, rev: reviewer).
RELATOR = {"A01": "aut", "B20": "rev"}


def iso(date: str | None, moment: bool = False) -> str:
    """An ONIX date (YYYYMMDD, or YYYYMMDDTHHMMSSZ) as the OPF writes it."""
    value = date or ""
    if moment:
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ")
    return dt.datetime.strptime(value, "%Y%m%d").date().isoformat()


def onix_identifier(product: etree._Element) -> str:
    """The product identifier, as the OPF's dc:identifier would hold it (an ISBN as
    its 13 digits)."""
    identifier = product.find(f"{ONIX}ProductIdentifier")
    assert identifier is not None
    kind, value = identifier.findtext(f"{ONIX}ProductIDType"), identifier.findtext(f"{ONIX}IDValue") or ""
    return {"06": f"doi:{value}", "15": f"isbn:{value}"}.get(kind or "", value)


def onix_facts(data: bytes) -> dict[str, Any]:
    """The ONIX record's metadata, in the same form as :func:`opf_facts`."""
    root = etree.fromstring(data)
    product = root.find(f"{ONIX}Product")
    assert product is not None
    detail = product.find(f"{ONIX}DescriptiveDetail")
    assert detail is not None
    title = detail.find(f"{ONIX}TitleDetail/{ONIX}TitleElement")
    assert title is not None and title.findtext(f"{ONIX}TitleElementLevel") == "01"
    texts = {t.findtext(f"{ONIX}TextType"): one_line(t.findtext(f"{ONIX}Text"))
             for t in product.iter(f"{ONIX}TextContent")}
    collection = detail.find(f"{ONIX}Collection/{ONIX}TitleDetail/{ONIX}TitleElement")
    people = sorted(detail.findall(f"{ONIX}Contributor"), key=lambda c: int(c.findtext(f"{ONIX}SequenceNumber") or 0))
    codes = {c.findtext(f"{ONIX}LanguageCode") for c in detail.iter(f"{ONIX}Language")}
    return {
        "identifier": onix_identifier(product),
        "title": one_line(title.findtext(f"{ONIX}TitleText")), "subtitle": one_line(title.findtext(f"{ONIX}Subtitle")),
        "contributors": [(one_line(c.findtext(f"{ONIX}PersonName") or c.findtext(f"{ONIX}CorporateName")),
                          RELATOR[c.findtext(f"{ONIX}ContributorRole") or ""], c.find(f"{ONIX}CorporateName") is not None)
                         for c in people],
        "languages": codes,
        "publisher": one_line(product.findtext(f"{ONIX}PublishingDetail/{ONIX}Publisher/{ONIX}PublisherName")),
        "date": iso(product.findtext(f"{ONIX}PublishingDetail/{ONIX}PublishingDate/{ONIX}Date")),
        "modified": iso(root.findtext(f"{ONIX}Header/{ONIX}SentDateTime"), moment=True),
        "description": texts.get("03", ""),
        "subjects": one_line(detail.findtext(f"{ONIX}Subject/{ONIX}SubjectHeadingText")),
        "rights": texts.get("13", ""),
        "license": detail.findtext(f"{ONIX}EpubLicense/{ONIX}EpubLicenseExpression/{ONIX}EpubLicenseExpressionLink") or "",
        "series": None if collection is None else (one_line(collection.findtext(f"{ONIX}TitleText")),
                                                   collection.findtext(f"{ONIX}PartNumber")),
        "accessibility": onix_accessibility(product),
    }


def comparable_opf(document: Article | Book) -> dict[str, Any]:
    """The OPF's facts with what ONIX writes otherwise: ISO 639-2/B language codes (each
    once) and an ISBN as its digits."""
    facts = opf_facts(ebook(document))
    facts["languages"] = {language_code(tag) for tag in facts["languages"]}
    digits = re.sub(r"[^0-9X]", "", facts["identifier"].split(":")[-1].upper())
    if re.fullmatch(r"(urn:)?isbn:.*|[0-9].*", facts["identifier"].lower()):
        facts["identifier"] = "isbn:" + (digits if len(digits) == 13 else isbn13_of(digits))
    return facts


def isbn13_of(isbn10: str) -> str:
    body = "978" + isbn10[:9]
    return body + str((10 - sum((1 if i % 2 == 0 else 3) * int(d) for i, d in enumerate(body)) % 10) % 10)


def assert_agrees(document: Article | Book, data: bytes) -> None:
    expected, found = comparable_opf(document), onix_facts(data)
    differing = {key: (expected[key], found[key]) for key in expected if expected[key] != found[key]}
    assert not differing, differing


@pytest.mark.parametrize("name", list(shapes(healthinfo.load_corpus(CORPUS))))
def test_the_record_agrees_with_the_ebook(documents: dict[str, Article | Book], name: str) -> None:
    assert_agrees(documents[name], record(documents[name]))


def statements(document: Article | Book) -> set[str]:
    return {label for label, _ in onix_facts(record(document))["accessibility"]}


def test_a_claim_that_goes_from_the_ebook_goes_from_the_record(documents: dict[str, Article | Book]) -> None:
    """Without figures: no alternative text, no still images; without sections: no
    structural navigation; without a certifier: no certification."""
    everything = statements(documents["article"])
    assert {"Short alternative textual descriptions", "Still images / graphics",
            "Next / Previous structural navigation"} <= everything
    gone = everything - statements(documents["article without figures"])
    assert gone == {"Short alternative textual descriptions", "Still images / graphics"}
    assert everything - statements(documents["article without sections"]) == {"Next / Previous structural navigation"}
    certification = statements(documents["certified article"]) - everything
    assert certification == {"Compliance certification by (name)", "Certifier credentialled by (name)",
                             "Compliance web page for detailed accessibility information"}
    # the navigation lists the figures and tables too, so code 11 holds for every e-book
    assert "Table of contents navigation" in everything
    assert "Table of contents navigation" in statements(documents["article without figures"])


def test_images_without_alt_text_claim_neither_alt_text_nor_reading_without_sight(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles["metastatic-breast-cancer-treatment"]
    figure = article.blocks[0]
    assert isinstance(figure, Figure)
    blind = article.model_copy(update={"blocks": (figure.model_copy(update={"alt": ""}), *article.blocks[1:])})
    found = statements(blind)
    assert "Short alternative textual descriptions" not in found
    assert "All non-decorative content supports reading without sight" not in found
    assert_agrees(blind, record(blind))


# ---------------------------------------------------------------- the record itself


def product_of(data: bytes) -> etree._Element:
    product = etree.fromstring(data).find(f"{ONIX}Product")
    assert product is not None
    return product


def test_identifiers(documents: dict[str, Article | Book]) -> None:
    def identifier(name: str) -> tuple[str | None, str | None]:
        found = product_of(record(documents[name])).find(f"{ONIX}ProductIdentifier")
        assert found is not None
        return found.findtext(f"{ONIX}ProductIDType"), found.findtext(f"{ONIX}IDValue")

    assert identifier("book") == ("22", "urn:uuid:7a972f8a-56fa-5d1c-9d16-efbbcf856198")
    assert identifier("book with an ISBN, in a series") == ("15", "9783161484100")
    assert identifier("book with an ISBN-10, a series without number") == ("15", "9783161484100")
    assert identifier("book with a DOI") == ("06", "10.1234/healthinfo.42")
    book = documents["book"]
    assert isinstance(book, Book)
    assert product_of(record(book)).findtext(f"{ONIX}RecordReference") == book.identifier


def test_a_book_lists_its_articles_as_content_items(documents: dict[str, Article | Book]) -> None:
    items = product_of(record(documents["book of two articles"])).findall(f"{ONIX}ContentDetail/{ONIX}ContentItem")
    titles = [item.findtext(f"{ONIX}TitleDetail/{ONIX}TitleElement/{ONIX}TitleText") for item in items]
    assert titles == ["Treatment options and supportive care", "Second"]
    assert product_of(record(documents["article"])).find(f"{ONIX}ContentDetail") is None
    languages = product_of(record(documents["book of two articles"])).iter(f"{ONIX}LanguageCode")
    assert [code.text for code in languages] == ["eng", "ger"]


def test_roles_audience_and_people(documents: dict[str, Article | Book]) -> None:
    product = product_of(record(documents["article without topic, with people and a licence"]))
    roles = [(c.findtext(f"{ONIX}ContributorRole"), c.findtext(f"{ONIX}PersonName")) for c in product.iter(f"{ONIX}Contributor")]
    assert roles == [("A01", "Jane Doe"), ("B20", "John Roe")]
    assert product.findtext(f".//{ONIX}Audience/{ONIX}AudienceCodeValue") == "01"
    assert product.find(f"{ONIX}CollateralDetail") is None  # no description, no rights
    professionals = documents["article"].model_copy(update={"audience": Audience.professionals})
    assert product_of(record(professionals)).findtext(f".//{ONIX}Audience/{ONIX}AudienceCodeValue") == "06"


def test_language_codes_are_list_74s() -> None:
    assert [language_code(tag) for tag in ("en", "de", "de-CH", "fr", "es", "ar", "zh-Hant")] == [
        "eng", "ger", "ger", "fre", "spa", "ara", "chi"]
    assert language_code("qqq") is None
    list_74 = onix.code_list(74)
    missing = {lang.alpha_2: language_code(lang.alpha_2) for lang in pycountry.languages
               if hasattr(lang, "alpha_2") and language_code(lang.alpha_2) not in list_74}
    # Serbo-Croatian is in ISO 639-1 but not in ISO 639-2, nor in list 74
    # (docs/exporters/onix.md, "Not written"): the one language of ISO 639-1 without.
    assert missing == {"sh": "hbs"}, f"codes pycountry gives that list 74 does not have: {missing}"


def test_an_unknown_language_is_warned_about_and_left_out(documents: dict[str, Article | Book]) -> None:
    article = documents["article"].model_copy(update={"lang": "qqq"})
    with pytest.warns(ExportWarning, match="onix:language"):
        data = record(article)
    assert product_of(data).find(f".//{ONIX}Language") is None and onix.problems(data) == []


def test_a_keyword_holding_a_semicolon_is_warned_about(documents: dict[str, Article | Book]) -> None:
    article = documents["article"].model_copy(update={"keywords": ("one; two",)})
    with pytest.warns(ExportWarning, match="onix:keyword"):
        record(article)


def test_dates_onix_cannot_hold_are_an_error(documents: dict[str, Article | Book]) -> None:
    old = documents["article"].model_copy(update={"updated": dt.date(1850, 1, 1)})
    with pytest.raises(ExportError, match="between 1900 and 2999"):
        healthinfo.export(old, "onix")
    with pytest.raises(ExportError, match="between 1900 and 2999"):
        healthinfo.export(documents["article"], "onix", source_date_epoch=253_402_300_799)


def test_the_same_bytes_twice_and_the_moment_from_the_options(documents: dict[str, Article | Book]) -> None:
    for document in documents.values():
        assert record(document) == record(document)
    article = documents["article"]
    assert b"<SentDateTime>20240123T000000Z</SentDateTime>" in healthinfo.export(article, "onix")
    assert b"<SentDateTime>20231114T221320Z</SentDateTime>" in record(article)


# ---------------------------------------------------------------- the codes are the lists'


def table_codes() -> Iterator[tuple[str, str, str]]:
    for (prop, value), statement in ACCESSIBILITY.items():
        for code_list, code in statement.codes:
            yield f"{prop} {value}", code_list, code


@pytest.mark.parametrize(("statement", "code_list", "code"), list(table_codes()))
def test_every_code_of_the_table_is_in_its_list(statement: str, code_list: str, code: str) -> None:
    """Each code is in its list, and the table's reason names it (with the list's label
    when the statement has one code)."""
    label = onix.code_list(int(code_list))[code]
    entry = next(s for (p, v), s in ACCESSIBILITY.items() if f"{p} {v}" == statement)
    assert re.search(rf"\b{code}\b", entry.why), f"{statement}: the reason does not name {code}: {entry.why}"
    assert len(entry.codes) > 1 or label in entry.why, f"{statement}: the reason does not say {label!r}: {entry.why}"


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        (1, [onix_codes.NOTIFICATION_CONFIRMED]),
        (2, [onix_codes.COMPOSITION_SINGLE]),
        (5, [onix_codes.ID_PROPRIETARY, onix_codes.ID_DOI, onix_codes.ID_ISBN13, onix_codes.ID_URN]),
        (15, [onix_codes.TITLE_DISTINCTIVE]),
        (17, [*onix_codes.CONTRIBUTOR_ROLES.values(), onix_codes.OTHER_ROLE]),
        (22, [onix_codes.LANGUAGE_OF_TEXT]),
        (27, [onix_codes.SUBJECT_KEYWORDS]),
        (28, list(onix_codes.AUDIENCES.values())),
        (29, [onix_codes.AUDIENCE_ONIX]),
        (42, [onix_codes.TEXT_ITEM_BODY]),
        (45, [onix_codes.PUBLISHER]),
        (64, [onix_codes.PUBLISHING_STATUS_ACTIVE]),
        (73, [onix_codes.PUBLISHER_WEBSITE]),
        (79, [onix_codes.ACCESSIBILITY_DETAIL, onix_codes.HAZARD_WARNING, onix_codes.FORMAT_VERSION]),
        (144, [onix_codes.PROTECTION_NONE]),
        (148, [onix_codes.COLLECTION_PUBLISHER]),
        (149, [onix_codes.LEVEL_PRODUCT, onix_codes.LEVEL_COLLECTION, onix_codes.LEVEL_CONTENT_ITEM]),
        (150, [onix_codes.FORM_DIGITAL_DOWNLOAD]),
        (153, [onix_codes.TEXT_DESCRIPTION, onix_codes.TEXT_PUBLISHERS_NOTICE]),
        (154, [onix_codes.CONTENT_AUDIENCE_UNRESTRICTED]),
        (163, [onix_codes.PUBLICATION_DATE]),
        (175, [onix_codes.FORM_DETAIL_EPUB]),
        (218, [onix_codes.LICENSE_HUMAN_READABLE]),
        (220, [onix_codes.EPUB_VERSION]),
    ],
)
def test_every_constant_is_in_its_list(number: int, codes: list[str]) -> None:
    assert set(codes) <= set(onix.code_list(number))


def test_the_docs_show_the_whole_table() -> None:
    docs = (ROOT / "docs" / "exporters" / "onix.md").read_text(encoding="utf-8")
    for (prop, value), statement in ACCESSIBILITY.items():
        assert f"`{prop}`" in docs and (value in (onix_codes.ANY, onix_codes.URL) or f"`{value}`" in docs), (prop, value)
        for _, code in statement.codes:
            assert code in docs
