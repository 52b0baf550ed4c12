"""Text → the words a listener would hear, in one comparable form for both sides.

The script (what the engine was told to say) and the recognizer's transcript
go through the same steps: the narration's own normalizer (so a heard "2020"
becomes "twenty twenty", as the script says it), case folding, punctuation and
hyphens to spaces, apostrophes dropped, then spelling variants to one form:
irregular ones from ``data/equivalents.tsv`` ("grey" and "gray"), regular ones by
suffix from ``data/spelling_folds.tsv`` ("harbour" and "harbor", "organisers" and
"organizers" are the same sound).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..speech.normalize import normalize

DATA = Path(__file__).with_name("data")
EQUIVALENTS_FILE = DATA / "equivalents.tsv"
SPELLING_FOLDS_FILE = DATA / "spelling_folds.tsv"
APOSTROPHES = re.compile(r"['’ʼ`´]")
NOT_WORD = re.compile(r"[^\w]+|_")


@functools.lru_cache(maxsize=1)
def equivalents() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in EQUIVALENTS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            variant, canonical = line.split("\t")
            table[variant.strip().casefold()] = canonical.strip().casefold()
    return table


@functools.lru_cache(maxsize=1)
def spelling_folds() -> tuple[tuple[str, str, int], ...]:
    """(suffix, replacement, shortest word) rows, longest suffix first."""
    rows = []
    for line in SPELLING_FOLDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            suffix, replacement, shortest = line.split("\t")
            rows.append((suffix.strip(), replacement.strip(), int(shortest)))
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


@functools.lru_cache(maxsize=65536)
def one_spelling(word: str) -> str:
    """``word`` (case-folded) in the one spelling both sides are compared in."""
    listed = equivalents().get(word)
    if listed is not None:
        return listed
    for suffix, replacement, shortest in spelling_folds():
        if len(word) >= shortest and word.endswith(suffix):
            return word[: len(word) - len(suffix)] + replacement
    return word


def comparable_words(text: str, lang: str = "en") -> list[str]:
    """The words of ``text`` as they are compared (see the module docstring)."""
    spoken = normalize(text, lang) if text.strip() else ""
    folded = APOSTROPHES.sub("", spoken.casefold())
    return [one_spelling(word) for word in NOT_WORD.sub(" ", folded).split()]
