"""Sentence splitting that does not break on abbreviations, initials, decimals or times."""
from __future__ import annotations

import re

# Words that end with a period but rarely end a sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gov", "sen", "rep", "gen", "col",
    "lt", "sgt", "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "det", "insp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "v", "etc", "e.g", "i.e", "approx", "dept", "est", "fig", "inc", "ltd",
    "co", "corp", "ave", "blvd", "rd", "mt", "ft", "u.s", "u.k", "u.n", "e.u", "a.m", "p.m",
}

_CANDIDATE = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)(?=[\"'“‘«(\[]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])")


def split_sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        end = m.end(2)
        before = text[start:m.start(1)]
        last_word = re.split(r"\s", before)[-1] if before else ""
        if m.group(1) == ".":
            token = last_word.lower().lstrip("(\"'“‘")
            if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
                continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = m.end(3)
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
