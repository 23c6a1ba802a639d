"""The exporter options of a build (``build(options={"docx": {"page_size": "a5"}})``,
``healthinfo build --set docx.page_size=a5``), checked with each exporter's options
model before anything is read or written.

A corpus-level target takes the options of the format it is built with
(``default_with``: the site those of html) unless it is given its own.
``source_date_epoch`` is one for every format: ``build(source_date_epoch=…)``, which
the CLI takes from the SOURCE_DATE_EPOCH environment variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .._errors import HealthinfoError
from ..exporters import REGISTRY, TARGETS, CorpusTarget, Exporter, get, get_target

__all__ = ["OptionError", "resolve_options"]


class OptionError(HealthinfoError, ValueError):
    """An exporter option a build cannot use: an unknown format or field, or a value
    the exporter's options model refuses."""


def _explain(name: str, error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"])
        given = f" (given: {problem['input']!r})" if problem["type"] != "extra_forbidden" else ""
        message = "unknown option" if problem["type"] == "extra_forbidden" else problem["msg"]
        lines.append(f"{name}.{field}: {message}{given}")
    return "; ".join(lines)


def _validate(name: str, producer: Exporter[Any] | CorpusTarget[Any], values: Mapping[str, Any]) -> BaseModel:
    try:
        model: BaseModel = producer.make_options(values)
    except ValidationError as error:
        raise OptionError(_explain(name, error)) from None
    for field in sorted(type(model).model_fields):
        value = getattr(model, field)
        if isinstance(value, Path) and not value.exists():
            raise OptionError(f"{name}.{field}: no such file or folder: {value}")
    return model


def resolve_options(
    formats: Sequence[Exporter[Any]],
    targets: Sequence[CorpusTarget[Any]],
    options: Mapping[str, Mapping[str, Any]] | None,
    source_date_epoch: int | None,
) -> dict[str, BaseModel]:
    """Producer name -> its checked options model, for every format and target of the
    build. Raises :class:`OptionError` for options of an unregistered name, a field
    the model does not have, a bad value, a file or folder that is not there, or a
    ``source_date_epoch`` among them."""
    given = dict(options or {})
    unknown = sorted(set(given) - set(REGISTRY) - set(TARGETS))
    if unknown:
        known = ", ".join([*REGISTRY, *TARGETS])
        raise OptionError(f"options for {', '.join(map(repr, unknown))}: not a format or target; registered: {known}")
    for name, values in given.items():
        if "source_date_epoch" in values:
            raise OptionError(f"{name}.source_date_epoch: set for every format at once "
                              "(build(source_date_epoch=…); the CLI reads SOURCE_DATE_EPOCH)")
    shared = {} if source_date_epoch is None else {"source_date_epoch": source_date_epoch}
    built = {exporter.name for exporter in formats} | {target.name for target in targets}
    for name in sorted(set(given) - built):  # not built now, but a typo is a typo
        _validate(name, get_target(name) if name in TARGETS else get(name), given[name])
    models: dict[str, BaseModel] = {}
    for exporter in formats:
        models[exporter.name] = _validate(exporter.name, exporter, {**given.get(exporter.name, {}), **shared})
    for target in targets:
        values = given.get(target.name, given.get(target.default_with, {}))
        models[target.name] = _validate(target.name, target, {**values, **shared})
    return models
