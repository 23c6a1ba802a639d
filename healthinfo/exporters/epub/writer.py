"""EPUB 3: an article (a one-chapter e-book) or a book (one chapter per article, in
order) as a reflowable EPUB 3.3 publication.

References: EPUB 3.3 (https://www.w3.org/TR/epub-33/), the EPUB Structural Semantics
Vocabulary 1.1 (https://www.w3.org/TR/epub-ssv-11/) with the matching DPUB-ARIA 1.1
roles (https://www.w3.org/TR/dpub-aria-1.1/), EPUB Accessibility 1.1
(https://www.w3.org/TR/epub-a11y-11/) and its techniques
(https://www.w3.org/TR/epub-a11y-tech-11/), the schema.org accessibility properties
(https://www.w3.org/2021/a11y-discov-vocab/latest/) and WCAG 2.2. The judges are
EPUBCheck 5 and DAISY Ace (tests/test_epub.py). docs/exporters/epub.md describes the
e-book's structure, the metadata mapping and the accessibility claims.

How it is built (Sphinx's EPUB builder is its HTML builder plus packaging; so is this):

- Blocks and inlines are rendered by the HTML exporter's writer (html_writer._Writer, its
  ``visit_<node>`` methods and the nodes.j2 / parts.j2 macros) with the templates' EPUB
  switch on: XHTML syntax, epub:type semantics with their ARIA roles. This module only
  says where things go: the chapter files, the glossary and sources as back matter, and
  the images as files of the package (_EpubWriter overrides two hooks).
- templates/epub/ arrange the content documents (cover, title page, navigation
  document, chapters, glossary, sources, reusable back blocks); every document is
  parsed as XML before it is packed, so a malformed one fails here, not in a reader.
- ebooklib assembles the package: the OPF metadata, manifest and spine, and the NCX
  for EPUB 2 reading systems. Content documents are handed over as finished bytes
  (ebooklib's EpubHtml would parse them again as HTML and rebuild them).
- Deterministic: no clock, no random identifier. ebooklib's own ``write()`` stamps zip
  entries with the current time, so ebooklib writes its entries into a list here
  (_EntryWriter) and the zip is written once from it: ``mimetype`` first and stored,
  the other entries in a fixed order, every entry with the same timestamp
  (``options.source_date_epoch`` or the content's newest date) and permissions; the
  images stored (they are compressed already), everything else deflated.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from ...schema import Article, Book, Figure, Image, Include, Publisher, walk
from .._base import ExportError, ExportOptions, Rendered
from .._dates import format_date
from .._i18n import direction, words
from .._zip import write_zip
from ..html import writer as html_writer

__all__ = [
    "ACCEPTS_BOOKS",
    "EXTENSION",
    "MEDIA_TYPE",
    "NAME",
    "Accessibility",
    "Options",
    "accessibility",
    "identifier",
    "render",
]

NAME = "epub"
EXTENSION = ".epub"
MEDIA_TYPE = "application/epub+zip"
#: A book is one e-book with a chapter per article.
ACCEPTS_BOOKS = True

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STYLESHEET = PACKAGE_DIR / "static" / "epub.css"

#: The conformance the e-books claim (EPUB Accessibility 1.1, section 4.1); the
#: tests prove it with EPUBCheck and DAISY Ace.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"

#: Namespace of the stable identifier of an article e-book (uuid5, RFC 9562 5.5).
ARTICLE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:healthinfo:article")

#: The folder of the package documents inside the zip (ebooklib's default).
CONTENT_DIR = "EPUB"
CSS_FILE = "css/epub.css"

class Options(ExportOptions):
    """Options of the EPUB exporter: the shared ones (``source_date_epoch`` sets
    dcterms:modified and the zip entries' timestamps)."""


def _labels(lang: str) -> dict[str, str]:
    return dict(words(lang))


# ---------------------------------------------------------------------------
# What the e-book is made of


@dataclass(frozen=True)
class _Publication:
    """The package-level facts of an article or a book, in one shape."""

    identifier: str
    title: str
    subtitle: str | None
    description: str | None
    lang: str
    languages: list[str]
    publisher: Publisher
    date: dt.date
    modified: dt.date
    rights: str | None
    license: str | None
    subjects: list[str]
    creators: list[str]
    source: str | None
    cover: Image | None
    topic: str | None
    articles: list[Article]
    #: an article's e-book (not a book of one article)
    single: bool = False


def identifier(document: Article | Book) -> str:
    """The e-book's dc:identifier: a book's own identifier, or for an article a
    urn:uuid made from its publisher and id (uuid5), so that every export of the same
    article is the same publication."""
    if isinstance(document, Book):
        return document.identifier
    return f"urn:uuid:{uuid.uuid5(ARTICLE_NAMESPACE, f'{document.publisher.id}/{document.id}')}"


def _unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _publication(document: Article | Book) -> _Publication:
    if isinstance(document, Article):
        return _Publication(
            identifier=identifier(document),
            title=document.title,
            subtitle=None,
            description=document.description,
            lang=document.lang,
            languages=[document.lang],
            publisher=document.publisher,
            date=document.updated,
            modified=document.updated,
            rights=document.rights,
            license=document.license,
            subjects=_unique([document.topic or ""]),
            creators=_unique([p.name for p in document.authors]),
            source=document.url,
            cover=None,
            topic=document.topic,
            articles=[document],
            single=True,
        )
    if isinstance(document, Book):
        newest = max(a.updated for a in document.articles)
        return _Publication(
            identifier=document.identifier,
            title=document.title,
            subtitle=document.subtitle,
            description=document.description,
            lang=document.lang,
            languages=_unique([document.lang, *(a.lang for a in document.articles)]),
            publisher=document.publisher,
            date=document.effective_date,
            modified=max(newest, document.date) if document.date else newest,
            rights=document.rights,
            license=document.license,
            subjects=_unique([a.topic or "" for a in document.articles]),
            creators=_unique([p.name for a in document.articles for p in a.authors]),
            source=None,
            cover=document.cover,
            topic=None,
            articles=list(document.articles),
        )
    raise ExportError(f"the EPUB exporter takes an Article or a Book, not a {type(document).__name__}")


# ---------------------------------------------------------------------------
# Accessibility metadata, derived from the content


@dataclass(frozen=True)
class Accessibility:
    """The EPUB Accessibility 1.1 metadata of an e-book (section 2 of the spec; the
    values are those of the schema.org accessibility vocabulary)."""

    access_modes: tuple[str, ...]
    #: each a comma-separated set of access modes that is enough to read everything
    access_mode_sufficient: tuple[str, ...]
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str
    certified_by: str


def accessibility(document: Article | Book) -> Accessibility:
    """What the e-book of ``document`` can claim, from what it contains: ``visual``
    and ``alternativeText`` only when it has figures (and all of them have alt text);
    ``textual`` alone suffices when every figure has alt text. The cover image is not
    content (EPUB Accessibility Techniques 1.1, section 2.1) and claims nothing."""
    publication = _publication(document)
    figures = [node for node in walk(publication.articles) if isinstance(node, Figure)]
    with_alt = all(f.alt.strip() for f in figures)
    modes = ("textual", "visual") if figures else ("textual",)
    if not figures:
        sufficient: tuple[str, ...] = ("textual",)
    elif with_alt:
        sufficient = ("textual", "textual,visual")
    else:
        sufficient = ("textual,visual",)
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if figures and with_alt:
        features.append("alternativeText")
    w = words(publication.lang)
    extras = ""
    if any(a.glossary for a in publication.articles):
        extras += w["a11y_glossary"]
    if any(a.references for a in publication.articles):
        extras += w["a11y_sources"]
    images = ""
    if figures and with_alt:
        images = w["a11y_image"] if len(figures) == 1 else w["a11y_images"].format(n=len(figures))
    elif figures:
        images = w["a11y_images_no_alt"].format(n=len(figures))
    summary = w["a11y_summary"].format(conformance=CONFORMS_TO, extras=extras, images=images)
    return Accessibility(
        access_modes=modes,
        access_mode_sufficient=sufficient,
        features=tuple(features),
        hazards=("none",),
        summary=summary,
        conforms_to=CONFORMS_TO,
        certified_by=publication.publisher.name,
    )


# ---------------------------------------------------------------------------
# The writer: the HTML writer, with links between files and images as files


def image_file(image: Image) -> str:
    """The image's file in the package, named by its content: the same image used
    twice is stored once, two different images never share a name, and no path of
    the model reaches the zip."""
    extension = "png" if image.media_type == "image/png" else "jpg"
    return f"images/{hashlib.sha256(image.data).hexdigest()[:16]}.{extension}"


class _EpubWriter(html_writer._Writer):
    """The HTML exporter's writer, for content documents in several files: links go to
    the file of their target (``files``), figures point at image files of the package."""

    def __init__(self, templates: html_writer._Templates, lang: str) -> None:
        super().__init__(templates, lang)
        #: package file name -> image, in the order of first use.
        self.images: dict[str, Image] = {}

    def image_src(self, image: Image) -> str:
        name = image_file(image)
        self.images.setdefault(name, image)
        return name

    def back(self, includes: Sequence[Include], ctx: Any, level: int) -> Markup:
        # A book's reusable back blocks go to their own file (more.xhtml), so the
        # glossary's links back to terms used in them must point there.
        chapter = self.files.get("text", "")
        self.files["text"] = self.files.get("back", chapter)
        try:
            return super().back(includes, ctx, level)
        finally:
            self.files["text"] = chapter


# ---------------------------------------------------------------------------
# Content documents


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@dataclass
class _Doc:
    """A content document: file name (inside EPUB/), manifest id, page title, bytes."""

    file: str
    uid: str
    title: str
    data: bytes
    properties: tuple[str, ...] = ()


def _document(t: html_writer._Templates, template: str, file: str, uid: str, title: str, lang: str, matter: str, **context: Any) -> _Doc:
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
        etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError as error:  # a bug of the templates, never of the content
        raise ExportError(f"the EPUB content document {file} is not well-formed XML: {error}") from None
    return _Doc(file=file, uid=uid, title=title, data=data)


def _toc_titles(entries: list[dict[str, Any]], fallback: str) -> list[dict[str, Any]]:
    """Every entry of the table of contents with a text: a heading made only of a
    citation has no words, and EPUB nav links must have some (EPUB 3.3, 7.3)."""
    out = []
    for n, entry in enumerate(entries, start=1):
        title = entry["title"] or f"{fallback} {n}"
        out.append({**entry, "title": title, "children": _toc_titles(entry["children"], title)})
    return out


def _title_view(publication: _Publication) -> dict[str, Any]:
    publisher = publication.publisher
    return {
        "title": publication.title,
        "subtitle": publication.subtitle,
        "description": publication.description,
        "publisher": {
            "name": publisher.name,
            "short_name": publisher.short_name,
            "url": html_writer.href(publisher.url) if publisher.url else None,
            "address": publisher.address,
        },
        "date": publication.date,
        "date_text": format_date(publication.date, publication.lang),
        "identifier": publication.identifier,
        "rights": publication.rights,
        "license": publication.license,
        "license_href": html_writer.href(publication.license) if publication.license else None,
    }


@dataclass
class _Content:
    docs: list[_Doc]
    toc: list[dict[str, Any]]
    landmarks: list[dict[str, str]]
    images: dict[str, Image]
    cover_file: str | None


def _content(publication: _Publication) -> _Content:
    t = html_writer._templates(None, epub=True, before=(str(TEMPLATE_DIR),))
    lang = publication.lang
    words = _labels(lang)
    writer = _EpubWriter(t, lang)
    writer.files = {"glossary": "glossary.xhtml", "references": "sources.xhtml", "back": "more.xhtml"}

    # The reusable back blocks, once each (as the HTML book shows them): one titled
    # block heads its own page; otherwise the page has a heading and they sit below.
    backs: list[Include] = []
    for article in publication.articles:
        backs += [b for b in article.back if b not in backs]
    single_back = len(backs) == 1 and bool(backs[0].title)
    back_level = 1 if single_back else 2

    toc: list[dict[str, Any]] = []
    source_groups: list[dict[str, Any]] = []
    chapters: list[_Doc] = []
    for number, article in enumerate(publication.articles, start=1):
        file = f"chapter-{number}.xhtml"
        writer.files["text"] = file
        # An article's e-book keeps the ids of the article's web page (sec-…, ref-1);
        # a book's chapters have the ids of the HTML book (<article id>--sec-…).
        view = writer.article_view(
            article, level=1, standalone=False, back_level=back_level, prefix="" if publication.single else None
        )
        if view["references"]:
            # The lists of sources are landmarks named by their heading, which must
            # differ (Ace: landmark-unique): a title used twice gets its number.
            title = " ".join(article.title.split())
            repeats = sum(1 for g in source_groups if g["name"] == title.casefold())
            source_groups.append(
                {
                    "id": view["references_id"],
                    "name": title.casefold(),
                    "title": f"{title} ({repeats + 1})" if repeats else title,
                    "refs": view["references"],
                }
            )
        # The sources are back matter; the chapter is the article's text.
        view = {**view, "references": []}
        chapters.append(
            _document(
                t,
                "chapter.j2",
                file,
                f"chapter-{number}",
                article.title,
                article.lang,
                "bodymatter",
                a=view,
                site=None,
                page_lang=article.lang,
                page_dir=direction(article.lang),
            )
        )
        toc.append({"href": file, "title": " ".join(article.title.split()), "children": writer.toc(article)})

    back_matter: list[_Doc] = []
    landmarks: list[dict[str, str]] = []
    if writer.glossary_order:
        back_matter.append(
            _document(
                t,
                "glossary.j2",
                "glossary.xhtml",
                "glossary",
                words["glossary"],
                lang,
                "backmatter",
                entries=writer.glossary_view(writer.glossary_order),
                labels=words,
            )
        )
        toc.append({"href": "glossary.xhtml", "title": words["glossary"], "children": []})
        landmarks.append({"type": "glossary", "href": "glossary.xhtml", "title": words["glossary"]})
    if source_groups:
        back_matter.append(
            _document(
                t,
                "sources.j2",
                "sources.xhtml",
                "sources",
                words["references"],
                lang,
                "backmatter",
                groups=source_groups,
                labels=words,
            )
        )
        children = (
            [{"href": f"sources.xhtml#{g['id']}", "title": g["title"], "children": []} for g in source_groups]
            if len(source_groups) > 1
            else []
        )
        toc.append({"href": "sources.xhtml", "title": words["references"], "children": children})
        landmarks.append({"type": "bibliography", "href": "sources.xhtml", "title": words["references"]})
    back_html = Markup("").join(writer.back_parts)
    if backs:
        title = backs[0].title if single_back and backs[0].title else words["more"]
        back_matter.append(
            _document(
                t,
                "more.j2",
                "more.xhtml",
                "more",
                title,
                lang,
                "backmatter",
                heading=None if single_back else words["more"],
                back=back_html,
            )
        )
        toc.append({"href": "more.xhtml", "title": " ".join(title.split()), "children": []})

    # Front matter: the cover and the title page.
    cover_file = image_file(publication.cover) if publication.cover else None
    cover_image = (
        {
            "src": cover_file,
            "alt": f"{words['cover']}: {publication.title}",
            "width": publication.cover.width,
            "height": publication.cover.height,
        }
        if publication.cover and cover_file
        else None
    )
    cover = _document(
        t,
        "cover.j2",
        "cover.xhtml",
        "cover",
        f"{words['cover']}: {publication.title}",
        lang,
        "cover",
        image=cover_image,
        topic=publication.topic,
        heading=publication.title,
        subtitle=publication.subtitle,
        publisher=publication.publisher.name,
    )
    title_page = _document(
        t,
        "titlepage.j2",
        "titlepage.xhtml",
        "titlepage",
        publication.title,
        lang,
        "frontmatter",
        book=_title_view(publication),
        labels=words,
    )
    landmarks = [
        {"type": "cover", "href": "cover.xhtml", "title": words["cover"]},
        {"type": "titlepage", "href": "titlepage.xhtml", "title": words["title_page"]},
        {"type": "toc", "href": "nav.xhtml#toc", "title": words["contents"]},
        {"type": "bodymatter", "href": chapters[0].file, "title": words["start"]},
        *landmarks,
    ]
    toc = _toc_titles(toc, words["contents"])
    nav = _document(
        t,
        "nav.j2",
        "nav.xhtml",
        "nav",
        words["contents"],
        lang,
        "frontmatter",
        toc=toc,
        landmarks=landmarks,
        labels=words,
    )
    nav.properties = ("nav",)
    docs = [cover, title_page, nav, *chapters, *back_matter]
    images = dict(writer.images)
    if publication.cover and cover_file:
        images.pop(cover_file, None)
    return _Content(docs=docs, toc=toc, landmarks=landmarks, images=images, cover_file=cover_file)


# ---------------------------------------------------------------------------
# The package (ebooklib)


class _Document(epub.EpubHtml):  # type: ignore[misc]
    """A content document written by this module, stored as it is."""

    def __init__(self, doc: _Doc) -> None:
        super().__init__(uid=doc.uid, file_name=doc.file, media_type="application/xhtml+xml", title=doc.title)
        self.content = doc.data
        self.properties = list(doc.properties)

    def get_content(self, default: Any = None) -> bytes:
        return self.content  # type: ignore[no-any-return]


def _ncx(entries: list[dict[str, Any]], counter: list[int]) -> list[Any]:
    """ebooklib's table of contents (for the NCX) from the nav entries."""
    out: list[Any] = []
    for entry in entries:
        counter[0] += 1
        link = epub.Link(entry["href"], entry["title"], f"navpoint-{counter[0]}")
        children = _ncx(entry["children"], counter)
        out.append((link, children) if children else link)
    return out


def _meta(book: epub.EpubBook, prop: str, value: str) -> None:
    book.add_metadata(None, "meta", value, {"property": prop})


def _package(publication: _Publication, content: _Content, access: Accessibility, modified: dt.datetime) -> bytes:
    book = epub.EpubBook()
    # ebooklib names itself and its version as generator; say what made the e-book.
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)
    book.add_metadata("OPF", "generator", "", {"name": "generator", "content": "healthinfo"})
    book.set_identifier(publication.identifier)
    book.set_title(publication.title)
    for lang in publication.languages:
        book.set_language(lang)
    book.language = publication.lang
    if direction(publication.lang) == "rtl":
        book.set_direction("rtl")
    for n, name in enumerate(publication.creators, start=1):
        book.add_author(name, uid=f"creator-{n}")
    book.add_metadata("DC", "publisher", publication.publisher.name)
    book.add_metadata("DC", "date", publication.date.isoformat())
    if publication.description:
        book.add_metadata("DC", "description", publication.description)
    for subject in publication.subjects:
        book.add_metadata("DC", "subject", subject)
    if publication.rights:
        book.add_metadata("DC", "rights", publication.rights)
    if publication.source:
        book.add_metadata("DC", "source", publication.source)
    if publication.license:
        _meta(book, "dcterms:license", publication.license)
    # EPUB Accessibility 1.1, section 2 (discovery metadata) and 4 (conformance).
    for mode in access.access_modes:
        _meta(book, "schema:accessMode", mode)
    for modes in access.access_mode_sufficient:
        _meta(book, "schema:accessModeSufficient", modes)
    for feature in access.features:
        _meta(book, "schema:accessibilityFeature", feature)
    for hazard in access.hazards:
        _meta(book, "schema:accessibilityHazard", hazard)
    _meta(book, "schema:accessibilitySummary", access.summary)
    _meta(book, "dcterms:conformsTo", access.conforms_to)
    _meta(book, "a11y:certifiedBy", access.certified_by)

    if publication.cover is not None and content.cover_file is not None:
        book.set_cover(content.cover_file, publication.cover.data, create_page=False)
    book.add_item(epub.EpubItem(uid="css", file_name=CSS_FILE, media_type="text/css", content=_stylesheet()))
    for n, (name, image) in enumerate(content.images.items(), start=1):
        book.add_item(epub.EpubImage(uid=f"image-{n}", file_name=name, media_type=image.media_type, content=image.data))
    items = [_Document(doc) for doc in content.docs]
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx(content.toc, [0])
    book.spine = items

    # ebooklib writes the container, the package document, the NCX and the items;
    # _Entries keeps them, and _zip writes the zip once, reproducibly.
    writer = _EntryWriter(
        book,
        {
            "mtime": modified,
            # The landmarks and the EPUB 2 guide are written in nav.xhtml.
            "epub2_guide": False,
            "epub3_landmark": False,
            "epub3_pages": False,
            "play_order": {"enabled": True, "start_from": 1},
            "raise_exceptions": True,
        },
    )
    entries = writer.entries()
    opf = f"{CONTENT_DIR}/content.opf"
    if opf in entries:
        entries[opf] = _finish_opf(entries[opf], publication.lang)
    return _zip(entries, modified)


