"""The recognizer's words → comparable words with times.

A heard phrase is normalized as a whole ("$1.2" and "million" together say
"one point two million dollars", as the script does; "Dr." and "Varga" say
"Doctor Varga"), then each normalized word takes the time of the raw word it
came from, found by position.  Last, the heard words take the script's spacing
of compounds (:func:`script_spacing`).
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Iterable, Sequence

from ..text.sentences import abbreviation_classes
from .align import HeardWord, Span
from .recognizer import Word
from .words import comparable_words

PHRASE_GAP_S = 0.3  # a pause this long ends a phrase
SENTENCE_END = (".", "?", "!")


def _phrases(words: Sequence[Word]) -> Iterable[list[Word]]:
    phrase: list[Word] = []
    for word in words:
        if phrase and word.start - phrase[-1].end > PHRASE_GAP_S and not _title(phrase[-1].text):
            yield phrase
            phrase = []
        phrase.append(word)
        if word.text.endswith(SENTENCE_END) and not _title(word.text):
            yield phrase
            phrase = []
    if phrase:
        yield phrase


def _title(word: str) -> bool:
    """"Dr.", "St.": never the end of a phrase, not even at a pause (the recognizer times
    "Dr." apart from the name, and the normalizer needs the name to say "Doctor")."""
    return abbreviation_classes().get(word.rstrip(".").casefold()) == "title"


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


def script_spacing(heard: list[HeardWord], spans: Sequence[Span]) -> list[HeardWord]:
    """Heard words spaced as the script spaces its compounds.

    "clean-up", "cleanup" and "clean up", "any more" and "anymore", "river bank"
    and "riverbank" are one sound written three ways.  Two heard words whose join
    is a script word become that word; one heard word that is two adjacent script
    words joined becomes those two.  Only the spacing moves: letters never change,
    so a word heard wrong stays wrong.
    """
    words = [word for span in spans if span.checked for word in span.words]
    vocabulary = set(words)
    pairs = {first + second: (first, second) for span in spans if span.checked
             for first, second in zip(span.words, span.words[1:])}
    adjacent = set(pairs.values())
    out: list[HeardWord] = []
    index = 0
    while index < len(heard):
        word = heard[index]
        following = heard[index + 1] if index + 1 < len(heard) else None
        if (following is not None and word.text + following.text in vocabulary
                and (word.text, following.text) not in adjacent):
            out.append(HeardWord(word.text + following.text, word.start, following.end))
            index += 2
            continue
        if word.text not in vocabulary and word.text in pairs:
            first, second = pairs[word.text]
            middle = (word.start + word.end) / 2
            out += [HeardWord(first, word.start, middle), HeardWord(second, middle, word.end)]
        else:
            out.append(word)
        index += 1
    return out
