"""The JATS importer and the exporters under hostile input (docs/security.md, "The
importer and the exporters under hostile input"): bad input gives a JatsImportError or
an ExportError with a plain message, never a traceback of another type or a hang.

Time linear in the size of an article is measured by benchmarks/scale.py, which
prints figures; no test here asserts a duration.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import healthinfo
from healthinfo.exporters import ExportError, ExportOptionError, Rendered
from healthinfo.importers import MAX_DEPTH, JatsImportError, read_jats
from healthinfo.schema import Article, Emphasis, Paragraph, Strong, Text

from .conftest import ROOT, as_imported

ARTICLE_ID = "metastatic-breast-cancer-treatment"


@functools.cache
def _shipped() -> tuple[Article, Rendered]:
    # A plain function, not a fixture: hypothesis would print the document with
    # every failing example.
    article = healthinfo.load_corpus(ROOT / "corpus").articles[ARTICLE_ID]
    return article, healthinfo.render(article, "jats")


@pytest.fixture(scope="module")
def article() -> Article:
    return _shipped()[0]


@pytest.fixture(scope="module")
def rendered() -> Rendered:
    return _shipped()[1]


# ---------------------------------------------------------------------------
# 1. Dates out of range


@pytest.mark.parametrize(
    ("find", "replace"),
    [
        (rb"<year>\d+</year>", b"<year>99999999999</year>"),
        (rb"<year>\d+</year>", b"<year>0</year>"),
        (rb"<year>\d+</year>", b"<year>-5</year>"),
        (rb"<year>\d+</year>", b"<year>" + b"9" * 5000 + b"</year>"),
        (rb"<month>\d+</month>", b"<month>13</month>"),
        (rb"<month>\d+</month>", b"<month>99999999999999999999</month>"),
        (rb"<day>\d+</day>", b"<day>32</day>"),
        (rb"<day>\d+</day>", b"<day>99999999999999999999</day>"),
        (rb"<day>\d+</day>", b"<day>x</day>"),
    ],
)
def test_a_date_out_of_range_is_a_plain_error_with_its_line(rendered: Rendered, find: bytes, replace: bytes) -> None:
    data = re.sub(find, replace, rendered.data)
    assert data != rendered.data
    with pytest.raises(JatsImportError, match=r"^line \d+: <(pub-date|year|month|day)>"):
        read_jats(data, rendered.resources)


# ---------------------------------------------------------------------------
# 2. Image paths that would leave the output folder

UNSAFE_HREFS = [
    "../../../x.png",
    "images/../../x.png",
    "/etc/cron.d/evil",
    "images\\x.png",
    "..\\..\\x.png",
    "https://example.org/x.png",
    "file:///etc/passwd",
    "C:/Windows/x.png",
    "c:x.png",
    "images//x.png",
    "./x.png",
    "images/",
]


def _with_href(rendered: Rendered, href: str) -> tuple[bytes, dict[str, bytes]]:
    old = next(iter(rendered.resources))
    attribute = etree.tostring(etree.Element("x", {"a": href})).decode()[6:-3]  # the escaped value
    data = rendered.data.replace(f'"{old}"'.encode(), f'"{attribute}"'.encode())
    assert data != rendered.data
    return data, {href: rendered.resources[old]}


@pytest.mark.parametrize("href", UNSAFE_HREFS)
def test_an_image_path_that_leaves_its_folder_is_refused(rendered: Rendered, href: str) -> None:
    data, resources = _with_href(rendered, href)
    with pytest.raises(JatsImportError, match=r"^line \d+: <graphic> names the image .*must be relative"):
        read_jats(data, resources)


@pytest.mark.parametrize("path", ["../outside.png", "/abs.png", "a\\b.png", "C:x.png"])
def test_an_unsafe_image_path_in_custom_meta_is_refused(rendered: Rendered, path: str) -> None:
    # The model path of a renamed image is recorded in custom-meta (image-path).
    href = next(iter(rendered.resources))
    record = (
        f'<custom-meta xlink:href="{href}"><meta-name>image-path</meta-name>'
        f"<meta-value>{path}</meta-value></custom-meta></custom-meta-group>"
    )
    data = rendered.data.replace(b"</custom-meta-group>", record.encode(), 1)
    with pytest.raises(JatsImportError, match="names the image"):
        read_jats(data, rendered.resources)


def test_a_safe_image_path_still_reads(article: Article, rendered: Rendered) -> None:
    assert read_jats(rendered.data, rendered.resources) == as_imported(article)


# ---------------------------------------------------------------------------
# 1. Mutations of a valid document: a model or a JatsImportError, nothing else

NASTY_VALUES = [
    "", " ", "0", "-1", "99999999999999999999", "x" * 300, "../x.png", "/etc/passwd", "C:\\x",
    "https://example.org/", "javascript:alert(1)", "order", "bullet", "sec-", "gloss-", "fig-",
    "bibr", "term", "image-size", "1x1", "0x0", "-1x-1", "update", "published", "2", "\u202e", "\U0001f600",
]


def _mutate_tree(data: bytes, operations: list[tuple[int, int, int]]) -> bytes:
    """Deletions, duplications, attribute and text changes of elements, by index."""
    root = etree.fromstring(data)
    for which, kind, value in operations:
        nodes = [e for e in root.iter() if isinstance(e.tag, str)]
        element = nodes[which % len(nodes)]
        parent = element.getparent()
        nasty = NASTY_VALUES[value % len(NASTY_VALUES)]
        if kind == 0 and parent is not None:
            parent.remove(element)
        elif kind == 1 and parent is not None:
            element.addnext(copy.deepcopy(element))
        elif kind == 2 and element.attrib:
            names = list(element.attrib)
            element.set(names[value % len(names)], nasty)
        elif kind == 3:
            element.text = nasty
        elif kind == 4 and parent is not None:
            parent.append(element)  # moved to the end of its parent
        elif kind == 5:
            # Numbers (dates, list labels, image sizes) are where conversions fail.
            numbers = [e for e in nodes if (e.text or "").strip().isdigit()] or nodes
            numbers[which % len(numbers)].text = nasty
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _mutate_bytes(data: bytes, operations: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for position, byte in operations:
        if byte < 256:
            mutable[position % len(mutable)] = byte
        else:
            del mutable[position % len(mutable)]
    return bytes(mutable)


def _read_or_refuse(data: bytes, resources: dict[str, bytes]) -> None:
    try:
        result = read_jats(data, resources)
    except JatsImportError as error:
        assert str(error) and "Traceback" not in str(error)
    else:
        assert isinstance(result, Article)


_HOSTILE = settings(
    max_examples=300, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_HOSTILE
@given(operations=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 5), st.integers(0, 100)), min_size=1, max_size=4))
def test_tree_mutations_read_or_are_refused(operations: list[tuple[int, int, int]]) -> None:
    rendered = _shipped()[1]
    _read_or_refuse(_mutate_tree(rendered.data, operations), rendered.resources)


@_HOSTILE
@given(operations=st.lists(st.tuples(st.integers(0, 100_000), st.integers(0, 256)), min_size=1, max_size=6))
def test_byte_mutations_read_or_are_refused(operations: list[tuple[int, int]]) -> None:
    rendered = _shipped()[1]
    _read_or_refuse(_mutate_bytes(rendered.data, operations), rendered.resources)


@_HOSTILE
@given(
    position=st.integers(0, 100_000),
    text=st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=20),
)
def test_character_insertions_read_or_are_refused(position: int, text: str) -> None:
    rendered = _shipped()[1]
    data = rendered.data
    at = position % len(data)
    _read_or_refuse(data[:at] + text.encode() + data[at:], rendered.resources)


# ---------------------------------------------------------------------------
# 3. Linear time (measured by benchmarks/scale.py): the steps that made it linear
# keep the bytes


def test_adjacent_text_nodes_are_written_as_one_run(article: Article) -> None:
    # The JATS writer joins runs of Text before appending them (one copy, not n).
    words = [Text(text=f"w{n} ") for n in range(2000)]
    split = Paragraph(children=[*words, Emphasis(children=[Text(text="e")]), *words])
    joined = Paragraph(children=[Text(text="".join(w.text for w in words)), Emphasis(children=[Text(text="e")]),
                                 Text(text="".join(w.text for w in words))])
    assert healthinfo.export(article.model_copy(update={"blocks": (split,)}), "jats") == healthinfo.export(
        article.model_copy(update={"blocks": (joined,)}), "jats"
    )


def test_text_split_by_comments_reads_as_one_text_node(rendered: Rendered) -> None:
    # The importer gathers runs of text split by comments and makes one Text node.
    pieces = "".join(f"part {n}<!-- {n} -->" for n in range(3000))
    data = rendered.data.replace(b"<p>When breast", f"<p>{pieces}When breast".encode(), 1)
    imported = read_jats(data, rendered.resources)
    paragraph = next(b for b in imported.blocks if isinstance(b, Paragraph))
    assert len(paragraph.children) == 1 and isinstance(paragraph.children[0], Text)
    assert paragraph.children[0].text.startswith("part 0part 1part 2")


def test_a_paragraph_of_many_inline_nodes_round_trips(article: Article) -> None:
    children: list[Any] = []
    for n in range(3000):
        children += [Text(text=f"word {n} "), Emphasis(children=[Text(text="e")])]
    big = article.model_copy(update={"blocks": (Paragraph(children=children),)})
    result = healthinfo.render(big, "jats")
    assert read_jats(result.data, result.resources).blocks == big.blocks


# ---------------------------------------------------------------------------
# 4. SOURCE_DATE_EPOCH beyond what a zip can hold

EPOCH_2200 = int(dt.datetime(2200, 1, 1, tzinfo=dt.UTC).timestamp())
#: The last moment a zip holds: 2107-12-31 23:59:58 UTC.
ZIP_LAST = (2107, 12, 31, 23, 59, 58)


@pytest.mark.parametrize("format", ["epub", "docx"])
@pytest.mark.parametrize("epoch", [EPOCH_2200, 4354819199, 4354819200, 253_402_300_799])
def test_a_zip_after_2107_is_dated_at_its_last_moment(article: Article, format: str, epoch: int) -> None:
    data = healthinfo.export(article, format, source_date_epoch=epoch)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {ZIP_LAST}
        assert package.testzip() is None


@pytest.mark.parametrize("format", ["epub", "docx"])
def test_a_zip_before_1980_is_dated_1980(article: Article, format: str) -> None:
    data = healthinfo.export(article, format, source_date_epoch=0)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_epub_keeps_the_true_moment_in_its_metadata(article: Article) -> None:
    # Only the zip's dates are clamped; dcterms:modified holds the moment given.
    data = healthinfo.export(article, "epub", source_date_epoch=EPOCH_2200)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        opf = next(n for n in package.namelist() if n.endswith(".opf"))
        assert b"2200-01-01T00:00:00Z" in package.read(opf)


@pytest.mark.parametrize("format", ["html", "epub", "jats", "docx", "onix"])
@pytest.mark.parametrize("epoch", [-1, 253_402_300_800, 10**20, 2**63, "soon", 1.5, [1]])
def test_an_epoch_out_of_range_is_an_option_error(article: Article, format: str, epoch: object) -> None:
    with pytest.raises(ExportOptionError, match=f"^{format} option source_date_epoch: .*given"):
        healthinfo.export(article, format, source_date_epoch=epoch)


def test_an_epoch_past_the_bounds_of_the_model_is_an_export_error(article: Article) -> None:
    # Bypassing validation (model_construct) still gives an ExportError, never an
    # OverflowError or OSError from the platform's time_t.
    options = healthinfo.exporters.get("epub").options.model_construct(source_date_epoch=10**20)
    with pytest.raises(ExportError, match="out of range"):
        options.timestamp(dt.date(2024, 1, 1))


# ---------------------------------------------------------------------------
# 5. The public calls with wrong arguments


@functools.cache
def _corpus() -> healthinfo.Corpus:
    return healthinfo.load_corpus(ROOT / "corpus")


@pytest.mark.parametrize("call", [healthinfo.render, healthinfo.export, healthinfo.exporters.export])
@pytest.mark.parametrize(
    ("document", "message"),
    [
        (None, "not NoneType"),
        ("metastatic-breast-cancer-treatment", "not str"),
        (b"<article/>", "not bytes"),
        ({"id": "x"}, "not dict"),
        ("corpus", "not a Corpus; pick one"),
    ],
)
def test_a_document_that_is_not_an_article_or_book(call: Any, document: object, message: str) -> None:
    value = _corpus() if document == "corpus" else document
    with pytest.raises(TypeError, match=message):
        call(value, "html")


@pytest.mark.parametrize(
    ("format", "error", "message"),
    [
        ("rtf", ExportError, "unknown format 'rtf'; registered formats: html, epub, jats, docx, pdf, onix"),
        ("HTML", ExportError, "unknown format 'HTML'"),
        ("", ExportError, "unknown format ''"),
        (None, TypeError, "the format is a name such as 'html'"),
        (["html"], TypeError, "not list"),
        (3, TypeError, "not int"),
    ],
)
def test_a_format_that_is_not_registered(article: Article, format: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        healthinfo.export(article, format)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"colour": "red"}, "html has no option 'colour'; its options: source_date_epoch"),
        ({"source_date_epoch": "soon"}, "html option source_date_epoch: Input should be a valid integer"),
        ({"template_dir": 5}, "html option template_dir: "),
    ],
)
def test_an_option_the_format_refuses(article: Article, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ExportOptionError, match=re.escape(message)) as raised:
        healthinfo.export(article, "html", **options)
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, healthinfo.HealthinfoError)


def test_a_jats_option_of_the_wrong_type(article: Article) -> None:
    with pytest.raises(ExportOptionError, match=r"jats option issn: Input should be a valid string \(given: 5\)"):
        healthinfo.export(article, "jats", issn=5)
    with pytest.raises(ExportOptionError, match="jats option issn: String should match"):
        healthinfo.export(article, "jats", issn="not an issn")


def test_a_book_to_a_format_of_articles(article: Article) -> None:
    book = next(iter(_corpus().books.values()))
    with pytest.raises(ExportError, match="JATS holds one article per file"):
        healthinfo.export(book, "jats")


# ---------------------------------------------------------------------------
# Nesting: the importer's bound, and an error (not a RecursionError) from the exporters


def _nested_italic(rendered: Rendered, depth: int) -> bytes:
    nest = b"<italic>" * depth + b"x" + b"</italic>" * depth
    return rendered.data.replace(b"<p>When breast", b"<p>" + nest + b"When breast", 1)


def test_a_document_nested_too_deep_is_refused(rendered: Rendered) -> None:
    with pytest.raises(JatsImportError, match=rf"^line 3: <italic> is nested {MAX_DEPTH + 1} elements deep"):
        read_jats(_nested_italic(rendered, 100), rendered.resources)


def test_the_deepest_document_read_exports_in_every_format(rendered: Rendered) -> None:
    deepest = read_jats(_nested_italic(rendered, MAX_DEPTH - 5), rendered.resources)  # article/body/p/…
    for format in healthinfo.formats():
        assert healthinfo.render(deepest, format).data


def test_content_nested_too_deep_to_export_is_an_export_error(article: Article) -> None:
    node: Any = Text(text="x")
    for level in range(400):
        node = (Emphasis if level % 2 else Strong)(children=[node])
    deep = article.model_copy(update={"blocks": (Paragraph(children=[node]),)})
    for format in healthinfo.formats():
        if not healthinfo.exporters.get(format).holds_text:  # a metadata record renders no content
            assert healthinfo.render(deep, format).data
            continue
        with pytest.raises(ExportError, match="nests its content too deeply"):
            healthinfo.render(deep, format)
