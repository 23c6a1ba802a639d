"""The fixed words and the language rules every format shares (healthinfo.exporters._i18n),
and what they are for: a German article, in every registered format and on the site,
shows no English fixed word.

The German check reads ALL the text of each output (text nodes and attribute values,
every XML member of a zip: package metadata, navigation, title page, docProps) and
looks for the English words of the table whose German differs, and for the English
month names. The English words a format writes at all are found by rendering the same
documents as English; their German words must then appear.
"""

from __future__ import annotations

import json
import re
import shutil
import string
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import NamedTuple

import lxml.html
import pytest
from lxml import etree

import healthinfo
from healthinfo.exporters import formats, get, get_target, render
from healthinfo.exporters._i18n import (
    KEYS,
    LANGUAGES,
    MONTHS,
    WORDS,
    base_language,
    direction,
    is_rtl,
    note_label,
    table_language,
    word,
    words,
)
from healthinfo.schema import Article, Book, Corpus, Note, NoteKind, walk

from .conftest import ROOT

SOURCE_DATE_EPOCH = 1_700_000_000


# ---------------------------------------------------------------- the table


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_table_has_every_key_and_no_other(lang: str) -> None:
    assert set(WORDS[lang]) == set(KEYS)
    assert set(KEYS) == set(WORDS["en"])
    empty = [key for key, value in WORDS[lang].items() if not value.strip()]
    assert not empty, f"{lang}: empty words {empty}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_word_has_the_placeholders_of_english(lang: str) -> None:
    differ = {key: placeholders(WORDS[lang][key]) for key in KEYS if placeholders(WORDS[lang][key]) != placeholders(WORDS["en"][key])}
    assert not differ, f"{lang}: placeholders differ from English: {differ}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_twelve_month_names(lang: str) -> None:
    assert set(MONTHS) == set(WORDS)
    names = MONTHS[lang]
    assert len(names) == 12 and len(set(names)) == 12 and all(n.strip() for n in names)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_callout_kind_has_a_label(lang: str) -> None:
    for kind in NoteKind:
        assert note_label(kind, lang) == WORDS[lang][kind.value]


# ---------------------------------------------------------------- the language rule


@pytest.mark.parametrize(
    ("tag", "base", "table"),
    [
        ("en", "en", "en"),
        ("de", "de", "de"),
        ("de-CH", "de", "de"),
        ("DE-at", "de", "de"),
        ("fr-CA", "fr", "fr"),
        ("es-419", "es", "es"),
        ("pt-BR", "pt", "en"),
        ("ar-EG", "ar", "en"),
        ("zh-Hant-TW", "zh", "en"),
        ("de-CH-u-co-phonebk", "de", "de"),
        ("x-private", "x", "en"),
    ],
)
def test_base_and_table_language(tag: str, base: str, table: str) -> None:
    assert base_language(tag) == base
    assert table_language(tag) == table
    assert words(tag) is WORDS[table]
    assert word("glossary", tag) == WORDS[table]["glossary"]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa", "rtl"),
        ("ur", "rtl"),
        ("ar-EG", "rtl"),
        ("AR-eg", "rtl"),
        ("az", "ltr"),  # Azerbaijani: Latin script unless the tag says otherwise
        ("az-Arab", "rtl"),
        ("az-ARAB-IR", "rtl"),
        ("ku", "ltr"),  # Kurdish: most often written in Latin script (CLDR)
        ("ku-Arab", "rtl"),
        ("ckb", "rtl"),
        ("sd", "rtl"),
        ("sd-Deva", "ltr"),
        ("sr-Latn-RS", "ltr"),
        ("en", "ltr"),
        ("de-CH", "ltr"),
        # An extension is not a script: "arab" here is a numbering system, "latn" too.
        ("en-u-nu-arab", "ltr"),
        ("ar-u-nu-latn", "rtl"),
        ("de-CH-x-arab", "ltr"),
    ],
)
def test_direction(tag: str, expected: str) -> None:
    assert direction(tag) == expected
    assert is_rtl(tag) is (expected == "rtl")


# ---------------------------------------------------------------- a German corpus

ARTICLE_ID = "fatigue-bei-krebs"
BOOK_ID = "fatigue-buch"

