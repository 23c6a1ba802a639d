"""The cache folder's files (healthinfo._kept): whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthinfo._kept import keep_file


def test_a_kept_file_is_written_whole_with_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "templates" / "cover-1.png"
    keep_file(path, b"first")
    keep_file(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in path.parent.iterdir()] == ["cover-1.png"]


def test_a_file_that_cannot_be_kept_leaves_nothing_and_raises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    keep_file(blocked / "x.json", b"{}")  # the folder cannot be made
    assert blocked.read_text(encoding="utf-8") == "a file where the folder would be"

    def failing_replace(source: str, target: Path) -> None:
        raise OSError(28, "No space left on device")

    folder = tmp_path / "cache"
    monkeypatch.setattr("healthinfo._kept.os.replace", failing_replace)
    keep_file(folder / "x.json", b"{}")
    assert list(folder.iterdir()) == []
