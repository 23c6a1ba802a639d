"""Turning pydantic's validation errors into plain sentences with line numbers."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ._yaml import line_of

__all__ = ["explain"]


def _field_path(loc: tuple[int | str, ...], data: Any) -> tuple[tuple[int | str, ...], str]:
    """The part of ``loc`` that names real keys/indexes of the data, and its text."""
    path: list[int | str] = []
    node = data
    for step in loc:
        if isinstance(node, dict) and step in node:
            node = node[step]
            path.append(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
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


def _sentence(kind: str, message: str, value: Any) -> str:
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a known field (check the spelling; see the authoring guide for the fields)"
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    if kind == "string_type" and isinstance(value, bool):
        message += " (YAML read a yes/no word: put the value in quotes)"
    elif kind == "string_type" and isinstance(value, (int, float)):
        message += " (put the value in quotes)"
    if message[1:2].islower():
        message = message[:1].lower() + message[1:]
    return message


def explain(error: ValidationError, data: Any, line_offset: int = 0) -> list[tuple[int | None, str]]:
    """One (line, message) per problem in ``error``; ``data`` is the YAML-loaded input
    (with line information) that was validated."""
    grouped: dict[tuple[int | str, ...], tuple[str, list[str]]] = {}
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path, text = _field_path(loc, data)
        if item["type"] in ("missing", "extra_forbidden") and loc and loc[-1] not in path[-1:]:
            name = str(loc[-1])
            text = f"{text}.{name}" if text else name
        sentence = _sentence(item["type"], item["msg"], item.get("input"))
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
