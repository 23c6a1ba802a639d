"""Reading an EPUB 3 back (the zip, its package document and the XHTML of its spine;
not the writer): its outline and its reading (healthinfo.checks.reading) for the
consistency check, and its text. EPUB 3.3 (https://www.w3.org/TR/epub-33/): the
container names the package document, whose spine orders the content documents and
whose metadata (Dublin Core, section 5.5.3) describes the publication.

The content documents of the spine are read in order (not the cover, title page or
navigation document), as the HTML exporter's markup they reuse. Paths that leave the
package are refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import replace

from lxml import etree

from ...checks.outline import SAFE_XML, zip_member
from ...checks.reading import Reading, agree, normalise
from ..html.outline import article_readings

__all__ = ["content_documents", "read_readings", "read_text"]

_OPF = "{http://www.idpf.org/2007/opf}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
_DC = "{http://purl.org/dc/elements/1.1/}"


def _safe(path: str) -> bool:
    return not path.startswith("/") and ".." not in path.split("/")


def _package_document(data: bytes) -> tuple[etree._Element, str]:
    """The parsed package document (the OPF) and the folder its paths start from."""
    container = etree.fromstring(zip_member(data, "META-INF/container.xml"), SAFE_XML)
    rootfile = next((e for e in container.iter() if etree.QName(e).localname == "rootfile"), None)
    if rootfile is None:
        raise ValueError("the EPUB's container names no package document")
    opf_path = rootfile.get("full-path", "")
    if not _safe(opf_path):
        raise ValueError("the EPUB's package document path leaves the package")
    opf = etree.fromstring(zip_member(data, opf_path), SAFE_XML)
    return opf, opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""


def _holds_every_item(data: bytes, base: str, items: Iterable[etree._Element]) -> None:
    """Every file the package document lists (chapters, images, the style sheet) must
    be in the zip: a missing image is damage, not a detail."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    for item in items:
        href = item.get("href", "")
        if _safe(href) and "://" not in href and base + href not in names:
            raise ValueError(f"the EPUB lists {base + href}, which it does not hold")


def content_documents(
    data: bytes, *, text_only: bool = True, package: tuple[etree._Element, str] | None = None
) -> list[etree._Element]:
    """The parsed XHTML documents of the spine, in reading order; ``text_only``:
    without the cover, the title page and the navigation document. ``package``: the
    package document, when already read (:func:`_package_document`)."""
    opf, base = package or _package_document(data)
    items = {i.get("id"): i for i in opf.iter(f"{_OPF}item")}
    _holds_every_item(data, base, items.values())
    documents = []
    for itemref in opf.iter(f"{_OPF}itemref"):
        item = items.get(itemref.get("idref"))
        if item is None:
            continue
        if text_only and ("nav" in (item.get("properties") or "").split() or item.get("id") in ("cover", "titlepage")):
            continue
        href = item.get("href", "")
        if not _safe(href) or item.get("media-type") != "application/xhtml+xml":
            continue
        documents.append(etree.fromstring(zip_member(data, base + href), SAFE_XML))
    return documents


def read_text(data: bytes) -> str:
    """The body text of every content document of the spine, in reading order."""
    parts = []
    for root in content_documents(data, text_only=False):
        body = root.find(f"{_XHTML}body")
        parts.append("".join(str(text) for text in (body if body is not None else root).itertext()))
    return "\n".join(parts)


