"""JATS XML (NISO Z39.96 Journal Publishing 1.1): one article per file, valid against
the official DTD, for partners who republish. docs/exporters/jats.md has the mapping;
:mod:`healthinfo.importers.jats` reads it back.
"""

from __future__ import annotations

from .._base import Exporter
from .outline import read_outline, read_text
from .writer import PUBLIC_ID, SYSTEM_ID, Options, render, to_tree

__all__ = ["EXPORTER", "PUBLIC_ID", "SYSTEM_ID", "Options", "render", "to_tree"]

#: One article per file: a book is exported as one file per article.
EXPORTER: Exporter[Options] = Exporter(
    name="jats",
    extension=".xml",
    media_type="application/jats+xml",
    accepts_books=False,
    options=Options,
    render=render,
    read_outline=read_outline,
    read_text=read_text,
    summary="JATS 1.1 Journal Publishing XML (one article per file); valid against the NISO DTD",
)