@functools.cache
def _stylesheet() -> bytes:
    """The e-books' stylesheet, read once per process (it is package data)."""
    return STYLESHEET.read_bytes()


class _Entries:
    """Stands in for the zipfile.ZipFile that ebooklib writes to: keeps each entry's
    name and bytes, in the order written, so that the zip is written once (by _zip)
    instead of being written by ebooklib and then rewritten for reproducibility."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def writestr(
        self, name: str, data: str | bytes, compress_type: int | None = None, compresslevel: int | None = None
    ) -> None:
        if name in self.entries:  # a zip may hold a name twice; an EPUB must not
            raise ExportError(f"ebooklib wrote {name} twice")
        # As zipfile.ZipFile.writestr does: text is stored as UTF-8.
        self.entries[name] = data.encode("utf-8") if isinstance(data, str) else data


class _EntryWriter(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's EpubWriter, writing its entries to an _Entries instead of a zip.

    ebooklib's ``write()`` opens the zip itself and stamps entries with the current
    time; ``entries()`` runs the steps ``write()`` runs, in its order (the mimetype,
    then _STEPS), on an _Entries. The steps are ebooklib's private methods, so a
    version of ebooklib without them is refused with a clear error."""

    _STEPS = ("_write_container", "_write_opf", "_write_items")

    def __init__(self, book: epub.EpubBook, options: dict[str, Any]) -> None:
        # No file name: nothing is written to a file.
        super().__init__(None, book, options)

    def entries(self) -> dict[str, bytes]:
        missing = [step for step in self._STEPS if not callable(getattr(self, step, None))]
        if missing:
            names = ", ".join(f"EpubWriter.{step}" for step in missing)
            raise ExportError(f"this version of ebooklib has no {names}, which the EPUB exporter uses")
        self.process()
        out = _Entries()
        self.out = out  # where ebooklib's steps write
        out.writestr("mimetype", MEDIA_TYPE)
        for step in self._STEPS:
            getattr(self, step)()
        return out.entries


