"""The narrate stage with the test-only fake engine: timing math, files, cache, policy."""
from __future__ import annotations

import io
import os

import pytest
from mutagen.id3 import ID3

from publisher.cache import SegmentCache
from publisher.errors import EngineError
from publisher.speech import audio
from publisher.speech.engines import register_engine
from publisher.speech.engines.fake import MS_PER_CHAR, SAMPLE_RATE, FakeEngine
from publisher.speech.narrate import MAX_PAUSE_MS, EpisodeTags, VoicePolicy, narrate, segment_keys
from publisher.speech.types import Script, ScriptSection, Utterance, VoiceChoice

FAKE = VoicePolicy(default=VoiceChoice("fake"))
OUT = audio.OUTPUT_RATE


def say(sid, text, **kwargs) -> Utterance:
    return Utterance(sentence_id=sid, display=text, spoken=kwargs.pop("spoken", text), **kwargs)


def small_script() -> Script:
    return Script("harbor", "en", (
        ScriptSection("s0", "Harbor at dawn", (say("s0-1", "Boats wait in the fog."),), file_stem="00-harbor"),
        ScriptSection("s1", "The crossing", (
            say("s1-1", "The ferry leaves at seven.", pause_after_ms=400),
            say(None, "Photo caption:", role="label", pause_after_ms=200),
            say("s1-2", "Gulls follow the wake.", role="caption"),
        ), file_stem="01-crossing"),
        ScriptSection("s2", "Aside", (say("s2-1", "Tickets cost two euros."),), toc=False, file_stem="02-aside"),
    ))


@pytest.fixture
def fake_engine():
    engine = FakeEngine()
    register_engine("fake", lambda: engine)
    yield engine
    register_engine("fake", FakeEngine)


def test_timings_follow_sample_counts_on_the_decoded_timeline(tmp_path, fake_engine):
    script = small_script()
    narration = narrate(script, tmp_path, episode_name="harbor", voices=FAKE, cache=None,
                        tags=EpisodeTags("Harbor", "Desk", "Daily"))
    scale = OUT / SAMPLE_RATE
    expected = []
    section_start = 0
    for section, file in zip(script.sections, narration.sections):
        position = 0  # working-rate samples inside the section
        for u in section.utterances:
            length = len(u.spoken) * MS_PER_CHAR * SAMPLE_RATE // 1000
            if u.sentence_id:
                base = section_start + audio.MP3_DELAY_SAMPLES
                expected.append((u.sentence_id, (base + round(position * scale)) / OUT,
                                 (base + round((position + length) * scale)) / OUT))
            position += length + round(u.pause_after_ms * SAMPLE_RATE / 1000)
        section_start += round(file.duration * OUT)
    got = [(t.sentence_id, t.start, t.end) for t in narration.timings]
    assert [g[0] for g in got] == [e[0] for e in expected]
    for (sid, start, end), (_, want_start, want_end) in zip(got, expected):
        assert start == pytest.approx(want_start, abs=1e-9) and end == pytest.approx(want_end, abs=1e-9), sid
    assert narration.timings[1].text == "The ferry leaves at seven."


def test_chapters_are_contiguous_and_agree_with_section_files(tmp_path, fake_engine):
    narration = narrate(small_script(), tmp_path, episode_name="harbor", voices=FAKE, cache=None,
                        tags=EpisodeTags("Harbor", "Desk", "Daily"))
    chapters = narration.chapters
    assert [c.title for c in chapters] == ["Harbor at dawn", "The crossing", "Aside"]
    assert [c.toc for c in chapters] == [True, True, False]
    assert chapters[0].start == 0
    assert all(a.end == b.start for a, b in zip(chapters, chapters[1:]))
    assert chapters[-1].end <= narration.duration < chapters[-1].end + 0.001
    for chapter, file in zip(chapters, narration.sections):
        assert abs((chapter.end - chapter.start) - file.duration) < 0.002
        assert (tmp_path / file.path).stat().st_size == file.bytes
    assert sum(f.duration for f in narration.sections) == pytest.approx(narration.duration)
    for timing in narration.timings:
        chapter = next(c for c in chapters if c.start <= timing.start < c.end)
        assert timing.end <= chapter.end
    episode = (tmp_path / "harbor.mp3").read_bytes()
    assert narration.episode_path == "harbor.mp3" and len(episode) == narration.bytes
    decoded, rate = audio.decode_mp3(episode)
    assert rate == OUT and decoded.size / rate == pytest.approx(narration.duration, abs=1e-6)
    tag = ID3(io.BytesIO(episode))
    assert [c.start_time for c in sorted(tag.getall("CHAP"), key=lambda c: c.start_time)] == \
        [round(c.start * 1000) for c in chapters]
    section_tag = ID3(tmp_path / "sections" / "01-crossing.mp3")
    assert section_tag["TIT2"].text == ["The crossing"] and section_tag["TALB"].text == ["Harbor"]
    assert section_tag["TRCK"].text == ["2/3"]


def test_loudness_is_normalized_per_section(tmp_path, fake_engine):
    narration = narrate(small_script(), tmp_path, episode_name="ep", voices=FAKE, cache=None)
    assert narration.loudness_lufs == pytest.approx(-19.0, abs=0.3)
    levels = []
    for file in narration.sections:
        decoded, rate = audio.decode_mp3((tmp_path / file.path).read_bytes())
        levels.append(audio.integrated_loudness(decoded, rate))
    assert max(levels) - min(levels) < 3.0
    assert all(abs(level + 19.0) < 1.0 for level in levels)


