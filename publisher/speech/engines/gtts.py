"""gTTS: Google Translate's online voice.  Needs the network, so never the default.

Offline it fails fast: one short-timeout request, no retry loop, and one line
telling the user to use Piper instead.  Its MP3 answer is decoded with the
libsndfile bundled in ``soundfile`` (no system ffmpeg).
"""
from __future__ import annotations

import io
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from ...errors import EngineError
from ..types import SentenceAudio

OFFLINE_MESSAGE = "gTTS needs network access; use --engine piper"
TIMEOUT_S = (3.0, 10.0)  # (connect, read)
TLD = "com"


class GttsEngine:
    name = "gtts"
    sample_rate = 24000  # what Google's MP3s carry; SentenceAudio reports the decoded rate

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        try:
            from gtts import gTTS, gTTSError
        except ImportError:
            raise EngineError("gtts engine needs the gTTS package: pip install gTTS") from None
        import requests

        language = voice or lang or "en"
        buffer = io.BytesIO()
        try:
            gTTS(text, lang=language, tld=TLD, lang_check=False, timeout=TIMEOUT_S).write_to_fp(buffer)
        except gTTSError as error:
            if getattr(error, "rsp", None) is None:  # no response at all: we are offline
                raise EngineError(OFFLINE_MESSAGE) from None
            raise EngineError(f"gTTS request failed: {str(error).splitlines()[0]}") from None
        except (requests.exceptions.RequestException, OSError):
            raise EngineError(OFFLINE_MESSAGE) from None
        except (ValueError, AssertionError) as error:  # unsupported language, empty text
            raise EngineError(f"gTTS cannot speak this: {error}") from None
        return decode_mp3(buffer.getvalue())

    def languages(self, voice: str | None):
        """The languages Google's service reads (a named voice is a language code)."""
        if voice:
            return {voice}
        from gtts.lang import tts_langs

        return set(tts_langs())

    def identity(self, voice: str | None) -> str:
        try:
            gtts_version = version("gTTS")
        except PackageNotFoundError:
            gtts_version = "missing"
        return f"gtts/{gtts_version}|voice={voice}|tld={TLD}"


def decode_mp3(data: bytes) -> SentenceAudio:
    import soundfile

    if not data:
        raise EngineError("gTTS returned no audio")
    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return SentenceAudio(samples=np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32), sample_rate=rate)