# German text throughout; it avoids the German words that look like the English fixed
# words ("also") and the German fixed words themselves ("auch", "Hinweis",
# "Gesundheitsinformation"), so that only the exporters write them.
GERMAN_ARTICLE = """\
---
title: "Erschöpfung bei Krebs: Was hilft?"
topic: Krebs
description: Viele Menschen mit Krebs sind dauerhaft erschöpft. Dieser Text erklärt, was dagegen hilft.
lang: de
publisher: igi
authors:
  - {name: Anna Beispiel, affiliation: Institut für Patientenwissen}
reviewers:
  - {name: Bernd Prüfer, affiliation: Universität Köln}
published: 2023-03-15
updated: 2024-05-02
next_update: 2026-10-01
keywords: [Krebs, Erschöpfung]
url: https://www.example.org/fatigue-bei-krebs
sources: [mueller2019, krebsinfo2024]
back: [ueber-uns]
---

:::{figure} images/square.png
:alt: Ein rotes Quadrat
:credit: Bild: Beispielverlag
:id: quadrat
Ein rotes Quadrat als Beispielbild
:::

Viele Menschen mit Krebs sind dauerhaft erschöpft. Diese {term}`Fatigue <fatigue>` kann
die Lebensqualität stark mindern {cite}`mueller2019`.

## Was ist Fatigue? {#was-ist-fatigue aspect=Overview}

Bei einer {term}`Fatigue <fatigue>` hilft Schlaf kaum. Die Ursachen sind vielfältig
{cite}`krebsinfo2024`.

:::{note}
:region: DE
In Deutschland zahlen die Krankenkassen viele Angebote zur Unterstützung.
:::

:::{warning}
Setzen Sie Medikamente nie ohne ärztlichen Rat ab.
:::

:::{tip}
Kurze Spaziergänge tun vielen Betroffenen gut.
:::

:::{important}
Sprechen Sie mit Ihrem Behandlungsteam über die Erschöpfung.
:::

:::{caution}
Manche Mittel aus dem Internet sind teuer und wirkungslos.
:::

## Was hilft? {#was-hilft aspect=Treatments}

| Maßnahme | Wirkung |
|:---------|--------:|
| Bewegung | gut belegt |
| Beratung | hilfreich |

- Ausdauertraining
- Entspannungsverfahren
"""

GERMAN_FILES = {
    "healthinfo.yaml": """\
name: Beispielbibliothek Gesundheit
lang: de
rights: "© Institut für Patientenwissen"
license: https://creativecommons.org/licenses/by/4.0/
publishers:
  - id: igi
    name: Institut für Patientenwissen
    short_name: IPW
    country: DE
    url: https://www.example.org
    email: kontakt@example.org
    address: Musterstraße 1, 50667 Köln
""",
    "glossary.yaml": """\
fatigue:
  term: Fatigue
  definition: Eine starke körperliche und seelische Erschöpfung, die durch Ruhe nicht vergeht.
  synonyms: [tumorbedingte Erschöpfung]
""",
    "references.yaml": """\
- id: mueller2019
  type: chapter
  author: [{family: Müller, given: Anna}]
  editor: [{family: Schmidt, given: Bernd}, {family: Weber, given: Clara}]
  title: Erschöpfung bei Krebserkrankungen
  container-title: Handbuch der Psychoonkologie
  publisher: Beispielverlag
  publisher-place: Berlin
  issued: 2019
  page: 12-34
  language: de
- id: krebsinfo2024
  type: webpage
  author: [{literal: Krebsinformationsdienst}]
  title: Fatigue bei Krebs
  URL: https://www.example.org/fatigue
  issued: 2024
  language: de
""",
    "blocks/ueber-uns.md": """\
---
title: Über unsere Texte
---
Unsere Texte ersetzen kein Gespräch mit einer Ärztin oder einem Arzt.
""",
    f"articles/{ARTICLE_ID}.md": GERMAN_ARTICLE,
    f"books/{BOOK_ID}.yaml": f"""\
title: Leben mit Fatigue
identifier: urn:uuid:3f0c6a52-8e0a-5b8e-9a61-2f7b1f0d1c11
lang: de
publisher: igi
profile: ebook
cover: images/square.png
articles: [{ARTICLE_ID}]
""",
}


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    folder = tmp_path_factory.mktemp("german")
    for name, text in GERMAN_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "images").mkdir()
    shutil.copy(ROOT / "tests" / "data" / "minimal" / "images" / "square.png", folder / "images" / "square.png")
    return healthinfo.load_corpus(folder)


def as_english(corpus: Corpus) -> Corpus:
    """The same corpus with every language tag English: what the exporters write then
    are the English fixed words (the content itself is German)."""

    def article(a: Article) -> Article:
        return a.model_copy(update={"lang": "en"})

    books = {key: b.model_copy(update={"lang": "en", "articles": tuple(article(a) for a in b.articles)}) for key, b in corpus.books.items()}
    return corpus.model_copy(
        update={
            "settings": corpus.settings.model_copy(update={"lang": "en"}),
            "articles": {key: article(a) for key, a in corpus.articles.items()},
            "books": books,
        }
    )


