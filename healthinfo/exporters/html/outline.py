"""Reading an HTML5 page back (lxml's HTML parser, not the writer): its outline and its
reading (healthinfo.checks.reading) for the consistency check, and the text a reader
sees. The markup read is the HTML exporter's (docs/exporters/html.md; the HTML Living
Standard, https://html.spec.whatwg.org/). The EPUB reader reads its chapters with
:func:`page_outline` and :func:`article_readings`, since they reuse this markup."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import lxml.html
from lxml import etree

from ...checks.reading import CARRIES_ALL, Reading, Unit, agree, normalise, translations_text

__all__ = ["article_readings", "read_readings", "read_text"]

#: The page is UTF-8 (page.j2); lxml's HTML parser never fetches anything.
_HTML_PARSER = lxml.html.HTMLParser(encoding="utf-8", no_network=True)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _is_citation(element: etree._Element) -> bool:
    return "cite" in (element.get("class") or "").split()


def read_text(data: bytes) -> str:
    """The text of the page's body, without <script> (the JSON-LD) and <style>."""
    root = lxml.html.document_fromstring(data.decode("utf-8"))
    etree.strip_elements(root, "script", "style", with_tail=False)
    body = root.find("body")
    # Every element lxml's HTML parser makes is an HtmlElement, with text_content();
    # the type stubs say only _Element.
    element = cast(lxml.html.HtmlMixin, body if body is not None else root)
    return str(element.text_content())


# ---------------------------------------------------------------------------
# The reading (healthinfo.checks.reading) of a page or of an e-book's chapters
#
# The markup is the one of nodes.j2, article.j2 and parts.j2 (docs/exporters/html.md):
# an <article class="article" data-article="ID"> per article, its sections
# (<section id="[ID--]sec-…">), its sources (<section class="references">), and the
# glossary and the reusable back blocks inside it (an article's page) or once for the
# whole document (a book's page, an e-book's back matter). The fixed words the page
# adds (the note's label, "Updated on", "Sources", hidden ordinals) are left out.

#: Elements that hold blocks; a list item with one of them holds blocks, else text.
_BLOCK_TAGS = frozenset({
    "p", "ul", "ol", "div", "aside", "figure", "blockquote", "table", "section",
    "h1", "h2", "h3", "h4", "h5", "h6", "dl",
})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def _children(element: etree._Element) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str)]


def _all_text(element: etree._Element) -> str:
    return "".join(str(text) for text in element.itertext())


def _fragment(link: str) -> str:
    return link.rpartition("#")[2]


class _Links:
    """The citation and glossary links of one article's text, in text order, as the
    ids they point at (resolved once the article's lists are known)."""

    def __init__(self) -> None:
        #: the entries the citations' links point at, by id
        self.citations: list[str] = []
        self.terms: list[str] = []


def _inline_text(element: etree._Element, links: _Links) -> str:
    """The text of ``element`` as the model's inline text: without citation markers
    (their targets go to ``links``), hidden ordinals, or the address the page adds
    after a link inside a link; a line break reads as a space."""
    parts: list[str] = []

    def gather(node: etree._Element) -> None:
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                inline(child)
            parts.append(child.tail or "")

    def inline(child: etree._Element) -> None:
        name, classes = _local(child), _classes(child)
        if name == "br":
            parts.append(" ")
        elif "cite" in classes:
            # Each source's piece links to its entry; a citation inside a link links
            # nowhere (its text is no text of the model either).
            links.citations += [_fragment(a.get("href", "")) for a in child.iter() if _local(a) == "a"]
        elif "visually-hidden" in classes:
            pass
        elif "link-address" in classes:
            # nodes.j2 writes " (address)" after the words of a link inside a link.
            if parts and parts[-1].endswith(" "):
                parts[-1] = parts[-1][:-1]
        else:
            if name == "a" and "term" in classes:
                links.terms.append(_fragment(child.get("href", "")))
            gather(child)

    gather(element)
    return normalise("".join(parts))


