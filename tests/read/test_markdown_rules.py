"""Markdown reader: front matter, structure, figures, quotes, and raw HTML staying text."""
from __future__ import annotations

import pytest

from publisher.errors import InputError
from publisher.read.markdown import html_text, read_markdown, safe_src, split_front_matter

STORY = "The council voted on Tuesday to extend the evening bus service to the northern estates."
STORY_2 = "Drivers will start the new routes in October, the transport office said."


def _read(text: str, path: str = "in/bus-routes.md"):
    return read_markdown(text.encode(), path)


def _kinds(draft):
    return [b.kind for b in draft.blocks]


# -- front matter ------------------------------------------------------------------
def test_front_matter_fields():
    draft = _read(
        "---\n"
        "title: Night Buses Extended\n"
        "author: [Ann Lee, Tom Roe, Ida Berg]\n"
        "date: 2025-05-18\n"
        "lang: en-GB\n"
        "image: https://example.org/bus.jpg\n"
        "description: Shift workers asked for a year.\n"
        "slug: night-buses\n"
        "url: https://example.org/news/night-buses\n"
        "site_name: Valley Post\n"
        "---\n\n" + STORY + "\n"
    )
    assert draft.title == "Night Buses Extended"
    assert draft.byline == "Ann Lee, Tom Roe and Ida Berg"
    assert draft.published == "2025-05-18"
    assert draft.language == "en-GB"
    assert draft.image == "https://example.org/bus.jpg"
    assert draft.dek == "Shift workers asked for a year."
    assert draft.slug == "night-buses"
    assert draft.url == draft.identity == "https://example.org/news/night-buses"
    assert draft.site_name == "Valley Post"
    assert [b.text for b in draft.blocks] == [STORY]


@pytest.mark.parametrize("value, iso", [
    ("2025-05-18 10:30:00+02:00", "2025-05-18T10:30:00+02:00"),
    ("2025-05-18 10:30:00", "2025-05-18"),  # no zone: only the date is certain
    ('"May 18, 2025"', "2025-05-18"),
    ('"Published 18 May 2025"', "2025-05-18"),
    ("not a date", None),
])
def test_front_matter_dates(value, iso):
    draft = _read(f"---\ntitle: T\ndate: {value}\n---\n\n{STORY}\n")
    assert draft.published == iso


@pytest.mark.parametrize("front, message", [
    ("---\ntitle: [unclosed\n---\n", "front matter is not valid YAML"),
    ("---\n- just\n- a list\n---\n", "front matter must be a mapping"),
])
def test_bad_front_matter_is_an_input_error(front, message):
    with pytest.raises(InputError) as err:
        _read(front + "\n" + STORY + "\n")
    assert message in str(err.value)
    assert str(err.value).startswith("in/bus-routes.md: ")


def test_unsafe_front_matter_urls_are_dropped():
    draft = _read(f"---\ntitle: T\nimage: javascript:alert(1)\nurl: /relative/page\n---\n\n{STORY}\n")
    assert draft.image is None and draft.url is None
    assert draft.identity == "file:bus-routes"


def test_a_thematic_break_in_the_body_is_not_front_matter():
    meta, body = split_front_matter(f"{STORY}\n\n---\n\n{STORY_2}\n")
    assert meta == {} and STORY_2 in body


# -- title, headings, dek, byline ----------------------------------------------------
def test_h1_is_the_title_without_front_matter():
    draft = _read(f"# Night Buses Extended\n\n{STORY}\n\n## What Changes\n\n{STORY_2}\n\n### Fares\n\n{STORY}\n")
    assert draft.title == "Night Buses Extended"
    assert [(b.kind, b.text, b.level) for b in draft.blocks if b.kind == "heading"] == [
        ("heading", "What Changes", 2), ("heading", "Fares", 3),
    ]


def test_h1_repeating_the_front_matter_title_is_dropped_and_a_different_one_kept():
    same = _read(f"---\ntitle: Night Buses\n---\n# Night Buses\n\n{STORY}\n")
    assert _kinds(same) == ["paragraph"]
    other = _read(f"---\ntitle: Night Buses\n---\n# Background\n\n{STORY}\n")
    assert [(b.kind, b.text) for b in other.blocks] == [("heading", "Background"), ("paragraph", STORY)]


def test_italic_paragraph_after_the_title_is_the_dek_and_by_line_the_byline():
    draft = _read(f"# Night Buses\n\n*Shift workers asked for a year.*\n\nBy Ann Lee | May 18, 2025\n\nNORTHGATE — {STORY}\n")
    assert draft.dek == "Shift workers asked for a year."
    assert draft.byline == "Ann Lee"
    assert draft.published == "2025-05-18"
    assert draft.dateline == "NORTHGATE"
    assert [b.text for b in draft.blocks] == [STORY]


def test_title_falls_back_to_the_file_name():
    assert _read(f"{STORY}\n", "in/night_buses.md").title == "Night buses"


# -- quotes, lists, tables -----------------------------------------------------------
@pytest.mark.parametrize("quote, text, attribution", [
    ("> Later buses change lives.\n> — Ann Lee, driver", "Later buses change lives.", "Ann Lee, driver"),
    ("> Later buses change lives.\n>\n> -- Ann Lee", "Later buses change lives.", "Ann Lee"),
    ("> One.\n>\n> Two.", "One.\n\nTwo.", None),
    ("> Prices went up - and then down.", "Prices went up - and then down.", None),
])
def test_blockquotes(quote, text, attribution):
    draft = _read(f"# T\n\n{STORY}\n\n{quote}\n")
    block = draft.blocks[-1]
    assert (block.kind, block.text, block.attribution) == ("quote", text, attribution)


