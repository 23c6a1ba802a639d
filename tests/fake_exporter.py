"""An exporter for build tests: writes the article id, and fails or warns on demand."""

from __future__ import annotations

from healthinfo.exporters import ExportError, ExportOptions, Rendered
from healthinfo.exporters._base import warn
from healthinfo.schema import Article, Book

NAME = "fake"
EXTENSION = ".txt"
MEDIA_TYPE = "text/plain"
ACCEPTS_BOOKS = True
FAIL_ON: set[str] = set()
WARN_ON: set[str] = set()


class Options(ExportOptions):
    pass


def render(document: Article | Book, options: Options) -> Rendered:
    if document.id in FAIL_ON:
        raise ExportError(f"cannot export {document.id}")
    if document.id in WARN_ON:
        warn("fake:lossy", f"{document.id} lost something")
    return Rendered(data=f"{document.id}:{document.title}".encode())
