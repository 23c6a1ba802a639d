"""The one deterministic zip writer of the zip-based formats (EPUB's OCF container,
DOCX's OPC package).

The same members give the same bytes: the members in the order given, every member
dated the same moment (never the wall clock, and no earlier than 1980, the first date
a zip can hold), fixed permissions, and pictures stored (PNG and JPEG are compressed
already: deflating them again costs more time than anything else in the zip and
saves almost nothing), everything else deflated.

References: the ZIP File Format Specification (PKWARE APPNOTE 6.3.10), EPUB 3.3
section 4.2 (the OCF ZIP container), ECMA-376 Part 2 (Open Packaging Conventions).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable

__all__ = ["STORED_SUFFIXES", "ZIP_EPOCH", "write_zip"]

#: The first moment a zip can hold (the MS-DOS date of its format).
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)

#: Members written without compression: their data is compressed already.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg")


def _date_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(moment.astimezone(dt.UTC), ZIP_EPOCH)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def write_zip(
    members: Iterable[tuple[str, bytes]],
    moment: dt.datetime,
    *,
    stored: Iterable[str] = (),
    compresslevel: int = 9,
    unix_mode: int | None = 0o644,
) -> bytes:
    """A zip of ``members`` (name, bytes), in that order, every member dated
    ``moment``. ``stored``: names written without compression besides the pictures
    (EPUB's ``mimetype``). ``unix_mode``: the permissions written (made on Unix), or
    None to write none (made on MS-DOS, as Word writes its packages)."""
    date_time = _date_time(moment)
    uncompressed = frozenset(stored)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time)
            if name in uncompressed or name.lower().endswith(STORED_SUFFIXES):
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            if unix_mode is None:
                info.create_system = 0
                info.external_attr = 0
            else:
                info.create_system = 3
                info.external_attr = (0o100000 | unix_mode) << 16
            target.writestr(info, data, compresslevel=compresslevel)
    return out.getvalue()
