"""The cross-format consistency check: every format of an article must show the same
sections (ids, titles, nesting) in the same order, the same figures with their alt
text, and the same number of sources, glossary entries and list items.

No publishing tool checks this; healthinfo reads each of its outputs back with that
format's own structure (lxml for HTML and JATS, the zip and python-docx's XML for
DOCX, the XHTML inside an EPUB) into an :class:`Outline`, and compares them with each
other and with the model.

    healthinfo check-outputs build/
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from .schema import Article, Figure, ListItem, Section, inline_text, walk

__all__ = ["Outline", "Inconsistency", "expected_outline", "read_outline", "check_outputs", "READERS"]

#: Largest output file read back (bytes), and largest zip member.
MAX_BYTES = 200_000_000


@dataclass(frozen=True)
class Outline:
    """What every format of an article must agree on."""

    sections: tuple[tuple[int, str], ...]  # (depth, title), depth 1 = top-level section
    section_ids: tuple[str, ...] | None  # None: the format does not keep the model's ids
    figures: tuple[str, ...]  # alt texts, in order
    references: int
    glossary: int
    list_items: int


@dataclass(frozen=True)
class Inconsistency:
    article: str
    format: str
    what: str
    expected: object
    found: object

    def __str__(self) -> str:
        if self.what == "file":
            return f"{self.article} ({self.format}): the file cannot be read: {self.found}"
        return f"{self.article} ({self.format}): {self.what} differ: expected {self.expected!r}, found {self.found!r}"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def expected_outline(article: Article) -> Outline:
    """The outline the model says every format must show."""
    sections: list[tuple[int, str]] = []
    ids: list[str] = []

    def visit(items: Iterable[Section], depth: int) -> None:
        for section in items:
            sections.append((depth, _collapse(inline_text(section.title))))
            ids.append(section.id)
            visit(section.sections, depth + 1)

    visit(article.sections, 1)
    everything = [article.blocks, article.sections, article.back]
    return Outline(
        sections=tuple(sections),
        section_ids=tuple(ids),
        figures=tuple(_collapse(n.alt) for n in walk(everything) if isinstance(n, Figure)),
        references=len(article.references),
        glossary=len(article.glossary),
        list_items=sum(1 for n in walk(everything) if isinstance(n, ListItem)),
    )


# ---------------------------------------------------------------- readers


def _text(element: etree._Element, skip: Callable[[etree._Element], bool]) -> str:
    """The text of ``element`` without the elements ``skip`` picks (citation markers,
    which the model keeps as references, not text), keeping what follows them; a line
    break reads as a space, as in the model's plain text."""

    def gather(node: etree._Element, parts: list[str]) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str) and (
                etree.QName(child).localname in ("br", "break") or child.get("content-type") == "line-break"
            ):
                parts.append(" ")  # JATS writes a break where <break/> is not allowed as named-content
            elif isinstance(child.tag, str) and not skip(child):
                gather(child, parts)
            parts.append(child.tail or "")

    parts: list[str] = []
    gather(element, parts)
    return _collapse("".join(parts))


def _html_citation(element: etree._Element) -> bool:
    return "cite" in (element.get("class") or "").split()


def _jats_citation(element: etree._Element) -> bool:
    return (element.tag == "xref" and element.get("ref-type") == "bibr") or (
        element.tag == "named-content" and element.get("content-type") == "citation"
    )


def _html_outline(root: etree._Element) -> Outline:
    """The HTML exporter's page (or an EPUB chapter, which reuses its markup)."""
    def local(element: etree._Element) -> str:
        return etree.QName(element).localname if isinstance(element.tag, str) else ""

    sections: list[tuple[int, str]] = []
    ids: list[str] = []
    for section in root.iter():
        if local(section) != "section" or not (section.get("id") or "").startswith("sec-"):
            continue
        depth = 1 + sum(1 for a in section.iterancestors() if local(a) == "section" and (a.get("id") or "").startswith("sec-"))
        heading = next((c for c in section if local(c) in ("h2", "h3", "h4", "h5", "h6")), None)
        title = _text(heading, _html_citation) if heading is not None else ""
        sections.append((depth, title))
        ids.append(section.get("id", "")[len("sec-"):])

    def inside(element: etree._Element, *classes: str) -> bool:
        return any(
            local(a) == "nav" or any(c in (a.get("class") or "").split() for c in classes)
            for a in element.iterancestors()
        )

    figures = [
        _collapse(img.get("alt", ""))
        for img in root.iter()
        if local(img) == "img" and any(local(a) == "figure" for a in img.iterancestors())
    ]
    references = sum(
        1 for li in root.iter() if local(li) == "li" and inside(li, "references") and (li.get("id") or "").startswith("ref-")
    )
    glossary = sum(1 for dt in root.iter() if local(dt) == "dt" and inside(dt, "glossary"))
    list_items = sum(1 for li in root.iter() if local(li) == "li" and not inside(li, "references", "glossary", "toc"))
    return Outline(tuple(sections), tuple(ids), tuple(figures), references, glossary, list_items)


