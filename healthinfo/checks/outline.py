"""The outline: what every format of an article must agree on (the consistency
check's unit), and the small helpers the formats' outline readers share.

Each exporter package has an ``outline`` module that reads its own output back into
an :class:`Outline` with that format's structure (lxml for HTML and JATS, the zip and
the WordprocessingML of a DOCX, the XHTML inside an EPUB), never with the writer's
code; :mod:`healthinfo.checks.consistency` compares the outlines.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

__all__ = ["MAX_BYTES", "SAFE_XML", "Outline", "collapse", "element_text", "zip_member"]

#: Largest output file read back (bytes), and largest zip member.
MAX_BYTES = 200_000_000

#: An XML parser that fetches nothing and expands no entity (the output may be a
#: partner's file, or damaged).
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Outline:
    """What every format of an article must agree on."""

    sections: tuple[tuple[int, str], ...]  # (depth, title), depth 1 = top-level section
    section_ids: tuple[str, ...] | None  # None: the format does not keep the model's ids
    figures: tuple[str, ...]  # alt texts, in order
    references: int
    glossary: int
    list_items: int


def collapse(text: str) -> str:
    """``text`` with every run of white space as one space, trimmed."""
    return " ".join(text.split())


def element_text(element: etree._Element, skip: Callable[[etree._Element], bool]) -> str:
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
    return collapse("".join(parts))


def zip_member(data: bytes, name: str) -> bytes:
    """One member of a zip, refusing one that inflates past :data:`MAX_BYTES`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        if info.file_size > MAX_BYTES:
            raise ValueError(f"{name} is too large to read back")
        return archive.read(info)