def _opf_metadata(opf: etree._Element) -> dict[str, str]:
    """An article's metadata as its e-book's package document gives it: the title
    and topic (:func:`_article_titles`), dc:language, dc:publisher, dc:date (the
    article's update), dc:rights, the dcterms:license meta and dc:coverage (the country
    of a regional edition)."""
    metadata = next(opf.iter(f"{_OPF}metadata"), None)
    if metadata is None:
        raise ValueError("the EPUB's package document has no metadata")

    def first(tag: str) -> str:
        element = next(metadata.iter(tag), None)
        return normalise(element.text or "") if element is not None else ""

    licence = next((m for m in metadata.iter(f"{_OPF}meta") if m.get("property") == "dcterms:license"), None)
    title, topic = _article_titles(metadata)
    return {
        "title": title,
        "topic": topic,
        "lang": first(f"{_DC}language"),
        "publisher": first(f"{_DC}publisher"),
        "updated": first(f"{_DC}date"),
        "rights": first(f"{_DC}rights"),
        "license": normalise(licence.text or "") if licence is not None else "",
        "edition": first(f"{_DC}coverage"),
    }


def _article_titles(metadata: etree._Element) -> tuple[str, str]:
    """The article's title and topic as its e-book's package document gives them: an
    article with a topic is titled by it, with its own title as the subtitle
    ("Metastatic breast cancer" / "Treatment options and supportive care"); without
    a topic, the main title is the article's (EPUB 3.3 ``title-type``)."""
    types = {
        m.get("refines", "")[1:]: normalise(m.text or "")
        for m in metadata.iter(f"{_OPF}meta")
        if m.get("property") == "title-type"
    }
    titles = {t.get("id") or "": normalise(t.text or "") for t in metadata.iter(f"{_DC}title")}
    main = next((text for uid, text in titles.items() if types.get(uid) == "main"), next(iter(titles.values()), ""))
    subtitle = next((text for uid, text in titles.items() if types.get(uid) == "subtitle"), None)
    return (subtitle, main) if subtitle is not None else (main, "")


#: The metadata a chapter's head shows as the package document stores it (the
#: publisher line adds the short name).
_SHOWN_AS_STORED = ("title", "topic", "lang", "updated")


def _classes(root: etree._Element) -> set[str]:
    return {c for e in root.iter() if isinstance(e.tag, str) for c in (e.get("class") or "").split()}


def read_readings(data: bytes) -> tuple[Reading, ...]:
    """One Reading per article: one for an article's e-book, one per article (in spine
    order) for a book's.

    The chapters are the HTML exporter's article markup (read by
    :func:`~healthinfo.exporters.html.outline.article_readings`), with the glossary,
    the sources and the reusable back blocks as back matter documents of the spine. An
    article's e-book describes the article in its package document, which gives its
    metadata (the next planned update from the chapter); a book's describes the book,
    so its chapters give what their heads show (title, topic, language, publisher,
    dates). An e-book carries no region of an article."""
    package = _package_document(data)
    chapters: list[etree._Element] = []
    glossary: etree._Element | None = None
    references: list[etree._Element] = []
    back: etree._Element | None = None
    for document in content_documents(data, package=package):
        body = next(document.iter(f"{_XHTML}body"), None)
        if body is None:
            raise ValueError("a content document of the EPUB has no body")
        classes = _classes(body)
        if "article" in classes:
            chapters.append(document)
        elif "glossary" in classes:
            glossary = next(e for e in body.iter() if "glossary" in (e.get("class") or "").split())
        elif "references" in classes:
            references += [e for e in body.iter() if "references" in (e.get("class") or "").split()]
        elif "reusable-block" in classes:
            back = body
    count = sum(1 for chapter in chapters for _ in chapter.iter(f"{_XHTML}article"))
    readings = article_readings(chapters, glossary=glossary, references=references, back=back, single=count == 1)
    if not readings:
        raise ValueError("the EPUB has no chapter")
    # An article's e-book keeps the ids of the article's page (its heading is "title");
    # a book's chapters have the article's id before theirs.
    if count == 1 and any(e.get("id") == "title" for e in chapters[0].iter(f"{_XHTML}h1")):
        (reading,) = readings
        described = _opf_metadata(package[0])
        shown = reading.metadata  # what the chapter's head shows and the package says must agree
        both = {key: agree(shown[key], value) if key in _SHOWN_AS_STORED else value for key, value in described.items()}
        return (replace(reading, metadata={**shown, **both}),)
    return tuple(readings)
