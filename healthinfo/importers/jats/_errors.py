"""JATS XML import: the one error type of the reader, and the error for an element it
has no mapping for."""

from __future__ import annotations

from lxml import etree

from ..._errors import HealthinfoError

__all__ = ["JatsImportError", "at", "unknown"]


class JatsImportError(HealthinfoError):
    """A JATS document cannot be read: not well-formed, unsafe, too large, or holding
    something the content model has no place for."""


def at(element: etree._Element | None) -> str:
    """"line N: " for an error about ``element``, when the parser knows its line."""
    line = element.sourceline if element is not None else None
    return f"line {line}: " if line else ""


def unknown(child: etree._Element, parent: etree._Element | None) -> JatsImportError:
    """The error for ``child`` of ``parent``: an element the reader has no mapping
    for is never dropped silently."""
    detail = ""
    for name in ("content-type", "ref-type", "notes-type"):
        if child.get(name) is not None:
            detail = f' {name}="{child.get(name)}"'
    inside = (parent if parent is not None else child).tag
    return JatsImportError(
        f"{at(child)}the JATS importer has no mapping for <{child.tag}{detail}> inside <{inside}>; it would be lost"
    )
