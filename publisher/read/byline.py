"""Bylines hold names, not page furniture.

A page's byline element usually carries more than the author: the date and
time, "Updated", reading time, a social handle, an e-mail address, the share
bar, "Fact checked by …". The page prints "By" before the byline and the
narration reads it aloud, so everything after the names goes.

Mechanism apart from data: :func:`clean_byline` runs small ordered
``str -> str`` rules; the words that end a byline are in
``data/byline_stops.txt``. Each rule is general (a date, a time, a handle),
never a site's wording.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).parent / "data"

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|ene|abr|ago|dic)\.?")
# What starts the furniture after the names: a date, a time, a reading time,
# a relative age, a separator that divides names from metadata.
_DATE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s|\b)|\b\d{{4}}-\d{{2}}-\d{{2}}\b|"
    rf"\b\d{{1,2}}[-/.]\w{{2,4}}[-/.]\d{{2,4}}\b|\b\d{{1,2}}:\d{{2}}\b|\b\d+\s*(?:mins?|minutes?)\b|"
    rf"\b\d+\s+(?:seconds?|hours?|days?|weeks?|months?|years?)(?:\s+ago)?\b|\b\d+\s+comments?\b",
    re.I)
_SEPARATORS = re.compile(r"\s[|•·/–—-]\s|\s*\|")
_HANDLE = re.compile(r"(?<![\w.])@\w[\w.]*|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_SYMBOLS = re.compile(r"[✉☎✆📧🔗]+")
_LEAD = re.compile(r"^(?:(?:written|words|reported|story|posted)\s+)?by\s*[:\-]?\s*", re.I)
_BY_WORD = re.compile(r"\bby\b\s*:?\s*", re.I)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,;])")
_TRAIL = re.compile(r"[\s,;:|•·/–—-]+$|\s+(?:on|at|and|in|by)$", re.I)
_LETTER = re.compile(r"[^\W\d_]")
# Names are short (a long author list is still under this); a longer run is a sentence, not a byline.
MAX_BYLINE_WORDS = 30


@lru_cache(maxsize=1)
def _stop_words() -> re.Pattern:
    words = [line.strip() for line in (_DATA / "byline_stops.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)


def drop_symbols(text: str) -> str:
    return _SYMBOLS.sub(" ", text)


def drop_handles(text: str) -> str:
    """Social handles and e-mail addresses are not names to read aloud."""
    return _HANDLE.sub(" ", text)


def _furniture_start(text: str) -> int | None:
    ends = [m.start() for m in (_DATE.search(text), _stop_words().search(text), _SEPARATORS.search(text)) if m]
    return min(ends) if ends else None


def cut_at_furniture(text: str) -> str:
    """Keep what comes before the first date, time, reading time, stop word or separator.

    When the furniture comes first ("Last updated: … By Ana Ruiz"), the names
    are what follows the first "by" after it.
    """
    start = _furniture_start(text)
    if start is None:
        return text
    if _LETTER.search(drop_lead_by(text[:start])):
        return text[:start]
    later = _BY_WORD.search(text, start)
    if later is None:
        return ""
    rest = text[later.end():]
    end = _furniture_start(rest)
    return rest if end is None else rest[:end]


def drop_lead_by(text: str) -> str:
    """The page prints "By" itself."""
    return _LEAD.sub("", text.strip())


def drop_trailing_joiners(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _TRAIL.sub("", text.strip())
    return text


def collapse_repeat(text: str) -> str:
    """"Steve Kamb Steve Kamb" (a name printed twice: avatar label and link) → once."""
    words = text.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return " ".join(words)


RULES = (drop_symbols, drop_handles, cut_at_furniture, drop_lead_by, drop_trailing_joiners, collapse_repeat)


def clean_byline(text: str | None) -> str | None:
    """The names of a byline, or None when nothing like a name is left."""
    if not text:
        return None
    for rule in RULES:
        text = rule(text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    if not _LETTER.search(text) or len(text.split()) > MAX_BYLINE_WORDS:
        return None
    return text
