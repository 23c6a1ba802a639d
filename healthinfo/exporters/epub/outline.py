"""Reading an EPUB back (the zip, its package document and the XHTML of its spine;
not the writer): its outline for the consistency check, and its text.

The content documents of the spine are read in order (not the cover, title page or
navigation document), as the HTML exporter's markup they reuse. Paths that leave the
package are refused."""

from __future__ import annotations

from lxml import etree

from ...checks.outline import SAFE_XML, Outline, zip_member
from ..html.outline import page_outline

__all__ = ["content_documents", "read_outline", "read_text"]

_OPF = "{http://www.idpf.org/2007/opf}"
_XHTML = "{http://www.w3.org/1999/xhtml}"


def _safe(path: str) -> bool:
    return not path.startswith("/") and ".." not in path.split("/")


def content_documents(data: bytes, *, text_only: bool = True) -> list[etree._Element]:
    """The parsed XHTML documents of the spine, in reading order; ``text_only``:
    without the cover, the title page and the navigation document."""
    container = etree.fromstring(zip_member(data, "META-INF/container.xml"), SAFE_XML)
    rootfile = next(e for e in container.iter() if etree.QName(e).localname == "rootfile")
    opf_path = rootfile.get("full-path", "")
    if not _safe(opf_path):
        raise ValueError("the EPUB's package document path leaves the package")
    opf = etree.fromstring(zip_member(data, opf_path), SAFE_XML)
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    items = {i.get("id"): i for i in opf.iter(f"{_OPF}item")}
    documents = []
    for itemref in opf.iter(f"{_OPF}itemref"):
        item = items.get(itemref.get("idref"))
        if item is None:
            continue
        if text_only and ("nav" in (item.get("properties") or "").split() or item.get("id") in ("cover", "titlepage")):
            continue
        href = item.get("href", "")
        if not _safe(href) or item.get("media-type") != "application/xhtml+xml":
            continue
        documents.append(etree.fromstring(zip_member(data, base + href), SAFE_XML))
    return documents


def read_outline(data: bytes) -> Outline:
    outlines = [page_outline(root) for root in content_documents(data)]
    return Outline(
        sections=tuple(s for o in outlines for s in o.sections),
        section_ids=tuple(i for o in outlines for i in (o.section_ids or ())),
        figures=tuple(f for o in outlines for f in o.figures),
        references=sum(o.references for o in outlines),
        glossary=sum(o.glossary for o in outlines),
        list_items=sum(o.list_items for o in outlines),
    )


def read_text(data: bytes) -> str:
    """The body text of every content document of the spine, in reading order."""
    parts = []
    for root in content_documents(data, text_only=False):
        body = root.find(f"{_XHTML}body")
        parts.append("".join(str(text) for text in (body if body is not None else root).itertext()))
    return "\n".join(parts)
