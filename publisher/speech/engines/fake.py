"""TEST-ONLY engine: deterministic tones, no model, no randomness.

Each character lasts ``MS_PER_CHAR`` milliseconds, so durations (and therefore
timings) are predictable in unit tests.  The pitch is derived from the text so
different sentences sound different; the voice name shifts it, so voices are
distinguishable too.  Never use it to publish.
"""
from __future__ import annotations

import hashlib
import os
import time

import numpy as np

from ..types import SentenceAudio

MS_PER_CHAR = 20
SAMPLE_RATE = 16000
VERSION = "1"
# Seconds each sentence takes, for tests that need a build to still be running
# (e.g. to kill a worker mid-build).  Changes nothing about the audio.
DELAY_ENV = "PUBLISHER_FAKE_ENGINE_DELAY"


class FakeEngine:
    name = "fake"
    sample_rate = SAMPLE_RATE

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None, str]] = []  # what was asked, for tests

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        self.calls.append((text, voice, lang))
        delay = float(os.environ.get(DELAY_ENV) or 0)
        if delay > 0:
            time.sleep(delay)
        n = max(1, len(text)) * MS_PER_CHAR * SAMPLE_RATE // 1000
        digest = hashlib.sha256(f"{voice}|{lang}|{text}".encode()).digest()
        pitch = 120.0 + digest[0]  # 120–375 Hz, like a speaking voice
        t = np.arange(n, dtype=np.float64) / SAMPLE_RATE
        # A syllable-rate (4 Hz) envelope gives the loudness meter speech-like dynamics.
        envelope = 0.55 + 0.45 * np.sin(2 * np.pi * 4.0 * t) ** 2
        tone = 0.5 * envelope * (np.sin(2 * np.pi * pitch * t) + 0.3 * np.sin(2 * np.pi * 3 * pitch * t))
        fade = min(n // 2, SAMPLE_RATE // 100)  # 10 ms ramps: no clicks at the joins
        if fade:
            ramp = np.linspace(0.0, 1.0, fade)
            tone[:fade] *= ramp
            tone[-fade:] *= ramp[::-1]
        return SentenceAudio(samples=tone.astype(np.float32), sample_rate=SAMPLE_RATE)

    def identity(self, voice: str | None) -> str:
        return f"fake/{VERSION}|voice={voice}|rate={SAMPLE_RATE}|ms_per_char={MS_PER_CHAR}"

    def languages(self, voice: str | None):
        return None  # tones: "speaks" every language, so tests of any language can use it
