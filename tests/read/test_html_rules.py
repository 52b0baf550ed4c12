"""What the HTML reader keeps, drops and marks, rule by rule, on pages written for these tests.

Fixtures (tests/read/fixtures/html/) imitate three CMS shapes: a modern
newsroom page (JSON-LD, figure/figcaption, embeds, widgets), a WordPress-style
blog (bold paragraphs as subheadings, wp-caption, sharing and related boxes)
and a legacy table-less div page in ISO-8859-1 Portuguese.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from publisher.read.draft import DraftArticle, DraftBlock
from publisher.read.html import read_html, safe_url
from publisher.segment import build_article

FIXTURES = Path(__file__).parent / "fixtures" / "html"


@lru_cache(maxsize=None)
def draft(name: str) -> DraftArticle:
    path = FIXTURES / name
    return read_html(path.read_bytes(), str(path))


def body(name: str) -> str:
    return build_article(draft(name)).body_text()


def blocks(name: str, kind: str) -> list[DraftBlock]:
    return [b for b in draft(name).blocks if b.kind == kind]


NEWS, BLOG, LEGACY = "newsroom_story.html", "blog_bold_subheads.html", "legacy_divs_pt.html"


@pytest.mark.parametrize("page, chrome", [
    (NEWS, "Accessibility links"),
    (NEWS, "Breaking News"),
    (NEWS, "Ferry services suspended"),
    (NEWS, "We use cookies"),
    (NEWS, "Skip to content"),
    (NEWS, "Share on Facebook"),
    (NEWS, "Sign up for our free morning newsletter"),
    (NEWS, "Get the Ledger briefing"),
    (NEWS, "Related stories"),
    (NEWS, "Ferry timetable changes"),
    (NEWS, "about time someone did something"),
    (NEWS, "All rights reserved"),
    (NEWS, "Topics: Wrenmouth"),
    (NEWS, "Weather"),
    (NEWS, "window.analytics"),
    (BLOG, "Share this"),
    (BLOG, "Our first seed swap"),
    (BLOG, "3 thoughts on this post"),
    (BLOG, "Archives"),
    (BLOG, "Proudly powered"),
    (BLOG, "Tags: gardening"),
    (BLOG, "Posted on October"),
    (LEGACY, "Mais lidas"),
    (LEGACY, "Chuva alaga"),
    (LEGACY, "Leia também"),
    (LEGACY, "Todos os direitos"),
    (LEGACY, "Início"),
    (LEGACY, "WhatsApp"),
])
def test_chrome_is_dropped(page, chrome):
    assert chrome not in body(page)


@pytest.mark.parametrize("page, story_text", [
    (NEWS, "Councillors in the small harbour town of Wrenmouth have voted"),
    (NEWS, "It closed after a flood damaged the wheel"),
    (NEWS, "Not everyone is convinced."),
    (NEWS, "A fish pass would let eels"),
    (NEWS, "Winter 140"),
    (BLOG, "When our street took over the empty lot"),
    (BLOG, "cups of tea."),
    (LEGACY, "A nova biblioteca municipal do bairro Jardim das Flores"),
    (LEGACY, "comprovante de endereço."),
])
def test_story_text_is_kept(page, story_text):
    assert story_text in body(page)


@pytest.mark.parametrize("page, not_in_body", [
    (NEWS, "Harbour town votes to rebuild its tidal mill"),  # headline
    (NEWS, "Mara Quillfeather and Tobias Renn"),  # byline
    (NEWS, "turn the ruined mill into a small power station"),  # dek
    (NEWS, "The mill has stood empty since the 1950s"),  # caption
    (NEWS, "Ines Darrow"),  # photo credit
    (NEWS, "A stone mill with a broken wheel"),  # alt
    (NEWS, "additional reporting"),  # credit line
    (NEWS, "Editor's note"),
    (BLOG, "Five lessons from a year"),
    (BLOG, "The six raised beds in August"),
    (LEGACY, "Prefeitura inaugura nova biblioteca"),
    (LEGACY, "Publicado por"),
])
def test_headline_byline_captions_and_credits_are_not_body_text(page, not_in_body):
    assert not_in_body not in body(page)


@pytest.mark.parametrize("page, headings", [
    (NEWS, [("A wheel that turned for two centuries", 2), ("What the engineers found", 2)]),
    (BLOG, [("Start smaller than you think", 2), ("Write the rules down early", 2),
            ("Ask the old-timers", 2), ("Share the harvest widely", 2), ("Keep going in winter", 2)]),
    (LEGACY, []),
])
def test_headings_are_the_articles_own_subheadings(page, headings):
    assert [(b.text, b.level) for b in blocks(page, "heading")] == headings


@pytest.mark.parametrize("bold_line, heading", [
    ("How the vote went", True),
    ("– Resident, aged 71", False),  # a quote's attribution, not a subheading
    ("By Dana Whitlock", False),
    ("The council met on Tuesday.", False),  # a sentence in bold, not a heading
])
def test_bold_line_as_subheading(bold_line, heading):
    html = _page(_paras(2) + f"<p><strong>{bold_line}</strong></p>" + _paras(3))
    got = [b.text for b in read_html(html, "bold.html").blocks if b.kind == "heading"]
    assert got == ([bold_line] if heading else [])


def test_heading_keeps_the_source_level():
    html = _page("<h3>Deeper section</h3>" + _paras(3) + "<h4>Deeper still</h4>" + _paras(2))
    got = [(b.text, b.level) for b in read_html(html, "levels.html").blocks if b.kind == "heading"]
    assert got == [("Deeper section", 3), ("Deeper still", 4)]


@pytest.mark.parametrize("page, src, alt, caption, credit", [
    (NEWS, "https://ledger.example.com/img/mill-lead.jpg",
     "A stone mill with a broken wheel beside a muddy creek",
     "The mill has stood empty since the 1950s.", "Photo: Ines Darrow"),
    (BLOG, "/wp-content/uploads/beds.jpg", "", "The six raised beds in August.", "Photo: Sam Okafor"),
])
def test_figure_caption_alt_and_credit(page, src, alt, caption, credit):
    (fig,) = blocks(page, "figure")
    assert (fig.src, fig.alt, fig.caption, fig.credit) == (src, alt, caption, credit)


def test_figure_without_alt_attribute_keeps_none():
    html = _page(_paras(3) + '<figure><img src="pic.jpg"><figcaption>A quiet street at dawn.</figcaption></figure>'
                 + _paras(2))
    (fig,) = [b for b in read_html(html, "noalt.html").blocks if b.kind == "figure"]
    assert fig.alt is None and fig.src == "pic.jpg" and fig.caption == "A quiet street at dawn."


@pytest.mark.parametrize("src, kept", [
    ("https://cdn.example.com/a.jpg", "https://cdn.example.com/a.jpg"),
    ("//cdn.example.com/a.jpg", "https://cdn.example.com/a.jpg"),
    ("images/a.jpg", "images/a.jpg"),
    ("javascript:alert(1)", None),
    ("data:image/png;base64,AAAA", None),
    ("  JaVaScRiPt:alert(1)", None),
    ("vbscript:x", None),
])
def test_only_http_and_relative_image_urls(src, kept):
    assert safe_url(src) == kept
    html = _page(_paras(3) + f'<figure><img src="{src}" alt="x"><figcaption>Cap.</figcaption></figure>' + _paras(2))
    figs = [b for b in read_html(html, "src.html").blocks if b.kind == "figure"]
    assert [f.src for f in figs] == [kept]


def test_credit_lines_are_marked():
    kinds = [(b.text, b.credit_kind) for b in blocks(NEWS, "credit")]
    assert kinds == [
        ("Editor's note: An earlier version of this article gave the wrong year for the flood.", "editors-note"),
        ("-With additional reporting from Tobias Renn in Wrenmouth", "reporting"),
    ]


def test_pull_quote_embed_and_block_quote():
    quotes = blocks(NEWS, "quote")
    assert [q.quote_kind for q in quotes] == ["pull", "embed", "block"]
    pull, embed, block = quotes
    assert pull.text == "We are not building a museum. We are building something that works."
    assert embed.attribution == "Wrenmouth Council (@WrenmouthCouncil)"
    assert embed.cite == "https://twitter.com/WrenmouthCouncil/status/1234567890"
    assert embed.text.startswith("Tonight's vote means the old mill wheel will turn again.")
    assert block.attribution == "Letter from Wrenmouth Residents' Association"
    assert block.cite == "https://ledger.example.com/letters/mill"
    assert "Letter from" not in block.text


def test_pull_quote_repeating_the_body_is_not_read_twice():
    article = build_article(draft(NEWS))
    pulls = [b for _, b in article.iter_blocks() if getattr(b, "kind", None) == "pull"]
    assert len(pulls) == 1 and pulls[0].repeats_body


def test_list_and_table_structure():
    (lst,) = blocks(NEWS, "list")
    assert not lst.ordered and len(lst.items) == 3
    (table,) = blocks(NEWS, "table")
    assert table.caption == "Estimated output by season"
    assert table.rows[0] == [("Season", True), ("Average output (kW)", True)]
    assert table.rows[1] == [("Winter", False), ("140", False)]


def test_reading_order():
    kinds = [b.kind for b in draft(NEWS).blocks]
    assert kinds.index("figure") < kinds.index("heading") < kinds.index("list") < kinds.index("table") \
        < kinds.index("credit")


def test_lang_marked_where_it_differs():
    langs = [(b.text[:9], b.lang) for b in draft(NEWS).blocks if b.lang]
    assert langs == [("Le moulin", "fr")]


@pytest.mark.parametrize("page, field, value", [
    (NEWS, "title", "Harbour town votes to rebuild its tidal mill"),
    (NEWS, "identity", "https://ledger.example.com/news/harbour-tidal-mill-vote"),
    (NEWS, "url", "https://ledger.example.com/news/harbour-tidal-mill-vote"),
    (NEWS, "published", "2024-03-14T09:30:00Z"),
    (NEWS, "language", "en-GB"),
    (NEWS, "site_name", "The Coastal Ledger"),
    (NEWS, "image", "https://ledger.example.com/img/mill-lead.jpg"),
    (NEWS, "dek", "Councillors in Wrenmouth backed a plan to turn the ruined mill into a small power station."),
    (NEWS, "byline", "Mara Quillfeather and Tobias Renn"),
    (BLOG, "title", "Five lessons from a year of community gardening"),
    (BLOG, "identity", "file:blog_bold_subheads"),
    (BLOG, "url", "https://greenpatch.example.org/2023/10/five-lessons/"),
    (BLOG, "published", "2023-10-02T07:00:00+00:00"),
    (BLOG, "language", "en-US"),
    (LEGACY, "title", "Prefeitura inaugura nova biblioteca no bairro Jardim das Flores"),
    (LEGACY, "language", "pt-BR"),
    (LEGACY, "identity", "file:legacy_divs_pt"),
])
def test_metadata(page, field, value):
    assert getattr(draft(page), field) == value


def test_dek_is_the_line_between_headline_and_story():
    """Elements named like a dek elsewhere on the page (a promo above the headline, a
    newsletter box under the story) are not the story's dek; the one under the headline is."""
    promo = "<div class='promo-subtitle'>Save on a weekend at the river lodge this spring</div>"
    dek = "<p class='dek'>The river rose a metre overnight and the mill road is closed.</p>"
    box = "<div class='newsletter'><p class='subtitle'>Get the valley news in your inbox every week</p></div>"
    with_dek = read_html(_page(promo + "<h1>Flood test</h1>" + dek + _paras(4) + box), "dek.html")
    assert with_dek.dek == "The river rose a metre overnight and the mill road is closed."
    without = read_html(_page(promo + "<h1>Flood test</h1>" + _paras(4) + box), "nodek.html")
    assert without.dek is None


