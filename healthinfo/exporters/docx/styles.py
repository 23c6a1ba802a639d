"""The style sheet of the DOCX exporter: every paragraph and character style the
exporter uses, the page geometry of A4 documents and A5 brochures, and the document
language in the style defaults.

The output is made of styles, not direct formatting, so that a designer restyles the
whole document by changing one style (docs/exporters/docx.md lists them). Word's
built-in styles are used where Word has one (Title, Heading 1-4, List Bullet, Caption,
Quote, TOC 1, Hyperlink …), under the names Word uses internally ("heading 1", "toc 1",
"caption"), so that Word treats them as its own (outline levels, the TOC, the
navigation pane) and pandoc and LibreOffice map them to their headings and lists.

Reference: ECMA-376 Part 1, §17.7 (styles), §17.6 (sections and page geometry).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from docx.oxml.ns import qn
from lxml import etree

from .._i18n import is_rtl
from .ooxml import BULLET_NUM, ORDERED_NUM, el, lang_element, level_indent, numbering_properties

__all__ = ["FONT", "PAGES", "PRIMARY", "STYLES", "Page", "StyleInfo", "apply_styles", "glossary_backlinks_style", "set_child", "style_id"]

PageSize = Literal["a4", "a5"]

# Colours of the default look: a calm dark teal for headings and rules, a pale tint
# behind notes. A designer changes them in the styles.
PRIMARY = "0B5563"
TINT = "E6F2F3"
RULE = "7FB3BA"
MUTED = "595959"
FONT = "Arial"  # metric-compatible Liberation Sans stands in for it in LibreOffice


@dataclass(frozen=True)
class Page:
    """Page geometry in twentieths of a point (twips): 1 mm = 56.7 twips."""

    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    header: int
    footer: int
    #: body text size in half-points, and the step of the heading sizes
    body: int
    scale: float

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        return self.height - self.top - self.bottom


PAGES: dict[str, Page] = {
    # A4 (210 x 297 mm), 25 mm margins.
    "a4": Page(11906, 16838, 1417, 1417, 1417, 1417, 709, 709, body=22, scale=1.0),
    # A5 (148 x 210 mm) patient brochure: 18 mm top/bottom with header and footer
    # 9 mm from the edge, 16 mm at the sides, 10 pt text.
    "a5": Page(8391, 11906, 1134, 1134, 907, 907, 510, 510, body=20, scale=0.86),
}


@dataclass(frozen=True)
class StyleInfo:
    """A style of the exporter, for the documentation and the tests."""

    name: str
    kind: Literal["paragraph", "character", "table"]
    purpose: str
    builtin: bool


#: Every style the exporter writes into, by the name Word shows (the UI name).
STYLES: tuple[StyleInfo, ...] = (
    StyleInfo("Normal", "paragraph", "running text (Paragraph)", True),
    StyleInfo("Title", "paragraph", "article title; book title on the title page", True),
    StyleInfo("Subtitle", "paragraph", "article topic; book subtitle", True),
    StyleInfo("Heading 1", "paragraph", "sections of an article; in a book: the article title", True),
    StyleInfo("Heading 2", "paragraph", "subsections (one level deeper per nesting)", True),
    StyleInfo("Heading 3", "paragraph", "subsections", True),
    StyleInfo("Heading 4", "paragraph", "subsections", True),
    StyleInfo("List Bullet", "paragraph", "item of a bulleted list (List Bullet 2, 3 when nested)", True),
    StyleInfo("List Bullet 2", "paragraph", "item of a bulleted list, second level", True),
    StyleInfo("List Bullet 3", "paragraph", "item of a bulleted list, third level and deeper", True),
    StyleInfo("List Number", "paragraph", "item of a numbered list (List Number 2, 3 when nested)", True),
    StyleInfo("List Number 2", "paragraph", "item of a numbered list, second level", True),
    StyleInfo("List Number 3", "paragraph", "item of a numbered list, third level and deeper", True),
    StyleInfo("List Continue", "paragraph", "second and later paragraphs of a list item (2, 3 when nested)", True),
    StyleInfo("List Continue 2", "paragraph", "as List Continue, second level", True),
    StyleInfo("List Continue 3", "paragraph", "as List Continue, third level", True),
    StyleInfo("Caption", "paragraph", "caption of a figure or a table", True),
    StyleInfo("Quote", "paragraph", "paragraphs of a quotation", True),
    StyleInfo("Header", "paragraph", "page header (the topic)", True),
    StyleInfo("Footer", "paragraph", "page footer (updated line, page number)", True),
    StyleInfo("TOC Heading", "paragraph", "the heading of the table of contents", True),
    StyleInfo("TOC 1", "paragraph", "table of contents entry, level 1", True),
    StyleInfo("TOC 2", "paragraph", "table of contents entry, level 2", True),
    StyleInfo("Figure", "paragraph", "the paragraph that holds an image", False),
    StyleInfo("Image Credit", "paragraph", "credit line of a figure", False),
    StyleInfo("Quote Attribution", "paragraph", "who said a quotation", False),
    StyleInfo("Note", "paragraph", "paragraphs of a callout (note, tip, warning …): a shaded box with a border", False),
    StyleInfo("Note Heading", "paragraph", "the label or title of a callout, inside its box", False),
    StyleInfo("Regional", "paragraph", "paragraphs of a passage for some countries only: a dashed rule at the left", False),
    StyleInfo("Regional Heading", "paragraph", "the mark of such a passage (\"Applies to: Germany\")", False),
    StyleInfo("Reusable Block", "paragraph", "paragraphs of an included reusable block (disclaimer, standard text)", False),
    StyleInfo("Reusable Block Heading", "paragraph", "title of an included reusable block", False),
    StyleInfo("Table Heading", "paragraph", "text of a table header cell", False),
    StyleInfo("Table Text", "paragraph", "text of a table body cell", False),
    StyleInfo("Reference", "paragraph", "one numbered entry of the list of sources", False),
    StyleInfo("Glossary Term", "paragraph", "headword of a glossary entry (target of the term links)", False),
    StyleInfo("Glossary Definition", "paragraph", "definition of a glossary entry", False),
    StyleInfo("Glossary Backlinks", "paragraph", "\"Back to the text: 1, 2\" after a definition, each number linked to a use of the term", False),
    StyleInfo("Article Topic", "paragraph", "topic line under an article title in a book", False),
    StyleInfo("Title Page", "paragraph", "publisher and date lines of a book's title page", False),
    StyleInfo("Publisher Heading", "paragraph", "first line of the publisher block: the publisher's name", False),
    StyleInfo("Publisher Block", "paragraph", "publisher's name, address, web and e-mail; rights; updated line", False),
    StyleInfo("Strong", "character", "strongly emphasised text (bold)", True),
    StyleInfo("Emphasis", "character", "emphasised text (italic)", True),
    StyleInfo("Strong Emphasis", "character", "strong text inside emphasised text, or the reverse (bold italic)", False),
    StyleInfo("Hyperlink", "character", "links to web pages and e-mail addresses", True),
    StyleInfo("Glossary Term Char", "character", "a word the glossary explains, linked to its entry", False),
    StyleInfo("Citation Char", "character", "citation numbers [1], linked to the sources", False),
    StyleInfo("Table Grid", "table", "tables", True),
)

#: Names Word writes in lower case in styles.xml for some built-in styles.
_INTERNAL_NAMES = {
    "Caption": "caption",
    "Header": "header",
    "Footer": "footer",
    "TOC 1": "toc 1",
    "TOC 2": "toc 2",
    **{f"Heading {n}": f"heading {n}" for n in range(1, 10)},
}


def style_id(name: str) -> str:
    """The w:styleId of a style name: the name without spaces (as Word and python-docx
    make it)."""
    return name.replace(" ", "")


# ECMA-376 sequences of the children of w:pPr (§17.3.1.26), w:rPr (§17.3.2.28) and
# w:style (§17.7.4.17): a child written out of order makes Word refuse the file.
_PPR = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]
_RPR = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
_STYLE = ["name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr"]


def set_child(parent: etree._Element, child: etree._Element, order: Sequence[str]) -> etree._Element:
    """Put ``child`` into ``parent`` in schema order, replacing a child of its tag."""
    local = etree.QName(child).localname
    for old in parent.findall(qn(f"w:{local}")):
        parent.remove(old)
    position = order.index(local)
    for index, existing in enumerate(parent):
        name = etree.QName(existing).localname
        if name in order and order.index(name) > position:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def _container(style: etree._Element, tag: str) -> etree._Element:
    found = style.find(qn(f"w:{tag}"))
    return found if found is not None else set_child(style, el(f"w:{tag}"), _STYLE)


def _border(sides: Sequence[str], size: int, color: str, space: int, kind: str = "single") -> etree._Element:
    return el("w:pBdr", [el(f"w:{side}", w_val=kind, w_sz=str(size), w_space=str(space), w_color=color) for side in sides])


_STYLE_ID = qn("w:styleId")
_W_STYLE = qn("w:style")
_BY_ID = etree.XPath("w:style[@w:styleId=$sid]", namespaces={"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"})


class _StyleIndex(dict[str, etree._Element]):
    """The styles of a style sheet by id, each looked up when first asked for (by
    XPath, in libxml2): a document that adds one style needs no index of a hundred."""

    def __init__(self, root: etree._Element) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, sid: str) -> etree._Element:
        found = _BY_ID(self.root, sid=sid)
        if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
            raise KeyError(sid)
        self[sid] = found[0]
        return found[0]

    def find(self, sid: str) -> etree._Element | None:
        """The style ``sid``, or None when the sheet has none."""
        try:
            return self[sid]
        except KeyError:
            return None


class _Sheet:
    def __init__(self, root: etree._Element, page: Page) -> None:
        self.root = root
        self.page = page
        self.by_id = _StyleIndex(root)

    def pt(self, points: float) -> str:
        """A font size in half-points, scaled for the page size."""
        return str(round(points * 2 * self.page.scale))

    def style(self, name: str, kind: str = "paragraph", based_on: str | None = "Normal", next_: str | None = None,
              builtin: bool = False, priority: int | None = None) -> etree._Element:
        sid = style_id(name)
        style = self.by_id.find(sid)
        if style is None:
            style = el("w:style", w_type=kind, w_styleId=sid)
            if not builtin:
                style.set(qn("w:customStyle"), "1")
            style.append(el("w:name", w_val=_INTERNAL_NAMES.get(name, name)))
            self.root.append(style)
            self.by_id[sid] = style
        if based_on is not None:
            set_child(style, el("w:basedOn", w_val=style_id(based_on)), _STYLE)
        if next_ is not None:
            set_child(style, el("w:next", w_val=style_id(next_)), _STYLE)
        if priority is not None:
            set_child(style, el("w:uiPriority", w_val=str(priority)), _STYLE)
        # Shown in Word's style gallery and pane, not hidden until used.
        for tag in ("semiHidden", "unhideWhenUsed", "hidden"):
            for found in style.findall(qn(f"w:{tag}")):
                style.remove(found)
        set_child(style, el("w:qFormat"), _STYLE)
        # The template's theme fonts would override the document font (an rFonts with
        # asciiTheme wins over w:ascii); every style takes the font of the defaults.
        rpr = style.find(qn("w:rPr"))
        if rpr is not None:
            for found in rpr.findall(qn("w:rFonts")):
                rpr.remove(found)
        return style

    def ppr(self, style: etree._Element, *children: etree._Element) -> None:
        ppr = _container(style, "pPr")
        for child in children:
            set_child(ppr, child, _PPR)

    def rpr(self, style: etree._Element, *children: etree._Element) -> None:
        rpr = _container(style, "rPr")
        for child in children:
            set_child(rpr, child, _RPR)

    def font(self, style: etree._Element, size: float | None = None, bold: bool | None = None,
             italic: bool | None = None, color: str | None = None) -> None:
        children = []
        if bold is not None:
            children += [el("w:b", w_val="1" if bold else "0"), el("w:bCs", w_val="1" if bold else "0")]
        if italic is not None:
            children += [el("w:i", w_val="1" if italic else "0"), el("w:iCs", w_val="1" if italic else "0")]
        if color is not None:
            children.append(el("w:color", w_val=color))
        if size is not None:
            children += [el("w:sz", w_val=self.pt(size)), el("w:szCs", w_val=self.pt(size))]
        self.rpr(style, *children)

    def spacing(self, style: etree._Element, before: float = 0, after: float = 0, line: int | None = None) -> None:
        space_before, space_after = str(round(before * 20)), str(round(after * 20))
        if line is None:
            self.ppr(style, el("w:spacing", w_before=space_before, w_after=space_after))
        else:
            self.ppr(style, el("w:spacing", w_before=space_before, w_after=space_after, w_line=str(line), w_lineRule="auto"))

    def no_contextual_spacing(self, style: etree._Element) -> None:
        """Drop the template's w:contextualSpacing: list items keep their spacing."""
        ppr = style.find(qn("w:pPr"))
        contextual = ppr.find(qn("w:contextualSpacing")) if ppr is not None else None
        if ppr is not None and contextual is not None:
            ppr.remove(contextual)


