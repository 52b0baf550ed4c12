"""The recognizer's words → comparable words with times.

A heard phrase is normalized as a whole ("$1.2" and "million" together say
"one point two million dollars", as the script does), then each normalized word
takes the time of the raw word it came from, found by position.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Iterable, Sequence

from .align import HeardWord
from .recognizer import Word
from .words import comparable_words

PHRASE_GAP_S = 0.3  # a pause this long ends a phrase
SENTENCE_END = (".", "?", "!")


def _phrases(words: Sequence[Word]) -> Iterable[list[Word]]:
    phrase: list[Word] = []
    for word in words:
        if phrase and word.start - phrase[-1].end > PHRASE_GAP_S:
            yield phrase
            phrase = []
        phrase.append(word)
        if word.text.endswith(SENTENCE_END):
            yield phrase
            phrase = []
    if phrase:
        yield phrase


def heard_words(words: Sequence[Word], lang: str) -> list[HeardWord]:
    out: list[HeardWord] = []
    for phrase in _phrases(words):
        normalized = comparable_words(" ".join(w.text for w in phrase), lang)
        if not normalized:
            continue
        # How many words each raw word becomes on its own: where its share of the phrase lies.
        cumulative = list(accumulate(max(1, len(comparable_words(w.text, lang))) for w in phrase))
        scale = cumulative[-1] / len(normalized)
        for position, text in enumerate(normalized):
            raw = phrase[min(bisect_right(cumulative, (position + 0.5) * scale), len(phrase) - 1)]
            out.append(HeardWord(text, raw.start, raw.end))
    return out
