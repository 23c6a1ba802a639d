"""Limits on how deeply an article body nests, checked on markdown-it's tokens
(https://markdown-it-py.readthedocs.io/) before any tree is built from them.

Deeper input is refused with its line instead of being read: every exporter renders
a body at these limits (tests/test_loader_hostile.py renders one in each format);
far deeper bodies exhaust Python's recursion in the tree, the model or a writer; and
markdown-it itself silently drops what is nested deeper than its ``maxNesting``, which
:data:`MARKDOWN_IT_NESTING` keeps well above these limits so that the check sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from markdown_it.token import Token

__all__ = [
    "BLOCK_TOO_DEEP",
    "INLINE_TOO_DEEP",
    "MARKDOWN_IT_NESTING",
    "MAX_BLOCK_DEPTH",
    "MAX_INLINE_DEPTH",
    "blocks_depth",
    "depth_problem",
    "top_level_groups",
]

#: Deepest nesting of lists, block quotes, callouts, included blocks and regional passages inside each other.
MAX_BLOCK_DEPTH = 20
#: Deepest nesting of emphasis, strong text and links inside each other.
MAX_INLINE_DEPTH = 20
#: markdown-it's own limit, in its levels (a list takes two, a table three, a
#: paragraph one): above anything the limits above let through.
MARKDOWN_IT_NESTING = 3 * MAX_BLOCK_DEPTH + 10

BLOCK_TOO_DEEP = (f"lists, quotes, callouts and included blocks are nested more than {MAX_BLOCK_DEPTH} levels deep "
                  f"here; the limit is {MAX_BLOCK_DEPTH}: take the inner part out")
INLINE_TOO_DEEP = (f"emphasis, strong text and links are nested more than {MAX_INLINE_DEPTH} levels deep here; "
                   f"the limit is {MAX_INLINE_DEPTH}: remove the inner markers")

# The tokens that open and close a model container (a list item is part of its list).
_OPEN = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open"})
_CLOSE = frozenset({"blockquote_close", "bullet_list_close", "ordered_list_close"})


def top_level_groups(tokens: list[Token]) -> Iterator[list[Token]]:
    """The tokens of each top-level block (an open token to its close, or one token)."""
    start = 0
    for index, token in enumerate(tokens):
        if token.level == 0 and token.nesting <= 0:
            yield tokens[start : index + 1]
            start = index + 1
    if start < len(tokens):
        yield tokens[start:]


def depth_problem(tokens: Iterable[Token], depth: int) -> tuple[int, str] | None:
    """(line index from 0, message) of the first place where ``tokens`` (inside
    ``depth`` containers) go over a limit; None when they do not."""
    line = 0
    for token in tokens:
        if token.map is not None:
            line = token.map[0]
        if token.type in _OPEN:
            depth += 1
            if depth > MAX_BLOCK_DEPTH:
                return line, BLOCK_TOO_DEEP
        elif token.type in _CLOSE:
            depth -= 1
        elif token.type == "inline" and token.children:
            too_deep = _inline_too_deep(token.children)
            if too_deep is not None:
                return line + too_deep, INLINE_TOO_DEEP
    return None


def _inline_too_deep(children: list[Token]) -> int | None:
    """The line (from the inline's first) where the inline tokens nest too deeply."""
    depth = 0
    breaks = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            breaks += 1
        depth += child.nesting
        if depth > MAX_INLINE_DEPTH:
            return breaks
    return None


def blocks_depth(blocks: Iterable[Any]) -> int:
    """How many containers (lists, quotes, callouts, included blocks, regional passages) the deepest
    block of ``blocks`` (model nodes) is inside; measured without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(block, 0) for block in blocks]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        kind = getattr(node, "type", None)
        if kind == "list":
            stack.extend((block, depth + 1) for item in node.items for block in item.blocks)
        elif kind in ("quote", "note", "include", "region"):
            stack.extend((block, depth + 1) for block in node.blocks)
    return deepest
