"""The HTML exporter: the real validators (vnu, axe-core in Chromium), the page
structure, print CSS, JSON-LD, escaping, determinism, template overrides and the site.

The validators come from scripts/setup-test-tools.sh; a missing one fails loudly
(tests/validators). The golden files of the pages are tests/test_golden.py's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from lxml import etree
from markupsafe import escape

import healthinfo
from healthinfo.csl.citations import citation_text
from healthinfo.exporters import ExportError, html, render
from healthinfo.exporters._i18n import word as label
from healthinfo.exporters._references import Citations
from healthinfo.exporters.html.text import FORBIDDEN
from healthinfo.exporters.site import render_site, topic_anchor
from healthinfo.schema import (
    Article,
    Book,
    Citation,
    Cite,
    CslDate,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Name,
    Note,
    NoteKind,
    Paragraph,
    Publisher,
    Quote,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
    walk,
)
from healthinfo.schema.publisher import Person

from .conftest import CORPUS
from .readers.html import text as reader_text
from .readers.html import tree
from .strategies import _PNGS, AWKWARD, articles, books
from .validators import axe, require, vnu

ARTICLE_ID = "metastatic-breast-cancer-treatment"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


# ---------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def seed(corpus: healthinfo.Corpus) -> Article:
    return corpus.articles[ARTICLE_ID]


@pytest.fixture(scope="module")
def pages(corpus: healthinfo.Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped article, both books and the site, written to a folder."""
    folder = tmp_path_factory.mktemp("html")
    out: dict[str, Path] = {}
    for name, document in [
        ("article", corpus.articles[ARTICLE_ID]),
        ("book", corpus.books["metastatic-breast-cancer"]),
        ("brochure", corpus.books["metastatic-breast-cancer-brochure"]),
        ("kitchen-sink", kitchen_sink()),
    ]:
        out[name] = folder / f"{name}.html"
        out[name].write_bytes(render(document, "html").data)
    for relative, data in render_site(corpus).items():
        path = folder / "site" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        out[f"site/{relative}"] = path
    return out


def collapse(value: str) -> str:
    return " ".join(value.split())


def parse(data: bytes) -> etree._Element:
    return tree(data)


def outline(data: bytes) -> list[tuple[int, str]]:
    """h1..h6 (level, text) in document order, as a sighted reader sees them (hidden
    helper text left out)."""
    root = parse(data)
    for hidden in root.xpath('//*[contains(concat(" ", @class, " "), " visually-hidden ")]'):
        hidden.drop_tree()
    return [(int(h.tag[1]), collapse(h.text_content())) for h in root.iter(*HEADINGS)]


