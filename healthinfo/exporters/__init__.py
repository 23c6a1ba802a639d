"""The exporter registry: format name -> the exporter object of its package.

Adding a format is one package in this folder (its ``__init__`` holds an
:class:`Exporter`) and one line in :data:`REGISTRY`. The CLI's choices, the docs'
format table, the consistency check and the contract tests all read the registry.
Values are ``"module:ATTRIBUTE"`` strings, imported on first use, so that
``import healthinfo`` stays light.

:data:`TARGETS` holds the corpus-level targets (the HTML site), made from a whole
corpus rather than one document.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..schema import Article, Book
from ._base import ArticlePage, CorpusTarget, Exporter, ExportError, ExportOptions, ExportWarning, Rendered

__all__ = [
    "REGISTRY",
    "TARGETS",
    "ArticlePage",
    "CorpusTarget",
    "ExportError",
    "ExportOptions",
    "ExportWarning",
    "Exporter",
    "Rendered",
    "export",
    "formats",
    "get",
    "get_target",
    "render",
    "targets",
]

#: Format name -> its exporter. Keep in the order formats are listed to users.
REGISTRY: dict[str, str] = {
    "html": "healthinfo.exporters.html:EXPORTER",
    "epub": "healthinfo.exporters.epub:EXPORTER",
    "jats": "healthinfo.exporters.jats:EXPORTER",
    "docx": "healthinfo.exporters.docx:EXPORTER",
}

#: Corpus-level target name -> its target.
TARGETS: dict[str, str] = {
    "site": "healthinfo.exporters.site:TARGET",
}


def _load(path: str) -> Any:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


def formats() -> list[str]:
    """The registered format names."""
    return list(REGISTRY)


def targets() -> list[str]:
    """The registered corpus-level targets."""
    return list(TARGETS)


def get(name: str) -> Exporter[Any]:
    """The exporter of format ``name``."""
    try:
        path = REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY) or "none yet"
        raise ExportError(f"unknown format {name!r}; registered formats: {known}") from None
    exporter = _load(path)
    if not isinstance(exporter, Exporter):
        raise TypeError(f"{path} is not an Exporter")
    return exporter


def get_target(name: str) -> CorpusTarget[Any]:
    """The corpus-level target ``name`` (``"site"``)."""
    try:
        path = TARGETS[name]
    except KeyError:
        known = ", ".join(TARGETS) or "none yet"
        raise ExportError(f"unknown target {name!r}; registered targets: {known}") from None
    target = _load(path)
    if not isinstance(target, CorpusTarget):
        raise TypeError(f"{path} is not a CorpusTarget")
    return target


def render(document: Article | Book, format: str, **options: Any) -> Rendered:
    """Export ``document`` to ``format``: the main file and its resources. Options are
    the fields of the exporter's options model, as keywords."""
    exporter = get(format)
    return exporter.render(document, exporter.make_options(options))


def export(document: Article | Book, format: str, **options: Any) -> bytes:
    """Export ``document`` to ``format`` and return the main file's bytes."""
    return render(document, format, **options).data
