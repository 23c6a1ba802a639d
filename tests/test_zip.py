"""The one zip writer (exporters/_zip.py): its memo of deflated members changes no byte."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import zipfile

from healthinfo.exporters import _zip

MOMENT = dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)


def _plain_zip(members: list[tuple[str, bytes]], level: int) -> bytes:
    """The same members through zipfile's own writestr, as write_zip writes them
    without the memo."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, data in members:
            info = zipfile.ZipInfo(name, (2024, 5, 1, 12, 30, 0))
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100000 | 0o644) << 16
            target.writestr(info, data, compresslevel=level)
    return out.getvalue()


def _members(seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    words = [b"styles", b"theme", b"paragraph", b"heading", b"w:val", b"<w:p>", b"\n"]
    big = b" ".join(rng.choice(words) for _ in range(20_000))  # over MEMO_MIN_SIZE, compressible
    return [
        ("mimetype", b"application/epub+zip"),
        ("styles.xml", big),
        ("document.xml", big + str(seed).encode()),
        ("noise.bin", os.urandom(5000)),  # incompressible: deflate stores blocks
        ("empty.xml", b""),
        ("picture.png", os.urandom(3000)),
    ]


def test_memo_writes_the_bytes_zipfile_writes() -> None:
    _zip._DEFLATED.clear()
    _zip._SEEN.clear()
    for level in (6, 9):
        members = _members(1)
        first = _zip.write_zip(members, MOMENT, compresslevel=level)
        assert not _zip._DEFLATED  # seen once: not kept
        second = _zip.write_zip(members, MOMENT, compresslevel=level)  # seen again: kept...
        assert len(_zip._DEFLATED) >= 2
        third = _zip.write_zip(members, MOMENT, compresslevel=level)  # ...and taken from the memo
        assert first == second == third == _plain_zip(members, level)
        _zip._DEFLATED.clear()
        with zipfile.ZipFile(io.BytesIO(first)) as archive:
            assert archive.testzip() is None
            assert [(i.filename, archive.read(i)) for i in archive.infolist()] == members


def test_memo_is_bounded_and_keyed_by_level() -> None:
    _zip._DEFLATED.clear()
    for seed in range(_zip.MEMO_ENTRIES + 10):
        _zip.write_zip(_members(seed), MOMENT)
        _zip.write_zip(_members(seed), MOMENT)
    assert len(_zip._DEFLATED) <= _zip.MEMO_ENTRIES
    assert len(_zip._SEEN) <= _zip.SEEN_ENTRIES
    data = _members(0)[1][1]
    assert _zip.deflated(data, 1) != _zip.deflated(data, 9)
