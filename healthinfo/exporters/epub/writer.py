"""EPUB 3: an article (a one-chapter e-book) or a book (one chapter per article, in
order) as a reflowable EPUB 3.3 publication: the writer and the content documents.

References: EPUB 3.3 (https://www.w3.org/TR/epub-33/), the EPUB Structural Semantics
Vocabulary 1.1 (https://www.w3.org/TR/epub-ssv-11/) with the matching DPUB-ARIA 1.1
roles (https://www.w3.org/TR/dpub-aria-1.1/), EPUB Accessibility 1.1
(https://www.w3.org/TR/epub-a11y-11/) and WCAG 2.2. The judges are EPUBCheck 5 and
DAISY Ace (tests/test_epub.py). docs/exporters/epub.md describes the e-book's
structure.

How it is built (Sphinx's EPUB builder is its HTML builder plus packaging; so is this):

- Blocks and inlines are rendered by the HTML exporter's public writer
  (healthinfo.exporters.html.writer.HtmlWriter, its ``visit_<node>`` methods and the
  nodes.j2 / parts.j2 macros) with the templates' EPUB switch on: XHTML syntax,
  epub:type semantics with their ARIA roles. This module only says where things go:
  the chapter files, the glossary and sources as back matter, and the images as files
  of the package (:class:`EpubWriter` overrides two hooks).
- templates/ arrange the content documents (cover, title page, navigation document,
  chapters, glossary, sources, reusable back blocks); every document is parsed as XML
  before it is packed, so a malformed one fails here, not in a reader.
- :mod:`.package` writes the package document, the NCX and the zip;
  :mod:`.accessibility` derives the accessibility claims; :mod:`.publication` holds
  the package-level facts of an article or a book.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from markupsafe import Markup

from ...schema import BLOCK_TYPES, INLINE_TYPES, Article, Book, Figure, Image, Include, Table, inline_text
from .._base import ExportError, Rendered, warn
from .._cover import cover_warnings, fitted_cover, generated_cover, marketing_cover
from .._dates import format_date
from .._dispatch import Dispatch
from .._i18n import direction, edition_label, word
from ..html.templates import Templates, builtin_templates
from ..html.text import href
from ..html.writer import Context, HtmlWriter, labels, publisher_view
from .accessibility import facts_accessibility
from .options import Options
from .package import CSS_FILE, XML_PARSER, Content, ContentDocument, package
from .publication import Publication, publication

__all__ = ["TEMPLATE_DIR", "EpubWriter", "image_file", "render"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


# ---------------------------------------------------------------------------
# The writer: the HTML writer, with links between files and images as files


def image_file(image: Image) -> str:
    """The image's file in the package, named by its content: the same image used
    twice is stored once, two different images never share a name, and no path of
    the model reaches the zip."""
    extension = "png" if image.media_type == "image/png" else "jpg"
    return f"images/{hashlib.sha256(image.data).hexdigest()[:16]}.{extension}"


class EpubWriter(HtmlWriter):
    """The HTML exporter's writer, for content documents in several files: links go to
    the file of their target (``files``), figures point at image files of the package."""

    def __init__(self, templates: Templates, lang: str) -> None:
        super().__init__(templates, lang)
        #: package file name -> image, in the order of first use.
        self.images: dict[str, Image] = {}
        #: The lists of figures and of tables of the navigation document, in reading
        #: order: {"href", "title"} (EPUB 3.3 7.4, ``loi`` and ``lot``).
        self.figure_list: list[dict[str, str]] = []
        self.table_list: list[dict[str, str]] = []

    def _listed(self, entries: list[dict[str, str]], anchor: str, title: str, fallback: str) -> str:
        text = " ".join(title.split()) or f"{fallback} {len(entries) + 1}"
        entries.append({"href": f"{self.files.get('text', '')}#{anchor}", "title": text})
        return anchor

    def figure_id(self, node: Figure) -> str:
        # Every figure has an id in an e-book: the list of figures links to it.
        anchor = super().figure_id(node) or self.local(f"figure-{self.next('figure')}")
        return self._listed(self.figure_list, anchor, inline_text(node.caption) or node.alt, word("figure", self.lang))

    def table_id(self, node: Table) -> str:
        anchor = super().table_id(node) or self.local(f"table-{self.next('table')}")
        return self._listed(self.table_list, anchor, inline_text(node.caption), word("table", self.lang))

    def image_src(self, image: Image) -> str:
        name = image_file(image)
        self.images.setdefault(name, image)
        return name

    def back(self, includes: Sequence[Include], ctx: Context, level: int) -> Markup:
        # A book's reusable back blocks go to their own file (more.xhtml), so the
        # glossary's links back to terms used in them must point there.
        chapter = self.files.get("text", "")
        self.files["text"] = self.files.get("back", chapter)
        try:
            return super().back(includes, ctx, level)
        finally:
            self.files["text"] = chapter


EpubWriter.INLINE = Dispatch("EPUB", "inline", EpubWriter, INLINE_TYPES)
EpubWriter.BLOCK = Dispatch("EPUB", "block", EpubWriter, BLOCK_TYPES)


# ---------------------------------------------------------------------------
# Content documents


def _document(
    t: Templates, template: str, file: str, uid: str, title: str, lang: str, matter: str, **context: Any
) -> ContentDocument:
    """The content document ``file`` from ``template``, checked to be well-formed XML."""
    text = t.get(template).render(
        title=title,
        lang=lang,
        dir=direction(lang),
        matter=matter,
        css=CSS_FILE,
        **context,
    )
    data = text.encode("utf-8")
    try:
        etree.fromstring(data, XML_PARSER)
    except etree.XMLSyntaxError as error:  # a bug of the templates, never of the content
        raise ExportError(f"the EPUB content document {file} is not well-formed XML: {error}") from None
    return ContentDocument(file=file, uid=uid, title=title, data=data)


def _toc_titles(entries: list[dict[str, Any]], fallback: str) -> list[dict[str, Any]]:
    """Every entry of the table of contents with a text: a heading made only of a
    citation has no words, and EPUB nav links must have some (EPUB 3.3, 7.3)."""
    out = []
    for n, entry in enumerate(entries, start=1):
        title = entry["title"] or f"{fallback} {n}"
        out.append({**entry, "title": title, "children": _toc_titles(entry["children"], title)})
    return out


def _title_view(facts: Publication) -> dict[str, Any]:
    """What the title page shows."""
    publisher = facts.publisher
    return {
        "title": facts.title,
        "full_title": facts.full_title,
        "subtitle": facts.subtitle,
        "description": facts.description,
        "publisher": publisher_view(publisher),
        "date": facts.date,
        "date_text": format_date(facts.date, facts.lang),
        # An ISBN is printed on the imprint; an internal identifier (urn:uuid) is not.
        "isbn": facts.isbn,
        "rights": facts.rights,
        "license": facts.license,
        "license_href": href(facts.license) if facts.license else None,
        "edition": edition_label(facts.edition, facts.lang) if facts.edition else None,
    }


@dataclass
class _EBook:
    """The e-book being made: the templates, the writer, the words of the package's
    language, and the table of contents and landmarks as the documents are added."""

    t: Templates
    writer: EpubWriter
    lang: str
    words: dict[str, str]
    toc: list[dict[str, Any]] = field(default_factory=list)
    landmarks: list[dict[str, str]] = field(default_factory=list)
    #: the lists of sources of the chapters, shown together in sources.xhtml
    source_groups: list[dict[str, Any]] = field(default_factory=list)


def _back_blocks(facts: Publication) -> list[Include]:
    """The reusable back blocks of every article, once each (as the HTML book shows
    them)."""
    backs: list[Include] = []
    for article in facts.articles:
        backs += [b for b in article.back if b not in backs]
    return backs


def _add_source_group(ebook: _EBook, article: Article, view: dict[str, Any]) -> None:
    """The chapter's sources, for sources.xhtml. The lists of sources are landmarks
    named by their heading, which must differ (Ace: landmark-unique): a title used
    twice gets its number."""
    title = " ".join(article.title.split())
    repeats = sum(1 for g in ebook.source_groups if g["name"] == title.casefold())
    ebook.source_groups.append(
        {
            "id": view["references_id"],
            "name": title.casefold(),
            "title": f"{title} ({repeats + 1})" if repeats else title,
            "refs": view["references"],
        }
    )


def _chapters(ebook: _EBook, facts: Publication, back_level: int) -> list[ContentDocument]:
    """One content document per article, with its entry of the table of contents."""
    chapters: list[ContentDocument] = []
    for number, article in enumerate(facts.articles, start=1):
        file = f"chapter-{number}.xhtml"
        ebook.writer.files["text"] = file
        # An article's e-book keeps the ids of the article's web page (sec-…, ref-1);
        # a book's chapters have the ids of the HTML book (<article id>--sec-…).
        view = ebook.writer.article_view(
            article, level=1, standalone=False, back_level=back_level, prefix="" if facts.single else None
        )
        if view["references"]:
            _add_source_group(ebook, article, view)
        # The sources are back matter; the chapter is the article's text.
        view = {**view, "references": []}
        chapters.append(
            _document(
                ebook.t,
                "chapter.j2",
                file,
                f"chapter-{number}",
                _page_title(article),
                article.lang,
                "bodymatter",
                a=view,
                site=None,
                page_lang=article.lang,
                page_dir=direction(article.lang),
                versions=[],  # an e-book names its translations in its metadata (the package document)
                outdated=None,
            )
        )
        ebook.toc.append({"href": file, "title": " ".join(article.title.split()), "children": ebook.writer.toc(article)})
    return chapters


def _page_title(article: Article) -> str:
    """A chapter's page title: the article's title and its topic, so that a reading
    system's list of pages says what the treatment is for."""
    title = " ".join(article.title.split())
    return f"{title} – {' '.join(article.topic.split())}" if article.topic else title


