"""Golden output (Pelican style): build input/ into a temp folder and diff against tests/golden/site/.

The fake engine keeps this fast and deterministic; the real voice is covered by
test_end_to_end.py.  Regenerate after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden_site.py`` and
read the diff before committing it.
"""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import Config, SpeechConfig

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "site"
TEXT_SUFFIXES = {".html", ".xml", ".vtt", ".json"}


def _text_files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in TEXT_SUFFIXES and ".publisher" not in p.parts
    }


@pytest.fixture(scope="module")
def golden_build(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("golden-in") / "input"
    shutil.copytree(REPO / "input", inputs)
    output = tmp_path_factory.mktemp("golden-out")
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01T00:00:00Z
    try:
        summary = build([inputs], output, Config(speech=SpeechConfig(engine="fake")), jobs=1, quiet=True)
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
    assert not summary.failed, [(r.source, r.error) for r in summary.failed]
    return output


def test_site_matches_golden_output(golden_build):
    built = _text_files(golden_build)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in built.items():
            target = GOLDEN / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    expected = _text_files(GOLDEN)
    assert sorted(built) == sorted(expected)
    for name in expected:
        if built[name] != expected[name]:
            diff = "".join(difflib.unified_diff(
                expected[name].splitlines(True), built[name].splitlines(True), f"golden/{name}", f"built/{name}", n=1))
            pytest.fail(f"{name} differs from the golden output:\n{diff[:4000]}")
