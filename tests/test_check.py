"""``publisher check`` on a small real site (lameenc MP3s, mutagen CHAP/CTOC), then broken on purpose."""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import lameenc
import numpy as np
import pytest
from mutagen.id3 import CHAP, CTOC, ID3, TALB, TIT2, TPE1, CTOCFlags

from publisher.check import check_site, check_vtt, main, pubdate_problem, scan_mp3
from publisher.config import SiteConfig
from publisher.manifest import EpisodeEntry
from publisher.speech.types import Chapter, Narration, SectionFile, Timing
from publisher.write.chapters import render_chapters_json
from publisher.write.cover import make_cover
from publisher.write.feed import render_feed
from publisher.write.transcript import render_vtt

BASE = "https://audio.example.org/ledger/"
SITE = SiteConfig(title="The Harbour Ledger", base_url=BASE, author="Ledger Desk",
                  owner_name="Ledger Audio", owner_email="audio@example.org")
SAMPLE_RATE = 24_000
AMPLITUDE = 0.17  # about -19 LUFS mono, i.e. -16 stereo-equivalent


def tone(seconds: float, frequency: float) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (AMPLITUDE * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def encode_mp3(samples: np.ndarray) -> bytes:
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(48)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
    return bytes(encoder.encode(pcm) + encoder.flush())


def tag_chapters(path: Path, title: str, chapters: list[tuple[str, float, float]]) -> None:
    tags = ID3()
    tags.add(TIT2(encoding=3, text=title))
    tags.add(TPE1(encoding=3, text="Ledger Desk"))
    tags.add(TALB(encoding=3, text="The Harbour Ledger"))
    ids = []
    for number, (name, start, end) in enumerate(chapters):
        ids.append(f"chp{number}")
        tags.add(CHAP(element_id=ids[-1], start_time=round(start * 1000), end_time=round(end * 1000),
                      sub_frames=[TIT2(encoding=3, text=name)]))
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text="Chapters")]))
    tags.save(str(path))


@dataclass(frozen=True)
class Plan:
    slug: str
    date: str
    sections: tuple[tuple[str, float], ...]  # (chapter title, seconds)


PLANS = (
    Plan("tides", "2024-06-01", (("Introduction", 1.6), ("The new timetable", 2.2))),
    Plan("ferry", "2024-06-02", (("What changed", 1.2), ("Figure: the pier", 0.8), ("Next steps", 1.4))),
)


def write_episode(output: Path, plan: Plan) -> EpisodeEntry:
    folder = output / plan.slug
    (folder / "sections").mkdir(parents=True)
    parts, chapters, timings, section_files = [], [], [], []
    start = 0.0
    for number, (title, seconds) in enumerate(plan.sections, 1):
        samples = tone(seconds, 330 + 110 * number)
        parts.append(samples)
        end = start + len(samples) / SAMPLE_RATE
        chapters.append(Chapter(f"sec-{number}", title, start, end, toc=not title.startswith("Figure")))
        timings.append(Timing(f"s-{plan.slug}-{number}", f"Sentence {number} of {title}.", start, end - 0.1))
        section_path = folder / "sections" / f"{number:02d}-part.mp3"
        section_path.write_bytes(encode_mp3(samples))
        tag_chapters(section_path, title, [(title, 0.0, len(samples) / SAMPLE_RATE)])
        section_files.append(SectionFile(f"sec-{number}", title, f"sections/{section_path.name}", seconds,
                                         section_path.stat().st_size))
        start = end
    audio = np.concatenate(parts)
    duration = len(audio) / SAMPLE_RATE
    mp3 = folder / f"{plan.slug}.mp3"
    mp3.write_bytes(encode_mp3(audio))
    tag_chapters(mp3, plan.slug.title(), [(c.title, c.start, c.end) for c in chapters])
    narration = Narration(article_id=f"id-{plan.slug}", episode_path=mp3.name, duration=duration,
                          bytes=mp3.stat().st_size, timings=tuple(timings), chapters=tuple(chapters),
                          sections=tuple(section_files), engine="fake", voice=None)
    (folder / "transcript.vtt").write_text(render_vtt(narration), encoding="utf-8")
    (folder / "chapters.json").write_text(render_chapters_json(narration, title=plan.slug.title()), encoding="utf-8")
    spans = "".join(f'<span class="s" id="{t.sentence_id}">{t.text}</span> ' for t in timings)
    (folder / "index.html").write_text(f"<!doctype html><title>{plan.slug}</title><p>{spans}</p>", encoding="utf-8")
    return EpisodeEntry(article_id=narration.article_id, slug=plan.slug, title=plan.slug.title(), language="en",
                        page_path=f"{plan.slug}/index.html", audio_path=f"{plan.slug}/{mp3.name}",
                        audio_bytes=mp3.stat().st_size, duration=duration,
                        transcript_path=f"{plan.slug}/transcript.vtt", chapters_path=f"{plan.slug}/chapters.json",
                        first_published=f"{plan.date}T06:00:00Z", dek=f"About the {plan.slug}.")


