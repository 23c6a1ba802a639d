"""Reading an ONIX 3.0 record back (lxml, not the writer): its readings
(:mod:`healthinfo.checks.reading`) for the consistency check, and its text.

ONIX for Books 3.0, reference tags (namespace http://ns.editeur.org/onix/3.0/reference).
A record describes an e-book and holds none of its text, so its readings carry
metadata only (no "text" in their ``carries``: the check compares no blocks, sources
or glossary). An article's record (one without ContentDetail) gives the article's
metadata: its title (the Subtitle under a main title that is the topic, else the
TitleText), topic, publisher, publication date (the article's update), rights (the
publisher's notice) and licence. A book's record gives one reading per content item,
in order, with the article's title. The language is not given: list 74's ISO 639-2
code cannot say a BCP 47 tag's region.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from lxml import etree

from ...checks.outline import SAFE_XML
from ...checks.reading import Reading, normalise

__all__ = ["read_readings", "read_text"]

_NS = {"o": "http://ns.editeur.org/onix/3.0/reference"}


def _itertext(element: etree._Element) -> Iterator[str]:
    # The XML parser gives str; lxml-stubs type itertext() as str | bytes.
    return cast("Iterator[str]", element.itertext())


def read_text(data: bytes) -> str:
    """Every text of the record (titles, names, description, statements), in order."""
    return "\n".join(text for text in _itertext(etree.fromstring(data, SAFE_XML)) if text.strip())


def _text(element: etree._Element | None, path: str) -> str:
    """The normalised text of the first element at ``path`` under ``element``, or ""."""
    if element is None:
        return ""
    found = element.find(path, _NS)
    return normalise("".join(_itertext(found))) if found is not None else ""


def _iso(date: str) -> str:
    """YYYYMMDD as an ISO date; anything else as it is (a damaged date differs)."""
    return f"{date[:4]}-{date[4:6]}-{date[6:8]}" if len(date) == 8 and date.isdigit() else date


def _article_metadata(product: etree._Element) -> dict[str, str]:
    title = product.find("o:DescriptiveDetail/o:TitleDetail/o:TitleElement", _NS)
    main, subtitle = _text(title, "o:TitleText"), _text(title, "o:Subtitle")
    publishing = product.find("o:PublishingDetail", _NS)
    date = next((d for d in product.iterfind("o:PublishingDetail/o:PublishingDate", _NS)
                 if _text(d, "o:PublishingDateRole") == "01"), None)
    notice = next((t for t in product.iterfind("o:CollateralDetail/o:TextContent", _NS)
                   if _text(t, "o:TextType") == "13"), None)
    return {
        "title": subtitle or main,
        "topic": main if subtitle else "",
        "publisher": _text(publishing, "o:Publisher/o:PublisherName"),
        "updated": _iso(_text(date, "o:Date")),
        "rights": _text(notice, "o:Text"),
        "license": _text(product, "o:DescriptiveDetail/o:EpubLicense/o:EpubLicenseExpression/o:EpubLicenseExpressionLink"),
    }


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One reading for an article's record, one per content item for a book's; each
    with metadata only."""
    root = etree.fromstring(data, SAFE_XML)
    product = root.find("o:Product", _NS)
    if product is None:
        raise ValueError("the ONIX message holds no Product")
    items = product.findall("o:ContentDetail/o:ContentItem", _NS)
    if product.find("o:ContentDetail", _NS) is None:
        return (Reading(units=(), metadata=_article_metadata(product), carries=frozenset()),)
    if not items:
        raise ValueError("the book's ONIX record lists no content item")
    return tuple(
        Reading(units=(), metadata={"title": _text(item, "o:TitleDetail/o:TitleElement/o:TitleText")}, carries=frozenset())
        for item in items
    )