def read_html(data: bytes) -> Outline:
    return _html_outline(html.document_fromstring(data))


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_jats(data: bytes) -> Outline:
    root = etree.fromstring(data, _SAFE_XML)
    body = root.find("body")
    sections: list[tuple[int, str]] = []
    ids: list[str] = []
    if body is not None:
        for sec in body.iter("sec"):
            depth = sum(1 for a in sec.iterancestors("sec")) + 1
            title = sec.find("title")
            sections.append((depth, _text(title, _jats_citation) if title is not None else ""))
            ids.append((sec.get("id") or "")[len("sec-"):])
    figures = [_collapse("".join(alt.itertext())) for alt in root.iter("alt-text") if any(a.tag == "fig" for a in alt.iterancestors())]
    return Outline(
        sections=tuple(sections),
        section_ids=tuple(ids),
        figures=tuple(figures),
        references=sum(1 for _ in root.iter("ref")),
        glossary=sum(1 for _ in root.iter("def-item")),
        list_items=sum(1 for _ in root.iter("list-item")),
    )


def _zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        if info.file_size > MAX_BYTES:
            raise ValueError(f"{name} is too large to read back")
        return archive.read(info)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def read_docx(data: bytes) -> Outline:
    """Word keeps no section ids: headings are compared by level and text."""
    root = etree.fromstring(_zip_member(data, "word/document.xml"), _SAFE_XML)
    styles: list[tuple[str, etree._Element]] = []
    for paragraph in root.iter(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        styles.append((style.get(f"{_W}val") if style is not None else "Normal", paragraph))
    headings = []
    for index, (style, paragraph) in enumerate(styles):
        if not (style.startswith("Heading") and style[len("Heading"):].isdigit()):
            continue
        following = styles[index + 1][0] if index + 1 < len(styles) else ""
        if following in ("GlossaryTerm", "Reference"):
            continue  # the heading of the glossary or the reference list, not a section
        headings.append((int(style[len("Heading"):]), paragraph))
    base = min((level for level, _ in headings), default=1)
    # A single article's title is the Title style and its sections Heading 1; in a book
    # the article title is Heading 1. Only section headings are compared.
    def heading_text(paragraph: etree._Element) -> str:
        texts = []
        for run in paragraph.iter(f"{_W}r"):
            style = run.find(f"{_W}rPr/{_W}rStyle")
            if style is not None and style.get(f"{_W}val") == "CitationChar":
                continue
            for part in run:
                if part.tag == f"{_W}t":
                    texts.append(part.text or "")
                elif part.tag in (f"{_W}br", f"{_W}cr"):
                    texts.append(" ")
        return _collapse("".join(texts))

    sections = tuple((level - base + 1, heading_text(p)) for level, p in headings)
    figures = tuple(_collapse(d.get("descr", "")) for d in root.iter(f"{_WP}docPr"))
    return Outline(
        sections=sections,
        section_ids=None,
        figures=figures,
        references=sum(1 for s, _ in styles if s == "Reference"),
        glossary=sum(1 for s, _ in styles if s == "GlossaryTerm"),
        list_items=sum(1 for s, p in styles if s.startswith(("ListBullet", "ListNumber")) and p.find(f"{_W}pPr/{_W}numPr") is not None),
    )


_OPF = "{http://www.idpf.org/2007/opf}"


def read_epub(data: bytes) -> Outline:
    """The content documents of the spine, in order (not the cover, title page or
    navigation document), read as the HTML exporter's markup they reuse."""
    container = etree.fromstring(_zip_member(data, "META-INF/container.xml"), _SAFE_XML)
    rootfile = next(e for e in container.iter() if etree.QName(e).localname == "rootfile")
    opf_path = rootfile.get("full-path", "")
    if opf_path.startswith("/") or ".." in opf_path.split("/"):
        raise ValueError("the EPUB's package document path leaves the package")
    opf = etree.fromstring(_zip_member(data, opf_path), _SAFE_XML)
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    items = {i.get("id"): i for i in opf.iter(f"{_OPF}item")}
    outlines = []
    for itemref in opf.iter(f"{_OPF}itemref"):
        item = items.get(itemref.get("idref"))
        if item is None or "nav" in (item.get("properties") or "").split() or item.get("id") in ("cover", "titlepage"):
            continue
        href = item.get("href", "")
        if href.startswith("/") or ".." in href.split("/") or item.get("media-type") != "application/xhtml+xml":
            continue
        outlines.append(_html_outline(etree.fromstring(_zip_member(data, base + href), _SAFE_XML)))
    return Outline(
        sections=tuple(s for o in outlines for s in o.sections),
        section_ids=tuple(i for o in outlines for i in (o.section_ids or ())),
        figures=tuple(f for o in outlines for f in o.figures),
        references=sum(o.references for o in outlines),
        glossary=sum(o.glossary for o in outlines),
        list_items=sum(o.list_items for o in outlines),
    )


#: Format name -> reader of an exported article.
READERS: dict[str, Callable[[bytes], Outline]] = {
    "html": read_html,
    "epub": read_epub,
    "jats": read_jats,
    "docx": read_docx,
}


def read_outline(format_name: str, data: bytes) -> Outline:
    try:
        reader = READERS[format_name]
    except KeyError:
        raise ValueError(f"no outline reader for the format {format_name!r}") from None
    return reader(data)


def compare(article_id: str, format_name: str, expected: Outline, found: Outline) -> list[Inconsistency]:
    problems: list[Inconsistency] = []
    for what in ("sections", "figures", "references", "glossary", "list_items"):
        if getattr(expected, what) != getattr(found, what):
            problems.append(Inconsistency(article_id, format_name, what.replace("_", " "), getattr(expected, what), getattr(found, what)))
    if found.section_ids is not None and expected.section_ids is not None and found.section_ids != expected.section_ids:
        problems.append(Inconsistency(article_id, format_name, "section ids", expected.section_ids, found.section_ids))
    return problems


@dataclass
class CheckReport:
    checked: list[tuple[str, str]] = field(default_factory=list)  # (article id, format)
    problems: list[Inconsistency] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_outputs(out: str | Path, corpus: object | None = None) -> CheckReport:
    """Compare the outputs of every article in a build folder (``OUT/<format>/<id>.*``).

    With a loaded ``corpus`` (a :class:`~healthinfo.Corpus`), each format is compared
    with the model; without it, each format is compared with the first format that
    has the article (and the model's ids where a format keeps them)."""
    from .exporters import get

    root = Path(out)
    report = CheckReport()
    found: dict[str, dict[str, Outline]] = {}
    for format_name in READERS:
        folder = root / format_name
        if not folder.is_dir():
            continue
        extension = get(format_name).EXTENSION
        for path in sorted(folder.glob(f"*{extension}")):
            if path.stat().st_size > MAX_BYTES:
                continue
            article_id = path.name[: -len(extension)]
            try:
                outline = read_outline(format_name, path.read_bytes())
            except (etree.XMLSyntaxError, zipfile.BadZipFile, KeyError, ValueError, StopIteration) as error:
                # A damaged output is a finding, not a crash of the check.
                report.checked.append((article_id, format_name))
                report.problems.append(Inconsistency(article_id, format_name, "file", "a readable file", str(error)))
                continue
            found.setdefault(article_id, {})[format_name] = outline
    articles = getattr(corpus, "articles", None)
    for article_id, outlines in sorted(found.items()):
        if articles is not None and article_id in articles:
            reference = expected_outline(articles[article_id])
        else:
            reference = next(iter(outlines.values()))
        for format_name, outline in outlines.items():
            report.checked.append((article_id, format_name))
            report.problems += compare(article_id, format_name, reference, outline)
    return report


