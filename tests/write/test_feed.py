"""The podcast feed, read the way real clients read it (feedparser, gPodder's podcastparser) plus lxml.

podcastparser 0.6 maps the ``podcast:`` namespace only under its GitHub-docs
URI, so ``podcast:`` elements are asserted with lxml; everything else through
both clients.
"""
from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import feedparser
import podcastparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher.config import SiteConfig
from publisher.errors import ConfigError
from publisher.manifest import EpisodeEntry
from publisher.write.feed import render_feed
from publisher.write.podcast_ns import PODCAST_NS, feed_guid

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "feed" / "feed.xml"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = f"{{{PODCAST_NS}}}"
BASE = "https://audio.example.org/ledger/"

SITE = SiteConfig(title="The Harbour Ledger", description="Local reporting, read aloud.", base_url=BASE,
                  language="en", author="Ledger Desk", owner_name="Ledger Audio", owner_email="audio@example.org",
                  category="News", subcategory="Daily News", explicit=False, copyright="© 2024 Harbour Ledger",
                  feed_type="episodic", locked=True)


def entry(slug: str, **changes) -> EpisodeEntry:
    values = dict(article_id=f"id-{slug}", slug=slug, title=f"Story {slug}", language="en",
                  page_path=f"{slug}/index.html", audio_path=f"{slug}/{slug}.mp3", audio_bytes=48_213,
                  duration=185.6, transcript_path=f"{slug}/transcript.vtt", chapters_path=f"{slug}/chapters.json",
                  first_published="2024-06-03T08:30:00+00:00", dek=f"What happened with {slug}.")
    values.update(changes)
    return EpisodeEntry(**values)


ALPHA = entry("alpha", published="2024-06-01", byline="Rosa Quill")
BETA = entry("beta", published=None, first_published="2024-06-04T07:15:00Z", dek=None,
             summary="Ferry timetables change next month.", duration=3725.2, audio_bytes=1_003_500)


def tree(feed: bytes):
    return etree.fromstring(feed)


def via_feedparser(feed: bytes):
    parsed = feedparser.parse(feed)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def via_podcastparser(feed: bytes) -> dict:
    return podcastparser.parse(SITE.url("feed.xml"), io.BytesIO(feed))


def test_channel_fields_in_feedparser():
    parsed = via_feedparser(render_feed([ALPHA], SITE))
    channel = parsed.feed
    assert parsed.version == "rss20"
    assert channel.title == "The Harbour Ledger"
    assert channel.subtitle == "Local reporting, read aloud."
    assert channel.link == BASE
    assert channel.language == "en"
    assert channel.rights == "© 2024 Harbour Ledger"
    # feedparser lets itunes:owner/name override itunes:author; podcastparser keeps them apart.
    assert channel.publisher_detail == {"name": "Ledger Audio", "email": "audio@example.org"}
    assert channel.image.href == BASE + "cover.png"
    assert [t.term for t in channel.tags] == ["News", "Daily News"]
    assert channel.itunes_type == "episodic"
    self_links = [link for link in channel.links if link.rel == "self"]
    assert self_links == [{"href": BASE + "feed.xml", "rel": "self", "type": "application/rss+xml"}]


def test_channel_fields_in_podcastparser():
    channel = via_podcastparser(render_feed([ALPHA], SITE))
    assert channel["title"] == "The Harbour Ledger"
    assert channel["link"] == BASE
    assert channel["description"] == "Local reporting, read aloud."
    assert channel["language"] == "en"
    assert channel["cover_url"] == BASE + "cover.png"
    assert channel["itunes_author"] == "Ledger Desk"
    assert channel["itunes_owner"] == {"name": "Ledger Audio", "email": "audio@example.org"}
    assert channel["itunes_categories"] == [["News", "Daily News"]]
    assert channel["explicit"] is False
    assert channel["type"] == "episodic"


