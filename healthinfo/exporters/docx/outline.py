"""Reading a DOCX back (the zip and its WordprocessingML, or python-docx's reader; not
the writer): its outline for the consistency check, and the text a reader sees.

Word keeps no section ids: headings are compared by level and text."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ...checks.outline import SAFE_XML, zip_member
from ...checks.reading import Reading, Unit, agree, normalise
from ...schema import NoteKind
from .._i18n import MONTHS, table_language, word

__all__ = ["read_readings", "read_text"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


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


# ---------------------------------------------------------------- readings

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "<table>"

#: Paragraph style id -> the kind of unit it holds (docs/exporters/docx.md names the
#: styles). A style not named here, or none, reads as a paragraph, so that text in an
#: unexpected style still shows up as a difference.
_UNIT_KINDS = {
    "Quote": "quote",
    "QuoteAttribution": "attribution",
    "Caption": "caption",
    "ImageCredit": "credit",
    "ReusableBlockHeading": "block-title",
    "TableHeading": "cell",
    "TableText": "cell",
}
#: Styles of the front matter, the end matter and the publisher block: fixed words, the
#: glossary and sources (read on their own), or metadata.
_NOT_UNITS = frozenset({
    "Title", "Subtitle", "ArticleTopic", "TitlePage", "TOCHeading", "PublisherHeading", "PublisherBlock",
    "GlossaryTerm", "GlossaryDefinition", "GlossaryBacklinks", "Reference", "Header", "Footer",
})
_END_MATTER = ("GlossaryTerm", "Reference")
_GLOSSARY_AND_SOURCES = frozenset({"GlossaryTerm", "GlossaryDefinition", "GlossaryBacklinks", "Reference"})


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    return "Normal" if style is None else style.get(f"{_W}val", "Normal")


def _heading_level(style: str) -> int:
    """1-9 for a "Heading n" paragraph, 0 otherwise."""
    digits = style.removeprefix("Heading")
    return int(digits) if style.startswith("Heading") and digits.isdigit() else 0


def _raw_text(paragraph: etree._Element) -> str:
    """The text of a paragraph's runs (inside hyperlinks too) without the citation
    markers, which are not text in the model; a break reads as a space."""
    parts: list[str] = []
    for run in paragraph.iter(f"{_W}r"):
        style = run.find(f"{_W}rPr/{_W}rStyle")
        if style is not None and style.get(f"{_W}val") == "CitationChar":
            continue
        for part in run:
            if part.tag == f"{_W}t":
                parts.append(part.text or "")
            elif part.tag == f"{_W}tab":
                parts.append("\t")
            elif part.tag in (f"{_W}br", f"{_W}cr"):
                parts.append(" ")
    return "".join(parts)


def _text(paragraph: etree._Element) -> str:
    return normalise(_raw_text(paragraph))


def _bookmarks(paragraph: etree._Element) -> list[str]:
    return [b.get(f"{_W}name", "") for b in paragraph.iter(f"{_W}bookmarkStart")]


@dataclass
class _Part:
    """One article's stretch of the body: its blocks as (style, element), a table as
    (``_TABLE``, w:tbl), and where its section's footer is."""

    blocks: list[tuple[str, etree._Element]] = field(default_factory=list)
    footer: str | None = None  # relationship id of the section's default footer
    #: How many of ``blocks`` are in the article's own section: the blocks after it are
    #: a brochure's back page (its reusable blocks and the publisher).
    own: int | None = None

    @property
    def back_page(self) -> list[tuple[str, etree._Element]]:
        return [] if self.own is None else self.blocks[self.own:]

    def positions(self, style: str) -> dict[str, int]:
        """Bookmark name -> 1-based position, for the entries of one list (sources or
        glossary), in the order shown."""
        found: dict[str, int] = {}
        entries = [p for s, p in self.blocks if s == style]
        for position, paragraph in enumerate(entries, 1):
            for name in _bookmarks(paragraph):
                found[name] = position
        return found