def test_json_ld_authors_when_no_byline_element():
    html = _page(_paras(4), head='<script type="application/ld+json">{"@type": "NewsArticle", '
                 '"headline": "Ledger test", "author": [{"name": "Ana Ruiz"}, {"name": "Li Wei"}, {"name": "Tomas Berg"}], '
                 '"publisher": {"name": "Daily Test"}}</script>')
    d = read_html(html, "ld.html")
    assert (d.title, d.byline, d.site_name) == ("Ledger test", "Ana Ruiz, Li Wei and Tomas Berg", "Daily Test")


@pytest.mark.parametrize("lead, field, value", [
    ("<p>By Dana Whitlock</p>", "byline", "Dana Whitlock"),  # the page prints "By" itself
    ("<p>WRENMOUTH, ENGLAND</p>", "dateline", "WRENMOUTH, ENGLAND"),
])
def test_byline_and_dateline_lines_leave_the_body(lead, field, value):
    html = _page(lead + _paras(4))
    d = read_html(html, "lead.html")
    assert getattr(d, field) == value
    assert value not in build_article(d).body_text()


def test_author_bio_at_the_end_leaves_the_body_but_not_in_the_story():
    bio = "Dana Whitlock is a staff writer at the Courier covering rivers, roads and the county council."
    inside = "<p>Sam Reyes is a reporter, she said, and he asked about the bridge before anyone else.</p>"
    d = read_html(_page(inside + _paras(4) + f"<p>{bio}</p>"), "bio.html")
    text = build_article(d).body_text()
    assert bio not in text
    assert "Sam Reyes is a reporter, she said" in text  # only the story's last lines are searched


