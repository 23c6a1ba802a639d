"""Safe YAML reading that remembers the line of every key and list item, so that a
problem deep inside a file can be reported at its line.

Only PyYAML's safe loading is used (no Python objects from YAML), with libyaml's
parser when available. Booleans follow
YAML 1.2 (only true/false), so that ``country: NO`` or ``lang: no`` stay strings.
Duplicate keys are reported instead of silently keeping the last one.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "YamlProblem", "line_of", "load_yaml"]


class LineDict(dict[Any, Any]):
    """A mapping from YAML with ``line`` (its own) and ``key_lines`` (each key's)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence from YAML with ``line`` and ``item_lines``."""

    line: int = 0
    item_lines: list[int]


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's parser when PyYAML has it (about five times faster), PyYAML's own
# otherwise; both with the safe constructors only.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    pass


_ALIAS = "YAML aliases (*name) are not supported; write the value out in full"


def _child(loader: _Loader, node: yaml.Node, line: int) -> Any:
    # An alias (*name) is the anchored node itself, met a second time. Aliases could
    # expand a small file into a huge tree ("billion laughs"); corpus files have no
    # need of them.
    if node in loader.constructed_objects:
        raise YamlProblem(line, _ALIAS)
    return loader.construct_object(node, deep=True)


# YAML 1.2 core schema booleans instead of YAML 1.1's yes/no/on/off.
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = _child(loader, key_node, line)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise YamlProblem(line, "a key must be a plain word or number")
        if key in result:
            raise YamlProblem(line, f"the key {key!r} appears twice; keep one")
        result[key] = _child(loader, value_node, line)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_child(loader, child, child.start_mark.line + 1) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise YamlProblem(
            node.start_mark.line + 1,
            f"{node.value!r} is not a date ({error}); write it as YYYY-MM-DD, e.g. 2024-01-23",
        ) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(text: str) -> Any:
    """Parse one YAML document. Raises :class:`YamlProblem` with a line and a plain
    message for bad YAML."""
    try:
        return yaml.load(text, Loader=_Loader)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        # The context (where the unclosed bracket or key began) is what an author must
        # look at; the problem mark is often only where the parser gave up.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or error.context or "the YAML cannot be read"
        raise YamlProblem(line, f"invalid YAML: {what}") from None
    except yaml.YAMLError as error:
        raise YamlProblem(None, f"invalid YAML: {error}") from None
    except (ValueError, OverflowError) as error:
        raise YamlProblem(None, f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlProblem(None, "invalid YAML: nested too deeply") from None


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest part of ``data`` reachable by the path ``loc`` (as in a
    pydantic error), or None."""
    line = getattr(data, "line", None) or None
    node = data
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line
