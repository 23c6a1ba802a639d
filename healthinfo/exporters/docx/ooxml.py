"""Low-level WordprocessingML for the DOCX exporter: elements python-docx has no API
for (hyperlinks, bookmarks, fields, numbering definitions, document language) and the
packaging that makes the file reproducible.

Reference: ECMA-376 Part 1 (5th ed.), "Office Open XML File Formats — Fundamentals and
Markup Language Reference", https://ecma-international.org/publications-and-standards/standards/ecma-376/
— section numbers below are of Part 1 (§17 WordprocessingML, §15.2 parts, §11 packages).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.ns import NamespacePrefixedTag, qn
from docx.oxml.parser import oxml_parser
from lxml import etree

from .._i18n import is_rtl
from .._zip import write_zip

__all__ = [
    "Numbering",
    "add_custom_properties",
    "append_text",
    "bookmark",
    "bookmark_end",
    "bookmark_start",
    "clean_package",
    "complex_field",
    "drop_unused_table_styles",
    "el",
    "lang_element",
    "write_package",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"



@functools.cache
def _tag(tag: str) -> tuple[str, dict[str, str]]:
    """The Clark name and namespace map of "w:p" (what python-docx's OxmlElement
    computes on every call; a document makes tens of thousands of elements)."""
    prefixed = NamespacePrefixedTag(tag)
    return prefixed.clark_name, prefixed.nsmap


@functools.cache
def _attribute(key: str) -> str:
    prefix, _, local = key.partition("_")
    return qn(f"{prefix}:{local}")


def el(tag: str, children: Iterable[etree._Element] = (), **attrs: str) -> etree._Element:
    """A new element ``tag`` ("w:p") with attributes given as w_val="x" -> w:val="x".
    The element is of python-docx's class for the tag (as OxmlElement makes it)."""
    clark, nsmap = _tag(tag)
    element = oxml_parser.makeelement(clark, nsmap=nsmap)
    for key, value in attrs.items():
        element.set(_attribute(key), value)
    for child in children:
        element.append(child)
    return element


_W_T = qn("w:t")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAKS = re.compile(r"(\r\n|[\t\r\n])")


#: xml:space="preserve" keeps leading, trailing and repeated spaces (§17.3.3.31).
_PRESERVE = {_XML_SPACE: "preserve"}


def _append_t(run: etree._Element, text: str) -> None:
    # A child made in place (SubElement) costs half a standalone element and its append.
    etree.SubElement(run, _W_T, _PRESERVE).text = text


