"""What every exporter provides, and the shared option fields.

An exporter is one package of ``healthinfo.exporters`` whose ``__init__`` holds an
:class:`Exporter`: the format's name, file extension and media type, whether it
takes books, whether it holds the text (a metadata record does not), its options
model (a frozen subclass of :class:`ExportOptions`, each field with a description),
its ``render`` function, and the two readers that look at
its output from outside: the reader of the consistency check (one reading per
article: :mod:`healthinfo.checks.reading`) and the text
reader of the exporter contract test. Both read the output with the format's own
structure (lxml, the zip), never with the writer's code.

A corpus-level target (the HTML site) is a :class:`CorpusTarget`: files made from
each article (in the build's workers, with a small summary of the article) and files
made from the summaries of every article (an index).

Exporters are pure: no clock, no environment, no corpus files. Dates come from the
content or from ``options.source_date_epoch``.
"""

from __future__ import annotations

import datetime as dt
import warnings as _warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .._errors import HealthinfoError

if TYPE_CHECKING:
    from ..checks.reading import Reading
    from ..schema import Article, Book, Corpus, CorpusSettings, GlossaryEntry

__all__ = [
    "MAX_SOURCE_DATE_EPOCH",
    "ArticlePage",
    "CorpusTarget",
    "ExportError",
    "ExportOptionError",
    "ExportOptions",
    "ExportWarning",
    "Exporter",
    "Rendered",
    "warn",
]


class ExportError(HealthinfoError):
    """A document cannot be exported to a format (e.g. a book to a format that only
    takes articles)."""


class ExportOptionError(ExportError, ValueError):
    """An option value an exporter's options model refuses (``healthinfo.render``
    with a wrong keyword or value): an ExportError, and a ValueError as the pydantic
    error it replaces was."""


#: 1970-01-01 00:00:00 UTC, second 0 of ``source_date_epoch``.
ZERO_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: The largest ``source_date_epoch``: 9999-12-31 23:59:59 UTC, the last second a
#: Python datetime (and an ISO 8601 date of four digits) can hold.
MAX_SOURCE_DATE_EPOCH = 253_402_300_799


class ExportWarning(UserWarning):
    """A lossy mapping: the content is kept, but not everything of it (STYLE.md habit
    4). ``code`` is stable (``<format>:<what>``, e.g. ``docx:nested-link``) so that
    callers can filter or count warnings."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def warn(code: str, message: str) -> None:
    """Issue an :class:`ExportWarning` with a stable code."""
    _warnings.warn(ExportWarning(code, message), stacklevel=3)


class ExportOptions(BaseModel):
    """Options every exporter accepts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_date_epoch: int | None = Field(
        default=None,
        ge=0,
        le=MAX_SOURCE_DATE_EPOCH,
        description=(
            "Seconds since 1970 to write where a format needs a timestamp (zip entries, "
            "'modified' dates). Default: the content's own dates. The CLI passes the "
            "SOURCE_DATE_EPOCH environment variable here."
        ),
    )

    def timestamp(self, fallback: dt.date) -> dt.datetime:
        """The moment to write: ``source_date_epoch`` or midnight UTC of ``fallback``."""
        if self.source_date_epoch is not None:
            # By arithmetic, not fromtimestamp: that depends on the platform's time_t
            # and raises OverflowError or OSError for what the field's bounds let in
            # on another platform.
            try:
                return ZERO_EPOCH + dt.timedelta(seconds=self.source_date_epoch)
            except OverflowError:
                raise ExportError(
                    f"source_date_epoch {self.source_date_epoch} is out of range "
                    f"(0 to {MAX_SOURCE_DATE_EPOCH}, the end of the year 9999)"
                ) from None
        return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Rendered:
    """An exported document: the main file's bytes and the files that go beside it
    (relative path -> bytes)."""

    data: bytes
    resources: dict[str, bytes] = field(default_factory=dict)


OptionsT = TypeVar("OptionsT", bound=ExportOptions)