def test_item_fields_in_feedparser():
    item = via_feedparser(render_feed([ALPHA], SITE)).entries[0]
    assert item.title == "Story alpha"
    assert item.link == BASE + "alpha/index.html"
    assert item.id == "id-alpha" and item.guidislink is False
    assert item.published == "Sat, 01 Jun 2024 00:00:00 +0000"
    assert item.summary == "<p>What happened with alpha.</p>"
    enclosures = [link for link in item.links if link.rel == "enclosure"]
    assert enclosures == [{"href": BASE + "alpha/alpha.mp3", "length": "48213", "type": "audio/mpeg", "rel": "enclosure"}]
    assert item.itunes_duration == "186"
    assert item.image.href == BASE + "cover.png"
    assert item.itunes_episodetype == "full"
    assert item.author == "Rosa Quill"


def test_item_fields_in_podcastparser():
    episode = via_podcastparser(render_feed([ALPHA], SITE))["episodes"][0]
    assert episode["title"] == "Story alpha"
    assert episode["guid"] == "id-alpha"
    assert episode["link"] == BASE + "alpha/index.html"
    assert episode["published"] == 1717200000  # 2024-06-01T00:00:00Z
    assert episode["total_time"] == 186
    assert episode["enclosures"] == [{"url": BASE + "alpha/alpha.mp3", "file_size": 48213, "mime_type": "audio/mpeg"}]
    assert episode["description"] == "What happened with alpha."
    assert episode["episode_art_url"] == BASE + "cover.png"
    assert episode["explicit"] is False
    assert episode["type"] == "full"


def test_podcast_namespace_elements():
    root = tree(render_feed([ALPHA], SITE))
    channel = root.find("channel")
    assert root.nsmap["podcast"] == "https://podcastindex.org/namespace/1.0"
    assert channel.findtext(PODCAST + "guid") == feed_guid(BASE + "feed.xml")
    locked = channel.find(PODCAST + "locked")
    assert (locked.text, locked.get("owner")) == ("yes", "audio@example.org")
    item = channel.find("item")
    transcripts = [dict(t.attrib) for t in item.findall(PODCAST + "transcript")]
    assert transcripts == [
        {"url": BASE + "alpha/transcript.vtt", "type": "text/vtt", "language": "en", "rel": "captions"},
        {"url": BASE + "alpha/index.html", "type": "text/html", "language": "en"},
    ]
    chapters = item.find(PODCAST + "chapters")
    assert dict(chapters.attrib) == {"url": BASE + "alpha/chapters.json", "type": "application/json+chapters"}


def test_itunes_explicit_is_true_or_false():
    for explicit, text in ((False, "false"), (True, "true")):
        feed = render_feed([ALPHA], replace(SITE, explicit=explicit))
        root = tree(feed)
        assert root.findtext(f"channel/{ITUNES}explicit") == text
        assert root.findtext(f"channel/item/{ITUNES}explicit") == text
        assert via_podcastparser(feed)["explicit"] is explicit


def test_podcast_guid_follows_the_spec():
    # The spec's own worked example.
    assert feed_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert feed_guid("http://mp3s.nashownotes.com/pc20rss.xml/") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_rendering_twice_gives_identical_bytes():
    assert render_feed([ALPHA, BETA], SITE) == render_feed([BETA, ALPHA], SITE)


def test_last_build_date_is_the_newest_episode_not_the_clock():
    root = tree(render_feed([ALPHA, BETA], SITE))
    assert root.findtext("channel/lastBuildDate") == "Tue, 04 Jun 2024 07:15:00 +0000"
    assert tree(render_feed([], SITE)).find("channel/lastBuildDate") is None


def test_guid_survives_title_and_base_url_changes():
    before = via_podcastparser(render_feed([ALPHA], SITE))["episodes"][0]["guid"]
    moved = replace(SITE, base_url="https://new-host.example.net/audio/")
    renamed = replace(ALPHA, title="Story alpha, corrected")
    after = podcastparser.parse(moved.url("feed.xml"), io.BytesIO(render_feed([renamed], moved)))["episodes"][0]
    assert after["guid"] == before == "id-alpha"
    assert after["enclosures"][0]["url"] == "https://new-host.example.net/audio/alpha/alpha.mp3"