def heading_text(inlines: Sequence[Any], numbers: Citations, in_link: bool = False) -> str:
    """What a heading made of ``inlines`` shows: citations as the style writes them; a
    link inside a link keeps its words and shows its address."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Cite):
            parts.append(citation_text(numbers.of(node)))
        elif isinstance(node, Link):
            parts.append(heading_text(node.children, numbers, True))
            if in_link:
                parts.append(f" ({node.href})")
        elif isinstance(node, Term):
            parts.append(heading_text(node.children, numbers, True))
        elif isinstance(node, (Emphasis, Strong, Span)):
            parts.append(heading_text(node.children, numbers, in_link))
    return "".join(parts)


def article_outline(article: Article, level: int = 1, back_matter: bool = True) -> list[tuple[int, str]]:
    """The heading outline the model implies: title, nested sections, then Glossary,
    Sources and the titled reusable back blocks (``back_matter``: an article's page;
    a book shows them once for all its articles)."""
    numbers = Citations(article)
    out = [(level, collapse(article.title))]

    def visit(section: Section, depth: int) -> None:
        out.append((min(level + 1 + depth, 6), collapse(heading_text(section.title, numbers))))
        for child in section.sections:
            visit(child, depth + 1)

    for section in article.sections:
        visit(section, 0)
    if back_matter:
        if article.glossary:
            out.append((level + 1, label("glossary", article.lang)))
        if article.references:
            out.append((level + 1, label("references", article.lang)))
        out += [(level + 1, collapse(b.title)) for b in article.back if b.title]
    return out


def book_outline(book: Book) -> list[tuple[int, str]]:
    """A book's outline: its title, Contents, the articles, then its back matter in the
    order of every format: Glossary, Sources (one list per article, headed by the
    article's title when there are several), the titled reusable blocks once each."""
    out = [(1, collapse(book.title)), (2, label("contents", book.lang))]
    back: list[Include] = []
    for article in book.articles:
        out += article_outline(article, level=2, back_matter=False)
        back += [b for b in article.back if b not in back]
    if any(a.glossary for a in book.articles):
        out.append((2, label("glossary", book.lang)))
    with_sources = [a for a in book.articles if a.references]
    if with_sources:
        out.append((2, label("references", book.lang)))
        if len(with_sources) > 1:
            out += [(3, collapse(a.title)) for a in with_sources]
    out += [(2, collapse(b.title)) for b in back if b.title]
    return out


def check_links_and_ids(data: bytes) -> None:
    """Ids are unique and every in-page link has a target."""
    root = parse(data)
    ids = root.xpath("//@id")
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {sorted(duplicates)[:5]}"
    targets = set(ids)
    for href in root.xpath("//a/@href"):
        if href.startswith("#"):
            assert href[1:] in targets, f"link {href} has no target"
    for ref in root.xpath("//@aria-labelledby"):
        for part in ref.split():
            assert part in targets, f"aria-labelledby {part} has no target"


def jsonld(data: bytes) -> dict[str, Any]:
    scripts = parse(data).xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)  # type: ignore[no-any-return]


PUBLISHER = Publisher(id="pub", name=AWKWARD[0], short_name=AWKWARD[1], url="https://example.org", email="a@example.org")


def kitchen_sink(lang: str = "en") -> Article:
    """Every node type, and an awkward string in every text slot."""
    w, h, _, png = _PNGS[0]
    image = Image(path="images/x.png", media_type="image/png", width=w, height=h, data=png)
    awk = [Text(text=s) for s in AWKWARD]
    para = Paragraph(
        children=[
            awk[0],
            Emphasis(children=[awk[1], Strong(children=[awk[2]])]),
            Link(href="https://example.org/?a=1&b=<2>", title=AWKWARD[1], children=[awk[3], Term(ref="t", children=[Text(text="in link")])]),
            Term(ref="t", children=[awk[4], Link(href="mailto:x@example.org", children=[Text(text="mail")]), Cite(refs=["k1"])]),
            Cite(refs=["k1", "k2"]),
            Span(lang="ar", children=[awk[9]]),
            LineBreak(),
            awk[5],
        ]
    )
    return Article(
        id="sink",
        title=AWKWARD[0] + " title",
        topic=AWKWARD[5],
        description=AWKWARD[1],
        lang=lang,
        authors=[Person(name=AWKWARD[0], affiliation=AWKWARD[6])],
        reviewers=[Person(name=AWKWARD[3])],
        publisher=PUBLISHER,
        published=dt.date(2020, 1, 2),
        updated=dt.date(2024, 1, 23),
        next_update=dt.date(2027, 5, 1),
        region="DE",
        keywords=[AWKWARD[0], AWKWARD[4]],
        url="https://example.org/sink",
        rights=AWKWARD[0],
        license="https://creativecommons.org/licenses/by/4.0/",
        blocks=[
            para,
            Figure(id="f1", image=image, alt=AWKWARD[1], caption=[awk[0]], credit=AWKWARD[3]),
            Note(kind=NoteKind.warning, title=AWKWARD[0], region="DE", blocks=[Paragraph(children=[awk[6]]), Note(blocks=[Paragraph(children=[awk[7]])])]),
            Note(blocks=[Paragraph(children=[awk[8]])]),
            Note(blocks=[Paragraph(children=[awk[10]])]),
        ],
        sections=[
            Section(
                id="s1",
                title=[awk[0], Cite(refs=["k2"])],
                blocks=[
                    List(ordered=True, start=3, items=[ListItem(blocks=[Paragraph(children=[awk[11]])]), ListItem(blocks=[Paragraph(children=[awk[12]]), List(items=[ListItem(blocks=[Paragraph(children=[awk[13]])])])])]),
                    Table(
                        id="t1",
                        caption=[awk[14]],
                        head=[TableRow(cells=[TableCell(children=[awk[0]]), TableCell()])],
                        body=[TableRow(cells=[TableCell(children=[awk[1]], align="right"), TableCell(children=[awk[2]], align="center")])],
                    ),
                    Quote(blocks=[Paragraph(children=[awk[3]])], attribution=AWKWARD[4]),
                    Quote(blocks=[Paragraph(children=[awk[5]])]),
                    Include(ref="disclaimer", title=AWKWARD[6], blocks=[Paragraph(children=[awk[7]])]),
                    Include(ref="plain", blocks=[Paragraph(children=[awk[8]])]),
                ],
                sections=[
                    Section(id="s2", title=[Strong(children=[awk[1]])], sections=[Section(id="s3", title=[awk[2]], blocks=[Paragraph(children=[awk[3]])])]),
                ],
            )
        ],
        back=[Include(ref="about", title=AWKWARD[6], blocks=[Paragraph(children=[awk[9]])])],
        references=[
            Citation(id="k1", type="article-journal", title=AWKWARD[0], container_title=AWKWARD[1], author=[Name(family=AWKWARD[2], given="AB")], issued=CslDate(date_parts=[[2014]]), volume="2", page="1-9", DOI="10.1000/<x>", PMID="123"),
            Citation(id="k2", type="report", title=AWKWARD[3], publisher=AWKWARD[4], URL="https://example.org/r?x=1&y=<2>", note=AWKWARD[5], language="de"),
        ],
        glossary={"t": GlossaryEntry(id="t", term=AWKWARD[0], definition=AWKWARD[1], synonyms=[AWKWARD[5]])},
    )