def _glossary(ebook: _EBook) -> ContentDocument:
    """glossary.xhtml: every glossary entry of the e-book, with links to its uses."""
    words = ebook.words
    doc = _document(
        ebook.t,
        "glossary.j2",
        "glossary.xhtml",
        "glossary",
        words["glossary"],
        ebook.lang,
        "backmatter",
        entries=ebook.writer.glossary_view(ebook.writer.glossary_order),
        labels=words,
    )
    ebook.toc.append({"href": "glossary.xhtml", "title": words["glossary"], "children": []})
    ebook.landmarks.append({"type": "glossary", "href": "glossary.xhtml", "title": words["glossary"]})
    return doc


def _sources(ebook: _EBook) -> ContentDocument:
    """sources.xhtml: the sources of every chapter, a group per chapter."""
    words, groups = ebook.words, ebook.source_groups
    doc = _document(
        ebook.t, "sources.j2", "sources.xhtml", "sources", words["references"], ebook.lang, "backmatter", groups=groups, labels=words
    )
    children = (
        [{"href": f"sources.xhtml#{g['id']}", "title": g["title"], "children": []} for g in groups]
        if len(groups) > 1
        else []
    )
    ebook.toc.append({"href": "sources.xhtml", "title": words["references"], "children": children})
    ebook.landmarks.append({"type": "bibliography", "href": "sources.xhtml", "title": words["references"]})
    return doc


