"""The one deterministic zip writer of the zip-based formats (EPUB's OCF container,
DOCX's OPC package).

The same members give the same bytes: the members in the order given, every member
dated the same moment (never the wall clock), fixed permissions, and pictures stored (PNG and JPEG are compressed
already: deflating them again costs more time than anything else in the zip and
saves almost nothing), everything else deflated.

A zip dates its members in MS-DOS form (APPNOTE section 4.4.6): years 1980 to 2107
(seven bits from 1980), seconds in steps of two. A moment outside that range is
clamped to its nearest end: before 1980-01-01 00:00:00 to that moment, after
2107-12-31 23:59:58 (``SOURCE_DATE_EPOCH`` beyond 4354819198) to that one, so that a
far date makes a zip dated at the end of what it can hold rather than an error.

Members that are the same in many files (a DOCX's styles and theme, an EPUB's style
sheet and fonts) are deflated once per process: the deflated bytes of a member depend
only on its bytes and the level, so the memo changes no byte of any file.

References: the ZIP File Format Specification (PKWARE APPNOTE 6.3.10), EPUB 3.3
section 4.2 (the OCF ZIP container), ECMA-376 Part 2 (Open Packaging Conventions).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterable

__all__ = ["STORED_SUFFIXES", "ZIP_EPOCH", "ZIP_LAST", "write_zip"]

#: The first moment a zip can hold (the MS-DOS date of its format).
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
#: The last moment a zip can hold: year 1980 + 127, an even second.
ZIP_LAST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)

#: Members written without compression: their data is compressed already.
STORED_SUFFIXES = (".png", ".jpg", ".jpeg")


#: Members smaller than this are deflated each time (the memo would cost what it saves).
MEMO_MIN_SIZE = 2048
#: How many deflated members the memo keeps (the most recently used).
MEMO_ENTRIES = 32
#: How many members the memo remembers having seen (by hash) without keeping them.
SEEN_ENTRIES = 512
_DEFLATED: OrderedDict[tuple[bytes, int], bytes] = OrderedDict()
_SEEN: OrderedDict[tuple[int, int], None] = OrderedDict()


def deflated(data: bytes, level: int) -> bytes:
    """The raw deflate stream of ``data`` at ``level``, as zipfile writes a member
    (``zlib.compressobj(level, DEFLATED, -15)``). Kept for the next file once the same
    bytes come a second time: a member that is the same in every file (a style sheet)
    is deflated twice per process, one that is new each time (the text) is not kept."""
    key = (data, level)
    found = _DEFLATED.get(key)
    if found is not None:
        _DEFLATED.move_to_end(key)
        return found
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    found = compressor.compress(data) + compressor.flush()
    seen = (hash(data), level)
    if seen in _SEEN:
        _DEFLATED[key] = found
        if len(_DEFLATED) > MEMO_ENTRIES:
            _DEFLATED.popitem(last=False)
    else:
        _SEEN[seen] = None
        if len(_SEEN) > SEEN_ENTRIES:
            _SEEN.popitem(last=False)
    return found


class _Known:
    """Stands in for zipfile's compressor of one member whose deflated bytes are known:
    zipfile still counts the sizes, computes the CRC and writes the headers itself."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def compress(self, chunk: bytes) -> bytes:
        data, self.data = self.data, b""
        return data

    def flush(self) -> bytes:
        return b""


def _write_member(target: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes, compresslevel: int) -> None:
    """``target.writestr(info, data)``, with a large deflated member's bytes from the
    memo. zipfile has no call for writing bytes deflated beforehand; its member writer
    takes them in place of its compressor (checked to exist: without it, as writestr)."""
    if info.compress_type != zipfile.ZIP_DEFLATED or len(data) < MEMO_MIN_SIZE:
        target.writestr(info, data, compresslevel=compresslevel)
        return
    info._compresslevel = compresslevel  # type: ignore[attr-defined]  # as writestr sets it
    info.file_size = len(data)
    with target.open(info, mode="w") as member:
        if not hasattr(member, "_compressor"):
            member.write(data)
            return
        member._compressor = _Known(deflated(data, compresslevel))
        member.write(data)


def _date_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    stamp = min(max(moment.astimezone(dt.UTC), ZIP_EPOCH), ZIP_LAST)
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
            _write_member(target, info, data, compresslevel)
    return out.getvalue()
