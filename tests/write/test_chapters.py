"""Podcasting 2.0 chapters JSON against the Narration it came from."""
from __future__ import annotations

import json

from publisher.speech.types import Chapter, Narration
from publisher.write.chapters import render_chapters_json


def narration(chapters, duration: float) -> Narration:
    return Narration(article_id="a", episode_path="a.mp3", duration=duration, bytes=0, timings=(),
                     chapters=tuple(Chapter(*c) for c in chapters), sections=(), engine="fake", voice=None)


def test_one_chapter_per_narration_chapter():
    source = narration([("sec-intro", "Introduction", 0.0, 12.3456),
                        ("sec-fig", "Figure: the harbour", 12.3456, 20.0, False),
                        ("sec-end", "What comes next", 20.0, 31.5)], duration=31.5)
    document = json.loads(render_chapters_json(source, title="Harbour works"))
    assert document["version"] == "1.2.0"
    assert document["title"] == "Harbour works"
    chapters = document["chapters"]
    assert [c["title"] for c in chapters] == ["Introduction", "Figure: the harbour", "What comes next"]
    assert [c["startTime"] for c in chapters] == [0.0, 12.346, 20.0]
    assert [c["endTime"] for c in chapters] == [12.346, 20.0, 31.5]
    assert "toc" not in chapters[0] and chapters[1]["toc"] is False


def test_starts_ascend_and_stay_within_the_duration():
    source = narration([("b", "Second", 5.0, 50.0), ("a", "First", 0.0, 5.0), ("c", "Too late", 40.0, 45.0)],
                       duration=30.0)
    chapters = json.loads(render_chapters_json(source, title="t"))["chapters"]
    assert [c["title"] for c in chapters] == ["First", "Second"]
    assert chapters[-1]["endTime"] == 30.0
    starts = [c["startTime"] for c in chapters]
    assert starts == sorted(set(starts))


def test_titles_are_cleaned_and_output_is_stable():
    source = narration([("a", "  Line\none\x00 ", 0.0, 1.0)], duration=1.0)
    first = render_chapters_json(source, title="T")
    assert json.loads(first)["chapters"][0]["title"] == "Line one"
    assert first == render_chapters_json(source, title="T")
