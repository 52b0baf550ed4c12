"""Text → the words a listener would hear, in one comparable form for both sides.

The script (what the engine was told to say) and the recognizer's transcript
go through the same steps: the narration's own normalizer (so a heard "2020"
becomes "twenty twenty", as the script says it), case folding, punctuation and
hyphens to spaces, apostrophes dropped, then spelling variants to one form
(``data/equivalents.tsv``: "harbour" and "harbor" are the same sound).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ..speech.normalize import normalize

EQUIVALENTS_FILE = Path(__file__).with_name("data") / "equivalents.tsv"
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


def comparable_words(text: str, lang: str = "en") -> list[str]:
    """The words of ``text`` as they are compared (see the module docstring)."""
    spoken = normalize(text, lang) if text.strip() else ""
    folded = APOSTROPHES.sub("", spoken.casefold())
    table = equivalents()
    return [table.get(word, word) for word in NOT_WORD.sub(" ", folded).split()]
