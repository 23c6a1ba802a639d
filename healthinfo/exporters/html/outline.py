"""Reading an HTML page back (lxml's HTML parser, not the writer): its outline for the
consistency check, and the text a reader sees. The EPUB reader reads its chapters
with :func:`page_outline`, since they reuse this markup."""

from __future__ import annotations

from typing import cast

import lxml.html
from lxml import etree

from ...checks.outline import Outline, collapse, element_text

__all__ = ["page_outline", "read_outline", "read_text"]


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _is_citation(element: etree._Element) -> bool:
    return "cite" in (element.get("class") or "").split()


def _inside(element: etree._Element, *classes: str) -> bool:
    return any(
        _local(a) == "nav" or any(c in (a.get("class") or "").split() for c in classes)
        for a in element.iterancestors()
    )


def _is_section(element: etree._Element) -> bool:
    return _local(element) == "section" and (element.get("id") or "").startswith("sec-")


def page_outline(root: etree._Element) -> Outline:
    """The outline of the HTML exporter's page (or an EPUB chapter)."""
    sections: list[tuple[int, str]] = []
    ids: list[str] = []
    for section in root.iter():
        if not _is_section(section):
            continue
        depth = 1 + sum(1 for a in section.iterancestors() if _is_section(a))
        heading = next((c for c in section if _local(c) in ("h2", "h3", "h4", "h5", "h6")), None)
        sections.append((depth, element_text(heading, _is_citation) if heading is not None else ""))
        ids.append(section.get("id", "")[len("sec-"):])
    figures = [
        collapse(img.get("alt", ""))
        for img in root.iter()
        if _local(img) == "img" and any(_local(a) == "figure" for a in img.iterancestors())
    ]
    references = sum(
        1 for li in root.iter()
        if _local(li) == "li" and _inside(li, "references") and (li.get("id") or "").startswith("ref-")
    )
    glossary = sum(1 for dt in root.iter() if _local(dt) == "dt" and _inside(dt, "glossary"))
    list_items = sum(1 for li in root.iter() if _local(li) == "li" and not _inside(li, "references", "glossary", "toc"))
    return Outline(tuple(sections), tuple(ids), tuple(figures), references, glossary, list_items)


def read_outline(data: bytes) -> Outline:
    return page_outline(lxml.html.document_fromstring(data))


def read_text(data: bytes) -> str:
    """The text of the page's body, without <script> (the JSON-LD) and <style>."""
    root = lxml.html.document_fromstring(data.decode("utf-8"))
    etree.strip_elements(root, "script", "style", with_tail=False)
    body = root.find("body")
    # Every element lxml's HTML parser makes is an HtmlElement, with text_content();
    # the type stubs say only _Element.
    element = cast(lxml.html.HtmlMixin, body if body is not None else root)
    return str(element.text_content())