def build_site(output: Path, site: SiteConfig = SITE) -> list[EpisodeEntry]:
    """A small but real output folder: MP3s with CHAP/CTOC, sidecars, pages, cover, feed."""
    output.mkdir(parents=True, exist_ok=True)
    entries = [write_episode(output, plan) for plan in PLANS]
    (output / "cover.png").write_bytes(make_cover(site))
    links = "".join(f'<li><a href="{e.slug}/">{e.title}</a></li>' for e in entries)
    (output / "index.html").write_text(f"<!doctype html><title>Index</title><ul>{links}</ul>", encoding="utf-8")
    (output / "feed.xml").write_bytes(render_feed(entries, site))
    return entries


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> tuple[Path, list[EpisodeEntry]]:
    output = tmp_path_factory.mktemp("pristine") / "site"
    return output, build_site(output)


@pytest.fixture
def site(pristine, tmp_path) -> tuple[Path, list[EpisodeEntry]]:
    """A private copy to break."""
    source, entries = pristine
    copy = tmp_path / "site"
    shutil.copytree(source, copy)
    return copy, entries


def only(problems: list[str], needle: str) -> list[str]:
    return [p for p in problems if needle in p]


def test_a_consistent_site_has_no_problems(pristine):
    output, _ = pristine
    assert check_site(output) == []
    assert check_site(output, BASE) == []


def test_frame_walk_measures_the_audio(pristine):
    output, entries = pristine
    scan = scan_mp3((output / entries[0].audio_path).read_bytes())
    assert scan.problems == [] and scan.sample_rate == SAMPLE_RATE
    # lame adds its encoder delay and padding: at most a few frames more than the samples.
    assert entries[0].duration <= scan.duration <= entries[0].duration + 0.15


def test_missing_mp3(site):
    output, entries = site
    (output / entries[0].audio_path).unlink()
    problems = check_site(output)
    assert only(problems, f"{entries[0].audio_path}: missing")


def test_truncated_mp3(site):
    output, entries = site
    path = output / entries[0].audio_path
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3 + 7])
    problems = check_site(output)
    assert only(problems, f"{entries[0].audio_path}: last frame is cut short")
    assert only(problems, f"{entries[0].audio_path}: enclosure length")
    assert only(problems, "after the audio")  # CHAP frames and cues now overhang


def test_garbage_inside_mp3(site):
    output, entries = site
    path = output / entries[1].audio_path
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle] = b"\x00garbage\x00" * 40
    path.write_bytes(bytes(data))
    problems = check_site(output)
    assert only(problems, f"{entries[1].audio_path}: 360 bytes that are not MPEG audio frames at byte")
    # The walk resynchronises after the damage: the audio's length is still the whole file's.
    assert not only(problems, "lasts") and not only(problems, "after the audio")


def test_wrong_enclosure_length_and_duration(site):
    output, entries = site
    wrong = [replace(entries[0], audio_bytes=entries[0].audio_bytes + 10, duration=entries[0].duration + 5), entries[1]]
    (output / "feed.xml").write_bytes(render_feed(wrong, SITE))
    problems = check_site(output)
    assert only(problems, f"{entries[0].audio_path}: enclosure length '{entries[0].audio_bytes + 10}'")
    assert only(problems, f"{entries[0].audio_path}: lasts")
    assert len(problems) == 2, problems


def test_chapter_past_the_end(site):
    output, entries = site
    path = output / entries[1].chapters_path
    document = json.loads(path.read_text())
    document["chapters"].append({"startTime": 99.0, "title": "Afterword"})
    path.write_text(json.dumps(document))
    assert only(check_site(output), f"{entries[1].chapters_path}: chapter 4: starts at 99.0s")


