"""Dispatch from a node of the content model to the writer's ``visit_<node>`` method,
the same way in every format (docutils' ``visit_<node>``, mystmd's handler tables).

The table is built when the writer's module is imported, so a writer that misses a
node type of the schema fails at once, not on the first article that uses it; a node
of a type the table does not know (a model newer than the writer, a hand-made tree)
raises :class:`UnknownNodeError` instead of being dropped (STYLE.md habit 4).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ._base import ExportError

__all__ = ["Dispatch", "UnknownNodeError", "visitors"]

R = TypeVar("R")


class UnknownNodeError(ExportError):
    """A node whose type the format's writer has no mapping for."""

    def __init__(self, format_name: str, kind: str, node: object) -> None:
        self.format = format_name
        self.kind = kind
        self.node_type = type(node).__name__
        super().__init__(f"the {format_name} exporter has no mapping for the {kind} node {self.node_type}")


def visitors(writer: type, node_types: tuple[type, ...]) -> dict[type, Callable[..., Any]]:
    """The dispatch table of a writer class: each node type -> ``writer.visit_<tag>``
    (the node's ``type`` tag: ``visit_paragraph``, ``visit_break`` …)."""
    table: dict[type, Callable[..., Any]] = {}
    for node_type in node_types:
        tag = node_type.model_fields["type"].default  # type: ignore[attr-defined]
        handler = getattr(writer, f"visit_{tag}", None)
        if handler is None:
            raise TypeError(f"{writer.__module__}.{writer.__name__} has no visit_{tag} for {node_type.__name__}")
        table[node_type] = handler
    return table


class Dispatch(Generic[R]):
    """``dispatch(writer, node, *args)`` calls the writer's visitor of the node's type.

    ``format_name`` and ``kind`` ("inline", "block") name the table in the error of an
    unknown node."""

    __slots__ = ("format_name", "kind", "table")

    def __init__(self, format_name: str, kind: str, writer: type, node_types: tuple[type, ...]) -> None:
        self.format_name = format_name
        self.kind = kind
        self.table: dict[type, Callable[..., R]] = visitors(writer, node_types)

    def lookup(self, node: object) -> Callable[..., R]:
        """The visitor of the node's type (for writers whose visitors take the node
        after another argument, such as the parent element)."""
        visitor = self.table.get(type(node))
        if visitor is None:
            raise UnknownNodeError(self.format_name, self.kind, node)
        return visitor

    def __call__(self, writer: object, node: object, *args: Any) -> R:
        return self.lookup(node)(writer, node, *args)
