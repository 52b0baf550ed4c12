"""[speech] intro/outro words and intro_audio/outro_audio idents (fake voice, real MP3 decode)."""
from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import soundfile

from briefing_helpers import DAY, FIXTURES, chapters, manifest, vtt_cues
from publisher.briefing import make_briefing
from publisher.build import build
from publisher.check import check_site
from publisher.cli import main
from publisher.config import Config, SpeechConfig
from publisher.speech import audio
from publisher.speech.engines import get_engine
from publisher.speech.normalize import normalize

SLUG = "island-ferry-adds-an-early-crossing"
FRAME_S = audio.MP3_FRAME_SAMPLES / audio.OUTPUT_RATE


def _jingle(seconds: float, rate: int, level: float) -> np.ndarray:
    """A two-note chime with a 3 Hz tremolo (the loudness gate sees music, not a steady tone)."""
    t = np.arange(int(seconds * rate)) / rate
    tone = np.sin(2 * np.pi * 523.25 * t) + 0.6 * np.sin(2 * np.pi * 784.0 * t)
    return (level * tone * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t) ** 2)).astype(np.float32)


@pytest.fixture(scope="module")
def idents(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("idents")
    quiet = _jingle(1.6, 48000, 0.02)  # far below the episode's loudness
    wav = folder / "ident.wav"
    soundfile.write(wav, np.stack([quiet, quiet * 0.8], axis=1), 48000, subtype="PCM_16")  # stereo, 48 kHz
    mp3 = folder / "sting.mp3"
    mp3.write_bytes(audio.encode_mp3(_jingle(1.2, 32000, 0.9), 32000, bitrate_kbps=96))  # loud, 32 kHz
    return {"wav": wav, "mp3": mp3, "wav_lufs": audio.integrated_loudness(quiet, 48000),
            "mp3_lufs": audio.integrated_loudness(_jingle(1.2, 32000, 0.9), 32000)}


def _build(tmp_path_factory, name: str, speech: SpeechConfig) -> Path:
    inputs = tmp_path_factory.mktemp(f"{name}-in")
    for fixture in FIXTURES.glob("*.md"):
        shutil.copy(fixture, inputs / fixture.name)
    output = tmp_path_factory.mktemp(name) / "out"
    summary = build([inputs], output, Config(speech=speech), jobs=1, quiet=True)
    assert not summary.failed, summary.failed
    return output


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    return _build(tmp_path_factory, "plain", SpeechConfig(engine="fake"))


@pytest.fixture(scope="module")
def with_idents(tmp_path_factory, idents) -> Path:
    return _build(tmp_path_factory, "idents", SpeechConfig(engine="fake", intro_audio=str(idents["wav"]),
                                                         outro_audio=str(idents["mp3"])))


@pytest.fixture(scope="module")
def with_words(tmp_path_factory, idents) -> Path:
    return _build(tmp_path_factory, "words", SpeechConfig(
        engine="fake", intro="From the harbour desk of the Island Gazette.", outro="That was our story for 14 March.",
        intro_audio=str(idents["wav"])))


def _decoded(path: Path) -> np.ndarray:
    samples, rate = audio.decode_mp3(path.read_bytes())
    assert rate == audio.OUTPUT_RATE
    return samples


def _sections(output: Path) -> list[Path]:
    return sorted((output / SLUG / "sections").glob("*.mp3"))


@pytest.mark.parametrize("variant", ["with_idents", "with_words"])
def test_episode_is_intro_plus_body_plus_outro(variant, plain, request):
    bumped = request.getfixturevalue(variant)
    body = manifest(plain)[SLUG]["duration"]
    files = _sections(bumped)
    intro, outro = files[0], files[-1]
    assert intro.name == "00-intro.mp3" and outro.name.endswith("-outro.mp3")
    intro_s, outro_s = (len(_decoded(p)) / audio.OUTPUT_RATE for p in (intro, outro))
    episode = _decoded(bumped / SLUG / f"{SLUG}.mp3")  # a real decode of the published file
    assert abs(len(episode) / audio.OUTPUT_RATE - (intro_s + body + outro_s)) <= FRAME_S
    assert abs(manifest(bumped)[SLUG]["duration"] - len(episode) / audio.OUTPUT_RATE) <= FRAME_S
    assert check_site(bumped) == []  # ID3 chapters, chapters JSON and VTT within the real audio


@pytest.mark.parametrize("variant", ["with_idents", "with_words"])
def test_cues_and_chapters_move_by_exactly_the_intro(variant, plain, request):
    bumped = request.getfixturevalue(variant)
    intro_s = len(_decoded(_sections(bumped)[0])) / audio.OUTPUT_RATE
    before, after = vtt_cues(plain / SLUG / "transcript.vtt"), vtt_cues(bumped / SLUG / "transcript.vtt")
    assert list(before) == list(after) and before
    for cue_id, (start, end, text) in before.items():
        moved = after[cue_id]
        assert moved[2] == text
        assert abs(moved[0] - (start + intro_s)) <= 0.0011 and abs(moved[1] - (end + intro_s)) <= 0.0011, cue_id
    old, new = chapters(plain / SLUG / "chapters.json"), chapters(bumped / SLUG / "chapters.json")
    assert new[0]["title"] == "Intro" and new[0]["startTime"] == 0 and abs(new[0]["endTime"] - intro_s) <= 0.0011
    assert new[-1]["title"] == "Outro"
    assert [c["title"] for c in new[1:-1]] == [c["title"] for c in old]
    for was, now in zip(old, new[1:-1]):
        assert abs(now["startTime"] - (was["startTime"] + intro_s)) <= 0.0011


def test_idents_come_out_as_loud_as_the_speech(with_idents, idents):
    # The files were made far from the target: a missed normalization cannot pass.
    assert idents["wav_lufs"] < audio.TARGET_LUFS - 10 and idents["mp3_lufs"] > audio.TARGET_LUFS + 6
    files = _sections(with_idents)
    speech = np.concatenate([_decoded(p) for p in files[1:-1]])
    speech_lufs = audio.integrated_loudness(speech, audio.OUTPUT_RATE)
    for ident in (files[0], files[-1]):
        assert abs(audio.integrated_loudness(_decoded(ident), audio.OUTPUT_RATE) - speech_lufs) <= 1.0, ident.name
    assert abs(speech_lufs - audio.TARGET_LUFS) <= 1.0


def test_intro_and_outro_words_are_read_by_the_article_voice_and_cached(tmp_path_factory, with_words):
    engine = get_engine("fake")
    said = {text: (voice, lang) for text, voice, lang in engine.calls}
    intro = normalize("From the harbour desk of the Island Gazette.", "en")
    assert said[intro] == (None, "en")
    # Three articles, one synthesis: the second build of the same bumpers is all cache.
    assert sum(1 for text, _, _ in engine.calls if text == intro) == 1


def test_the_briefing_gets_the_bumpers_too(with_words, idents):
    speech = SpeechConfig(engine="fake", intro="From the harbour desk of the Island Gazette.",
                          outro="That was our story for 14 March.", intro_audio=str(idents["wav"]))
    result = make_briefing(with_words, Config(speech=speech), date.fromisoformat(DAY))
    marks = chapters(with_words / result.slug / "chapters.json")
    assert [m["title"] for m in marks][:2] == ["Intro", "Daily briefing"] and marks[-1]["title"] == "Outro"
    assert result.synthesized == 1  # the title line; headlines, deks and bumper words are cached


def _write_config(folder: Path, speech_lines: str) -> Path:
    path = folder / "publisher.toml"
    path.write_text(f"[speech]\nengine = \"fake\"\n{speech_lines}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("content,reason", [
    (b"this is not audio at all", "not a readable MP3 or WAV file"),
    (None, "No such file or directory"),
])
def test_a_bad_ident_is_one_line_at_start_up(tmp_path, capsys, content, reason):
    ident = tmp_path / "ident.mp3"
    if content is not None:
        ident.write_bytes(content)
    config = _write_config(tmp_path, 'intro_audio = "ident.mp3"')
    output = tmp_path / "out"
    status = main(["build", str(FIXTURES), "-o", str(output), "-c", str(config), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1
    assert err[0].startswith(f"error: {ident.resolve()}: [speech] intro_audio: cannot use this sound file: ") and reason in err[0]
    assert not output.exists()  # nothing was done


def test_a_silent_ident_is_refused(tmp_path, capsys):
    soundfile.write(tmp_path / "quiet.wav", np.zeros(48000, np.float32), 48000)
    config = _write_config(tmp_path, 'outro_audio = "quiet.wav"')
    assert main(["build", str(FIXTURES), "-o", str(tmp_path / "out"), "-c", str(config), "-q"]) == 2
    assert "silent" in capsys.readouterr().err