class Case(NamedTuple):
    target: str  # a format name, or "site"
    document: str  # "article", "book" or "site"


CASES = [
    *(Case(name, "article") for name in formats()),
    *(Case(name, "book") for name in formats() if get(name).accepts_books),
    Case("site", "site"),
]


def outputs(corpus: Corpus, case: Case) -> dict[str, bytes]:
    """File name -> bytes of one case: the main file and its resources, or the site."""
    if case.target == "site":
        target = get_target("site")
        return target.render(corpus, target.make_options({"source_date_epoch": SOURCE_DATE_EPOCH}))
    document: Article | Book = corpus.articles[ARTICLE_ID] if case.document == "article" else corpus.books[BOOK_ID]
    made = render(document, case.target, source_date_epoch=SOURCE_DATE_EPOCH)
    return {f"{document.id}{get(case.target).extension}": made.data, **made.resources}


# ---------------------------------------------------------------- reading all the text


class Found(NamedTuple):
    where: str  # file, member, element and attribute
    text: str


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
XML_MEMBER = (".xml", ".rels", ".opf", ".xhtml", ".ncx", ".svg", ".html")


WORDPROCESSINGML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _machine_readable(element: etree._Element, attribute: str) -> bool:
    """Attribute values that are identifiers or values of a controlled vocabulary, not
    text for readers: WordprocessingML's own attributes (style ids, the names of the
    style sheet, enumerations, measures) and JATS's ``…-type`` attributes
    (person-group-type="editor" is the tag library's value, in English in every
    language)."""
    name = etree.QName(attribute)
    if name.namespace == WORDPROCESSINGML:
        return True
    return name.namespace is None and name.localname.endswith("-type") and etree.QName(element).namespace is None


def _json_values(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    """The strings of JSON-LD data, with where they are; not its keys and not its "@"
    keywords (schema.org's names are not text)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, list):
        for item in data:
            yield from _json_values(item, path)
    elif isinstance(data, dict):
        for key, value in data.items():
            if not key.startswith("@"):
                yield from _json_values(value, f"{path}.{key}")


def _element_texts(root: etree._Element, where: str) -> Iterator[Found]:
    for element in root.iter():
        if not isinstance(element.tag, str):  # a comment or processing instruction: its tail only
            if element.tail and element.tail.strip():
                yield Found(f"{where} (after a comment)", element.tail)
            continue
        tag = etree.QName(element).localname
        for name, value in element.attrib.items():
            attribute, text = str(name), str(value)  # lxml gives str; its stubs allow bytes
            if not _machine_readable(element, attribute):
                yield Found(f"{where} <{tag} {etree.QName(attribute).localname}=…>", text)
        if element.text and element.text.strip():
            if tag == "script" and element.get("type") == "application/ld+json":
                yield from (Found(f"{where} <script> JSON-LD {path}", value) for path, value in _json_values(json.loads(element.text)))
            else:
                text = CSS_COMMENT.sub(" ", element.text) if tag == "style" else element.text
                yield Found(f"{where} <{tag}>", text)
        if element.tail and element.tail.strip():
            yield Found(f"{where} after <{tag}>", element.tail)


def texts_of(name: str, data: bytes) -> Iterator[Found]:
    """Every text and attribute value of a file; a zip's members one by one."""
    if data.startswith(b"%PDF-"):
        # A PDF's text as its reader reads it (the structure tree's text: running heads
        # and page numbers are artifacts), and its document title.
        from healthinfo.exporters import get

        yield Found(name, get("pdf").read_text(data))
    elif data.startswith(b"PK\x03\x04"):
        archive = zipfile.ZipFile(BytesIO(data))
        for member in archive.namelist():
            yield from texts_of(f"{name}!{member}", archive.read(member))
    elif name.endswith(".css"):
        yield Found(name, CSS_COMMENT.sub(" ", data.decode("utf-8")))
    elif name.endswith(".html") and not data.lstrip().startswith(b"<?xml"):
        yield from _element_texts(lxml.html.document_fromstring(data), name)
    elif name.endswith(XML_MEMBER) or data.lstrip().startswith(b"<?xml"):
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        yield from _element_texts(etree.fromstring(data, parser), name)


# ---------------------------------------------------------------- the words to look for


class Phrase(NamedTuple):
    key: str
    text: str
    pattern: re.Pattern[str]


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def _fixed_parts(text: str) -> list[str]:
    """The fixed parts of a word with placeholders ("{publisher} health information")."""
    parts = (part.strip(" .,") for part in re.split(r"\{\w+\}", text))
    return [part for part in parts if len(part) > 1]


def phrases(lang: str) -> list[Phrase]:
    """The fixed words of ``lang`` whose German (or, for German, English) differs, as
    whole words or phrases; a word with placeholders as its fixed parts. The
    references' words are the CSL locale's (test_references.py)."""
    other = "de" if lang == "en" else "en"
    found: list[Phrase] = []
    for key in sorted(KEYS):
        mine, theirs = WORDS[lang][key], WORDS[other][key]
        if mine == theirs:
            continue
        parts, their_parts = _fixed_parts(mine), _fixed_parts(theirs)
        found += [Phrase(key, part, _pattern(part)) for part in parts if part not in their_parts]
    for number, (mine, theirs) in enumerate(zip(MONTHS[lang], MONTHS[other], strict=True)):
        if mine != theirs:
            found.append(Phrase(f"month {number + 1}", mine, _pattern(mine)))
    return found


def matches(corpus: Corpus, case: Case, lang: str) -> list[tuple[Phrase, Found]]:
    """Every fixed word of ``lang`` (its words that differ in the other language) in
    the output of ``case``."""
    looked_for = phrases(lang)
    hits = []
    for name, data in outputs(corpus, case).items():
        for found in texts_of(name, data):
            hits += [(phrase, found) for phrase in looked_for if phrase.pattern.search(found.text)]
    return hits


def excerpt(phrase: Phrase, found: Found) -> str:
    match = phrase.pattern.search(found.text)
    assert match is not None
    start = max(match.start() - 30, 0)
    return " ".join(found.text[start : match.end() + 30].split())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.target}-{c.document}" for c in CASES])