def test_no_markup_is_copied():
    html = _page('<p>Plain <b>bold</b> and <a href="javascript:x()" onclick="steal()">link</a> words '
                 'that make up a sentence long enough to be a paragraph of story text.</p>' + _paras(3))
    text = build_article(read_html(html, "markup.html")).body_text()
    assert "Plain bold and link words" in text
    assert "<" not in text and "onclick" not in text and "javascript" not in text


# -- helpers for inline pages -------------------------------------------------------------

_SENTENCES = [
    "The river rose through the night and reached the old stone bridge before dawn.",
    "Volunteers stacked sandbags along the lane while the bakery kept its ovens going.",
    "By noon the water had begun to fall, leaving a line of silt on every doorstep.",
    "Officials said the new flood wall had held, though one pump failed for an hour.",
    "Shopkeepers spent the afternoon sweeping mud and counting what could be saved.",
]


def _paras(n: int) -> str:
    return "".join(f"<p>{_SENTENCES[i % 5]} {_SENTENCES[(i + 2) % 5]}</p>" for i in range(n))


def _page(body_html: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Flood test</title>{head}"
            f"</head><body><article>{body_html}</article></body></html>").encode("utf-8")


@pytest.mark.parametrize("title, headline", [
    ("Valley Courier :: Local News :: Commissioners approve a fix for the mill bridge",
     "Commissioners approve a fix for the mill bridge"),
    ("Opinion | Why the council should keep the mill bridge open", "Why the council should keep the mill bridge open"),
    ("Commissioners approve a fix for the mill bridge - Valley Courier", "Commissioners approve a fix for the mill bridge"),
    ("Bridge vote: what happens next", "Bridge vote: what happens next"),
])
def test_site_and_section_names_leave_the_title(title, headline):
    page = _page(_paras(4)).replace(b"<title>Flood test</title>", f"<title>{title}</title>".encode())
    assert read_html(page, "title.html").title == headline


