"""Turning pydantic's validation errors into plain sentences with line numbers."""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..schema._errors import model_errors
from ._yaml import line_of

__all__ = ["explain", "salvage"]


def _field_path(loc: tuple[int | str, ...], data: Any) -> tuple[tuple[int | str, ...], str]:
    """The part of ``loc`` that names real keys/indexes of the data, and its text."""
    path: list[int | str] = []
    node = data
    for step in loc:
        if (isinstance(node, dict) and step in node) or (isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)):
            node = node[step]  # type: ignore[index]  # a dict key or a list index, tested above
            path.append(step)
        elif isinstance(step, str) and not path:
            path.append(step)
            node = None
        else:
            break
    text = ""
    for step in path:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return tuple(path), text


def _model_at(cls: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc`` inside ``cls``."""
    current: Any = cls
    for step in loc:
        if current is None or isinstance(step, int):
            continue
        field = current.model_fields.get(step) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            by_alias = (
                {f.alias: f for f in current.model_fields.values() if f.alias}
                if isinstance(current, type) and issubclass(current, BaseModel)
                else {}
            )
            field = by_alias.get(step)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """The model class inside Optional[...], list[...], dict[..., ...] or Annotated[...]."""
    for _ in range(5):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        if not args:
            return None
        annotation = args[-1] if typing.get_origin(annotation) is dict else args[0]
    return None


def suggestion(name: str, cls: type[BaseModel] | None) -> str:
    """ "; did you mean 'sources'?" when a known field is close to ``name``."""
    if cls is None:
        return ""
    known = [f.alias or n for n, f in cls.model_fields.items()] + list(cls.model_fields)
    same = [k for k in known if k.lower() == str(name).lower()]  # "url" for "URL"
    close = same or difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


#: A choice of more values than this is not listed in a message (CSL has 45 item types):
#: the message names the closest one instead.
_MAX_LISTED = 10


def _choice(expected: str, value: Any) -> str | None:
    """ "'journal' is not one of the 45 values allowed here; did you mean
    'article-journal'?" for a choice of many values, else None (pydantic's list)."""
    allowed = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if len(allowed) <= _MAX_LISTED:
        return None
    close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else " (the authoring guide lists them)"
    return f"{value!r} is not one of the {len(allowed)} values allowed here{hint}"


def _sentence(kind: str, message: str, value: Any, expected: str | None = None) -> str:
    if kind == "missing":
        return "is missing"
    if kind == "literal_error" and expected is not None:
        short = _choice(expected, value)
        if short is not None:
            return short
    if kind == "extra_forbidden":
        return "is not a known field"
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    if kind == "string_type" and isinstance(value, bool):
        message += " (YAML read a yes/no word: put the value in quotes)"
    elif kind == "string_type" and isinstance(value, (int, float)):
        message += " (put the value in quotes)"
    if message[1:2].islower():
        message = message[:1].lower() + message[1:]
    return message


_M = typing.TypeVar("_M", bound=BaseModel)


def salvage(cls: type[_M], data: dict[str, Any]) -> _M:
    """``cls`` built from the fields of ``data`` that are valid on their own, after
    validating the whole failed (reported): the checks that need the other fields
    (a publisher id, the sources, the dates) still run, so that one wrong field does
    not hide the problems of the rest. Fields left out take their defaults; a
    required one left out is not set (read it with ``getattr(meta, name, None)``)."""
    values: dict[str, Any] = {}
    for name, info in cls.model_fields.items():
        key = name if name in data else info.alias
        if key is None or key not in data:
            continue
        try:
            field_type: Any = typing.Annotated[info.annotation, info]
            values[name] = TypeAdapter(field_type).validate_python(data[key])
        except ValidationError:
            continue
    return cls.model_construct(**values)


def explain(
    error: ValidationError, data: Any, line_offset: int = 0, model: type[BaseModel] | None = None
) -> list[tuple[int | None, str]]:
    """One (line, message) per problem in ``error``; ``data`` is the YAML-loaded input
    (with line information) that was validated."""
    grouped: dict[tuple[int | str, ...], tuple[str, list[str]]] = {}
    for item in model_errors(error):
        loc = tuple(item["loc"])
        path, text = _field_path(loc, data)
        if item["type"] in ("missing", "extra_forbidden") and loc and loc[-1] not in path[-1:]:
            name = str(loc[-1])
            text = f"{text}.{name}" if text else name
        sentence = _sentence(item["type"], item["msg"], item.get("input"), (item.get("ctx") or {}).get("expected"))
        if item["type"] == "extra_forbidden" and loc:
            hint = suggestion(str(loc[-1]), _model_at(model, loc[:-1]))
            sentence += hint or " (check the spelling; the authoring guide lists the fields)"
        _, sentences = grouped.setdefault((*path, text), (text, []))
        if sentence not in sentences:
            sentences.append(sentence)
    result: list[tuple[int | None, str]] = []
    for key, (text, sentences) in grouped.items():
        line = line_of(data, key[:-1])
        if line is not None:
            line += line_offset
        subject = f"{text}: " if text else ""
        result.append((line, subject + "; or ".join(sentences)))
    return result