def apply_styles(styles_root: etree._Element, page: Page, lang: str) -> None:
    """Write the exporter's styles into python-docx's template styles part: the
    defaults, then each family of styles in turn (the order of their definitions in
    styles.xml)."""
    sheet = _Sheet(styles_root, page)
    _defaults(styles_root, page, lang)
    for family in _FAMILIES:
        family(sheet)


def _text_styles(s: _Sheet) -> None:
    normal = s.style("Normal", based_on=None, builtin=True)
    s.spacing(normal, 0, 6, 264)
    s.ppr(normal, el("w:widowControl"))

    title = s.style("Title", next_="Subtitle", builtin=True, priority=10)
    s.font(title, 26, bold=True, color=PRIMARY)
    s.rpr(title, el("w:kern", w_val="28"))
    s.spacing(title, 0, 6, 240)
    s.ppr(title, el("w:pBdr"), el("w:keepNext"))
    subtitle = s.style("Subtitle", builtin=True, priority=11)
    s.font(subtitle, 14, italic=False, color=MUTED)
    s.spacing(subtitle, 0, 18)
    s.ppr(subtitle, _border(["bottom"], 8, RULE, 8))
    s.rpr(subtitle, el("w:spacing", w_val="0"))


def _heading_styles(s: _Sheet) -> None:
    sizes = {1: 16, 2: 13, 3: 11.5, 4: 11}
    for level, size in sizes.items():
        heading = s.style(f"Heading {level}", builtin=True, priority=9)
        s.font(heading, size, bold=True, italic=level == 4, color=PRIMARY)
        s.spacing(heading, 18 if level == 1 else 12, 4 if level > 1 else 6, 240)
        s.ppr(heading, el("w:keepNext"), el("w:keepLines"), el("w:outlineLvl", w_val=str(level - 1)))


