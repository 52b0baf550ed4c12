"""One real narration with the default Piper voice, decoded back and checked."""
from __future__ import annotations

import io

import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from publisher.cache import SegmentCache
from publisher.speech import audio
from publisher.speech.narrate import EpisodeTags, VoicePolicy, narrate
from publisher.speech.types import Script, ScriptSection, Utterance, VoiceChoice

pytestmark = pytest.mark.slow

PIPER = VoicePolicy(default=VoiceChoice("piper"))  # not the default engine any more
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def say(sid, text, **kwargs):
    return Utterance(sentence_id=sid, display=text, spoken=text, **kwargs)


SCRIPT = Script("lighthouse", "en", (
    ScriptSection("title", "The last keeper", (say("t-1", "The last keeper of the lighthouse retires."),),
                  file_stem="00-title"),
    ScriptSection("body", "Forty winters", (
        say("b-1", "She climbed the stairs every evening for forty winters.", pause_after_ms=500),
        say("b-2", "Now a timer switches the lamp on at dusk."),
    ), file_stem="01-forty-winters"),
))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("piper-episode")
    cache = SegmentCache(out / "cache")
    tags = EpisodeTags(title="The last keeper", artist="Coast Desk", album="Coast News", cover=JPEG)
    narration = narrate(SCRIPT, out, episode_name="lighthouse", voices=PIPER, cache=cache, tags=tags)
    return out, narration, cache, tags


def test_episode_decodes_to_the_reported_duration(built):
    out, narration, _, _ = built
    samples, rate = audio.decode_mp3((out / "lighthouse.mp3").read_bytes())
    assert rate == 44100
    assert samples.size / rate == pytest.approx(narration.duration, abs=1e-6)
    assert 4.0 < narration.duration < 20.0
    assert narration.engine == "piper" and narration.synthesized == 3 and narration.reused == 0


def test_loudness_and_true_peak_of_the_decoded_episode(built):
    out, narration, _, _ = built
    samples, rate = audio.decode_mp3((out / "lighthouse.mp3").read_bytes())
    assert audio.integrated_loudness(samples, rate) == pytest.approx(-19.0, abs=1.0)
    assert audio.true_peak_dbtp(samples) <= -1.0
    assert audio.longest_silence_s(samples, rate) < 2.0
    assert narration.loudness_lufs == pytest.approx(-19.0, abs=0.5)
    assert narration.true_peak_dbtp <= -1.0


def test_id3_chapters_toc_and_tags(built):
    out, narration, _, tags = built
    data = (out / "lighthouse.mp3").read_bytes()
    tag = ID3(io.BytesIO(data))
    assert tag["TIT2"].text == [tags.title] and tag["TPE1"].text == [tags.artist]
    assert tag["TALB"].text == [tags.album]
    assert tag.getall("APIC")[0].mime == "image/jpeg" and tag.getall("APIC")[0].data == JPEG
    chaps = sorted(tag.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == ["The last keeper", "Forty winters"]
    assert chaps[0].start_time == 0
    assert all(a.end_time == b.start_time for a, b in zip(chaps, chaps[1:]))
    duration_ms = narration.duration * 1000
    assert duration_ms - 1 <= chaps[-1].end_time <= duration_ms
    tocs = tag.getall("CTOC")
    assert len(tocs) == 1
    assert tocs[0].flags & CTOCFlags.TOP_LEVEL and tocs[0].flags & CTOCFlags.ORDERED
    assert tocs[0].child_element_ids == [c.element_id for c in chaps]
    # mutagen's bitrate-based length stays close to the real one for our CBR files.
    assert MP3(io.BytesIO(data)).info.length == pytest.approx(narration.duration, abs=0.06)


def test_section_files_agree_with_episode_chapters(built):
    out, narration, _, _ = built
    for section, chapter in zip(narration.sections, narration.chapters):
        samples, rate = audio.decode_mp3((out / section.path).read_bytes())
        assert abs(samples.size / rate - (chapter.end - chapter.start)) <= 0.05
        assert abs(section.duration - (chapter.end - chapter.start)) <= 0.05


def test_sentence_timings_sit_on_speech(built):
    out, narration, _, _ = built
    samples, rate = audio.decode_mp3((out / "lighthouse.mp3").read_bytes())
    assert [t.sentence_id for t in narration.timings] == ["t-1", "b-1", "b-2"]
    for timing in narration.timings:
        assert 0 <= timing.start < timing.end <= narration.duration
        spoken = samples[int(timing.start * rate): int(timing.end * rate)]
        assert audio.integrated_loudness(spoken, rate) > -30  # speech, not a pause
    for a, b in zip(narration.timings, narration.timings[1:]):
        gap = samples[int(a.end * rate) + 2000: int(b.start * rate) - 2000]  # well inside the pause
        assert gap.size == 0 or audio.sample_peak_db(gap) < -40


def test_rebuild_from_the_cache_synthesizes_nothing(built, tmp_path):
    out, narration, cache, tags = built
    again = narrate(SCRIPT, tmp_path, episode_name="lighthouse", voices=PIPER, cache=cache, tags=tags)
    assert (again.synthesized, again.reused) == (0, 3)
    assert (tmp_path / "lighthouse.mp3").read_bytes() == (out / "lighthouse.mp3").read_bytes()
