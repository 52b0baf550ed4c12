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
import re
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


# What each sample is for, stated outright (the goldens only say "unchanged").
SAMPLE_FACTS = {
    "harbour-ferry": dict(
        chrome=["Skip to main content", "Accessibility links", "Menu", "Breaking News", "Share", "Advertisement"],
        headings=["Engines, Hull and a Late Delivery", "What Changes for Passengers"],
        figures=1, credit_kind="reporting", byline="Maren Okafor and Tobias Wren, Harbour Ledger",
        dateline="PORT HALLOW (Harbour Ledger)", published="2025-03-14", money="$1.2 million",
    ),
    "river-cleanup": dict(
        chrome=["---", "title:", "![", "*"],
        headings=["A Record Haul, and a Familiar One", "The Problem Upstream", "What volunteers found, by the numbers", "Next Year"],
        figures=1, credit_kind="reporting", byline="Saoirse Blackwood and Kenji Adeyemi",
        dateline="ELLERY BRIDGE", published="2025-05-18", money="$1.8 million",
    ),
    "city-library": dict(
        chrome=["Skip to", "cookies", "Related stories", "Most read", "newsletter", "Comments are closed",
                "All rights reserved", "Share on", "Copy link", "dataLayer"],
        headings=["A Floor Run by Teenagers", "What Is New in the Building", "Opening hours", "A Building With a Long Memory"],
        figures=1, credit_kind="editors-note", byline="Rosalind Achterberg", dateline=None,
        published="2025-09-12T07:00:00+00:00", money="$14.6 million",
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLE_FACTS))
def test_sample_reads_as_intended(name):
    from publisher.model import Credit, Figure, ListBlock, Quote

    facts = SAMPLE_FACTS[name]
    path = next(p for n, p, _ in CASES if n == name)
    article = read_article(path)
    body = article.body_text()
    for chrome in facts["chrome"]:
        assert chrome not in body, chrome
    assert [s.heading for s in article.sections if s.heading] == facts["headings"]
    blocks = [b for _, b in article.iter_blocks()]
    figures = [b for b in blocks if isinstance(b, Figure)]
    assert len(figures) == facts["figures"]
    assert all(f.caption for f in figures)
    assert isinstance(blocks[-1], Credit) and blocks[-1].kind == facts["credit_kind"]
    assert (article.byline, article.dateline, article.published) == (facts["byline"], facts["dateline"], facts["published"])
    if name != "harbour-ferry":  # the plain-text dump has no quote or list markup
        assert any(isinstance(b, Quote) and b.attribution for b in blocks)
        assert any(isinstance(b, ListBlock) for b in blocks)
    # The samples exercise speech normalization.
    for token in (facts["money"], "%", "a.m.", "World War II", "Dr.", "St.", "1st" if name == "harbour-ferry" else "th"):
        assert token in body, (name, token)
    assert re.search(r"\b(?!II\b)[A-Z]{3,5}\b", body), (name, "an acronym")
    assert re.search(r"\b\d+(?:st|nd|rd|th)\b", body), (name, "an ordinal")
