from __future__ import annotations

import os

import pytest

from publisher import fsutil
from publisher.fsutil import atomic_write_bytes, atomic_write_text


def test_writes_bytes_and_creates_parents(tmp_path):
    target = tmp_path / "a" / "b" / "out.bin"
    atomic_write_bytes(target, b"\x00\x01payload")
    assert target.read_bytes() == b"\x00\x01payload"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_replaces_existing_file_with_text(tmp_path):
    target = tmp_path / "page.html"
    target.write_text("old")
    atomic_write_text(target, "new – ünïcode")
    assert target.read_text(encoding="utf-8") == "new – ünïcode"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_failure_keeps_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_text("original")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fsutil.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "partial")
    assert target.read_text() == "original"
    assert os.listdir(tmp_path) == ["keep.txt"]


def test_failure_during_write_leaves_no_temp(tmp_path):
    class Unwritable:
        def __len__(self):
            return 1

    with pytest.raises(TypeError):
        atomic_write_bytes(tmp_path / "x.bin", Unwritable())  # type: ignore[arg-type]
    assert os.listdir(tmp_path) == []
