"""The small helpers the formats' readers share (the ``outline`` module of each
exporter package, which reads its own output back into the readings of
:mod:`healthinfo.checks.reading`, never with the writer's code): a parser that
fetches nothing, a zip member read with a size limit."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

__all__ = ["MAX_BYTES", "SAFE_XML", "zip_member"]

#: Largest output file read back (bytes), and largest zip member.
MAX_BYTES = 200_000_000

#: An XML parser that fetches nothing and expands no entity (the output may be a
#: partner's file, or damaged).
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def zip_member(data: bytes, name: str) -> bytes:
    """One member of a zip, refusing one that inflates past :data:`MAX_BYTES`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        if info.file_size > MAX_BYTES:
            raise ValueError(f"{name} is too large to read back")
        return archive.read(info)
