"""The EPUB exporter: the real validators (EPUBCheck, DAISY Ace), a round trip through
ebooklib's reader, the structure and semantics of the content documents, the
accessibility claims, and determinism.

The validators come from scripts/setup-test-tools.sh; a missing one fails loudly
(tests/validators). EPUBCheck needs about 6-12 s per e-book (a Java start), so it
runs once per e-book: the shipped article and both books, and a small hypothesis
sample of generated books.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from typer.testing import CliRunner

import healthinfo
from healthinfo.cli import app
from healthinfo.exporters import ExportError, epub, render
from healthinfo.exporters._i18n import word as label
from healthinfo.schema import Article, Book, Figure, Section, Term, inline_text, walk

from .conftest import CORPUS
from .readers import epub as reader
from .readers.epub import NS
from .strategies import articles, books
from .validators import ace, epubcheck

ARTICLE_ID = "metastatic-breast-cancer-treatment"
BOOK_ID = "metastatic-breast-cancer"
BROCHURE_ID = "metastatic-breast-cancer-brochure"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


# ---------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(CORPUS)


@pytest.fixture(scope="module")
def documents(corpus: healthinfo.Corpus) -> dict[str, Article | Book]:
    return {
        "article": corpus.articles[ARTICLE_ID],
        "book": corpus.books[BOOK_ID],
        "brochure": corpus.books[BROCHURE_ID],
    }


@pytest.fixture(scope="module")
def files(documents: dict[str, Article | Book], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("epub")
    out = {}
    for name, document in documents.items():
        out[name] = folder / f"{name}.epub"
        out[name].write_bytes(render(document, "epub").data)
    return out


def opf_metas(package: reader.Package) -> dict[str, list[str]]:
    """property -> values of the package's <meta property> elements."""
    found: dict[str, list[str]] = {}
    for meta in package.root.iterfind("opf:metadata/opf:meta[@property]", NS):
        found.setdefault(meta.get("property"), []).append(meta.text or "")
    return found


def dc(package: reader.Package, name: str) -> list[str]:
    return [e.text or "" for e in package.root.iterfind(f"opf:metadata/dc:{name}", NS)]


def collapse(value: str) -> str:
    return " ".join(value.split())


def doc(package: reader.Package, name: str) -> etree._Element:
    return reader.xml(package.archive, f"EPUB/{name}")


def by_type(root: etree._Element, kind: str) -> list[etree._Element]:
    return [e for e in root.iter() if kind in (e.get(EPUB_TYPE) or "").split()]


def ids_of(package: reader.Package) -> dict[str, set[str]]:
    """file name (inside EPUB/) -> the ids it defines."""
    return {
        name.split("/", 1)[1]: {str(i) for i in root.xpath("//@id")}
        for name, root in package.documents()
    }


# ---------------------------------------------------------------------------
# The real validators


@pytest.mark.parametrize("name", ["article", "book", "brochure"])
def test_epubcheck_passes_the_shipped_ebooks(files: dict[str, Path], name: str) -> None:
    problems = epubcheck.problems(files[name])
    assert not problems, epubcheck.describe(problems)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(book=books())
def test_epubcheck_passes_generated_books(book: Book) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lossy-mapping warnings are tested elsewhere
        data = render(book, "epub").data
    with tempfile.TemporaryDirectory(prefix="epub-") as tmp:
        path = Path(tmp) / "book.epub"
        path.write_bytes(data)
        problems = epubcheck.problems(path)
    assert not problems, epubcheck.describe(problems)


@pytest.mark.parametrize("name", ["book", "article"])
def test_ace_finds_no_violation(files: dict[str, Path], name: str) -> None:
    found = ace.violations(files[name])
    assert not found, ace.describe(found)


# ---------------------------------------------------------------------------
# Round trip through ebooklib's reader


def read_back(data: bytes) -> Any:
    from ebooklib import epub as ebooklib_epub

    with tempfile.TemporaryDirectory(prefix="epub-") as tmp:
        path = Path(tmp) / "in.epub"
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib's own deprecation notes
            return ebooklib_epub.read_epub(str(path))


def nav_tree(entries: list[Any]) -> list[tuple[str, list[Any]]]:
    out = []
    for entry in entries:
        if isinstance(entry, tuple):
            head, children = entry
            out.append((head.title, nav_tree(children)))
        else:
            out.append((entry.title, []))
    return out


