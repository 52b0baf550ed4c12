"""Language identification through the real readers (py3langid), on articles written for this project
in eleven languages (tests/read/fixtures/languages/), short headlines and a mixed English/German story."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from publisher.read import draft_from_bytes, read_article
from publisher.read.language import article_language, passage_language
from publisher.text.language import identify

FIXTURES = Path(__file__).with_name("fixtures") / "languages"
ARTICLES = sorted(FIXTURES.glob("*.txt"))
ARTICLE_GOAL = 0.98  # the goal: right on at least 98 % of articles


def expected(path: Path) -> str:
    return path.name.split("-")[0]


def test_the_set_covers_at_least_eight_languages_with_two_articles_each():
    per_language = Counter(expected(p) for p in ARTICLES)
    assert len(per_language) >= 8 and min(per_language.values()) >= 2


def test_plain_text_articles_get_their_language_per_language_report():
    right, wrong = Counter(), []
    for path in ARTICLES:
        got = read_article(path).language
        if got == expected(path):
            right[expected(path)] += 1
        else:
            wrong.append(f"{path.name}: {got}")
    accuracy = sum(right.values()) / len(ARTICLES)
    assert accuracy >= ARTICLE_GOAL, wrong


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_the_same_text_as_markdown_is_identified_too(path):
    text = path.read_text("utf-8")
    title, _, body = text.partition("\n")
    markdown = f"# {title}\n\n{body}".encode()
    draft = draft_from_bytes(markdown, f"{path.stem}.md", "markdown")
    assert draft.language == expected(path)


@pytest.mark.parametrize("path", ARTICLES[::4], ids=lambda p: p.name)
def test_html_without_lang_is_identified_and_a_declared_lang_the_text_contradicts_is_replaced(path):
    lang = expected(path)
    title, *paragraphs = [p.strip() for p in re.split(r"\n\s*\n", path.read_text("utf-8")) if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    page = f"<html{{lang}}><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    undeclared = draft_from_bytes(page.replace("{lang}", "").encode(), "page.html", "html")
    assert undeclared.language == lang
    wrong = "de" if lang == "en" else "en"  # a template that hard-codes one lang on every page
    contradicted = draft_from_bytes(page.replace("{lang}", f' lang="{wrong}"').encode(), "page.html", "html")
    assert contradicted.language == lang


def test_a_declared_language_stands_against_a_close_relative():
    spanish = (FIXTURES / "es-mercado.txt").read_text("utf-8")
    assert article_language(spanish, "ca") == "ca"  # a relative: the author knows
    assert article_language(spanish, "de") == "es"  # not a relative, and the text is long and clear
    assert article_language(spanish, "de-AT") == "es"
    assert article_language("Kurzer Text.", "da") == "da"  # too short to contradict anything


def test_headlines_are_identified():
    rows = [line.split("\t", 1) for line in (FIXTURES / "short.tsv").read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
    misses = [(lang, text, identify(text).lang) for lang, text in rows if identify(text).lang != lang]
    assert len(rows) >= 20 and len(misses) <= len(rows) // 10, misses


def test_a_german_quote_in_an_english_story_is_marked_german_and_english_sentences_stay_english():
    from publisher.speech.prepare import prepare_script

    article = read_article(FIXTURES / "mixed-en-de.md")
    assert article.language == "en"
    spoken = [u for section in prepare_script(article).sections for u in section.utterances]
    by_lang = {u.display: u.lang for u in spoken}
    german = [d for d, lang in by_lang.items() if lang == "de"]
    assert any(d.startswith("Wir sind stolz") for d in german)  # the quote
    assert any(d.startswith("Der Partnerschaftsverein") for d in german)  # the German paragraph
    assert all(lang == "en" for d, lang in by_lang.items() if d.startswith("The "))


def test_short_or_letterless_text_does_not_get_a_guessed_passage_language():
    assert passage_language("Berlin, Paris, Madrid.", "en") is None
    assert identify("12 345 — 67").lang is None
