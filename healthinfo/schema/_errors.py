"""The errors of a failed validation of the model, as its readers report them.

The model's containers are tuples (immutable), and pydantic checks a tuple's
``min_length`` after validating its items, counting only the items that passed: one
bad item of one gives the item's own error and "Tuple should have at least 1 item"
too. A list is checked on its input, so that second error never came. The loader and
the importers report these errors; this keeps what they say the same as before.
"""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

__all__ = ["model_errors"]


def _short_only_of_failed_items(item: ErrorDetails) -> bool:
    """Whether ``item`` is a "too short" error of a sequence whose input was long enough."""
    if item["type"] != "too_short":
        return False
    given, context = item.get("input"), item.get("ctx") or {}
    return isinstance(given, (list, tuple)) and len(given) >= int(context.get("min_length", 0))


def model_errors(error: ValidationError) -> list[ErrorDetails]:
    """The errors of ``error`` worth reporting, in order: without the "too short" that
    only counts failed items, and with the length errors of a tuple worded for the list
    (YAML) or array (JSON) that the input is."""
    found: list[ErrorDetails] = []
    for item in error.errors(include_url=False):
        if _short_only_of_failed_items(item):
            continue
        if item["type"] in ("too_short", "too_long") and item["msg"].startswith("Tuple "):
            item = {**item, "msg": "List " + item["msg"].removeprefix("Tuple ")}
        found.append(item)
    return found
