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

__all__ = [
    "DATA_TOO_DEEP",
    "MAX_DATA_DEPTH",
    "LineDict",
    "LineList",
    "UnreadableDate",
    "YamlProblem",
    "is_too_deep",
    "json_depth_line",
    "line_of",
    "load_yaml",
]

#: Deepest nesting of mappings and lists in a YAML or JSON file (a CSL item's
#: ``issued: date-parts: [[2024, 1]]`` in references.yaml is 5 deep).
MAX_DATA_DEPTH = 32
DATA_TOO_DEEP = (f"the data is nested more than {MAX_DATA_DEPTH} levels deep (mappings and lists inside each other); "
             f"the limit is {MAX_DATA_DEPTH}")


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
    #: How many mappings and lists are being made, one inside the other.
    depth = 0
    #: Where impossible dates are collected (each stands as an UnreadableDate in the
    #: data), so that the rest of the file is still checked; None: the first stops it.
    date_problems: list[YamlProblem] | None = None


class UnreadableDate:
    """Stands in the data for an impossible date (``2024-02-30``), already reported."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return repr(self.text)


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


def _enter(loader: _Loader, node: yaml.Node) -> None:
    loader.depth += 1
    if loader.depth > MAX_DATA_DEPTH:
        raise YamlProblem(node.start_mark.line + 1, DATA_TOO_DEEP)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    _enter(loader, node)
    try:
        return _mapping(loader, node)
    finally:
        loader.depth -= 1


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
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
    _enter(loader, node)
    try:
        result = LineList(_child(loader, child, child.start_mark.line + 1) for child in node.value)
    finally:
        loader.depth -= 1
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


#: YAML types that are not plain data, or whose order changes from run to run
#: (a set's), with what to write instead.
_REFUSED_TAGS = {
    "tag:yaml.org,2002:set": "YAML sets (!!set) are not supported; write a list",
    "tag:yaml.org,2002:omap": "YAML ordered mappings (!!omap) are not supported; write a mapping",
    "tag:yaml.org,2002:pairs": "YAML pairs (!!pairs) are not supported; write a mapping",
    "tag:yaml.org,2002:binary": "binary data (!!binary) is not supported; write text",
}


def _refuse_tag(loader: _Loader, node: yaml.Node) -> Any:
    raise YamlProblem(node.start_mark.line + 1, _REFUSED_TAGS[node.tag])


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        problem = YamlProblem(
            node.start_mark.line + 1,
            f"{node.value!r} is not a date ({error}); write it as YYYY-MM-DD, e.g. 2024-01-23",
        )
        if loader.date_problems is None:
            raise problem from None
        loader.date_problems.append(problem)
        return UnreadableDate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
for _tag in _REFUSED_TAGS:
    _Loader.add_constructor(_tag, _refuse_tag)


def load_yaml(text: str, date_problems: list[YamlProblem] | None = None) -> Any:
    """Parse one YAML document. Raises :class:`YamlProblem` with a line and a plain
    message for bad YAML. With ``date_problems``, an impossible date is added there
    and stands as an :class:`UnreadableDate` in the data instead."""
    loader = _Loader(text)
    loader.date_problems = date_problems
    try:
        return loader.get_single_data()
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
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise YamlProblem(None, DATA_TOO_DEEP) from None
    finally:
        loader.dispose()


def is_too_deep(data: Any) -> bool:
    """Whether ``data`` (from JSON) nests mappings and lists deeper than
    MAX_DATA_DEPTH; measured without recursion."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > MAX_DATA_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


def json_depth_line(text: str) -> int | None:
    """The line of JSON ``text`` where the nesting first goes over MAX_DATA_DEPTH."""
    depth = 0
    # Strings may hold brackets: take them out first (a string cannot hold a raw line end).
    for found in re.finditer(r'"(?:[^"\\\n]|\\.)*"|[\[{]|[\]}]', text):
        token = found.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DATA_DEPTH:
                return text.count("\n", 0, found.start()) + 1
        elif token in "]}":
            depth -= 1
    return None


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
