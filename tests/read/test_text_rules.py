"""Plain-text reader: one table per rule, then whole small dumps."""
from __future__ import annotations

import pytest

from publisher.read.text import (
    is_chrome_line, looks_like_subheading, parse_byline, parse_date, parse_date_line, read_text,
    split_caption_credit, split_dateline, split_units,
)

STORY = (
    "The council voted on Tuesday to extend the evening bus service to the northern estates, "
    "after a year of complaints from shift workers."
)
STORY_2 = "Drivers will start the new routes in October, the transport office said in a statement."


# -- chrome lines ----------------------------------------------------------------
@pytest.mark.parametrize("line", [
    "Accessibility links", "Breaking News", "Skip to main content", "Share", "SHARE",
    "Advertisement", "Share on Facebook", "Copy link", "5 min read", "Listen to this article",
    "Print", "Comments", "12 comments", "Image source", "Advertisement.",
    "Share | Tweet | Email", "Facebook · WhatsApp · Copy link",
])
def test_chrome_lines_anywhere(line):
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", ["Menu", "Home", "World", "News | World | Europe", "Search"])
def test_navigation_lines_are_chrome_only_before_the_headline(line):
    assert is_chrome_line(line, before_headline=True)
    assert not is_chrome_line(line)


@pytest.mark.parametrize("line", [
    "Share prices fell 3% on Tuesday.",
    "The menu changed in 2019, when the new chef arrived.",
    "Breaking news is not what it used to be, the editor said.",
    "Share | the prices of bread rose",
    STORY,
])
def test_story_lines_are_not_chrome(line):
    assert not is_chrome_line(line, before_headline=True)


# -- datelines -----------------------------------------------------------------
@pytest.mark.parametrize("paragraph, dateline, rest", [
    ("MINSK (Reuters) — Police detained dozens.", "MINSK (Reuters)", "Police detained dozens."),
    ("WASHINGTON — The Senate voted.", "WASHINGTON", "The Senate voted."),
    ("PORT HALLOW, Maine (AP) -- Ferries resumed.", "PORT HALLOW, Maine (AP)", "Ferries resumed."),
    ("LONDON, Aug 15 (Reuters) - Shares rose.", "LONDON, Aug 15 (Reuters)", "Shares rose."),
    ("Minsk (Reuters) – Police detained dozens.", "Minsk (Reuters)", "Police detained dozens."),
    ("The mayor — a former teacher — resigned.", None, "The mayor — a former teacher — resigned."),
    ("FBI - agents searched the house.", None, "FBI - agents searched the house."),
    ("Moscow — a city of 13 million — voted.", None, "Moscow — a city of 13 million — voted."),
    ("“This is a threat,” he said.", None, "“This is a threat,” he said."),
])
def test_dateline_split(paragraph, dateline, rest):
    assert split_dateline(paragraph) == (dateline, rest)


# -- bylines -------------------------------------------------------------------
@pytest.mark.parametrize("line, byline", [
    ("By Jane Doe", "Jane Doe"),
    ("By Jane Doe and John Roe, Reuters", "Jane Doe and John Roe, Reuters"),
    ("BY JANE DOE", "JANE DOE"),
    ("By Maria da Silva", "Maria da Silva"),
    ("By J. R. Okafor", "J. R. Okafor"),
    ("By Tuesday, officials had gathered at the quay.", None),
    ("By the time the ferry arrived, the crowd had gone.", None),
    ("By contrast, the island voted against it.", None),
    ("Jane Doe", None),
])
def test_byline(line, byline):
    assert parse_byline(line) == byline