def test_batches_accumulate_newest_first():
    first = via_podcastparser(render_feed([ALPHA], SITE))
    assert [e["guid"] for e in first["episodes"]] == ["id-alpha"]
    both = render_feed([ALPHA, BETA], SITE)
    assert [e["guid"] for e in via_podcastparser(both)["episodes"]] == ["id-beta", "id-alpha"]
    assert [e.id for e in via_feedparser(both).entries] == ["id-beta", "id-alpha"]


def test_summary_is_used_without_a_dek_and_long_durations_stay_seconds():
    episode = via_podcastparser(render_feed([BETA], SITE))["episodes"][0]
    assert episode["description"] == "Ferry timetables change next month."
    assert episode["total_time"] == 3725


def test_dates_are_rfc2822_with_offsets_kept():
    late = entry("late", published="2024-06-05T23:10:00+02:00")
    root = tree(render_feed([late], SITE))
    assert root.findtext("channel/item/pubDate") == "Wed, 05 Jun 2024 23:10:00 +0200"
    broken = entry("broken", published="last Tuesday")  # falls back to first publication
    assert tree(render_feed([broken], SITE)).findtext("channel/item/pubDate") == "Mon, 03 Jun 2024 08:30:00 +0000"


def test_untrusted_text_stays_text():
    hostile = entry("hostile", title="Tide <b>tables</b> & \x0bmore",
                    dek='Before ]]> after <script>alert(1)</script><img src=x onerror="y">\x00')
    feed = render_feed([hostile], SITE)
    root = tree(feed)  # well-formed despite the control characters
    description = root.findtext("channel/item/description")
    assert "<script" not in description and "<img" not in description
    assert description == ("<p>Before ]]&gt; after &lt;script&gt;alert(1)&lt;/script&gt;"
                           "&lt;img src=x onerror=\"y\"&gt;</p>")
    assert root.findtext("channel/item/title") == "Tide <b>tables</b> & more"
    item = via_feedparser(feed).entries[0]
    assert "<script" not in item.summary and "<img" not in item.summary


def test_invalid_category_is_refused():
    with pytest.raises(ConfigError, match="Daily News"):
        render_feed([ALPHA], replace(SITE, category="Arts", subcategory="Daily News"))


def test_golden_feed():
    feed = render_feed([ALPHA, BETA], SITE)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(feed)
    assert feed == GOLDEN.read_bytes(), "feed changed; review, then UPDATE_GOLDEN=1 to accept"


def test_extension_also_plugs_into_feedgen():
    from feedgen.feed import FeedGenerator

    from publisher.write.podcast_ns import PodcastIndexEntryExtension, PodcastIndexExtension

    generator = FeedGenerator()
    generator.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    generator.title("T")
    generator.link(href=BASE)
    generator.description("D")
    generator.podcastindex.podcast_guid(feed_guid(BASE + "feed.xml"))
    generator.podcastindex.podcast_locked(False, owner="audio@example.org")
    item = generator.add_entry()
    item.title("Episode")
    item.guid("id-x", permalink=False)
    item.podcastindex.podcast_chapters(BASE + "x/chapters.json")
    item.podcastindex.podcast_transcript(BASE + "x/transcript.vtt", "text/vtt", language="en", rel="captions")
    root = tree(generator.rss_str())
    assert root.findtext(f"channel/{PODCAST}guid") == feed_guid(BASE + "feed.xml")
    assert root.findtext(f"channel/{PODCAST}locked") == "no"
    assert root.find(f"channel/item/{PODCAST}chapters").get("url") == BASE + "x/chapters.json"
    assert root.find(f"channel/item/{PODCAST}transcript").get("rel") == "captions"
    with pytest.raises(ValueError):
        item.podcastindex.podcast_transcript("file:///etc/passwd", "text/vtt")


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=60), dek=st.text(max_size=120), byline=st.text(max_size=30))
def test_any_article_text_gives_a_well_formed_feed_that_both_clients_read(title, dek, byline):
    feed = render_feed([entry("any", title=title, dek=dek or None, byline=byline or None)], SITE)
    description = tree(feed).findtext("channel/item/description")
    assert description.startswith("<p>") and description.endswith("</p>")
    assert "<" not in description[3:-4]  # only our own <p>: the article text is all escaped
    via_feedparser(feed)
    assert via_podcastparser(feed)["episodes"][0]["guid"] == "id-any"
