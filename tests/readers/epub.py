"""Text of an EPUB export, read with zipfile and lxml's XML parser (not the exporter's
code): the body text of every content document in reading order (container.xml ->
package document -> spine).

The archive is checked before anything is read from it: member names must be
relative paths inside the archive (no absolute path, no "..", no backslash or drive
letter), each member and the whole must stay under a size bound (also after
inflating: zip bombs), so that a broken or hostile file fails here with a clear
message instead of misleading a test.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from healthinfo.exporters import Rendered

__all__ = ["Package", "UnsafeArchive", "open_zip", "package", "text"]

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
#: Inflated size / compressed size above which a member is taken for a zip bomb.
MAX_RATIO = 200

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


class UnsafeArchive(ValueError):
    """The EPUB's zip has a member name or size that a reader must not follow."""


def _check_name(name: str) -> None:
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/", 1)[0]:
        raise UnsafeArchive(f"member name {name!r} is not a relative path")
    if any(part == ".." for part in name.split("/")):
        raise UnsafeArchive(f"member name {name!r} leaves the archive")


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, after its names and sizes are checked."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeArchive(f"{len(infos)} members")
    total = 0
    for info in infos:
        _check_name(info.filename)
        if info.file_size > MAX_MEMBER_BYTES:
            raise UnsafeArchive(f"{info.filename} is {info.file_size} bytes")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise UnsafeArchive(f"{info.filename} inflates {info.file_size / info.compress_size:.0f} times")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise UnsafeArchive(f"the members hold {total} bytes")
    return archive


def xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name), _PARSER)


@dataclass
class Package:
    """The package document and what it points at."""

    archive: zipfile.ZipFile
    path: str  # of the package document inside the zip
    root: etree._Element

    def resolve(self, href: str) -> str:
        """A manifest href as a zip member name."""
        name = posixpath.normpath(posixpath.join(posixpath.dirname(self.path), href.split("#", 1)[0]))
        _check_name(name)
        return name

    def manifest(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.root.iterfind("opf:manifest/opf:item", NS)}

    def spine(self) -> list[str]:
        """The zip names of the spine's documents, in reading order."""
        items = self.manifest()
        return [self.resolve(items[ref.get("idref")].get("href")) for ref in self.root.iterfind("opf:spine/opf:itemref", NS)]

    def documents(self) -> list[tuple[str, etree._Element]]:
        return [(name, xml(self.archive, name)) for name in self.spine()]


def package(rendered: Rendered | bytes) -> Package:
    data = rendered.data if isinstance(rendered, Rendered) else rendered
    archive = open_zip(data)
    container = xml(archive, "META-INF/container.xml")
    path = container.find("c:rootfiles/c:rootfile", NS).get("full-path")
    _check_name(path)
    return Package(archive, path, xml(archive, path))


def text(rendered: Rendered) -> str:
    parts = []
    for _name, root in package(rendered).documents():
        body = root.find("x:body", NS)
        parts.append("".join((body if body is not None else root).itertext()))
    return "\n".join(parts)
