"""A file of a build's cache folder (compiled templates' neighbours: the DOCX base
document, drawn covers, formatted references): written whole under a temporary name
and renamed, or not at all. A cache that cannot be written only costs the making
again, so a failure is not an error."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["keep_file"]


def keep_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, its folder made if needed; an OSError
    leaves nothing behind and is not raised."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