def _section_footer(sect_pr: etree._Element) -> str | None:
    for reference in sect_pr.iterfind(f"{_W}footerReference"):
        if reference.get(f"{_W}type", "default") == "default":
            return reference.get(f"{_R}id")
    return None


def _opens_article(heading: etree._Element) -> bool:
    """Whether a book's Heading 1 is an article's title: its bookmark is the article's
    first heading ("_h<article>_1"); the article's Glossary and Sources headings, at
    the same level, come later ("_h<article>_<n>")."""
    return any(_ARTICLE_TITLE.fullmatch(name) for name in _bookmarks(heading))


_ARTICLE_TITLE = re.compile(r"_h\d+_1")


def _parts(body: etree._Element) -> tuple[bool, list[_Part]]:
    """The body cut into articles: one for an article's document; for a book (which has
    a table of contents), one per article title (Heading 1) after the front matter. A section's
    properties (w:sectPr) end the section: the first one in an article's stretch is
    its own section's (a brochure's back page follows in a section of its own)."""
    book = any(_style(p) == "TOCHeading" for p in body.iterchildren(f"{_W}p"))
    parts: list[_Part] = [] if book else [_Part()]
    for child in body:
        if child.tag == f"{_W}tbl":
            style = _TABLE
        elif child.tag == f"{_W}p":
            style = _style(child)
        else:
            style = ""
        if book and style == "Heading1" and _opens_article(child):
            parts.append(_Part())
        if not parts:
            continue  # a book's title page and table of contents
        part = parts[-1]
        sect_pr = child if child.tag == f"{_W}sectPr" else child.find(f"{_W}pPr/{_W}sectPr")
        # A section break is the properties of an empty paragraph of its own (python-docx's
        # add_section): no text of the model.
        if style and not (sect_pr is not None and child.find(f"{_W}r") is None):
            part.blocks.append((style, child))
        if sect_pr is not None and part.footer is None:
            part.footer = _section_footer(sect_pr) or ""
            part.own = len(part.blocks)
    return book, parts


