"""The one rule of a plain relative path: what an image path of the model, an image
named by partner JATS and every file name a build writes or deletes must be, so that
none of them can name a file outside its folder.

A plain relative path is names separated by "/": no leading "/", no "..", "." or
empty part, no backslash (a separator on Windows), no colon (a drive letter, a URL
scheme), no control character (a newline would forge a report line; the C1 range
reaches terminals).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["PathFault", "path_fault"]

PathFault = Literal["empty", "control", "backslash", "absolute", "parent", "empty-part"]

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def path_fault(value: str) -> PathFault | None:
    """What keeps ``value`` from being a plain relative path, or None when it is one."""
    if not value:
        return "empty"
    if _CONTROL.search(value):
        return "control"
    if "\\" in value:
        return "backslash"
    if value.startswith("/") or ":" in value:
        return "absolute"
    parts = value.split("/")
    if ".." in parts:
        return "parent"
    if "" in parts or "." in parts:
        return "empty-part"
    return None
