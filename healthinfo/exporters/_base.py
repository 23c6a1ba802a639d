"""What every exporter module provides, and the shared option fields.

An exporter is one module of this package with:

- ``NAME`` (the format name), ``EXTENSION`` (".xml") and ``MEDIA_TYPE``;
- ``ACCEPTS_BOOKS``: False when the format holds one article per file (the CLI then
  writes one file per article of a book);
- ``Options``: a frozen pydantic model of its options (a subclass of
  :class:`ExportOptions`), each field with a description;
- ``render(document, options) -> Rendered``: an ``Article`` or a ``Book`` to bytes,
  plus the resource files (images) that go beside the main file.

Exporters are pure: no clock, no environment, no corpus files. Dates come from the
content or from ``options.source_date_epoch``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .._errors import HealthinfoError

__all__ = ["ExportOptions", "Rendered", "ExportError", "ExportWarning", "warn", "visitors"]


class ExportError(HealthinfoError):
    """A document cannot be exported to a format (e.g. a book to a format that only
    takes articles)."""


class ExportWarning(UserWarning):
    """A lossy mapping: the content is kept, but not everything of it (STYLE.md habit
    4). ``code`` is stable (``<format>:<what>``, e.g. ``docx:nested-link``) so that
    callers can filter or count warnings."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


def warn(code: str, message: str) -> None:
    """Issue an :class:`ExportWarning` with a stable code."""
    import warnings

    warnings.warn(ExportWarning(code, message), stacklevel=3)


def visitors(writer: type, node_types: tuple[type, ...]) -> dict[type, Callable[..., Any]]:
    """The dispatch table of a writer class: each node type -> ``writer.visit_<type>``
    (the node's ``type`` tag: ``visit_paragraph``, ``visit_break`` …). Built at import
    time, so a writer that misses a node type of the schema fails at once."""
    table: dict[type, Callable[..., Any]] = {}
    for node_type in node_types:
        tag = node_type.model_fields["type"].default  # type: ignore[attr-defined]
        handler = getattr(writer, f"visit_{tag}", None)
        if handler is None:
            raise TypeError(f"{writer.__module__}.{writer.__name__} has no visit_{tag} for {node_type.__name__}")
        table[node_type] = handler
    return table


class ExportOptions(BaseModel):
    """Options every exporter accepts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source_date_epoch: int | None = Field(
        default=None,
        ge=0,
        description=(
            "Seconds since 1970 to write where a format needs a timestamp (zip entries, "
            "'modified' dates). Default: the content's own dates. The CLI passes the "
            "SOURCE_DATE_EPOCH environment variable here."
        ),
    )

    def timestamp(self, fallback: dt.date) -> dt.datetime:
        """The moment to write: ``source_date_epoch`` or midnight UTC of ``fallback``."""
        if self.source_date_epoch is not None:
            return dt.datetime.fromtimestamp(self.source_date_epoch, tz=dt.timezone.utc)
        return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Rendered:
    """An exported document: the main file's bytes and the files that go beside it
    (relative path -> bytes)."""

    data: bytes
    resources: dict[str, bytes] = field(default_factory=dict)
