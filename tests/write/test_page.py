"""The article page and the index as HTML: structure, language, read-along ids, escaping, links."""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from publisher.config import SiteConfig
from publisher.manifest import EpisodeEntry
from publisher.read.draft import DraftArticle, DraftBlock
from publisher.segment import build_article
from publisher.speech.types import Chapter, Narration, SectionFile, Timing
from publisher.write.page import (
    format_duration, parse_date, reading_minutes, render_article_page, render_index, safe_url,
    static_assets,
)

SITE = SiteConfig(title="Riverside Listening Desk", base_url="https://audio.example.net/")
HOSTILE_TITLE = "<script>alert(1)</script> Council & the <b>bridge</b>"
HOSTILE_ALT = 'x" onerror="alert(1)'
FOCUSABLE = "a[href], button, input, select, textarea, audio[controls], [tabindex]"


def draft(**overrides) -> DraftArticle:
    blocks = [
        DraftBlock("paragraph", text="The council met on Monday. It voted to repair the bridge."),
        DraftBlock("figure", src="photos/bridge.jpg", alt=HOSTILE_ALT, caption="The old bridge at dusk.",
                   credit="Photo: <i>City Archive</i>"),
        DraftBlock("figure", src="javascript:alert(2)", caption="A diagram that must not load."),
        DraftBlock("figure", src="photos/river.jpg"),
        DraftBlock("figure", src="https://cdn.example.com/crane.jpg", alt="A crane lifts a steel beam over the river"),
        DraftBlock("heading", text="The vote", level=2),
        DraftBlock("paragraph", text="Seven members voted yes. Two abstained."),
        DraftBlock("quote", text="Nous avons attendu trop longtemps.", lang="fr",
                   attribution="A visiting mayor", cite="javascript:alert(3)"),
        DraftBlock("quote", quote_kind="pull", text="Seven members voted yes."),
        DraftBlock("heading", text="Costs", level=3),
        DraftBlock("table", rows=[[("Item", True), ("Cost", True)], [("Steel", False), ("40,000", False)]]),
        DraftBlock("list", items=["Repaint the rails.", "Replace the lamps."], ordered=True),
        DraftBlock("heading", text="What happens next", level=2),
        DraftBlock("paragraph", text="Work starts in May. The bridge stays open on weekends."),
        DraftBlock("credit", text="Reporting by Ada Lindqvist.", credit_kind="reporting"),
    ]
    values = dict(
        title=HOSTILE_TITLE, blocks=blocks, identity="file:bridge", dek="A vote after <em>years</em> of delay.",
        byline="By Ada Lindqvist <img src=x onerror=alert(4)>", published="2026-05-04T09:30:00Z",
        language="en-GB", url="https://paper.example.com/bridge",
    )
    values.update(overrides)
    return DraftArticle(**values)


def narration_for(article) -> Narration:
    """Consistent made-up timings: one second per sentence, one chapter and file per section."""
    timings, chapters, files = [], [], []
    clock = 0.0
    for number, section in enumerate(article.sections, start=1):
        start = clock
        sentences = list(article.iter_sentences()) if number == 1 else []
        for s in sentences:
            timings.append(Timing(s.id, s.text, clock, clock + 1.0))
            clock += 1.0
        clock = max(clock, start + 3.0)
        title = section.heading or "Introduction"
        chapters.append(Chapter(section.id, title, start, clock))
        files.append(SectionFile(section.id, title, f"sections/{number:02d}-part.mp3", clock - start, 12_000))
    return Narration(article.id, f"{article.slug}.mp3", clock, 250_000, tuple(timings), tuple(chapters),
                     tuple(files), "fake", None)


@pytest.fixture(scope="module")
def article():
    return build_article(draft())


@pytest.fixture(scope="module")
def narration(article):
    return narration_for(article)


@pytest.fixture(scope="module")
def html(article, narration):
    return render_article_page(article, narration, SITE)


@pytest.fixture(scope="module")
def soup(html):
    return BeautifulSoup(html, "lxml")


# -- document frame ---------------------------------------------------------------------------

def test_title_is_headline_and_publication(soup, article):
    assert soup.title.get_text() == f"{article.title} — {SITE.title}"


def test_html_lang_is_the_articles(soup):
    assert soup.html["lang"] == "en-GB"


def test_headline_is_the_only_h1(soup, article):
    h1s = soup.find_all("h1")
    assert len(h1s) == 1
    assert h1s[0].get_text() == article.title