class _UnitReader:
    """The units, citations and glossary links of one article's stretch of the body.

    ``base`` is the heading level of the article's own title (0 in an article's
    document, whose sections start at Heading 1; 1 in a book, whose article titles are
    Heading 1). ``lang`` is the article's language (for the note labels). ``links``
    finds the article a citation or glossary link belongs to: a brochure's back page
    shows each article's reusable blocks, linked to that article's sources and
    glossary, after the last article."""

    def __init__(self, part: _Part, base: int, lang: str, links: _Links, owner: int) -> None:
        self.base = base
        self.labels = {word(kind.value, lang): kind.value for kind in NoteKind}
        self.links_of = links
        self.owner = owner
        self.units: list[Unit] = []
        self.note = ""
        #: Where the back matter starts (units): after the glossary and the sources,
        #: or, without them, at the last run of reusable blocks.
        self.end_matter: int | None = None
        self.reusable: int | None = None

    def read(self, blocks: list[tuple[str, etree._Element]]) -> None:
        for index, (style, element) in enumerate(blocks):
            following = blocks[index + 1][0] if index + 1 < len(blocks) else ""
            if style != "Note":
                self.note = ""  # the box of a note is its "Note" paragraphs
            self.mark(style)
            if style == _TABLE:
                self.table(element)
            elif _heading_level(style):
                self.heading(_heading_level(style), element, following)
            elif style == "NoteHeading":
                self.note_heading(element)
            elif style == "RegionalHeading":
                self.regional_heading(element)
            elif any(name.startswith("_regionmark_") for name in _bookmarks(element)):
                continue  # a note's "Applies to: …" line: a fixed word, no text of the model
            elif style == "Figure":
                for picture in element.iter(f"{_WP}docPr"):
                    self.add("alt", normalise(picture.get("descr", "")), element)
            elif style.startswith(("ListBullet", "ListNumber")):
                # An item that opens with a note, figure, table or list has its number
                # on a paragraph of its own, without runs: no text of the model.
                if element.find(f".//{_W}r") is not None:
                    self.add("item", _text(element), element)
            elif style.startswith("ListContinue"):
                self.add("item", _text(element), element)
            elif style == "QuoteAttribution":
                self.add("attribution", normalise(_raw_text(element).removeprefix("\u2014 ")), element)
            elif style not in _NOT_UNITS:
                self.add(_UNIT_KINDS.get(style, "paragraph"), _text(element), element)

    def mark(self, style: str) -> None:
        """Note where the back matter of a document's article may start: after its
        end matter; without one, the reusable blocks after the last other block (Word
        shows no other boundary: a last section's own reusable block reads as back
        matter there)."""
        if style in _GLOSSARY_AND_SOURCES:
            self.end_matter, self.reusable = len(self.units), None
        elif style in ("ReusableBlockHeading", "ReusableBlock"):
            if self.reusable is None:
                self.reusable = len(self.units)
        elif style not in _NOT_UNITS:
            self.reusable = None

    def back_start(self) -> int:
        """Where the back matter of a document's article starts, in its units."""
        if self.end_matter is not None:
            return self.end_matter
        return len(self.units) if self.reusable is None else self.reusable

    def add(self, kind: str, text: str, element: etree._Element, depth: int = 0) -> None:
        self.units.append(Unit(kind, text, self.note, depth))
        self.links(element)

    def links(self, element: etree._Element) -> None:
        """The glossary links and citations of a paragraph, in text order: each
        hyperlink to a glossary entry's bookmark, and each to a source's (a citation's
        piece that stands for that source: "2" of "[2–4]", "Danesh et al., 2014")."""
        for found in element.iter(f"{_W}hyperlink"):
            anchor = found.get(f"{_W}anchor") or ""
            if anchor in self.links_of.entries:
                owner, position = self.links_of.entries[anchor]
                self.links_of.terms[owner].append(position)
            elif anchor in self.links_of.sources:
                owner, position = self.links_of.sources[anchor]
                self.links_of.citations[owner].append(position)

    def heading(self, level: int, element: etree._Element, following: str) -> None:
        if level <= self.base or following in _END_MATTER:
            return  # the article's title (metadata), the glossary's or the sources' heading
        self.add("heading", _text(element), element, depth=level - self.base)

    def note_heading(self, element: etree._Element) -> None:
        """A note's box opens with the label of its kind (no text of the model), and
        with a title "Label: title". Word keeps no kind of note: the label names it; a
        heading without a known label reads as a note of that title, so that a damaged
        label shows. A hidden bookmark "_region_DE_…" keeps its region."""
        text = _text(element)
        kind, title = self.labels.get(text), None
        if kind is None:
            titled = [label for label in self.labels if text.startswith(f"{label}: ")]
            label = max(titled, key=len, default=None)
            kind, title = (None, text) if label is None else (self.labels[label], text[len(label) + 2:].strip())
        regions = [name.removeprefix("_region_").rsplit("_", 2)[0] for name in _bookmarks(element)
                   if name.startswith("_region_")]
        self.note = (kind or "note") + (f"/{regions[0]}" if regions else "")
        if title is not None:
            self.add("note-title", title, element)

    def regional_heading(self, element: etree._Element) -> None:
        """The mark of a regional passage ("Applies to: Germany"): its countries are in
        a hidden bookmark "_regional_DEAT_…", two letters each (the label is a fixed word)."""
        codes = [name.removeprefix("_regional_").rsplit("_", 2)[0] for name in _bookmarks(element)
                 if name.startswith("_regional_")]
        joined = codes[0] if codes else ""
        self.add("region", " ".join(joined[i:i + 2] for i in range(0, len(joined), 2)), element)

    def table(self, table: etree._Element) -> None:
        for row in table.iterfind(f"{_W}tr"):
            for cell in row.iterfind(f"{_W}tc"):
                paragraphs = cell.findall(f"{_W}p")
                self.units.append(Unit("cell", normalise(" ".join(_raw_text(p) for p in paragraphs))))
                for paragraph in paragraphs:
                    self.links(paragraph)


