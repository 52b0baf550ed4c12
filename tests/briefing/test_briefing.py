"""The daily briefing, built with the fake voice (real MP3s, decoded by the site check)."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import podcastparser
import pytest
from lxml import etree

from briefing_helpers import DAY, FIXTURES, chapters, manifest, vtt_cues
from publisher.briefing import make_briefing, published_day
from publisher.build import build
from publisher.check import check_site
from publisher.cli import main
from publisher.config import BriefingConfig, Config, SpeechConfig
from publisher.manifest import EpisodeEntry
from publisher.speech.audio import MP3_DELAY_SAMPLES, OUTPUT_RATE
from publisher.speech.engines import get_engine
from publisher.write.podcast_ns import PODCAST_NS

FAKE = Config(speech=SpeechConfig(engine="fake"))
SLUG = f"briefing-{DAY}"
DELAY_S = MP3_DELAY_SAMPLES / OUTPUT_RATE


@pytest.fixture
def site(tmp_path) -> Path:
    output = tmp_path / "out"
    summary = build([FIXTURES], output, FAKE, jobs=1, quiet=True)
    assert not summary.failed
    return output


@pytest.fixture
def briefed(site) -> tuple[Path, object, list[tuple]]:
    engine = get_engine("fake")
    before = len(engine.calls)
    result = make_briefing(site, FAKE, date.fromisoformat(DAY))
    return site, result, engine.calls[before:]


def test_briefing_chapters_start_where_each_headline_is_spoken(briefed):
    output, result, _ = briefed
    entries = manifest(output)
    folder = output / SLUG
    cues = vtt_cues(folder / "transcript.vtt")
    marks = chapters(folder / "chapters.json")
    stories = [entries["library-reopens-after-roof-repairs"], entries["island-ferry-adds-an-early-crossing"]]
    assert result.stories == 2 and [m["title"] for m in marks[1:]] == [s["title"] for s in stories]
    for number, (story, mark) in enumerate(zip(stories, marks[1:]), 1):
        headline_id = story["brief"][0]["sentence_id"]
        start, end, text = cues[f"b{number}-{headline_id}"]
        assert text == story["title"]
        # The chapter begins on the MP3 frame where the headline's first sample plays (decoder delay only).
        assert abs(start - (mark["startTime"] + DELAY_S)) <= 0.0015, (mark, start)
        # The same cached sentence: it lasts exactly as long as in the article's own VTT.
        own_start, own_end, own_text = vtt_cues(output / story["slug"] / "transcript.vtt")[headline_id]
        assert own_text == text and abs((end - start) - (own_end - own_start)) <= 0.0015
        assert mark["url"] == FAKE.site.url(story["page_path"])
    # The dek (or lead paragraph) follows its headline inside the story's chapter.
    ferry_dek = entries["island-ferry-adds-an-early-crossing"]["brief"][1]
    assert ferry_dek["role"] == "dek" and ferry_dek["display"] == "The first boat will leave the harbour at 5.45 a.m. from next month."
    library_lead = entries["library-reopens-after-roof-repairs"]["brief"][1]
    assert library_lead["role"] == "body" and library_lead["display"].startswith("The central library opened")
    assert marks[1]["startTime"] < cues[f"b1-{library_lead['sentence_id']}"][0] < marks[2]["startTime"]


def test_briefing_reuses_the_cached_sentences(briefed):
    _, result, calls = briefed
    # Only the briefing's own title line is new; every headline and summary comes from the cache.
    from publisher.speech.normalize import normalize

    assert [text for text, _, _ in calls] == [normalize("Daily briefing, 14 March 2026", "en")]
    assert result.synthesized == 1 and result.reused == 4


def test_briefing_is_an_item_of_a_feed_that_passes_the_checks(briefed):
    output, _, _ = briefed
    assert check_site(output) == []  # enclosure length, duration, ID3 chapters, VTT and chapters JSON, join keys
    feed = (output / "feed.xml").read_bytes()
    parsed = feedparser.parse(feed)
    assert not parsed.bozo
    items = {e.link: e for e in parsed.entries}
    item = items[FAKE.site.url(f"{SLUG}/index.html")]
    assert item.title == "Daily briefing, 14 March 2026"
    assert item.enclosures[0].href == FAKE.site.url(f"{SLUG}/{SLUG}.mp3")
    podcast = podcastparser.parse(FAKE.site.url("feed.xml"), io.BytesIO(feed))
    episode = next(e for e in podcast["episodes"] if e["link"] == item.link)
    entry = manifest(output)[SLUG]
    assert episode["enclosures"][0] == {"url": item.enclosures[0].href, "mime_type": "audio/mpeg",
                                        "file_size": (output / entry["audio_path"]).stat().st_size}
    assert episode["total_time"] == round(entry["duration"])
    assert len(podcast["episodes"]) == 4  # three articles and the briefing
    root = etree.fromstring(feed)
    xml_item = next(i for i in root.iter("item") if i.findtext("link") == item.link)
    assert xml_item.find(f"{{{PODCAST_NS}}}chapters").get("url") == FAKE.site.url(f"{SLUG}/chapters.json")


def test_briefing_page_links_every_story_and_carries_every_cue(briefed):
    from lxml import html

    output, _, _ = briefed
    page = html.parse(str(output / SLUG / "index.html")).getroot()
    links = [a.get("href") for a in page.iter("a") if a.getparent().tag == "h2"]
    assert links == ["../library-reopens-after-roof-repairs/index.html", "../island-ferry-adds-an-early-crossing/index.html"]
    for href in links:
        assert (output / SLUG / href).resolve().is_file()
    ids = {el.get("id") for el in page.iter() if el.get("id")}
    assert set(vtt_cues(output / SLUG / "transcript.vtt")) <= ids
    assert len(page.findall(".//h1")) == 1 and page.find(".//main") is not None


def test_an_unchanged_briefing_is_not_rewritten(briefed):
    output, _, _ = briefed
    files = sorted((output / SLUG).rglob("*"))
    stamps = [p.stat().st_mtime_ns for p in files]
    again = make_briefing(output, FAKE, date.fromisoformat(DAY))
    assert again.status == "unchanged"
    assert [p.stat().st_mtime_ns for p in files] == stamps


def test_a_day_without_articles_is_one_line_and_status_2(site, capsys):
    status = main(["briefing", str(site), "--date", "2026-03-10", "--engine", "fake"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2
    assert err == [f"error: {site}: no article published on 2026-03-10 (dates in UTC); no briefing made"]
    assert not (site / "briefing-2026-03-10").exists()


def test_the_command_makes_the_briefing(site, capsys):
    assert main(["briefing", str(site), "--date", DAY, "--engine", "fake"]) == 0
    assert "briefing published: briefing-2026-03-14 (2 stories, 1 segments synthesized" in capsys.readouterr().err
    assert main(["briefing", str(site), "--date", "14/03/2026", "--engine", "fake"]) == 2


def test_enabled_briefing_is_made_by_every_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773511200")  # 2026-03-14 18:00 UTC: "today"
    config = Config(speech=SpeechConfig(engine="fake"), briefing=BriefingConfig(enabled=True))
    output = tmp_path / "out"
    summary = build([FIXTURES], output, config, jobs=1, quiet=True)
    assert summary.briefing.status == "published" and summary.briefing.slug == SLUG
    assert manifest(output)[SLUG]["kind"] == "briefing"
    again = build([FIXTURES], output, config, jobs=1, quiet=True)
    assert again.briefing.status == "unchanged"
    # A briefing never sums up an earlier briefing.
    assert all(s["kind"] == "article" for slug, s in manifest(output).items() if slug != SLUG)


def test_the_day_is_taken_in_the_configured_time_zone():
    def entry(published):
        return EpisodeEntry("id", "s", "t", "en", "p", "a", 1, 1.0, "v", "c", "2026-01-01T00:00:00+00:00", published)

    assert published_day(entry("2026-03-14T23:30:00Z"), ZoneInfo("UTC")) == date(2026, 3, 14)
    assert published_day(entry("2026-03-14T23:30:00Z"), ZoneInfo("Asia/Tokyo")) == date(2026, 3, 15)
    assert published_day(entry("2026-03-14"), ZoneInfo("Asia/Tokyo")) == date(2026, 3, 14)
    assert published_day(entry("not a date"), ZoneInfo("UTC")) is None


def test_the_days_stories_come_from_one_date_range_of_the_manifest(tmp_path):
    """Dates written with any offset (-12 to +14 hours) land on the right day in any zone,
    exactly as a scan of every entry would decide."""
    from publisher.briefing import near_day, stories_of
    from publisher.manifest import BriefLine, Manifest

    line = (BriefLine("s-1", "A line.", "A line.", "body", "en"),)
    stamps = [f"2026-03-{day:02d}T{hour:02d}:30:00{offset}" for day in (12, 13, 14, 15, 16)
              for hour in (0, 11, 23) for offset in ("-12:00", "Z", "+14:00")] + ["2026-03-14", "undated"]
    entries = [EpisodeEntry(f"id-{i}", f"s-{i}", "t", "en", "p", "a", 1, 1.0, "v", "c", "2026-01-01T00:00:00+00:00",
                            stamp, brief=line) for i, stamp in enumerate(stamps)]
    with Manifest(tmp_path) as site:
        site.put(*entries)
        for zone in ("Pacific/Kiritimati", "UTC", "Etc/GMT+12"):
            for day in (date(2026, 3, 13), date(2026, 3, 14), date(2026, 3, 15)):
                nearby = near_day(site, day)
                expected = stories_of(entries, day, ZoneInfo(zone))
                assert expected and stories_of(nearby, day, ZoneInfo(zone)) == expected, (zone, day)
                assert len(nearby) < len(entries)


def test_a_bad_briefing_time_zone_is_a_config_error(tmp_path):
    (tmp_path / "publisher.toml").write_text('[briefing]\ntimezone = "Mars/Olympus"\n')
    from publisher.config import load_config
    from publisher.errors import ConfigError

    with pytest.raises(ConfigError, match="Mars/Olympus"):
        load_config(tmp_path / "publisher.toml")