def _list_styles(s: _Sheet) -> None:
    # The List Bullet and List Number styles carry the numbering, so that a designer
    # who applies them by hand gets bullets and numbers.
    for num, names in ((BULLET_NUM, ("List Bullet", "List Bullet 2", "List Bullet 3")),
                       (ORDERED_NUM, ("List Number", "List Number 2", "List Number 3"))):
        for level, name in enumerate(names):
            style = s.style(name, builtin=True)
            s.spacing(style, 0, 3)
            s.ppr(style, numbering_properties(num, level),
                  el("w:ind", w_left=str(level_indent(level)), w_hanging="360"))
            s.no_contextual_spacing(style)
    for level, name in enumerate(("List Continue", "List Continue 2", "List Continue 3")):
        style = s.style(name, builtin=True)
        s.spacing(style, 0, 3)
        s.ppr(style, el("w:ind", w_left=str(level_indent(level))))
        s.no_contextual_spacing(style)


def _figure_styles(s: _Sheet) -> None:
    caption = s.style("Caption", next_="Normal", builtin=True, priority=35)
    s.font(caption, 9, bold=False, italic=True, color=MUTED)
    s.spacing(caption, 3, 12, 240)
    figure = s.style("Figure", next_="Caption", priority=35)
    s.spacing(figure, 6, 3, 240)
    s.ppr(figure, el("w:keepNext"), el("w:jc", w_val="center"))
    credit = s.style("Image Credit", based_on="Caption", next_="Normal", priority=35)
    s.font(credit, 8, italic=False)
    s.spacing(credit, 0, 12, 240)


