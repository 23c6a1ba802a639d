"""Read a JATS XML article (as :mod:`healthinfo.exporters.jats` writes it) back into
an :class:`~healthinfo.schema.Article`.

The input is untrusted. The parser loads no DTD, resolves no entity, touches no
network and refuses huge trees; a document larger than :data:`MAX_BYTES`, one that
declares entities (or elements) in an internal DTD subset, or one that still holds an
entity reference is refused before anything is read. Every problem is a
:class:`JatsImportError` with a plain sentence.

The reader knows the elements the exporter writes (docs/exporters/jats.md lists
them); an element it has no mapping for is an error, never silently dropped. Inside
text, comments and processing instructions are skipped. Adjacent runs of text become
one ``Text`` node, as the loader makes them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ..._errors import HealthinfoError
from ...exporters.jats import writer as J
from ...schema import (
    Article,
    Citation,
    Cite,
    CslDate,
    Emphasis,
    Figure,
    GlossaryEntry,
    Image,
    Include,
    LineBreak,
    Link,
    List,
    ListItem,
    Name,
    Note,
    NoteKind,
    Paragraph,
    Publisher,
    Quote,
    Section,
    Span,
    Strong,
    Table,
    TableCell,
    TableRow,
    Term,
    Text,
)
from ...schema.article import Audience, HealthAspect
from ...schema.publisher import Person

__all__ = ["MAX_BYTES", "JatsImportError", "read_jats"]

#: The largest document read: 10 MiB (the shipped article is about 40 kB).
MAX_BYTES = 10 * 1024 * 1024

_ALI_LICENSE_REF = f"{{{J.ALI}}}license_ref"
_BLOCK_TAGS = frozenset({"p", "list", "boxed-text", "fig", "table-wrap", "disp-quote"})


class JatsImportError(HealthinfoError):
    """A JATS document cannot be read: not well-formed, unsafe, too large, or holding
    something the content model has no place for."""


def read_jats(data: bytes, resources: Mapping[str, bytes] | None = None) -> Article:
    """The article of a JATS XML document.

    ``resources`` maps the paths in ``<graphic xlink:href>`` to the image files' bytes
    (``Rendered.resources`` of the export); an article with figures cannot be read
    without them.
    """
    root = _parse(data)
    try:
        return _Reader(root, resources or {}).article()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'article'}: {e['msg']}" for e in error.errors()[:5]
        )
        raise JatsImportError(f"the JATS document does not make a valid article: {problems}") from None
    except (ValueError, KeyError) as error:
        raise JatsImportError(f"the JATS document cannot be read: {error}") from None


def _parse(data: bytes) -> etree._Element:
    if not isinstance(data, (bytes, bytearray)):
        raise JatsImportError(f"read_jats takes the document's bytes, not {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise JatsImportError(
            f"the JATS document is {len(data)} bytes; documents larger than {MAX_BYTES} bytes are refused"
        )
    # Entity declarations are refused outright (billion laughs, external entities):
    # first cheaply on the bytes, then for certain on the parsed DOCTYPE below.
    if b"<!ENTITY" in data:
        raise JatsImportError("the JATS document declares entities in its DOCTYPE; such documents are refused")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        root = etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as error:
        raise JatsImportError(f"the JATS document is not well-formed XML: {error}") from None
    system_url = root.getroottree().docinfo.system_url
    if system_url and ":" in system_url:
        # A DOCTYPE that names a DTD by URL (http:, file:, …) is a request to fetch
        # something; we never do, and refuse the document rather than guess.
        raise JatsImportError(
            f"the JATS document's DOCTYPE points to {system_url!r}; documents whose DOCTYPE names a URL are refused"
        )
    subset = root.getroottree().docinfo.internalDTD
    if subset is not None and (any(True for _ in subset.iterentities()) or any(True for _ in subset.iterelements())):
        raise JatsImportError(
            "the JATS document declares entities or elements in its DOCTYPE; such documents are refused"
        )
    if any(True for _ in root.iter(etree.Entity)):
        raise JatsImportError("the JATS document uses entity references (such as &nbsp;); write the characters instead")
    if root.tag != "article":
        raise JatsImportError(f"the root element is <{root.tag}>, not a JATS <article>")
    return root


# ---------------------------------------------------------------------------
# Small tree helpers


def _is_node(child: Any) -> bool:
    """An element (not a comment or processing instruction)."""
    return isinstance(child.tag, str)


def _elements(element: etree._Element, lenient: bool = False) -> Iterator[etree._Element]:
    """The child elements of an element-only container. Text between them must be
    white space (a pretty-printed document is fine), unless ``lenient``."""
    if not lenient and element.text and element.text.strip():
        raise JatsImportError(f"<{element.tag}> holds text {element.text.strip()[:40]!r} where only elements belong")
    for child in element:
        if _is_node(child):
            yield child
        if not lenient and child.tail and child.tail.strip():
            raise JatsImportError(f"<{element.tag}> holds text {child.tail.strip()[:40]!r} where only elements belong")


def _plain(element: etree._Element) -> str:
    """The character data of an element and its descendants, without comments."""
    parts = [element.text or ""]
    for child in element:
        if _is_node(child):
            parts.append(_plain(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _find(element: etree._Element, tag: str) -> etree._Element | None:
    for child in element:
        if child.tag == tag:
            return child
    return None


def _strip_prefix(value: str, prefix: str, what: str) -> str:
    if not value.startswith(prefix):
        raise JatsImportError(f"the {what} id {value!r} does not start with {prefix!r}")
    return value[len(prefix):]


def _unknown(child: etree._Element, parent: etree._Element) -> JatsImportError:
    detail = ""
    for name in ("content-type", "ref-type", "notes-type"):
        if child.get(name) is not None:
            detail = f' {name}="{child.get(name)}"'
    return JatsImportError(
        f"the JATS importer has no mapping for <{child.tag}{detail}> inside <{parent.tag}>; it would be lost"
    )


def _int(element: etree._Element) -> int:
    text = _plain(element).strip()
    try:
        return int(text)
    except ValueError:
        raise JatsImportError(f"<{element.tag}> holds {text!r}, not a number") from None


def _date_parts(element: etree._Element) -> list[int]:
    """[year, month, day] of a JATS date (<day>, <month>, <year> children)."""
    values = {child.tag: child for child in _elements(element) if child.tag in ("day", "month", "year")}
    if "year" not in values:
        raise JatsImportError(f"<{element.tag}> has no <year>")
    parts = [_int(values["year"])]
    if "month" in values:
        parts.append(_int(values["month"]))
        if "day" in values:
            parts.append(_int(values["day"]))
    return parts


def _date(element: etree._Element) -> dt.date:
    parts = _date_parts(element)
    if len(parts) != 3:
        raise JatsImportError(f"<{element.tag} date-type=\"{element.get('date-type')}\"> needs a day, month and year")
    try:
        return dt.date(*parts)
    except ValueError as error:
        raise JatsImportError(f"<{element.tag}> is not a date: {error}") from None


# ---------------------------------------------------------------------------
# The reader


class _Reader:
    """Reads one <article>. One ``read_<element>`` per element the exporter writes."""

    def __init__(self, root: etree._Element, resources: Mapping[str, bytes]) -> None:
        self.root = root
        self.resources = resources
        self.image_sizes: dict[str, tuple[int, int]] = {}
        self.image_paths: dict[str, str] = {}

    # -- inline content ---------------------------------------------------------

    def inlines(self, element: etree._Element) -> list[Any]:
        out: list[Any] = []

        def add_text(text: str | None) -> None:
            if not text:
                return
            if out and isinstance(out[-1], Text):
                out[-1] = Text(text=out[-1].text + text)
            else:
                out.append(Text(text=text))

        add_text(element.text)
        for child in element:
            if _is_node(child):
                out.append(self.inline(child, element))
            add_text(child.tail)
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
            if kind == J.CT_TERM:
                return Term(ref=_strip_prefix(child.get("rid", ""), J.GLOSSARY_PREFIX, "glossary"), children=self.inlines(child))
            if kind == J.CT_LANGUAGE:
                return Span(lang=child.get(J.LANG, ""), children=self.inlines(child))
            if kind == J.CT_BREAK:
                return LineBreak()
            if kind == J.CT_LINK:
                return self.read_link(child)
            if kind == J.CT_CITATION:
                return self.read_cite(child)
        raise _unknown(child, parent)

    def read_link(self, element: etree._Element) -> Link:
        href = element.get(J.HREF)
        if href is None:
            raise JatsImportError(f"<{element.tag}> has no xlink:href")
        return Link(href=href, title=element.get(J.XLINK_TITLE), children=self.inlines(element))

    def read_cite(self, element: etree._Element) -> Cite:
        # The text of the citation ("[1, 2]") is generated; the keys are in @rid.
        return Cite(refs=[J.decode_key(rid) for rid in element.get("rid", "").split()])

    # -- blocks -----------------------------------------------------------------

    def blocks(self, elements: list[etree._Element]) -> list[Any]:
        return [self.block(child) for child in elements]

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
        raise _unknown(element, element.getparent() if element.getparent() is not None else element)

    def read_p(self, element: etree._Element) -> Any:
        # A <p> that holds one block and no text is the wrapper the exporter puts
        # around a block inside a <list-item>.
        children = [c for c in element if _is_node(c)]
        if len(children) == 1 and children[0].tag in _BLOCK_TAGS - {"p"} and not _plain_outside(element).strip():
            return self.block(children[0])
        return Paragraph(children=self.inlines(element))

    def read_list(self, element: etree._Element) -> List:
        ordered = element.get("list-type") == "order"
        start: int | None = None
        items = []
        for index, child in enumerate(_elements(element)):
            if child.tag != "list-item":
                raise _unknown(child, element)
            parts = list(_elements(child))
            if parts and parts[0].tag == "label":
                if index == 0:
                    label = _plain(parts[0]).strip().rstrip(".")
                    try:
                        start = int(label)
                    except ValueError:
                        raise JatsImportError(f"list label {label!r} is not a number") from None
                parts = parts[1:]
            items.append(ListItem(blocks=self.blocks(parts)))
        return List(ordered=ordered, start=start if ordered else None, items=items)

    def read_boxed_text(self, element: etree._Element) -> Note | Include:
        kind = element.get("content-type")
        children = list(_elements(element))
        title: str | None = None
        ref: str | None = None
        rest = []
        for child in children:
            if child.tag == "caption":
                title_element = _find(child, "title")
                title = _plain(title_element) if title_element is not None else None
            elif child.tag == "object-id":
                ref = _plain(child)
            else:
                rest.append(child)
        if kind == J.CT_REUSABLE:
            if ref is None:
                raise JatsImportError("a reusable block (<boxed-text content-type=\"reusable-block\">) has no <object-id>")
            return Include(ref=ref, title=title, blocks=self.blocks(rest))
        if ref is not None:
            raise _unknown(_find(element, "object-id"), element)  # type: ignore[arg-type]
        specific = element.get("specific-use") or ""
        region = specific[len(J.REGION_PREFIX):] if specific.startswith(J.REGION_PREFIX) else None
        note_kind = NoteKind(kind) if kind in NoteKind._value2member_map_ else NoteKind.note
        return Note(kind=note_kind, title=title, region=region, blocks=self.blocks(rest))

    def read_fig(self, element: etree._Element) -> Figure:
        caption: list[Any] = []
        credit: str | None = None
        graphic: etree._Element | None = None
        for child in _elements(element):
            if child.tag == "caption":
                caption = self.read_caption(child)
            elif child.tag == "graphic":
                graphic = child
            elif child.tag == "attrib":
                credit = _plain(child)
            else:
                raise _unknown(child, element)
        if graphic is None:
            raise JatsImportError("a <fig> has no <graphic>")
        alt = _find(graphic, "alt-text")
        if alt is None:
            raise JatsImportError("a <graphic> has no <alt-text>; healthinfo needs alternative text for every figure")
        fig_id = element.get("id")
        return Figure(
            id=_strip_prefix(fig_id, J.FIGURE_PREFIX, "figure") if fig_id else None,
            image=self.read_graphic(graphic),
            alt=_plain(alt),
            caption=caption,
            credit=credit,
        )

    def read_caption(self, element: etree._Element) -> list[Any]:
        paragraphs = [child for child in _elements(element) if child.tag == "p"]
        if len(paragraphs) != 1 or len(list(_elements(element))) != 1:
            raise JatsImportError("a caption must hold exactly one <p>")
        return self.inlines(paragraphs[0])

    def read_graphic(self, element: etree._Element) -> Image:
        href = element.get(J.HREF)
        if not href:
            raise JatsImportError("a <graphic> has no xlink:href")
        if href not in self.resources:
            raise JatsImportError(
                f"the image {href!r} is not among the resources; pass its bytes in read_jats(data, resources={{...}})"
            )
        data = self.resources[href]
        media_type = f"{element.get('mimetype', 'image')}/{element.get('mime-subtype', '')}"
        if href in self.image_sizes:
            width, height = self.image_sizes[href]
        else:
            width, height = _image_size(data, href)
        return Image(
            path=self.image_paths.get(href, href), media_type=media_type, width=width, height=height, data=data
        )

    def read_table_wrap(self, element: etree._Element) -> Table:
        caption: list[Any] = []
        head: list[TableRow] = []
        body: list[TableRow] = []
        for child in _elements(element):
            if child.tag == "caption":
                caption = self.read_caption(child)
            elif child.tag == "table":
                for part in _elements(child):
                    if part.tag == "thead":
                        head.extend(self.read_tr(tr) for tr in _elements(part))
                    elif part.tag == "tbody":
                        body.extend(self.read_tr(tr) for tr in _elements(part))
                    elif part.tag == "tr":
                        body.append(self.read_tr(part))
                    else:
                        raise _unknown(part, child)
            else:
                raise _unknown(child, element)
        table_id = element.get("id")
        return Table(
            id=_strip_prefix(table_id, J.TABLE_PREFIX, "table") if table_id else None,
            caption=caption,
            head=head,
            body=body,
        )

    def read_tr(self, element: etree._Element) -> TableRow:
        if element.tag != "tr":
            raise _unknown(element, element.getparent())  # type: ignore[arg-type]
        cells = []
        for cell in _elements(element):
            if cell.tag not in ("td", "th"):
                raise _unknown(cell, element)
            if cell.get("colspan") not in (None, "1") or cell.get("rowspan") not in (None, "1"):
                raise JatsImportError("table cells that span rows or columns have no place in the content model")
            cells.append(TableCell(children=self.inlines(cell), align=cell.get("align")))
        return TableRow(cells=cells)

    def read_disp_quote(self, element: etree._Element) -> Quote:
        attribution: str | None = None
        rest = []
        for child in _elements(element):
            if child.tag == "attrib":
                attribution = _plain(child)
            else:
                rest.append(child)
        return Quote(blocks=self.blocks(rest), attribution=attribution)

    def read_sec(self, element: etree._Element) -> Section:
        title: list[Any] = []
        blocks = []
        sections = []
        for child in _elements(element):
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
            id=_strip_prefix(element.get("id", ""), J.SECTION_PREFIX, "section"),
            title=title,
            aspect=aspect,
            blocks=blocks,
            sections=sections,
        )

    # -- front --------------------------------------------------------------------

    def read_custom_meta(self, group: etree._Element, fields: dict[str, Any]) -> None:
        for item in _elements(group):
            name_element = _find(item, "meta-name")
            value_element = _find(item, "meta-value")
            if name_element is None or value_element is None:
                continue
            name, value = _plain(name_element), _plain(value_element)
            href = item.get(J.HREF)
            if name == J.META_SCHEMA_VERSION:
                fields["schema_version"] = value
            elif name == J.META_AUDIENCE:
                fields["audience"] = Audience(value)
            elif name == J.META_REGION:
                fields["region"] = value
            elif name == J.META_IMAGE_SIZE and href:
                width, _, height = value.partition("x")
                try:
                    self.image_sizes[href] = (int(width), int(height))
                except ValueError:
                    raise JatsImportError(f"image size {value!r} is not WIDTHxHEIGHT") from None
            elif name == J.META_IMAGE_PATH and href:
                self.image_paths[href] = value
            # Other custom-meta (from other tools) carries nothing of the model.

    def read_publisher(self, journal_meta: etree._Element, contrib_group: etree._Element | None) -> Publisher:
        fields: dict[str, Any] = {}
        for child in _elements(journal_meta):
            if child.tag == "journal-id" and child.get("journal-id-type") == "publisher-id":
                fields["id"] = _plain(child)
            elif child.tag == "publisher":
                for part in _elements(child):
                    if part.tag == "publisher-name":
                        fields["name"] = _plain(part)
                    elif part.tag == "publisher-loc":
                        for item in _elements(part, lenient=True):
                            if item.tag == "addr-line":
                                fields["address"] = _plain(item)
                            elif item.tag == "country":
                                fields["country"] = item.get("country") or _plain(item)
                            elif item.tag == "email":
                                fields["email"] = _plain(item)
                            elif item.tag == "uri":
                                fields["url"] = item.get(J.HREF) or _plain(item)
        if contrib_group is not None:
            for contrib in _elements(contrib_group):
                if contrib.get("contrib-type") != "publisher":
                    continue
                alternatives = _find(contrib, "collab-alternatives")
                if alternatives is not None:
                    for collab in _elements(alternatives):
                        if collab.get("specific-use") == "short-name":
                            fields["short_name"] = _plain(collab)
        return Publisher(**fields)

    def read_person(self, contrib: etree._Element) -> Person:
        fields: dict[str, Any] = {}
        for child in _elements(contrib):
            if child.tag == "name-alternatives":
                names = [n for n in _elements(child) if n.tag == "string-name"]
                if not names:
                    raise JatsImportError("a contributor's <name-alternatives> has no <string-name>")
                fields["name"] = _plain(names[0])
            elif child.tag == "aff":
                fields["affiliation"] = _plain(child)
            elif child.tag == "contrib-id" and child.get("contrib-id-type") == "orcid":
                fields["orcid"] = _plain(child).strip().removeprefix("https://orcid.org/").removeprefix("http://orcid.org/")
            else:
                raise _unknown(child, contrib)
        return Person(**fields)

    def read_article_meta(self, meta: etree._Element, fields: dict[str, Any]) -> etree._Element | None:
        contrib_group = None
        for child in _elements(meta):
            tag = child.tag
            if tag == "article-id":
                if child.get("pub-id-type") == "publisher-id":
                    fields["id"] = _plain(child)
            elif tag == "article-categories":
                for group in _elements(child):
                    if group.tag == "subj-group" and group.get("subj-group-type") == "topic":
                        subject = _find(group, "subject")
                        if subject is not None:
                            fields["topic"] = _plain(subject)
            elif tag == "title-group":
                title = _find(child, "article-title")
                if title is not None:
                    fields["title"] = _plain(title)
            elif tag == "contrib-group":
                contrib_group = child
                authors, reviewers = [], []
                for contrib in _elements(child):
                    kind = contrib.get("contrib-type")
                    if kind == "author":
                        authors.append(self.read_person(contrib))
                    elif kind == "reviewer":
                        reviewers.append(self.read_person(contrib))
                fields["authors"], fields["reviewers"] = authors, reviewers
            elif tag == "pub-date":
                kind = child.get("date-type") or child.get("pub-type")
                if kind == J.DATE_UPDATED:
                    fields["updated"] = _date(child)
                elif kind in (J.DATE_PUBLISHED, "epub"):
                    fields["published"] = _date(child)
            elif tag == "history":
                for date in _elements(child):
                    if date.get("date-type") == J.DATE_NEXT_UPDATE:
                        parts = _date_parts(date)
                        fields["next_update"] = parts[0] if len(parts) == 1 else _date(date)
            elif tag == "permissions":
                for part in _elements(child):
                    if part.tag == "copyright-statement":
                        fields["rights"] = _plain(part)
                    elif part.tag == "license":
                        ref = _find(part, _ALI_LICENSE_REF)
                        if ref is not None:
                            fields["license"] = _plain(ref).strip()
                        elif part.get(J.HREF):
                            fields["license"] = part.get(J.HREF)
                    # copyright-year and copyright-holder are derived from the dates
                    # and the publisher.
            elif tag == "self-uri":
                fields["url"] = child.get(J.HREF)
            elif tag == "abstract":
                paragraphs = [p for p in _elements(child) if p.tag == "p"]
                fields["description"] = "\n\n".join(_plain(p) for p in paragraphs)
            elif tag == "kwd-group":
                fields.setdefault("keywords", []).extend(_plain(k) for k in _elements(child) if k.tag == "kwd")
            elif tag == "custom-meta-group":
                self.read_custom_meta(child, fields)
        if "updated" not in fields:
            raise JatsImportError('the article has no <pub-date date-type="update">; healthinfo needs the date of the last update')
        return contrib_group

    # -- back ---------------------------------------------------------------------

    def read_back(self, back: etree._Element, fields: dict[str, Any]) -> None:
        for child in _elements(back):
            if child.tag == "ref-list":
                refs = []
                for ref in _elements(child):
                    if ref.tag == "ref":
                        refs.append(self.read_ref(ref))
                    elif ref.tag != "title":
                        raise _unknown(ref, child)
                fields["references"] = refs
            elif child.tag == "notes" and child.get("notes-type") == J.NOTES_REUSABLE:
                includes = []
                for box in _elements(child):
                    block = self.block(box)
                    if not isinstance(block, Include):
                        raise _unknown(box, child)
                    includes.append(block)
                fields["back"] = includes
            elif child.tag == "glossary":
                glossary: dict[str, GlossaryEntry] = {}
                for part in _elements(child):
                    if part.tag == "def-list":
                        for item in _elements(part):
                            entry = self.read_def_item(item)
                            glossary[entry.id] = entry
                    elif part.tag != "title":
                        raise _unknown(part, child)
                fields["glossary"] = glossary
            else:
                raise _unknown(child, back)

    def read_def_item(self, item: etree._Element) -> GlossaryEntry:
        term = _find(item, "term")
        definition = _find(item, "def")
        if item.tag != "def-item" or term is None or definition is None:
            raise JatsImportError("a glossary entry needs a <def-item> with a <term> and a <def>")
        paragraphs = list(_elements(definition))
        texts = [_plain(p) for p in paragraphs if p.get("content-type") != J.CT_SYNONYM]
        synonyms = [_plain(p) for p in paragraphs if p.get("content-type") == J.CT_SYNONYM]
        return GlossaryEntry(
            id=_strip_prefix(item.get("id", ""), J.GLOSSARY_PREFIX, "glossary"),
            term=_plain(term),
            definition="\n\n".join(texts),
            synonyms=synonyms,
        )

    def read_ref(self, ref: etree._Element) -> Citation:
        cite = _find(ref, "element-citation")
        if cite is None:
            raise JatsImportError(f"the source {ref.get('id')!r} has no <element-citation>")
        publication_type = cite.get("publication-type")
        fields: dict[str, Any] = {"id": J.decode_key(ref.get("id", ""))}
        if cite.get(J.LANG) is not None:
            fields["language"] = cite.get(J.LANG)
        source: etree._Element | None = None
        has_own_title = False
        has_chapter_title = False
        issued: list[list[int]] = []
        issued_literal: str | None = None
        accessed: list[list[int]] = []
        accessed_literal: str | None = None
        first_parts: dict[str, int] = {}
        fpage = lpage = None
        for child in _elements(cite):
            tag = child.tag
            text = _plain(child)
            if tag == "person-group":
                self.read_person_group(child, fields)
            elif tag == "article-title":
                fields["title"], has_own_title = text, True
            elif tag == "chapter-title":
                fields["title"], has_own_title, has_chapter_title = text, True, True
            elif tag == "source":
                source = child
            elif tag == "series":
                fields["collection_title"] = text
            elif tag in ("edition", "volume", "issue"):
                fields[tag] = text
            elif tag == "publisher-loc":
                fields["publisher_place"] = text
            elif tag == "publisher-name":
                fields["publisher"] = text
            elif tag in ("year", "month", "day"):
                first_parts[tag] = _int(child)
            elif tag == "date" and child.get("date-type") == J.DATE_ISSUED_END:
                issued.append(_date_parts(child))
            elif tag == "string-date":
                issued_literal = text
            elif tag == "fpage":
                fpage = text
            elif tag == "lpage":
                lpage = text
            elif tag in ("elocation-id", "page-range"):
                fields["page"] = text
            elif tag == "date-in-citation" and child.get("content-type") == J.CT_ACCESS_DATE:
                iso = child.get("iso-8601-date") or text
                try:
                    accessed.append([int(part) for part in iso.split("-")])
                except ValueError:
                    raise JatsImportError(f"access date {iso!r} is not YYYY-MM-DD") from None
            elif tag == "date-in-citation" and child.get("content-type") == J.CT_ACCESS_LITERAL:
                accessed_literal = text
            elif tag == "pub-id" and child.get("pub-id-type") in ("doi", "pmid", "pmcid"):
                fields[child.get("pub-id-type", "").upper()] = text
            elif tag == "isbn":
                fields["ISBN"] = text
            elif tag == "ext-link":
                fields["URL"] = child.get(J.HREF) or text
            elif tag == "comment":
                kind = child.get("content-type")
                fields[{J.CT_NUMBER: "number", J.CT_GENRE: "genre"}.get(kind or "", "note")] = text
            else:
                raise _unknown(child, cite)
        if source is not None:
            text = _plain(source)
            title_in_source = (
                publication_type in J.SOURCE_TITLED
                and not has_own_title
                and source.get("content-type") != J.CT_CONTAINER_TITLE
            )
            fields["title" if title_in_source else "container_title"] = text
        if fpage is not None:
            fields["page"] = fpage if lpage is None else f"{fpage}-{lpage}"
        if "year" in first_parts:
            parts = [first_parts["year"]]
            if "month" in first_parts:
                parts.append(first_parts["month"])
                if "day" in first_parts:
                    parts.append(first_parts["day"])
            fields["issued"] = CslDate(date_parts=[parts, *issued], literal=issued_literal)
        if accessed:
            fields["accessed"] = CslDate(date_parts=accessed, literal=accessed_literal)
        specific = cite.get("specific-use") or ""
        if specific.startswith(J.CSL_PREFIX):
            fields["type"] = specific[len(J.CSL_PREFIX):]
        else:
            fields["type"] = J.csl_type_of(publication_type, has_chapter_title)
        return Citation(**fields)

    def read_person_group(self, group: etree._Element, fields: dict[str, Any]) -> None:
        kind = group.get("person-group-type")
        if kind not in ("author", "editor"):
            raise JatsImportError(f'<person-group person-group-type="{kind}"> has no place in the content model')
        names = []
        et_al = False
        for child in _elements(group):
            if child.tag == "etal":
                et_al = True
            elif child.tag == "collab":
                names.append(Name(literal=_plain(child)))
            elif child.tag in ("name", "string-name"):
                names.append(self.read_name(child))
            else:
                raise _unknown(child, group)
        fields[kind] = names
        fields[f"{kind}_et_al"] = et_al

    def read_name(self, element: etree._Element) -> Name:
        fields: dict[str, str] = {}
        for part in _elements(element, lenient=element.tag == "string-name"):
            text = _plain(part)
            if part.tag == "surname":
                fields["family"] = text
            elif part.tag == "given-names":
                fields["given"] = text
            elif part.tag == "suffix":
                fields["suffix"] = text
            elif part.tag == "prefix" and part.get("content-type") == "dropping-particle":
                fields["dropping_particle"] = text
            elif part.tag == "prefix" and part.get("content-type") == "non-dropping-particle":
                fields["non_dropping_particle"] = text
            elif part.tag == "prefix":
                continue  # an honorific ("Dr"): CSL has no field for it
            else:
                raise _unknown(part, element)
        return Name(**fields)

    # -- the article ----------------------------------------------------------------

    def article(self) -> Article:
        root = self.root
        fields: dict[str, Any] = {"lang": root.get(J.LANG, "en")}
        front = body = back = None
        for child in _elements(root):
            if child.tag == "front" and front is None:
                front = child
            elif child.tag == "body" and body is None:
                body = child
            elif child.tag == "back" and back is None:
                back = child
            else:
                raise _unknown(child, root)
        if front is None:
            raise JatsImportError("the article has no <front>")
        journal_meta = _find(front, "journal-meta")
        article_meta = _find(front, "article-meta")
        if journal_meta is None or article_meta is None:
            raise JatsImportError("<front> needs a <journal-meta> and an <article-meta>")
        # article-meta first: its custom-meta holds the image sizes the body needs.
        contrib_group = self.read_article_meta(article_meta, fields)
        fields["publisher"] = self.read_publisher(journal_meta, contrib_group)
        if body is not None:
            blocks, sections = [], []
            for child in _elements(body):
                if child.tag == "sec":
                    sections.append(self.read_sec(child))
                elif sections:
                    raise JatsImportError(f"<{child.tag}> follows the sections of <body>; blocks come before sections")
                else:
                    blocks.append(self.block(child))
            fields["blocks"], fields["sections"] = blocks, sections
        if back is not None:
            self.read_back(back, fields)
        return Article(**fields)


def _plain_outside(element: etree._Element) -> str:
    """The text of ``element`` that is not inside a child element."""
    return (element.text or "") + "".join(child.tail or "" for child in element)


def _image_size(data: bytes, href: str) -> tuple[int, int]:
    """Width and height of an image whose size the document does not record."""
    try:
        from PIL import Image as PILImage

        with PILImage.open(io.BytesIO(data)) as image:
            return image.size
    except Exception:  # noqa: BLE001 - any unreadable image is the same plain error
        raise JatsImportError(f"the image {href!r} cannot be read to find its size") from None