def _finish_opf(data: bytes, lang: str) -> bytes:
    """What ebooklib does not write into the package document: the language of the
    package's own text (xml:lang on <package>, EPUB 3.3 5.4.1; Ace's epub-lang)."""
    root = etree.fromstring(data, _XML_PARSER)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _zip(entries: dict[str, bytes], when: dt.datetime) -> bytes:
    """The zip, reproducibly (EPUB 3.3, section 4.2 Open Container Format):
    ``mimetype`` first, stored, without extra fields; then container.xml, the package
    document and the rest in ebooklib's (fixed) order; one timestamp for every entry;
    Unix permissions rw-r--r--; images stored, everything else deflated at level 9."""
    first = ["mimetype", "META-INF/container.xml", f"{CONTENT_DIR}/content.opf"]
    missing = [name for name in first if name not in entries]
    if missing:
        raise ExportError(f"ebooklib wrote no {', '.join(missing)}")
    order = [*first, *(n for n in entries if n not in first)]
    return write_zip(((name, entries[name]) for name in order), when, stored=("mimetype",), compresslevel=9)


def render(document: Article | Book, options: Options) -> Rendered:
    """``document`` as an EPUB 3 file. Everything is inside the zip, so ``resources``
    is empty."""
    publication = _publication(document)
    content = _content(publication)
    access = accessibility(document)
    modified = options.timestamp(publication.modified)
    return Rendered(data=_package(publication, content, access, modified))
