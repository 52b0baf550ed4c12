"""Engine registry and the engines that need no model (fake, gTTS's offline path)."""
from __future__ import annotations

import socket
from types import SimpleNamespace

import numpy as np
import pytest

from publisher.errors import EngineError
from publisher.speech.engines import Engine, available_engines, base, get_engine, register_engine
from publisher.speech.engines.fake import MS_PER_CHAR, FakeEngine
from publisher.speech.engines.gtts import OFFLINE_MESSAGE, GttsEngine, decode_mp3
from publisher.speech.types import SentenceAudio


class ToneEngine:
    name = "tone"
    sample_rate = 8000

    def synthesize(self, text, voice, lang):
        return SentenceAudio(samples=np.full(len(text), 0.1, np.float32), sample_rate=8000)

    def identity(self, voice):
        return f"tone|{voice}"


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(base, "_factories", dict(base._BUILTIN))
    monkeypatch.setattr(base, "_instances", {})
    monkeypatch.setattr(base, "_entry_points_loaded", False)


def test_builtins_are_listed_and_created_once(clean_registry):
    assert {"hibari", "piper", "espeak", "gtts", "fake"} <= set(available_engines())
    fake = get_engine("fake")
    assert isinstance(fake, FakeEngine) and isinstance(fake, Engine)
    assert get_engine("fake") is fake


def test_unknown_engine_names_the_known_ones(clean_registry):
    with pytest.raises(EngineError) as info:
        get_engine("festival")
    assert "festival" in str(info.value) and "piper" in str(info.value)
    assert "\n" not in str(info.value)


def test_register_engine_with_a_factory(clean_registry):
    register_engine("tone", ToneEngine)
    engine = get_engine("tone")
    assert engine.synthesize("abc", None, "en").samples.size == 3


def test_entry_point_plugins_are_discovered(clean_registry, monkeypatch):
    plugin = SimpleNamespace(name="plugin-tone", load=lambda: ToneEngine)
    shadow = SimpleNamespace(name="fake", load=lambda: ToneEngine)  # must not replace the built-in

    def fake_entry_points(group):
        assert group == "publisher.engines"
        return [plugin, shadow]

    monkeypatch.setattr(base, "entry_points", fake_entry_points)
    assert "plugin-tone" in available_engines()
    assert isinstance(get_engine("plugin-tone"), ToneEngine)
    assert isinstance(get_engine("fake"), FakeEngine)


def test_fake_engine_is_deterministic_and_length_follows_text():
    engine = FakeEngine()
    short = engine.synthesize("Hi there.", None, "en")
    again = engine.synthesize("Hi there.", None, "en")
    longer = engine.synthesize("Hi there, how are you today?", None, "en")
    np.testing.assert_array_equal(short.samples, again.samples)
    assert short.samples.size == len("Hi there.") * MS_PER_CHAR * short.sample_rate // 1000
    assert longer.samples.size > short.samples.size
    assert short.samples.dtype == np.float32 and np.abs(short.samples).max() <= 1.0
    other_voice = engine.synthesize("Hi there.", "b", "en")
    assert not np.array_equal(other_voice.samples, short.samples)
    assert engine.identity("a") != engine.identity("b")


def test_gtts_offline_fails_fast_with_one_line_and_no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:1])
        raise OSError("network is unreachable (blocked by the test)")

    # Both name resolution and connecting are blocked: nothing can leave the machine.
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    with pytest.raises(EngineError) as info:
        GttsEngine().synthesize("Hello there.", None, "en")
    assert str(info.value) == OFFLINE_MESSAGE == "gTTS needs network access; use --engine piper"
    assert len(attempts) == 1  # one try, no retry loop


def test_gtts_answer_decoding_handles_mp3(tmp_path):
    import lameenc

    rate = 24000
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(rate) / rate) * 32767).astype("<i2")
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)  # at lower rates LAME would resample to 22050
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    data = bytes(encoder.encode(tone.tobytes()) + encoder.flush())
    clip = decode_mp3(data)
    assert clip.sample_rate == rate
    assert clip.samples.dtype == np.float32
    assert rate <= clip.samples.size < rate * 1.2
    assert 0.25 < np.abs(clip.samples).max() < 0.35
    with pytest.raises(EngineError):
        decode_mp3(b"")