# -- dates ---------------------------------------------------------------------
@pytest.mark.parametrize("text, iso", [
    ("August 15, 2020", "2020-08-15"),
    ("Aug. 15, 2020", "2020-08-15"),
    ("15 Aug 2020", "2020-08-15"),
    ("Saturday, 15th of August, 2020", "2020-08-15"),
    ("2020-08-15", "2020-08-15"),
    ("2020-08-15T10:30:00Z", "2020-08-15T10:30:00+00:00"),
    ("August 15, 2020, 10:30 p.m. UTC", "2020-08-15T22:30:00+00:00"),
    ("August 15, 2020 at 10:30 EST", "2020-08-15"),
    ("Smarch 15, 2020", None),
    ("February 30, 2020", None),
    ("August 45, 2020", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("line, result", [
    ("August 15, 2020", ("2020-08-15", False)),
    ("Published 15 Aug 2020", ("2020-08-15", False)),
    ("Published: August 15, 2020", ("2020-08-15", False)),
    ("Updated August 16, 2020", ("2020-08-16", True)),
    ("Thousands gathered in Minsk on August 15, 2020 for the funeral.", None),
    ("On August 14, the commission announced results.", None),
])
def test_date_line_must_be_only_a_date(line, result):
    assert parse_date_line(line) == result


# -- subheadings ------------------------------------------------------------------
@pytest.mark.parametrize("line, following, expected", [
    ("What Changes for Passengers", STORY, True),
    ("Engines, Hull and a Late Delivery", STORY, True),
    ("The problem upstream", STORY, True),
    ("What happens next?", STORY, True),
    ("What Changes for Passengers", None, False),  # nothing follows it
    ("What Changes for Passengers", "Short line", False),
    ("But now, Minsk no longer appears to need that message.", STORY, False),
    ("“No comment”", STORY, False),
    ("the council said it would consider the request at a later meeting", STORY, False),
    ("This long line is written in sentence case and has no full stop at its end here", STORY, False),
])
def test_subheading(line, following, expected):
    assert looks_like_subheading(line, following) is expected


# -- captions and credits -------------------------------------------------------
@pytest.mark.parametrize("caption, expected", [
    ("Crowds on the quay. Photograph: Jane Doe/Reuters", ("Crowds on the quay.", "Jane Doe/Reuters")),
    ("Crowds on the quay. (Jane Doe/Reuters)", ("Crowds on the quay.", "Jane Doe/Reuters")),
    ("Crowds on the quay. (Photo: Jane Doe)", ("Crowds on the quay.", "Jane Doe")),
    ("Crowds on the quay | Photo by Jane Doe", ("Crowds on the quay", "Jane Doe")),
    ("Crowds on the quay (left) wave flags.", ("Crowds on the quay (left) wave flags.", None)),
    ("Crowds on the quay.", ("Crowds on the quay.", None)),
])
def test_caption_credit_split(caption, expected):
    assert split_caption_credit(caption) == expected


# -- units -----------------------------------------------------------------------
def test_single_newline_lines_are_paragraphs():
    assert split_units("Headline\nFirst paragraph.\nSecond paragraph.\n") == [
        "Headline", "First paragraph.", "Second paragraph.",
    ]


def test_hard_wrapped_lines_are_joined_back_into_paragraphs():
    words = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor " * 6).split()
    lines, line = [], ""
    for w in words:
        if len(line) + len(w) + 1 > 60:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    paragraph = "\n".join(lines)
    units = split_units(f"Headline\n\n{paragraph}\n\n{paragraph}\n")
    assert units[0] == "Headline"
    assert len(units) == 3
    assert units[1] == " ".join(lines)


# -- whole dumps -------------------------------------------------------------------
def _read(text: str):
    return read_text(text, "in/sample-story.txt")


def _kinds(draft):
    return [b.kind for b in draft.blocks]


def test_doubled_caption_is_one_figure_with_the_caption_as_alt_source():
    caption = "Crowds gathered on the quay to watch the first crossing of the restored ferry."
    draft = _read(f"Share\n\nFerry Returns\n\n{caption}\n{caption}\n\n{STORY}\n\n{STORY_2}\n")
    assert draft.title == "Ferry Returns"
    figures = [b for b in draft.blocks if b.kind == "figure"]
    assert len(figures) == 1
    assert figures[0].caption == caption
    assert _kinds(draft) == ["figure", "paragraph", "paragraph"]


def test_doubled_caption_with_credit_on_the_second_copy():
    caption = "Crowds gathered on the quay to watch the first crossing."
    draft = _read(f"Ferry Returns\n\n{caption}\n{caption} Photograph: Ann Lee/Harbour Ledger\n\n{STORY}\n")
    figure = draft.blocks[0]
    assert (figure.kind, figure.caption, figure.credit) == ("figure", caption, "Ann Lee/Harbour Ledger")


@pytest.mark.parametrize("line, caption, credit", [
    ("Photo: The new reading room on its first morning.", "The new reading room on its first morning.", None),
    ("Image: The new reading room. (Ann Lee/Ledger)", "The new reading room.", "Ann Lee/Ledger"),
    ("Photograph: Ann Lee/Harbour Ledger", None, "Ann Lee/Harbour Ledger"),
])
def test_photo_lines_become_figures(line, caption, credit):
    draft = _read(f"Library Reopens\n\n{STORY}\n\n{line}\n\n{STORY_2}\n")
    figure = next(b for b in draft.blocks if b.kind == "figure")
    assert (figure.caption, figure.credit) == (caption, credit)
    assert "paragraph" in _kinds(draft)


def test_photograph_credit_line_attaches_to_the_caption_before_it():
    draft = _read(f"Library Reopens\n\n{STORY}\n\nThe new reading room on its first morning.\nPhotograph: Ann Lee/Ledger\n\n{STORY_2}\n")
    figures = [b for b in draft.blocks if b.kind == "figure"]
    assert [(f.caption, f.credit) for f in figures] == [("The new reading room on its first morning.", "Ann Lee/Ledger")]


@pytest.mark.parametrize("line, kind, text", [
    ("-With additional reporting from TASS and BelTA", "reporting", "With additional reporting from TASS and BelTA"),
    ("— Reporting by Ann Lee; editing by Tom Roe", "reporting", "Reporting by Ann Lee; editing by Tom Roe"),
    ("Editor's note: This story was updated with the council's response.", "editors-note",
     "Editor's note: This story was updated with the council's response."),
    ("Correction: An earlier version misspelled the mayor's name.", "correction",
     "Correction: An earlier version misspelled the mayor's name."),
])
def test_credit_lines(line, kind, text):
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\n{STORY_2}\n\n{line}\n")
    last = draft.blocks[-1]
    assert (last.kind, last.credit_kind, last.text) == ("credit", kind, text)


def test_editors_note_at_the_top_is_a_credit_not_the_lead_paragraph():
    draft = _read(f"Bus Routes Extended\n\nEditor's note: This story contains a correction.\n\n{STORY}\n")
    assert _kinds(draft) == ["credit", "paragraph"]
    assert draft.blocks[1].text == STORY


def test_byline_date_and_dateline():
    draft = _read(
        f"Bus Routes Extended\n\nBy Ann Lee and Tom Roe, Valley Post\n\nPublished 15 Aug 2020\n\n"
        f"NORTHGATE (Valley Post) — {STORY}\n\n{STORY_2}\n"
    )
    assert draft.byline == "Ann Lee and Tom Roe, Valley Post"
    assert draft.published == "2020-08-15"
    assert draft.dateline == "NORTHGATE (Valley Post)"
    assert draft.blocks[0].text == STORY
    assert _kinds(draft) == ["paragraph", "paragraph"]


def test_byline_and_date_on_one_line():
    draft = _read(f"Bus Routes Extended\n\nBy Ann Lee | August 15, 2020 | 4 min read\n\n{STORY}\n")
    assert (draft.byline, draft.published) == ("Ann Lee", "2020-08-15")
    assert _kinds(draft) == ["paragraph"]


def test_only_the_first_paragraph_has_a_dateline():
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\nNORTHGATE — {STORY_2}\n")
    assert draft.dateline is None
    assert draft.blocks[1].text == f"NORTHGATE — {STORY_2}"


def test_dek_when_metadata_follows_it():
    dek = "Shift workers have asked for later buses for a year."
    draft = _read(f"Bus Routes Extended\n\n{dek}\n\nBy Ann Lee\n\n{STORY}\n")
    assert draft.dek == dek
    assert [b.text for b in draft.blocks] == [STORY]


def test_no_dek_when_the_story_starts_right_after_the_headline():
    draft = _read(f"Bus Routes Extended\n\nShift workers have asked for later buses for a year.\n\n{STORY}\n")
    assert draft.dek is None
    assert len(draft.blocks) == 2


def test_subheadings_split_the_story():
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\nWhat Changes for Riders\n\n{STORY_2}\n")
    assert _kinds(draft) == ["paragraph", "heading", "paragraph"]
    assert draft.blocks[1].text == "What Changes for Riders"


def test_chrome_between_paragraphs_is_dropped():
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\nAdvertisement\n\nShare\n\n{STORY_2}\n")
    assert [b.text for b in draft.blocks] == [STORY, STORY_2]


def test_bullet_lines_become_a_list():
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\n- later buses on weekdays\n- a new stop at the depot\n\n{STORY_2}\n")
    lists = [b for b in draft.blocks if b.kind == "list"]
    assert [b.items for b in lists] == [["later buses on weekdays", "a new stop at the depot"]]


def test_identity_language_and_title_fallback():
    draft = read_text(f"{STORY} {STORY}\n\n{STORY_2}\n".encode(), "in/bus-routes.txt")
    assert draft.identity == "file:bus-routes"
    assert draft.title == "Bus routes"  # a long first line is story text, not a headline
    assert draft.language == "en"


def test_cyrillic_text_is_guessed_as_russian():
    draft = read_text(
        "Автобусы пойдут позже\n\nГородской совет во вторник продлил вечерние маршруты автобусов до северных районов.\n",
        "in/avtobus.txt",
    )
    assert draft.language == "ru"
    assert draft.title == "Автобусы пойдут позже"


def test_windows_1252_bytes_are_decoded():
    draft = read_text("Caf\u00e9 Reopens\n\nThe caf\u00e9 on the quay reopened on Tuesday after repairs to its roof.\n".encode("cp1252"), "in/cafe.txt")
    assert draft.title == "Café Reopens"


def test_a_paragraph_repeated_across_a_blank_line_is_not_a_caption():
    draft = _read(f"Bus Routes Extended\n\n{STORY}\n\n{STORY}\n")
    assert _kinds(draft) == ["paragraph", "paragraph"]


def test_doubled_caption_in_a_file_without_blank_lines():
    caption = "Crowds gathered on the quay to watch the first crossing."
    draft = _read(f"Ferry Returns\n{caption}\n{caption}\n{STORY}\n{STORY_2}\n")
    assert _kinds(draft) == ["figure", "paragraph", "paragraph"]


def test_units_remember_which_neighbours_shared_a_block():
    units = split_units("A line\nA line\n\nB line\n")
    assert list(units) == ["A line", "A line", "B line"]
    assert units.together == {0}


def test_a_second_dump_shape_bare_byline_and_credit_line_under_the_caption():
    draft = _read(
        "Skip to main navigation\nSign in\nThe Harbour Ledger - Back to home\nWorld\nEurope\n"
        "Harbour pilots strike over night shifts\n"
        "Pilots say new rota leaves the port unsafe after dark, as talks with owners stall\n"
        "Pilot boats moored at the east jetty on Friday.\nPhotograph: Ann Lee/Harbour Ledger\n"
        "Tom Roe\nSat 15 Aug 2020 10.30 BST\n"
        f"{STORY}\n{STORY_2}\nShare\nReuse this content\n"
    )
    assert draft.title == "Harbour pilots strike over night shifts"
    assert draft.dek == "Pilots say new rota leaves the port unsafe after dark, as talks with owners stall"
    assert (draft.byline, draft.published) == ("Tom Roe", "2020-08-15")
    assert [(b.kind, b.text or b.caption, b.credit) for b in draft.blocks] == [
        ("figure", "Pilot boats moored at the east jetty on Friday.", "Ann Lee/Harbour Ledger"),
        ("paragraph", STORY, None),
        ("paragraph", STORY_2, None),
    ]