def section_tree(sections: list[Section]) -> list[tuple[str, list[Any]]]:
    return [(collapse(inline_text(s.title)), section_tree(s.sections)) for s in sections]


def test_round_trip_with_ebooklib(corpus: healthinfo.Corpus) -> None:
    book = corpus.books[BOOK_ID]
    back = read_back(render(book, "epub").data)

    # metadata, as the model says
    def values(name: str) -> list[str]:
        return [value for value, _ in back.get_metadata("DC", name)]

    assert values("identifier") == [book.identifier]
    # the main title, then the subtitle (title-type refinements: tests/test_epub_store.py)
    assert values("title") == [book.title, *([book.subtitle] if book.subtitle else [])]
    assert values("language") == [book.lang]
    assert values("publisher") == [book.publisher.name]
    assert values("date") == [book.effective_date.isoformat()]
    assert values("rights") == [book.rights]
    # the topics, then the keywords, each once whatever its case
    subjects = [a.topic for a in book.articles if a.topic] + [k for a in book.articles for k in a.keywords]
    assert values("subject") == list({s.casefold(): s for s in reversed(subjects)}.values())[::-1]
    metas = {attrs.get("property"): value for value, attrs in back.get_metadata("OPF", "meta") if attrs.get("property")}
    assert metas["dcterms:modified"] == f"{book.effective_date.isoformat()}T00:00:00Z"
    # nobody certified the shipped e-books: no certifier is named
    assert "a11y:certifiedBy" not in metas

    # chapters, in order, each headed by its article's title
    spine = [back.get_item_with_id(idref) for idref, _ in back.spine]
    chapters = [item for item in spine if item.file_name.startswith("chapter-")]
    assert [c.file_name for c in chapters] == [f"chapter-{n}.xhtml" for n in range(1, len(book.articles) + 1)]
    for item, article in zip(chapters, book.articles, strict=True):
        root = etree.fromstring(item.get_content())
        assert collapse("".join(root.find(".//x:h1", NS).itertext())) == collapse(article.title)

    # nav entries: each article with its sections, then the back matter
    expected = [(a.title, section_tree(a.sections)) for a in book.articles]
    expected += [(label("glossary", book.lang), []), (label("references", book.lang), [])]
    expected += [(b.title, []) for b in book.articles[0].back if b.title]
    assert nav_tree(back.toc) == expected


