"""JATS XML: the three lxml helpers every part of the JATS writer builds its tree with
(JATS mixes text and elements, so text is appended where it belongs in lxml's
``text``/``tail`` model)."""

from __future__ import annotations

from lxml import etree

__all__ = ["append_text", "attributes", "sub"]


def append_text(parent: etree._Element, text: str) -> None:
    """Append character data at the end of ``parent`` (mixed content)."""
    if not text:
        return
    # parent[-1] is lxml's last child, found in constant time; len(parent) would
    # count every child, which made a paragraph of n inline nodes cost n^2.
    try:
        last = parent[-1]
    except IndexError:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    """A new last child ``<tag>`` of ``parent``, with ``attrs`` in the order given and
    ``text`` (none when empty)."""
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        element.set(key, value)
    if text:
        element.text = text
    return element


def attributes(**attrs: str | None) -> dict[str, str]:
    """The attributes that have a value, with '_' in keyword names written as '-'
    (``content_type=`` -> ``content-type``)."""
    return {k.replace("_", "-"): v for k, v in attrs.items() if v is not None}
