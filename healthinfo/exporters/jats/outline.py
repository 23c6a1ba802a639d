"""Reading a JATS article back (lxml's XML parser, not the writer): its outline for
the consistency check, and its text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from ...checks.outline import SAFE_XML, Outline, collapse, element_text

__all__ = ["read_outline", "read_text"]


def _itertext(element: etree._Element) -> Iterator[str]:
    # The XML parser gives str; lxml-stubs type itertext() as str | bytes.
    return cast("Iterator[str]", element.itertext())


def _is_citation(element: etree._Element) -> bool:
    return (element.tag == "xref" and element.get("ref-type") == "bibr") or (
        element.tag == "named-content" and element.get("content-type") == "citation"
    )


def read_outline(data: bytes) -> Outline:
    root = etree.fromstring(data, SAFE_XML)
    body = root.find("body")
    sections: list[tuple[int, str]] = []
    ids: list[str] = []
    if body is not None:
        for sec in body.iter("sec"):
            depth = sum(1 for _ in sec.iterancestors("sec")) + 1
            title = sec.find("title")
            sections.append((depth, element_text(title, _is_citation) if title is not None else ""))
            ids.append((sec.get("id") or "")[len("sec-"):])
    figures = [
        collapse("".join(_itertext(alt))) for alt in root.iter("alt-text") if any(a.tag == "fig" for a in alt.iterancestors())
    ]
    return Outline(
        sections=tuple(sections),
        section_ids=tuple(ids),
        figures=tuple(figures),
        references=sum(1 for _ in root.iter("ref")),
        glossary=sum(1 for _ in root.iter("def-item")),
        list_items=sum(1 for _ in root.iter("list-item")),
    )


def read_text(data: bytes) -> str:
    return "".join(_itertext(etree.fromstring(data, SAFE_XML)))