def test_german_output_has_no_english_fixed_word(german: Corpus, case: Case) -> None:
    leaks = matches(german, case, "en")
    report = [f"{phrase.text!r} ({phrase.key}) in {found.where}: …{excerpt(phrase, found)}…" for phrase, found in leaks]
    assert not report, f"{case.target} writes English fixed words in a German {case.document}:\n" + "\n".join(dict.fromkeys(report))


@pytest.mark.parametrize("case", CASES, ids=[f"{c.target}-{c.document}" for c in CASES])
def test_german_output_has_the_german_fixed_words(german: Corpus, case: Case) -> None:
    """Each fixed word a format writes in English (the same documents, tagged "en")
    is written in German in the German documents."""
    used = {phrase.key for phrase, _ in matches(as_english(german), case, "en")}
    assert used, "the English rendering shows no fixed word at all"
    present = {phrase.key for phrase, _ in matches(german, case, "de")}
    missing = sorted(used - present)
    shown = {key: WORDS["de"].get(key, key) for key in missing}
    assert not missing, f"{case.target} writes these fixed words in English but not in German: {shown}"


def test_the_german_corpus_has_what_the_check_needs(german: Corpus) -> None:
    """The German article holds every part that carries a fixed word."""
    article = german.articles[ARTICLE_ID]
    assert article.lang == "de" and german.settings.lang == "de" and german.books[BOOK_ID].cover is not None
    assert article.authors and article.reviewers and article.next_update and article.glossary
    kinds = {c.type for c in article.references}
    assert {"chapter", "webpage"} <= kinds
    chapter = next(c for c in article.references if c.type == "chapter")
    assert len(chapter.editor) == 2 and chapter.page
    body = article.model_dump_json()
    for node_type in ('"type":"note"', '"type":"figure"', '"type":"table"', '"type":"term"', '"type":"cite"'):
        assert node_type in body
    assert {node.kind for node in walk(article) if isinstance(node, Note)} == set(NoteKind)


@pytest.mark.parametrize(("tag", "expected"), [("ks", "rtl"), ("ku-Arab", "rtl"), ("ku", "ltr"), ("sd-Deva", "ltr"), ("ar", "rtl")])
def test_every_format_follows_the_one_direction_rule(tag: str, expected: str) -> None:
    """HTML's dir, EPUB's page-progression-direction and DOCX's right-to-left paragraphs
    come from the same rule (each format once had its own list of languages)."""
    article = healthinfo.load_corpus(ROOT / "corpus").articles["metastatic-breast-cancer-treatment"]
    article = article.model_copy(update={"lang": tag})
    page = lxml.html.document_fromstring(render(article, "html").data)
    assert page.get("dir", "ltr") == expected
    with zipfile.ZipFile(BytesIO(render(article, "epub").data)) as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert ('page-progression-direction="rtl"' in opf) is (expected == "rtl")
    with zipfile.ZipFile(BytesIO(render(article, "docx").data)) as docx:
        styles = docx.read("word/styles.xml").decode()
    assert ("<w:bidi/>" in styles or "<w:rtl/>" in styles) is (expected == "rtl")
