"""JATS XML (NISO Z39.96 Journal Publishing 1.1): one article per file, valid against
the official DTD, for partners who republish. docs/exporters/jats.md has the mapping;
:mod:`healthinfo.importers.jats` reads it back.

The package: :mod:`.writer` (the document and its body, one ``visit_<node>`` per node
type), :mod:`.front` (journal-meta, article-meta), :mod:`.references` (the reference
list), :mod:`.vocab` (the attribute values, id prefixes and type maps that the writer
and the importer share), :mod:`.outline` (reads the output back for the consistency
check, without the writer).
"""

from __future__ import annotations

from .._base import Exporter
from .outline import read_readings, read_text
from .vocab import PUBLIC_ID, SYSTEM_ID
from .writer import ACCEPTS_BOOKS, EXTENSION, MEDIA_TYPE, NAME, Options, render, to_tree

__all__ = ["EXPORTER", "PUBLIC_ID", "SYSTEM_ID", "Options", "render", "to_tree"]

#: One article per file: a book is exported as one file per article.
EXPORTER: Exporter[Options] = Exporter(
    name=NAME,
    extension=EXTENSION,
    media_type=MEDIA_TYPE,
    accepts_books=ACCEPTS_BOOKS,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
    summary="JATS 1.1 Journal Publishing XML (one article per file); valid against the NISO DTD",
)
