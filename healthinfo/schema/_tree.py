"""Walking the document tree, and the plain text of any node.

Kept here, once, for the loader's checks, the exporters and the tests.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterator, Sequence

from pydantic import BaseModel

from .inline import Cite, LineBreak, Text

__all__ = ["inline_text", "plain_text", "text_units", "walk"]


_CONTAINERS = (BaseModel, list, tuple, dict)

#: A run of nodes: the models hold tuples; a list is what a caller passes in, or what a
#: tree built without validation (``model_construct``) holds, and its text still counts.
_RUNS = (tuple, list)


#: Per model class, the names of its fields that can hold nodes, in reverse order (the
#: walk pushes them on a stack).
_FIELDS_REVERSED: dict[type, tuple[str, ...]] = {}

_SCALARS = (str, int, float, bool, bytes, type(None), dt.date, dt.datetime)


def _may_hold_nodes(annotation: object) -> bool:
    """Whether a field of this type can hold a model node: False only for types made
    of scalars (strings, numbers, dates, enums, literals, and lists or optionals of
    them); anything else, or not understood, is walked into."""
    if annotation in _SCALARS:
        return False
    if isinstance(annotation, type):
        return not issubclass(annotation, enum.Enum)
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return False
    if origin is typing.Annotated:
        return _may_hold_nodes(arguments[0])
    if origin in (typing.Union, types.UnionType, list, tuple, set, frozenset, dict) and arguments:
        return any(_may_hold_nodes(argument) for argument in arguments if argument is not Ellipsis)
    return True


def _node_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    names = tuple(reversed([name for name, info in cls.model_fields.items() if _may_hold_nodes(info.annotation)]))
    _FIELDS_REVERSED[cls] = names
    return names


def walk(node: object) -> Iterator[BaseModel]:
    """Yield every model node under ``node`` (itself included), depth first, in
    document order. Lists and dicts of nodes are followed."""
    # An explicit stack, not nested generators: a node deep in the tree costs one
    # step, not one step per level above it (the loader, the checks and several
    # exporters walk every article).
    stack = [node]
    pop, push = stack.pop, stack.append
    while stack:
        current = pop()
        if isinstance(current, BaseModel):
            yield current
            cls = type(current)
            names = _FIELDS_REVERSED.get(cls)
            if names is None:
                names = _node_fields(cls)
            for name in names:
                value = getattr(current, name)
                # Only containers can hold nodes: strings, numbers and bytes are not
                # walked into.
                if isinstance(value, _CONTAINERS):
                    push(value)
        elif isinstance(current, (list, tuple)):
            for child in reversed(current):
                if isinstance(child, _CONTAINERS):
                    push(child)
        elif isinstance(current, dict):
            for child in reversed(current.values()):
                if isinstance(child, _CONTAINERS):
                    push(child)


def inline_text(inlines: Sequence[BaseModel]) -> str:
    """The text of a run of inline nodes, without markup. Citations give no text; a
    line break gives a space."""
    parts: list[str] = []
    for node in walk(list(inlines)):
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        elif isinstance(node, Cite):
            continue
    return "".join(parts)


# Fields that hold a run of inlines, and fields that hold child blocks or sections,
# in the order their text is read.
_INLINE_FIELDS = ("children", "caption")
_TEXT_FIELDS = ("alt", "credit", "attribution")
_CONTAINER_FIELDS = ("blocks", "items", "head", "body", "cells", "sections", "back")


def text_units(node: object) -> Iterator[str]:
    """Yield the text of every text-bearing unit under ``node`` in reading order: each
    heading, paragraph, list item paragraph, caption, table cell, alt text and credit.
    An article's or section's own ``title`` comes first."""
    if isinstance(node, _RUNS):
        for child in node:
            yield from text_units(child)
        return
    if not isinstance(node, BaseModel):
        return
    title = getattr(node, "title", None)
    if isinstance(title, _RUNS):
        yield inline_text(title)
    elif isinstance(title, str) and not hasattr(node, "term"):
        yield title
    for name in ("alt",):
        value = getattr(node, name, None)
        if isinstance(value, str):
            yield value
    for name in _INLINE_FIELDS:
        value = getattr(node, name, None)
        if isinstance(value, _RUNS) and value and not isinstance(value[0], dict):
            text = inline_text(value)
            if text:
                yield text
    for name in _CONTAINER_FIELDS:
        value = getattr(node, name, None)
        if isinstance(value, _RUNS):
            yield from text_units(value)
    for name in _TEXT_FIELDS[1:]:
        value = getattr(node, name, None)
        if isinstance(value, str):
            yield value


def plain_text(node: object) -> str:
    """All text under ``node``, one unit per line (see :func:`text_units`)."""
    return "\n".join(text_units(node))
