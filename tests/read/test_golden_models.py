"""Golden article models: every sample in input/ and the seed, read end to end.

Each golden file is ``publisher.model.to_jsonable(article)`` as JSON
(sort_keys, indent=1, ensure_ascii=False).  A change to any reader, the
segmenter or the id scheme shows up here as a readable diff.  After an
intended change regenerate them and review the diff before committing::

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/read/test_golden_models.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publisher.model import to_jsonable
from publisher.read import read_article

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PUBLISHER_SHARED", REPO.parent / "shared"))
GOLDEN = REPO / "tests" / "golden" / "models"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# (golden name, input file, the source path recorded in the golden file).
# The recorded path is fixed so the goldens do not depend on where the
# repository or the shared folder live.
CASES = [
    ("harbour-ferry", REPO / "input" / "harbour-ferry.txt", "input/harbour-ferry.txt"),
    ("river-cleanup", REPO / "input" / "river-cleanup.md", "input/river-cleanup.md"),
    ("city-library", REPO / "input" / "city-library.html", "input/city-library.html"),
    ("seed-article", SHARED / "seed" / "article.txt", "seed/article.txt"),
]


def serialize(article) -> str:
    return json.dumps(to_jsonable(article), sort_keys=True, indent=1, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name, path, recorded", CASES, ids=[c[0] for c in CASES])
def test_model_matches_golden(name, path, recorded):
    article = read_article(path)
    assert article.source == str(path)
    data = to_jsonable(article)
    data["source"] = recorded
    actual = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_sample_in_input_has_a_golden_model():
    samples = {p.name for p in (REPO / "input").iterdir() if p.is_file() and p.name != "README.md"}
    covered = {path.name for _, path, _ in CASES if path.parent == REPO / "input"}
    assert samples <= covered, f"samples without a golden model: {sorted(samples - covered)}"


def test_sample_articles_are_news_length():
    # The samples drive narration and feed tests: each is a real article's length.
    for name, path, _ in CASES[:3]:
        words = read_article(path).word_count()
        assert 450 <= words <= 1000, (name, words)


@pytest.mark.parametrize("byline, names", [
    ("By Rosalind Achterberg", "Rosalind Achterberg"),
    ("by: Ann Lee and Tom Roe", "Ann Lee and Tom Roe"),
    ("Written by Ann Lee", "Ann Lee"),
    ("Byron Lee", "Byron Lee"),
    ("  ", None),
])
def test_bylines_are_names_only_whatever_the_format(byline, names):
    from publisher.segment import byline_names

    assert byline_names(byline) == names


def test_sample_bylines_have_no_by_prefix():
    for name, path, _ in CASES[:3]:
        byline = read_article(path).byline
        assert byline and not byline.lower().startswith("by "), (name, byline)
