"""End to end: the samples in input/ and the seed article, built for real.

Every file of the layout exists; the page has the headline as its only h1;
page chrome appears nowhere (page, narration, feed); the doubled caption is one
figure caption; the credit line is a credit; every MP3 decodes, and its
duration matches what the feed and the chapters say.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
import soundfile
from lxml import html as lxml_html
from mutagen.id3 import ID3

from publisher.manifest import load_manifest

CHROME = ["Accessibility links", "Breaking News"]


def _entries(site: Path):
    return {Path(e.source).name: e for e in load_manifest(site).values()}


def _decoded_seconds(path: Path) -> float:
    # Decode for real: soundfile.info() estimates from the file size, cover art included.
    samples, rate = soundfile.read(str(path), dtype="int16")
    assert len(samples) > 0 and abs(samples).max() > 0, f"{path.name} decodes to silence"
    return len(samples) / rate


def _page(site: Path, entry) -> lxml_html.HtmlElement:
    return lxml_html.fromstring((site / entry.page_path).read_bytes())


def test_every_input_is_published(built_site, site_inputs):
    names = set(_entries(built_site))
    assert names == {p.name for p in site_inputs.iterdir() if p.is_file()}


@pytest.mark.parametrize("relative", ["index.html", "feed.xml", "cover.png", "static/site.css", "static/readalong.js"])
def test_site_files_exist(built_site, relative):
    assert (built_site / relative).stat().st_size > 0


def test_article_layout(built_site):
    for entry in _entries(built_site).values():
        folder = built_site / entry.slug
        assert (folder / "index.html").is_file()
        assert (folder / f"{entry.slug}.mp3").is_file()
        assert (folder / "transcript.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
        chapters = json.loads((folder / "chapters.json").read_text(encoding="utf-8"))
        assert chapters["version"] == "1.2.0" and chapters["chapters"]
        sections = sorted((folder / "sections").glob("*.mp3"))
        assert sections, entry.slug
        assert all(re.fullmatch(r"\d\d-[\w-]+\.mp3", p.name) for p in sections)
        # No half-written files are ever left behind.
        assert not [p for p in folder.rglob("*") if ".tmp" in p.name]


def test_headline_is_the_only_h1(built_site):
    for entry in _entries(built_site).values():
        h1 = _page(built_site, entry).xpath("//h1")
        assert len(h1) == 1
        assert " ".join(h1[0].text_content().split()) == entry.title


def test_seed_chrome_is_gone_everywhere(built_site):
    entry = _entries(built_site)["seed-article.txt"]
    folder = built_site / entry.slug
    texts = {
        "page": _page(built_site, entry).text_content(),
        "transcript": (folder / "transcript.vtt").read_text(encoding="utf-8"),
        "chapters": (folder / "chapters.json").read_text(encoding="utf-8"),
        "feed": (built_site / "feed.xml").read_text(encoding="utf-8"),
        "index": (built_site / "index.html").read_text(encoding="utf-8"),
    }
    for where, text in texts.items():
        for chrome in CHROME:
            assert chrome not in text, f"{chrome!r} leaked into the {where}"
    assert entry.title == "Belarus Proposes Cooperation With Russia To Meet ‘Threat’ Of Protests"


def test_seed_caption_is_one_figure_caption(built_site):
    entry = _entries(built_site)["seed-article.txt"]
    page = _page(built_site, entry)
    caption_start = "Thousands gathered in Minsk on August 15, 2020 for the funeral"
    text = " ".join(page.text_content().split())
    assert text.count(caption_start) == 1
    figcaptions = page.xpath("//figure/figcaption")
    assert any(caption_start in " ".join(f.text_content().split()) for f in figcaptions)
    # Never the caption copied into alt.
    for img in page.xpath("//img"):
        assert caption_start not in (img.get("alt") or "")


def test_seed_credit_is_marked_as_credit(built_site):
    entry = _entries(built_site)["seed-article.txt"]
    page = _page(built_site, entry)
    credits = page.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' credit ')]")
    assert any("With additional reporting from TASS and BelTA" in c.text_content() for c in credits)
    # ...and it is not an ordinary paragraph of the story.
    body_paragraphs = [p.text_content() for p in page.xpath("//main//p[not(@class)]")]
    assert not any("additional reporting" in p for p in body_paragraphs)


def test_seed_quotes_are_kept(built_site):
    entry = _entries(built_site)["seed-article.txt"]
    text = " ".join(_page(built_site, entry).text_content().split())
    assert "I am not a bloodthirsty person and I do not want any violence" in text
    assert "We won’t give the country up to anyone." in text


def test_audio_durations_agree_with_feed_and_chapters(built_site):
    feed = feedparser.parse(str(built_site / "feed.xml"))
    assert not feed.bozo, feed.bozo_exception
    items = {item.link: item for item in feed.entries}
    for entry in _entries(built_site).values():
        folder = built_site / entry.slug
        episode = folder / f"{entry.slug}.mp3"
        decoded = _decoded_seconds(episode)
        item = next(i for link, i in items.items() if link.endswith(entry.page_path))
        enclosure = item.enclosures[0]
        assert int(enclosure.length) == episode.stat().st_size
        feed_seconds = _duration_seconds(item.itunes_duration)
        assert abs(decoded - feed_seconds) <= 1.0
        chapters = json.loads((folder / "chapters.json").read_text(encoding="utf-8"))["chapters"]
        starts = [c["startTime"] for c in chapters]
        assert starts == sorted(starts) and starts[0] == 0 and starts[-1] < decoded
        # Each section file lasts as long as its chapter in the episode.
        tags = ID3(episode)
        chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
        sections = sorted((folder / "sections").glob("*.mp3"))
        assert len(chaps) == len(sections) == len(chapters)
        for chap, section in zip(chaps, sections):
            chap_seconds = (chap.end_time - chap.start_time) / 1000
            assert abs(_decoded_seconds(section) - chap_seconds) <= 0.05, section.name
        assert abs(chaps[-1].end_time / 1000 - decoded) <= 0.05


def _duration_seconds(value: str) -> float:
    parts = [float(p) for p in str(value).split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def test_local_image_is_published_next_to_its_page(built_site):
    entry = _entries(built_site)["river-cleanup.md"]
    page = _page(built_site, entry)
    sources = page.xpath("//figure//img/@src")
    assert sources
    for src in sources:
        assert (built_site / entry.slug / src).is_file()


def test_transcript_cues_are_the_page_sentences(built_site):
    for entry in _entries(built_site).values():
        folder = built_site / entry.slug
        cue_ids = re.findall(r"^(s-[0-9a-f]+(?:-\d+)?)$", (folder / "transcript.vtt").read_text(encoding="utf-8"), re.M)
        page_ids = set(_page(built_site, entry).xpath("//span/@id"))
        assert cue_ids and set(cue_ids) <= page_ids
        assert len(cue_ids) == len(set(cue_ids))