def _more(ebook: _EBook, backs: Sequence[Include], single_back: bool) -> ContentDocument:
    """more.xhtml: the reusable back blocks. One titled block heads its own page;
    otherwise the page has a heading and they sit below."""
    words = ebook.words
    title = backs[0].title if single_back and backs[0].title else words["more"]
    doc = _document(
        ebook.t,
        "more.j2",
        "more.xhtml",
        "more",
        title,
        ebook.lang,
        "backmatter",
        heading=None if single_back else words["more"],
        back=Markup("").join(ebook.writer.back_parts),
    )
    ebook.toc.append({"href": "more.xhtml", "title": " ".join(title.split()), "children": []})
    return doc


def _cover_image(facts: Publication) -> Image:
    """The e-book's cover image: the book's own, fitted to the stores' limits, or one
    made from the title, topic and publisher (exporters/_cover.py)."""
    if facts.cover is not None:
        fitted = fitted_cover(facts.cover)
        for code, message in cover_warnings(fitted):
            warn(code, message)
        return fitted
    return generated_cover(
        title=facts.title, subtitle=facts.subtitle, topic=facts.topic, publisher=facts.publisher, lang=facts.lang
    )


def _cover(ebook: _EBook, facts: Publication, cover_file: str) -> ContentDocument:
    """cover.xhtml: the cover image alone, sized to the screen (epub.css)."""
    words = ebook.words
    return _document(
        ebook.t,
        "cover.j2",
        "cover.xhtml",
        "cover",
        f"{words['cover']}: {facts.full_title}",
        ebook.lang,
        "cover",
        image={"src": cover_file, "alt": f"{words['cover']}: {facts.full_title}"},
    )