def test_heading_levels_never_skip(soup):
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


def test_landmarks(soup):
    body = soup.body
    assert len(body.find_all("header", recursive=False)) == 1
    assert len(soup.find_all("main")) == 1
    main = soup.main
    assert main["id"] and main["tabindex"] == "-1"
    assert len(main.find_all("article")) == 1
    assert len(body.find_all("footer", recursive=False)) == 1
    # Everything visible sits inside a landmark: body's children are only skip links and landmarks.
    for child in body.find_all(recursive=False):
        assert child.name in ("header", "main", "footer") or "skip-link" in child.get("class", []), child.name


def test_skip_link_is_first_focusable_and_targets_main(soup):
    first = soup.select(FOCUSABLE)[0]
    assert first.name == "a" and first.get_text() == "Skip to article"
    assert first["href"] == "#" + soup.main["id"]


def test_contents_nav_lists_headed_sections(soup, article):
    nav = soup.find("nav", attrs={"aria-label": "Contents"})
    targets = [a["href"] for a in nav.find_all("a")]
    assert targets == [f"#{s.id}" for s in article.sections if s.heading]
    for target in targets:
        assert soup.find(id=target[1:]) is not None


def test_no_contents_nav_with_fewer_than_two_headed_sections():
    one = build_article(draft(blocks=[DraftBlock("heading", text="Only part"), DraftBlock("paragraph", text="Text.")]))
    page = BeautifulSoup(render_article_page(one, None, SITE), "lxml")
    assert page.find("nav") is None


def test_headed_sections_are_never_nested_in_the_untitled_lead():
    lead_then_h3 = build_article(draft(blocks=[
        DraftBlock("paragraph", text="Opening words."),
        DraftBlock("heading", text="Detail", level=3), DraftBlock("paragraph", text="More."),
        DraftBlock("heading", text="Main part", level=2), DraftBlock("paragraph", text="Most."),
    ]))
    page = BeautifulSoup(render_article_page(lead_then_h3, None, SITE), "lxml")
    lead = page.find(class_="lead")
    assert lead.find("section") is None and "Opening words." in lead.get_text()


def test_only_top_level_sections_are_named_regions(soup, article):
    for section in article.sections:
        if not section.heading:
            continue
        element = soup.find(id=section.id)
        assert element.name == "section"
        if section.level == 2:
            heading = soup.find(id=element["aria-labelledby"])
            assert heading.name == "h2" and heading.get_text() == section.heading
        else:
            assert not element.has_attr("aria-labelledby")


def test_byline_and_machine_readable_date(soup):
    header = soup.article.header
    assert "By Ada Lindqvist" in header.get_text()
    time = header.find("time")
    assert time["datetime"] == "2026-05-04T09:30:00+00:00"
    assert time.get_text() == "4 May 2026"


def test_reading_and_listening_time(soup, article, narration):
    facts = soup.find(class_="article-facts").get_text(" ")
    assert f"about {reading_minutes(article.word_count())} min" in facts
    assert f"Listening time: {format_duration(narration.duration)}" in facts


# -- read-along and audio ----------------------------------------------------------------------

def test_every_sentence_is_one_span_with_its_id(soup, article):
    ids = [s.id for s in article.iter_sentences()]
    all_ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    for sentence in article.iter_sentences():
        span = soup.find(id=sentence.id)
        assert span is not None and span.name == "span" and "s" in span["class"], sentence.id
        assert span.get_text() == sentence.text
    assert all(all_ids[i] == 1 for i in ids)
    assert max(all_ids.values()) == 1  # no duplicate ids anywhere on the page


def test_foreign_language_quote_is_marked(soup, article):
    french = soup.find(lang="fr")
    assert french is not None and "attendu" in french.get_text()


def test_audio_player_is_labelled_native_and_never_autoplays(soup, narration):
    audio = soup.find("audio")
    assert audio.has_attr("controls") and not audio.has_attr("autoplay")
    assert audio["preload"] == "none"
    assert audio["src"] == narration.episode_path
    label = soup.find(id=audio["aria-labelledby"])
    assert "Listen to this article" in label.get_text()
    track = audio.find("track")
    assert track["kind"] == "metadata" and track["src"] == "transcript.vtt" and track.has_attr("default")
    downloads = [a for a in soup.find_all("a", href=narration.episode_path) if "Download" in a.get_text()]
    assert downloads