# ---------------------------------------------------------------------------
# Real validators


def test_vnu_shipped_pages(pages: dict[str, Path]) -> None:
    """vnu: 0 errors (HTML and embedded CSS) on the seed article, both books, the site
    and the kitchen-sink article."""
    problems = vnu.errors([page for page in pages.values() if page.suffix == ".html"])
    assert not problems, vnu.describe(problems)


def test_vnu_generated_articles(tmp_path: Path) -> None:
    """vnu: 0 errors on a sample of generated articles and books (one vnu run)."""
    files: list[Path] = []

    @settings(max_examples=15, derandomize=True, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(article=articles())
    def write_article(article: Article) -> None:
        path = tmp_path / f"article-{len(files)}.html"
        path.write_bytes(render(article, "html").data)
        files.append(path)

    @settings(max_examples=3, derandomize=True, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(book=books())
    def write_book(book: Book) -> None:
        path = tmp_path / f"book-{len(files)}.html"
        path.write_bytes(render(book, "html").data)
        files.append(path)

    write_article()
    write_book()
    assert len(files) >= 15
    problems = vnu.errors(files)
    assert not problems, vnu.describe(problems)


def test_axe_shipped_pages(pages: dict[str, Path]) -> None:
    """axe-core, default rule set (WCAG A/AA + best practices): 0 violations on the
    seed article, the book, the brochure and the site index."""
    files = [pages["article"], pages["book"], pages["brochure"], pages["site/index.html"]]
    results = axe.run(files)
    assert len(results) == len(files)
    assert all(not r.get("error") and not r["violations"] for r in results), axe.describe(results)
    assert all(not r.get("blockedRequests") for r in results), "a page tried to load something from the network"


def _print_pdf(page: Path, pdf: Path) -> None:
    chromium = require(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), "Chromium (Debian package chromium)")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, timeout=120, check=False,
    )
    assert pdf.exists(), "Chromium did not print the page"