def test_layout_table_cells_are_read_as_lines_and_paragraphs():
    """A 2000s page laid out with tables, paragraphs made with <br><br>: each
    paragraph stays one block (not one 500-word block), the headline leaves."""
    lines = _SENTENCES + [f"Later, {s[0].lower()}{s[1:]}" for s in _SENTENCES]  # ten different paragraphs
    story = "<br><br>".join(lines)
    html = (b"<html><head><title>Courier :: News :: River rises over the old stone bridge</title></head><body>"
            b"<table><tr><td width=135><a href='/'>Home</a><br><a href='/news'>News</a></td><td>"
            b"<font size=5><b>River rises over the old stone bridge</b></font><br>"
            b"<font size=1><b>By DALE WHITCOMB</b></font><br><br><font size=3>" + story.encode() +
            b"</font></td></tr></table></body></html>")
    d = read_html(html, "legacy.html")
    texts = [b.text for b in d.blocks if b.kind == "paragraph"]
    assert d.title == "River rises over the old stone bridge"
    assert d.title not in texts
    assert [t for t in texts if t in lines] == lines


def test_a_list_of_cards_is_read_as_sections_not_one_run_of_text():
    """Sites lay out a roundup as <li> cards, each with its own heading and paragraphs:
    the headings are the story's sections and the paragraphs stay apart."""
    names = ["The mill bridge", "The ferry landing", "The weir path"]
    cards = "".join(f"<li><h2>{name}</h2><p>{_SENTENCES[i]}</p><p>{_SENTENCES[i + 1]}</p></li>"
                    for i, name in enumerate(names))
    d = read_html(_page(_paras(3) + f"<ul>{cards}</ul>" + _paras(2)), "cards.html")
    assert [b.text for b in d.blocks if b.kind == "heading"] == names
    paragraphs = [b.text for b in d.blocks if b.kind == "paragraph"]
    assert _SENTENCES[0] in paragraphs and _SENTENCES[3] in paragraphs
    assert not any(b.kind == "list" for b in d.blocks)


