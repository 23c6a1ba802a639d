"""JATS XML import: small helpers for reading an lxml tree (element children, plain
text, numbers and dates), shared by every part of the reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from lxml import etree

from ._errors import JatsImportError, at

__all__ = ["date", "date_parts", "elements", "find", "integer", "is_node", "plain", "plain_outside", "strip_prefix"]


def is_node(child: etree._Element) -> bool:
    """An element (not a comment or processing instruction)."""
    return isinstance(child.tag, str)


def elements(element: etree._Element, lenient: bool = False) -> Iterator[etree._Element]:
    """The child elements of an element-only container. Text between them must be
    white space (a pretty-printed document is fine), unless ``lenient``."""
    if not lenient and element.text and element.text.strip():
        raise JatsImportError(f"{at(element)}<{element.tag}> holds text {element.text.strip()[:40]!r} where only elements belong")
    for child in element:
        if is_node(child):
            yield child
        if not lenient and child.tail and child.tail.strip():
            raise JatsImportError(f"{at(child)}<{element.tag}> holds text {child.tail.strip()[:40]!r} where only elements belong")


def plain(element: etree._Element) -> str:
    """The character data of an element and its descendants, without comments."""
    parts = [element.text or ""]
    for child in element:
        if is_node(child):
            parts.append(plain(child))
        parts.append(child.tail or "")
    return "".join(parts)


def plain_outside(element: etree._Element) -> str:
    """The text of ``element`` that is not inside a child element."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def find(element: etree._Element, tag: str) -> etree._Element | None:
    """The first child ``<tag>`` of ``element``."""
    for child in element:
        if child.tag == tag:
            return child
    return None


def strip_prefix(value: str, prefix: str, what: str) -> str:
    """A model id from an XML id written with ``prefix`` ("sec-", "gloss-" …)."""
    if not value.startswith(prefix):
        raise JatsImportError(f"the {what} id {value!r} does not start with {prefix!r}")
    return value[len(prefix):]


def integer(element: etree._Element) -> int:
    """The number an element holds."""
    text = plain(element).strip()
    try:
        return int(text)
    except ValueError:
        raise JatsImportError(f"{at(element)}<{element.tag}> holds {text!r}, not a number") from None


def date_parts(element: etree._Element) -> list[int]:
    """[year, month, day] of a JATS date (<day>, <month>, <year> children)."""
    values = {child.tag: child for child in elements(element) if child.tag in ("day", "month", "year")}
    if "year" not in values:
        raise JatsImportError(f"{at(element)}<{element.tag}> has no <year>")
    parts = [integer(values["year"])]
    if "month" in values:
        parts.append(integer(values["month"]))
        if "day" in values:
            parts.append(integer(values["day"]))
    return parts


def date(element: etree._Element) -> dt.date:
    """The full date of a JATS date element."""
    parts = date_parts(element)
    if len(parts) != 3:
        raise JatsImportError(f"{at(element)}<{element.tag} date-type=\"{element.get('date-type')}\"> needs a day, month and year")
    try:
        return dt.date(*parts)
    except (ValueError, OverflowError):
        # dt.date raises ValueError for a month or day out of range and OverflowError
        # for a number too large for C (<year>99999999999</year>): the same error.
        raise JatsImportError(
            f"{at(element)}<{element.tag}> is not a date: {'-'.join(str(p) for p in parts)[:40]} "
            f"(years {dt.MINYEAR}-{dt.MAXYEAR}, months 1-12, days of that month)"
        ) from None
