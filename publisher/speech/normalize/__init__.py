"""Text normalization for speech: written text in, what a voice should say out.

>>> normalize("On Aug. 15, 2020, Dr. Smith paid $1.2 million.")
'On August fifteenth, twenty twenty, Doctor Smith paid one point two million dollars.'

``normalize`` takes one sentence; ``normalize_lines`` takes any text, splits it
into sentences and returns one spoken line per sentence (what ``publisher
normalize`` prints).
"""
from __future__ import annotations

import re

from ...text.sentences import split_sentences
from .core import NormalizeOptions, run
from .rules import rules_for

__all__ = ["NormalizeOptions", "normalize", "normalize_lines"]


MAX_EXTRA_PASSES = 2


def normalize(text: str, lang: str = "en", options: NormalizeOptions | None = None) -> str:
    """One sentence as written → the same sentence as it should be spoken."""
    rules = rules_for(lang, options)
    spoken = run(rules, text)
    # A rule may only see its pattern once a later rule has removed what stood in
    # between (a stray "@" between "Dr." and a name).  Spoken text is otherwise a
    # fixed point, so further passes change nothing; they stop as soon as it holds.
    for _ in range(MAX_EXTRA_PASSES):
        again = run(rules, spoken)
        if again == spoken:
            break
        spoken = again
    return spoken


def normalize_lines(text: str, lang: str = "en", options: NormalizeOptions | None = None) -> list[str]:
    """Any text → one normalized line per sentence (blank lines separate paragraphs).

    Sentences that normalize to nothing (a lone footnote marker, a dropped URL)
    are left out.
    """
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        for sentence in split_sentences(paragraph):
            spoken = normalize(sentence, lang, options)
            if spoken:
                lines.append(spoken)
    return lines