@dataclass
class _Links:
    """The sources and glossary entries of every article of a document (bookmark name
    -> (article, 1-based position)), and the citations and glossary links found for
    each article, in text order."""

    sources: dict[str, tuple[int, int]]
    entries: dict[str, tuple[int, int]]
    citations: list[list[int]]
    terms: list[list[int]]

    @classmethod
    def of(cls, parts: list[_Part]) -> _Links:
        def where(style: str) -> dict[str, tuple[int, int]]:
            return {name: (owner, position) for owner, part in enumerate(parts)
                    for name, position in part.positions(style).items()}

        return cls(where("Reference"), where("GlossaryTerm"), [[] for _ in parts], [[] for _ in parts])


def _glossary(part: _Part, lang: str) -> tuple[tuple[str, str], ...]:
    """(term, definition) of each entry: the term without the "(also: …)" of its
    synonyms, which the writer adds to the term's paragraph."""
    also = f" ({word('also', lang)}: "
    terms, definitions = [], []
    for style, paragraph in part.blocks:
        if style == "GlossaryTerm":
            term = _text(paragraph)
            cut = term.find(also)
            terms.append(term[:cut].strip() if cut >= 0 and term.endswith(")") else term)
        elif style == "GlossaryDefinition":
            definitions.append(_text(paragraph))
    if len(terms) != len(definitions):
        raise ValueError("the glossary has a term without its definition, or a definition without its term")
    return tuple(zip(terms, definitions, strict=True))


_NUMBER = re.compile(r"\s*\d+\.\t")


def _references(part: _Part) -> tuple[str, ...]:
    """The text of each source, without its number ("1." and a tab)."""
    return tuple(normalise(_NUMBER.sub("", _raw_text(p), count=1)) for s, p in part.blocks if s == "Reference")


def _parse_date(text: str, lang: str) -> str:
    """An ISO date from a date as people read it ("January 23, 2024", "23. Januar
    2024", "1er janvier 2024", "23 de enero de 2024"), a year as it is; ``text`` itself
    when it is neither (a damaged date shows as it is)."""
    if text.isdecimal():
        return text
    months = MONTHS[table_language(lang)]
    numbers = re.findall(r"\d+", text)
    month = [m for m in months if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", text)]
    if len(numbers) == 2 and len(month) == 1:
        with contextlib.suppress(ValueError, OverflowError):
            return dt.date(int(numbers[1]), months.index(month[0]) + 1, int(numbers[0])).isoformat()
    return text


def _updated(line: str, lang: str) -> dict[str, str]:
    """The updated and next planned update dates of an "Updated on … · Next planned
    update: …" line; the line itself as the updated date when it is not one."""
    updated, next_word = word("updated", lang) + " ", " \u00b7 " + word("next_update", lang) + ": "
    if not line.startswith(updated):
        return {"updated": line, "next_update": ""}
    dated, _, following = line.removeprefix(updated).partition(next_word)
    return {"updated": _parse_date(dated, lang), "next_update": _parse_date(following, lang) if following else ""}


def _part_name(target: str) -> str:
    """The zip member a relationship of word/document.xml names: its target is relative
    to the part's folder, or absolute in the package."""
    return target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("word", target))


