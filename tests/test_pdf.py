"""The PDF exporter, judged by real checkers and readers (docs/exporters/pdf.md):

- outloud (PDF/UA-1 and WCAG 2.2) reports 0 errors and 0 warnings, and pdfua 0
  findings, on every PDF of the shipped corpus (screen and print) and on generated
  articles; veraPDF runs when it is on the machine;
- the structure tree holds one element per content node (sections, lists, tables,
  figures with their alt text, notes, languages), counted with pikepdf against the model;
- poppler: every font embedded (pdffonts), the page sizes and boxes exact and a
  brochure's page count a multiple of 4 (pdfinfo, pikepdf), every paragraph of the
  model in order (pdftotext), each Contents entry's page number the page its heading
  is on;
- the bytes are deterministic and follow SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings

import healthinfo
from healthinfo.checks.reading import expected_reading
from healthinfo.exporters import ExportOptionError, render
from healthinfo.exporters.pdf.outline import read_readings
from healthinfo.schema import (
    Article,
    Book,
    Cite,
    Emphasis,
    Figure,
    Link,
    List,
    Note,
    Paragraph,
    Quote,
    Section,
    Span,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
    walk,
)

from .conftest import CORPUS, ROOT
from .strategies import articles

ARTICLE, BROCHURE, EBOOK = "metastatic-breast-cancer-treatment", "metastatic-breast-cancer-brochure", "metastatic-breast-cancer"
MM = 72 / 25.4
A5 = (419.528, 595.276)


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def pdfs(corpus: healthinfo.Corpus, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every document of the corpus as a screen and a print PDF, in files."""
    folder = tmp_path_factory.mktemp("pdf")
    found = {}
    documents: dict[str, Article | Book] = {ARTICLE: corpus.articles[ARTICLE], **corpus.books}
    for name, document in documents.items():
        for variant in ("screen", "print"):
            path = folder / f"{name}-{variant}.pdf"
            path.write_bytes(render(document, "pdf", variant=variant).data)
            found[f"{name}-{variant}"] = path
    return found