def test_a_list_item_of_two_paragraphs_keeps_a_space_between_them():
    items = "".join(f"<li><p>{_SENTENCES[i]}</p><p>{_SENTENCES[i + 1]}</p></li>" for i in range(3))
    d = read_html(_page(_paras(3) + f"<ul>{items}</ul>" + _paras(2)), "points.html")
    lists = [b for b in d.blocks if b.kind == "list"]
    assert lists and lists[0].items[0] == f"{_SENTENCES[0]} {_SENTENCES[1]}"


def test_a_list_of_styled_points_stays_a_list():
    """An item that is only a heading (a point styled large) is no card."""
    items = "".join(f"<li><h3>{w}</h3></li>" for w in ("linen", "hemp", "recycled cotton"))
    d = read_html(_page(_paras(3) + f"<ul>{items}</ul>" + _paras(2)), "styled.html")
    assert [b.items for b in d.blocks if b.kind == "list"] == [["linen", "hemp", "recycled cotton"]]


def test_teasers_of_the_sites_other_posts_are_not_the_story():
    """A blog marks the post a page shows on <body> ("postid-12") and each post it renders
    ("post-40"): the recent-posts grid is other posts, even as <article>s."""
    # More teaser text than story: the plain floor must not bring the teasers back.
    teasers = "".join(f"<article class='post-{40 + i} post type-post'><h3>Other post {i}</h3>"
                      f"<p>Teaser {i}: {' '.join(_SENTENCES[j % 5] for j in range(i, i + 4))}</p></article>"
                      for i in range(6))
    html = (f"<html><head><title>Flood test</title></head><body class='single postid-12'>"
            f"<div class='post-12 post type-post'><h1>Flood test</h1>{_paras(3)}</div>"
            f"<section class='grid'>{teasers}</section></body></html>").encode()
    d = read_html(html, "blog.html")
    text = " ".join(b.text for b in d.blocks)
    assert _SENTENCES[2] in text and "Teaser" not in text and "Other post" not in text
    assert d.reader.path == "pipeline"


def test_a_chrome_heading_late_in_the_story_takes_its_section_with_it():
    """"Recent posts" near the end heads teasers, not story: the teasers go with it, up to
    the next heading of its rank; what the author wrote after that stays."""
    teasers = "".join(f"<p>Teaser {i}: the ferry timetable changes again this spring, and the "
                      f"harbour board explains why in a long post.</p>" for i in range(3))
    tail = "<h2>What happens next</h2><p>The board meets again in May to vote on the final plan for the wall.</p>"
    d = read_html(_page(_paras(6) + f"<h3>Recent posts</h3>{teasers}" + tail), "late.html")
    text = " ".join(b.text for b in d.blocks)
    assert "Teaser" not in text and "Recent posts" not in text
    assert _SENTENCES[4] in text and "vote on the final plan" in text


def test_pull_quote_repeating_the_body_is_not_body_text_twice():
    line = "A city's furniture is a kind of policy, and it tells you how long you may stay."
    page = _page(f"<p>{line} The council agreed.</p>" + _paras(3) +
                 f"<aside class='pullquote'><blockquote><p>{line}</p></blockquote></aside>" + _paras(2))
    text = build_article(read_html(page, "pull.html")).body_text()
    assert text.count("kind of policy") == 1


def test_pull_quote_a_section_away_from_its_sentence_is_still_a_repeat():
    line = "when we take away a place to sit, we move along everyone else too"
    page = _page(f"<p>But {line}, she said.</p>" + _paras(2) + "<h2>The quiet disappearance</h2>" + _paras(1)
                 + f"<aside class='pullquote'><blockquote><p>“{line.capitalize()}.”</p></blockquote></aside>"
                 + _paras(2))
    article = build_article(read_html(page, "pull2.html"))
    assert article.body_text().count("take away a place to sit") == 1


