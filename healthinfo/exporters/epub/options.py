"""EPUB 3: the options of the EPUB exporter (docs/exporters/epub.md, "Options")."""

from __future__ import annotations

from .._base import ExportOptions

__all__ = ["Options"]


class Options(ExportOptions):
    """Options of the EPUB exporter: the shared ones (``source_date_epoch`` sets
    dcterms:modified and the zip entries' timestamps)."""
