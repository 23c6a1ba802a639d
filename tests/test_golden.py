"""Golden files: the whole output of the shipped article in every registered format, and
of the shipped books in every format that takes books (STYLE.md habit 9).

The files in tests/golden/ are normalised so that a change reads as a small diff:

- HTML: the page as it is, but each embedded stylesheet (``<style>`` content) replaced
  by its size and sha256, and each ``data:`` URI by ``data:<type>;sha256=<hash>`` of
  the bytes it holds;
- a zip (EPUB, DOCX): the member list in order (compression, timestamp), then each XML
  member as canonical XML (C14N 2.0) printed one element a line, and each other member
  as its size and sha256;
- XML (JATS): its XML declaration and document type as written, then the canonical XML
  printed one element a line.

Resources written beside the main file follow as size and sha256. Everything renders
with a fixed ``source_date_epoch``. ``pytest --update-goldens tests/test_golden.py``
rewrites the files and lists the ones that changed; review that diff, never edit a
golden file by hand.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import urllib.parse
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

import healthinfo
from healthinfo.exporters import Rendered, formats, get, render
from healthinfo.schema import Article, Book

from .conftest import CORPUS, ROOT, UPDATE_GOLDENS, check_golden

__all__ = ["canonical_xml", "dump_zip", "normalise", "normalise_html"]

GOLDEN = ROOT / "tests" / "golden"
SOURCE_DATE_EPOCH = 1_700_000_000

#: Zip members read as XML (the others are listed by size and hash).
XML_SUFFIXES = (".xml", ".rels", ".opf", ".xhtml", ".ncx", ".svg")

STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style>)", re.DOTALL | re.IGNORECASE)
DATA_URI = re.compile(r"data:(?P<type>[\w.+-]+/[\w.+-]+)?(?P<params>(?:;[\w.+-]+=[^;,\"'\s]*)*)(?P<base64>;base64)?,(?P<payload>[^\"'\s)<>]*)")
PROLOG = re.compile(r"\A(?P<declaration><\?xml\b[^>]*\?>)?\s*(?P<doctype><!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)?", re.DOTALL)
# The tokens of canonical XML: C14N 2.0 writes no CDATA or DTD, quotes every attribute
# with ", and escapes " inside attribute values, so these four shapes cover it.
TOKEN = re.compile(r"<!--.*?-->|<\?.*?\?>|</[^>]+>|<[^\s/>!?]+(?:\s+[^\s=]+=\"[^\"]*\")*\s*>|[^<]+", re.DOTALL)
NAMESPACE = re.compile(r"\sxmlns(?::([^\s=]+))?=\"([^\"]*)\"")
INDENT = "  "


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def described(data: bytes) -> str:
    return f"{len(data)} bytes, sha256={sha256(data)}"


# ---------------------------------------------------------------- HTML


def _stylesheet(match: re.Match[str]) -> str:
    content = match.group(2).encode("utf-8")
    return f"{match.group(1)}/* stylesheet: {described(content)} */{match.group(3)}"


def _data_uri(match: re.Match[str]) -> str:
    payload = match.group("payload")
    if match.group("base64"):
        data = base64.b64decode(urllib.parse.unquote(payload), validate=False)
    else:
        data = urllib.parse.unquote_to_bytes(payload)
    return f"data:{match.group('type') or 'text/plain'};sha256={sha256(data)}"


def normalise_html(data: bytes) -> str:
    """The page with stylesheets and data: URIs replaced by their hashes."""
    return DATA_URI.sub(_data_uri, STYLE.sub(_stylesheet, data.decode("utf-8")))


# ---------------------------------------------------------------- XML


@dataclass
class _Element:
    start: str
    end: str = ""
    children: list[_Element | str] = field(default_factory=list)


def _tree(canonical: str) -> list[_Element | str]:
    """Canonical XML as nested elements; text, comments and processing instructions
    stay strings."""
    top: list[_Element | str] = []
    stack: list[_Element] = []
    for token in TOKEN.findall(canonical):
        children = stack[-1].children if stack else top
        if token.startswith("</"):
            stack.pop().end = token
        elif token.startswith("<") and not token.startswith(("<!--", "<?")):
            element = _Element(token)
            children.append(element)
            stack.append(element)
        else:
            children.append(token)
    assert not stack, "unbalanced canonical XML"
    return top


def _layout_only(piece: _Element | str) -> bool:
    """Whitespace with a line break between elements: indentation, not content."""
    return isinstance(piece, str) and piece.isspace() and "\n" in piece


def _one_line(node: _Element | str) -> str:
    if isinstance(node, str):
        return node.replace("\n", "&#xA;")
    return node.start + "".join(_one_line(child) for child in node.children) + node.end


def _lines(node: _Element | str, depth: int) -> Iterator[str]:
    """One element a line; an element holding text (mixed content, or text only) stays
    on one line, its line breaks written as &#xA;, so that no text is re-spaced."""
    indent = INDENT * depth
    if isinstance(node, str):
        if not _layout_only(node):
            yield indent + _one_line(node)
        return
    holds_text = any(isinstance(c, str) and not c.startswith(("<!--", "<?")) and not _layout_only(c) for c in node.children)
    if holds_text or not any(isinstance(c, _Element) for c in node.children):
        yield indent + _one_line(node)
        return
    yield indent + node.start
    for child in node.children:
        yield from _lines(child, depth + 1)
    yield indent + node.end


