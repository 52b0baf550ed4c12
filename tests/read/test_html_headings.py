"""Section headings: the author's subheadings, exactly, and nothing else.

Fixtures (tests/read/fixtures/headings/) are pages written for these tests in
different CMS shapes; the JSON beside each lists its subheadings in order.
bench/headings prints the same comparison as recall/precision, with
trafilatura's headings alongside.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.read.draft import DraftBlock
from publisher.read.html import read_html
from publisher.read.html.headings import (
    HeadingAnchor, heading_anchors, restore_headings, strip_permalink_marks,
)

FIXTURES = Path(__file__).parent / "fixtures" / "headings"
SPECS = sorted(FIXTURES.glob("*.json"))


def headings_of(html: bytes, name: str = "page.html") -> list[str]:
    return [b.text for b in read_html(html, name).blocks if b.kind == "heading"]


def test_there_are_enough_fixture_shapes():
    assert len(SPECS) >= 12
    for spec in SPECS:
        assert spec.with_suffix(".html").exists(), spec


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem for s in SPECS])
def test_fixture_headings_are_the_authors_subheadings(spec):
    expected = json.loads(spec.read_text(encoding="utf-8"))["headings"]
    assert headings_of(spec.with_suffix(".html").read_bytes(), spec.name) == expected


@pytest.mark.parametrize("raw, text", [
    ("The first month ¶", "The first month"),
    ("The support rota§", "The support rota"),
    ("# Why we tried it", "Why we tried it"),
    ("Would I recommend it? #", "Would I recommend it?"),
    ("🔗 What we measured", "What we measured"),
    ("#1 priority for the council", "#1 priority for the council"),
    ("C# in ten minutes", "C# in ten minutes"),
])
def test_permalink_marks_leave_heading_text(raw, text):
    assert strip_permalink_marks(raw) == text


def _page(body: str) -> bytes:
    paras = "".join(
        f"<p>Paragraph {i} of the story tells the reader something new about the harbour, "
        f"the boats that use it and the people who have worked there for many years.</p>"
        for i in range(3))
    return f"<html><head><title>Harbour story</title></head><body><article><h1>Harbour story</h1>" \
           f"{paras}{body}{paras}</article></body></html>".encode()


@pytest.mark.parametrize("markup", [
    '<p class="crosshead">Boats and berths</p>',
    '<div class="article-body__subheading">Boats and berths</div>',
    '<h2 class="card-header">Boats and berths</h2>',
    '<div class="box__header"><h3>Boats and berths</h3></div>',
    '<h2 id="boats-and-berths">Boats and berths<a class="anchor" href="#boats-and-berths">#</a></h2>',
    '<h2>Boats and berths<div class="widget"><a href="#x"><svg></svg></a></div></h2>',
    '<h2 id="part2">Boats and berths<a class="subhead-link" href="#part2">#part2</a></h2>',
])
def test_subheading_shapes(markup):
    assert headings_of(_page(markup + "<p>After the heading comes a paragraph long enough to be story "
                                      "text, about moorings and the fees charged for them.</p>")) \
        == ["Boats and berths"]


@pytest.mark.parametrize("markup", [
    '<p><span class="crosshead">Boats</span> are moored along the wall all summer long.</p>',
    '<div class="header"><h3>Boats and berths</h3><a href="/x">More harbour news</a></div>',
    '<h2 id="share-this">Share this</h2>',
])
def test_not_subheadings(markup):
    assert "Boats and berths" not in headings_of(_page(markup + "<p>After the heading comes a paragraph "
                                                                "long enough to be story text.</p>"))
    assert "Share this" not in headings_of(_page(markup))


def test_anchor_records_the_text_after_each_heading():
    import lxml.html
    root = lxml.html.document_fromstring(
        "<body><h1>Title</h1><h2>One</h2><h3>Two</h3><p>First <b>words</b> here.</p><p>Next.</p>"
        "<h2>Three</h2><ul><li>Item text</li></ul></body>")
    anchors = heading_anchors(root)
    assert [(a.text, a.level) for a in anchors] == [("One", 2), ("Two", 3), ("Three", 2)]
    assert anchors[0].next_heading is anchors[1]
    assert anchors[1].next_text == "First words here."
    assert anchors[2].next_text == "Item text"


def test_restore_puts_a_lost_heading_before_its_paragraph_once():
    blocks = [DraftBlock("paragraph", text="Opening words of the story."),
              DraftBlock("paragraph", text="Lost heading"),
              DraftBlock("paragraph", text="Text after the lost heading goes on."),
              DraftBlock("list", items=["Item after the second heading"])]
    bold = [False] * len(blocks)
    anchors = [HeadingAnchor("Lost heading", 3, next_text="Text after the lost heading goes on and on"),
               HeadingAnchor("Second", 2, next_text="Item after the second heading"),
               HeadingAnchor("Outside the story", 2, next_text="A paragraph the extractor dropped")]
    restore_headings(blocks, bold, anchors, {}, lambda t, lvl: DraftBlock("heading", text=t, level=lvl))
    assert [(b.kind, b.text) for b in blocks][:4] == [
        ("paragraph", "Opening words of the story."), ("heading", "Lost heading"),
        ("paragraph", "Text after the lost heading goes on."), ("heading", "Second")]
    assert blocks[1].level == 3 and len(bold) == len(blocks)
    assert not any(b.text == "Outside the story" for b in blocks)


def test_a_repeated_heading_is_put_back_under_each_product():
    """A review heads every product's notes "Why we like it": each copy goes back before its
    own paragraph, and a heading following a repeated one lands before the right copy."""
    notes = ["The Quay 3 ran for nine days on one charge.", "The Harbour S folds flat into a bag.",
             "The Pier Mini costs half as much as the rest."]
    blocks = [DraftBlock("heading", text=name) for name in ("Quay 3", "Harbour S", "Pier Mini")]
    blocks = [b for pair in zip(blocks, (DraftBlock("paragraph", text=n) for n in notes)) for b in pair]
    blocks.append(DraftBlock("paragraph", text="All three were tested on the same commute."))
    bold = [False] * len(blocks)
    why = [HeadingAnchor("Why we like it", 3, next_text=n) for n in notes]
    verdict = HeadingAnchor("Our verdict", 2, next_heading=why[2])  # right above the last copy
    anchors = [why[0], why[1], verdict, why[2]]
    restore_headings(blocks, bold, anchors, {}, lambda t, lvl: DraftBlock("heading", text=t, level=lvl))
    assert [b.text for b in blocks] == [
        "Quay 3", "Why we like it", notes[0], "Harbour S", "Why we like it", notes[1],
        "Pier Mini", "Our verdict", "Why we like it", notes[2], "All three were tested on the same commute."]
    assert len(bold) == len(blocks)


def test_a_heading_the_extractor_ran_into_a_paragraph_splits_it():
    text = ("Chargers last about three weeks. Editor's Take As the health editor, I tested six brushes "
            "over two years and kept the quietest one.")
    blocks = [DraftBlock("paragraph", text=text), DraftBlock("paragraph", text="Editor's notes are kept apart.")]
    bold = [False, False]
    anchors = [HeadingAnchor("Editor's Take", 2, next_text="As the health editor, I tested six brushes over two years"),
               # The heading's words without the words that followed it on the page: no split.
               HeadingAnchor("Chargers", 3, next_text="Plug the stand into any wall socket near the sink")]
    restore_headings(blocks, bold, anchors, {}, lambda t, lvl: DraftBlock("heading", text=t, level=lvl))
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Chargers last about three weeks."), ("heading", "Editor's Take"),
        ("paragraph", "As the health editor, I tested six brushes over two years and kept the quietest one."),
        ("paragraph", "Editor's notes are kept apart.")]
    assert len(bold) == len(blocks)


def test_headings_the_extractor_leaves_inside_a_paragraph_are_kept():
    """Where a page wraps the whole post in an inline element, trafilatura's body XML holds
    one <p> with the headings and lists inside it (seen on a real page): they still come
    out as headings and lists, in order, with the text between them as paragraphs."""
    from lxml import etree

    from publisher.read.html.convert import _Converter
    from publisher.read.html.lifting import _Lifted

    body = etree.fromstring(
        "<body><p>Most people pack their own boxes.<lb/><lb/>A little planning saves time."
        "<head rend='h2'>Packing fragile items</head><head rend='h3'>Books</head>Lay them flat in small boxes."
        "<list><item>Fill the gaps with paper.</item></list>"
        "<head rend='h3'>Dishware</head>Stand plates on their edge.<lb/><lb/>Wrap each one.</p></body>")
    blocks = _Converter(_Lifted()).convert(body)
    assert [(b.kind, b.text or b.items) for b in blocks] == [
        ("paragraph", "Most people pack their own boxes."), ("paragraph", "A little planning saves time."),
        ("heading", "Packing fragile items"), ("heading", "Books"), ("paragraph", "Lay them flat in small boxes."),
        ("list", ["Fill the gaps with paper."]), ("heading", "Dishware"), ("paragraph", "Stand plates on their edge."),
        ("paragraph", "Wrap each one.")]
    assert [b.level for b in blocks if b.kind == "heading"] == [2, 3, 3]
