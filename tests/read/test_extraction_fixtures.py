"""Body extraction on pages written blind (tests/read/fixtures/extraction: each
<name>.html with its hand-made <name>.txt body, by a writer who never saw the
reader's code).  Word 4-grams, pooled over the pages, as the Article Extraction
Benchmark scores; bench/extract --fixtures gives the same numbers beside
trafilatura's.  Floors sit a little under what the reader reaches, so a change
that loses story text or lets chrome in fails here."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from publisher.read.html import body_text_from_html, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "extraction"
PAGES = sorted(FIXTURES.glob("*.html"))
MIN_PRECISION, MIN_RECALL = 0.95, 0.98


def grams(text: str) -> Counter:
    words = re.findall(r"\w+", text.lower())
    return Counter(tuple(words[i:i + 4]) for i in range(len(words) - 3))


def test_the_blind_pages_are_all_there():
    assert len(PAGES) >= 20 and all(p.with_suffix(".txt").exists() for p in PAGES)


def test_pooled_precision_and_recall():
    found = expected = right = 0
    for page in PAGES:
        ours = grams(body_text_from_html(page.read_text(encoding="utf-8")))
        truth = grams(page.with_suffix(".txt").read_text(encoding="utf-8"))
        found += sum(ours.values())
        expected += sum(truth.values())
        right += sum((ours & truth).values())
    assert right / found >= MIN_PRECISION, f"precision {right / found:.3f}"
    assert right / expected >= MIN_RECALL, f"recall {right / expected:.3f}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_no_page_loses_most_of_its_story(page):
    ours = grams(body_text_from_html(page.read_text(encoding="utf-8")))
    truth = grams(page.with_suffix(".txt").read_text(encoding="utf-8"))
    assert sum((ours & truth).values()) / sum(truth.values()) >= 0.85


def test_a_quote_the_extractor_dropped_comes_back_in_place():
    """In the live blog the extractor drops one post's photo, quote and title;
    they are put back next to the post's surviving paragraph."""
    draft = read_html((FIXTURES / "live_updates_page.html").read_bytes(), "live.html")
    kinds = [(b.kind, (b.text or "")[:30]) for b in draft.blocks]
    pascoe = next(i for i, b in enumerate(draft.blocks) if (b.text or "").startswith("Derek Pascoe"))
    assert draft.blocks[pascoe + 1].kind == "quote", kinds
    assert draft.blocks[pascoe + 1].text.startswith('"The water came up in about ten minutes.')
    heading = max(i for i, b in enumerate(draft.blocks[:pascoe]) if b.kind == "heading")
    assert draft.blocks[heading].text == "'The water came up in about ten minutes'"
