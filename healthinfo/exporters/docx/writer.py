"""DOCX: the body of a Word document (Office Open XML WordprocessingML) — the runs and
paragraphs of every inline and block node, headings, glossary entries and sources.

Reference: ECMA-376 Part 1, "Office Open XML File Formats — Fundamentals and Markup
Language Reference" (§17 WordprocessingML), and Word's own conventions where the
standard leaves a choice (built-in style names, hidden "_" bookmarks).
docs/exporters/docx.md has the mapping of every node and the style names a designer
can restyle.

:class:`BodyWriter` writes into a python-docx document; ``document.py`` assembles the
whole document around it (title page, table of contents, header and footer, publisher
block, core properties). What python-docx has no API for (hyperlinks, bookmarks,
fields, numbering overrides, w:lang) is written as WordprocessingML in ``ooxml.py``,
the styles in ``styles.py``. The document is made of styles, never of direct run
formatting where a style serves: a designer restyles it in one place.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Literal

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Citation,
    Cite,
    Emphasis,
    Figure,
    GlossaryEntry,
    Include,
    Inline,
    LineBreak,
    Link,
    List,
    Note,
    Paragraph,
    Quote,
    RegionalPassage,
    Section,
    Span,
    Strong,
    Table,
    Term,
    Text,
    inline_text,
)
from ...schema.blocks import Image
from .._base import ExportError, warn
from .._dispatch import Dispatch
from .._i18n import is_rtl, note_label, region_label, word
from .._references import Citations, Segment
from .ooxml import (
    BULLET_NUM,
    Numbering,
    append_text,
    bookmark,
    bookmark_end,
    bookmark_start,
    el,
    lang_element,
    numbering_properties,
)
from .styles import _PPR, _RPR, Page, glossary_backlinks_style, set_child, style_id

__all__ = ["BlockContext", "BodyWriter", "InlineContext"]

#: Drawing sizes are in EMU (ECMA-376 §20.1.2.1): 1 px at 96 dpi is 9525 EMU, 1 twip 635 EMU.
EMU_PER_PX = 9525
EMU_PER_TWIP = 635
#: A figure takes at most this share of the text height (it keeps its caption company).
MAX_FIGURE_HEIGHT = 0.55


@dataclass(frozen=True)
class InlineContext:
    """How a run is written: its character style (only one per run, ECMA-376
    §17.3.2.29), the bold/italic of outer Strong/Emphasis when an inner node took the
    style slot, its language, and whether it is inside a hyperlink already (Word
    hyperlinks do not nest)."""

    style: str | None = None
    bold: bool = False
    italic: bool = False
    lang: str = "en"
    in_link: bool = False
    #: a formatted reference's other marks (small caps, superscript, subscript, underline)
    marks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class BlockContext:
    """Where a block is written: the paragraph style of its plain paragraphs (Normal,
    Note, Quote, Reusable Block, List Continue …) and the list nesting depth."""

    paragraph_style: str = "Normal"
    list_depth: int = 0
    #: the countries of the regional passage around (empty outside one)
    regions: tuple[str, ...] = ()


class BodyWriter:
    """Writes the body of one Word document: one ``visit_<node>`` per node type of the
    schema, in schema order; an unknown node type raises ExportError.

    ``doc`` is the python-docx document written into (styled already), ``page`` its
    page geometry (figures are scaled to it), ``lang`` the document's language."""

    def __init__(self, doc: Any, page: Page, lang: str) -> None:
        self.doc = doc
        self.part = doc.part
        self.body = doc.element.body
        self.numbering = Numbering(self.part.numbering_part.element)
        self.page = page
        self.lang = lang
        # Per-article state.
        self.article: Article | None = None
        self.article_no = 0
        self.ref_numbers: dict[str, int] = {}
        #: the article's in-text citations, as its style writes them
        self.citations: Citations | None = None
        # Bookmarks: (kind, article number, key) -> name; w:id counter.
        self.anchors: dict[tuple[str, int, str], str] = {}
        self.anchor_counts: dict[tuple[str, int], int] = {}
        self.bookmark_ids = 0
        self.note_regions = 0
        #: headings written, for the table of contents: (level, text, bookmark)
        self.headings: list[tuple[int, str, str]] = []
        #: glossary entry bookmark -> the bookmarks of the term uses linking to it, in
        #: document order.
        self.term_uses: dict[str, list[str]] = {}
        #: the "Glossary Backlinks" paragraphs, filled in by write_backlinks once every
        #: use is written: (paragraph, entry bookmark, context of its runs).
        self.backlinks: list[tuple[etree._Element, str, InlineContext]] = []

    # -- dispatch ---------------------------------------------------------------

    def inline(self, parent: etree._Element, node: Any, ctx: InlineContext) -> None:
        _INLINE.lookup(node)(self, parent, node, ctx)

    def inlines(self, parent: etree._Element, nodes: Sequence[Any], ctx: InlineContext | None = None) -> None:
        for node in nodes:
            self.inline(parent, node, ctx or self.base())

    def block(self, node: Any, ctx: BlockContext) -> None:
        _BLOCK.lookup(node)(self, node, ctx)

    def blocks(self, nodes: Sequence[Any], ctx: BlockContext | None = None) -> None:
        for node in nodes:
            self.block(node, ctx or BlockContext())

    # -- small builders ---------------------------------------------------------

    def base(self) -> InlineContext:
        return InlineContext(lang=self.article.lang if self.article is not None else self.lang)

    def paragraph(self, style: str = "Normal") -> etree._Element:
        """A new paragraph at the end of the body (before the body's w:sectPr, which
        stays its last child, §17.6.17)."""
        p = el("w:p")
        if style != "Normal":
            p.append(el("w:pPr", [el("w:pStyle", w_val=style_id(style))]))
        # body[-1] is found in constant time; len(body) would count every paragraph
        # so far (n^2 for n paragraphs).
        last = next(self.body.iterchildren(reversed=True), None)
        if last is not None and last.tag == _SECT_PR:
            last.addprevious(p)
        else:
            self.body.append(p)
        return p

    def ppr(self, p: etree._Element, *children: etree._Element) -> None:
        ppr = p.find(_P_PR)
        if ppr is None:
            # w:pPr is the first child of a paragraph (CT_P, §17.3.1.22).
            ppr = el("w:pPr")
            p.insert(0, ppr)
        for child in children:
            set_child(ppr, child, _PPR)

    def run(self, parent: etree._Element, text: str, ctx: InlineContext) -> etree._Element:
        r = etree.SubElement(parent, _W_R)
        rpr = self.run_properties(ctx)
        if rpr is not None:
            r.append(rpr)
        append_text(r, text)
        return r

    def run_properties(self, ctx: InlineContext) -> etree._Element | None:
        children: list[etree._Element] = []
        if ctx.style is not None:
            children.append(el("w:rStyle", w_val=style_id(ctx.style)))
        # Direct bold/italic only where the one character-style slot of the run is
        # taken by an inner node (a glossary term inside strong text).
        if ctx.bold:
            children += [el("w:b"), el("w:bCs")]
        if ctx.italic:
            children += [el("w:i"), el("w:iCs")]
        if "smallcaps" in ctx.marks:
            children.append(el("w:smallCaps"))
        if "underline" in ctx.marks:
            children.append(el("w:u", w_val="single"))
        if "superscript" in ctx.marks or "subscript" in ctx.marks:
            children.append(el("w:vertAlign", w_val="superscript" if "superscript" in ctx.marks else "subscript"))
        if is_rtl(ctx.lang):
            children.append(el("w:rtl"))
        if ctx.lang != self.lang:
            children.append(lang_element(ctx.lang))
        if not children:
            return None
        rpr = el("w:rPr")
        for child in children:
            set_child(rpr, child, _RPR)
        return rpr

    def anchor(self, kind: str, key: str) -> str:
        """The bookmark name of a heading ("h"), glossary entry ("g"), source ("r"),
        figure ("f") or table ("t") of the current article: hidden (leading "_"),
        short, the same on every run."""
        index = (kind, self.article_no, key)
        name = self.anchors.get(index)
        if name is None:
            count = self.anchor_counts[index[:2]] = self.anchor_counts.get(index[:2], 0) + 1
            name = f"_{kind}{self.article_no}_{count}"
            self.anchors[index] = name
        return name

    def bookmark(self, p: etree._Element, name: str) -> None:
        self.bookmark_ids += 1
        bookmark(p, name, self.bookmark_ids)

    def internal_link(self, parent: etree._Element, name: str) -> etree._Element:
        # w:hyperlink/@w:anchor: a link to a bookmark of this document (§17.16.22).
        link = el("w:hyperlink", w_anchor=name, w_history="1")
        parent.append(link)
        return link

    def external_link(self, parent: etree._Element, href: str, tooltip: str | None = None) -> etree._Element:
        # w:hyperlink/@r:id: the target is an external relationship of the part (§17.16.22).
        rid = self.part.relate_to(href, RT.HYPERLINK, is_external=True)
        link = el("w:hyperlink", r_id=rid, w_history="1")
        if tooltip:
            link.set(qn("w:tooltip"), tooltip)
        parent.append(link)
        return link

    @staticmethod
    def styled(ctx: InlineContext, style: str) -> InlineContext:
        """``ctx`` with the character style ``style``; an outer Strong or Emphasis
        that held the style slot becomes bold or italic of the run."""
        return replace(
            ctx,
            style=style,
            bold=ctx.bold or ctx.style in ("Strong", "Strong Emphasis"),
            italic=ctx.italic or ctx.style in ("Emphasis", "Strong Emphasis"),
        )

    # -- inline nodes -----------------------------------------------------------

    def visit_text(self, parent: etree._Element, node: Text, ctx: InlineContext) -> None:
        self.run(parent, node.text, ctx)

    def visit_emphasis(self, parent: etree._Element, node: Emphasis, ctx: InlineContext) -> None:
        # The built-in character style "Emphasis" (italic); "Strong Emphasis" inside
        # strong text.
        self.inlines(parent, node.children, self.combined(ctx, "Emphasis"))

    def visit_strong(self, parent: etree._Element, node: Strong, ctx: InlineContext) -> None:
        # The built-in character style "Strong" (bold); "Strong Emphasis" inside
        # emphasised text.
        self.inlines(parent, node.children, self.combined(ctx, "Strong"))

    @staticmethod
    def combined(ctx: InlineContext, style: Literal["Strong", "Emphasis"]) -> InlineContext:
        if ctx.style is None:
            return replace(ctx, style=style)
        if ctx.style in (style, "Strong Emphasis"):
            return ctx
        if ctx.style in ("Strong", "Emphasis"):
            return replace(ctx, style="Strong Emphasis")
        # The style slot holds a link, term or citation style: bold or italic direct.
        return replace(ctx, bold=True) if style == "Strong" else replace(ctx, italic=True)

    def visit_link(self, parent: etree._Element, node: Link, ctx: InlineContext) -> None:
        inner = replace(self.styled(ctx, "Hyperlink"), in_link=True)
        if ctx.in_link:
            # Word hyperlinks do not nest (w:hyperlink holds runs, §17.16.22): the text
            # stays, in the link style, but only the outer link's target is kept.
            warn("docx:nested-link", f"the link to {node.href} inside another link keeps its text only")
            self.inlines(parent, node.children, inner)
            return
        self.inlines(self.external_link(parent, node.href, node.title), node.children, inner)

    def visit_term(self, parent: etree._Element, node: Term, ctx: InlineContext) -> None:
        # A glossary term: character style "Glossary Term Char", linked to the bookmark
        # on its glossary entry, and inside a bookmark of its own that the entry links
        # back to ("Back to the text: 1, 2"). Inside a link it keeps the style without
        # either link, as in HTML: Word hyperlinks do not nest.
        inner = self.styled(ctx, "Glossary Term Char")
        if ctx.in_link:
            self.inlines(parent, node.children, inner)
            return
        entry = self.anchor("g", node.ref)
        number = self.bookmark_ids = self.bookmark_ids + 1
        parent.append(bookmark_start(self.term_use(entry), number))
        self.inlines(self.internal_link(parent, entry), node.children, replace(inner, in_link=True))
        parent.append(bookmark_end(number))

    def term_use(self, entry: str) -> str:
        """The bookmark name of the next use of the glossary entry bookmarked ``entry``
        ("_g1_2"): "_u1_2_3" is its third use. Noted for the entry's backlinks."""
        uses = self.term_uses.setdefault(entry, [])
        name = f"_u{entry.removeprefix('_g')}_{len(uses) + 1}"
        uses.append(name)
        return name

    def visit_cite(self, parent: etree._Element, node: Cite, ctx: InlineContext) -> None:
        # The citation as the article's style writes it ("[2–4]", a superscript "1,2",
        # "(Danesh et al., 2014)") in the character style "Citation Char", with the
        # style's marks; each source's piece links to the bookmark on its entry in the
        # list of sources (not inside a link: Word hyperlinks do not nest).
        assert self.citations is not None, "start_article comes first"
        inner = self.styled(ctx, "Citation Char")
        for piece in self.citations.of(node):
            marks = piece.marks
            styled = replace(inner, bold=inner.bold or "bold" in marks, italic=inner.italic or "italic" in marks,
                             marks=inner.marks | (marks - {"bold", "italic"}))
            target = parent
            if piece.source is not None and not ctx.in_link:
                target = self.internal_link(parent, self.anchor("r", piece.source))
            self.run(target, piece.text, styled)

    def visit_span(self, parent: etree._Element, node: Span, ctx: InlineContext) -> None:
        # w:lang on each run of the passage, so that Word spell-checks it in its own
        # language (§17.3.2.20).
        self.inlines(parent, node.children, replace(ctx, lang=node.lang))

    def visit_break(self, parent: etree._Element, node: LineBreak, ctx: InlineContext) -> None:
        run = self.run(parent, "", ctx)
        run.append(el("w:br"))

    # -- block nodes --------------------------------------------------------------

    def visit_paragraph(self, node: Paragraph, ctx: BlockContext) -> None:
        self.inlines(self.paragraph(ctx.paragraph_style), node.children)

    def visit_list(self, node: List, ctx: BlockContext) -> None:
        # Word numbering (§17.9): bulleted lists share one w:num; every numbered list
        # gets a w:num of its own whose startOverride restarts it at its start. The
        # nesting depth gives the level (w:ilvl) and the style (List Bullet 2 …).
        depth = ctx.list_depth + 1
        level = depth - 1
        suffix = "" if depth == 1 else f" {min(depth, 3)}"
        style = ("List Number" if node.ordered else "List Bullet") + suffix
        num = self.numbering.new_ordered(level, 1 if node.start is None else node.start) if node.ordered else BULLET_NUM
        inner = replace(ctx, list_depth=depth, paragraph_style="List Continue" + suffix)
        for item in node.items:
            p = self.paragraph(style)
            self.ppr(p, numbering_properties(num, level))
            rest = item.blocks
            if isinstance(item.blocks[0], Paragraph):
                self.inlines(p, item.blocks[0].children)
                rest = item.blocks[1:]
            # else: an item that opens with a note, figure, table or list keeps its
            # number on an empty paragraph before that block.
            self.blocks(rest, inner)

    def visit_note(self, node: Note, ctx: BlockContext) -> None:
        # A callout: "Note Heading" (the label of its kind, then its title: "Warning:
        # Before you start", as in HTML; a titled warning must still say it is one)
        # and its paragraphs in "Note", which draw one shaded, bordered box.
        heading = self.paragraph("Note Heading")
        label = note_label(node.kind, self.base().lang)
        self.run(heading, label if node.title is None else f"{label}: {node.title}", self.base())
        if node.region is not None:
            # Word has no attribute for the country a passage applies to; a hidden
            # bookmark ("_region_DE_…") keeps it in the file without changing the text.
            self.note_regions += 1
            self.bookmark(heading, f"_region_{node.region}_{self.article_no}_{self.note_regions}")
            if ctx.regions != (node.region,):  # visibly, unless the passage around says it
                mark = self.paragraph("Note")
                self.run(mark, region_label([node.region], self.base().lang), self.styled(self.base(), "Emphasis"))
                self.bookmark(mark, f"_regionmark_{self.article_no}_{self.note_regions}")
        self.blocks(node.blocks, replace(ctx, paragraph_style="Note"))

    def visit_region(self, node: RegionalPassage, ctx: BlockContext) -> None:
        # A passage for some countries: its mark ("Applies to: Germany") in "Regional
        # Heading", its plain paragraphs in "Regional" (one dashed rule at the left).
        # The countries are kept in a hidden bookmark on the mark ("_regional_DEAT_…":
        # a bookmark name has letters, digits and underscores only).
        heading = self.paragraph("Regional Heading")
        self.run(heading, region_label(node.regions, self.base().lang), self.base())
        self.note_regions += 1
        self.bookmark(heading, f"_regional_{''.join(node.regions)}_{self.article_no}_{self.note_regions}")
        style = "Regional" if ctx.paragraph_style == "Normal" else ctx.paragraph_style
        self.blocks(node.blocks, replace(ctx, paragraph_style=style, regions=node.regions))

    def visit_figure(self, node: Figure, ctx: BlockContext) -> None:
        p = self.paragraph("Figure")
        self.picture(p, node.image, node.alt, inline_text(node.caption) or node.alt)
        if node.id is not None:
            self.bookmark(p, self.anchor("f", node.id))
        if node.caption:
            self.inlines(self.paragraph("Caption"), node.caption)
        if node.credit is not None:
            self.run(self.paragraph("Image Credit"), node.credit, self.base())

    def picture(self, p: etree._Element, image: Image, alt: str, title: str, max_height: float = MAX_FIGURE_HEIGHT) -> None:
        """An inline picture (§20.4.2.8) scaled to fit the text width, with its alt
        text in wp:docPr/@descr and a title in @title (what Word's alt-text pane and
        screen readers read)."""
        width = image.width * EMU_PER_PX
        height = image.height * EMU_PER_PX
        scale = min(1.0, self.page.text_width * EMU_PER_TWIP / width, self.page.text_height * max_height * EMU_PER_TWIP / height)
        try:
            inline = self.part.new_pic_inline(io.BytesIO(image.data), int(width * scale), int(height * scale))
        except Exception as error:  # python-docx raises assorted errors on bad images
            raise ExportError(f"the image {image.path} cannot be embedded in DOCX: {error}") from error
        # The distance from the surrounding text (§20.4.2.8, distT/distB/distL/distR):
        # python-docx leaves it out, and LibreOffice then keeps its default wrap
        # distance, which set a full-width figure 9 pt right of the text column. The
        # Figure style's spacing keeps the text apart.
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")
        name = PurePosixPath(image.path).name
        for element in (inline.docPr, *inline.iter(qn("pic:cNvPr"))):
            element.set("name", name)
            element.set("descr", alt)
            element.set("title", title)
        run = el("w:r", [el("w:drawing", [inline])])
        p.append(run)

    def visit_table(self, node: Table, ctx: BlockContext) -> None:
        caption = None
        if node.caption:
            caption = self.paragraph("Caption")
            self.ppr(caption, el("w:keepNext"))  # a table caption stays with its table
            self.inlines(caption, node.caption)
        rows = [*node.head, *node.body]
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0].cells))
        table.style = self.doc.styles["Table Grid"]
        # python-docx made exactly one w:tr per row and one w:tc per cell.
        for index, (row, tr) in enumerate(zip(rows, table._tbl.tr_lst, strict=True)):
            header = index < len(node.head)
            if header:
                # w:tblHeader: the header rows repeat on every page (§17.4.49).
                tr.get_or_add_trPr().append(el("w:tblHeader"))
            for cell, tc in zip(row.cells, tr.tc_lst, strict=True):
                p = tc.p_lst[0]
                p.style = style_id("Table Heading" if header else "Table Text")
                if cell.align is not None:
                    self.ppr(p, el("w:jc", w_val=cell.align))
                self.inlines(p, cell.children)
        if node.id is not None:
            target = caption if caption is not None else table._tbl.tr_lst[0].tc_lst[0].p_lst[0]
            self.bookmark(target, self.anchor("t", node.id))

    def visit_quote(self, node: Quote, ctx: BlockContext) -> None:
        self.blocks(node.blocks, replace(ctx, paragraph_style="Quote"))
        if node.attribution is not None:
            self.run(self.paragraph("Quote Attribution"), f"\u2014 {node.attribution}", self.base())

    def visit_include(self, node: Include, ctx: BlockContext) -> None:
        # Shared text of the corpus (a disclaimer): its own styles, so that a designer
        # can set it apart, and a reader sees it is the publisher's standard text.
        if node.title is not None:
            self.run(self.paragraph("Reusable Block Heading"), node.title, self.base())
        self.blocks(node.blocks, replace(ctx, paragraph_style="Reusable Block"))

    def visit_section(self, node: Section, level: int) -> None:
        self.heading(level, node.title, f"s:{node.id}")
        self.blocks(node.blocks)
        for child in node.sections:
            self.visit_section(child, level + 1)

    def heading(self, level: int, title: Sequence[Inline] | str, key: str) -> None:
        """A heading paragraph (Heading 1-9 by level) with a bookmark, noted for the
        table of contents."""
        p = self.paragraph(f"Heading {min(level, 9)}")
        if isinstance(title, str):
            self.run(p, title, self.base())
            text = title
        else:
            self.inlines(p, title)
            text = inline_text(title)
        name = self.anchor("h", key)
        self.bookmark(p, name)
        self.headings.append((level, " ".join(text.split()), name))

    # -- glossary and sources -----------------------------------------------------

    def visit_glossary_entry(self, entry: GlossaryEntry) -> None:
        term = self.paragraph("Glossary Term")
        text = entry.term
        if entry.synonyms:
            text += f" ({word('also', self.base().lang)}: {', '.join(entry.synonyms)})"
        self.run(term, text, self.base())
        name = self.anchor("g", entry.id)
        self.bookmark(term, name)
        self.run(self.paragraph("Glossary Definition"), entry.definition, self.base())
        # The backlinks are written once the whole document is: a use may follow the
        # glossary (a reusable block after it, a brochure's back page).
        self.backlinks.append((self.paragraph("Glossary Backlinks"), name, self.base()))

    def write_backlinks(self) -> None:
        """Fill in each glossary entry's "Back to the text: 1, 2": each number an
        internal link to the bookmark of one use of the term, in document order. An
        entry that no term links to (its terms are all inside links) has no such
        paragraph, as in HTML."""
        written = False
        for p, entry, ctx in self.backlinks:
            uses = self.term_uses.get(entry, [])
            if not uses:
                p.getparent().remove(p)  # type: ignore[union-attr]
                continue
            written = True
            self.run(p, f"{word('back_to_text', ctx.lang)}: ", ctx)
            for number, use in enumerate(uses, start=1):
                if number > 1:
                    self.run(p, ", ", ctx)
                self.run(self.internal_link(p, use), str(number), self.styled(ctx, "Hyperlink"))
        if written:
            self.add_backlinks_style()

    def add_backlinks_style(self) -> None:
        """Define the "Glossary Backlinks" paragraph style in the document's style sheet."""
        glossary_backlinks_style(self.part.styles.element, self.page)

    def visit_citation(self, citation: Citation, number: int, entry: tuple[Segment, ...]) -> None:
        # The entry as the CSL style formatted it (_references.article_references): its
        # marks as run properties; DOI, PubMed and web addresses as hyperlinks; the
        # reference's language on its runs.
        p = self.paragraph("Reference")
        ctx = self.base() if citation.language is None else replace(self.base(), lang=citation.language)
        self.run(p, f"{number}.\t", ctx)
        for segment in entry:
            marks = segment.marks
            styled = replace(ctx, bold="bold" in marks, italic="italic" in marks,
                             marks=frozenset(marks - {"bold", "italic"}))
            if segment.href is not None:
                self.run(self.external_link(p, segment.href), segment.text, self.styled(styled, "Hyperlink"))
            else:
                self.run(p, segment.text, styled)
        self.bookmark(p, self.anchor("r", citation.id))


_SECT_PR = qn("w:sectPr")
_W_R = qn("w:r")
_P_PR = qn("w:pPr")
_INLINE: Dispatch[None] = Dispatch("DOCX", "inline", BodyWriter, INLINE_TYPES)
_BLOCK: Dispatch[None] = Dispatch("DOCX", "block", BodyWriter, BLOCK_TYPES)
