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

from pydantic import ValidationError

from ..schema import Article, Book, Corpus
from ._base import (
    ArticlePage,
    CorpusTarget,
    Exporter,
    ExportError,
    ExportOptionError,
    ExportOptions,
    ExportWarning,
    Rendered,
)

__all__ = [
    "REGISTRY",
    "TARGETS",
    "ArticlePage",
    "CorpusTarget",
    "ExportError",
    "ExportOptionError",
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
    "pdf": "healthinfo.exporters.pdf:EXPORTER",
    "onix": "healthinfo.exporters.onix:EXPORTER",
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
    except (KeyError, TypeError):  # TypeError: a name that is not hashable (a list)
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
    the fields of the exporter's options model, as keywords.

    A wrong argument is a plain error before anything is rendered: a TypeError for a
    document that is not an Article or a Book or a format that is not a name, an
    ExportError for an unknown format, an ExportOptionError (an ExportError and a
    ValueError) for an option the format does not have or a value it refuses."""
    _check_document(document)
    if not isinstance(format, str):
        raise TypeError(f"the format is a name such as 'html' ({', '.join(REGISTRY)}), not {type(format).__name__}")
    exporter = get(format)
    try:
        values = exporter.make_options(options)
    except ValidationError as error:
        raise ExportOptionError(_explain_options(format, error)) from None
    try:
        return exporter.render(document, values)
    except RecursionError:
        # The writers render nested content recursively; the model does not bound the
        # nesting (the JATS importer does: MAX_DEPTH).
        raise ExportError(
            f"the document nests its content too deeply to export as {format} "
            "(inline content inside inline content about 100 levels deep); flatten it"
        ) from None


def _check_document(document: object) -> None:
    if isinstance(document, (Article, Book)):
        return
    if isinstance(document, Corpus):
        raise TypeError(
            "render and export take one Article or Book, not a Corpus; "
            "pick one, e.g. corpus.articles['<id>'] or corpus.books['<id>']"
        )
    raise TypeError(f"render and export take an Article or a Book, not {type(document).__name__}")


def _explain_options(format: str, error: ValidationError) -> str:
    """One line per refused option: ``jats option issn: String should match … (given: 'x')``."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "options"
        if problem["type"] == "extra_forbidden":
            known = ", ".join(get(format).options.model_fields)
            lines.append(f"{format} has no option {field!r}; its options: {known}")
        else:
            lines.append(f"{format} option {field}: {problem['msg']} (given: {problem['input']!r:.80})")
    return "; ".join(lines)


def export(document: Article | Book, format: str, **options: Any) -> bytes:
    """Export ``document`` to ``format`` and return the main file's bytes."""
    return render(document, format, **options).data
