"""Importers: formats read back into the content model.

An importer turns the bytes of a format into an :class:`~healthinfo.schema.Article`.
So far there is one: JATS XML (:func:`read_jats`), the inverse of the JATS exporter.
"""

from __future__ import annotations

from .jats import MAX_BYTES, MAX_DEPTH, JatsImportError, read_jats

__all__ = ["MAX_BYTES", "MAX_DEPTH", "JatsImportError", "read_jats"]