def test_chapters_out_of_order(site):
    output, entries = site
    path = output / entries[1].chapters_path
    document = json.loads(path.read_text())
    document["chapters"].reverse()
    path.write_text(json.dumps(document))
    assert only(check_site(output), "does not ascend")


def test_id3_chapter_gap_and_overhang(site):
    output, entries = site
    path = output / entries[0].audio_path
    tag_chapters(path, "Tides", [("One", 0.0, 1.0), ("Two", 1.5, 60.0)])
    problems = check_site(output)
    assert only(problems, "CHAP chp1: starts at 1500 ms, previous ends at 1000 ms (gap)")
    assert only(problems, "CHAP chp1: ends at 60.000s, after the audio")


def test_missing_ctoc(site):
    output, entries = site
    path = output / entries[0].audio_path
    tags = ID3(str(path))
    tags.delall("CTOC")
    tags.save(str(path))
    assert only(check_site(output), "0 top-level CTOC frames")


def test_vtt_cue_out_of_order_and_past_the_end(site):
    output, entries = site
    path = output / entries[0].transcript_path
    path.write_text("WEBVTT\n\na\n00:00:02.000 --> 00:00:03.000\nLate.\n\n"
                    "b\n00:00:01.000 --> 00:00:01.500\nEarly.\n\n"
                    "c\n00:00:03.000 --> 00:01:00.000\nToo long.\n")
    problems = only(check_site(output), entries[0].transcript_path)
    assert any("cue b: starts at 1.000s, before the previous cue" in p for p in problems)
    assert any("cue c: ends at 60.000s, after the audio" in p for p in problems)


def test_vtt_parser_rejects_a_missing_header_and_bad_timings():
    assert check_vtt("hello\n", 10) == ["missing WEBVTT header"]
    assert check_vtt("WEBVTT\n\n1\n00:00:01 --> 00:00:02\nx\n", 10) == ["cue 1: bad timing line '00:00:01 --> 00:00:02'"]


def test_duplicate_guids_and_missing_page(site):
    output, entries = site
    twin = replace(entries[1], article_id=entries[0].article_id)
    (output / "feed.xml").write_bytes(render_feed([entries[0], twin], SITE))
    (output / entries[0].page_path).unlink()
    (output / "index.html").unlink()
    problems = check_site(output)
    assert only(problems, "index.html: missing (channel link")
    assert only(problems, f"guid '{entries[0].article_id}' repeats")
    assert only(problems, f"{entries[0].page_path}: missing")


def test_wrong_base_url_and_broken_feed(site):
    output, _ = site
    problems = check_site(output, "https://elsewhere.example.com/")
    assert only(problems, "is not under the base URL https://elsewhere.example.com/")
    assert only(problems, "atom:link rel=self")
    (output / "feed.xml").write_bytes(b"<rss><channel><item></channel></rss>")
    assert check_site(output)[0].startswith("feed.xml: not well-formed XML")
    (output / "feed.xml").unlink()
    assert check_site(output)[0].startswith("feed.xml: missing")


def test_cover_problems_are_reported(site):
    output, _ = site
    from PIL import Image

    Image.new("RGB", (800, 600)).save(output / "cover.png")
    assert only(check_site(output), "cover.png: cover must be square")


def test_cli_prints_problems_and_sets_the_exit_code(site, capsys):
    output, entries = site
    assert main([str(output)]) == 0
    (output / entries[1].audio_path).unlink()
    assert main([str(output), "--base-url", BASE, "--no-decode"]) == 1
    printed = capsys.readouterr()
    assert f"{entries[1].audio_path}: missing" in printed.out
    assert "problem(s)" in printed.err


def test_pubdate_must_be_rfc2822_with_the_right_weekday():
    assert pubdate_problem("Sat, 01 Jun 2024 06:00:00 +0000") is None
    assert "is a Sat, not Mon" in pubdate_problem("Mon, 01 Jun 2024 06:00:00 +0000")
    assert "not an RFC 2822 date" in pubdate_problem("2024-06-01")
    assert pubdate_problem(None) == "no pubDate"


def test_cue_ids_must_be_sentence_ids_on_the_page(site):
    output, entries = site
    page = output / entries[0].page_path
    page.write_text(page.read_text().replace('id="s-tides-2"', 'id="s-renamed"'))
    assert only(check_site(output), f"{entries[0].transcript_path}: 1 of 2 cue ids are not ids on "
                                    f"{entries[0].page_path} (first: 's-tides-2')")