class _ArticleUnits:
    """The units of one article's markup, in reading order, and its links."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.units: list[Unit] = []
        self.links = _Links()

    def add(self, kind: str, element: etree._Element, note: str, depth: int = 0, id: str | None = None) -> None:
        self.units.append(Unit(kind, _inline_text(element, self.links), note, depth, id))

    def blocks(self, container: etree._Element, kind: str, note: str) -> None:
        for child in _children(container):
            self.block(child, kind, note)

    def block(self, element: etree._Element, kind: str, note: str) -> None:
        name, classes = _local(element), _classes(element)
        if "note" in classes:
            self.note(element, kind)
        elif "regional" in classes:
            self.units.append(Unit("region", normalise(element.get("data-region", "")), note))
            self.blocks(element, kind, note)
        elif "regional-label" in classes:
            pass  # "Applies to: Germany": a fixed word (a passage's codes are its data-region)
        elif "reusable-block" in classes:
            self.include(element, kind, note)
        elif "note-label" in classes:
            title = next((c for c in element.iter() if "note-title" in _classes(c)), None)
            if title is not None:
                self.add("note-title", title, note)
        elif "block-title" in classes:
            self.add("block-title", element, note)
        elif name == "p":
            self.add(kind, element, note)
        elif name in ("ul", "ol"):
            for item in _children(element):
                if any(_local(c) in _BLOCK_TAGS for c in _children(item)):
                    self.blocks(item, "item", note)
                else:
                    self.add("item", item, note)
        elif name == "figure" and "figure" in classes:
            self.figure(element, note)
        elif "quote" in classes:
            self.quote(element, note)
        elif name == "table":
            self.table(element, note)
        else:  # a wrapper (the table's <div class="table">): its blocks
            self.blocks(element, kind, note)

    def note(self, element: etree._Element, kind: str) -> None:
        note_kind = next((c[len("note-"):] for c in _classes(element) if c.startswith("note-")), "")
        region = element.get("data-region")
        self.blocks(element, kind, note_kind + (f"/{region}" if region else ""))

    def include(self, element: etree._Element, kind: str, note: str) -> None:
        self.blocks(element, kind, note)

    def figure(self, element: etree._Element, note: str) -> None:
        image = next((c for c in element.iter() if _local(c) == "img"), None)
        if image is None:
            raise ValueError("a figure of the page has no image")
        self.units.append(Unit("alt", normalise(image.get("alt", "")), note))
        for child in element.iter():
            if "caption" in _classes(child):
                self.add("caption", child, note)
            elif "credit" in _classes(child):
                self.add("credit", child, note)

    def quote(self, element: etree._Element, note: str) -> None:
        for child in _children(element):
            if _local(child) == "figcaption":
                # nodes.j2 writes "— " before the attribution.
                text = _inline_text(child, self.links)
                self.units.append(Unit("attribution", text[1:].lstrip() if text.startswith("—") else text, note))
            elif _local(child) == "blockquote":
                self.blocks(child, "quote", note)
            else:
                self.block(child, "quote", note)

    def table(self, element: etree._Element, note: str) -> None:
        for part in _children(element):
            if _local(part) == "caption":
                self.add("caption", part, note)
            for row in part.iter():
                if _local(row) in ("th", "td"):
                    self.add("cell", row, note)

    def section(self, element: etree._Element, depth: int) -> None:
        children = _children(element)
        heading = next((c for c in children if _local(c) in _HEADINGS), None)
        if heading is None:
            raise ValueError(f"the section {element.get('id')!r} has no heading")
        section_id = element.get("id", "").removeprefix(self.prefix).removeprefix("sec-")
        self.add("heading", heading, "", depth=depth, id=section_id)
        for child in children:
            if child is heading:
                continue
            if _local(child) == "section" and _is_section_of(child, self.prefix):
                self.section(child, depth + 1)
            else:
                self.block(child, "paragraph", "")


def _is_section_of(element: etree._Element, prefix: str) -> bool:
    return (element.get("id") or "").startswith(prefix + "sec-")


@dataclass(frozen=True)
class _Lists:
    """An article's reference list or glossary as shown: the texts in order, and the
    position of each entry by its id."""

    texts: tuple[Any, ...] = ()
    positions: Mapping[str, int] = field(default_factory=dict)


def _reference_list(section: etree._Element | None) -> _Lists:
    if section is None:
        return _Lists()
    entries = [li for li in section.iter() if _local(li) == "li"]
    return _Lists(
        tuple(normalise(_all_text(li)) for li in entries),
        {li.get("id", ""): n for n, li in enumerate(entries, 1)},
    )


def _glossary_list(glossary: etree._Element | None) -> _Lists:
    """The glossary's (term, definition) pairs, in the order shown, and each entry's
    position by its anchor."""
    if glossary is None:
        return _Lists()
    pairs: list[tuple[str, str]] = []
    positions: dict[str, int] = {}
    for entry in glossary.iter():
        if "glossary-entry" not in _classes(entry):
            continue
        term = next((c for c in entry.iter() if _local(c) == "dt"), None)
        # The first <dd> is the definition; the others (synonyms, back-links) have a class.
        definition = next((c for c in entry.iter() if _local(c) == "dd" and not _classes(c)), None)
        if term is None or definition is None:
            raise ValueError(f"the glossary entry {entry.get('id')!r} has no term or no definition")
        pairs.append((normalise(_all_text(term)), normalise(_all_text(definition))))
        positions[entry.get("id", "")] = len(pairs)
    return _Lists(tuple(pairs), positions)


def _lang(element: etree._Element) -> str:
    for node in (element, *element.iterancestors()):
        lang = node.get("lang") or node.get(_XML_LANG)
        if lang:
            return lang
    return ""


def _publisher(line: etree._Element, short_name: str | None) -> str:
    """The publisher's name in "Publisher: NAME (SHORT)" (parts.j2, meta): the link's
    words, else the words after the label without the short name (``short_name``, or
    when it is not known, a last part in parentheses)."""
    link = next((c for c in line if _local(c) == "a"), None)
    if link is not None:
        return normalise(_all_text(link))
    text = normalise(_all_text(line)).partition(": ")[2]
    if short_name is not None:
        if not short_name:
            return text
        # The last "(…)" when it holds the short name, whatever spaces the page keeps
        # inside the brackets ("(IQWiG )") and the JSON-LD's value has lost.
        name = _without_last_parenthesis(text)
        return name if normalise(text[len(name):].strip()[1:-1]) == normalise(short_name) else text
    return _without_last_parenthesis(text)


def _without_last_parenthesis(text: str) -> str:
    """``text`` without a last part " (…)" (its parentheses balanced: a short name may
    hold some); ``text`` when it has none."""
    if not text.endswith(")"):
        return text
    depth = 0
    for at in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[at], 0)
        if depth == 0:
            return text[: at - 1] if at > 0 and text[at - 1] == " " else text
    return text


def _head_metadata(article: etree._Element, short_name: str | None) -> dict[str, str]:
    """The metadata the article's head shows (parts.j2, meta): its title, topic,
    language, publisher and dates."""
    head = next((c for c in _children(article) if "article-head" in _classes(c)), None)
    if head is None:
        raise ValueError(f"the article {article.get('data-article')!r} has no head")
    found: dict[str, etree._Element] = {}
    for node in head.iter():
        if isinstance(node.tag, str):
            for key in ("topic", "publisher", "dates", "next-update"):
                if key in _classes(node):
                    found.setdefault(key, node)
            if _local(node) in _HEADINGS:
                found.setdefault("title", node)
    if "title" not in found or "publisher" not in found or "dates" not in found:
        raise ValueError(f"the head of the article {article.get('data-article')!r} has no title, publisher or date")
    updated = next((t for t in found["dates"].iter() if _local(t) == "time"), None)
    next_update = found.get("next-update")
    next_time = next((t for t in next_update.iter() if _local(t) == "time"), None) if next_update is not None else None
    return {
        "title": normalise(_all_text(found["title"])),
        "topic": normalise(_all_text(found["topic"])) if "topic" in found else "",
        "lang": _lang(article),
        "publisher": _publisher(found["publisher"], short_name),
        "updated": updated.get("datetime", "") if updated is not None else "",
        "next_update": next_time.get("datetime", "") if next_time is not None else "",
    }


def _parts(documents: Sequence[etree._Element]) -> dict[str, list[etree._Element]]:
    """The articles, glossaries, source lists and back matter of the documents, in order."""
    parts: dict[str, list[etree._Element]] = {"article": [], "glossary": [], "references": [], "back-matter": []}
    for root in documents:
        for element in root.iter():
            if isinstance(element.tag, str):
                for name in set(_classes(element)) & parts.keys():
                    # <html class="article"> names the page's kind (page.j2).
                    if name != "article" or _local(element) == "article":
                        parts[name].append(element)
    return parts


def _within(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in element.iterancestors())


@dataclass(frozen=True)
class _Shared:
    """What a document shows outside its articles, for all of them: the glossary, the
    source lists by id and the element holding the reusable back blocks; ``single``:
    the document holds one article, whose glossary and back matter these are."""

    glossary: etree._Element | None
    lists: Mapping[str, etree._Element]
    back: etree._Element | None
    single: bool


def article_readings(
    documents: Sequence[etree._Element],
    *,
    glossary: etree._Element | None = None,
    references: Sequence[etree._Element] = (),
    back: etree._Element | None = None,
    single: bool | None = None,
    short_names: Sequence[str | None] | None = None,
) -> tuple[Reading, ...]:
    """One reading per ``<article class="article">`` of ``documents`` (a page, or an
    e-book's chapters), in order.

    An article's glossary, sources and reusable back blocks are its own elements, else
    the document's outside every article (a book's page), else ``glossary``,
    ``references`` (source lists, found by id) and ``back`` (an element holding
    reusable blocks: an e-book's back matter). When the documents hold one article
    (``single``; default: they hold one), those are the article's own. When they hold
    several, the glossary and back blocks shown once are the book's: each reading
    gives the whole glossary (its terms are positions in it) and carries neither
    "glossary" nor "back", and the back blocks' units (their links are no one
    article's, and left out) end the last article's units, counted by its ``back``.
    ``short_names``: per article, its publisher's short name as the page writes it
    after the name, when known (else a last part in parentheses is taken for it)."""
    parts = _parts(documents)
    articles = parts["article"]
    outside_glossary = [e for e in parts["glossary"] if not any(_within(e, a) for a in articles)]
    outside_back = [e for e in parts["back-matter"] if not any(_within(e, a) for a in articles)]
    shared = _Shared(
        glossary=outside_glossary[0] if outside_glossary else glossary,
        lists={section.get("id", ""): section for section in [*parts["references"], *references]},
        back=outside_back[0] if outside_back else back,
        single=len(articles) == 1 if single is None else single,
    )
    readings = []
    for n, article in enumerate(articles):
        short_name = short_names[n] if short_names is not None and n < len(short_names) else None
        readings.append(_article_reading(article, parts, shared, short_name))
    booked = [n for n, reading in enumerate(readings) if "back" not in reading.carries]
    if booked and shared.back is not None:
        book_back = _ArticleUnits("")  # its links are left out with it
        _back_blocks(book_back, shared.back)
        last = readings[booked[-1]]
        readings[booked[-1]] = replace(last, units=last.units + tuple(book_back.units), back=len(book_back.units))
    return tuple(readings)


def _back_blocks(units: _ArticleUnits, back: etree._Element) -> int:
    """Add the reusable blocks of ``back`` to ``units``; how many units they made."""
    before = len(units.units)
    for block in _children(back):
        if "reusable-block" in _classes(block):
            units.block(block, "paragraph", "")
    return len(units.units) - before


def _article_reading(
    article: etree._Element,
    parts: Mapping[str, Sequence[etree._Element]],
    shared: _Shared,
    short_name: str | None,
) -> Reading:
    metadata = _head_metadata(article, short_name)
    heading_id = next((h.get("id", "") for h in article.iter() if _local(h) in _HEADINGS), "")
    prefix = heading_id.removesuffix("title")  # "" on an article's page, "ID--" in a book
    units = _ArticleUnits(prefix)
    for child in _children(article):
        if "lead" in _classes(child):
            units.blocks(child, "paragraph", "")
        elif _local(child) == "section" and _is_section_of(child, prefix):
            units.section(child, 1)
    carries = set(CARRIES_ALL)
    own_back = next((e for e in parts["back-matter"] if _within(e, article)), None)
    back = 0
    if own_back is not None or shared.single:
        back_element = own_back if own_back is not None else shared.back
        back = _back_blocks(units, back_element) if back_element is not None else 0
    else:
        carries.discard("back")
    own_glossary = next((e for e in parts["glossary"] if _within(e, article)), None)
    if own_glossary is None and not shared.single:
        carries.discard("glossary")
    glossary = _glossary_list(own_glossary if own_glossary is not None else shared.glossary)
    sources = _reference_list(shared.lists.get(prefix + "sources"))
    return Reading(
        units=tuple(units.units),
        references=sources.texts,
        citations=tuple(
            sources.positions.get(t, 0) for t in units.links.citations
        ),
        glossary=glossary.texts,
        terms=tuple(glossary.positions.get(t, 0) for t in units.links.terms),
        metadata=metadata,
        carries=frozenset(carries),
        id=article.get("data-article"),
        back=back,
    )


def _jsonld(root: etree._Element) -> list[Mapping[str, Any]]:
    """The schema.org descriptions of the page's articles (jsonld.py): the page's
    MedicalWebPage, or each part of its Book, in order."""
    script = next((s for s in root.iter("script") if s.get("type") == "application/ld+json"), None)
    if script is None:
        raise ValueError("the page has no JSON-LD")
    data = json.loads(script.text or "")
    if not isinstance(data, dict):
        raise ValueError("the page's JSON-LD is not an object")
    parts = data.get("hasPart", []) if data.get("@type") == "Book" else [data]
    if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
        raise ValueError("the parts of the page's JSON-LD are not objects")
    return parts


def _field(data: Mapping[str, Any], *path: str) -> str:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return normalise(value) if isinstance(value, str) else ""


def _versions(root: etree._Element, described: Mapping[str, Any]) -> str:
    """The other language versions of an article's page (translations_text): its
    head's hreflang links (the original is the x-default), its language switcher and
    its JSON-LD (translationOfWork, workTranslation) must agree."""
    own = (root.get("lang") or "").casefold()
    head = {str(link.get("hreflang")): str(link.get("href")) for link in root.iter("link")
            if link.get("rel") == "alternate" and link.get("hreflang")}
    default = head.pop("x-default", None)
    others = {lang: href for lang, href in head.items() if lang.casefold() != own}
    shown = {str(a.get("hreflang")): str(a.get("href")) for nav in root.iter("nav")
             if "translations" in (nav.get("class") or "").split() for a in nav.iter("a")}
    original = described.get("translationOfWork")
    translations = described.get("workTranslation")
    if isinstance(original, dict):
        said = [(lang, lang == original.get("inLanguage")) for lang in others]
    else:
        said = [(str(t.get("inLanguage")), False) for t in translations or [] if isinstance(t, dict)]
    return agree(translations_text((lang, href == default) for lang, href in others.items()),
                 translations_text((lang, href == default) for lang, href in shown.items()),
                 translations_text(said))


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One Reading per article: one for an article's page, one per article (in order)
    for a book's. The text, the dates, the title, topic, language and publisher are
    read from the articles' markup; the region, rights and licence, which a book's
    page shows only for the book, from the schema.org JSON-LD of each article."""
    try:
        root = lxml.html.document_fromstring(data, parser=_HTML_PARSER)
    except etree.ParserError as error:  # an empty or unreadable document
        raise ValueError(f"the page cannot be parsed: {error}") from None
    described = _jsonld(root)
    coverage = [normalise(m.get("content", "")) for m in root.iter("meta") if m.get("name") == "dcterms.coverage"]
    # An article's own page says its title and date to social sites too (Open Graph).
    social = {str(m.get("property")): normalise(m.get("content", "")) for m in root.iter("meta") if m.get("property")}
    # The JSON-LD names each article's publisher, with its short name when it has one.
    short_names = [_field(d, "publisher", "alternateName") if isinstance(d.get("publisher"), dict) else None
                   for d in described]
    readings = article_readings([root], short_names=short_names)
    if not readings:
        raise ValueError("the page has no article")
    if len(described) != len(readings):
        raise ValueError(f"the page has {len(readings)} articles and its JSON-LD describes {len(described)}")
    own = len(readings) == 1
    # An article's own page (not a book's) links to its other language versions.
    versions = {"translations": _versions(root, described[0])} if own and "article" in (root.get("class") or "").split() else {}
    og_title = [social["og:title"]] if own and "og:title" in social else []
    og_updated = [social["article:modified_time"]] if own and "article:modified_time" in social else []
    return tuple(
        replace(
            reading,
            metadata={
                **reading.metadata,
                # What the page shows, what its JSON-LD says and (on an article's own
                # page) its Open Graph properties must agree.
                "title": agree(reading.metadata["title"], _field(d, "headline"), *og_title),
                "lang": agree(reading.metadata["lang"], _field(d, "inLanguage")),
                "updated": agree(reading.metadata["updated"], _field(d, "dateModified"), *og_updated),
                "region": _field(d, "spatialCoverage", "identifier"),
                "rights": _field(d, "copyrightNotice"),
                "license": _field(d, "license"),
                # A regional edition: the readers' country (JSON-LD), and, on an
                # article's own page, the page's dcterms.coverage (they must agree).
                "edition": agree(_field(d, "audience", "geographicArea", "identifier"), *coverage)
                if len(readings) == 1 else _field(d, "audience", "geographicArea", "identifier"),
                **versions,
            },
        )
        for reading, d in zip(readings, described, strict=True)
    )