TIDE_STORY = [
    ("Why the tide came early", [
        "The spring tide reached the sea wall at Ostley two hours before the tables said it would on Sunday.",
        "Harbour staff said a strong south wind had pushed the water up the estuary faster than usual.",
    ]),
    ("What the council will do", [
        "The council will add a second gauge at the river mouth so that warnings can go out sooner next winter.",
        "Residents on the lower terrace will be offered sandbags before the next high tide on Thursday evening.",
    ]),
]


def _tide_copy() -> str:
    return "".join(f"<h2>{heading}</h2>" + "".join(f"<p>{p}</p>" for p in paras) for heading, paras in TIDE_STORY)


def test_a_page_holding_its_story_twice_is_read_once():
    """A desktop and a mobile copy of the same story: one article, each heading once."""
    page = (f"<html><head><title>Early tide at Ostley</title></head><body><article><h1>Early tide at Ostley</h1>"
            f"<div class='desktop'>{_tide_copy()}</div><div class='mobile'>{_tide_copy()}</div></article></body></html>")
    read = read_html(page.encode(), "in/tide.html")
    assert [b.text for b in read.blocks if b.kind == "heading"] == [heading for heading, _ in TIDE_STORY]
    text = build_article(read).body_text()
    assert all(text.count(p) == 1 for _, paras in TIDE_STORY for p in paras)


def test_short_repeated_lines_of_a_listing_stay():
    """The same label lines under every product are the author's, not a second copy."""
    products = "".join(
        f"<h2>{name}</h2><p>{about}</p><p>Price range: moderate</p><p>Best suited for: everyone</p>"
        f"<p>Availability: in most shops</p>"
        for name, about in (("The Heron kettle", "A steel kettle that boils a litre in under three minutes and stays cool to the touch."),
                            ("The Finch toaster", "A two-slot toaster with a wide slot for thick bread and a tray that catches the crumbs."),
                            ("The Wren grinder", "A hand grinder with ceramic burrs that makes an even grind for filter coffee at home.")))
    page = f"<html><head><title>Three kitchen buys</title></head><body><article><h1>Three kitchen buys</h1>{products}</article></body></html>"
    text = build_article(read_html(page.encode(), "in/kitchen.html")).body_text()
    assert text.count("Price range: moderate") == 3 and text.count("Availability: in most shops") == 3


@pytest.mark.parametrize("src", [
    "https://secure.gravatar.com/avatar/0a1b2c?s=96",
    "/uploads/2024/avatar_ines-okafor.png",
    "/apple-touch-icon.png",
    "/favicon-32.ico",
    "/themes/valley/img/icons/calculator.webp",
    "/uploads/bfi_thumb/dummy-transparent-1x.png",
])
def test_avatars_icons_and_dummies_are_no_figures(src):
    photo = "<figure><img src='/uploads/2024/flooded-lane.jpg' alt='Sandbags along the mill lane'></figure>"
    other = f"<figure><img src='{src}' alt='Ines Okafor'></figure>"
    loose = f"<p>Volunteers arrived early. <img src='{src}' width='300'></p>"
    d = read_html(_page("<h1>Flood test</h1>" + photo + _paras(2) + other + _paras(2) + loose), "fig.html")
    assert [b.src for b in d.blocks if b.kind == "figure"] == ["/uploads/2024/flooded-lane.jpg"]


@pytest.mark.parametrize("head, published", [
    ("<meta property='article:published_time' content='2024-03-14T09:30:00Z'>", "2024-03-14T09:30:00Z"),
    ("<meta name='date' content='Mar 14, 2024'>", "2024-03-14"),
    ("<meta name='date' content='14/03/2024 09:30'>", "2024-03-14T09:30:00"),
    ("<meta name='date' content='March 14th 2024'>", "2024-03-14"),
    # No year: not a date the page can be filed under.
    ("<meta name='date' content='Mar 14'>", None),
    ("", None),
])
def test_published_date_is_iso_8601_or_none(head, published):
    assert read_html(_page(_paras(4), head=head), "dated.html").published == published