def _quote_styles(s: _Sheet) -> None:
    quote = s.style("Quote", builtin=True, priority=29)
    s.font(quote, italic=True, color="404040")
    s.ppr(quote, _border(["left"], 18, RULE, 8), el("w:ind", w_left="397", w_right="397"))
    attribution = s.style("Quote Attribution", based_on="Quote", next_="Normal", priority=29)
    s.font(attribution, italic=False)
    s.ppr(attribution, el("w:jc", w_val="right"))
    s.spacing(attribution, 0, 12)


def _note_styles(s: _Sheet) -> None:
    # A callout: consecutive paragraphs with the same borders form one box in Word and
    # LibreOffice (§17.3.1.24), so the heading and the text share the border of "Note".
    note = s.style("Note", next_="Note", priority=30)
    s.ppr(note, _border(["top", "left", "bottom", "right"], 6, RULE, 6), el("w:shd", w_val="clear", w_color="auto", w_fill=TINT),
          el("w:ind", w_left="142", w_right="142"))
    s.spacing(note, 0, 6)
    note_heading = s.style("Note Heading", based_on="Note", next_="Note", priority=30)
    s.font(note_heading, bold=True, color=PRIMARY)
    s.ppr(note_heading, el("w:keepNext"))
    s.spacing(note_heading, 0, 3)