def test_article_ebook_round_trip(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    back = read_back(render(article, "epub").data)
    identifier = back.get_metadata("DC", "identifier")[0][0]
    assert identifier == epub.identifier(article)
    assert identifier.startswith("urn:uuid:") and len(identifier) == len("urn:uuid:") + 36
    # titled by its topic, with the article's title as subtitle
    assert [v for v, _ in back.get_metadata("DC", "title")] == [article.topic, article.title]
    assert back.get_metadata("DC", "subject")[0][0] == article.topic
    assert [v for v, _ in back.get_metadata("DC", "date")] == [article.updated.isoformat()]
    assert nav_tree(back.toc)[0] == (article.title, section_tree(article.sections))


# ---------------------------------------------------------------------------
# Structure and semantics


def test_package_structure(files: dict[str, Path]) -> None:
    package = reader.package(files["book"].read_bytes())
    assert package.path == "EPUB/content.opf"
    assert package.root.get("version") == "3.0"
    assert package.root.get(XML_LANG) == "en"
    assert [name.split("/", 1)[1] for name in package.spine()] == [
        "cover.xhtml",
        "titlepage.xhtml",
        "nav.xhtml",
        "chapter-1.xhtml",
        "glossary.xhtml",
        "sources.xhtml",
        "more.xhtml",
    ]
    manifest = package.manifest()
    assert manifest["nav"].get("properties") == "nav"
    # the NCX, for EPUB 2 reading systems
    assert package.root.find("opf:spine", NS).get("toc") == "ncx"
    ncx = reader.xml(package.archive, "EPUB/toc.ncx")
    labels = [collapse("".join(t.itertext())) for t in ncx.iterfind(".//{*}navPoint/{*}navLabel/{*}text")]
    assert labels[0] == "Treatment options and supportive care"
    # the cover image
    covers = [item for item in manifest.values() if item.get("properties") == "cover-image"]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/png"


def test_every_content_document_has_a_title_and_a_language(files: dict[str, Path]) -> None:
    for name in ("article", "book"):
        package = reader.package(files[name].read_bytes())
        for member, root in package.documents():
            title = root.find("x:head/x:title", NS)
            assert title is not None and collapse(title.text or ""), f"{member} has no page title"
            assert root.get("lang") and root.get("lang") == root.get(XML_LANG), member
            assert root.find("x:head/x:link[@rel='stylesheet']", NS) is not None, member


def test_navigation_document(files: dict[str, Path]) -> None:
    package = reader.package(files["book"].read_bytes())
    nav = doc(package, "nav.xhtml")
    navs = nav.findall(".//x:nav", NS)
    assert [n.get(EPUB_TYPE) for n in navs] == ["toc", "loi", "landmarks"]
    assert navs[-1].get("hidden") == "hidden"
    landmarks = by_type(nav, "landmarks")
    assert len(landmarks) == 1
    links = {a.get(EPUB_TYPE): a.get("href") for a in landmarks[0].iterfind(".//x:a", NS)}
    assert links["cover"] == "cover.xhtml"
    assert links["bodymatter"] == "chapter-1.xhtml"
    assert links["glossary"] == "glossary.xhtml"
    assert links["bibliography"] == "sources.xhtml"
    assert links["toc"] == "nav.xhtml#toc"


def listed(package: reader.Package, kind: str) -> list[str]:
    """The targets (file#id) the navigation's list of ``kind`` (loi, lot) links to."""
    nav = doc(package, "nav.xhtml")
    return [a.get("href") for n in by_type(nav, kind) for a in n.iterfind(".//x:a", NS)]


def placed(package: reader.Package, tag: str) -> list[str]:
    """file#id of every figure (``figure.figure``: a quote with its attribution is a
    ``figure`` too) or table of the chapters and back matter, in spine order."""
    found = []
    for member, root in package.documents():
        name = member.split("/", 1)[1]
        if name in ("nav.xhtml", "cover.xhtml"):
            continue
        path = ".//x:figure[@class='figure']" if tag == "figure" else f".//x:{tag}"
        found += [f"{name}#{e.get('id')}" for e in root.iterfind(path, NS)]
    return found


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(book=books())
def test_the_navigation_reaches_every_figure_and_table(book: Book) -> None:
    """The lists of figures and tables (with the contents: ONIX list 196 code 11) link
    to every figure and table, in reading order, each with a text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        package = reader.package(render(book, "epub"))
    for kind, tag in (("loi", "figure"), ("lot", "table")):
        assert listed(package, kind) == placed(package, tag)
        nav = doc(package, "nav.xhtml")
        assert all(collapse("".join(a.itertext())) for n in by_type(nav, kind) for a in n.iterfind(".//x:a", NS))
        assert len(by_type(nav, kind)) == (1 if placed(package, tag) else 0)


def test_links_resolve_both_ways(files: dict[str, Path]) -> None:
    """Every internal link has its target: terms -> glossary, glossary -> each use,
    citations -> sources, nav -> sections."""
    for name in ("article", "book", "brochure"):
        package = reader.package(files[name].read_bytes())
        ids = ids_of(package)
        for member, root in package.documents():
            for a in root.iterfind(".//x:a[@href]", NS):
                target = a.get("href")
                if target.startswith(("http:", "https:", "mailto:")):
                    continue
                file, _, fragment = target.partition("#")
                file = file or member.split("/", 1)[1]
                assert file in ids, f"{member}: link to a missing file {target}"
                assert not fragment or fragment in ids[file], f"{member}: link to a missing id {target}"


def test_epub_semantics(files: dict[str, Path], corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    package = reader.package(files["article"].read_bytes())
    chapter = doc(package, "chapter-1.xhtml")
    assert chapter.find("x:body", NS).get(EPUB_TYPE) == "bodymatter"
    sections = by_type(chapter, "chapter")
    assert len(sections) == 1 and sections[0].get("role") == "doc-chapter"
    # the ids of the article's web page
    assert {f"sec-{s.id}" for s in article.iter_sections()} <= {str(i) for i in chapter.xpath("//@id")}
    terms = by_type(chapter, "glossref")
    used = [n for n in walk(article) if isinstance(n, Term)]
    assert len(terms) == len(used) and all(t.get("role") == "doc-glossref" for t in terms)

    glossary = doc(package, "glossary.xhtml")
    assert glossary.find("x:body", NS).get(EPUB_TYPE) == "backmatter"
    assert [e.get("role") for e in by_type(glossary, "glossary")] == ["doc-glossary"]
    assert {collapse("".join(t.itertext())) for t in by_type(glossary, "glossterm")} == {
        e.term for e in article.glossary.values()
    }
    assert len(by_type(glossary, "glossdef")) == len(article.glossary)
    backlinks = glossary.findall(".//x:a[@role='doc-backlink']", NS)
    assert sorted(a.get("href") for a in backlinks) == sorted(f"chapter-1.xhtml#{t.get('id')}" for t in terms)

    sources = doc(package, "sources.xhtml")
    assert [e.get("role") for e in by_type(sources, "bibliography")] == ["doc-bibliography"]
    entries = by_type(sources, "biblioentry")
    assert [e.get("data-source") for e in entries] == [c.id for c in article.references]


def test_figures_notes_and_languages(files: dict[str, Path], corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    package = reader.package(files["article"].read_bytes())
    chapter = doc(package, "chapter-1.xhtml")
    figures = [n for n in walk(article) if isinstance(n, Figure)]
    found = chapter.findall(".//x:figure", NS)
    assert len(found) == len(figures)
    for element, figure in zip(found, figures, strict=True):
        img = element.find("x:img", NS)
        assert img.get("alt") == figure.alt
        assert img.get("src") == epub.image_file(figure.image)
        assert package.archive.read(f"EPUB/{img.get('src')}") == figure.image.data
        assert collapse("".join(element.find("x:figcaption", NS).itertext())).startswith(collapse(inline_text(figure.caption)))
    # the Germany note is an aside, named by its label and marked with its region
    asides = [a for a in chapter.iterfind(".//x:aside", NS) if a.get("data-region") == "DE"]
    assert len(asides) == 1 and "Germany" in "".join(asides[0].itertext())
    assert asides[0].get("aria-labelledby")
    # passages in German keep their language
    assert chapter.xpath("//x:span[@lang='de']", namespaces=NS)


def test_cover(files: dict[str, Path], corpus: healthinfo.Corpus) -> None:
    # every e-book has a raster cover image, shown alone on the cover page; a book's
    # own (fitted to the stores' limits: tests/test_epub_store.py) or a generated one
    for name in ("book", "article"):
        package = reader.package(files[name].read_bytes())
        cover = doc(package, "cover.xhtml")
        img = cover.find(".//x:img", NS)
        assert img is not None and img.get("alt") and img.get("width") is None
        (item,) = [i for i in package.manifest().values() if i.get("properties") == "cover-image"]
        assert item.get("href") == img.get("src")
        assert not cover.findall(".//x:h1", NS)


def test_stylesheet_is_fit_for_eink_and_phones() -> None:
    """Relative units, no fonts or colours imposed (the reader's settings and themes
    apply), no positioning that reading systems mishandle."""
    import re

    css = re.sub(r"/\*.*?\*/", "", epub.STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    declarations = [
        (prop.strip(), value.strip())
        for prop, value in re.findall(r"([a-z-]+)\s*:\s*([^;{}]+)", css)
        if not prop.strip().startswith("--")
    ]
    assert declarations
    for prop, value in declarations:
        assert prop not in ("position", "font-family", "background", "background-color", "float"), prop
        assert prop != "color" or value == "inherit", (prop, value)
        # hairline borders aside, sizes are relative (em, %)
        if not prop.startswith("border") and prop not in ("width", "height", "margin"):
            assert not re.search(r"\d(px|pt|cm|mm|in|pc)\b", value), (prop, value)
        if prop in ("width", "height", "margin"):
            assert not re.search(r"[2-9]\d*px|\d(pt|cm|mm|in|pc)\b", value), (prop, value)


# ---------------------------------------------------------------------------
# Accessibility claims, derived from the content


def without_figures(article: Article) -> Article:
    def strip(blocks: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(b for b in blocks if not isinstance(b, Figure))

    def section(s: Section) -> Section:
        return s.model_copy(update={"blocks": strip(s.blocks), "sections": tuple(section(c) for c in s.sections)})

    stripped = article.model_copy(update={"blocks": strip(article.blocks), "sections": tuple(section(s) for s in article.sections)})
    return Article.model_validate(stripped.model_dump())


def test_accessibility_metadata_follows_the_figures(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    with_figures = opf_metas(reader.package(render(article, "epub")))
    assert with_figures["schema:accessMode"] == ["textual", "visual"]
    assert with_figures["schema:accessModeSufficient"] == ["textual", "textual,visual"]
    assert "alternativeText" in with_figures["schema:accessibilityFeature"]
    plain = without_figures(article)
    assert not [n for n in walk(plain) if isinstance(n, Figure)]
    text_only = opf_metas(reader.package(render(plain, "epub")))
    assert text_only["schema:accessMode"] == ["textual"]
    assert text_only["schema:accessModeSufficient"] == ["textual"]
    assert "alternativeText" not in text_only["schema:accessibilityFeature"]
    for metas in (with_figures, text_only):
        assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(metas["schema:accessibilityFeature"])
        assert metas["schema:accessibilityHazard"] == ["none"]
        assert metas["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
        assert "a11y:certifiedBy" not in metas
        assert len(metas["schema:accessibilitySummary"]) == 1
    assert "image" in with_figures["schema:accessibilitySummary"][0]
    assert "image" not in text_only["schema:accessibilitySummary"][0]


@settings(max_examples=25, deadline=None)
@given(article=articles())
def test_generated_accessibility_claims(article: Article) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        metas = opf_metas(reader.package(render(article, "epub")))
    has_figures = any(isinstance(n, Figure) for n in walk(article))
    assert ("visual" in metas["schema:accessMode"]) == has_figures
    assert ("alternativeText" in metas["schema:accessibilityFeature"]) == has_figures


# ---------------------------------------------------------------------------
# Determinism


def test_deterministic_zip(documents: dict[str, Article | Book]) -> None:
    for document in documents.values():
        first, second = render(document, "epub").data, render(document, "epub").data
        assert first == second
        archive = zipfile.ZipFile(io.BytesIO(first))
        infos = archive.infolist()
        # mimetype first, stored, no extra field (EPUB 3.3, 4.2.3 / OCF ZIP container)
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED and infos[0].extra == b""
        assert archive.read("mimetype") == b"application/epub+zip"
        assert first[30:38] == b"mimetype"
        assert len({info.date_time for info in infos}) == 1


def test_dates_come_from_content_or_source_date_epoch(corpus: healthinfo.Corpus) -> None:
    article = corpus.articles[ARTICLE_ID]
    default = render(article, "epub").data
    info = zipfile.ZipFile(io.BytesIO(default)).infolist()[0]
    assert info.date_time[:3] == (article.updated.year, article.updated.month, article.updated.day)
    epoch = 1_700_000_000  # 2023-11-14T22:13:20Z
    pinned = render(article, "epub", source_date_epoch=epoch).data
    assert pinned == render(article, "epub", source_date_epoch=epoch).data
    package = reader.package(pinned)
    assert opf_metas(package)["dcterms:modified"] == ["2023-11-14T22:13:20Z"]
    assert dc(package, "date") == [article.updated.isoformat()]
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC)
    assert zipfile.ZipFile(io.BytesIO(pinned)).infolist()[0].date_time[:5] == stamp.timetuple()[:5]
    # before 1980 (the first date a zip can hold) the zip says 1980; the OPF the truth
    early = reader.package(render(article, "epub", source_date_epoch=0))
    assert opf_metas(early)["dcterms:modified"] == ["1970-01-01T00:00:00Z"]


# ---------------------------------------------------------------------------
# Errors, the reader's guard, the CLI


def test_rejects_other_objects() -> None:
    with pytest.raises(ExportError, match="Article or a Book"):
        epub.render("not a document", epub.Options())  # type: ignore[arg-type]


def test_reader_refuses_unsafe_archives() -> None:
    for name in ("../evil.xhtml", "/etc/passwd", "EPUB/../../x", "C:/x"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("mimetype", "application/epub+zip")
            archive.writestr(name, "x")
        with pytest.raises(reader.UnsafeArchive):
            reader.open_zip(buffer.getvalue())


def test_cli_exports_article_and_book(tmp_path: Path) -> None:
    runner = CliRunner()
    for target in (ARTICLE_ID, BOOK_ID):
        out = tmp_path / f"{target}.epub"
        result = runner.invoke(app, ["export", target, "-f", "epub", "-o", str(out), "-c", str(CORPUS)])
        assert result.exit_code == 0, result.output
        assert zipfile.ZipFile(out).read("mimetype") == b"application/epub+zip"
