"""The plain-extraction floor: a page our pipeline misreads is read from the plain extraction.

Pages here are written for these tests: stories wrapped where our chrome rules
drop them (a figure, a dialog, a menu), and pages with no article at all, which
must still fail with the one-line error.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.errors import InputError
from publisher.read.html.fallback import FallbackRule, block_words, coverage, decide, trusted_without_floor
from publisher.read.draft import DraftBlock
from publisher.read.html import read_html
from publisher.segment import build_article

STORY = [
    "The ferry from Carrow Point ran late all week because the old engine kept overheating in the warm weather.",
    "Passengers waited on the quay for up to two hours, and some gave up and drove the long way round the bay.",
    "The harbour board said a replacement part had been ordered from a workshop in the north and would arrive soon.",
    "Local traders said the delays had cost them customers at the busiest time of the summer season this year.",
    "A spokesperson for the board apologised and promised a full timetable would return by the end of the month.",
]
PARAS = "".join(f"<p>{s}</p>" for s in STORY)


def _page(body: str) -> bytes:
    return f"<html><head><title>Ferry delays at Carrow Point</title></head><body>{body}</body></html>".encode()


@pytest.mark.parametrize("wrapper", ["header", "nav", "aside"])
def test_a_landmark_holding_the_pages_prose_is_read_by_our_pipeline(wrapper):
    """A story the parser put inside a header, nav or aside (unclosed tags) is not chrome."""
    draft = read_html(_page(f"<{wrapper}>{PARAS}</{wrapper}>"), "in/ferry.html")
    assert draft.reader.path == "pipeline"
    text = build_article(draft).body_text()
    assert all(sentence in text for sentence in STORY)


@pytest.mark.parametrize("wrapper", ["figure", "dialog", "menu"])
def test_story_our_pipeline_drops_is_read_from_the_plain_extraction(wrapper):
    draft = read_html(_page(f"<{wrapper}>{PARAS}</{wrapper}>"), "in/ferry.html")
    assert draft.reader.path == "plain"
    assert draft.reader.reason == "pipeline-empty"
    assert draft.reader.plain_words > 80 and draft.reader.pipeline_words == 0
    text = build_article(draft).body_text()
    for sentence in STORY:
        assert sentence in text


def test_plain_reading_keeps_the_structure_the_extraction_found():
    body = f"<figure><p>{STORY[0]}</p><p>{STORY[2]}</p><blockquote><p>{STORY[4]}</p></blockquote><p>{STORY[3]}</p></figure>"
    draft = read_html(_page(body), "in/ferry.html")
    assert draft.reader.path == "plain"
    assert [b.kind for b in draft.blocks] == ["paragraph", "paragraph", "quote", "paragraph"]
    assert draft.blocks[2].text == STORY[4]


def test_a_story_nested_in_an_unclosed_popup_and_header_is_read():
    """An <aside> pop-up and a <header> that never close: the parser nests the whole page,
    story included, inside them, and a plain extraction drops it with them."""
    body = ('<aside class="popup-overlay" id="popup-newsletter"><div class="popup">Sign up for our letter'
            '<header class="site-header"><a href="/">Home</a> <a href="/news">News</a>'
            f'<article class="entry"><h1>Ferry delays at Carrow Point</h1>{PARAS}</article>')
    draft = read_html(_page(body), "in/ferry.html")
    assert draft.reader.path == "pipeline"
    text = build_article(draft).body_text()
    assert all(sentence in text for sentence in STORY) and "Sign up" not in text


CHROME = ("<nav>" + " ".join(f"<a href='/s/{n}'>Section {n} news and more from the coast</a>" for n in range(40))
          + "</nav>")


def test_a_normal_story_keeps_our_pipeline():
    """Among as much chrome as story, the plain reading is made and agrees with ours."""
    draft = read_html(_page(f"{CHROME}<main><article><h1>Ferry delays</h1>{PARAS}</article></main>"), "in/ferry.html")
    assert draft.reader.path == "pipeline"
    assert draft.reader.reason == "agrees"
    assert draft.reader.coverage >= 0.9 and draft.reader.plain_words > 80


def test_a_reading_holding_most_of_the_page_needs_no_plain_reading():
    """Ours holding most of the page's words: a plain reading could be neither twice as long
    nor elsewhere, so the second extraction is not made (and the decision says so)."""
    draft = read_html(_page(f"<main><article><h1>Ferry delays</h1>{PARAS}</article></main>"), "in/ferry.html")
    assert (draft.reader.path, draft.reader.reason) == ("pipeline", "holds-page")
    assert draft.reader.plain_words is None and draft.reader.pipeline_words > 80
    assert all(sentence in build_article(draft).body_text() for sentence in STORY)


def test_trusted_without_floor_takes_the_share_of_the_page():
    ours = " ".join(STORY).lower().split()
    assert trusted_without_floor(ours, page_words=len(ours)).reason == "holds-page"
    assert trusted_without_floor(ours, page_words=int(len(ours) / 0.6)).reason == "holds-page"
    assert trusted_without_floor(ours, page_words=2 * len(ours)) is None
    assert trusted_without_floor(ours[:5], page_words=5) is None  # too short to judge alone


NO_ARTICLE = {
    "index": "<nav><ul>" + "".join(f"<li><a href='/s/{n}'>Story {n}</a></li>" for n in range(5)) + "</ul></nav>",
}


@pytest.mark.parametrize("name", sorted(NO_ARTICLE))
def test_page_with_no_article_still_fails_with_one_line(name):
    with pytest.raises(InputError) as err:
        read_html(_page(NO_ARTICLE[name]), f"in/{name}.html")
    line = str(err.value)
    assert line.startswith(f"in/{name}.html: ")
    assert "no article text" in line or "no paragraphs" in line
    assert "\n" not in line


def test_decide_falls_back_when_ours_is_short_or_unrelated():
    plain = " ".join(STORY).lower().split()
    assert decide(plain[:10], plain).reason == "pipeline-short"
    unrelated = ("home news sport weather contact us about careers privacy terms " * 12).split()
    d = decide(unrelated, plain)
    assert d.path == "plain" and d.reason == "pipeline-unrelated" and d.coverage == 0.0
    assert decide(plain, plain).path == "pipeline"
    assert decide([], plain[:5]).path == "none"  # no story on either side
    assert decide(plain, plain[:5]).reason == "plain-empty"
    assert decide(plain, plain, FallbackRule(min_coverage=1.01)).path == "plain"


def test_block_words_count_captions_lists_and_tables():
    blocks = [DraftBlock("figure", caption="Quay at dawn"), DraftBlock("list", items=["one two"]),
              DraftBlock("table", rows=[[("cell", True)]])]
    assert block_words(blocks) == ["quay", "at", "dawn", "one", "two", "cell"]
    assert coverage(["a", "b", "c", "d"], ["a", "b", "c", "d"], 4) == 1.0


def test_extract_json_shows_the_reader_decision(tmp_path: Path):
    page = tmp_path / "ferry.html"
    page.write_bytes(_page(f"<dialog>{PARAS}</dialog>"))
    out = subprocess.run([sys.executable, "-m", "publisher.cli", "extract", "--json", str(page)],
                         capture_output=True, text=True, check=True)
    reader = json.loads(out.stdout)["reader"]
    assert reader["path"] == "plain" and reader["reason"] == "pipeline-empty"
    assert reader["plain_words"] > 80
