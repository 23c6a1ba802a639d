"""The inline rule of MyST roles (``{name}`content```, https://mystmd.org/guide/roles)
for markdown-it-py: the rule of mdit-py-plugins' myst_role plugin, in linear time."""

from __future__ import annotations

import re

from markdown_it.rules_inline import StateInline

__all__ = ["myst_role_rule"]

_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9\_\-\+\:]+)\}")


def myst_role_rule(state: StateInline, silent: bool) -> bool:
    """``{name}`content``` as mdit-py-plugins' myst_role rule reads it, with the same
    tokens, but without copying the rest of the paragraph at each role (which made a
    paragraph of many glossary terms take time quadratic in its length)."""
    source = state.src
    match = _ROLE_NAME.match(source, state.pos)
    if not match:
        return False
    start = pos = match.end()
    while pos < len(source) and source[pos] == "`":
        pos += 1
    ticks = pos - start
    if not ticks or pos >= len(source):
        return False
    end = source.find("`" * ticks, pos + 1)
    if end == -1:
        return False
    if not silent:
        token = state.push("myst_role", "", 0)
        token.meta = {"name": match.group(1)}
        token.content = source[pos:end].replace("\n", " ")
    state.pos = end + ticks
    return True
