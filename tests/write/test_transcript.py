"""WebVTT transcripts: parsed back, cue by cue."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.speech.types import Narration, Timing
from publisher.write.transcript import render_vtt, vtt_timestamp

CUE_TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")


def narration(timings, duration: float) -> Narration:
    return Narration(article_id="a", episode_path="a.mp3", duration=duration, bytes=0,
                     timings=tuple(Timing(*t) for t in timings), chapters=(), sections=(),
                     engine="fake", voice=None)


def parse_vtt(text: str) -> list[tuple[str, float, float, str]]:
    """(id, start, end, payload) per cue; asserts the block structure on the way."""
    assert text.startswith("WEBVTT\n\n") or text == "WEBVTT\n"
    cues = []
    for block in text.split("\n\n")[1:]:
        if not block.strip():
            continue
        lines = block.strip("\n").split("\n")
        assert len(lines) == 3, block  # id, timing, one payload line
        match = CUE_TIMING.match(lines[1])
        assert match, lines[1]
        g = [int(x) for x in match.groups()]
        start = (g[0] * 3_600_000 + g[1] * 60_000 + g[2] * 1000 + g[3]) / 1000
        end = (g[4] * 3_600_000 + g[5] * 60_000 + g[6] * 1000 + g[7]) / 1000
        cues.append((lines[0], start, end, lines[2]))
    return cues


def test_one_cue_per_timing_with_sentence_ids_in_order():
    text = render_vtt(narration([("s-1", "First sentence.", 0.0, 1.25),
                                 ("s-2", "Second one.", 1.6, 3.0),
                                 ("s-3", "Third.", 3.2, 4.1)], duration=4.5))
    cues = parse_vtt(text)
    assert [c[0] for c in cues] == ["s-1", "s-2", "s-3"]
    assert [c[3] for c in cues] == ["First sentence.", "Second one.", "Third."]
    assert cues[0][1:3] == (0.0, 1.25)
    assert cues[1][1:3] == (1.6, 3.0)


def test_timestamps_have_hours_and_milliseconds():
    assert vtt_timestamp(0) == "00:00:00.000"
    assert vtt_timestamp(3725.4567) == "01:02:05.457"
    assert vtt_timestamp(-1) == "00:00:00.000"


def test_payload_escapes_and_strips_markup():
    cues = parse_vtt(render_vtt(narration(
        [("s-1", "Tom & Jerry <b>bold</b> <script>x()</script><00:00:01.000>2 < 3 --> 4", 0, 1)], duration=2)))
    payload = cues[0][3]
    assert "<" not in payload and ">" not in payload
    assert "-->" not in payload
    assert payload.startswith("Tom &amp; Jerry bold x()2")
    assert "3 --&gt; 4" in payload


def test_newlines_and_blank_lines_cannot_end_a_cue_early():
    cues = parse_vtt(render_vtt(narration([("s-1", "Line one.\n\nLine two.\x07", 0, 1)], duration=1)))
    assert cues[0][3] == "Line one. Line two."


def test_overlaps_and_overhangs_are_clamped():
    cues = parse_vtt(render_vtt(narration([("s-1", "A.", 0.0, 2.0),
                                           ("s-2", "B.", 1.5, 3.0),  # starts inside s-1
                                           ("s-3", "C.", 3.1, 9.0)],  # past the end
                                          duration=4.0)))
    assert cues[1][1] == 2.0
    assert cues[2][2] == 4.0
    for _, start, end, _ in cues:
        assert start <= end


def test_empty_sentences_are_skipped():
    cues = parse_vtt(render_vtt(narration([("s-1", " <br> ", 0, 1), ("s-2", "Real.", 1, 2)], duration=2)))
    assert [c[0] for c in cues] == ["s-2"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 5), st.text(min_size=1, max_size=30)),
                min_size=1, max_size=15),
       st.floats(1, 120))
def test_any_timings_give_ordered_cues_within_the_duration(raw, duration):
    timings = [(f"s-{i}", text, start, start + length) for i, (start, length, text) in enumerate(raw)]
    cues = parse_vtt(render_vtt(narration(timings, duration)))
    previous_end = 0.0
    for _, start, end, payload in cues:
        assert previous_end <= start <= end <= round(duration * 1000) / 1000
        assert "\n" not in payload and "<" not in payload
        previous_end = end


@pytest.mark.parametrize("bad_id, expected", [("s-1-->x", "s-1--x"), ("s 1\nx", "s 1 x")])
def test_cue_ids_stay_one_line_without_arrows(bad_id, expected):
    cues = parse_vtt(render_vtt(narration([(bad_id, "Text.", 0, 1)], duration=1)))
    assert cues[0][0] == expected
