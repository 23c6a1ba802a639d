"""The JATS importer and the exporters under hostile input (docs/security.md, "The
importer and the exporters under hostile input"): bad input gives a JatsImportError or
an ExportError with a plain message, never a traceback of another type or a hang.

Time linear in the size of an article is measured by benchmarks/scale.py, which
prints figures; no test here asserts a duration.
"""

from __future__ import annotations

import copy
import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import healthinfo
from healthinfo.exporters import Rendered
from healthinfo.importers import JatsImportError, read_jats
from healthinfo.schema import Article

from .conftest import ROOT

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
    assert read_jats(rendered.data, rendered.resources) == article


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