def _regional_styles(s: _Sheet) -> None:
    # A passage for some countries: its mark and its paragraphs share a dashed rule at
    # the left, so the extent of the passage shows (§17.3.1.24, §17.18.2 ST_Border).
    regional = s.style("Regional", next_="Regional", priority=30)
    s.ppr(regional, _border(["left"], 8, PRIMARY, 8, kind="dashed"), el("w:ind", w_left="198"))
    heading = s.style("Regional Heading", based_on="Regional", next_="Regional", priority=30)
    s.font(heading, bold=True, color=PRIMARY)
    s.ppr(heading, el("w:keepNext"))
    s.spacing(heading, 12, 3)


def _reusable_block_styles(s: _Sheet) -> None:
    reusable = s.style("Reusable Block", next_="Reusable Block", priority=31)
    s.font(reusable, 9.5, color="404040")
    s.ppr(reusable, _border(["left"], 12, "BFBFBF", 8), el("w:ind", w_left="198"))
    s.spacing(reusable, 0, 6)
    reusable_heading = s.style("Reusable Block Heading", based_on="Reusable Block", next_="Reusable Block", priority=31)
    s.font(reusable_heading, bold=True)
    s.ppr(reusable_heading, el("w:keepNext"))
    s.spacing(reusable_heading, 12, 6)


def _table_styles(s: _Sheet) -> None:
    for name, bold in (("Table Heading", True), ("Table Text", False)):
        cell = s.style(name, priority=32)
        s.font(cell, 9.5, bold=bold)
        s.spacing(cell, 2, 2, 240)
    # Word's own table style: thin black grid lines; restyle freely.
    s.style("Table Grid", kind="table", based_on="TableNormal", builtin=True)


def _end_matter_styles(s: _Sheet) -> None:
    reference = s.style("Reference", priority=33)
    s.font(reference, 9)
    s.spacing(reference, 0, 4, 240)
    s.ppr(reference, el("w:tabs", [el("w:tab", w_val="left", w_pos="397")]), el("w:ind", w_left="397", w_hanging="397"))

    term = s.style("Glossary Term", next_="Glossary Definition", priority=33)
    s.font(term, bold=True, color=PRIMARY)
    s.spacing(term, 6, 0)
    s.ppr(term, el("w:keepNext"))
    definition = s.style("Glossary Definition", next_="Glossary Term", priority=33)
    s.ppr(definition, el("w:ind", w_left="284"))


def glossary_backlinks_style(styles_root: etree._Element, page: Page) -> None:
    """The paragraph style "Glossary Backlinks": small muted text under the definition,
    indented with it, as the backlinks of the HTML glossary. Defined only in documents
    that have such a paragraph (a glossary whose terms are linked): the style sheet
    of every other document, and its bytes, stay as they were."""
    s = _Sheet(styles_root, page)
    backlinks = s.style("Glossary Backlinks", based_on="Glossary Definition", next_="Glossary Term", priority=33)
    s.font(backlinks, 9, color=MUTED)
    s.spacing(backlinks, 0, 6, 240)


def _front_and_publisher_styles(s: _Sheet) -> None:
    topic = s.style("Article Topic", next_="Normal", priority=11)
    s.font(topic, 12, color=MUTED)
    s.spacing(topic, 0, 12)
    title_page = s.style("Title Page", next_="Title Page", priority=11)
    s.font(title_page, 12, color=MUTED)
    s.spacing(title_page, 0, 6)
    publisher = s.style("Publisher Block", next_="Publisher Block", priority=34)
    s.font(publisher, 9.5)
    s.spacing(publisher, 0, 3, 240)
    publisher_heading = s.style("Publisher Heading", based_on="Publisher Block", next_="Publisher Block", priority=34)
    s.spacing(publisher_heading, 18, 3, 240)
    s.ppr(publisher_heading, _border(["top"], 6, RULE, 6), el("w:keepNext"))