def test_section_buttons_are_hidden_without_script_and_links_are_not(soup, article, narration):
    chapters = {c.section_id: c for c in narration.chapters}
    files = {f.section_id: f for f in narration.sections}
    for section in article.sections:
        if not section.heading:
            continue
        element = soup.find(id=section.id)
        button = element.find("button", class_="play-section")
        assert button["type"] == "button" and button.has_attr("hidden")
        assert float(button["data-seek"]) == pytest.approx(chapters[section.id].start)
        assert button.get_text().startswith("Play this section") and section.heading in button.get_text()
        link = element.find("a", class_="section-mp3")
        assert link["href"] == files[section.id].path and not link.has_attr("hidden")


def test_section_starts_at_its_first_listed_chapter(article, narration):
    from dataclasses import replace

    section = next(s for s in article.sections if s.heading)
    real = next(c for c in narration.chapters if c.section_id == section.id)
    aside = Chapter(section.id, "Photo caption", real.start + 1.5, real.start + 2.0, toc=False)
    page = BeautifulSoup(render_article_page(article, replace(narration, chapters=narration.chapters + (aside,)), SITE),
                         "lxml")
    button = page.find(id=section.id).find("button", class_="play-section")
    assert float(button["data-seek"]) == pytest.approx(real.start)


def test_readalong_toggle_starts_pressed_and_hidden(soup):
    toggle = soup.find(id="readalong-toggle")
    assert toggle["type"] == "button" and toggle["aria-pressed"] == "true"
    assert toggle.find_parent(attrs={"data-needs-script": True}).has_attr("hidden")


def test_page_without_narration_has_no_player(article):
    page = BeautifulSoup(render_article_page(article, None, SITE), "lxml")
    assert page.find("audio") is None and page.find("button") is None
    assert page.find(string=re.compile("Listening time")) is None
    assert page.find("a", href="#listen") is None


# -- blocks ---------------------------------------------------------------------------------------

def test_figures(soup):
    bridge = soup.find("img", src="photos/bridge.jpg")
    assert bridge["alt"] == HOSTILE_ALT  # kept as text, safely quoted
    assert bridge.find_parent("figure").figcaption.small.get_text() == "Photo: <i>City Archive</i>"
    undescribed = soup.find("img", src="photos/river.jpg")
    assert undescribed["alt"]  # an honest non-empty alt, never a missing one


def test_remote_image_is_not_loaded_and_its_description_is_text(soup):
    assert not soup.find("img", src=re.compile("cdn.example.com"))
    note = soup.find(string=re.compile("A crane lifts a steel beam")).find_parent("figure")
    assert "Image not included" in note.get_text()


def test_remote_images_can_be_shown_without_a_referrer(article, narration):
    from dataclasses import replace

    page = BeautifulSoup(render_article_page(article, narration, replace(SITE, remote_images=True)), "lxml")
    crane = page.find("img", src="https://cdn.example.com/crane.jpg")
    assert crane["alt"] == "A crane lifts a steel beam over the river"
    assert crane["referrerpolicy"] == "no-referrer" and crane["loading"] == "lazy"
    assert "Image not included" not in page.get_text()
    local = page.find("img", src="photos/bridge.jpg")
    assert not local.has_attr("referrerpolicy")  # only other hosts need it
    assert not page.find("img", src=re.compile("javascript", re.I))  # still never an unsafe URL


def test_a_narrated_caption_gets_its_own_play_button(article, narration):
    from dataclasses import replace

    figure = next(b for _, b in article.iter_blocks() if getattr(b, "caption", None))
    aside = Chapter(figure.id, "Photo caption", 3.25, 6.5, toc=False)
    page = BeautifulSoup(render_article_page(article, replace(narration, chapters=narration.chapters + (aside,)),
                                             SITE), "lxml")
    (button,) = page.select("button.play-caption")
    assert button["data-seek"] == "3.250" and button.has_attr("hidden")  # shown by the script only
    assert button.find_parent("figure")["id"] == figure.id and not button.find_parent("figcaption")
    assert button.find_parent("figure").find_all(recursive=False)[-1].name == "figcaption"  # still last
    # Without narration there is nothing to play.
    assert not BeautifulSoup(render_article_page(article, None, SITE), "lxml").select("button.play-caption")


def test_unsafe_image_src_is_dropped_but_caption_kept(soup):
    assert not soup.find("img", src=re.compile("javascript", re.I))
    assert "A diagram that must not load." in soup.get_text()


