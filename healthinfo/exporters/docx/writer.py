"""DOCX: an article or a book as a Word document (Office Open XML WordprocessingML),
or as an A5 patient brochure that print designers lay out further.

Reference: ECMA-376 Part 1, "Office Open XML File Formats — Fundamentals and Markup
Language Reference" (§17 WordprocessingML), and Word's own conventions where the
standard leaves a choice (built-in style names, hidden "_" bookmarks, the TOC field).
docs/exporters/docx.md has the mapping of every node, the style names a designer can
restyle, the brochure layout, the table of contents and how the bytes are kept
reproducible.

Built with python-docx on its default template; what python-docx has no API for
(hyperlinks, bookmarks, fields, numbering overrides, w:lang) is written as
WordprocessingML in ``_docx_ooxml``, the styles in ``_docx_styles``. The document is
made of styles, never of direct run formatting where a style serves: a designer
restyles it in one place.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any, Literal

import docx
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree
from pydantic import Field

from ...schema import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    Book,
    Citation,
    Cite,
    Emphasis,
    Figure,
    GlossaryEntry,
    Include,
    LineBreak,
    Link,
    List,
    Note,
    Paragraph,
    Publisher,
    Quote,
    Section,
    Span,
    Strong,
    Table,
    Term,
    Text,
    inline_text,
)
from ...schema.blocks import Image
from .._base import ExportError, ExportOptions, Rendered, warn
from .._dates import format_date, updated_line
from .._dispatch import Dispatch
from .._i18n import note_label, word
from .._references import reference_segments
from .ooxml import (
    BULLET_NUM,
    Numbering,
    append_text,
    bookmark,
    clean_package,
    complex_field,
    drop_unused_table_styles,
    el,
    is_rtl,
    lang_element,
    numbering_properties,
    write_package,
)
from .styles import _PPR, _RPR, PAGES, Page, apply_styles, set_child, style_id

__all__ = ["ACCEPTS_BOOKS", "EXTENSION", "MEDIA_TYPE", "NAME", "Options", "render"]

NAME = "docx"
EXTENSION = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A book is one document: a title page, a table of contents, one part per article.
ACCEPTS_BOOKS = True

#: The application named in docProps/app.xml and core lastModifiedBy.
APPLICATION = "healthinfo"

#: Drawing sizes are in EMU (ECMA-376 §20.1.2.1): 1 px at 96 dpi is 9525 EMU, 1 twip 635 EMU.
EMU_PER_PX = 9525
EMU_PER_TWIP = 635
#: A figure takes at most this share of the text height (it keeps its caption company).
MAX_FIGURE_HEIGHT = 0.55
#: Heading levels listed in a book's table of contents: article titles and their sections.
TOC_LEVELS = 2

class Options(ExportOptions):
    """Options of the DOCX exporter."""

    page_size: Literal["a4", "a5"] | None = Field(
        default=None,
        description="Paper size: 'a4' or 'a5'. Default: a5 for the brochure layout, a4 otherwise.",
    )
    layout: Literal["document", "brochure"] | None = Field(
        default=None,
        description=(
            "'brochure': header with the topic, footer with the updated line and page number, "
            "and a back page with the reusable blocks and the publisher. 'document': the "
            "reusable blocks and the publisher follow each article. Default: 'brochure' for a "
            "book whose profile is brochure, 'document' otherwise."
        ),
    )


@dataclass(frozen=True)
class _Inline:
    """How a run is written: its character style (only one per run, ECMA-376
    §17.3.2.29), the bold/italic of outer Strong/Emphasis when an inner node took the
    style slot, its language, and whether it is inside a hyperlink already (Word
    hyperlinks do not nest)."""

    style: str | None = None
    bold: bool = False
    italic: bool = False
    lang: str = "en"
    in_link: bool = False


@dataclass(frozen=True)
class _Block:
    """Where a block is written: the paragraph style of its plain paragraphs (Normal,
    Note, Quote, Reusable Block, List Continue …) and the list nesting depth."""

    paragraph_style: str = "Normal"
    list_depth: int = 0


@functools.lru_cache(maxsize=16)
def _base_document(page: Page, lang: str, company: str | None) -> bytes:
    """The empty, styled document every export starts from: python-docx's template
    cleaned of what is not ours, with our styles, page geometry and language. Made
    once per process and page/language/publisher (styling the template is most of
    the cost of a small document)."""
    document = docx.Document()
    clean_package(document, APPLICATION, company)
    apply_styles(document.part.styles.element, page, lang)
    drop_unused_table_styles(document.part.styles.element, [style_id("Table Grid")])
    settings = document.part._settings_part.element
    for found in settings.findall(qn("w:themeFontLang")):
        found.set(qn("w:val"), lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Writer:
    """Builds one Word document. One ``visit_<node>`` per node type of the schema, in
    schema order; an unknown node type raises ExportError."""

    def __init__(self, document: Article | Book, options: Options) -> None:
        self.source = document
        self.options = options
        brochure = isinstance(document, Book) and document.profile.value == "brochure"
        self.layout = options.layout or ("brochure" if brochure else "document")
        self.page: Page = PAGES[options.page_size or ("a5" if self.layout == "brochure" else "a4")]
        self.lang = document.lang
        self.doc = docx.Document(io.BytesIO(_base_document(self.page, self.lang, document.publisher.name)))
        self.part = self.doc.part
        self.body = self.doc.element.body
        self.numbering = Numbering(self.part.numbering_part.element)
        # Per-article state.
        self.article: Article | None = None
        self.article_no = 0
        self.ref_numbers: dict[str, int] = {}
        # Bookmarks: (kind, article number, key) -> name; w:id counter.
        self.anchors: dict[tuple[str, int, str], str] = {}
        self.anchor_counts: dict[tuple[str, int], int] = {}
        self.bookmark_ids = 0
        self.note_regions = 0
        #: headings written, for the table of contents: (level, text, bookmark)
        self.headings: list[tuple[int, str, str]] = []

    # -- dispatch ---------------------------------------------------------------

    def inline(self, parent: etree._Element, node: Any, ctx: _Inline) -> None:
        _INLINE.lookup(node)(self, parent, node, ctx)

    def inlines(self, parent: etree._Element, nodes: Sequence[Any], ctx: _Inline | None = None) -> None:
        for node in nodes:
            self.inline(parent, node, ctx or self.base())

    def block(self, node: Any, ctx: _Block) -> None:
        _BLOCK.lookup(node)(self, node, ctx)

    def blocks(self, nodes: Sequence[Any], ctx: _Block | None = None) -> None:
        for node in nodes:
            self.block(node, ctx or _Block())

    # -- small builders ---------------------------------------------------------

    def base(self) -> _Inline:
        return _Inline(lang=self.article.lang if self.article is not None else self.lang)

    def paragraph(self, style: str = "Normal") -> etree._Element:
        """A new paragraph at the end of the body (before the body's w:sectPr, which
        stays its last child, §17.6.17)."""
        p = el("w:p")
        if style != "Normal":
            p.append(el("w:pPr", [el("w:pStyle", w_val=style_id(style))]))
        last = self.body[-1] if len(self.body) else None
        if last is not None and last.tag == _SECT_PR:
            last.addprevious(p)
        else:
            self.body.append(p)
        return p

    def ppr(self, p: etree._Element, *children: etree._Element) -> None:
        ppr = p.get_or_add_pPr()
        for child in children:
            set_child(ppr, child, _PPR)

    def run(self, parent: etree._Element, text: str, ctx: _Inline) -> etree._Element:
        r = el("w:r")
        rpr = self.run_properties(ctx)
        if rpr is not None:
            r.append(rpr)
        append_text(r, text)
        parent.append(r)
        return r

    def run_properties(self, ctx: _Inline) -> etree._Element | None:
        children: list[etree._Element] = []
        if ctx.style is not None:
            children.append(el("w:rStyle", w_val=style_id(ctx.style)))
        # Direct bold/italic only where the one character-style slot of the run is
        # taken by an inner node (a glossary term inside strong text).
        if ctx.bold:
            children += [el("w:b"), el("w:bCs")]
        if ctx.italic:
            children += [el("w:i"), el("w:iCs")]
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
    def styled(ctx: _Inline, style: str) -> _Inline:
        """``ctx`` with the character style ``style``; an outer Strong or Emphasis
        that held the style slot becomes bold or italic of the run."""
        return replace(
            ctx,
            style=style,
            bold=ctx.bold or ctx.style in ("Strong", "Strong Emphasis"),
            italic=ctx.italic or ctx.style in ("Emphasis", "Strong Emphasis"),
        )

    # -- inline nodes -----------------------------------------------------------

    def visit_text(self, parent: etree._Element, node: Text, ctx: _Inline) -> None:
        self.run(parent, node.text, ctx)

    def visit_emphasis(self, parent: etree._Element, node: Emphasis, ctx: _Inline) -> None:
        # The built-in character style "Emphasis" (italic); "Strong Emphasis" inside
        # strong text.
        self.inlines(parent, node.children, self.combined(ctx, "Emphasis"))

    def visit_strong(self, parent: etree._Element, node: Strong, ctx: _Inline) -> None:
        # The built-in character style "Strong" (bold); "Strong Emphasis" inside
        # emphasised text.
        self.inlines(parent, node.children, self.combined(ctx, "Strong"))

    @staticmethod
    def combined(ctx: _Inline, style: Literal["Strong", "Emphasis"]) -> _Inline:
        if ctx.style is None:
            return replace(ctx, style=style)
        if ctx.style in (style, "Strong Emphasis"):
            return ctx
        if ctx.style in ("Strong", "Emphasis"):
            return replace(ctx, style="Strong Emphasis")
        # The style slot holds a link, term or citation style: bold or italic direct.
        return replace(ctx, bold=True) if style == "Strong" else replace(ctx, italic=True)

    def visit_link(self, parent: etree._Element, node: Link, ctx: _Inline) -> None:
        inner = replace(self.styled(ctx, "Hyperlink"), in_link=True)
        if ctx.in_link:
            # Word hyperlinks do not nest (w:hyperlink holds runs, §17.16.22): the text
            # stays, in the link style, but only the outer link's target is kept.
            warn("docx:nested-link", f"the link to {node.href} inside another link keeps its text only")
            self.inlines(parent, node.children, inner)
            return
        self.inlines(self.external_link(parent, node.href, node.title), node.children, inner)

    def visit_term(self, parent: etree._Element, node: Term, ctx: _Inline) -> None:
        # A glossary term: character style "Glossary Term Char", linked to the bookmark
        # on its glossary entry. Inside a link it keeps the style without a link.
        inner = self.styled(ctx, "Glossary Term Char")
        if ctx.in_link:
            self.inlines(parent, node.children, inner)
            return
        self.inlines(self.internal_link(parent, self.anchor("g", node.ref)), node.children, replace(inner, in_link=True))

    def visit_cite(self, parent: etree._Element, node: Cite, ctx: _Inline) -> None:
        # "[1, 2]" in the character style "Citation Char"; each number links to the
        # bookmark on its entry in the numbered list of sources.
        inner = self.styled(ctx, "Citation Char")
        self.run(parent, "[", inner)
        for position, key in enumerate(node.refs):
            if position:
                self.run(parent, ", ", inner)
            target = parent if ctx.in_link else self.internal_link(parent, self.anchor("r", key))
            self.run(target, str(self.ref_numbers[key]), inner)
        self.run(parent, "]", inner)

    def visit_span(self, parent: etree._Element, node: Span, ctx: _Inline) -> None:
        # w:lang on each run of the passage, so that Word spell-checks it in its own
        # language (§17.3.2.20).
        self.inlines(parent, node.children, replace(ctx, lang=node.lang))

    def visit_break(self, parent: etree._Element, node: LineBreak, ctx: _Inline) -> None:
        run = self.run(parent, "", ctx)
        run.append(el("w:br"))

    # -- block nodes --------------------------------------------------------------

    def visit_paragraph(self, node: Paragraph, ctx: _Block) -> None:
        self.inlines(self.paragraph(ctx.paragraph_style), node.children)

    def visit_list(self, node: List, ctx: _Block) -> None:
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

    def visit_note(self, node: Note, ctx: _Block) -> None:
        # A callout: "Note Heading" (its title, or the label of its kind) and its
        # paragraphs in "Note", which draw one shaded, bordered box.
        heading = self.paragraph("Note Heading")
        self.run(heading, node.title or note_label(node.kind, self.base().lang), self.base())
        if node.region is not None:
            # Word has no attribute for the country a passage applies to; a hidden
            # bookmark ("_region_DE_…") keeps it in the file without changing the text.
            self.note_regions += 1
            self.bookmark(heading, f"_region_{node.region}_{self.article_no}_{self.note_regions}")
        self.blocks(node.blocks, replace(ctx, paragraph_style="Note"))

    def visit_figure(self, node: Figure, ctx: _Block) -> None:
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
        name = PurePosixPath(image.path).name
        for element in (inline.docPr, *inline.iter(qn("pic:cNvPr"))):
            element.set("name", name)
            element.set("descr", alt)
            element.set("title", title)
        run = el("w:r", [el("w:drawing", [inline])])
        p.append(run)

    def visit_table(self, node: Table, ctx: _Block) -> None:
        caption = None
        if node.caption:
            caption = self.paragraph("Caption")
            self.ppr(caption, el("w:keepNext"))  # a table caption stays with its table
            self.inlines(caption, node.caption)
        rows = [*node.head, *node.body]
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0].cells))
        table.style = self.doc.styles["Table Grid"]
        for index, (row, tr) in enumerate(zip(rows, table._tbl.tr_lst)):
            header = index < len(node.head)
            if header:
                # w:tblHeader: the header rows repeat on every page (§17.4.49).
                tr.get_or_add_trPr().append(el("w:tblHeader"))
            for cell, tc in zip(row.cells, tr.tc_lst):
                p = tc.p_lst[0]
                p.style = style_id("Table Heading" if header else "Table Text")
                if cell.align is not None:
                    self.ppr(p, el("w:jc", w_val=cell.align))
                self.inlines(p, cell.children)
        if node.id is not None:
            target = caption if caption is not None else table._tbl.tr_lst[0].tc_lst[0].p_lst[0]
            self.bookmark(target, self.anchor("t", node.id))

    def visit_quote(self, node: Quote, ctx: _Block) -> None:
        self.blocks(node.blocks, replace(ctx, paragraph_style="Quote"))
        if node.attribution is not None:
            self.run(self.paragraph("Quote Attribution"), f"\u2014 {node.attribution}", self.base())

    def visit_include(self, node: Include, ctx: _Block) -> None:
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

    def heading(self, level: int, title: Sequence[Any] | str, key: str) -> None:
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

    # -- glossary, sources, publisher -----------------------------------------------

    def visit_glossary_entry(self, entry: GlossaryEntry) -> None:
        term = self.paragraph("Glossary Term")
        text = entry.term
        if entry.synonyms:
            text += f" ({word('also', self.base().lang)}: {', '.join(entry.synonyms)})"
        self.run(term, text, self.base())
        self.bookmark(term, self.anchor("g", entry.id))
        self.run(self.paragraph("Glossary Definition"), entry.definition, self.base())

    def visit_citation(self, citation: Citation, number: int) -> None:
        # Vancouver style from _common.reference_segments; DOI, PubMed and web
        # addresses as hyperlinks; the reference's language on its runs.
        p = self.paragraph("Reference")
        ctx = self.base() if citation.language is None else replace(self.base(), lang=citation.language)
        self.run(p, f"{number}.\t", ctx)
        for segment in reference_segments(citation, self.base().lang):
            if segment.href is not None:
                self.run(self.external_link(p, segment.href), segment.text, self.styled(ctx, "Hyperlink"))
            else:
                self.run(p, segment.text, ctx)
        self.bookmark(p, self.anchor("r", citation.id))

    def end_matter(self, article: Article, level: int, with_back: bool) -> None:
        if article.glossary:
            self.heading(level, word("glossary", article.lang), "x:glossary")
            for entry in article.glossary.values():
                self.visit_glossary_entry(entry)
        if article.references:
            self.heading(level, word("references", article.lang), "x:references")
            for number, citation in enumerate(article.references, start=1):
                self.visit_citation(citation, number)
        if with_back:
            self.blocks(article.back)

    def publisher_block(self, publisher: Publisher, lang: str, rights: str | None, licence: str | None,
                        article: Article | None = None) -> None:
        """The publisher's name, address, web address and e-mail; the named authors
        and reviewers; the rights statement and licence; the updated line."""
        ctx = _Inline(lang=lang)
        link = self.styled(ctx, "Hyperlink")
        first = self.paragraph("Publisher Heading")
        name = publisher.name + (f" ({publisher.short_name})" if publisher.short_name else "")
        self.run(first, f"{word('publisher', lang)}: ", ctx)
        self.run(first, name, self.styled(ctx, "Strong"))
        if publisher.address is not None:
            self.run(self.paragraph("Publisher Block"), publisher.address, ctx)
        if publisher.url is not None:
            self.run(self.external_link(self.paragraph("Publisher Block"), publisher.url), publisher.url, link)
        if publisher.email is not None:
            self.run(self.external_link(self.paragraph("Publisher Block"), f"mailto:{publisher.email}"), publisher.email, link)
        if article is not None:
            for key, people in (("authors", article.authors), ("reviewers", article.reviewers)):
                if people:
                    names = ", ".join(p.name + (f" ({p.affiliation})" if p.affiliation else "") for p in people)
                    self.run(self.paragraph("Publisher Block"), f"{word(key, lang)}: {names}", ctx)
            self.run(self.paragraph("Publisher Block"), updated_line(article), ctx)
        if rights is not None:
            self.run(self.paragraph("Publisher Block"), rights, ctx)
        if licence is not None:
            p = self.paragraph("Publisher Block")
            self.run(p, f"{word('licence', lang)}: ", ctx)
            self.run(self.external_link(p, licence), licence, link)

    # -- pages: sections, header, footer --------------------------------------------

    def page_setup(self) -> None:
        section = self.doc.sections[0]
        page = self.page
        section.page_width, section.page_height = Twips(page.width), Twips(page.height)
        section.top_margin, section.bottom_margin = Twips(page.top), Twips(page.bottom)
        section.left_margin, section.right_margin = Twips(page.left), Twips(page.right)
        section.header_distance, section.footer_distance = Twips(page.header), Twips(page.footer)
        section.gutter = Twips(0)

    def new_section(self) -> Any:
        """A section break (next page); the new section has no header or footer until
        given one."""
        return self.doc.add_section(WD_SECTION.NEW_PAGE)

    def header_footer(self, section: Any, article: Article | None) -> None:
        """The running header (the topic) and footer (the updated line and the page
        number) of ``section``; empty ones without ``article``."""
        header, footer = section.header, section.footer
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        hp = header._element.p_lst[0]
        fp = footer._element.p_lst[0]
        if article is None:
            # An empty header and footer (the title-less back page): no style, so no rule.
            hp.style = None
            fp.style = None
            return
        hp.style = style_id("Header")
        fp.style = style_id("Footer")
        ctx = _Inline(lang=article.lang)
        self.run(hp, article.topic or article.title, ctx)
        self.run(fp, updated_line(article) + "\t", ctx)
        # The PAGE field (§17.16.5.48); its cached "1" is replaced by Word and
        # LibreOffice on every page.
        number = el("w:r")
        append_text(number, "1")
        for run in complex_field("PAGE", [number]):
            fp.append(run)

    # -- documents --------------------------------------------------------------------

    def start_article(self, article: Article, number: int) -> None:
        self.article = article
        self.article_no = number
        self.ref_numbers = {c.id: n for n, c in enumerate(article.references, start=1)}

    def article_document(self, article: Article) -> None:
        self.page_setup()
        self.start_article(article, 1)
        self.header_footer(self.doc.sections[0], article)
        self.run(self.paragraph("Title"), article.title, self.base())
        if article.topic:
            self.run(self.paragraph("Subtitle"), article.topic, self.base())
        self.blocks(article.blocks)
        for section in article.sections:
            self.visit_section(section, 1)
        brochure = self.layout == "brochure"
        self.end_matter(article, 1, with_back=not brochure)
        if brochure:
            self.header_footer(self.new_section(), None)
            self.blocks(article.back)
        self.publisher_block(article.publisher, article.lang, article.rights, article.license, article)

    def book_document(self, book: Book) -> None:
        self.page_setup()
        ctx = _Inline(lang=book.lang)
        # Title page.
        self.run(self.paragraph("Title"), book.title, ctx)
        if book.subtitle:
            self.run(self.paragraph("Subtitle"), book.subtitle, ctx)
        if book.cover is not None:
            p = self.paragraph("Figure")
            self.picture(p, book.cover, book.title, book.title, max_height=0.5)
        self.run(self.paragraph("Title Page"), book.publisher.name, ctx)
        self.run(self.paragraph("Title Page"), format_date(book.effective_date, book.lang), ctx)
        if book.description:
            self.run(self.paragraph("Title Page"), book.description, ctx)
        brochure = self.layout == "brochure"
        if not brochure:
            self.publisher_block(book.publisher, book.lang, book.rights, book.license)
        # The table of contents, filled in below once every heading is written.
        toc_heading = self.paragraph("TOC Heading")
        if book.cover is not None:
            # The cover fills the title page: the contents start on the next one.
            self.ppr(toc_heading, el("w:pageBreakBefore"))
        self.run(toc_heading, word("contents", book.lang), ctx)
        placeholder = self.paragraph("TOC 1")
        for number, article in enumerate(book.articles, start=1):
            self.start_article(article, number)
            self.header_footer(self.new_section(), article)
            self.heading(1, article.title, "x:article")
            if article.topic:
                self.run(self.paragraph("Article Topic"), article.topic, self.base())
            self.blocks(article.blocks)
            for section in article.sections:
                self.visit_section(section, 2)
            self.end_matter(article, 2, with_back=not brochure)
        self.article, self.article_no = None, 0
        if brochure:
            # The back page: the reusable blocks of the articles (each once) and the
            # publisher.
            self.header_footer(self.new_section(), None)
            seen: set[str] = set()
            for number, article in enumerate(book.articles, start=1):
                self.start_article(article, number)
                for include in article.back:
                    if include.ref not in seen:
                        seen.add(include.ref)
                        self.block(include, _Block())
            self.article = None
            last = book.articles[-1]
            self.publisher_block(book.publisher, book.lang, book.rights, book.license, last if len(book.articles) == 1 else None)
        self.table_of_contents(placeholder)

    def table_of_contents(self, placeholder: etree._Element) -> None:
        """A TOC field (§17.16.5.68) whose result is already written: one "TOC n"
        paragraph per heading (levels 1 and 2), linking to the bookmark on the heading.
        Page numbers are only known once a layout engine has broken the pages, so the
        entries we write are page-independent links; Word and LibreOffice show them as
        they are when the file is opened (no w:dirty, no updateFields: no empty TOC, no
        update prompt), and "Update field" in Word (Tools > Update > Indexes in
        LibreOffice) rebuilds the TOC with page numbers from the same field code."""
        entries = [entry for entry in self.headings if entry[0] <= TOC_LEVELS]
        paragraphs: list[etree._Element] = []
        for position, (level, text, name) in enumerate(entries):
            p = el("w:p")
            self.ppr(p, el("w:pStyle", w_val=style_id(f"TOC {level}")))
            if position == 0:
                p.extend(complex_field(f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u', [], end=False))
            self.run(self.internal_link(p, name), text, _Inline(lang=self.lang))
            if position == len(entries) - 1:
                p.extend(complex_field("", [], begin=False))
            paragraphs.append(p)
        for p in paragraphs:
            placeholder.addprevious(p)
        placeholder.getparent().remove(placeholder)

    def core_properties(self) -> None:
        """docProps/core.xml (ECMA-376 Part 2, §11): from the content, never the clock."""
        source = self.source
        props = self.doc.core_properties
        if isinstance(source, Book):
            text = {
                "title": source.title,
                "subject": source.subtitle or source.articles[0].topic or "",
                "keywords": "; ".join(dict.fromkeys(k for a in source.articles for k in a.keywords)),
                "description": source.description or "",
                "identifier": source.identifier,
            }
            created = source.date or min(a.published or a.updated for a in source.articles)
            modified = source.effective_date
        else:
            text = {
                "title": source.title,
                "subject": source.topic or "",
                "keywords": "; ".join(source.keywords),
                "description": source.description or "",
                "identifier": source.url or source.id,
            }
            created = source.published or source.updated
            modified = source.updated
        text.update(creator=source.publisher.name, language=source.lang, lastModifiedBy=APPLICATION, category="")
        for name, value in text.items():
            # Written directly: python-docx refuses values over 255 characters, a limit
            # of Word's properties dialog, not of the file format; a title stays whole.
            props._element._get_or_add(name).text = value
        props.revision = 1
        modified = max(created, modified)
        props.created = self.options.timestamp(created)
        props.modified = self.options.timestamp(modified)
        self.moment = self.options.timestamp(modified)

    def render(self) -> bytes:
        if isinstance(self.source, Book):
            self.book_document(self.source)
        else:
            self.article_document(self.source)
        self.numbering.finish()
        self.core_properties()
        return write_package(self.doc.part.package, self.moment)


_SECT_PR = qn("w:sectPr")
_INLINE: Dispatch[None] = Dispatch("DOCX", "inline", _Writer, INLINE_TYPES)
_BLOCK: Dispatch[None] = Dispatch("DOCX", "block", _Writer, BLOCK_TYPES)


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as a .docx file (images are embedded: no resources)."""
    if not isinstance(document, (Article, Book)):
        raise ExportError(f"the DOCX exporter takes an Article or a Book, not a {type(document).__name__}")
    return Rendered(data=_Writer(document, options).render())
