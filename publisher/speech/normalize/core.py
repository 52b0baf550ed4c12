"""Normalization mechanism: options, data loading, the rule pipeline runner.

Policy (which rules, in which order) lives in :mod:`.rules`; the word lists the
rules consult live in ``data/``.  Nothing here knows about English.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Literal

Rule = Callable[[str], str]

DATA_DIR = Path(__file__).with_name("data")


@dataclass(frozen=True)
class NormalizeOptions:
    urls: Literal["domain", "drop"] = "domain"  # "example dot com", or leave the address out
    emails: Literal["spoken", "drop"] = "spoken"  # "jane at example dot com", or leave it out
    spell_unknown_acronyms: bool = True  # unknown 2–4 letter all-caps words read letter by letter


# -- data files -------------------------------------------------------------------

def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line)
    return out


def _decode_char(field: str) -> str:
    """``U+00A0`` → the character; anything else as written."""
    if re.fullmatch(r"U\+[0-9A-Fa-f]{4,6}", field):
        return chr(int(field[2:], 16))
    return field


@lru_cache(maxsize=None)
def load_words(name: str) -> tuple[str, ...]:
    """A one-entry-per-line data file, in file order."""
    return tuple(line.strip() for line in _data_lines(name))


@lru_cache(maxsize=None)
def load_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated data file, in file order.  Fields keep their spaces
    (a replacement of " and " means exactly that); ``U+XXXX`` is decoded."""
    return tuple(tuple(_decode_char(f) for f in line.split("\t")) for line in _data_lines(name))


@lru_cache(maxsize=None)
def load_map(name: str) -> dict[str, str]:
    """First two columns of a tab-separated data file as a mapping."""
    return {row[0]: (row[1] if len(row) > 1 else "") for row in load_rows(name)}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation matching any of ``words`` literally, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# -- running rules ----------------------------------------------------------------

def run(rules: Iterable[Rule], text: str) -> str:
    for rule in rules:
        text = rule(text)
    return text