def test_quote_attribution_and_unsafe_cite(soup):
    quote = soup.find("blockquote", lang="fr")
    assert not quote.has_attr("cite")  # javascript: is never a cite
    assert quote.find_parent("figure").figcaption.get_text().endswith("A visiting mayor")


def test_pull_quote_repeating_body_is_hidden_from_screen_readers(soup):
    pull = soup.find(class_="pull-quote")
    assert pull["aria-hidden"] == "true"
    assert "Seven members voted yes." in pull.get_text()


def test_table_has_caption_and_scoped_headers(soup):
    table = soup.find("table")
    assert table.caption.get_text().startswith("Table 1")
    assert [th["scope"] for th in table.find_all("th")] == ["col", "col"]
    assert table.thead and table.tbody


def test_lists_and_credit(soup):
    assert [li.get_text() for li in soup.find("ol", id=True).find_all("li")] == ["Repaint the rails.", "Replace the lamps."]
    credit = soup.find(class_="credit")
    assert credit.name == "p" and "Reporting by Ada Lindqvist." in credit.get_text()


# -- safety -----------------------------------------------------------------------------------------

def test_hostile_text_is_escaped(html, soup):
    scripts = soup.find_all("script")
    assert [s.get("src") for s in scripts] == ["../static/readalong.js"]
    assert not soup.find_all(["b", "i", "em", "iframe", "object", "embed", "style"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "alert(4)" in soup.find(class_="byline").get_text()
    for tag in soup.find_all(True):
        assert not any(name.lower().startswith("on") for name in tag.attrs), tag
        for name in ("href", "src", "cite"):
            if tag.has_attr(name):
                assert not re.match(r"\s*(javascript|data|vbscript):", tag[name], re.I)


def test_no_external_resources(soup, article):
    for tag in soup.find_all(True):
        for name in ("href", "src", "cite"):
            value = tag.get(name)
            if value and urlsplit(value).scheme:
                assert value == article.url, (tag.name, value)
    assert soup.find("link", rel="canonical")["href"] == article.url


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a.png", "https://example.org/a.png"),
    ("images/a.png", "images/a.png"),
    ("javascript:alert(1)", None),
    ("JaVa\tScRiPt:alert(1)", None),
    (" data:image/png;base64,AAAA", None),
    ("//evil.example/x.png", None),
    ("file:///etc/passwd", None),
    ("", None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize("seconds, text", [(0, "0 s"), (42.4, "42 s"), (252.4, "4 min 12 s"), (240, "4 min"),
                                           (3725, "1 h 2 min")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_parse_date_rejects_non_dates():
    assert parse_date("yesterday") is None
    assert parse_date("2026-02-30") is None
    assert parse_date("2026-02-03").machine == "2026-02-03"


# -- index ---------------------------------------------------------------------------------------------

def entry(slug: str, title: str, published: str | None, first: str = "2026-01-01T00:00:00+00:00") -> EpisodeEntry:
    return EpisodeEntry(
        article_id=f"id-{slug}", slug=slug, title=title, language="en", page_path=f"{slug}/index.html",
        audio_path=f"{slug}/{slug}.mp3", audio_bytes=1_500_000, duration=125.0,
        transcript_path=f"{slug}/transcript.vtt", chapters_path=f"{slug}/chapters.json",
        first_published=first, published=published, dek=f"Dek of {title} <b>bold</b>",
    )


@pytest.fixture(scope="module")
def index_soup():
    entries = [entry("older", "Older story", "2026-01-02"), entry("newer", "Newer <script>x</script> story", "2026-02-03")]
    return BeautifulSoup(render_index(entries, SITE), "lxml")


def test_index_lists_articles_newest_first(index_soup):
    links = [a for a in index_soup.select("main h3 a")]
    assert [a["href"] for a in links] == ["newer/index.html", "older/index.html"]
    assert links[0].get_text() == "Newer <script>x</script> story"
    assert index_soup.find("time", datetime="2026-02-03").get_text() == "3 February 2026"
    assert "Listening time: 2 min 5 s" in index_soup.get_text()
    assert "Dek of Older story <b>bold</b>" in index_soup.get_text()


def test_index_explains_how_to_subscribe(index_soup):
    feed_url = SITE.url("feed.xml")
    link = index_soup.find("a", string=feed_url)
    assert link["href"] == "feed.xml"
    section = link.find_parent("section")
    assert "Subscribe" in section.h2.get_text() and "podcast app" in section.get_text()
    assert "Paste" in section.get_text()


def test_index_without_articles_says_so():
    empty = BeautifulSoup(render_index([], SITE), "lxml")
    assert empty.find("ol", class_="episode-list") is None
    assert "No articles have been published yet." in empty.main.get_text()
    assert empty.find("a", string=SITE.url("feed.xml"))


def test_index_frame(index_soup):
    assert len(index_soup.find_all("h1")) == 1
    assert index_soup.html["lang"] == "en"
    first = index_soup.select(FOCUSABLE)[0]
    assert first["href"] == "#main" and index_soup.main["tabindex"] == "-1"
    assert index_soup.find("link", rel="stylesheet")["href"] == "static/site.css"
    assert [s["src"] for s in index_soup.find_all("script")] == ["static/readalong.js"]
    assert not index_soup.find_all(["b", "script"], string=True)


def test_static_assets_are_one_stylesheet_and_one_script():
    assets = static_assets()
    assert set(assets) == {"site.css", "readalong.js"}
    assert b"prefers-color-scheme: dark" in assets["site.css"]
    assert b"prefers-reduced-motion" in assets["site.css"] and b"prefers-reduced-motion" in assets["readalong.js"]
    for data in assets.values():
        assert b"http://" not in data and b"https://" not in data and b"@import" not in data
    assert b"aria-live" not in assets["readalong.js"] and b".focus(" not in assets["readalong.js"]


def test_foreign_language_article_marks_the_interface_wording():
    german = build_article(DraftArticle(
        title="Die Brücke bleibt offen", identity="file:bruecke", language="de", byline="Jonas Weber",
        blocks=[DraftBlock("paragraph", text="Der Rat hat entschieden."),
                DraftBlock("quote", text="This is good news.", lang="en", attribution="Ein Gast")],
    ))
    page = BeautifulSoup(render_article_page(german, narration_for(german), SITE), "lxml")
    assert page.html["lang"] == "de"
    assert page.select(FOCUSABLE)[0]["lang"] == "en"  # "Skip to article"
    assert page.find(id="listen")["lang"] == "en"
    assert page.body.header["lang"] == "en"  # the site's own language
    assert page.find("blockquote")["lang"] == "en"
    assert page.find(class_="byline").find(string="By").parent["lang"] == "en"
    assert not page.find("h1").has_attr("lang") and page.find("h1").find_parent(attrs={"lang": True}).name == "html"


def test_section_controls_have_unique_names_when_headings_repeat():
    """A review repeats "Verdict" under each product: the play and download controls of the
    two "Verdict" sections must not share a name (WCAG 2.4.4): each takes its product's."""
    para = DraftBlock("paragraph", text="It held up well in the rain. The straps stayed put.")
    blocks = [para]
    for product in ("Trail Pack", "City Pack"):
        blocks += [DraftBlock("heading", text=product, level=2), para,
                   DraftBlock("heading", text="Verdict", level=3), para]
    blocks += [DraftBlock("heading", text="Verdict", level=2), para, DraftBlock("heading", text="Verdict", level=2), para]
    article = build_article(draft(blocks=blocks))
    page = BeautifulSoup(render_article_page(article, narration_for(article), SITE), "lxml")
    names = [" ".join(a.get_text().split()) for a in page.find_all("a", class_="section-mp3")]
    buttons = [" ".join(b.get_text().split()) for b in page.find_all("button", class_="play-section")]
    assert len(names) == len(set(names)) == len(buttons) == len(set(buttons)) == 6
    assert any("“Trail Pack: Verdict”" in n for n in names) and any("“City Pack: Verdict”" in n for n in names)
    assert any("“Verdict (1)”" in n for n in names) and any("“Verdict (2)”" in n for n in names)


def test_table_corner_cell_is_data_and_rows_are_as_wide_as_the_widest():
    rows = [[("", True), ("Basic", True), ("Premium", True)],
            [("Cost", False), ("$640", False), ("$1,040", False), ("", False)],
            [("Cover", False), ("$50,000", False)]]
    article = build_article(draft(blocks=[DraftBlock("table", rows=rows)]))
    table = BeautifulSoup(render_article_page(article, None, SITE), "lxml").find("table")
    assert table.thead is not None and table.thead.find("td") is not None  # the corner: an empty data cell
    assert [th.get_text() for th in table.thead.find_all("th")] == ["Basic", "Premium"]
    assert [len(tr.find_all(["td", "th"])) for tr in table.find_all("tr")] == [3, 3, 3]
