"""JATS XML import: the body — inline content, blocks, sections — and the glossary.

The inverse of :mod:`healthinfo.exporters.jats.writer`, reading the elements the
Journal Publishing tag library (https://jats.nlm.nih.gov/publishing/tag-library/1.1/)
defines with the attribute values of :mod:`healthinfo.exporters.jats.vocab`. An
element with no mapping is a :class:`JatsImportError`, never dropped.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from itertools import islice
from typing import Any

from lxml import etree

from ..._paths import path_fault
from ...exporters.jats import vocab
from ...schema import (
    Cite,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Note,
    NoteKind,
    Paragraph,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
)
from ...schema.article import HealthAspect
from ._errors import JatsImportError, at, unknown
from ._tree import elements, find, is_node, plain, plain_outside, strip_prefix

__all__ = ["BodyReader", "read_glossary", "refuse_unsafe_path"]

#: The elements that are blocks (the ones a <list-item> wraps in a <p>).
_BLOCK_TAGS = frozenset({"p", "list", "boxed-text", "fig", "table-wrap", "disp-quote"})


class BodyReader:
    """Reads the blocks and inline content of one article. ``resources`` maps image
    paths to their bytes; ``image_sizes`` and ``image_paths`` are what the front's
    custom-meta records about them (read before the body)."""

    def __init__(
        self,
        resources: Mapping[str, bytes],
        image_sizes: Mapping[str, tuple[int, int]],
        image_paths: Mapping[str, str],
    ) -> None:
        self.resources = resources
        self.image_sizes = image_sizes
        self.image_paths = image_paths

    # -- inline content ---------------------------------------------------------

    def inlines(self, element: etree._Element) -> list[Any]:
        out: list[Any] = []
        # Runs of text (split by comments or processing instructions) are gathered
        # and joined once: adding each to the last Text node would copy it again
        # each time (n^2 for n runs).
        run: list[str] = [element.text or ""]
        for child in element:
            if is_node(child):
                if any(run):
                    out.append(Text(text="".join(run)))
                run.clear()
                out.append(self.inline(child, element))
            run.append(child.tail or "")
        if any(run):
            out.append(Text(text="".join(run)))
        return out

    def inline(self, child: etree._Element, parent: etree._Element) -> Any:
        tag = child.tag
        if tag == "italic":
            return Emphasis(children=self.inlines(child))
        if tag == "bold":
            return Strong(children=self.inlines(child))
        if tag == "ext-link":
            return self.read_link(child)
        if tag == "xref" and child.get("ref-type") == "bibr":
            return self.read_cite(child)
        if tag == "break":
            return LineBreak()
        if tag == "named-content":
            kind = child.get("content-type")
            if kind == vocab.CT_TERM:
                return Term(ref=strip_prefix(child.get("rid", ""), vocab.GLOSSARY_PREFIX, "glossary"), children=self.inlines(child))
            if kind == vocab.CT_LANGUAGE:
                return Span(lang=child.get(vocab.LANG, ""), children=self.inlines(child))
            if kind == vocab.CT_BREAK:
                return LineBreak()
            if kind == vocab.CT_LINK:
                return self.read_link(child)
            if kind == vocab.CT_CITATION:
                return self.read_cite(child)
        raise unknown(child, parent)

    def read_link(self, element: etree._Element) -> Link:
        href = element.get(vocab.HREF)
        if href is None:
            raise JatsImportError(f"{at(element)}<{element.tag}> has no xlink:href")
        return Link(href=href, title=element.get(vocab.XLINK_TITLE), children=self.inlines(element))

    def read_cite(self, element: etree._Element) -> Cite:
        # The text of the citation ("[2–4]", "(Danesh et al., 2014)") is the style's, and
        # its inner <xref>s link the pieces; the sources cited, in order, are in @rid.
        return Cite(refs=[vocab.decode_key(rid) for rid in element.get("rid", "").split()])

    # -- blocks -----------------------------------------------------------------

    def blocks(self, children: Sequence[etree._Element]) -> list[Any]:
        return [self.block(child) for child in children]

    def block(self, element: etree._Element) -> Any:
        tag = element.tag
        if tag == "p":
            return self.read_p(element)
        if tag == "list":
            return self.read_list(element)
        if tag == "boxed-text":
            return self.read_boxed_text(element)
        if tag == "fig":
            return self.read_fig(element)
        if tag == "table-wrap":
            return self.read_table_wrap(element)
        if tag == "disp-quote":
            return self.read_disp_quote(element)
        raise unknown(element, element.getparent())

    def read_p(self, element: etree._Element) -> Any:
        # A <p> that holds one block and no text is the wrapper the exporter puts
        # around a block inside a <list-item>.
        children = list(islice((c for c in element if is_node(c)), 2))  # one is enough to know
        if len(children) == 1 and children[0].tag in _BLOCK_TAGS - {"p"} and not plain_outside(element).strip():
            return self.block(children[0])
        return Paragraph(children=self.inlines(element))

    def read_list(self, element: etree._Element) -> List:
        ordered = element.get("list-type") == "order"
        start: int | None = None
        items = []
        for index, child in enumerate(elements(element)):
            if child.tag != "list-item":
                raise unknown(child, element)
            parts = list(elements(child))
            if parts and parts[0].tag == "label":
                if index == 0:
                    label = plain(parts[0]).strip().rstrip(".")
                    try:
                        start = int(label)
                    except ValueError:
                        raise JatsImportError(f"{at(parts[0])}list label {label!r} is not a number") from None
                parts = parts[1:]
            items.append(ListItem(blocks=self.blocks(parts)))
        return List(ordered=ordered, start=start if ordered else None, items=items)

    def read_boxed_text(self, element: etree._Element) -> Note | Include | RegionalPassage:
        kind = element.get("content-type")
        children = list(elements(element))
        title: str | None = None
        ref: str | None = None
        rest = []
        for child in children:
            if child.tag == "caption":
                title_element = find(child, "title")
                title = plain(title_element) if title_element is not None else None
            elif child.tag == "object-id":
                ref = plain(child)
            else:
                rest.append(child)
        if kind == vocab.CT_REGION:
            codes = (element.get("specific-use") or "").removeprefix(vocab.REGION_PREFIX).split()
            return RegionalPassage(regions=tuple(codes), blocks=tuple(self.blocks(rest)))
        if kind == vocab.CT_REUSABLE:
            if ref is None:
                raise JatsImportError(f"{at(element)}a reusable block (<boxed-text content-type=\"reusable-block\">) has no <object-id>")
            return Include(ref=ref, title=title, blocks=self.blocks(rest))
        object_id = find(element, "object-id")
        if object_id is not None:
            # Only a reusable block has an id of its own; a note's would be lost.
            raise unknown(object_id, element)
        specific = element.get("specific-use") or ""
        region = specific[len(vocab.REGION_PREFIX):] if specific.startswith(vocab.REGION_PREFIX) else None
        note_kind = NoteKind(kind) if kind in NoteKind._value2member_map_ else NoteKind.note
        return Note(kind=note_kind, title=title, region=region, blocks=self.blocks(rest))

    def read_fig(self, element: etree._Element) -> Figure:
        caption: list[Any] = []
        credit: str | None = None
        graphic: etree._Element | None = None
        for child in elements(element):
            if child.tag == "caption":
                caption = self.read_caption(child)
            elif child.tag == "graphic":
                graphic = child
            elif child.tag == "attrib":
                credit = plain(child)
            else:
                raise unknown(child, element)
        if graphic is None:
            raise JatsImportError(f"{at(element)}a <fig> has no <graphic>")
        alt = find(graphic, "alt-text")
        if alt is None:
            raise JatsImportError(f"{at(graphic)}a <graphic> has no <alt-text>; healthinfo needs alternative text for every figure")
        fig_id = element.get("id")
        return Figure(
            id=strip_prefix(fig_id, vocab.FIGURE_PREFIX, "figure") if fig_id else None,
            image=self.read_graphic(graphic),
            alt=plain(alt),
            caption=caption,
            credit=credit,
        )

    def read_caption(self, element: etree._Element) -> list[Any]:
        paragraphs = [child for child in elements(element) if child.tag == "p"]
        if len(paragraphs) != 1 or len(list(elements(element))) != 1:
            raise JatsImportError(f"{at(element)}a caption must hold exactly one <p>")
        return self.inlines(paragraphs[0])

    def read_graphic(self, element: etree._Element) -> Image:
        href = element.get(vocab.HREF)
        if not href:
            raise JatsImportError(f"{at(element)}a <graphic> has no xlink:href")
        refuse_unsafe_path(href, element)
        if href not in self.resources:
            raise JatsImportError(
                f"{at(element)}the image {href!r} is not among the resources; pass its bytes in read_jats(data, resources={{...}})"
            )
        path = self.image_paths.get(href, href)
        refuse_unsafe_path(href, element)
        refuse_unsafe_path(path, element)
        data = self.resources[href]
        media_type = f"{element.get('mimetype', 'image')}/{element.get('mime-subtype', '')}"
        if href in self.image_sizes:
            width, height = self.image_sizes[href]
        else:
            width, height = _image_size(data, href)
        return Image(
            path=path, media_type=media_type, width=width, height=height, data=data
        )

    def read_table_wrap(self, element: etree._Element) -> Table:
        caption: list[Any] = []
        head: list[TableRow] = []
        body: list[TableRow] = []
        for child in elements(element):
            if child.tag == "caption":
                caption = self.read_caption(child)
            elif child.tag == "table":
                for part in elements(child):
                    if part.tag == "thead":
                        head.extend(self.read_tr(tr) for tr in elements(part))
                    elif part.tag == "tbody":
                        body.extend(self.read_tr(tr) for tr in elements(part))
                    elif part.tag == "tr":
                        body.append(self.read_tr(part))
                    else:
                        raise unknown(part, child)
            else:
                raise unknown(child, element)
        table_id = element.get("id")
        return Table(
            id=strip_prefix(table_id, vocab.TABLE_PREFIX, "table") if table_id else None,
            caption=caption,
            head=head,
            body=body,
        )

    def read_tr(self, element: etree._Element) -> TableRow:
        if element.tag != "tr":
            raise unknown(element, element.getparent())
        cells = []
        for cell in elements(element):
            if cell.tag not in ("td", "th"):
                raise unknown(cell, element)
            if cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1"):
                raise JatsImportError(f"{at(cell)}table cells that span rows or columns have no place in the content model")
            cells.append(TableCell(children=self.inlines(cell), align=cell.get("align")))
        return TableRow(cells=cells)

    def read_disp_quote(self, element: etree._Element) -> Quote:
        attribution: str | None = None
        rest = []
        for child in elements(element):
            if child.tag == "attrib":
                attribution = plain(child)
            else:
                rest.append(child)
        return Quote(blocks=self.blocks(rest), attribution=attribution)

    def read_sec(self, element: etree._Element) -> Section:
        title: list[Any] = []
        blocks = []
        sections = []
        for child in elements(element):
            if child.tag == "title":
                title = self.inlines(child)
            elif child.tag == "sec":
                sections.append(self.read_sec(child))
            else:
                blocks.append(self.block(child))
        sec_type = element.get("sec-type") or ""
        aspect_name = sec_type[: -len("HealthAspect")] if sec_type.endswith("HealthAspect") else ""
        aspect = HealthAspect(aspect_name) if aspect_name in HealthAspect._value2member_map_ else None
        return Section(
            id=strip_prefix(element.get("id", ""), vocab.SECTION_PREFIX, "section"),
            title=title,
            aspect=aspect,
            blocks=blocks,
            sections=sections,
        )


# ---------------------------------------------------------------------------
# The glossary (back matter, but plain text like the body's terms)


def read_glossary(glossary: etree._Element) -> dict[str, GlossaryEntry]:
    """The entries of <glossary>: its <title> is a heading, not content."""
    entries: dict[str, GlossaryEntry] = {}
    for part in elements(glossary):
        if part.tag == "def-list":
            for item in elements(part):
                entry = read_def_item(item)
                entries[entry.id] = entry
        elif part.tag != "title":
            raise unknown(part, glossary)
    return entries


def read_def_item(item: etree._Element) -> GlossaryEntry:
    term = find(item, "term")
    definition = find(item, "def")
    if item.tag != "def-item" or term is None or definition is None:
        raise JatsImportError(f"{at(item)}a glossary entry needs a <def-item> with a <term> and a <def>")
    paragraphs = list(elements(definition))
    texts = [plain(p) for p in paragraphs if p.get("content-type") != vocab.CT_SYNONYM]
    synonyms = [plain(p) for p in paragraphs if p.get("content-type") == vocab.CT_SYNONYM]
    return GlossaryEntry(
        id=strip_prefix(item.get("id", ""), vocab.GLOSSARY_PREFIX, "glossary"),
        term=plain(term),
        definition="\n\n".join(texts),
        synonyms=synonyms,
    )


def refuse_unsafe_path(path: str, element: etree._Element) -> None:
    """Refuse an image path that could name a file outside the output folder: a
    build writes the image under its path. Only a relative path of plain names
    separated by "/" is taken (no "..", ".", empty parts, backslashes, drive letters,
    URLs or control characters), the rule the loader applies to the corpus."""
    if path_fault(path) is not None:
        raise JatsImportError(
            f"{at(element)}<{element.tag}> names the image {path[:80]!r}; an image path must be relative "
            "and stay inside its folder, e.g. images/photo.png (no '..', no leading '/', no backslash, drive letter or URL)"
        )


def _image_size(data: bytes, href: str) -> tuple[int, int]:
    """Width and height of an image whose size the document does not record."""
    try:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - any unreadable image is the same plain error
        raise JatsImportError(f"the image {href!r} cannot be read to find its size") from None