def _unused_namespaces(document: str, canonical: str) -> list[str]:
    """Namespace declarations of the document that C14N 2.0 leaves out because no name
    uses them. Some matter all the same: Office reads the prefixes listed in
    mc:Ignorable, which must be declared."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(document.encode("utf-8"), parser)
    declared: set[tuple[str, str]] = set()
    for element in root.iter():
        parent = element.getparent()
        inherited = parent.nsmap if parent is not None else {}
        declared |= {(prefix or "", uri) for prefix, uri in element.nsmap.items() if inherited.get(prefix) != uri}
    used = set(NAMESPACE.findall(canonical))
    return [f'xmlns:{prefix}="{uri}"' if prefix else f'xmlns="{uri}"' for prefix, uri in sorted(declared - used)]


def canonical_xml(data: bytes) -> str:
    """The XML declaration and document type as written, then the document as
    canonical XML (C14N 2.0, comments kept), one element a line."""
    text = data.decode("utf-8")
    prolog = PROLOG.match(text)
    assert prolog is not None
    head = [part for part in (prolog.group("declaration"), prolog.group("doctype")) if part]
    # The declaration goes: lxml parses no encoding declaration in a str. The document
    # type stays for the parser, which C14N then leaves out.
    body = text[len(prolog.group("declaration") or "") :]
    canonical = etree.canonicalize(body, with_comments=True)
    unused = _unused_namespaces(body, canonical)
    if unused:
        head.append(f"<!-- declared, unused by any name, so not in the canonical form: {' '.join(unused)} -->")
    lines = [line for node in _tree(canonical) for line in _lines(node, 0)]
    return "\n".join([*head, *lines]) + "\n"


# ---------------------------------------------------------------- zips


def dump_zip(data: bytes) -> str:
    """The member list (name, compression, timestamp) in order, then each member: XML
    as canonical XML one element a line, anything else as its size and sha256."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    compression = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
    out = ["members:"]
    for info in archive.infolist():
        stamp = "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}".format(*info.date_time)
        out.append(f"  {info.filename}  {compression.get(info.compress_type, str(info.compress_type))}  {stamp}")
    for info in archive.infolist():
        member = archive.read(info)
        if info.filename.endswith(XML_SUFFIXES):
            out += ["", f"=== {info.filename}", canonical_xml(member).rstrip("\n")]
        else:
            out += ["", f"=== {info.filename}: {described(member)}"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- the goldens


def dump_pdf(data: bytes) -> str:
    """A PDF as text: the document information, each page's boxes, the structure tree
    (type, /ID, /T, /Lang, /Alt of every element) and the text as its reader reads it."""
    lines: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        lines += [f"info {key} = {pdf.docinfo[key]}" for key in sorted(pdf.docinfo.keys())]
        lines.append(f"lang {pdf.Root.get('/Lang')}")
        for number, page in enumerate(pdf.pages, start=1):
            boxes = " ".join(f"{box}={[round(float(v), 2) for v in page.obj[box]]}"
                             for box in ("/MediaBox", "/TrimBox", "/BleedBox") if box in page.obj)
            lines.append(f"page {number} {boxes}")

        def visit(node: pikepdf.Object, depth: int) -> None:
            if isinstance(node, pikepdf.Dictionary) and "/S" in node:
                extra = " ".join(f"{key}={node[key]}" for key in ("/ID", "/T", "/Lang", "/Alt") if key in node)
                lines.append("  " * depth + str(node.S) + (f" {extra}" if extra else ""))
                kids = node.get("/K")
                for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                    visit(kid, depth + 1)

        kids = pdf.Root.StructTreeRoot.K
        for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [kids]):
            visit(kid, 0)
    lines.append("text:")
    lines += get("pdf").read_text(data).splitlines()
    return "\n".join(lines) + "\n"