def _nav(ebook: _EBook, first_chapter: str) -> ContentDocument:
    """nav.xhtml, the navigation document (EPUB 3.3, 7): the table of contents and
    the landmarks. Sets ``ebook.toc`` to the entries as they are written."""
    words = ebook.words
    ebook.landmarks = [
        {"type": "cover", "href": "cover.xhtml", "title": words["cover"]},
        {"type": "titlepage", "href": "titlepage.xhtml", "title": words["title_page"]},
        {"type": "toc", "href": "nav.xhtml#toc", "title": words["contents"]},
        {"type": "bodymatter", "href": first_chapter, "title": words["start"]},
        *ebook.landmarks,
    ]
    ebook.toc = _toc_titles(ebook.toc, words["contents"])
    nav = _document(
        ebook.t,
        "nav.j2",
        "nav.xhtml",
        "nav",
        words["contents"],
        ebook.lang,
        "frontmatter",
        toc=ebook.toc,
        landmarks=ebook.landmarks,
        figures=ebook.writer.figure_list,
        tables=ebook.writer.table_list,
        labels=words,
    )
    nav.properties = ("nav",)
    return nav


def _content(facts: Publication) -> Content:
    """Every content document of the e-book, in spine order: cover, title page,
    navigation, chapters, then the back matter (glossary, sources, reusable blocks)."""
    t = builtin_templates(epub=True, before=(str(TEMPLATE_DIR),))
    writer = EpubWriter(t, facts.lang)
    writer.files = {"glossary": "glossary.xhtml", "references": "sources.xhtml", "back": "more.xhtml"}
    ebook = _EBook(t=t, writer=writer, lang=facts.lang, words=labels(facts.lang))
    backs = _back_blocks(facts)
    single_back = len(backs) == 1 and bool(backs[0].title)
    chapters = _chapters(ebook, facts, back_level=1 if single_back else 2)
    back_matter: list[ContentDocument] = []
    if writer.glossary_order:
        back_matter.append(_glossary(ebook))
    if ebook.source_groups:
        back_matter.append(_sources(ebook))
    if backs:
        back_matter.append(_more(ebook, backs, single_back))
    cover_image = _cover_image(facts)
    cover_file = image_file(cover_image)
    cover = _cover(ebook, facts, cover_file)
    title_page = _document(
        t,
        "titlepage.j2",
        "titlepage.xhtml",
        "titlepage",
        facts.full_title,
        ebook.lang,
        "frontmatter",
        book=_title_view(facts),
        labels=ebook.words,
    )
    nav = _nav(ebook, chapters[0].file)
    images = dict(writer.images)
    images.pop(cover_file, None)
    return Content(
        docs=[cover, title_page, nav, *chapters, *back_matter],
        toc=ebook.toc,
        landmarks=ebook.landmarks,
        images=images,
        cover=cover_image,
        cover_file=cover_file,
        cover_title=ebook.words["cover"],
    )


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as an EPUB 3 file. Everything is inside the zip, so ``resources``
    is empty."""
    facts = publication(document)
    content = _content(facts)
    access = facts_accessibility(facts)
    modified = options.timestamp(facts.modified)
    return Rendered(data=package(facts, content, access, modified), resources=_store_files(document, facts))


def _store_files(document: Article | Book, facts: Publication) -> dict[str, bytes]:
    """Beside a book's EPUB, the 1600×2560 cover a store's upload asks for
    (``<book id>-cover.png``). An article's e-book is not a store product: none."""
    if not isinstance(document, Book):
        return {}
    cover = marketing_cover(
        facts.cover, title=facts.title, subtitle=facts.subtitle, topic=facts.topic, publisher=facts.publisher, lang=facts.lang
    )
    return {f"{document.id}-cover.png": cover}
