"""Reading a DOCX back (the zip and its WordprocessingML, or python-docx's reader; not
the writer): its outline for the consistency check, and the text a reader sees.

Word keeps no section ids: headings are compared by level and text."""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from ...checks.outline import SAFE_XML, Outline, collapse, zip_member

__all__ = ["read_outline", "read_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _heading_text(paragraph: etree._Element) -> str:
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
    return collapse("".join(texts))


def _headings(styles: list[tuple[str, etree._Element]]) -> list[tuple[int, etree._Element]]:
    """The section headings: not the heading of the glossary or the reference list."""
    headings = []
    for index, (style, paragraph) in enumerate(styles):
        if not (style.startswith("Heading") and style[len("Heading"):].isdigit()):
            continue
        following = styles[index + 1][0] if index + 1 < len(styles) else ""
        if following in ("GlossaryTerm", "Reference"):
            continue
        headings.append((int(style[len("Heading"):]), paragraph))
    return headings


def read_outline(data: bytes) -> Outline:
    root = etree.fromstring(zip_member(data, "word/document.xml"), SAFE_XML)
    styles: list[tuple[str, etree._Element]] = []
    for paragraph in root.iter(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        styles.append((style.get(f"{_W}val", "Normal") if style is not None else "Normal", paragraph))
    headings = _headings(styles)
    # A single article's title is the Title style and its sections Heading 1; in a book
    # the article title is Heading 1. Only section headings are compared.
    base = min((level for level, _ in headings), default=1)
    return Outline(
        sections=tuple((level - base + 1, _heading_text(p)) for level, p in headings),
        section_ids=None,
        figures=tuple(collapse(d.get("descr", "")) for d in root.iter(f"{_WP}docPr")),
        references=sum(1 for s, _ in styles if s == "Reference"),
        glossary=sum(1 for s, _ in styles if s == "GlossaryTerm"),
        list_items=sum(
            1 for s, p in styles if s.startswith(("ListBullet", "ListNumber")) and p.find(f"{_W}pPr/{_W}numPr") is not None
        ),
    )


def _block_texts(container: object) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in container.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Paragraph):
            yield item.text
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    yield from _block_texts(cell)


def read_text(data: bytes) -> str:
    """The body's paragraphs and table cells (nested tables too) in document order,
    then every header and footer, read with python-docx."""
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = list(_block_texts(document))
    for section in document.sections:
        for story in (section.header, section.footer):
            if not story.is_linked_to_previous:
                parts.extend(_block_texts(story))
    return "\n".join(parts)
