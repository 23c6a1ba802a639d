"""The readers' tests' account of where two readings part (one helper for every
format's tests)."""

from __future__ import annotations

from dataclasses import fields

from healthinfo.checks.reading import Reading


def first_difference(found: Reading, expected: Reading) -> str:
    """A readable account of where two readings part: the field, and the first
    differing entry of it ("equal" when they do not)."""
    for field in fields(Reading):
        if not field.compare:
            continue
        mine, theirs = getattr(found, field.name), getattr(expected, field.name)
        if mine == theirs:
            continue
        if isinstance(mine, tuple) and isinstance(theirs, tuple):
            for index, (a, b) in enumerate(zip(mine, theirs, strict=False)):
                if a != b:
                    return f"{field.name}[{index}]:\n  found    {a!r}\n  expected {b!r}"
            return f"{field.name}: {len(mine)} entries found, {len(theirs)} expected"
        return f"{field.name}:\n  found    {mine!r}\n  expected {theirs!r}"
    return "equal"