def normalise(format_name: str, data: bytes) -> tuple[str, str]:
    """The golden text of one output and the suffix of its golden file."""
    media_type = get(format_name).media_type
    if data.startswith(b"PK\x03\x04"):
        return dump_zip(data), "txt"
    if media_type == "text/html":
        return normalise_html(data), "html"
    if media_type.endswith(("/xml", "+xml")):
        return canonical_xml(data), "xml"
    if media_type == "application/pdf":
        return dump_pdf(data), "txt"
    raise AssertionError(f"no golden normalisation for {format_name} ({media_type}); add one to tests/test_golden.py")


def golden_text(format_name: str, rendered: Rendered) -> tuple[str, str]:
    text, suffix = normalise(format_name, rendered.data)
    resources = [f"resource {path}: {described(data)}" for path, data in sorted(rendered.resources.items())]
    if resources and suffix in ("html", "xml"):
        resources = [f"<!-- {line} -->" for line in resources]
    return text + "".join(f"{line}\n" for line in resources), suffix


def documents() -> list[Article | Book]:
    corpus = healthinfo.load_corpus(CORPUS)
    return [*corpus.articles.values(), *corpus.books.values()]


def cases() -> list[pytest.ParameterSet]:
    found = []
    for document in documents():
        for format_name in formats():
            if isinstance(document, Book) and not get(format_name).accepts_books:
                continue
            found.append(pytest.param(document, format_name, id=f"{document.id}-{format_name}"))
    return found


def golden_path(document: Article | Book, format_name: str, suffix: str) -> Path:
    name = document.id if suffix == format_name else f"{document.id}.{format_name}"
    return GOLDEN / f"{name}.{suffix}"


@pytest.mark.parametrize(("document", "format_name"), cases())
def test_golden(document: Article | Book, format_name: str, request: pytest.FixtureRequest) -> None:
    text, suffix = golden_text(format_name, render(document, format_name, source_date_epoch=SOURCE_DATE_EPOCH))
    check_golden(request.config, golden_path(document, format_name, suffix), text)


def test_every_golden_file_has_a_case() -> None:
    """A golden file of a document or format that is gone fails instead of lingering."""
    expected = set()
    for param in cases():
        document, format_name = param.values
        assert isinstance(document, (Article, Book)) and isinstance(format_name, str)
        for suffix in ("html", "xml", "txt"):
            expected.add(golden_path(document, format_name, suffix).name)
    stale = sorted(p.name for p in GOLDEN.iterdir() if p.name not in expected)
    assert not stale, f"golden files without a case (delete them): {stale}"


# ---------------------------------------------------------------- the normalisation itself


def test_canonical_xml_keeps_text_and_puts_elements_on_lines() -> None:
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE a>\n<a xmlns="urn:x" z="1" b="2&gt;"><b>\n  <c>one <i>two</i> three</c>\n  <d/></b><e>x\ny</e></a>'
    assert canonical_xml(xml) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!DOCTYPE a>\n"
        '<a xmlns="urn:x" b="2>" z="1">\n'
        "  <b>\n"
        "    <c>one <i>two</i> three</c>\n"
        "    <d></d>\n"
        "  </b>\n"
        "  <e>x&#xA;y</e>\n"
        "</a>\n"
    )


def test_html_normalisation_hashes_stylesheets_and_data_uris() -> None:
    png = base64.b64encode(b"\x89PNG fake").decode()
    page = f'<head><style>\nbody {{ color: red; }}\n</style></head><img src="data:image/png;base64,{png}" alt="">'.encode()
    normal = normalise_html(page)
    css, image = sha256(b"\nbody { color: red; }\n"), sha256(b"\x89PNG fake")
    assert f"<style>/* stylesheet: 22 bytes, sha256={css} */</style>" in normal and "color: red" not in normal
    assert f'src="data:image/png;sha256={image}"' in normal


def test_a_golden_mismatch_fails_with_a_diff(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if request.config.getoption(UPDATE_GOLDENS):
        pytest.skip("checks the comparison, which --update-goldens replaces")
    path = tmp_path / "golden.txt"
    path.write_text("".join(f"line {n}\n" for n in range(200)), encoding="utf-8")
    now = "".join(f"line {n}{'!' if n % 2 else ''}\n" for n in range(200))
    with pytest.raises(pytest.fail.Exception) as failed:
        check_golden(request.config, path, now)
    message = str(failed.value)
    assert "-line 1\n+line 1!" in message and "more diff lines" in message and "--update-goldens" in message
    assert len(message.splitlines()) < 90
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        check_golden(request.config, tmp_path / "absent.txt", now)