def append_text(run: etree._Element, text: str) -> None:
    """Append ``text`` to the run ``run`` as w:t, w:tab and w:br elements (§17.3.3):
    a tab is a w:tab, a line feed or carriage return a w:br, as python-docx writes
    them; a CR LF pair is one break."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        if text:
            _append_t(run, text)
        return
    for piece in _BREAKS.split(text):
        if piece == "\t":
            run.append(el("w:tab"))
        elif piece in ("\r\n", "\r", "\n"):
            run.append(el("w:br"))
        elif piece:
            _append_t(run, piece)


def bookmark_start(name: str, number: int) -> etree._Element:
    """w:bookmarkStart of the bookmark ``name`` with the w:id ``number`` (§17.13.6.2).
    Bookmark names starting with "_" are hidden in Word's bookmark dialog, as Word's own
    _Toc and _Ref bookmarks are; they must be at most 40 characters."""
    assert len(name) <= 40, name
    return el("w:bookmarkStart", w_id=str(number), w_name=name)


def bookmark_end(number: int) -> etree._Element:
    """w:bookmarkEnd of the bookmark with the w:id ``number`` (§17.13.6.1)."""
    return el("w:bookmarkEnd", w_id=str(number))


def bookmark(paragraph: etree._Element, name: str, number: int) -> None:
    """Put a bookmark ``name`` around the whole content of ``paragraph``."""
    ppr = paragraph.find(qn("w:pPr"))
    index = 0 if ppr is None else list(paragraph).index(ppr) + 1
    paragraph.insert(index, bookmark_start(name, number))
    paragraph.append(bookmark_end(number))


def _fld_run(kind: str, rpr: etree._Element | None = None) -> etree._Element:
    run = el("w:r")
    if rpr is not None:
        run.append(_copy(rpr))
    run.append(el("w:fldChar", w_fldCharType=kind))
    return run


def complex_field(instruction: str, result: list[etree._Element], *, begin: bool = True, end: bool = True,
                  rpr: etree._Element | None = None) -> list[etree._Element]:
    """The runs of a complex field (§17.16.2, §17.16.18): begin, the instruction,
    separate, the cached ``result`` runs, end. ``begin``/``end`` False split a field
    over paragraphs (a TOC field spans all its entries). No w:dirty and no
    updateFields setting: the cached result is what Word and LibreOffice show."""
    runs: list[etree._Element] = []
    if begin:
        runs.append(_fld_run("begin", rpr))
        instr = el("w:r")
        if rpr is not None:
            instr.append(_copy(rpr))
        text = el("w:instrText")
        text.text = f" {instruction} "
        text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.append(text)
        runs.append(instr)
        runs.append(_fld_run("separate", rpr))
    runs.extend(result)
    if end:
        runs.append(_fld_run("end", rpr))
    return runs


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def lang_element(lang: str) -> etree._Element:
    """w:lang (§17.3.2.20) for text in ``lang``: w:val is the language of Latin-script
    text, w:bidi of complex-script (Arabic, Hebrew) text; spell-checking uses them."""
    if is_rtl(lang):
        return el("w:lang", w_val=lang, w_bidi=lang)
    return el("w:lang", w_val=lang)


# ---------------------------------------------------------------- numbering (§17.9)

#: abstractNum ids and their w:nsid (a list's identity in Word; two abstractNums with
#: the same nsid are merged, so each is fixed and distinct).
BULLET_ABSTRACT = 1
ORDERED_ABSTRACT = 2
_NSIDS = {BULLET_ABSTRACT: "4B1D0001", ORDERED_ABSTRACT: "4B1D0002"}
#: The w:num every bulleted list shares (bullets need no restart), and the one the
#: List Number styles carry for designers applying them by hand.
BULLET_NUM = 1
ORDERED_NUM = 2

_BULLETS = ["\u2022", "\u2013", "\u25aa"]
_ORDERED = [("decimal", "%{}."), ("lowerLetter", "%{}."), ("lowerRoman", "%{}.")]
#: Indentation of list level k: left 360 + 360·k twips, hanging 360 (a quarter inch).
INDENT = 360


def level_indent(level: int) -> int:
    return INDENT * (level + 1)


class Numbering:
    """Writes numbering.xml: one abstract bulleted list, one abstract numbered list, and
    one w:num per numbered list of the document whose w:lvlOverride/w:startOverride
    restarts the count at the list's start (§17.9.8, §17.9.26) — how Word itself
    writes "Restart numbering"."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        for child in list(root):
            root.remove(child)
        self.root.append(self._abstract(BULLET_ABSTRACT, ordered=False))
        self.root.append(self._abstract(ORDERED_ABSTRACT, ordered=True))
        self.nums: list[etree._Element] = [self._num(BULLET_NUM, BULLET_ABSTRACT), self._num(ORDERED_NUM, ORDERED_ABSTRACT)]
        self.next_id = ORDERED_NUM + 1

    @staticmethod
    def _abstract(number: int, ordered: bool) -> etree._Element:
        # Made once per process, copied for each document (a document changes none).
        return copy.deepcopy(Numbering._abstract_definition(number, ordered))

    @staticmethod
    @functools.cache
    def _abstract_definition(number: int, ordered: bool) -> etree._Element:
        abstract = el("w:abstractNum", w_abstractNumId=str(number))
        abstract.append(el("w:nsid", w_val=_NSIDS[number]))
        abstract.append(el("w:multiLevelType", w_val="hybridMultilevel"))
        for level in range(9):
            lvl = el("w:lvl", w_ilvl=str(level))
            lvl.append(el("w:start", w_val="1"))
            if ordered:
                fmt, text = _ORDERED[level % 3]
                lvl.append(el("w:numFmt", w_val=fmt))
                lvl.append(el("w:lvlText", w_val=text.format(level + 1)))
            else:
                lvl.append(el("w:numFmt", w_val="bullet"))
                lvl.append(el("w:lvlText", w_val=_BULLETS[level % 3]))
            lvl.append(el("w:lvlJc", w_val="left"))
            lvl.append(el("w:pPr", [el("w:ind", w_left=str(level_indent(level)), w_hanging=str(INDENT))]))
            abstract.append(lvl)
        return abstract

    @staticmethod
    def _num(number: int, abstract: int, level: int | None = None, start: int | None = None) -> etree._Element:
        num = el("w:num", [el("w:abstractNumId", w_val=str(abstract))], w_numId=str(number))
        if level is not None and start is not None:
            num.append(el("w:lvlOverride", [el("w:startOverride", w_val=str(start))], w_ilvl=str(level)))
        return num

    def new_ordered(self, level: int, start: int) -> int:
        """A new w:num for one numbered list at ``level``, counting from ``start``."""
        number = self.next_id
        self.next_id += 1
        self.nums.append(self._num(number, ORDERED_ABSTRACT, level, start))
        return number

    def finish(self) -> None:
        # Every w:abstractNum must come before every w:num (CT_Numbering sequence).
        for num in self.nums:
            self.root.append(num)


def numbering_properties(num_id: int, level: int) -> etree._Element:
    """w:numPr (§17.3.1.19)."""
    return el("w:numPr", [el("w:ilvl", w_val=str(level)), el("w:numId", w_val=str(num_id))])


# ---------------------------------------------------------------- the package (§11, OPC)

_DROP_PACKAGE_RELS = {RT.THUMBNAIL}
_DROP_DOCUMENT_RELS = {
    RT.CUSTOM_XML,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}


