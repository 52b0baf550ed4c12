"""Article → Script: reading order, roles, ids, pauses, asides, credits."""
from __future__ import annotations

import os
import re

import pytest

from publisher.model import Article, Paragraph, Section, Sentence
from publisher.read.draft import DraftArticle, DraftBlock
from publisher.segment import build_article
from publisher.speech.lexicon import Lexicon, LexiconEntry
from publisher.speech.normalize import NormalizeOptions
from publisher.speech.prepare import PrepareOptions, prepare_script
from publisher.speech.types import Script


def draft(**overrides) -> DraftArticle:
    blocks = [
        DraftBlock("figure", src="minsk.jpg", alt="", caption="Mourners gathered in Minsk on Aug. 15, 2020.",
                   credit="Jane Roe"),
        DraftBlock("paragraph", text="Lukashenka spoke to Putin on Aug. 15. He won 80.1% of the vote."),
        DraftBlock("quote", text="He won 80.1% of the vote.", quote_kind="pull"),
        DraftBlock("heading", text="The Protests", level=2),
        DraftBlock("paragraph", text="More than 7,000 people were detained. Dr. Ivanova treated 12 of them."),
        DraftBlock("quote", text="We will not give up.", attribution="A protester"),
        DraftBlock("list", items=["Free the detainees.", "Hold new elections."], ordered=True),
        DraftBlock("table", caption="Official results",
                   rows=[[("Candidate", True), ("Share", True)],
                         [("Lukashenka", False), ("80.1%", False)],
                         [("Tsikhanouskaya", False), ("10.1%", False)]]),
        DraftBlock("credit", text="With additional reporting from TASS.", credit_kind="reporting"),
        DraftBlock("heading", text="Only a Photo", level=2),
        DraftBlock("figure", src="square.jpg", alt="An empty square", caption="The square after the rally."),
        DraftBlock("heading", text="What Comes Next", level=2),
        DraftBlock("paragraph", text="Talks may begin in 2021."),
        DraftBlock("credit", text="Correction: An earlier version misspelled a name.", credit_kind="correction"),
    ]
    values = dict(title="Belarus Turns To Russia", identity="file:test-article", dek="A call to Moscow.",
                  byline="By Ann Writer", blocks=blocks, language="en")
    values.update(overrides)
    return DraftArticle(**values)


@pytest.fixture(scope="module")
def article() -> Article:
    return build_article(draft())


@pytest.fixture(scope="module")
def script(article) -> Script:
    return prepare_script(article)


def spoken(section) -> list[str]:
    return [u.spoken for u in section.utterances]


def test_section_order_and_titles(script):
    assert [(s.title, s.toc) for s in script.sections] == [
        ("Introduction", True),
        ("Photo caption", False),
        ("The Protests", True),
        ("Photo caption", False),  # the section holding only a photo is dropped, its caption stays
        ("What Comes Next", True),
        ("Credits", True),
    ]
    assert [s.file_stem for s in script.sections] == [
        "01-introduction", "02-photo-caption", "03-the-protests", "04-photo-caption",
        "05-what-comes-next", "06-credits",
    ]


def test_intro_reads_headline_dek_byline_then_the_lead(script, article):
    intro = script.sections[0]
    assert intro.section_id == article.sections[0].id  # the untitled lead section's chapter
    roles = [u.role for u in intro.utterances]
    assert roles[:3] == ["title", "dek", "byline"]
    assert intro.utterances[0].sentence_id == article.title_sentence.id
    assert intro.utterances[1].sentence_id == article.dek_sentence.id
    assert intro.utterances[2].sentence_id is None
    assert intro.utterances[2].display == "Ann Writer"
    assert intro.utterances[2].spoken == "By Ann Writer"
    assert spoken(intro)[3:] == [
        "Lukah-shenka spoke to Putin on August fifteenth.",
        "He won eighty point one percent of the vote.",
    ]


def test_pull_quote_repeating_the_body_is_not_read(script):
    said = [u.spoken for s in script.sections for u in s.utterances]
    assert said.count("He won eighty point one percent of the vote.") == 1


def test_sentence_ids_and_display_text_are_carried_through(script, article):
    model_sentences = {s.id: s.text for s in article.iter_sentences()}
    for section in script.sections:
        for u in section.utterances:
            if u.sentence_id is not None:
                assert model_sentences[u.sentence_id] == u.display


def test_spoken_text_is_normalized_and_uses_the_lexicon(script):
    protests = script.sections[2]
    assert spoken(protests)[:3] == [
        "The Protests",
        "More than seven thousand people were detained.",
        "Doctor Ivanova treated twelve of them.",
    ]
    assert protests.utterances[0].role == "heading"
    for section in script.sections:
        for u in section.utterances:
            assert not re.search(r"\d|%|\$", u.spoken), u