def test_lists_ordered_and_nested():
    draft = _read(f"# T\n\n{STORY}\n\n1. first **thing**\n2. second\n   - nested [link](http://x.org)\n\n- a\n- b\n")
    lists = [b for b in draft.blocks if b.kind == "list"]
    assert [(b.ordered, b.items) for b in lists] == [(True, ["first thing", "second", "nested link"]), (False, ["a", "b"])]


def test_gfm_table():
    draft = _read(f"# T\n\n{STORY}\n\n| Item | Count |\n| --- | ---: |\n| Tyres | 51 |\n| Bottles | 2,940 |\n")
    table = draft.blocks[-1]
    assert table.kind == "table"
    assert table.rows == [[("Item", True), ("Count", True)], [("Tyres", False), ("51", False)], [("Bottles", False), ("2,940", False)]]


# -- figures -------------------------------------------------------------------------
@pytest.mark.parametrize("markdown, caption, credit", [
    ("![A barge full of tyres.](img/barge.jpg)\n*Tyres on the barge. Photo: Ann Lee/Post*", "Tyres on the barge.", "Ann Lee/Post"),
    ("![A barge full of tyres.](img/barge.jpg)\n\n*Tyres on the barge.*", "Tyres on the barge.", None),
    ('![A barge full of tyres.](img/barge.jpg "Tyres on the barge.")', "Tyres on the barge.", None),
    ("![A barge full of tyres.](img/barge.jpg)", None, None),
])
def test_image_alone_in_a_paragraph_is_a_figure(markdown, caption, credit):
    draft = _read(f"# T\n\n{STORY}\n\n{markdown}\n\n{STORY_2}\n")
    assert _kinds(draft) == ["paragraph", "figure", "paragraph"]
    figure = draft.blocks[1]
    assert (figure.src, figure.alt, figure.caption, figure.credit) == ("img/barge.jpg", "A barge full of tyres.", caption, credit)


def test_image_inside_text_follows_the_paragraph_as_a_figure():
    draft = _read(f"# T\n\nBefore ![a bus](bus.png) after.\n")
    assert [(b.kind, b.text or b.alt) for b in draft.blocks] == [("paragraph", "Before after."), ("figure", "a bus")]


@pytest.mark.parametrize("src, safe", [
    ("img/a.jpg", "img/a.jpg"),
    ("https://example.org/a.jpg", "https://example.org/a.jpg"),
    ("//cdn.example.org/a.jpg", "https://cdn.example.org/a.jpg"),
    ("javascript:alert(1)", None),
    ("JaVaScRiPt:alert(1)", None),
    ("data:image/png;base64,AAAA", None),
    ("file:///etc/passwd", None),
    ("../../secret.jpg", None),
    ("http:///nohost", None),
])
def test_safe_src(src, safe):
    assert safe_src(src) == safe


def test_unsafe_image_keeps_its_figure_but_not_its_address():
    draft = _read("# T\n\n" + STORY + "\n\n![chart](javascript:alert(1))\n")
    figure = draft.blocks[-1]
    assert (figure.kind, figure.src, figure.alt) == ("figure", None, "chart")


# -- inline markup and raw HTML ------------------------------------------------------------
def test_inline_markup_is_flattened_and_links_keep_only_their_text():
    draft = _read("# T\n\nThe **council** voted *on* `Tuesday` to [extend](https://x.org \"t\") the ~~old~~ route &amp; more.\n")
    assert draft.blocks[0].text == "The council voted on Tuesday to extend the old route & more."


def test_raw_html_never_passes_through():
    draft = _read(
        "# T\n\n"
        "<div onclick=\"steal()\"><script>alert('x')</script><style>p{}</style><p>Kept words.</p>"
        "<iframe src=\"https://evil.example\"></iframe></div>\n\n"
        "Inline <b>bold</b> text <script>evil()</script> ends <img src=x onerror=alert(1)> here.\n"
    )
    texts = [b.text for b in draft.blocks]
    assert texts == ["Kept words.", "Inline bold text ends here."]
    everything = " ".join(texts)
    for bad in ("<", "alert", "evil", "onclick", "onerror", "iframe", "p{}"):
        assert bad not in everything


@pytest.mark.parametrize("fragment, text", [
    ("<p>One <em>two</em></p>", "One two"),
    ("<script>x()</script>", ""),
    ("<p>unclosed <b>bold", "unclosed bold"),
    ("   ", ""),
])
def test_html_text(fragment, text):
    assert html_text(fragment) == text


# -- credits ---------------------------------------------------------------------------
@pytest.mark.parametrize("line, kind", [
    ("*With additional reporting by Malik Hartley.*", "reporting"),
    ("Editor's note: This story was updated.", "editors-note"),
    ("Correction: The bus number was wrong.", "correction"),
])
def test_credit_paragraphs(line, kind):
    draft = _read(f"# T\n\n{STORY}\n\n{line}\n")
    assert (draft.blocks[-1].kind, draft.blocks[-1].credit_kind) == ("credit", kind)


def test_links_with_unsafe_addresses_keep_their_text_not_their_markup():
    draft = _read("# T\n\nRead [the report](javascript:alert(1)) and [notes](vbscript:x) now.\n")
    assert draft.blocks[0].text == "Read the report and notes now."
