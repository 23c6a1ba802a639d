"""Partner JATS in: a JATS XML article (as :mod:`healthinfo.exporters.jats` writes it,
or as publishers publish it) read back into the content model."""

from __future__ import annotations

from .reader import MAX_BYTES, JatsImportError, read_jats

__all__ = ["MAX_BYTES", "JatsImportError", "read_jats"]
