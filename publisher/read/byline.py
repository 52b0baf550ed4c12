"""Bylines hold names, not page furniture.

A page's byline element usually carries more than the author: the date and
time, "Updated", reading time, a social handle, an e-mail address, the share
bar, "Fact checked by …", a label ("Authors:", "Text by"), the author box's
first sentence ("… Ana is a reporter covering …"), an icon font's glyph. The
page prints "By" before the byline and the narration reads it aloud, so
everything but the names goes; a byline of labels only, a footer's copyright
line or a CMS login ("siteadmin") names nobody and is no byline.

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
# A copyright or legal line is the page's footer, never a name.
_LEGAL = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b", re.I)
# The sentence of an author box run on after the name ("Ana Ruiz Ana is a reporter …").
_BIO = re.compile(r"\s(?:is|was)\s+(?:an?|the)\s")
_PRONOUNS = frozenset({"he", "she", "they"})
# A login, not a name: one lower-case token holding a digit or "admin" ("jdoe42", "siteadmin").
_LOGIN = re.compile(r"^[a-z0-9._-]*(?:\d|admin)[a-z0-9._-]*$")
# Words that are a byline's labels, not names: a byline of nothing else names nobody.
# Also a form's field label ("Name *"), a sign-in link, and a script's empty value ("undefined").
_LABEL_WORDS = frozenset({"author", "authors", "by", "of", "the", "this", "article", "post", "written", "about",
                          "name", "on", "sign", "log", "in", "undefined", "null", "none"})
_SEPARATORS = re.compile(r"\s[|•·/–—-]\s|\s*\|")
_HANDLE = re.compile(r"(?<![\w.])@\w[\w.]*|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Mail and link glyphs, and icon-font glyphs (Unicode's private use area: an icon font's
# envelope or person drawn as a character, which a screen reader names as nonsense).
_SYMBOLS = re.compile(r"[✉☎✆📧🔗\ue000-\uf8ff]+")
_LEAD = re.compile(
    r"^(?:(?:this\s+(?:post|article|story)\s+was\s+)?(?:written|words|reported|story|posted|text|authored)\s+)?by\s*[:\-]?\s*"
    r"|^(?:authors?|autor(?:es|a)?|auteurs?)(?:\s*:\s*|\s+(?=(?-i:[A-Z])))|^about\s+(?=(?-i:[A-Z]))", re.I)
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
    found = (_DATE.search(text), _stop_words().search(text), _SEPARATORS.search(text), _LEGAL.search(text))
    ends = [m.start() for m in found if m]
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


def cut_bio(text: str) -> str:
    """"Ana Ruiz Ana is a reporter covering …" (an author box) → "Ana Ruiz".

    The sentence starts at its subject: the name printed again (whole or its first
    words) or a pronoun just before "is a"; those words go with the sentence.
    """
    found = _BIO.search(text)
    if found is None:
        return text
    head = text[:found.start()].split()
    if head and head[-1].lower() in _PRONOUNS:
        head = head[:-1]
    repeat = next((k for k in range(len(head) - 1, 0, -1) if head[-k:] == head[:k]), 0)
    return " ".join(head[:len(head) - repeat])


RULES = (drop_symbols, drop_handles, cut_at_furniture, drop_lead_by, cut_bio, drop_trailing_joiners,
         collapse_repeat)


def join_names(names: list[str]) -> str:
    """["Ana Ruiz", "Bo Li", "Cy Ng"] → "Ana Ruiz, Bo Li and Cy Ng" (each name once)."""
    unique = list(dict.fromkeys(n for n in names if n))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def _names_nobody(text: str) -> bool:
    words = text.split()
    return (len(words) == 1 and bool(_LOGIN.match(text))) \
        or all(w.lower().strip(",:*") in _LABEL_WORDS for w in words if w.strip(",:*"))


def clean_byline(text: str | None) -> str | None:
    """The names of a byline, or None when nothing like a name is left."""
    if not text:
        return None
    for rule in RULES:
        text = rule(text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    if not _LETTER.search(text) or len(text.split()) > MAX_BYLINE_WORDS or _names_nobody(text):
        return None
    return text


# What may follow the structured names in a byline when it names more people ("Ana Ruiz and
# Bo Li", "Ana Ruiz, Bo Li"): the byline's own list is then the longer truth.
_MORE_NAMES = re.compile(r"^(?:and|&|with|,|;)(?:\s|$)", re.I)


def byline_from(printed: str | None, authors: list[str]) -> str | None:
    """The byline from the page's printed byline and its structured author names (JSON-LD,
    ``<meta name=author>``).

    The printed byline wins (it is what the page shows), cleaned; where it is nothing but the
    structured names followed by more words that are not more names ("Ana Ruiz Senior
    Reporter", "Ana Ruiz Author's profile"), those words are furniture and the names alone
    stand.  With no printed byline, or none left after cleaning, the structured names.
    """
    names = list(dict.fromkeys(n for n in (clean_byline(a) for a in authors) if n))
    shown = clean_byline(printed)
    if shown is None:
        return join_names(names) or None
    if names:
        # The names in order, however the page joins them ("A, B", "A and B", "A & B").
        listed = re.match(r"\s*(?:,|and|&)\s*".join(re.escape(n) for n in names), shown, re.I)
        rest = shown[listed.end():] if listed else ""
        if rest[:1].isspace() and not _MORE_NAMES.match(rest.strip()):
            return join_names(names)
    return shown
