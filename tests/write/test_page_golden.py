"""Golden output: the fixture article page and the index, byte for byte.

A change to the templates shows up here as a readable diff.  After a deliberate
change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/write/test_page_golden.py``
and review the diff of tests/golden/pages/ before committing.
"""
from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
GOLDEN = TESTS / "golden" / "pages"
sys.path.insert(0, str(TESTS / "browser"))  # the shared fixture article lives with the browser tests

import fixture_site  # noqa: E402

from publisher.write.page import render_article_page, render_index  # noqa: E402


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    article = fixture_site.fixture_article()
    narration = fixture_site.synthesize(article).narration
    out = tmp_path_factory.mktemp("golden-pages")
    (out / "article.html").write_text(render_article_page(article, narration, fixture_site.SITE), encoding="utf-8")
    entries = [fixture_site.episode_entry(article, narration)]
    (out / "index.html").write_text(render_index(entries, fixture_site.SITE), encoding="utf-8")
    return out


@pytest.mark.parametrize("name", ["article.html", "index.html"])
def test_page_matches_golden(rendered, name):
    actual = (rendered / name).read_text(encoding="utf-8")
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "rendered"))
    assert actual == expected, diff
