"""Sentence splitting that does not break on abbreviations, initials, decimals or times.

A candidate break is sentence punctuation (``. ! ? …``), optional closing
quotes or brackets, whitespace, then something that can open a sentence (a
capital letter or digit, maybe behind an opening quote).  A candidate is
rejected when:

* the word before a period is a title-like abbreviation (``Dr.``, ``St.``,
  ``No.``), an initial (``J.``) or an abbreviation followed by a number
  (``Dec. 5``);
* the word before is an abbreviation that may or may not end a sentence
  (``U.S.``, ``a.m.``, ``Inc.``) or the punctuation is an ellipsis, and the
  next word is not one that usually opens a sentence;
* a closing quote is followed by its attribution (``“Stop!” Lukashenka said``).

The word lists are data: ``publisher/text/data/``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).with_name("data")


def _lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=None)
def abbreviation_classes() -> dict[str, str]:
    """lowercase abbreviation (no final period) → "title" or "maybe"."""
    return dict(line.split("\t") for line in _lines("abbreviations.tsv"))


@lru_cache(maxsize=None)
def _words(name: str) -> frozenset[str]:
    return frozenset(_lines(name))


# Kept for callers that want the plain set of known abbreviations.
ABBREVIATIONS = frozenset(abbreviation_classes())

_OPENING = "\"'“‘«(\\["
_CLOSING = "\"'”’»)\\]"
_CANDIDATE = re.compile(
    rf"(?P<punct>[.!?…]+)(?P<close>[{_CLOSING}]*)(?P<space>\s+)(?=[{_OPENING}]?[A-Z0-9À-ÖØ-ÞА-ЯЁ])"
)
_ATTRIBUTION = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}(?P<verb>[a-z]+)\b")


def _next_word(text: str) -> str:
    m = re.match(rf"[{_OPENING}]?([\w'’-]+)", text)
    return m.group(1) if m else ""


def _is_break(text: str, m: re.Match, start: int) -> bool:
    punct, close = m.group("punct"), m.group("close")
    after = text[m.end():]
    following = _next_word(after)
    starts_sentence = following in _words("sentence_starters.txt")

    if close and any(q in close for q in "\"'”’»"):
        attribution = _ATTRIBUTION.match(after)
        if attribution and attribution.group("verb") in _words("speech_verbs.txt"):
            return False
    if punct in ("...", "…", "....") and not close:
        return starts_sentence
    if punct != ".":
        return True

    before = text[start:m.start("punct")]
    last = before.split()[-1] if before.split() else ""
    token = last.lower().lstrip(_OPENING)
    if re.fullmatch(r"[a-z]", token) and last.lstrip(_OPENING)[:1].isupper() and token != "i":
        return False  # an initial: J. R. R. Tolkien
    kind = abbreviation_classes().get(token)
    if kind is None and re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        kind = "maybe"  # unknown dotted abbreviation such as "n.b."
    if kind is None:
        return True
    if kind == "title" or following[:1].isdigit():
        return False
    return starts_sentence


def split_sentences(text: str) -> list[str]:
    """One paragraph of text → its sentences, whitespace collapsed."""
    text = " ".join(text.split())
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        if not _is_break(text, m, start):
            continue
        piece = text[start:m.end("close")].strip()
        if piece:
            out.append(piece)
        start = m.end("space")
    rest = text[start:].strip()
    if rest:
        out.append(rest)
    return out