def clean_package(document: object, application: str, company: str | None) -> None:
    """Drop what python-docx's template carries that is not ours: its thumbnail (a
    picture of another document), customXml, the Word 2010 stylesWithEffects copy of
    the styles (which would hide our styles from Word 2010), the revision ids (rsids)
    and the proofing state that claims the spelling was checked; and write our own
    extended properties (docProps/app.xml)."""
    part = document.part  # type: ignore[attr-defined]
    package = part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype in _DROP_PACKAGE_RELS:
            _drop(package.rels, rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = _app_xml(application, company)
    for rid, rel in list(part.rels.items()):
        if rel.reltype in _DROP_DOCUMENT_RELS:
            _drop(part.rels, rid)
    settings = part._settings_part.element
    for tag in ("w:rsids", "w:proofState", "w:savePreviewPicture"):
        for found in settings.findall(qn(tag)):
            settings.remove(found)
    for found in settings.findall("{http://schemas.microsoft.com/office/word/2010/wordml}docId"):
        settings.remove(found)
    for root in (part.element, part.styles.element):
        for element in root.iter():
            for attribute in list(element.attrib):
                if attribute.startswith(f"{{{W_NS}}}rsid"):
                    del element.attrib[attribute]
        for rsid in root.iter(qn("w:rsid")):
            rsid.getparent().remove(rsid)


def drop_unused_table_styles(styles_root: etree._Element, keep: Iterable[str]) -> None:
    """Remove the table styles of python-docx's template that are not in ``keep``
    (style ids) and that no kept style is based on: its hundred "Light Grid Accent 1"
    variants make up nine tenths of styles.xml, which every export would otherwise
    parse, write and compress. Word still offers all its built-in table styles (it
    knows them without a definition in the file); the style gallery a designer sees
    lists the document's own styles."""
    kept = set(keep)
    styles = styles_root.findall(qn("w:style"))
    for style in styles:
        if style.get(qn("w:type")) != "table" and style.get(qn("w:styleId")) not in kept:
            kept.add(style.get(qn("w:styleId")) or "")
    # A kept style's ancestry is kept too (w:basedOn, §17.7.4.3).
    by_id = {style.get(qn("w:styleId")): style for style in styles}
    for style_id in list(kept):
        current = by_id.get(style_id)
        while current is not None:
            based = current.find(qn("w:basedOn"))
            parent = based.get(qn("w:val")) if based is not None else None
            if parent is None or parent in kept:
                break
            kept.add(parent)
            current = by_id.get(parent)
    for style in styles:
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in kept:
            styles_root.remove(style)


def _drop(rels: object, rid: str) -> None:
    del rels[rid]  # type: ignore[attr-defined]
    rels._target_parts_by_rId.pop(rid, None)  # type: ignore[attr-defined]


_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
#: The format id every custom property carries (ECMA-376 Part 1, §22.3.2.2).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def add_custom_properties(package: Any, values: dict[str, str]) -> None:
    """docProps/custom.xml (ECMA-376 Part 1, §22.3): text properties by name, related
    from the package as Word relates its own."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})  # type: ignore[dict-item]
    for pid, (name, value) in enumerate(sorted(values.items()), start=2):  # pid 0 and 1 are reserved
        prop = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _app_xml(application: str, company: str | None) -> bytes:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    # The default namespace's key is None in lxml (lxml-stubs allow only str keys).
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})  # type: ignore[dict-item]
    etree.SubElement(root, f"{{{ns}}}Application").text = application
    etree.SubElement(root, f"{{{ns}}}DocSecurity").text = "0"
    if company:
        etree.SubElement(root, f"{{{ns}}}Company").text = company
    etree.SubElement(root, f"{{{ns}}}LinksUpToDate").text = "false"
    etree.SubElement(root, f"{{{ns}}}SharedDoc").text = "false"
    etree.SubElement(root, f"{{{ns}}}HyperlinksChanged").text = "false"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


#: The first members of the zip: the content types (§10.1.2.1 of ECMA-376 Part 2,
#: readers that stream a package expect it first), then the package relationships.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def write_package(package: Any, moment: dt.datetime, blobs: Mapping[Any, bytes] | None = None) -> bytes:
    """The package python-docx holds, as the bytes of a .docx file, written once: the
    same members python-docx's own writer produces (the content types made from the
    parts, the relationships, each part), in a fixed order and every member dated
    ``moment`` (no earlier than 1980, the first date a zip can hold) instead of the
    wall clock, so that the same input gives the same bytes. ``blobs``: part name ->
    the part's bytes, serialised already (a style sheet shared by many documents)."""
    parts = list(package.iter_parts())
    # python-docx's own content-types writer (it has no type hints).
    content_types = _ContentTypesItem.from_parts(parts).blob  # type: ignore[no-untyped-call]
    members = {"[Content_Types].xml": content_types, "_rels/.rels": package.rels.xml}
    for part in parts:
        known = blobs.get(part.partname) if blobs else None
        members[part.partname.membername] = part.blob if known is None else known
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    order = [n for n in _FIRST if n in members] + sorted(n for n in members if n not in _FIRST)
    # As Word writes its packages: made on MS-DOS (no Unix permissions), deflated at
    # the default level; pictures stored (the one zip writer's rule).
    return write_zip(((name, members[name]) for name in order), moment, compresslevel=6, unix_mode=None)



