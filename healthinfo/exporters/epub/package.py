"""EPUB 3: the package — the OPF package document, the NCX and the zip (the Open
Container Format) around the content documents.

References: EPUB 3.3 (https://www.w3.org/TR/epub-33/), section 4 (Open Container
Format: the ``mimetype`` entry first and stored) and 5 (the package document), EPUB
Accessibility 1.1 section 2 and 4 for the accessibility metadata
(https://www.w3.org/TR/epub-a11y-11/). docs/exporters/epub.md has the metadata
mapping and the rules of determinism.

ebooklib assembles the package: the OPF metadata, manifest and spine, and the NCX for
EPUB 2 reading systems. Content documents are handed over as finished bytes
(ebooklib's EpubHtml would parse them again as HTML and rebuild them). ebooklib's own
``write()`` stamps zip entries with the current time, so ebooklib writes its entries
into a dict here (_EntryWriter) and the zip is written once from it by the one zip
writer (exporters/_zip.py): ``mimetype`` first and stored, the other entries in a
fixed order, every entry with the same timestamp and permissions.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from ...schema import Image
from .._base import ExportError
from .._i18n import direction
from .._zip import write_zip
from .accessibility import Accessibility
from .publication import ROLE_AUTHOR, Publication

__all__ = [
    "CONTENT_DIR",
    "CSS_FILE",
    "MEDIA_TYPE",
    "STYLESHEET",
    "XML_PARSER",
    "Content",
    "ContentDocument",
    "package",
]

MEDIA_TYPE = "application/epub+zip"
STYLESHEET = Path(__file__).resolve().parent / "static" / "epub.css"

#: The folder of the package documents inside the zip (ebooklib's default).
CONTENT_DIR = "EPUB"
CSS_FILE = "css/epub.css"

_OPF_NS = "{http://www.idpf.org/2007/opf}"

#: The parser of every XML document of the package: no entities, no network, no DTD.
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


@dataclass
class ContentDocument:
    """A content document: file name (inside EPUB/), manifest id, page title, bytes,
    and its manifest properties (``nav``)."""

    file: str
    uid: str
    title: str
    data: bytes
    properties: tuple[str, ...] = ()


@dataclass
class Content:
    """What the package holds besides its own documents: the content documents in
    spine order, the navigation (for the NCX), the images, and the cover image with
    its file."""

    docs: list[ContentDocument]
    toc: list[dict[str, Any]]
    landmarks: list[dict[str, str]]
    images: dict[str, Image]
    #: the cover image (the book's, fitted to the stores' limits, or a generated one)
    cover: Image | None
    cover_file: str | None
    #: the cover page's title
    cover_title: str = "Cover"


class _Document(epub.EpubHtml):  # type: ignore[misc]
    """A content document written by this package, stored as it is."""

    def __init__(self, doc: ContentDocument) -> None:
        super().__init__(uid=doc.uid, file_name=doc.file, media_type="application/xhtml+xml", title=doc.title)
        self.content = doc.data
        self.properties = list(doc.properties)

    def get_content(self, default: Any = None) -> bytes:
        return self.content


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


def _refine(book: epub.EpubBook, uid: str, prop: str, value: str, scheme: str | None = None) -> None:
    attributes = {"refines": f"#{uid}", "property": prop}
    if scheme:
        attributes["scheme"] = scheme
    book.add_metadata(None, "meta", value, attributes)


def _titles(book: epub.EpubBook, publication: Publication) -> None:
    """The main title and the subtitle (EPUB 3.3, 5.5.3.2 and the ``title-type``
    property, D.3): reading systems show "Title: Subtitle" (calibre does)."""
    # ebooklib's NCX takes its docTitle from book.title (set_title would add a second
    # dc:title without an id).
    book.title = publication.full_title
    book.add_metadata("DC", "title", publication.title, {"id": "title"})
    _refine(book, "title", "title-type", "main")
    if publication.subtitle:
        book.add_metadata("DC", "title", publication.subtitle, {"id": "subtitle"})
        _refine(book, "subtitle", "title-type", "subtitle")


def _people(book: epub.EpubBook, publication: Publication) -> None:
    """dc:creator for the authors and dc:contributor for the others, each with its
    MARC relator role (EPUB 3.3, 5.5.3.2.x and the ``role`` property); an
    organisation as author is filed under its own name."""
    counts = {"creator": 0, "contributor": 0}
    for person in publication.contributors:
        element = "creator" if person.role == ROLE_AUTHOR else "contributor"
        counts[element] += 1
        uid = f"{element}-{counts[element]}"
        book.add_metadata("DC", element, person.name, {"id": uid})
        _refine(book, uid, "role", person.role, "marc:relators")
        if person.corporate:
            _refine(book, uid, "file-as", person.name)


def _series(book: epub.EpubBook, publication: Publication) -> None:
    """A book's series (EPUB 3.3 ``belongs-to-collection``, D.3)."""
    if publication.series is None:
        return
    book.add_metadata(None, "meta", publication.series.title, {"property": "belongs-to-collection", "id": "series"})
    _refine(book, "series", "collection-type", "series")
    if publication.series.position is not None:
        _refine(book, "series", "group-position", str(publication.series.position))


