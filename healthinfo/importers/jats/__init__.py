"""Partner JATS in: a JATS XML article (as :mod:`healthinfo.exporters.jats` writes it,
or as publishers publish it) read back into the content model.

The package: :mod:`.reader` (safe parsing and the article), :mod:`.front`
(journal-meta, article-meta), :mod:`.body` (blocks, inline content, sections, the
glossary), :mod:`.references` (the reference list). Its vocabulary is the writer's,
:mod:`healthinfo.exporters.jats.vocab`; it imports nothing else of the exporter.
"""

from __future__ import annotations

from .reader import MAX_BYTES, MAX_DEPTH, JatsImportError, read_jats

__all__ = ["MAX_BYTES", "MAX_DEPTH", "JatsImportError", "read_jats"]
