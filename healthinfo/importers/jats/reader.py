"""Read a JATS XML article (JATS 1.1 Journal Publishing, NISO Z39.96-2015, as
:mod:`healthinfo.exporters.jats` writes it) back into an
:class:`~healthinfo.schema.Article`.

The input is untrusted. The parser loads no DTD, resolves no entity, touches no
network and refuses huge trees; a document larger than :data:`MAX_BYTES`, one that
declares entities (or elements) in an internal DTD subset, or one that still holds an
entity reference is refused before anything is read. Every problem is a
:class:`JatsImportError` with a plain sentence.

The reader knows the elements the exporter writes (docs/exporters/jats.md lists
them); an element it has no mapping for is an error, never silently dropped. Inside
text, comments and processing instructions are skipped. Adjacent runs of text become
one ``Text`` node, as the loader makes them.

This module parses and puts the article together; :mod:`.front`, :mod:`.body` and
:mod:`.references` read the parts, with the vocabulary the writer uses
(:mod:`healthinfo.exporters.jats.vocab`) and never the writer itself. Headings the
writer puts in a language (the journal title, the ref-list and glossary titles) are
not content and are not read, so a document in any language reads back the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Protocol, cast

from lxml import etree
from pydantic import ValidationError

from ...exporters.jats import vocab
from ...schema import Article, Include
from ...schema._errors import model_errors
from ._errors import JatsImportError, unknown
from ._tree import elements
from .body import BodyReader, read_glossary
from .front import read_front
from .references import read_ref_list

__all__ = ["MAX_BYTES", "MAX_DEPTH", "JatsImportError", "read_jats"]

#: The largest document read: 10 MiB (the shipped article is about 40 kB).
MAX_BYTES = 10 * 1024 * 1024
#: The deepest nesting of elements read (the shipped article's is 8; libxml2 stops at
#: 256). An article nested deeper could not be exported: the HTML and EPUB writers
#: render nested content recursively and reach Python's recursion limit near 100
#: levels of inline nodes.
MAX_DEPTH = 64


def read_jats(data: bytes, resources: Mapping[str, bytes] | None = None) -> Article:
    """The article of a JATS XML document.

    ``resources`` maps the paths in ``<graphic xlink:href>`` to the image files' bytes
    (``Rendered.resources`` of the export); an article with figures cannot be read
    without them.
    """
    root = _parse(data)
    try:
        return _read_article(root, resources or {})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'article'}: {e['msg']}" for e in model_errors(error)[:5]
        )
        raise JatsImportError(f"the JATS document does not make a valid article: {problems}") from None
    except (ValueError, KeyError, OverflowError) as error:
        # A conversion the parts do not guard (a number too large for C): the same
        # plain error, never a traceback.
        raise JatsImportError(f"the JATS document cannot be read: {error}") from None


# ---------------------------------------------------------------------------
# Parsing, safely


class _Dtd(Protocol):
    def iterentities(self) -> Iterator[object]: ...
    def iterelements(self) -> Iterator[object]: ...


class _DocInfo(Protocol):
    # lxml's DocInfo as used here; lxml-stubs 0.5 lack system_url and DTD's iterators.
    system_url: str | None
    internalDTD: _Dtd | None


def _parse(data: bytes) -> etree._Element:
    if not isinstance(data, (bytes, bytearray)):
        raise JatsImportError(f"read_jats takes the document's bytes, not {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise JatsImportError(
            f"the JATS document is {len(data)} bytes; documents larger than {MAX_BYTES} bytes are refused"
        )
    # Entity declarations are refused outright (billion laughs, external entities):
    # first cheaply on the bytes, then for certain on the parsed DOCTYPE below.
    if b"<!ENTITY" in data:
        raise JatsImportError("the JATS document declares entities in its DOCTYPE; such documents are refused")
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=False,
    )
    try:
        root: etree._Element = etree.fromstring(bytes(data), parser)
    except etree.XMLSyntaxError as error:
        raise JatsImportError(f"the JATS document is not well-formed XML: {error}") from None
    _refuse_unsafe(root)
    _refuse_deep(root)
    if root.tag != "article":
        raise JatsImportError(f"the root element is <{root.tag}>, not a JATS <article>")
    return root


def _refuse_unsafe(root: etree._Element) -> None:
    """Refuse a DOCTYPE that names a URL or declares anything, and entity references."""
    docinfo = cast(_DocInfo, root.getroottree().docinfo)
    system_url = docinfo.system_url
    if system_url and ":" in system_url:
        # A DOCTYPE that names a DTD by URL (http:, file:, …) is a request to fetch
        # something; we never do, and refuse the document rather than guess.
        raise JatsImportError(
            f"the JATS document's DOCTYPE points to {system_url!r}; documents whose DOCTYPE names a URL are refused"
        )
    subset = docinfo.internalDTD
    if subset is not None and (any(True for _ in subset.iterentities()) or any(True for _ in subset.iterelements())):
        raise JatsImportError(
            "the JATS document declares entities or elements in its DOCTYPE; such documents are refused"
        )
    if any(True for _ in root.iter(etree.Entity)):
        raise JatsImportError("the JATS document uses entity references (such as &nbsp;); write the characters instead")


def _refuse_deep(root: etree._Element) -> None:
    """Refuse elements nested more than MAX_DEPTH deep (one walk of the tree)."""
    depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise JatsImportError(
                f"line {element.sourceline}: <{element.tag}> is nested {depth} elements deep; "
                f"documents nested deeper than {MAX_DEPTH} are refused"
            )


# ---------------------------------------------------------------------------
# The article


def _read_article(root: etree._Element, resources: Mapping[str, bytes]) -> Article:
    fields: dict[str, Any] = {"lang": root.get(vocab.LANG, "en")}
    front = body = back = None
    for child in elements(root):
        if child.tag == "front" and front is None:
            front = child
        elif child.tag == "body" and body is None:
            body = child
        elif child.tag == "back" and back is None:
            back = child
        else:
            raise unknown(child, root)
    if front is None:
        raise JatsImportError("the article has no <front>")
    # The front first: its custom-meta holds the image sizes the body needs.
    meta = read_front(front, fields)
    reader = BodyReader(resources, meta.image_sizes, meta.image_paths)
    if body is not None:
        fields["blocks"], fields["sections"] = _read_body(body, reader)
    if back is not None:
        _read_back(back, reader, fields)
    return Article(**fields)


def _read_body(body: etree._Element, reader: BodyReader) -> tuple[list[Any], list[Any]]:
    """The lead blocks and the sections of <body>."""
    blocks, sections = [], []
    for child in elements(body):
        if child.tag == "sec":
            sections.append(reader.read_sec(child))
        elif sections:
            raise JatsImportError(f"<{child.tag}> follows the sections of <body>; blocks come before sections")
        else:
            blocks.append(reader.block(child))
    return blocks, sections


def _read_back(back: etree._Element, reader: BodyReader, fields: dict[str, Any]) -> None:
    for child in elements(back):
        if child.tag == "ref-list":
            fields["references"] = read_ref_list(child)
        elif child.tag == "notes" and child.get("notes-type") == vocab.NOTES_REUSABLE:
            includes = []
            for box in elements(child):
                block = reader.block(box)
                if not isinstance(block, Include):
                    raise unknown(box, child)
                includes.append(block)
            fields["back"] = includes
        elif child.tag == "glossary":
            fields["glossary"] = read_glossary(child)
        else:
            raise unknown(child, back)