def _metadata(book: epub.EpubBook, publication: Publication) -> None:
    """The Dublin Core metadata (EPUB 3.3, 5.5.3), the series and the license."""
    # ebooklib names itself and its version as generator; say what made the e-book.
    book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)
    book.add_metadata("OPF", "generator", "", {"name": "generator", "content": "healthinfo"})
    book.set_identifier(publication.identifier)
    _titles(book, publication)
    for lang in publication.languages:
        book.set_language(lang)
    book.language = publication.lang
    if direction(publication.lang) == "rtl":
        book.set_direction("rtl")
    _people(book, publication)
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
    if publication.edition:  # the country of a regional edition (docs/editions.md)
        book.add_metadata("DC", "coverage", publication.edition)
    _series(book, publication)
    _translations(book, publication)
    if publication.license:
        _meta(book, "dcterms:license", publication.license)


def _translations(book: epub.EpubBook, publication: Publication) -> None:
    """The article's other language versions: each a dc:relation, and as schema.org
    says what they are (a reserved prefix of EPUB 3.3, D.3): the original as
    ``schema:translationOfWork``, a translation as ``schema:workTranslation``."""
    for _lang, address, original in publication.translations:
        book.add_metadata("DC", "relation", address)
        _meta(book, "schema:translationOfWork" if original else "schema:workTranslation", address)


def _accessibility_metadata(book: epub.EpubBook, access: Accessibility) -> None:
    """EPUB Accessibility 1.1, section 2 (discovery metadata) and 4 (conformance). A
    certifier only when the publisher's settings name one (its report is a link,
    added by _finish_opf)."""
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
    certification = access.certification
    if certification is not None:
        book.add_metadata(None, "meta", certification.certified_by, {"property": "a11y:certifiedBy", "id": "certifier"})
        if certification.credential:
            _refine(book, "certifier", "a11y:certifierCredential", certification.credential)


def _manifest(book: epub.EpubBook, publication: Publication, content: Content) -> None:
    """The manifest (cover, stylesheet, images, content documents, NCX), the spine and
    the NCX's table of contents."""
    if content.cover is not None and content.cover_file is not None:
        # The cover-image item and the EPUB 2 <meta name="cover"> that calibre and
        # older reading systems look for; the cover page is cover.xhtml, named as the
        # cover in the EPUB 2 guide (calibre then shows one cover, not two).
        book.set_cover(content.cover_file, content.cover.data, create_page=False)
        book.guide = [{"type": "cover", "href": "cover.xhtml", "title": content.cover_title}]
    book.add_item(epub.EpubItem(uid="css", file_name=CSS_FILE, media_type="text/css", content=_stylesheet()))
    for n, (name, image) in enumerate(content.images.items(), start=1):
        book.add_item(epub.EpubImage(uid=f"image-{n}", file_name=name, media_type=image.media_type, content=image.data))
    items = [_Document(doc) for doc in content.docs]
    for item in items:
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx(content.toc, [0])
    book.spine = items


def package(publication: Publication, content: Content, access: Accessibility, modified: dt.datetime) -> bytes:
    """The EPUB file: the package document and the NCX around ``content``, zipped."""
    book = epub.EpubBook()
    _metadata(book, publication)
    _accessibility_metadata(book, access)
    _manifest(book, publication, content)
    # ebooklib writes the container, the package document, the NCX and the items;
    # _Entries keeps them, and _zip writes the zip once, reproducibly.
    writer = _EntryWriter(
        book,
        {
            "mtime": modified,
            # The landmarks are written in nav.xhtml; the EPUB 2 guide names the cover.
            "epub2_guide": True,
            "epub3_landmark": False,
            "epub3_pages": False,
            "play_order": {"enabled": True, "start_from": 1},
            "raise_exceptions": True,
        },
    )
    entries = writer.entries()
    opf = f"{CONTENT_DIR}/content.opf"
    if opf in entries:
        entries[opf] = _finish_opf(entries[opf], publication.lang, access)
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


def _finish_opf(data: bytes, lang: str, access: Accessibility) -> bytes:
    """What ebooklib does not write into the package document: the language of the
    package's own text (xml:lang on <package>, EPUB 3.3 5.4.1; Ace's epub-lang), and
    the link to a certifier's report (EPUB Accessibility 1.1, 2.1.3)."""
    root = etree.fromstring(data, XML_PARSER)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    report = access.certification.report if access.certification else None
    metadata = root.find(f"{_OPF_NS}metadata")
    if report and metadata is not None:
        etree.SubElement(metadata, f"{_OPF_NS}link", {"rel": "a11y:certifierReport", "refines": "#certifier", "href": report})
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
