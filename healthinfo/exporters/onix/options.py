"""ONIX 3.0: the options of the ONIX exporter (docs/exporters/onix.md, "Options")."""

from __future__ import annotations

from .._base import ExportOptions

__all__ = ["Options"]


class Options(ExportOptions):
    """Options of the ONIX exporter: the shared ones (``source_date_epoch`` sets the
    header's SentDateTime, as it sets the EPUB's dcterms:modified)."""