def test_quotes_lists_and_tables(script):
    protests = script.sections[2]
    by_role = {}
    for u in protests.utterances:
        by_role.setdefault(u.role, []).append(u.spoken)
    assert by_role["quote"] == ["We will not give up.", "A protester"]
    assert by_role["list"] == ["one. Free the detainees.", "two. Hold new elections."]
    assert by_role["table"] == [
        "Table: Official results.",
        "Candidate: Lukah-shenka; Share: eighty point one percent.",
        "Candidate: Tseekha-nohskaya; Share: ten point one percent.",
    ]
    list_items = [u for u in protests.utterances if u.role == "list"]
    assert list_items[0].display == "Free the detainees."  # the number is spoken, not displayed


def test_caption_aside_starts_with_a_label(script, article):
    aside = script.sections[1]
    figure = next(b for b in article.sections[0].blocks if type(b).__name__ == "Figure")
    assert aside.section_id == figure.id
    label = aside.utterances[0]
    assert (label.sentence_id, label.spoken, label.role) == (None, "Photo caption.", "label")
    assert aside.utterances[1].sentence_id == figure.caption.sentences[0].id
    assert aside.utterances[1].spoken == "Mourners gathered in Minsk on August fifteenth, twenty twenty."
    assert aside.utterances[1].role == "caption"
    assert aside.utterances[-1].role == "credit" and aside.utterances[-1].spoken == "Jane Roe"


def test_credits_are_collected_and_read_last(script):
    credits = script.sections[-1]
    assert credits.section_id == "credits"
    assert [u.role for u in credits.utterances] == ["credit", "credit"]
    assert spoken(credits) == [
        "With additional reporting from TASS.",
        "Correction: An earlier version misspelled a name.",
    ]
    body = [u.spoken for s in script.sections[:-1] for u in s.utterances]
    assert not any("reporting from" in line for line in body)


def test_pauses(script):
    opts = PrepareOptions()
    intro = script.sections[0].utterances
    assert intro[3].pause_after_ms == opts.sentence_pause_ms  # between sentences of a paragraph
    protests = script.sections[2].utterances
    assert protests[2].pause_after_ms == opts.paragraph_pause_ms  # end of a paragraph
    for section in script.sections:
        assert section.utterances[-1].pause_after_ms == opts.section_pause_ms
        for u in section.utterances[:-1]:
            assert u.pause_after_ms < opts.section_pause_ms
    assert opts.sentence_pause_ms < opts.paragraph_pause_ms < opts.section_pause_ms


def test_captions_can_be_left_unread(article):
    script = prepare_script(article, PrepareOptions(read_captions=False))
    assert "Photo caption" not in [s.title for s in script.sections]
    assert all(u.role != "caption" for s in script.sections for u in s.utterances)


def test_script_header(script, article):
    assert script.article_id == article.id
    assert script.language == "en"


def test_custom_lexicon_and_url_mode():
    article = build_article(draft(blocks=[
        DraftBlock("paragraph", text="Minsk news is at https://example.com/minsk today."),
    ], dek=None, byline=None))
    lexicon = Lexicon([LexiconEntry("Minsk", "Meensk")])
    script = prepare_script(article, PrepareOptions(normalize=NormalizeOptions(urls="drop")), lexicon)
    assert spoken(script.sections[0])[-1] == "Meensk news is at today."
    script = prepare_script(article, lexicon=lexicon)
    assert spoken(script.sections[0])[-1] == "Meensk news is at example dot com today."


def test_a_respelled_utterance_keeps_the_words_a_listener_would_write():
    article = build_article(draft(blocks=[
        DraftBlock("paragraph", text="Minsk had 2 trams. Nothing here is respelled."),
    ], dek=None, byline=None))
    script = prepare_script(article, lexicon=Lexicon([LexiconEntry("Minsk", "Meensk")]))
    by_display = {u.display: u for u in script.sections[0].utterances}
    respelled, plain = by_display["Minsk had 2 trams."], by_display["Nothing here is respelled."]
    assert (respelled.spoken, respelled.reference) == ("Meensk had two trams.", "Minsk had two trams.")
    assert plain.reference is None  # the same as what the voice reads


def test_utterance_language_follows_the_sentence():
    sentence = Sentence("s-1", "Добрый день.", "ru")
    article = Article(
        id="a", slug="a", title="Greetings", language="en",
        sections=(Section("sec-lead", None, 2, (Paragraph("p-1", (sentence, Sentence("s-2", "Hello there."))),)),),
    )
    script = prepare_script(article, lexicon=Lexicon())
    langs = {u.display: u.lang for u in script.sections[0].utterances}
    assert langs == {"Greetings": "en", "Добрый день.": "ru", "Hello there.": "en"}


