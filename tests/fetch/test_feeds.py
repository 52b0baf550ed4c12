"""Feeds as inputs (RSS 2.0, Atom, JSON Feed) against a site the test serves on 127.0.0.1."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from localsite import figure, png_bytes, running_site, story_page
from publisher.build import build
from publisher.cli import main
from publisher.config import Config, SpeechConfig
from publisher.manifest import load_manifest
from publisher.read.feed import (FULL_CONTENT_MIN_WORDS, FeedSelection, holds_whole_story, looks_like_feed,
                                 parse_feed, select_entries)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from site_audit import audit_html_file  # noqa: E402

FAKE = Config(speech=SpeechConfig(engine="fake"))
LONG_STORY = "".join(
    f"<p>Part {i} of the harbour story: the ferry crew counted the crates twice, wrote the numbers in a "
    f"blue book and waited for the tide to turn before they sailed.</p>" for i in range(12))


def rss(items: list[str]) -> str:
    return ("<?xml version='1.0' encoding='utf-8'?>\n"
            "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/' "
            "xmlns:dc='http://purl.org/dc/elements/1.1/'><channel><title>Town Desk</title>"
            "<link>/</link><description>Local news</description>" + "".join(items) + "</channel></rss>")


def rss_item(title: str, link: str, guid: str, date: str, *, author: str = "", summary: str = "",
             content: str = "") -> str:
    parts = [f"<item><title>{title}</title><link>{link}</link><guid isPermaLink='false'>{guid}</guid>",
             f"<pubDate>{date}</pubDate>"]
    if author:
        parts.append(f"<dc:creator>{author}</dc:creator>")
    if summary:
        parts.append(f"<description>{summary}</description>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "".join(parts) + "</item>"


@pytest.fixture()
def newsroom():
    """Three articles behind relative links, one duplicate entry, one gone page, one full-content entry."""
    with running_site() as site:
        site.add("/img/bridge.png", png_bytes(), "image/png")
        site.add("/news/bridge.html", story_page("Bridge Vote Delayed", "the bridge",
                                                 figures=figure("/img/bridge.png", "The old bridge", "The bridge.")))
        site.add("/news/library.html", story_page("Library Opens Late", "the library",
                                                  head="<meta name='author' content='Page Author'>"))
        site.add("/news/market.html", story_page("Market Moves Indoors", "the market"))
        items = [
            rss_item("Bridge Vote Delayed", "/news/bridge.html", "b-1", "Tue, 01 Dec 2026 09:00:00 GMT",
                     author="Ada Lane", summary="Councillors want one more look at the costs before they decide."),
            rss_item("Library Opens Late", "news/library.html", "l-1", "Mon, 30 Nov 2026 09:00:00 GMT",
                     author="Feed Author"),
            rss_item("Bridge Vote Delayed", "/news/bridge.html", "b-1", "Tue, 01 Dec 2026 09:00:00 GMT"),  # duplicate
            rss_item("Pool Closed", "/news/pool.html", "p-1", "Sun, 29 Nov 2026 09:00:00 GMT"),  # page gone
            rss_item("Harbour Count", "/news/harbour.html", "h-1", "Sat, 28 Nov 2026 09:00:00 GMT",
                     content="<h1>ignored</h1>" + LONG_STORY),  # the whole story is in the feed
            rss_item("Market Moves Indoors", "/news/market.html", "m-1", "Fri, 27 Nov 2026 09:00:00 GMT"),
        ]
        site.add("/feed.xml", rss(items), "application/rss+xml")
        yield site


def _build(site, out: Path, *args) -> int:
    return main(["build", site.base + "/feed.xml", "-o", str(out), "--engine", "fake", "--quiet", "-j", "1", *args])


def test_feed_publishes_each_entry_once_and_the_gone_page_fails_alone(newsroom, tmp_path, capsys):
    out = tmp_path / "out"
    assert _build(newsroom, out) == 1  # one entry's page is gone
    err = capsys.readouterr().err
    failures = [line for line in err.splitlines() if line.startswith("error:")]
    assert failures == [f"error: {newsroom.base}/news/pool.html: HTTP 404 Not Found"]
    titles = sorted(e.title for e in load_manifest(out).values())
    assert titles == ["Bridge Vote Delayed", "Harbour Count", "Library Opens Late", "Market Moves Indoors"]
    assert newsroom.hits.get("/news/harbour.html", 0) == 0  # full content: no page fetched
    assert newsroom.hits["/news/bridge.html"] == 1  # the duplicate entry is not fetched twice
    entries = {e.title: e for e in load_manifest(out).values()}
    bridge = entries["Bridge Vote Delayed"]
    assert bridge.byline == "Ada Lane"  # the page has no author: the entry's fills it
    assert bridge.published.startswith("2026-12-01")
    assert bridge.dek == "Councillors want one more look at the costs before they decide."
    assert entries["Library Opens Late"].byline == "Page Author"  # the page's own author wins
    harbour_page = (out / entries["Harbour Count"].page_path).read_text()
    assert "blue book" in harbour_page and "ignored" not in harbour_page.split("<h1", 2)[-1].split("</h1>")[0]
    for entry in entries.values():
        assert audit_html_file(out / entry.page_path) == []


def test_rerun_downloads_nothing_and_a_changed_entry_republishes_only_itself(newsroom, tmp_path, capsys):
    out = tmp_path / "out"
    _build(newsroom, out)
    pages = {e.title: out / e.page_path for e in load_manifest(out).values()}
    mtimes = {t: p.stat().st_mtime_ns for t, p in pages.items()}
    newsroom.reset_counts()
    _build(newsroom, out)
    assert "0 published, 4 unchanged, 1 failed" in capsys.readouterr().err
    downloads = {p: n for p, n in newsroom.downloads.items() if p != "/news/pool.html"}
    assert downloads == {}  # feed and pages answered 304
    assert set(newsroom.hits) == {"/feed.xml", "/news/bridge.html", "/news/library.html", "/news/market.html",
                                  "/news/pool.html"}
    assert {t: p.stat().st_mtime_ns for t, p in pages.items()} == mtimes
    assert list((out / "bridge-vote-delayed" / "images").glob("*.png"))  # kept on the first run, not asked again

    newsroom.add("/news/market.html", story_page("Market Moves Indoors", "the covered market hall"))
    _build(newsroom, out)
    assert "1 published, 3 unchanged, 1 failed" in capsys.readouterr().err
    changed = {t for t, p in pages.items() if p.stat().st_mtime_ns != mtimes[t]}
    assert changed == {"Market Moves Indoors"}
    assert "covered market hall" in pages["Market Moves Indoors"].read_text()

    _build(newsroom, out, "--title", "Another Edition")  # other settings: every article again
    assert "4 published, 0 unchanged, 1 failed" in capsys.readouterr().err


def test_limit_and_since_bound_the_first_run(newsroom, tmp_path, capsys):
    assert _build(newsroom, tmp_path / "a", "--limit", "2") == 0
    assert sorted(e.title for e in load_manifest(tmp_path / "a").values()) == ["Bridge Vote Delayed",
                                                                                "Library Opens Late"]
    assert _build(newsroom, tmp_path / "b", "--since", "2026-11-29") == 1  # the pool entry is in range
    assert sorted(e.title for e in load_manifest(tmp_path / "b").values()) == ["Bridge Vote Delayed",
                                                                                "Library Opens Late"]
    assert _build(newsroom, tmp_path / "c", "--since", "yesterday") == 2
    assert "--since must be a date" in capsys.readouterr().err


def test_feed_flag_insists_on_a_feed(newsroom, tmp_path, capsys):
    page = newsroom.base + "/news/bridge.html"
    assert main(["build", "--feed", page, "-o", str(tmp_path / "o"), "--engine", "fake", "--quiet"]) == 1
    assert f"error: {page}: not a feed" in capsys.readouterr().err
    assert main(["build", "--feed", newsroom.base + "/feed.xml", "-o", str(tmp_path / "p"), "--engine", "fake",
                 "--quiet", "--limit", "1"]) == 0
    assert [e.title for e in load_manifest(tmp_path / "p").values()] == ["Bridge Vote Delayed"]


def test_offline_refuses_a_feed_without_a_request(newsroom, tmp_path, capsys):
    assert main(["build", "--feed", newsroom.base + "/feed.xml", "-o", str(tmp_path / "o"), "--engine", "fake",
                 "--offline", "--quiet"]) == 1
    assert "--offline" in capsys.readouterr().err
    assert newsroom.hits == {}


# -- parsing (feedparser for RSS/Atom, json for JSON Feed) ------------------------------------

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<!-- a comment before the root -->
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.test/section/">
  <title>Atom Desk</title><id>urn:atom-desk</id><updated>2026-12-02T10:00:00Z</updated>
  <entry><title>Tram Lines</title><id>urn:entry:tram</id><link rel="alternate" href="tram.html"/>
    <updated>2026-12-02T10:00:00Z</updated><published>2026-12-02T08:30:00+01:00</published>
    <author><name>Bea Stone</name></author><summary>New lines open in May.</summary></entry>
  <entry><title>Old News</title><id>urn:entry:old</id><link href="http://news.test/old.html"/>
    <updated>2026-10-01T10:00:00Z</updated></entry>
</feed>"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1", "title": "JSON Desk", "authors": [{"name": "Desk Team"}],
    "items": [
        {"id": "j1", "url": "/stories/ferry", "title": "Ferry Timetable", "date_published": "2026-12-01T07:00:00Z",
         "summary": "Winter sailings change.", "content_text": "One.\n\nTwo."},
        {"id": "j2", "url": "https://other.test/x", "title": "Cable Car", "authors": [{"name": "Cy Hill"}],
         "content_html": "<p>" + "word " * FULL_CONTENT_MIN_WORDS + "</p>"},
        {"id": "j1", "url": "/stories/ferry", "title": "Ferry Timetable (again)"},
        "not an item",
    ],
}


def test_atom_entries_resolve_relative_links_and_dates_become_utc():
    feed = parse_feed(ATOM.encode(), "http://news.test/feeds/atom.xml")
    tram, old = feed.entries
    assert feed.title == "Atom Desk"
    assert tram.link == "http://news.test/section/tram.html"
    assert tram.published == "2026-12-02T07:30:00+00:00"
    assert (tram.author, tram.summary, tram.key) == ("Bea Stone", "New lines open in May.", "urn:entry:tram")
    assert [e.title for e in select_entries(feed, FeedSelection(since="2026-11-01"))] == ["Tram Lines"]


def test_json_feed_items_dedupe_inherit_authors_and_keep_full_content():
    feed = parse_feed(json.dumps(JSON_FEED).encode(), "https://desk.test/feed.json")
    chosen = select_entries(feed)
    assert [e.title for e in chosen] == ["Ferry Timetable", "Cable Car"]  # dated first; duplicate id dropped
    ferry, cable = chosen
    assert ferry.link == "https://desk.test/stories/ferry" and ferry.author == "Desk Team"
    assert ferry.content_html == "<p>One.</p><p>Two.</p>" and not holds_whole_story(ferry)
    assert cable.author == "Cy Hill" and holds_whole_story(cable)


@pytest.mark.parametrize("body, is_feed", [
    (b"\xef\xbb\xbf<?xml version='1.0'?><rss version='2.0'><channel/></rss>", True),
    (ATOM.encode(), True),
    (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>", True),
    (json.dumps(JSON_FEED).encode(), True),
    (b'{"version": "1.0", "items": []}', False),
    (b"<!doctype html><html><body><p>rss feed</p></body></html>", False),
    (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", False),
])
def test_feeds_are_told_from_pages_by_content(body, is_feed):
    assert looks_like_feed(body) is is_feed


def test_build_api_takes_feeds_and_a_selection(newsroom, tmp_path):
    summary = build([], tmp_path / "o", FAKE, jobs=1, quiet=True, stream=io.StringIO(),
                    feeds=[newsroom.base + "/feed.xml"], feed_selection=FeedSelection(limit=3))
    assert [r.status for r in summary.results].count("published") == 2  # bridge, library; pool fails
    assert [r.source for r in summary.failed] == [newsroom.base + "/news/pool.html"]
