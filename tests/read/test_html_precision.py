"""Precision on unseen page shapes: closing boilerplate, lead images, story
text inside wrappers named like chrome.  Fixtures in tests/read/fixtures/html/.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from publisher.read.chrome import chrome_reason, press_boilerplate_kind
from publisher.read.draft import DraftArticle
from publisher.read.html import read_html
from publisher.segment import build_article

FIXTURES = Path(__file__).parent / "fixtures" / "html"
PRESS, WIRE = "press_release_tail.html", "wire_story_tail.html"
META = "story_in_meta_classes.html"


@lru_cache(maxsize=None)
def draft(name: str) -> DraftArticle:
    path = FIXTURES / name
    return read_html(path.read_bytes(), str(path))


def body(name: str) -> str:
    return build_article(draft(name)).body_text()


@pytest.mark.parametrize("page, boilerplate", [
    (PRESS, "Brightwater Energy is a leading developer"),
    (PRESS, "Forward-Looking Statements"),
    (PRESS, "Media contact"),
    (PRESS, "press@brightwater"),
    (PRESS, "SOURCE Brightwater"),
    (WIRE, "Founded in 2021"),
    (WIRE, "For more information, visit"),
])
def test_closing_boilerplate_is_dropped(page, boilerplate):
    assert boilerplate not in body(page)


@pytest.mark.parametrize("page, story", [
    (PRESS, "About 900 households and small businesses"),  # "About" opening a story sentence
    (PRESS, "A second farm, near the town of Orrin"),
    (WIRE, "Warehouse automation has attracted large investments"),
])
def test_story_text_before_the_boilerplate_stays(page, story):
    assert story in body(page)


@pytest.mark.parametrize("text, kind", [
    ("About Brightwater Energy Brightwater Energy is a leading developer of projects.", "tail"),
    ("About Acme: Acme makes brakes for trains.", "tail"),
    ("About the company: it was founded in 1990.", "tail"),
    ("Investor contacts: Sam Lee, ir@example.com", "tail"),
    ("Acme Corp (NASDAQ: ACME) is a maker of brakes for trains.", "line"),
    ("About half of them — the poorer ones — left the valley.", None),
    ("About the plan: few details were given.", None),
    ("The mill is a leading example of Victorian engineering, the trust says.", None),
    ("Source of the trouble was a faulty pump, engineers said.", None),
])
def test_press_boilerplate_rules(text, kind):
    assert press_boilerplate_kind(text, heading_like=False) == kind


def test_story_inside_author_and_meta_named_wrappers_is_kept():
    text = body(META)
    assert "When the council announced last month" in text
    assert "read those figures again before the vote on Thursday" in text
    # The real chrome around it still goes.
    for chrome in ("has written for the Fenmoor Times since 2004", "from £1 a week", "Reader0",
                   "smell of the reading room"):
        assert chrome not in text


def test_weak_class_words_remove_short_boxes_only():
    import lxml.html
    para = "<p>" + " ".join(["word"] * 30) + "</p>"
    box = lxml.html.fragment_fromstring(f'<div class="author-box"><p>Short bio.</p></div>')
    story = lxml.html.fragment_fromstring(f'<div class="author-column__text">{para * 3}</div>')
    strong = lxml.html.fragment_fromstring(f'<div class="comments">{para * 3}</div>')
    assert chrome_reason(box) == "class"
    assert chrome_reason(story) is None
    assert chrome_reason(strong) == "class"  # comments stay chrome however long


LEAD = "lead_image_header.html"


def test_lead_figure_in_the_story_header_is_kept_with_its_caption_out_of_the_text():
    first = draft(LEAD).blocks[0]
    assert first.kind == "figure"
    assert first.src == "https://shoreline.example.com/img/keeper-lead.jpg"
    assert first.caption == "Hal Brennick cleans the lamp at Sallow Point every morning."
    assert first.credit == "Photograph: Ines Varga"
    text = body(LEAD)
    assert "cleans the lamp" not in text and "Ines Varga" not in text and "By Tove Rask" not in text
    assert text.startswith("Every morning at seven")
    assert sum(1 for b in draft(LEAD).blocks if b.kind == "figure") == 1  # the site logo is not a figure


def _story(header: str) -> bytes:
    paras = "".join(f"<p>Paragraph {i} of the story is long enough to be read as story text by any "
                    f"extractor, with several clauses about the weather and the harbour.</p>" for i in range(4))
    return (f"<html><head><title>Harbour</title></head><body><article>{header}"
            f"<div class='entry-content'>{paras}</div></article></body></html>").encode()


@pytest.mark.parametrize("header, src", [
    ('<header class="entry-header"><div class="post-thumbnail"><img src="/img/hero.jpg" width="1200" '
     'alt="The harbour at dawn"></div><h1>Harbour</h1></header>', "/img/hero.jpg"),
    ('<header><h1>Harbour</h1><a href="/"><img src="/img/mark.png" width="600"></a>'
     '<img src="/img/author.jpg" width="48"></header>', None),
])
def test_lead_image_without_figure_markup(header, src):
    figures = [b for b in read_html(_story(header), "lead.html").blocks if b.kind == "figure"]
    assert [f.src for f in figures] == ([src] if src else [])
