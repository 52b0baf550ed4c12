"""Contracts between the speech stages (Piper-style small frozen dataclasses).

Article ──prepare──▶ Script ──speak──▶ Narration

* A :class:`Script` is what will be said: per section, one :class:`Utterance`
  per sentence, already normalized for speech.  Engines never see raw article
  text, only ``Utterance.spoken``.
* A :class:`Narration` is what was said: where each sentence and section sits
  in the episode MP3, measured from the samples themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["title", "dek", "byline", "heading", "body", "quote", "list", "table", "caption", "credit", "label"]


@dataclass(frozen=True)
class Utterance:
    sentence_id: str | None  # join key with the page and VTT; None for spoken labels ("Photo caption:")
    display: str  # the sentence as written (for the transcript)
    spoken: str  # normalized text the engine reads
    role: Role = "body"
    lang: str = "en"
    pause_after_ms: int = 350  # silence after this utterance
    # What a listener would write down when it differs from ``spoken``: the normalized
    # text before the lexicon's respellings ("Taraykovski", not "Tahrai-koffskee").
    # The listen-back check compares the recognizer's words with this.
    reference: str | None = None


@dataclass(frozen=True)
class ScriptSection:
    section_id: str
    title: str  # chapter title
    utterances: tuple[Utterance, ...]
    toc: bool = True  # False for asides (figure captions) in chapter lists
    file_stem: str = ""  # e.g. "01-introduction" for sections/NN-<name>.mp3
    # A sound file (station ident) played with the section: before its words, or after them.
    sound: str | None = None
    sound_last: bool = False


@dataclass(frozen=True)
class Script:
    article_id: str
    language: str
    sections: tuple[ScriptSection, ...]


@dataclass(frozen=True)
class VoiceChoice:
    engine: str  # registry name: "hibari", "piper", "espeak", "gtts", "fake"
    voice: str | None = None  # engine-specific voice name; None = engine default


@dataclass(frozen=True)
class VoiceUse:
    """One (engine, voice, language) an episode was spoken with, and how many utterances it spoke."""

    engine: str
    voice: str | None
    lang: str
    sentences: int
    label: str  # listener-facing name, e.g. "eSpeak NG de"


@dataclass(frozen=True)
class SentenceAudio:
    """One engine call's output: mono float32 samples in [-1, 1]."""

    samples: "object"  # numpy.ndarray, float32, shape (n,)
    sample_rate: int


@dataclass(frozen=True)
class Timing:
    sentence_id: str
    text: str  # the sentence as written
    start: float  # seconds from the start of the episode
    end: float


@dataclass(frozen=True)
class SpokenSpan:
    """What one utterance told the engine, and where it plays in its section file.

    The listen-back check's reference: ``spoken`` is the normalized text (not
    the display text) the engine read, ``reference`` the same words as a listener
    would write them (lexicon respellings undone); times are seconds on the
    section file's decoded timeline.
    """

    section: int  # index into Narration.sections
    sentence_id: str | None  # None for spoken labels ("Photo caption:")
    spoken: str
    lang: str
    start: float
    end: float
    reference: str = ""  # "": the same as spoken


@dataclass(frozen=True)
class Chapter:
    section_id: str
    title: str
    start: float  # seconds in the episode
    end: float
    toc: bool = True


@dataclass(frozen=True)
class SectionFile:
    section_id: str
    title: str
    path: str  # relative to the article folder, e.g. "sections/01-introduction.mp3"
    duration: float
    bytes: int


@dataclass(frozen=True)
class Narration:
    article_id: str
    episode_path: str  # relative to the article folder, e.g. "<slug>.mp3"
    duration: float  # seconds, from the samples
    bytes: int
    timings: tuple[Timing, ...]
    chapters: tuple[Chapter, ...]
    sections: tuple[SectionFile, ...]
    engine: str
    voice: str | None
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    synthesized: int = 0  # segments synthesized this run
    reused: int = 0  # segments taken from the cache
    segment_keys: tuple[str, ...] = ()  # the cache keys of every distinct segment, sorted
    voices: tuple[VoiceUse, ...] = ()  # every voice used, most utterances first
    spoken: tuple[SpokenSpan, ...] = ()  # every utterance, for the listen-back check
