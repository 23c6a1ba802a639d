"""DOCX: an article or a book as a whole Word document (Office Open XML
WordprocessingML), or as an A5 patient brochure that print designers lay out further —
the assembly around the body that ``writer.py`` writes: page setup, running header and
footer, a book's title page, table of contents and back page, the publisher block,
the core properties and the package.

Reference: ECMA-376 Part 1, "Office Open XML File Formats — Fundamentals and Markup
Language Reference" (§17.6 sections, §17.10 headers and footers, §17.16 fields), Part 2
(§11 core properties), and Word's own conventions where the standard leaves a choice
(the TOC field, hidden "_" bookmarks). docs/exporters/docx.md describes the page
layouts, the table of contents and how the bytes are kept reproducible.

Built with python-docx on its default template, cleaned of what is not ours
(``ooxml.clean_package``) and styled once per page size, language and publisher.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import docx
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree
from pydantic import Field

from ..._kept import keep_file
from ..._version import __version__
from ...schema import Article, Book, Publisher
from .._base import ExportError, ExportOptions, Rendered
from .._cache import compiled_folder
from .._dates import format_date, updated_line
from .._i18n import edition_label, word
from .._references import Citations, article_references
from . import ooxml, styles
from .ooxml import append_text, clean_package, complex_field, drop_unused_table_styles, el, write_package
from .styles import PAGES, apply_styles, glossary_backlinks_style, style_id
from .writer import BodyWriter, InlineContext

__all__ = ["ACCEPTS_BOOKS", "EXTENSION", "MEDIA_TYPE", "NAME", "DocumentWriter", "Options", "render"]

NAME = "docx"
EXTENSION = ".docx"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: A book is one document: a title page, a table of contents, one part per article.
ACCEPTS_BOOKS = True

#: The application named in docProps/app.xml and core lastModifiedBy.
APPLICATION = "healthinfo"

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


@functools.lru_cache(maxsize=16)
def _base_document(page_size: str, lang: str, company: str | None) -> bytes:
    """The empty, styled document every export starts from: python-docx's template
    cleaned of what is not ours, with our styles, page geometry and language. Made
    once per process and page/language/publisher (styling the template is most of
    the cost of a small document), and kept in the build's cache folder when there is
    one (exporters/_cache.py), so that a rebuild's fresh process reads it instead:
    named by everything it is made from (this package's code, python-docx's version,
    the arguments), so a changed one is never taken."""
    folder = compiled_folder()
    if folder is None:
        return _make_base_document(page_size, lang, company)
    digest = hashlib.sha256(repr((__version__, docx.__version__, page_size, lang, company)).encode())
    for module in (__file__, styles.__file__, ooxml.__file__):
        digest.update(Path(module).read_bytes())
    path = folder / f"docx-base-{digest.hexdigest()[:32]}.docx"
    with contextlib.suppress(OSError):
        return path.read_bytes()
    data = _make_base_document(page_size, lang, company)
    keep_file(path, data)
    return data


@dataclass(frozen=True)
class _Opened:
    """The base document opened once per process, and its two style sheets: as made,
    and with the "Glossary Backlinks" style (a document whose glossary is linked from
    the text). No document changes a style sheet otherwise, so every document of a
    process shares them (read only) instead of copying 45 KB of XML each, and each is
    serialised once."""

    document: Any
    plain: etree._Element
    with_backlinks: etree._Element
    #: id() of each shared sheet -> its serialised bytes, as python-docx writes a part.
    blobs: dict[int, bytes]


@functools.lru_cache(maxsize=16)
def _opened(page_size: str, lang: str, company: str | None) -> _Opened:
    document = docx.Document(io.BytesIO(_base_document(page_size, lang, company)))
    plain = document.part.styles.element
    with_backlinks = copy.deepcopy(plain)
    glossary_backlinks_style(with_backlinks, PAGES[page_size])
    blobs = {id(sheet): serialize_part_xml(sheet) for sheet in (plain, with_backlinks)}
    return _Opened(document, plain, with_backlinks, blobs)


def forget_base_documents() -> None:
    """Forget the base documents made or opened in this process (a test's fresh start)."""
    _opened.cache_clear()
    _base_document.cache_clear()


def _styles_part(document: Any) -> Any:
    return document.part.part_related_by(RT.STYLES)


def _make_base_document(page_size: str, lang: str, company: str | None) -> bytes:
    document = docx.Document()
    clean_package(document, APPLICATION, company)
    apply_styles(document.part.styles.element, PAGES[page_size], lang)
    drop_unused_table_styles(document.part.styles.element, [style_id("Table Grid")])
    settings = document.part._settings_part.element
    for found in settings.findall(qn("w:themeFontLang")):
        found.set(qn("w:val"), lang)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _core_text(source: Article | Book) -> tuple[dict[str, str], dt.date, dt.date]:
    """The text properties of docProps/core.xml, and the created and modified dates,
    from the content."""
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
    return text, created, max(created, modified)


class DocumentWriter(BodyWriter):
    """Builds one Word document of an article or a book: the body by the visitors of
    :class:`BodyWriter`, the pages, the front and back matter and the package here."""

    def __init__(self, document: Article | Book, options: Options) -> None:
        brochure = isinstance(document, Book) and document.profile.value == "brochure"
        self.layout = options.layout or ("brochure" if brochure else "document")
        page_size = options.page_size or ("a5" if self.layout == "brochure" else "a4")
        self.opened = _opened(page_size, document.lang, document.publisher.name)
        # A copy of the opened base document that shares its style sheet (the memo
        # maps the sheet to itself: deepcopy takes it as copied already).
        base = copy.deepcopy(self.opened.document, {id(self.opened.plain): self.opened.plain})
        super().__init__(base, PAGES[page_size], document.lang)
        self.source = document
        self.options = options

    # -- end matter, publisher ---------------------------------------------------------

    def end_matter(self, article: Article, level: int, with_back: bool) -> None:
        if article.glossary:
            self.heading(level, word("glossary", article.lang), "x:glossary")
            for entry in article.glossary.values():
                self.visit_glossary_entry(entry)
        if article.references:
            self.heading(level, word("references", article.lang), "x:references")
            formatted = article_references(article)
            for number, (citation, segments) in enumerate(zip(article.references, formatted, strict=True), start=1):
                self.visit_citation(citation, number, segments)
        if with_back:
            self.blocks(article.back)

    def publisher_block(self, publisher: Publisher, lang: str, rights: str | None, licence: str | None,
                        article: Article | None = None) -> None:
        """The publisher's name, address, web address and e-mail; the named authors
        and reviewers; the rights statement and licence; the updated line."""
        ctx = InlineContext(lang=lang)
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
        if self.source.edition is not None:
            self.run(self.paragraph("Publisher Block"), edition_label(self.source.edition, lang), ctx)
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
        ctx = InlineContext(lang=article.lang)
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
        self.citations = Citations(article)

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
        brochure = self.layout == "brochure"
        placeholder = self.title_page(book, with_publisher=not brochure)
        for number, article in enumerate(book.articles, start=1):
            self.book_part(article, number, with_back=not brochure)
        self.article, self.article_no = None, 0
        if brochure:
            self.back_page(book)
        self.table_of_contents(placeholder)

    def title_page(self, book: Book, with_publisher: bool) -> etree._Element:
        """The book's title page and the heading of its table of contents; returns the
        paragraph the table of contents replaces once every heading is written."""
        ctx = InlineContext(lang=book.lang)
        self.run(self.paragraph("Title"), book.title, ctx)
        if book.subtitle:
            self.run(self.paragraph("Subtitle"), book.subtitle, ctx)
        if book.cover is not None:
            p = self.paragraph("Figure")
            self.picture(p, book.cover, book.title, book.title, max_height=0.5)
        if not with_publisher:
            # The publisher block below starts with the publisher's name: not twice in a row.
            self.run(self.paragraph("Title Page"), book.publisher.name, ctx)
        self.run(self.paragraph("Title Page"), format_date(book.effective_date, book.lang), ctx)
        if book.description:
            self.run(self.paragraph("Title Page"), book.description, ctx)
        if with_publisher:
            self.publisher_block(book.publisher, book.lang, book.rights, book.license)
        toc_heading = self.paragraph("TOC Heading")
        if book.cover is not None:
            # The cover fills the title page: the contents start on the next one.
            self.ppr(toc_heading, el("w:pageBreakBefore"))
        self.run(toc_heading, word("contents", book.lang), ctx)
        return self.paragraph("TOC 1")

    def book_part(self, article: Article, number: int, with_back: bool) -> None:
        """One article of a book: a new section with its own header and footer, its
        title as Heading 1, its sections from Heading 2, its glossary and sources."""
        self.start_article(article, number)
        self.header_footer(self.new_section(), article)
        self.heading(1, article.title, "x:article")
        if article.topic:
            self.run(self.paragraph("Article Topic"), article.topic, self.base())
        self.blocks(article.blocks)
        for section in article.sections:
            self.visit_section(section, 2)
        # Glossary and Sources at the level of the article's title, as the HTML book
        # and the e-book show them (their back matter beside the chapters).
        self.end_matter(article, 1, with_back=with_back)

    def back_page(self, book: Book) -> None:
        """A brochure's back page: the reusable blocks of the articles (each once) and
        the publisher."""
        self.header_footer(self.new_section(), None)
        seen: set[str] = set()
        for number, article in enumerate(book.articles, start=1):
            self.start_article(article, number)
            for include in article.back:
                if include.ref not in seen:
                    seen.add(include.ref)
                    self.blocks([include])
        self.article = None
        last = book.articles[-1]
        self.publisher_block(book.publisher, book.lang, book.rights, book.license, last if len(book.articles) == 1 else None)

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
            self.run(self.internal_link(p, name), text, InlineContext(lang=self.lang))
            if position == len(entries) - 1:
                p.extend(complex_field("", [], begin=False))
            paragraphs.append(p)
        for p in paragraphs:
            placeholder.addprevious(p)
        parent = placeholder.getparent()
        if parent is not None:
            parent.remove(placeholder)

    # -- package ----------------------------------------------------------------------

    def core_properties(self) -> dt.datetime:
        """docProps/core.xml (ECMA-376 Part 2, §11): from the content, never the clock.
        Returns the modified moment (the zip members are dated with it)."""
        props = self.doc.core_properties
        text, created, modified = _core_text(self.source)
        for name, value in text.items():
            # Written directly: python-docx refuses values over 255 characters, a limit
            # of Word's properties dialog, not of the file format; a title stays whole.
            props._element._get_or_add(name).text = value
        props.revision = 1
        props.created = self.options.timestamp(created)
        props.modified = self.options.timestamp(modified)
        return self.options.timestamp(modified)

    def add_backlinks_style(self) -> None:
        # The shared sheet that has the style (XmlPart keeps its element in _element;
        # python-docx has no call to replace a part's XML).
        _styles_part(self.doc)._element = self.opened.with_backlinks

    def render(self) -> bytes:
        if isinstance(self.source, Book):
            self.book_document(self.source)
        else:
            self.article_document(self.source)
        self.write_backlinks()
        self.numbering.finish()
        moment = self.core_properties()
        if self.source.edition is not None:
            ooxml.add_custom_properties(self.doc.part.package, {EDITION_PROPERTY: self.source.edition})
        sheet = _styles_part(self.doc).element
        blobs = {_styles_part(self.doc).partname: self.opened.blobs[id(sheet)]}
        return write_package(self.doc.part.package, moment, blobs)


#: The custom document property (docProps/custom.xml) that names a regional edition's
#: country: OOXML's core properties have no coverage element.
EDITION_PROPERTY = "Edition"

def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as a .docx file (images are embedded: no resources)."""
    if not isinstance(document, (Article, Book)):
        raise ExportError(f"the DOCX exporter takes an Article or a Book, not a {type(document).__name__}")
    return Rendered(data=DocumentWriter(document, options).render())