class _Package:
    """The parts of a DOCX the readings need: the body, the core properties, the
    document's relationships (to find a section's footer)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        root = etree.fromstring(self.member("word/document.xml"), SAFE_XML)
        body = root.find(f"{_W}body")
        if body is None:
            raise ValueError("word/document.xml has no w:body")
        self.body = body
        core = etree.fromstring(self.member("docProps/core.xml"), SAFE_XML)
        self.core = {name: normalise(core.findtext(f"{_DC}{name}") or "") for name in ("title", "subject", "creator", "language")}
        #: docProps/custom.xml's text properties by name (a regional edition's country)
        self.custom: dict[str, str] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            has_custom = "docProps/custom.xml" in archive.namelist()
        if has_custom:
            custom = etree.fromstring(self.member("docProps/custom.xml"), SAFE_XML)
            self.custom = {str(p.get("name", "")): normalise("".join(str(t) for t in p.itertext()))
                           for p in custom.iter(f"{_CUSTOM}property")}
        rels = etree.fromstring(self.member("word/_rels/document.xml.rels"), SAFE_XML)
        self.targets = {r.get("Id", ""): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
        for relationship in rels.iter(f"{_PKG_REL}Relationship"):  # an image, a footer the document uses
            name = _part_name(relationship.get("Target", ""))
            if relationship.get("TargetMode") != "External" and name not in names:
                raise ValueError(f"the document uses {name}, which the file does not hold")

    def member(self, name: str) -> bytes:
        """A zip member; a damaged compressed stream is a ValueError, as the check expects."""
        try:
            return zip_member(self.data, name)
        except (zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
            raise ValueError(f"{name} cannot be read: {error}") from error

    def footer(self, rid: str | None) -> str:
        """The text of a section's footer before its tab (the page number follows it)."""
        if not rid:
            return ""
        root = etree.fromstring(self.member(_part_name(self.targets[rid])), SAFE_XML)
        first = root.find(f"{_W}p")
        return "" if first is None else normalise(_raw_text(first).partition("\t")[0])


def _publisher_block(part: _Part, lang: str) -> dict[str, str]:
    """What an article's publisher block shows: the publisher's name (in strong text,
    with its short name in brackets), then address, web, authors …, the updated line,
    the rights statement and "Licence: <link>"."""
    name = ""
    lines: list[tuple[str, etree._Element]] = []
    for style, paragraph in part.blocks:
        if style == "PublisherHeading":
            strong = [r for r in paragraph.iter(f"{_W}r") if r.find(f"{_W}rPr/{_W}rStyle[@{_W}val='Strong']") is not None]
            name = normalise("".join(_raw_text_of_run(r) for r in strong))
        elif style == "PublisherBlock":
            lines.append((_text(paragraph), paragraph))
    found = {"publisher": name, "license": "", "rights": "", "updated_line": ""}
    label = word("licence", lang) + ": "
    if lines and lines[-1][0].startswith(label) and lines[-1][1].find(f".//{_W}hyperlink") is not None:
        found["license"] = lines.pop()[0].removeprefix(label)
    updated = word("updated", lang) + " "
    for index in range(len(lines) - 1, -1, -1):
        if lines[index][0].startswith(updated):
            found["updated_line"] = lines[index][0]
            rest = lines[index + 1:]
            edition = word("edition", lang).partition("{")[0]
            if rest and rest[0][0].startswith(edition):  # a regional edition's statement
                rest = rest[1:]
            found["rights"] = normalise(" ".join(text for text, _ in rest))
            break
    return found


def _raw_text_of_run(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(f"{_W}t"))


def _article_metadata(package: _Package, part: _Part, lang: str) -> dict[str, str]:
    """An article's document: the title, topic, language and publisher are in the core
    properties (docProps/core.xml) and, but the language, in the visible text (the
    Title and Subtitle paragraphs, the publisher block); the dates in the footer and the
    publisher block's updated line; the rights and licence in the publisher block only.
    A value in two places that differ gives both. Word has no place for the region."""
    shown = {style: _text(p) for style, p in reversed(part.blocks) if style in ("Title", "Subtitle")}
    block = _publisher_block(part, lang)
    core = package.core
    publisher = block["publisher"]
    if publisher.startswith(core["creator"] + " (") and publisher.endswith(")"):
        publisher = core["creator"]  # the short name follows in brackets
    footer = _updated(package.footer(part.footer), lang)
    body = _updated(block["updated_line"], lang)
    return {
        "title": agree(shown.get("Title", ""), core["title"]),
        "topic": agree(shown.get("Subtitle", ""), core["subject"]),
        "lang": lang,
        "publisher": agree(publisher, core["creator"]),
        "updated": agree(footer["updated"], body["updated"]),
        "next_update": agree(footer["next_update"], body["next_update"]),
        "rights": block["rights"],
        "license": block["license"],
        "edition": package.custom.get("Edition", ""),  # the writer's EDITION_PROPERTY
    }