def _page_styles(s: _Sheet) -> None:
    """The running header and footer, and the table of contents (its right tab stops
    are at the text width of the page)."""
    text_width = str(s.page.text_width)
    for name in ("Header", "Footer"):
        style = s.style(name, builtin=True, priority=99)
        s.font(style, 8.5, color=MUTED)
        s.spacing(style, 0, 0, 240)
        s.ppr(style, el("w:tabs", [el("w:tab", w_val="right", w_pos=text_width)]))
    s.ppr(s.by_id["Header"], _border(["bottom"], 4, RULE, 4))

    toc_heading = s.style("TOC Heading", based_on="Heading 1", next_="Normal", builtin=True, priority=39)
    s.ppr(toc_heading, el("w:outlineLvl", w_val="9"))
    for level in (1, 2):
        toc = s.style(f"TOC {level}", next_="Normal", builtin=True, priority=39)
        s.ppr(toc, el("w:tabs", [el("w:tab", w_val="right", w_leader="dot", w_pos=text_width)]),
              el("w:ind", w_left=str(284 * (level - 1))))
        s.spacing(toc, 3 if level == 1 else 0, 3 if level == 1 else 2)
        if level == 1:
            s.font(toc, bold=True)


def _character_styles(s: _Sheet) -> None:
    for name in ("Strong", "Emphasis"):
        s.style(name, kind="character", based_on="Default Paragraph Font", builtin=True)
    strong_emphasis = s.style("Strong Emphasis", kind="character", based_on="Strong", priority=22)
    s.rpr(strong_emphasis, el("w:i"), el("w:iCs"))
    hyperlink = s.style("Hyperlink", kind="character", based_on="Default Paragraph Font", builtin=True, priority=99)
    s.rpr(hyperlink, el("w:color", w_val="0563C1"), el("w:u", w_val="single"))
    term_char = s.style("Glossary Term Char", kind="character", based_on="Default Paragraph Font", priority=34)
    s.rpr(term_char, el("w:color", w_val=PRIMARY), el("w:u", w_val="dotted", w_color=RULE))
    citation_char = s.style("Citation Char", kind="character", based_on="Default Paragraph Font", priority=34)
    s.rpr(citation_char, el("w:color", w_val=PRIMARY))


#: The families of styles, in the order apply_styles writes them.
_FAMILIES: tuple[Callable[[_Sheet], None], ...] = (
    _text_styles,
    _heading_styles,
    _list_styles,
    _figure_styles,
    _quote_styles,
    _note_styles,
    _regional_styles,
    _reusable_block_styles,
    _table_styles,
    _end_matter_styles,
    _front_and_publisher_styles,
    _page_styles,
    _character_styles,
)


def _defaults(root: etree._Element, page: Page, lang: str) -> None:
    """w:docDefaults (§17.7.5): the font and size of all text, and the language of the
    document (what spell-checkers use where a run does not say otherwise)."""
    defaults = _found(root, "w:docDefaults")
    rpr = _found(_found(defaults, "w:rPrDefault"), "w:rPr")
    set_child(rpr, el("w:rFonts", w_ascii=FONT, w_hAnsi=FONT, w_cs=FONT, w_eastAsiaTheme="minorEastAsia"), _RPR)
    set_child(rpr, el("w:sz", w_val=str(page.body)), _RPR)
    set_child(rpr, el("w:szCs", w_val=str(page.body)), _RPR)
    set_child(rpr, lang_element(lang), _RPR)
    if is_rtl(lang):
        ppr = _found(_found(defaults, "w:pPrDefault"), "w:pPr")
        set_child(ppr, el("w:bidi"), _PPR)


def _found(parent: etree._Element, tag: str) -> etree._Element:
    """The child ``tag`` of ``parent``, which python-docx's template has."""
    child = parent.find(qn(tag))
    if child is None:
        raise ValueError(f"the styles template has no {tag} in {parent.tag}")
    return child
