"""The exporter registry: format name -> the module that writes it.

Adding a format is one module in this package and one line here. Values are dotted
module paths, imported on first use, so ``import healthinfo`` stays light.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from ..schema import Article, Book
from ._base import ExportError, ExportOptions, ExportWarning, Rendered

__all__ = ["REGISTRY", "formats", "get", "export", "render", "ExportError", "ExportOptions", "ExportWarning", "Rendered"]

#: Format name -> exporter module. Keep in the order formats are listed to users.
REGISTRY: dict[str, str] = {
    "html": "healthinfo.exporters.html",
    "epub": "healthinfo.exporters.epub",
    "jats": "healthinfo.exporters.jats",
    "docx": "healthinfo.exporters.docx",
}


def formats() -> list[str]:
    """The registered format names."""
    return list(REGISTRY)


def get(name: str) -> ModuleType:
    """The exporter module of format ``name``."""
    try:
        path = REGISTRY[name]
    except KeyError:
        known = ", ".join(REGISTRY) or "none yet"
        raise ExportError(f"unknown format {name!r}; registered formats: {known}") from None
    return importlib.import_module(path)


def render(document: Article | Book, format: str, **options: Any) -> Rendered:
    """Export ``document`` to ``format``: the main file and its resources. Options are
    the fields of the exporter's ``Options`` model, as keywords."""
    module = get(format)
    return module.render(document, module.Options(**options))  # type: ignore[no-any-return]


def export(document: Article | Book, format: str, **options: Any) -> bytes:
    """Export ``document`` to ``format`` and return the main file's bytes."""
    return render(document, format, **options).data