def _chapter_metadata(package: _Package, part: _Part, lang: str) -> dict[str, str]:
    """A book's article: its title (its Heading 1), its topic (the Article Topic
    paragraph under it), its language (w:lang of the title's runs, else the book's) and
    its dates (its section's footer). The book's core properties and publisher block
    are the book's, not the article's."""
    title = _text(part.blocks[0][1])
    topic = _text(part.blocks[1][1]) if len(part.blocks) > 1 and part.blocks[1][0] == "ArticleTopic" else ""
    return {"title": title, "topic": topic, "lang": lang, **_updated(package.footer(part.footer), lang)}


def _chapter_lang(heading: etree._Element, book_lang: str) -> str:
    for found in heading.iter(f"{_W}lang"):
        value = found.get(f"{_W}val")
        if value:
            return value
    return book_lang


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One Reading per article: one for an article's file, one per article (in order) for a book's.

    Word keeps no section ids (the heading bookmarks are counters); a note's region is
    a hidden bookmark on its heading; citations and glossary uses are hyperlinks to the
    bookmarks on the sources and glossary entries. Every article shows its own glossary
    and sources. A document (and an e-book's article) shows its reusable blocks after
    them; a brochure on a back page after the last article, each block once: an
    article's own (a one-article book's too), a book's of several articles for all of
    them (given with the last one)."""
    package = _Package(data)
    book, parts = _parts(package.body)
    links = _Links.of(parts)
    brochure = bool(parts) and bool(parts[-1].back_page)
    shown: list[tuple[_UnitReader, int, dict[str, str], str]] = []
    on_back: list[tuple[int, int]] = [(0, 0)] * len(parts)
    for owner, part in enumerate(parts):
        if book:
            lang = _chapter_lang(part.blocks[0][1], package.core["language"])
            metadata = _chapter_metadata(package, part, lang)
        else:
            lang = package.core["language"]
            metadata = _article_metadata(package, part, lang)
        units = _UnitReader(part, 1 if book else 0, lang, links, owner)
        if brochure:
            units.read(part.blocks[: part.own])
            start = len(units.units)
            before = [(len(c), len(t)) for c, t in zip(links.citations, links.terms, strict=True)]
            units.read(part.back_page)
            if part.back_page:  # the links of the back page: the last ones of the articles they belong to
                on_back = [(len(c) - b[0], len(t) - b[1]) for c, t, b in zip(links.citations, links.terms, before, strict=True)]
        else:
            units.read(part.blocks)
            start = units.back_start()
        shown.append((units, len(units.units) - start, metadata, lang))
    # A one-article brochure's back page is that article's own back matter.
    carries = _CARRIES - {"back"} if book and brochure and len(parts) > 1 else _CARRIES
    return tuple(
        Reading(
            units=tuple(units.units),
            references=_references(part),
            citations=tuple(links.citations[owner]),
            glossary=_glossary(part, lang),
            terms=tuple(links.terms[owner]),
            metadata=metadata,
            carries=carries,
            back=back,
            back_links=on_back[owner],
        )
        for owner, (part, (units, back, metadata, lang)) in enumerate(zip(parts, shown, strict=True))
    )


#: Word keeps no section ids. Every article shows its own glossary; its back matter is
#: its own but in a brochure book of several articles (see read_readings).
_CARRIES = frozenset({"text", "note-region", "citations", "terms", "glossary", "back"})
