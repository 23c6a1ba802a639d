"""An exporter for build tests: writes the article id, and fails or warns on demand."""

from __future__ import annotations

from healthinfo.checks.reading import Reading, Unit
from healthinfo.exporters import Exporter, ExportError, ExportOptions, Rendered
from healthinfo.exporters._base import warn
from healthinfo.schema import Article, Book

FAIL_ON: set[str] = set()
WARN_ON: set[str] = set()
#: document id -> the resources its output comes with (relative name -> bytes)
RESOURCES: dict[str, dict[str, bytes]] = {}
#: seconds each render takes (a slow build, for tests that stop one half-way)
SLEEP = 0.0


class Options(ExportOptions):
    pass


def render(document: Article | Book, options: Options) -> Rendered:
    if document.id in FAIL_ON:
        raise ExportError(f"cannot export {document.id}")
    if document.id in WARN_ON:
        warn("fake:lossy", f"{document.id} lost something")
    if SLEEP:
        import time

        time.sleep(SLEEP)
    return Rendered(data=f"{document.id}:{document.title}".encode(), resources=dict(RESOURCES.get(document.id, {})))


def read_text(data: bytes) -> str:
    return data.decode()


def read_readings(data: bytes) -> tuple[Reading, ...]:
    return (Reading((Unit("paragraph", data.decode()),)),)


EXPORTER: Exporter[Options] = Exporter(
    name="fake",
    extension=".txt",
    media_type="text/plain",
    accepts_books=True,
    options=Options,
    render=render,
    read_readings=read_readings,
    read_text=read_text,
)