def test_print_page_sizes_and_link_urls(pages: dict[str, Path], tmp_path: Path) -> None:
    """Printed by Chromium: the article on A4, the brochure on A5; external link
    addresses are printed after the link text; no skip link on paper."""
    pdfinfo = require("pdfinfo", "poppler-utils (pdfinfo)")
    pdftotext = require("pdftotext", "poppler-utils (pdftotext)")
    for name, size in [("article", "(A4)"), ("brochure", "(A5)")]:
        pdf = tmp_path / f"{name}.pdf"
        _print_pdf(pages[name], pdf)
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
        assert size in info, info
    printed = subprocess.run([pdftotext, str(tmp_path / "article.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "(https://www.informedhealth.org)" in collapse(printed)
    assert "Skip to content" not in printed
    assert "Treatment options and supportive care" in printed
    # Issue 19, the printed brochure: no web header ("IQWiG (https://…)" above the
    # title), no glossary backlinks, no internal identifier; Glossary before Sources.
    brochure = collapse(subprocess.run([pdftotext, str(tmp_path / "brochure.pdf"), "-"], capture_output=True, text=True,
                                       check=True).stdout)
    for text in (printed, brochure):
        assert "IQWiG (https://www.informedhealth.org)" not in collapse(text)
    assert label("back_to_text", "en") not in brochure and "urn:uuid" not in brochure
    assert brochure.startswith("Metastatic breast cancer: treatment options and supportive care")
    assert brochure.index("Glossary Diagnosis") < brochure.index("Sources 1. Danesh")


def _print_rules(css: str) -> str:
    """The rules of the stylesheet's @media print block (its braces matched)."""
    start = css.index("{", css.index("@media print")) + 1
    depth, at = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[at], 0)
        at += 1
    return css[start:at - 1]


def test_print_hides_web_chrome_and_numbers_contents() -> None:
    """Issue 19: on paper the site header (skip link, site name, breadcrumbs) and the
    glossary's backlinks are hidden, and the contents entries get their page numbers
    (CSS GCPM target-counter) — in the print rules only, so the screen is unchanged."""
    css = re.sub(r"/\*.*?\*/", "", html.templates.STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    rules = _print_rules(css)
    hidden = {selector.strip() for block in re.findall(r"([^{}]+)\{\s*display:\s*none;\s*\}", rules)
              for selector in block.split(",")}
    assert {".site-header", ".skip-link", ".site-menu", ".breadcrumb", ".glossary .backlinks"} <= hidden
    assert re.search(r'\.toc a\[href\^="#"\]::after \{[^}]*target-counter\(attr\(href url\), page\)', rules)
    assert css.count("target-counter") == rules.count("target-counter")


# ---------------------------------------------------------------------------
# Structure of the shipped article


def test_landmarks_and_headings(seed: Article) -> None:
    data = render(seed, "html").data
    root = parse(data)
    body = root.find("body")
    assert [child.tag for child in body] == ["header", "main", "footer"]
    assert root.get("lang") == "en"
    assert len(root.xpath("//main")) == 1 and len(root.xpath("//h1")) == 1
    assert outline(data) == article_outline(seed)
    sections = root.xpath("//main//section[h2]")
    assert [s.get("id") for s in sections if s.get("id", "").startswith("sec-")] == [
        f"sec-{s.id}" for s in seed.sections
    ]
    check_links_and_ids(data)


def test_seed_semantics(seed: Article) -> None:
    data = render(seed, "html").data
    root = parse(data)
    # the note: an aside named by its visible label
    (note,) = root.xpath("//aside[contains(@class, 'note')]")
    (name,) = root.xpath(f"//*[@id='{note.get('aria-labelledby')}']")
    assert collapse(name.text_content()) == "Note" and note.get("data-region") == "DE"
    # the figure
    (figure,) = root.xpath("//figure[img]")
    img = figure.find("img")
    assert img.get("alt") == "Photo of a woman receiving an infusion (IV drip)"
    assert img.get("src").startswith("data:image/png;base64,")
    assert "Receiving medication" in figure.find("figcaption").text_content()
    # German passages carry their language
    assert [s.text for s in root.xpath("//main//span[@lang='de']")] == [
        "Brustkrebszentren", "psychoonkologische Dienste", "psychosoziale Krebsberatungsstellen"
    ]
    # terms link to the glossary, which links back to every use
    terms = root.xpath("//a[@class='term']")
    assert [t.get("href") for t in terms] == ["#gloss-fatigue"] * 4 + ["#gloss-diagnosis"]
    assert [t.text_content() for t in terms] == ["fatigue"] * 4 + ["diagnosis"]
    (entry,) = root.xpath("//dl/div[@id='gloss-fatigue']")
    assert [a.get("href") for a in entry.xpath(".//dd[@class='backlinks']/a")] == [f"#{t.get('id')}" for t in terms[:4]]
    # the numbered reference list, from the structured data
    refs = root.xpath("//section[@id='sources']/ol/li")
    assert len(refs) == 12
    assert collapse(refs[0].text_content()).startswith("Danesh M, Belkora J, Volz S et al. Informational needs")
    # visible metadata
    meta = collapse(root.xpath("//div[@class='meta']")[0].text_content())
    assert "Updated on January 23, 2024" in meta and "Next planned update: 2027" in meta
    assert "Publisher: Institute for Quality and Efficiency in Health Care (IQWiG)" in meta
    # the reusable block, marked as such, after the sources
    (block,) = root.xpath("//aside[@data-block='about-our-health-information']")
    assert block.xpath("preceding::section[@id='sources']")
    assert "IQWiG health information is written" in block.text_content()


def test_citations_link_to_the_reference_list() -> None:
    article = kitchen_sink()
    data = render(article, "html").data
    root = parse(data)
    cites = root.xpath("//main//span[contains(concat(' ', @class, ' '), ' cite ')]")
    # as the default style (NLM) writes them
    assert [collapse(c.text_content()) for c in cites] == ["(1)", "(1,2)", "(2)"]
    assert [a.get("href") for a in cites[1].findall("a")] == ["#ref-1", "#ref-2"]
    # inside a link a citation is plain text: HTML has no links in links
    assert cites[0].find("a") is None
    ref = root.xpath("//li[@id='ref-1']")[0]
    assert ref.xpath(".//a[@href='https://doi.org/10.1000/%3Cx%3E']")  # percent-encoded
    assert ref.xpath(".//a[@href='https://pubmed.ncbi.nlm.nih.gov/123/']")
    assert root.xpath("//li[@id='ref-2']")[0].get("lang") == "de"
    check_links_and_ids(data)


def test_jsonld_medical_web_page(seed: Article) -> None:
    data = jsonld(render(seed, "html").data)
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == seed.title and data["inLanguage"] == "en"
    assert data["publisher"]["name"] == "Institute for Quality and Efficiency in Health Care"
    assert data["lastReviewed"] == "2024-01-23"
    assert data["about"]["name"] == "Metastatic breast cancer"
    assert data["isPartOf"] == {"@type": "CollectionPage", "name": "Metastatic breast cancer"}
    assert len(data["citation"]) == 12
    assert data["citation"][0]["@type"] == "ScholarlyArticle"


def test_jsonld_is_escaped_inside_the_script() -> None:
    article = kitchen_sink()
    page = render(article, "html").data.decode()
    script = page.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(script)
    data = json.loads(script)
    assert data["name"] == article.title and data["publisher"]["name"] == AWKWARD[0]
    assert page.count("<script") == 1


# ---------------------------------------------------------------------------
# Print CSS


def test_print_stylesheet(seed: Article, corpus: healthinfo.Corpus) -> None:
    page = render(seed, "html").data.decode()
    assert "@page { size: A4;" in page
    assert "@page { size: A5;" in render(corpus.books["metastatic-breast-cancer-brochure"], "html").data.decode()
    assert "@page { size: A4;" in render(corpus.books["metastatic-breast-cancer"], "html").data.decode()
    assert "@page { size: A5;" in render(seed, "html", page_size="A5").data.decode()
    css = page.split("@media print", 1)[1]
    for rule in ['a[href^="http"]:not(.bare)::after', "break-after: avoid", "break-inside: avoid", ".breadcrumb { display: none; }"]:
        assert rule in css or rule.replace(" { display: none; }", "") in css


# ---------------------------------------------------------------------------
# Determinism


def test_byte_identical(seed: Article, corpus: healthinfo.Corpus) -> None:
    # The last article's view is cached per thread; cleared, the second page is made
    # again from the model.
    for document in (seed, corpus.books["metastatic-breast-cancer"], kitchen_sink()):
        first = render(document, "html")
        html.clear_last_view()
        second = render(document, "html")
        assert first.data == second.data and first.resources == second.resources == {}
    first_site = render_site(corpus)
    html.clear_last_view()
    assert first_site == render_site(corpus)


# ---------------------------------------------------------------------------
# Properties of generated articles


@settings(max_examples=40, deadline=None)
@given(article=articles())
def test_generated_articles_escape_every_text_and_keep_the_outline(article: Article) -> None:
    data = render(article, "html").data
    page = data.decode("utf-8")
    for node in walk([article.blocks, article.sections, article.back]):
        if isinstance(node, Text) and not FORBIDDEN.search(node.text):
            assert str(escape(node.text)) in page
    reader = collapse(reader_text(render(article, "html")))
    for node in walk([article.blocks, article.sections, article.back]):
        if isinstance(node, Text):
            assert collapse(node.text) in reader or FORBIDDEN.search(node.text)
    assert outline(data) == article_outline(article)
    check_links_and_ids(data)
    no_injected_markup(data)


@settings(max_examples=10, deadline=None)
@given(book=books())
def test_generated_books(book: Book) -> None:
    data = render(book, "html").data
    assert outline(data) == book_outline(book)
    check_links_and_ids(data)
    no_injected_markup(data)
    root = parse(data)
    assert len(root.xpath("//main")) == 1 and len(root.xpath("//h1")) == 1
    # The contents: the articles, then the glossary and the sources (issue 19: the
    # printed contents left them out).
    with_sources = [a for a in book.articles if a.references]
    sources = [f"#{with_sources[0].id}--sources"] if len(with_sources) == 1 else ["#sources"] if with_sources else []
    assert [a.get("href") for a in root.xpath("//nav[@class='toc']/ol/li/a")] == [
        *(f"#{a.id}--title" for a in book.articles),
        *(["#glossary"] if any(a.glossary for a in book.articles) else []),
        *sources,
    ]


ALLOWED = {
    "html", "head", "meta", "title", "style", "script", "link", "body", "header", "main", "footer", "nav",
    "div", "p", "a", "ol", "ul", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "aside",
    "figure", "figcaption", "img", "span", "em", "strong", "br", "table", "caption", "thead", "tbody", "tr",
    "th", "td", "blockquote", "dl", "dt", "dd", "dfn", "time", "hgroup",
    "i", "b", "sup", "sub",  # a CSL style's font and vertical-align (citeproc-js also writes ² as <sup>2</sup>)
}


def no_injected_markup(data: bytes) -> None:
    """Only the templates' elements, one script (the JSON-LD), no event handlers,
    links only to http(s), mailto and the page itself, images only as data: URIs."""
    root = parse(data)
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    assert tags <= ALLOWED, tags - ALLOWED
    assert [s.get("type") for s in root.iter("script")] == ["application/ld+json"]
    for el in root.iter():
        if isinstance(el.tag, str):
            assert not [a for a in el.attrib if a.lower().startswith("on")], el.attrib
    for href in root.xpath("//a/@href"):
        assert href.startswith(("https://", "http://", "mailto:", "#")), href
    for src in root.xpath("//img/@src"):
        assert src.startswith("data:image/"), src[:40]


def test_injection_strings_never_make_elements() -> None:
    article = kitchen_sink()
    data = render(article, "html").data
    no_injected_markup(data)
    page = data.decode()
    body = reader_text(render(article, "html"))
    for awkward in ("<script>alert('x')</script>", '"><img src=x onerror=alert(1)>', "]]>", "{{ config }} {% if x %}"):
        assert awkward in body  # shown as text, not run, not rendered as a template
    assert "<script>alert" not in page and "<img src=x" not in page
    # "Title – Topic | Publisher", each part as text
    assert parse(data).xpath("//title")[0].text == f"{AWKWARD[0]} title – {article.topic} | {AWKWARD[1]}"


def test_forbidden_code_points_are_replaced_with_a_warning() -> None:
    # The model refuses these characters; a model built without validation
    # (model_construct) must still not produce a page HTML forbids.
    unchecked = Text.model_construct(type="text", text="a\ufdd0b\u0085c")
    article = kitchen_sink().model_copy(update={"blocks": (Paragraph(children=[unchecked]),)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = render(article, "html").data.decode()
    assert "a\ufffdb\ufffdc" in page and "\ufdd0" not in page
    assert any("html:forbidden-code-point" in str(w.message) for w in caught)


def test_right_to_left() -> None:
    article = kitchen_sink(lang="ar")
    root = parse(render(article, "html").data)
    assert root.get("lang") == "ar" and root.get("dir") == "rtl"
    english = kitchen_sink()
    (span,) = parse(render(english, "html").data).xpath("//main//span[@lang='ar']")
    assert span.get("dir") == "rtl"


def test_duplicate_note_names_stay_unique() -> None:
    """Two callouts labelled "Note" are two complementary landmarks: their accessible
    names differ by a hidden number (axe: landmark-unique)."""
    root = parse(render(kitchen_sink(), "html").data)
    names = []
    for aside in root.xpath("//aside"):
        label_el = root.xpath(f"//*[@id='{aside.get('aria-labelledby')}']")[0]
        names.append(collapse(label_el.text_content()))
    assert len(names) == len(set(names)), names
    # a callout inside a callout is a role=note group, not a nested landmark
    assert root.xpath("//aside//div[@role='note']")


# ---------------------------------------------------------------------------
# Books, site, options


def test_book(corpus: healthinfo.Corpus) -> None:
    book = corpus.books["metastatic-breast-cancer"]
    data = render(book, "html").data
    assert outline(data) == book_outline(book)
    check_links_and_ids(data)
    root = parse(data)
    assert root.xpath("//nav[@class='toc']//a[@href='#metastatic-breast-cancer-treatment--sec-side-effects']")
    assert len(root.xpath("//*[@data-block='about-our-health-information']")) == 1
    assert jsonld(data)["@type"] == "Book" and jsonld(data)["hasPart"][0]["@type"] == "MedicalWebPage"


def test_site(corpus: healthinfo.Corpus) -> None:
    site = render_site(corpus)
    assert {name for name in site if not name.startswith("pagefind/")} == {
        "index.html", "glossary.html", "404.html", "robots.txt", "search.html", "search.js", f"articles/{ARTICLE_ID}.html"
    }
    index = parse(site["index.html"])
    links = index.xpath("//section[@class='topic-group']//a/@href")
    assert links == [f"articles/{ARTICLE_ID}.html"]
    assert index.xpath("//section[@class='topic-group']/h2")[0].text == "Metastatic breast cancer"
    glossary = parse(site["glossary.html"])
    assert [e.get("id") for e in glossary.xpath("//dl/div")] == ["gloss-diagnosis", "gloss-fatigue"]
    assert glossary.xpath("//dd[@class='used-in']/a/@href") == [f"articles/{ARTICLE_ID}.html"] * 2
    page = parse(site[f"articles/{ARTICLE_ID}.html"])
    topic_id = index.xpath("//section[@class='topic-group']/@id")[0]
    assert topic_id == topic_anchor("Metastatic breast cancer") and topic_id.startswith("topic-metastatic-breast-cancer-")
    # The breadcrumb is the trail to the page (the glossary is not on it: it is in the
    # site's menu); its last item is the page itself, not a link.
    assert page.xpath("//nav[@class='breadcrumb wrap']//a/@href") == ["../index.html", f"../index.html#{topic_id}"]
    assert page.xpath("//nav[@class='breadcrumb wrap']//*[@aria-current='page']/text()") == [corpus.articles[ARTICLE_ID].title]
    assert page.xpath("//nav[@class='site-menu']//a/@href") == ["../glossary.html"]
    assert not page.xpath("//nav[@class='site-menu']//a[@aria-current]")
    assert glossary.xpath("//nav[@class='site-menu']//a[@aria-current='page']/@href") == ["glossary.html"]
    assert not index.xpath("//nav[@class='breadcrumb wrap']")  # the start page is the trail's start
    for name, data in site.items():
        if name.endswith(".html"):
            check_links_and_ids(data)


def test_site_index_entries_in_the_article_language(corpus: healthinfo.Corpus) -> None:
    """An English corpus with a German article: the German entry of the index (marked
    lang="de") says when it was updated in German words (WCAG 3.1.2)."""
    seed = corpus.articles[ARTICLE_ID]
    german = seed.model_copy(
        update={"id": "brustkrebs-behandlung", "lang": "de", "title": "Behandlung", "updated": dt.date(2024, 1, 23)}
    )
    mixed = corpus.model_copy(update={"articles": {**corpus.articles, german.id: german}})
    assert mixed.settings.lang == "en"
    index = parse(render_site(mixed)["index.html"])
    entries = {li.xpath("a/@href")[0]: li for li in index.xpath("//ul[@class='article-list']/li")}
    entry = entries["articles/brustkrebs-behandlung.html"]
    assert entry.get("lang") == "de"
    assert collapse(entry.find("p[@class='updated']").text_content()) == "Aktualisiert am 23. Januar 2024"
    assert entry.find("p[@class='updated']/time").get("datetime") == "2024-01-23"
    english = entries[f"articles/{ARTICLE_ID}.html"]
    assert english.get("lang") is None
    updated = collapse(english.find("p[@class='updated']").text_content())
    assert updated == f"Updated on {seed.updated:%B} {seed.updated.day}, {seed.updated.year}"
    # The page's own words stay in the corpus language.
    assert index.xpath("//h2[@id='topics-heading']")[0].text == label("contents", "en")


def test_template_override(seed: Article, tmp_path: Path) -> None:
    (tmp_path / "nodes.j2").write_text(
        '{% macro paragraph(content) %}<p class="custom">{{ content }}</p>\n{% endmacro %}\n', encoding="utf-8"
    )
    (tmp_path / "page.j2").write_text(
        '{% extends "default/page.j2" %}{% block footer %}<footer><p>{{ title }} – custom</p></footer>{% endblock %}',
        encoding="utf-8",
    )
    data = render(seed, "html", template_dir=tmp_path).data
    root = parse(data)
    paragraphs = root.xpath("//main//p[not(ancestor::figure) and not(ancestor::div[@class='meta'])]")
    assert root.xpath("//p[@class='custom']")
    assert all(p.get("class") in ("custom", "topic", "note-label", "block-title", "regional-label") for p in paragraphs)
    assert root.xpath("//figure/img")  # the other macros are the built-in ones
    assert collapse(root.find("body/footer").text_content()) == f"{seed.title} – {seed.topic} | IQWiG – custom"
    # the built-in templates are unchanged for everyone else
    assert not parse(render(seed, "html").data).xpath("//p[@class='custom']")
    with pytest.raises(ExportError):
        render(seed, "html", template_dir=tmp_path / "missing")


def test_unknown_document_type() -> None:
    with pytest.raises(ExportError):
        html.render("not a document", html.Options())  # type: ignore[arg-type]


def test_topic_anchors_are_stable_and_distinct() -> None:
    """A topic's anchor comes from its text alone: two spellings differ, any script works."""
    assert topic_anchor("Breast cancer") == topic_anchor("Breast cancer")
    assert topic_anchor("Breast cancer") != topic_anchor("breast cancer")
    assert re.fullmatch(r"topic-brustkrebs-[0-9a-f]{6}", topic_anchor("Brustkrebs"))
    assert re.fullmatch(r"topic-[0-9a-f]{6}", topic_anchor("乳腺癌"))
    assert re.fullmatch(r"topic-uber-krebs-[0-9a-f]{6}", topic_anchor("Über Krebs!"))
