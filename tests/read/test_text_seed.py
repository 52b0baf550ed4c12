"""The seed article (a plain-text dump of a real news page) read end to end, at the model level.

Read from /work/shared at test time (``PUBLISHER_SHARED`` overrides the folder).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from publisher.model import Credit, Figure, Paragraph
from publisher.read import read_article

SHARED = Path(os.environ.get("PUBLISHER_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEED = SHARED / "seed" / "article.txt"
CHROME = ("Accessibility links", "Breaking News")


@pytest.fixture(scope="module")
def seed():
    return read_article(SEED)


@pytest.fixture(scope="module")
def seed_lines():
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_title_is_the_headline(seed):
    assert seed.title == "Belarus Proposes Cooperation With Russia To Meet ‘Threat’ Of Protests"
    assert seed.id and seed.slug == "belarus-proposes-cooperation-with-russia-to-meet-threat-of"


def test_no_chrome_anywhere(seed):
    body = seed.body_text()
    for chrome in CHROME:
        assert chrome not in body
        assert chrome not in seed.title
        assert all(chrome != s.text for s in seed.iter_sentences())


def test_the_doubled_caption_is_one_figure_with_one_caption(seed, seed_lines):
    caption = seed_lines[3]
    assert seed_lines[4] == caption  # the dump really prints it twice
    figures = [b for _, b in seed.iter_blocks() if isinstance(b, Figure)]
    assert len(figures) == 1
    figure = figures[0]
    assert figure.caption is not None and figure.caption.text == caption
    assert (figure.alt, figure.alt_reason) == ("", "caption-describes")
    # Once in the model: never in the story text, never read twice.
    assert caption not in seed.body_text()
    assert sum(1 for s in seed.iter_sentences() if s.text.startswith("Thousands gathered in Minsk")) == 1


def test_last_block_is_the_reporting_credit(seed):
    last = seed.sections[-1].blocks[-1]
    assert isinstance(last, Credit)
    assert last.kind == "reporting"
    assert last.paragraph.text == "With additional reporting from TASS and BelTA"
    assert "TASS and BelTA" not in seed.body_text()


def test_every_story_paragraph_is_kept_in_order(seed, seed_lines):
    story_lines = seed_lines[5:-1]  # after chrome, headline and the doubled caption; before the credit
    paragraphs = [b.text for _, b in seed.iter_blocks() if isinstance(b, Paragraph)]
    squash = lambda t: " ".join(t.split())  # noqa: E731
    assert paragraphs == [squash(line) for line in story_lines]


@pytest.mark.parametrize("quote", [
    "“I am not a bloodthirsty person and I do not want any violence,” Karayev said",
    "“We won’t give the country up to anyone. We’ll maintain the situation.”",
    "“There’s no need to lull us with peaceful rallies and demonstrations,” he said",
    "“If people think that we will reconsider and award victory to Tsikhanouskaya, that's not the way it works.\"",
])
def test_quotes_are_present(seed, quote):
    assert quote in seed.body_text()


def test_language_source_and_sentences(seed):
    assert seed.language == "en"
    assert seed.source == str(SEED)
    assert seed.byline is None and seed.dateline is None
    sentences = [s.text for s in seed.iter_sentences()]
    assert "But now, Minsk no longer appears to need that message." in sentences
    assert len({s.id for s in seed.iter_sentences()}) == len(sentences)
    assert not any(re.fullmatch(r"\W*", s) for s in sentences)