@dataclass(frozen=True)
class Exporter(Generic[OptionsT]):
    """One output format, as the registry holds it."""

    #: The format name users pass ("html"), also the output folder of a build.
    name: str
    #: The file extension, with its dot (".html").
    extension: str
    #: The media type of the main file (IANA).
    media_type: str
    #: False when the format holds one article per file: a book is then written as
    #: one file per article.
    accepts_books: bool
    #: The options model (frozen, a description per field).
    options: type[OptionsT]
    #: An Article or a Book to bytes, with the resources that go beside the file.
    render: Callable[[Article | Book, OptionsT], Rendered]
    #: The consistency check's reader: an output file -> one reading per article (one
    #: for an article's file, one per article, in order, for a book's); see
    #: :mod:`healthinfo.checks.reading`.
    read_readings: Callable[[bytes], tuple[Reading, ...]]
    #: The text a reader of the output sees (for the exporter contract test).
    read_text: Callable[[bytes], str]
    #: One line for ``healthinfo formats`` and the docs' format table.
    summary: str = ""
    #: False for a metadata record (ONIX): it describes the publication and holds none
    #: of its text. The contract test then checks that the metadata texts (title,
    #: description) survive instead of every text, and its readings carry no "text"
    #: (:data:`healthinfo.checks.reading.CARRIES_ALL`), so the consistency check
    #: compares its metadata only.
    holds_text: bool = True

    def make_options(self, values: Mapping[str, Any] | None = None) -> OptionsT:
        """The options model from plain values (a pydantic ValidationError when one is
        wrong)."""
        return self.options(**dict(values or {}))


@dataclass(frozen=True)
class ArticlePage:
    """What a corpus-level target makes of one article: its files (relative to the
    target's folder) and the summary its corpus-level files are made from (plain JSON
    data: a build keeps it in its manifest)."""

    files: dict[str, bytes]
    summary: dict[str, Any]


@dataclass(frozen=True)
class CorpusTarget(Generic[OptionsT]):
    """Output made from a whole corpus (the HTML site): files per article, and files
    from what every article's summary says (an index, a glossary page)."""

    #: The target name ("site"), also its output folder in a build.
    name: str
    #: The format whose build writes this target too unless told otherwise.
    default_with: str
    #: The options model (frozen, a description per field).
    options: type[OptionsT]
    #: The files of one article (``settings``: the corpus's), and its summary.
    article: Callable[[Article, CorpusSettings, OptionsT], ArticlePage]
    #: The corpus-level files, from the summaries of every article.
    pages: Callable[[CorpusSettings, Mapping[str, GlossaryEntry], Sequence[Mapping[str, Any]], OptionsT], dict[str, bytes]]
    #: The whole target from a loaded corpus at once (relative path -> bytes); a build
    #: makes the same files piece by piece.
    render: Callable[[Corpus, OptionsT], dict[str, bytes]]
    #: One line for the docs.
    summary: str = ""
    #: The names of the files ``article`` gives for an article id (relative to the
    #: target's folder), known before it is rendered: a build notes them before it
    #: writes them, so that a build killed half-way leaves no file it does not know.
    article_files: Callable[[str], tuple[str, ...]] = lambda article_id: ()
    #: Files made from the target's other files once they are written (the site's
    #: search index, from its pages): given each (path relative to the target's folder
    #: -> bytes), it returns its own; a build makes them again only when those changed.
    index: Callable[[Mapping[str, bytes], OptionsT], dict[str, bytes]] | None = None
    #: What the target leaves out or finds wanting for this corpus, from the summaries
    #: of every article, as warnings with a stable code ("site:no-base-url: …"); a
    #: build reports them on every run.
    warnings: Callable[[CorpusSettings, OptionsT, Sequence[Mapping[str, Any]]], list[str]] = (
        lambda settings, options, summaries: []
    )

    def make_options(self, values: Mapping[str, Any] | None = None) -> OptionsT:
        return self.options(**dict(values or {}))