def test_numeric_date_with_day_and_month_interchangeable_is_left_to_htmldate():
    published = read_html(_page(_paras(4), head="<meta name='date' content='03/04/2024'>"), "n.html").published
    assert published in (None, "2024-03-04", "2024-04-03")


def test_published_date_from_the_pages_other_evidence():
    """A written date without its year gives way to what htmldate reads elsewhere on the page
    (here a <time> element; the story's text is never searched)."""
    body = "<time datetime='2024-03-14'>14 March</time>" + _paras(4)
    assert read_html(_page(body, head="<meta name='date' content='Mar 14'>"), "t.html").published == "2024-03-14"
    text_only = "<p>On 14 March 2024 the river rose again.</p>" + _paras(4)
    assert read_html(_page(text_only), "t2.html").published is None


def test_data_table_keeps_its_spanning_cells():
    table = ("<table><tr><th rowspan='2'>Variable</th><th colspan='2'>Baseline</th></tr>"
             "<tr><th>Treated</th><th>Control</th></tr>"
             "<tr><td>Age</td><td>20.4</td><td>21.9</td></tr></table>")
    d = read_html(_page("<h1>Flood test</h1>" + _paras(2) + table + _paras(2)), "spans.html")
    block = next(b for b in d.blocks if b.kind == "table")
    assert [[text for text, _ in row] for row in block.rows] == [
        ["Variable", "Baseline"], ["Treated", "Control"], ["Age", "20.4", "21.9"]]
    assert block.spans == {(0, 0): (1, 2), (0, 1): (2, 1)}
    cells = build_article(d).sections[0].blocks
    model = next(b for b in cells if hasattr(b, "rows"))
    assert (model.rows[0][0].rowspan, model.rows[0][1].colspan) == (2, 2)


@pytest.mark.parametrize("xml, text", [
    # The extractor dropped the space after a formatted run: a lower-case letter against a
    # capital is two words ...
    ("<p><hi rend='#b'>Best cereal bar</hi>Fruit and oats, baked slowly.</p>", "Best cereal bar Fruit and oats, baked slowly."),
    ("<p>Sources: <hi rend='#i'>verified</hi>Cite this page as the Courier.</p>", "Sources: verified Cite this page as the Courier."),
    ("<p><hi rend='#b'>Pros:</hi> quiet, light and cheap to run<hi rend='#b'>Cons:</hi> a short warranty</p>",
     "Pros: quiet, light and cheap to run Cons: a short warranty"),
    # ... while a drop cap or a word formatted in part stays one word.
    ("<p><hi rend='#b'>E</hi>xpertise matters, the harbour master said.</p>", "Expertise matters, the harbour master said."),
    ("<p>Set <hi rend='#b'>s</hi>pecific and <hi rend='#b'>m</hi>easurable goals.</p>", "Set specific and measurable goals."),
    ("<p>It was <hi rend='#i'>really</hi> good, said the <hi rend='#b'>mayor</hi>, on Tuesday.</p>",
     "It was really good, said the mayor, on Tuesday."),
])
def test_words_after_a_formatted_run_keep_their_spacing(xml, text):
    from lxml import etree

    from publisher.read.html.convert import _Converter
    from publisher.read.html.lifting import _Lifted

    blocks = _Converter(_Lifted()).convert(etree.fromstring(f"<body>{xml}</body>"))
    assert [b.text for b in blocks] == [text]


def test_a_div_holding_a_paragraph_of_prose_is_read_whole():
    """A <div> of text and bold runs is a paragraph: its opening words and the space after
    the bold name survive extraction (the extractor read such a div by other rules and
    dropped both in a page's card layout)."""
    card = ("<div class='flex gap-4'><div class='flex-1'><h3>How the ferry pass works</h3>"
            "<div class='text-sm leading-relaxed'>The pass covers every crossing in the bay. Each "
            "holder gets a <strong>Harbour Card</strong> that opens the gates at all four piers, "
            "and a monthly statement of the trips taken.</div></div></div>")
    d = read_html(_page(_paras(4) + card + _paras(2)), "card.html")
    text = " ".join(b.text for b in d.blocks)
    assert "Each holder gets a Harbour Card that opens the gates" in text
    assert "The pass covers every crossing in the bay." in text