def test_long_pauses_are_capped_so_no_silence_exceeds_two_seconds(tmp_path, fake_engine):
    script = Script("gap", "en", (ScriptSection("s", "Gap", (
        say("a", "Before the gap.", pause_after_ms=9000), say("b", "After the gap.")), file_stem="00-gap"),))
    narration = narrate(script, tmp_path, episode_name="gap", voices=FAKE, cache=None)
    decoded, rate = audio.decode_mp3((tmp_path / "gap.mp3").read_bytes())
    assert audio.longest_silence_s(decoded, rate) < 2.0
    a, b = narration.timings
    assert b.start - a.end == pytest.approx(MAX_PAUSE_MS / 1000, abs=0.01)


def test_second_build_with_the_cache_synthesizes_nothing(tmp_path, fake_engine):
    cache = SegmentCache(tmp_path / "cache")
    first = narrate(small_script(), tmp_path / "a", episode_name="ep", voices=FAKE, cache=cache)
    assert (first.synthesized, first.reused) == (5, 0)
    calls = len(fake_engine.calls)
    second = narrate(small_script(), tmp_path / "b", episode_name="ep", voices=FAKE, cache=cache)
    assert (second.synthesized, second.reused) == (0, 5)
    assert len(fake_engine.calls) == calls
    assert (tmp_path / "a" / "ep.mp3").read_bytes() == (tmp_path / "b" / "ep.mp3").read_bytes()
    assert second.timings == first.timings
    assert segment_keys(small_script(), FAKE) == cache.keys()
    cache.put("0" * 64, fake_engine.synthesize("stale", None, "en"))
    assert cache.prune(segment_keys(small_script(), FAKE)) == 1


def test_identical_sentences_are_synthesized_once(tmp_path, fake_engine):
    script = Script("rep", "en", (ScriptSection("s", "Repeat", (
        say("a", "Same words."), say("b", "Same words."), say("c", "Other words.")), file_stem="00-r"),))
    narration = narrate(script, tmp_path, episode_name="rep", voices=FAKE, cache=None, jobs=2)
    assert narration.synthesized == 2
    assert sorted(call[0] for call in fake_engine.calls) == ["Other words.", "Same words."]


def test_voice_policy_picks_language_then_role_then_default():
    policy = VoicePolicy.from_settings("fake", voice="main", quote_voice="quoter", caption_voice="captioner",
                                       voices_by_lang={"DE": "german"})
    assert policy.choose(say("1", "x")) == VoiceChoice("fake", "main")
    assert policy.choose(say("1", "x", role="quote")) == VoiceChoice("fake", "quoter")
    assert policy.choose(say("1", "x", role="caption")) == VoiceChoice("fake", "captioner")
    assert policy.choose(say("1", "x", role="quote", lang="de-AT")) == VoiceChoice("fake", "german")


def test_utterances_go_to_the_chosen_voices(tmp_path, fake_engine):
    policy = VoicePolicy.from_settings("fake", caption_voice="captioner", voices_by_lang={"fr": "french"})
    script = Script("v", "en", (ScriptSection("s", "Voices", (
        say("a", "Plain words."), say("b", "A picture.", role="caption"), say("c", "Bonjour.", lang="fr")),
        file_stem="00-v"),))
    narrate(script, tmp_path, episode_name="v", voices=policy, cache=None)
    assert sorted(fake_engine.calls) == [("A picture.", "captioner", "en"), ("Bonjour.", "french", "fr"),
                                         ("Plain words.", None, "en")]


def test_stale_section_files_are_removed_and_no_temp_files_remain(tmp_path, fake_engine):
    stale = tmp_path / "sections" / "09-old.mp3"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    narrate(small_script(), tmp_path, episode_name="ep", voices=FAKE, cache=SegmentCache(tmp_path / "c"))
    assert sorted(os.listdir(tmp_path / "sections")) == ["00-harbor.mp3", "01-crossing.mp3", "02-aside.mp3"]
    leftovers = [n for _, _, names in os.walk(tmp_path) for n in names if n.endswith(".tmp")]
    assert leftovers == []


def test_engine_failure_writes_no_episode(tmp_path, fake_engine):
    class Broken(FakeEngine):
        def synthesize(self, text, voice, lang):
            if "ferry" in text:
                raise EngineError("voice crashed")
            return super().synthesize(text, voice, lang)

    register_engine("broken", Broken)
    with pytest.raises(EngineError, match="voice crashed"):
        narrate(small_script(), tmp_path, episode_name="ep", voices=VoicePolicy(VoiceChoice("broken")), cache=None)
    assert not (tmp_path / "ep.mp3").exists()
    assert [n for _, _, names in os.walk(tmp_path) for n in names] == []


def test_parallel_synthesis_gives_the_same_episode(tmp_path, fake_engine):
    one = narrate(small_script(), tmp_path / "one", episode_name="ep", voices=FAKE, cache=None, jobs=1)
    progress = []
    two = narrate(small_script(), tmp_path / "two", episode_name="ep", voices=FAKE, cache=None, jobs=3,
                  on_segment=lambda done, total: progress.append((done, total)))
    assert (tmp_path / "one" / "ep.mp3").read_bytes() == (tmp_path / "two" / "ep.mp3").read_bytes()
    assert one.timings == two.timings and one.chapters == two.chapters
    assert progress[-1] == (5, 5) and len(progress) == 5
