"""Which language is this text in?  py3langid's model (shipped inside its wheel, BSD-3-Clause).

Mechanism only: :func:`identify` returns the most likely language and how
sure the model is; what counts as "sure enough" is the readers' policy
(:mod:`publisher.read.language`).  ``bench/langid`` compares py3langid with
other offline identifiers on this project's own multilingual fixtures.

Scripts a single language owns (Greek, Hangul, Thai, …) and the Cyrillic
letters only one language uses are decided from the letters themselves,
before the model: they are certain, and the model's 97 languages do not
hold every one of them.
"""
from __future__ import annotations

import functools
import threading
from collections import Counter
import unicodedata
from dataclasses import dataclass

# The model reads at most this much: a few paragraphs decide, and work stays bounded.
MAX_CHARS = 4000

# Scripts that name their language outright (one language writes news in each).
_SCRIPT_LANGUAGE = {
    "GREEK": "el", "HEBREW": "he", "THAI": "th", "HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja",
    "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am", "KHMER": "km", "LAO": "lo", "MYANMAR": "my",
    "SINHALA": "si", "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml", "GUJARATI": "gu",
    "GURMUKHI": "pa", "ORIYA": "or", "TIBETAN": "bo",
}
# When the model is missing or the text too short for it: the usual language of a script.
_SCRIPT_DEFAULT = {"CYRILLIC": "ru", "ARABIC": "ar", "DEVANAGARI": "hi", "CJK": "zh", "BENGALI": "bn"}
_CYRILLIC_MARKERS = (("ў", "be"), ("ї", "uk"), ("є", "uk"), ("ґ", "uk"), ("ђ", "sr"), ("ћ", "sr"), ("ј", "sr"),
                     ("ѓ", "mk"), ("ќ", "mk"), ("ѕ", "mk"), ("ә", "kk"), ("ң", "kk"), ("ү", "kk"))


@dataclass(frozen=True)
class LanguageGuess:
    lang: str | None  # ISO 639-1 (or -3) code; None: no letters to judge
    confidence: float  # 0..1: the model's normalized probability, 1.0 for a script only one language uses
    letters: int  # letters looked at (short texts are weak evidence whatever the confidence)


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """The Unicode script word of a letter's name ("LATIN", "CYRILLIC"); cached: a text repeats
    few distinct letters, and the name lookup is most of the cost of counting them."""
    try:
        return unicodedata.name(ch).split(" ")[0]
    except ValueError:
        return None


def script_counts(text: str) -> tuple[int, dict[str, int]]:
    """Letters in ``text`` and how many of them each script holds."""
    counts: dict[str, int] = {}
    letters = 0
    for ch, n in Counter(text).items():
        if ch.isalpha():
            letters += n
            script = _script(ch)
            if script:
                counts[script] = counts.get(script, 0) + n
    return letters, counts


_model_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _model():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _classify(text: str) -> tuple[str, float]:
    with _model_lock:  # the identifier keeps scratch arrays: one caller at a time
        lang, probability = _model().classify(text)
    return str(lang), float(probability)


def identify(text: str) -> LanguageGuess:
    """The language ``text`` is most likely written in."""
    text = text[:MAX_CHARS]
    letters, counts = script_counts(text)
    if not letters:
        return LanguageGuess(None, 0.0, 0)
    script, count = max(counts.items(), key=lambda kv: kv[1]) if counts else ("", 0)
    share = count / letters
    if share >= 0.5:
        if "HIRAGANA" in counts or "KATAKANA" in counts:
            return LanguageGuess("ja", 1.0, letters)
        if script in _SCRIPT_LANGUAGE:
            return LanguageGuess(_SCRIPT_LANGUAGE[script], 1.0, letters)
        if script == "CYRILLIC":
            lower = text.lower()
            marked = {lang for letter, lang in _CYRILLIC_MARKERS if letter in lower}
            if len(marked) == 1:
                return LanguageGuess(marked.pop(), 1.0, letters)
    lang, probability = _classify(text)
    return LanguageGuess(lang, probability, letters)


def script_default(text: str) -> str | None:
    """The usual language of the script most of ``text`` is in (weak evidence, for fallbacks)."""
    letters, counts = script_counts(text[:MAX_CHARS])
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda kv: kv[1])
    if count / letters < 0.5:
        return None
    return _SCRIPT_LANGUAGE.get(script) or _SCRIPT_DEFAULT.get(script)


__all__ = ["LanguageGuess", "identify", "script_counts", "script_default", "MAX_CHARS"]