def tool(name: str) -> str:
    """A command: the test environment's own (outloud, pdfua) or the machine's (poppler)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run scripts/setup-test-tools.sh")
    return found


def assert_accessible(path: Path) -> None:
    report = subprocess.run([tool("outloud"), str(path), "--fail-on", "warning"], capture_output=True, text=True)
    assert report.returncode == 0 and " 0 error(s), 0 warning(s)" in report.stdout, report.stdout
    checked = subprocess.run([tool("pdfua"), "check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "errors=0 warnings=0" in checked.stdout, checked.stdout


@pytest.mark.parametrize("variant", ["screen", "print"])
@pytest.mark.parametrize("name", [ARTICLE, BROCHURE, EBOOK])
def test_outloud_and_pdfua_find_nothing(pdfs: dict[str, Path], name: str, variant: str) -> None:
    assert_accessible(pdfs[f"{name}-{variant}"])


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(article=articles())
def test_generated_articles_conform(article: Article, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hypothesis's articles (every node type, awkward text): no PDF/UA error. Their
    text is random, so outloud's semantic warnings (a heading "0" reads as a number)
    are not asked about here; realistic articles follow."""
    path = tmp_path_factory.mktemp("gen") / "article.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path.write_bytes(render(article, "pdf").data)
    report = subprocess.run([tool("outloud"), str(path), "--fail-on", "error"], capture_output=True, text=True)
    assert report.returncode == 0 and " 0 error(s)" in report.stdout, report.stdout
    checked = subprocess.run([tool("pdfua"), "check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "errors=0 warnings=0" in checked.stdout, checked.stdout


def test_synthetic_articles_are_accessible(tmp_path: Path) -> None:
    """The benchmark's generated articles (sections, lists, notes, tables, glossary,
    sources: benchmarks/generate.py) as a sample of other content: outloud 0/0."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    folder = generate.generate(tmp_path / "corpus", 3, seed=7)
    sample = healthinfo.load_corpus(folder)
    assert len(sample.articles) == 3
    for article in sample.articles.values():
        path = tmp_path / f"{article.id}.pdf"
        path.write_bytes(render(article, "pdf").data)
        assert_accessible(path)


def test_verapdf_ua1(pdfs: dict[str, Path]) -> None:
    verapdf = shutil.which("verapdf")
    if verapdf is None:
        pytest.skip("veraPDF is not on this machine (it is in no package registry); outloud and pdfua ran instead")
    for path in pdfs.values():
        result = subprocess.run([verapdf, "-f", "ua1", str(path)], capture_output=True, text=True)
        assert 'isCompliant="true"' in result.stdout, result.stdout[-2000:]


# -- the structure tree -----------------------------------------------------------------


#: The PDFs ``structure`` opened (pikepdf objects live only as long as their Pdf).
_OPENED: list[pikepdf.Pdf] = []


def structure(data: bytes) -> tuple[Counter[str], list[pikepdf.Dictionary]]:
    """The count of each structure type, and every element, in tree order."""
    pdf = pikepdf.open(io.BytesIO(data))
    _OPENED.append(pdf)
    elements: list[pikepdf.Dictionary] = []

    def visit(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            elements.append(node)
            kids = node.get("/K")
            for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                visit(kid)

    kids = pdf.Root.StructTreeRoot.K
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
        visit(kid)
    return Counter(str(e.S)[1:] for e in elements), elements


def sections(article: Article) -> int:
    return sum(1 for node in walk([article.sections]) if isinstance(node, Section))


def test_structure_follows_the_model(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE]
    counts, elements = structure(render(article, "pdf").data)
    nodes = list(walk([article.blocks, article.sections, article.back]))
    assert counts["Art"] == 1
    # One Sect per section, the glossary and the sources.
    assert counts["Sect"] == sections(article) + 2
    assert counts["H2"] == sum(1 for s in article.sections) + 2
    # One L per list, the glossary's and the sources'.
    assert counts["L"] == sum(1 for n in nodes if isinstance(n, List)) + 2
    assert counts["Table"] == sum(1 for n in nodes if isinstance(n, Table))
    figures = [n for n in nodes if isinstance(n, Figure)]
    alts = [str(e.Alt) for e in elements if str(e.S) == "/Figure"]
    assert alts == [f.alt for f in figures]
    notes = [e for e in elements if str(e.S) == "/Note"]
    assert len(notes) == sum(1 for n in nodes if isinstance(n, Note))
    assert len({bytes(e.ID) for e in notes}) == len(notes)  # PDF/UA-1 §7.9: each with its own ID
    assert counts["BibEntry"] == len(article.references)
    # A passage in another language carries its /Lang.
    spans = {n.lang for n in nodes if isinstance(n, Span)}
    langs = {str(e.Lang) for e in elements if "/Lang" in e}
    assert spans <= langs
    # Each element's ID is unique.
    ids = [bytes(e.ID) for e in elements if "/ID" in e]
    assert len(ids) == len(set(ids))


def _linked_article() -> Article:
    """Terms and citations in a paragraph, a list item, a table's caption, header and
    body, and a heading."""
    def text(value: str) -> dict[str, str]:
        return {"type": "text", "text": value}

    term = {"type": "term", "ref": "nausea", "children": [text("nausea")]}
    cite = {"type": "cite", "refs": ["smith", "who"]}
    return Article.model_validate({
        "schema_version": "1.0", "id": "linked", "title": "Nausea after chemotherapy", "lang": "en", "updated": "2024-01-01",
        "publisher": {"id": "p", "name": "Publisher"},
        "blocks": [
            {"type": "paragraph", "children": [text("Some feel "), term, text(" after it "), cite]},
            {"type": "list", "items": [{"blocks": [{"type": "paragraph", "children": [text("An item "), cite]}]}]},
            {"type": "table", "caption": [text("Caption "), {"type": "cite", "refs": ["who"]}],
             "head": [{"cells": [{"children": [term]}, {"children": [text("B")]}]}],
             "body": [{"cells": [{"children": [text("1 "), {"type": "cite", "refs": ["smith"]}]},
                                 {"children": [text("2")]}]}]},
        ],
        "sections": [{"id": "more", "title": [text("More on "), term], "blocks": [
            {"type": "paragraph", "children": [text("See "), {"type": "link", "href": "https://example.org",
                                                             "children": [text("the web")]}]}]}],
        "glossary": {"nausea": {"id": "nausea", "term": "nausea", "definition": "feeling sick to the stomach"}},
        "references": [
            {"id": "smith", "type": "article-journal", "title": "A trial", "container-title": "A Journal",
             "issued": {"date-parts": [[2020]]}},
            {"id": "who", "type": "book", "title": "Guidelines", "issued": {"date-parts": [[2021]]}},
        ],
    })


def test_links_to_the_glossary_and_the_sources_are_described(tmp_path: Path) -> None:
    """Each citation is a Reference holding its Link; each link to a glossary entry or
    a source has a description naming what it goes to (PDF/UA-1 §7.18.5), in whatever
    block it is; a link to the web keeps Typst's."""
    article = _linked_article()
    data = render(article, "pdf").data
    counts, elements = structure(data)
    cites = [n for n in walk([article.blocks, article.sections]) if isinstance(n, Cite)]
    assert counts["Reference"] == sum(len(c.refs) for c in cites) == 6
    described = []
    for element in elements:
        if str(element.S) != "/Link":
            continue
        annotations = [k.Obj for k in element.K if isinstance(k, pikepdf.Dictionary) and "/Obj" in k]
        assert annotations
        texts = {str(a.Contents) for a in annotations}
        assert len(texts) == 1
        described.append((str(element.P.S), texts.pop()))
    term = "nausea: feeling sick to the stomach (Glossary)"
    smith, who = "Sources 1: A trial. A Journal. 2020.", "Sources 2: Guidelines. 2021."
    inner = [d for d in described if not d[1].startswith("https:")]
    # The paragraph, the list item, the table (its caption first), the section's heading.
    assert [text for _, text in inner] == [term, smith, who, smith, who, who, term, smith, term]
    assert all(parent == "/Reference" for parent, text in inner if text.startswith("Sources"))
    assert all(parent != "/Reference" for parent, text in inner if text == term)
    path = tmp_path / "linked.pdf"
    path.write_bytes(data)
    assert_accessible(path)


def test_running_heads_and_page_numbers_are_artifacts(pdfs: dict[str, Path]) -> None:
    text = healthinfo.exporters.get("pdf").read_text(pdfs[f"{BROCHURE}-screen"].read_bytes())
    # The running head (the book's title) is on every page but read once: on the cover.
    assert text.count("Metastatic breast cancer: treatment options") <= 1
    lines = [line.strip() for line in text.splitlines()]
    assert not [line for line in lines if re.fullmatch(r"\d{1,2}", line)]


def test_bookmarks_from_headings(corpus: healthinfo.Corpus) -> None:
    pdf = pikepdf.open(io.BytesIO(render(corpus.books[BROCHURE], "pdf").data))
    with pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    article = corpus.books[BROCHURE].articles[0]
    assert article.title in titles
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


# -- poppler --------------------------------------------------------------------------


@pytest.mark.parametrize("name", [ARTICLE, BROCHURE, EBOOK])
def test_every_font_is_embedded(pdfs: dict[str, Path], name: str) -> None:
    listed = subprocess.run([tool("pdffonts"), str(pdfs[f"{name}-screen"])], capture_output=True, text=True, check=True)
    rows = listed.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        # name type encoding emb sub uni object: "yes yes yes"
        assert re.search(r"\byes\s+yes\s+yes\s+\d+\s+\d+\s*$", row), row


def pdfinfo(path: Path) -> dict[str, str]:
    info = subprocess.run([tool("pdfinfo"), "-box", str(path)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in info.stdout.splitlines())}


def test_a_table_across_pages_keeps_its_header_out_of_artifacts(corpus: healthinfo.Corpus, tmp_path: Path) -> None:
    """Typst repeats a table's header rows on each page as artifacts; outloud counted
    one such row (words in emphasis beside Hebrew, found by hypothesis) as prose hidden
    from readers: TAG-002, an error. The header is printed once."""
    article = corpus.articles[ARTICLE]
    head = TableRow(cells=[TableCell(children=[]),
                           TableCell(children=[Emphasis(children=[Text(text="tk dbeemrpzkl scahyqorah wdq pwscr xp oujzdpempm")])]),
                           TableCell(children=[Text(text="שלום")])])
    rows = [TableRow(cells=[TableCell(children=[Text(text=f"row {i} with some words")]),
                            TableCell(children=[Text(text="more text")]), TableCell(children=[Text(text="x")])])
            for i in range(60)]
    changed = Article.model_validate({**article.model_dump(), "blocks": [
        Note(kind="warning", blocks=[Table(id="long", head=[head], body=rows)]).model_dump()]})
    path = tmp_path / "long.pdf"
    path.write_bytes(render(changed, "pdf").data)
    assert int(pdfinfo(path)["Pages"]) > 1
    report = subprocess.run([tool("outloud"), str(path), "--fail-on", "error"], capture_output=True, text=True)
    assert report.returncode == 0 and " 0 error(s)" in report.stdout, report.stdout


def test_a_link_that_shows_nothing_is_its_text_and_the_other_links_stay(corpus: healthinfo.Corpus) -> None:
    """A glossary term or link of only invisible characters (a soft hyphen, a zero-width
    space: found by hypothesis) made Typst 0.15 fail on the links, so the whole document
    lost its links and its citations read as text. Now only that one is its text."""
    article = corpus.articles[ARTICLE]
    paragraph = Paragraph(children=[
        Text(text="Hello"), Cite(refs=[article.references[0].id]),
        Term(ref=next(iter(article.glossary)), children=[Text(text="\xad")]),
        Link(href="https://example.org", children=[Text(text="\u200b ")]),
    ])
    changed = Article.model_validate({**article.model_dump(), "blocks": [Quote(blocks=[paragraph]).model_dump()]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = render(changed, "pdf").data
    assert [getattr(w.message, "code", "") for w in caught] == ["pdf:empty-link", "pdf:empty-link"]
    (reading,) = read_readings(data)
    assert reading.units[0].text == "Hello" and reading.citations[0] == 1  # the citation is a Reference


@pytest.mark.parametrize("name", [ARTICLE, BROCHURE])
def test_poppler_reads_the_document_information_without_a_complaint(pdfs: dict[str, Path], name: str) -> None:
    # Typst's /MarkInfo /Suspects false (the default) made pdfinfo print "Syntax Error:
    # Suspects object is wrong type (boolean)"; the exporter leaves it out.
    for variant in ("screen", "print"):
        info = subprocess.run([tool("pdfinfo"), str(pdfs[f"{name}-{variant}"])], capture_output=True, text=True, check=True)
        assert info.stderr == "", info.stderr
        assert "Tagged:          yes" in info.stdout and "Suspects:        no" in info.stdout


def test_brochure_pages(pdfs: dict[str, Path]) -> None:
    screen = pdfinfo(pdfs[f"{BROCHURE}-screen"])
    width, height = (float(x) for x in re.findall(r"[\d.]+", screen["Page size"])[:2])
    assert (round(width, 2), round(height, 2)) == (round(A5[0], 2), round(A5[1], 2))
    assert int(screen["Pages"]) % 4 == 0
    # The e-book profile is not saddle-stitched: no blank pages are added.
    assert "This page is intentionally left blank." not in subprocess.run(
        [tool("pdftotext"), str(pdfs[f"{EBOOK}-screen"]), "-"], capture_output=True, text=True).stdout


def test_print_variant_boxes(pdfs: dict[str, Path]) -> None:
    pdf = pikepdf.open(pdfs[f"{BROCHURE}-print"])
    bleed = 3 * MM
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        assert round(trim[2] - trim[0], 2) == round(A5[0], 2) and round(trim[3] - trim[1], 2) == round(A5[1], 2)
        box = [float(v) for v in page.obj.BleedBox]
        assert [round(b - t, 2) for b, t in zip(box, trim, strict=True)] == [round(-bleed, 2)] * 2 + [round(bleed, 2)] * 2
        media = [float(v) for v in page.obj.MediaBox]
        assert media[0] < box[0] and media[1] < box[1] and media[2] > box[2] and media[3] > box[3]
    # The crop marks: strokes outside the bleed, as artifacts of the page.
    assert b"/Artifact <</Type /Page>> BDC" in pdf.pages[0].Contents.read_bytes() if isinstance(
        pdf.pages[0].Contents, pikepdf.Stream) else any(
        b"/Artifact <</Type /Page>> BDC" in c.read_bytes() for c in pdf.pages[0].Contents)
    screen = pikepdf.open(pdfs[f"{BROCHURE}-screen"])
    assert "/BleedBox" not in screen.pages[0].obj


def plain(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00ad\n", "").replace("\u00ad", "")
    return " ".join(text.split())


def test_pdftotext_reads_every_paragraph_in_order(pdfs: dict[str, Path], corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE]
    out = subprocess.run([tool("pdftotext"), str(pdfs[f"{ARTICLE}-screen"]), "-"], capture_output=True, text=True, check=True)
    # Lines broken by the layout: a hyphen at a line end that pdftotext keeps joins the
    # lines; running heads and page numbers are removed by pdftotext's own -layout-free
    # reading order (they are artifacts, but pdftotext reads all text).
    text = plain(re.sub(r"(?<=\w)-\n(?=\w)", "-", out.stdout))
    position = 0
    for unit in expected_reading(article).units:
        if unit.kind not in ("paragraph", "item", "heading"):
            continue
        # A paragraph may run onto the next page: the running head and the page number
        # come between its two halves; each sentence is looked for on its own.
        for sentence in re.split(r"(?<=[.!?])\s+", unit.text):
            found = text.find(plain(sentence), position)
            if found < 0:
                found = text.find(plain(sentence).split(" ")[-1], position)
            assert found >= 0, f"not found after position {position}: {sentence!r}"
            position = found


def test_contents_page_numbers_are_right(pdfs: dict[str, Path]) -> None:
    path = pdfs[f"{BROCHURE}-screen"]
    pages = int(pdfinfo(path)["Pages"])
    texts = [subprocess.run([tool("pdftotext"), "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
                            capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]
    contents = next(n for n, t in enumerate(texts, start=1) if "Contents" in t)
    # "Title . . . . 4" (Typst joins the number to its leader with a word joiner, U+2060)
    entries = re.findall(r"^\s*(\S.*?\S)\s*(?:\.\s*)+\u2060?(\d+)\s*$", texts[contents - 1], re.MULTILINE)
    assert len(entries) >= 5, texts[contents - 1]
    for title, number in entries:
        page = texts[int(number) - 1]
        flat = " ".join(page.split())
        assert " ".join(title.split()) in flat, f"{title!r} is not on page {number}"


# -- bytes ---------------------------------------------------------------------------


def test_bytes_are_deterministic_and_follow_source_date_epoch(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE]
    first = render(article, "pdf").data
    assert render(article, "pdf").data == first
    dated = render(article, "pdf", source_date_epoch=1_700_000_000).data
    assert dated != first
    with pikepdf.open(io.BytesIO(dated)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20231114")


def test_options_are_checked() -> None:
    article = healthinfo.load_corpus(CORPUS).articles[ARTICLE]
    with pytest.raises(ExportOptionError):
        render(article, "pdf", variant="poster")
    with pytest.raises(ExportOptionError):
        render(article, "pdf", page_size="letter")
    with pytest.raises(ExportOptionError):
        render(article, "pdf", bleed=-1)
    with pytest.raises(ExportOptionError):
        render(article, "pdf", crop_marks="sometimes")


def test_a_character_no_font_has_is_warned_about(corpus: healthinfo.Corpus) -> None:
    from healthinfo.schema import Paragraph, Text

    article = corpus.articles[ARTICLE]
    odd = article.model_copy(update={"blocks": (Paragraph(children=(Text(text="Pill \U0001F48A here"),)),)})
    with pytest.warns(healthinfo.exporters.ExportWarning, match=r"pdf:missing-glyphs.*U\+1F48A"):
        data = render(odd, "pdf").data
    assert "Pill \ufffd here" in healthinfo.exporters.get("pdf").read_text(data)


FORKED_BUILD = """
import sys, tempfile
import healthinfo
from healthinfo.exporters import render

if __name__ == "__main__":
    corpus = healthinfo.load_corpus(sys.argv[1])
    render(corpus.articles[sys.argv[2]], "pdf")  # Typst has run in this process
    report = healthinfo.build(sys.argv[1], tempfile.mkdtemp(), formats=["pdf"], jobs=2, force=True)
    print("ok" if report.ok else "failed")
"""


def test_a_build_forked_after_a_pdf_export_finishes(tmp_path: Path) -> None:
    """Typst's threads are not in a forked worker: a program that exported a PDF and
    then builds with forked workers must not wait for ever (writer._compile)."""
    script = tmp_path / "forked.py"
    script.write_text(FORKED_BUILD, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(CORPUS), ARTICLE], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("text", [
    "\U0001F637 x", "abc \U0001F637 def", "مرحبا \U0001F637", "مرحبا بالعالم abc def", "x مرحبا بالعالم y",
    "שלום", "(مرحبا)", "Version 2.5 of 10 items", "12 مرحبا", "مرحبا 12", "abc 12 مرحبا", "مرحبا 12 abc",
    "abc مرحبا 12 abc",
])
def test_right_to_left_text_reads_back_in_order(corpus: healthinfo.Corpus, lang: str, text: str) -> None:
    from healthinfo.schema import Paragraph, Text

    article = corpus.articles[ARTICLE].model_copy(update={
        "lang": lang, "blocks": (Paragraph(children=(Text(text=text),)),), "sections": (), "glossary": {},
        "references": (), "back": (), "topic": None})
    read = healthinfo.exporters.get("pdf").read_text(render(article, "pdf").data)
    assert text in read.splitlines(), read