def test_article_without_lead_section_gets_its_own_intro():
    article = build_article(draft(blocks=[
        DraftBlock("heading", text="First Part", level=2),
        DraftBlock("paragraph", text="Body text."),
    ]))
    script = prepare_script(article)
    assert [(s.section_id, s.title) for s in script.sections] == [
        ("intro", "Introduction"), (article.sections[0].id, "First Part"),
    ]
    assert [u.role for u in script.sections[0].utterances] == ["title", "dek", "byline"]


def test_large_tables_are_summarized():
    rows = [[("Year", True), ("Votes", True)]] + [[(str(2000 + i), False), (str(i * 10), False)] for i in range(20)]
    article = build_article(draft(blocks=[DraftBlock("table", rows=rows)], dek=None, byline=None))
    table = [u for u in prepare_script(article).sections[0].utterances if u.role == "table"]
    assert [u.spoken for u in table] == ["A table with twenty rows and two columns; it is on the page."]


def test_sentences_with_nothing_to_say_are_skipped():
    article = build_article(draft(blocks=[DraftBlock("paragraph", text="It grew. [12]")], dek=None, byline=None))
    body = [u for u in prepare_script(article).sections[0].utterances if u.role == "body"]
    assert [u.spoken for u in body] == ["It grew."]


def test_nothing_is_read_that_the_article_does_not_say(script, article):
    """No chrome: alt text, image URLs and site names are never read; every
    utterance without a sentence id is a known label or a piece of the model."""
    said = " ".join(u.spoken for s in script.sections for u in s.utterances)
    assert "An empty square" not in said  # alt text belongs to the image, captions are read instead
    assert ".jpg" not in said and "jpg" not in said
    unlabelled = {(u.role, u.display) for s in script.sections for u in s.utterances if u.sentence_id is None}
    assert unlabelled == {
        ("byline", "Ann Writer"), ("label", "Photo caption."), ("credit", "Jane Roe"),
        ("quote", "A protester"), ("table", "Table: Official results."),
        ("table", "Candidate: Lukashenka; Share: 80.1%."), ("table", "Candidate: Tsikhanouskaya; Share: 10.1%."),
    }


def test_seed_article_script_has_no_digits_and_respells_names():
    from pathlib import Path

    seed = Path(os.environ.get("PUBLISHER_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "seed" / "article.txt"
    paragraphs = [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    title = paragraphs[2]
    body = [DraftBlock("paragraph", text=p) for p in paragraphs[3:]]
    article = build_article(DraftArticle(title=title, blocks=body, identity="file:seed"))
    script = prepare_script(article)
    said = [u.spoken for s in script.sections for u in s.utterances]
    assert said[0] == "Belarus Proposes Cooperation With Russia To Meet Threat Of Protests"
    assert not any(re.search(r"\d", line) for line in said)
    assert any("Lukah-shenka" in line for line in said)
    assert not any("Lukashenka" in line for line in said)


def test_table_with_a_corner_cell_and_a_spanning_header_reads_each_value_with_its_column():
    rows = [[("", True), ("Basic plan", True), ("Premium", True)],
            [("Cost", False), ("$640", False), ("$1,040", False)]]
    article = build_article(draft(blocks=[DraftBlock("table", rows=rows)], dek=None, byline=None))
    table = [u.display for u in prepare_script(article).sections[0].utterances if u.role == "table"]
    assert table == ["Cost; Basic plan: $640; Premium: $1,040."]
    spanned = [[("Plan", True), ("Price", True)], [("Basic", False), ("$640", False), ("per year", False)]]
    article = build_article(draft(blocks=[DraftBlock("table", rows=spanned, spans={(0, 1): (2, 1)})],
                                  dek=None, byline=None))
    table = [u.display for u in prepare_script(article).sections[0].utterances if u.role == "table"]
    assert table == ["Plan: Basic; Price: $640; Price: per year."]


def test_chapter_titles_are_unique_when_headings_repeat():
    """Six "Verdict" chapters in a podcast app cannot be told apart: each takes its product's."""
    para = DraftBlock("paragraph", text="It held up well in the rain. The straps stayed put.")
    blocks = [para]
    for product in ("Trail Pack", "City Pack"):
        blocks += [DraftBlock("heading", text=product, level=2), para,
                   DraftBlock("heading", text="Verdict", level=3), para]
    article = build_article(draft(blocks=blocks, dek=None, byline=None))
    titles = [s.title for s in prepare_script(article).sections]
    assert "Trail Pack: Verdict" in titles and "City Pack: Verdict" in titles
    assert len(titles) == len(set(titles))
    spoken_headings = [u.spoken for s in prepare_script(article).sections for u in s.utterances if u.role == "heading"]
    assert spoken_headings.count("Verdict") == 2  # the heading is still read as written
