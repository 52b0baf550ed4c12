"""English normalization policy: small pure ``str -> str`` rules, in order.

Each rule handles one phenomenon and leaves everything else alone.  Order
matters and is spelled out once, in :func:`rules_for`:

* cleanup first (Unicode, references), then things that own their symbols
  (e-mails, URLs, hashtags, phone numbers) before generic symbols are spoken;
* times before abbreviations (``a.m.`` must still be intact), abbreviations
  before dates (``Aug.`` → ``August``);
* every number reading that needs context (dates, money, percentages, units,
  scores, ranges, decades, years, ordinals) before plain numbers read whatever
  digits are left;
* acronyms after numbers (``MP3`` → ``MP 3`` → ``M P three``), punctuation last.

Word lists come from ``data/`` (see :mod:`.core`); number words from
:mod:`.numbers`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache, partial

from . import numbers as num
from .core import NormalizeOptions, Rule, alternation, load_map, load_rows, load_words

# A numeral as written: 7,000 / 9.5 / 1,234.56 / 42
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Not part of a larger number or word on the left.
NUM_START = r"(?<![\w.,])"
# Nothing numeric continues on the right.
NUM_END = r"(?![\w]|[.,]\d)"
# Closing marks allowed between a final abbreviation and the end of the sentence.
_CLOSERS = " \"')]}"


def _ends_text(text: str, end: int) -> bool:
    return not text[end:].strip(_CLOSERS)


def _final_period(match: re.Match, text: str) -> str:
    """A sentence-final abbreviation keeps its period once expanded."""
    return "." if match.group(0).endswith(".") and _ends_text(text, match.end()) else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*[\"'(]?([^\s\"')]+)", text[end:])
    return m.group(1) if m else ""


def _prev_word(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1] if words else ""


# -- 1. Unicode cleanup --------------------------------------------------------------

_SINGLE_QUOTED = re.compile(r"‘((?:[^‘’]|’(?=\w))*)’(?!\w)")


def unicode_cleanup(text: str) -> str:
    """Curly quotes, dashes, NBSP, ligatures, ellipsis, invisible characters."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"‘(?=\d0s\b)", "'", text)  # ‘90s is an apostrophe, not a quote
    text = _SINGLE_QUOTED.sub(r"\1", text)  # ‘quoted’ words: the marks are not spoken
    text = text.replace("‘", "").replace("’", "'")
    text = text.translate(_unicode_table())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
    return " ".join(text.split())


@lru_cache(maxsize=None)
def _unicode_table() -> dict[int, str]:
    return {ord(k): v for k, v in load_map("unicode.tsv").items()}


# -- 2. References and editorial brackets ----------------------------------------------

_UNIT_BEFORE_SUPERSCRIPT = re.compile(r"(?:^|[\d\s])(?:km|cm|mm|m|ft|mi)$")


def drop_references(text: str) -> str:
    """[15]-style references and footnote markers go; [editorial words] stay as words."""
    def superscript(m: re.Match) -> str:
        return m.group(0) if _UNIT_BEFORE_SUPERSCRIPT.search(text[:m.start()]) else ""

    text = re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+", superscript, text)
    text = re.sub(r"\s*\[(?:\d+(?:\s*[,–-]\s*\d+)*|[a-z]|(?:note|n)\s*\d+)\]", "", text)
    text = re.sub(rf"\s*\[\s*(?i:{alternation(load_words('editorial_drops.txt'))})\s*\]", "", text)
    return re.sub(r"\[([^\[\]]+)\]", r"\1", text)


# -- 3. E-mails, URLs, hashtags, handles ----------------------------------------------

def _spoken_host(host: str) -> str:
    return " dot ".join(part for part in host.split(".") if part)


_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)(?![\w-])")


def emails(text: str, mode: str = "spoken") -> str:
    def say(m: re.Match) -> str:
        if mode == "drop":
            return ""
        user = m.group(1).replace(".", " dot ").replace("_", " underscore ")
        return f"{user} at {_spoken_host(m.group(2))}"

    return _EMAIL.sub(say, text)


@lru_cache(maxsize=None)
def _url_pattern() -> re.Pattern:
    tlds = alternation(load_words("tlds.txt"))
    return re.compile(
        r"(?:https?://|www\.)[^\s<>\"]+"
        rf"|(?<![\w@.-])(?:[A-Za-z0-9-]+\.)+(?i:{tlds})(?::\d+)?(?:/[^\s<>\"]*)?(?![\w@-])"
    )


def urls(text: str, mode: str = "domain") -> str:
    """Addresses are read as their domain ("example dot com") or dropped."""
    def say(m: re.Match) -> str:
        url = m.group(0)
        trail = re.search(r"[.,;:!?)\]'\"]+$", url)
        tail = trail.group(0) if trail else ""
        url = url[: len(url) - len(tail)]
        if mode == "drop":
            return tail
        host = re.sub(r"^[a-z]+://", "", url, flags=re.I)
        host = re.split(r"[/?#:]", host.split("@")[-1])[0]
        host = re.sub(r"^www\.", "", host, flags=re.I)
        return _spoken_host(host) + tail

    return _url_pattern().sub(say, text)


def _split_compound(word: str) -> str:
    """BlackLivesMatter → Black Lives Matter; under_score → under score."""
    word = word.replace("_", " ")
    word = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", word)
    return " ".join(word.split())


def hashtags_and_handles(text: str) -> str:
    text = re.sub(r"(?<![\w&#])#([A-Za-z][A-Za-z0-9_]*)", lambda m: "hashtag " + _split_compound(m.group(1)), text)
    text = re.sub(r"(?<![\w&#])#(?=\d)", "number ", text)
    return re.sub(r"(?<![\w@.])@([A-Za-z0-9_]{1,30})(?![\w@])", lambda m: "at " + _split_compound(m.group(1)), text)


# -- 4. Phone numbers -----------------------------------------------------------------

_PHONE_PATTERNS = (
    # North American: (555) 123-4567, 555-123-4567, +1 202 555 0143
    re.compile(r"(?<![\w+])(?:(\+?1)[\s.-]?)?(\(\d{3}\)|\d{3})[\s.-]?(\d{3})[\s.-](\d{4})(?![\w-]|[.,]\d)"),
    # International: +44 20 7946 0958
    re.compile(r"(?<![\w])(\+\d{1,3})((?:[\s.-]\d{1,4}){2,6})(?![\w-]|[.,]\d)"),
    # Local seven digits: 555-1234
    re.compile(r"(?<![\w.,-])(\d{3})-(\d{4})(?![\w-]|[.,]\d)"),
)


_EMERGENCY = re.compile(r"\b(?P<verb>(?i:call|calls|called|calling|dial|dials|dialed|dialled|dialing))\s+(?P<n>911|999|112)\b")


def phone_numbers(text: str) -> str:
    """Digit groups, one digit at a time, a pause between groups ("call 911": nine one one)."""
    text = _EMERGENCY.sub(lambda m: f"{m.group('verb')} {num.digits(m.group('n'))}", text)
    def say(m: re.Match) -> str:
        groups = re.findall(r"\+?\d+", m.group(0))
        spoken = [("plus " if g.startswith("+") else "") + num.digits(g) for g in groups]
        return ", ".join(spoken)

    for pattern in _PHONE_PATTERNS:
        text = pattern.sub(say, text)
    return text


# -- 5. Shouting headlines ------------------------------------------------------------------

def shouting(text: str) -> str:
    """ALL-CAPS sentences become sentence case, so their words are not spelled as acronyms."""
    words = re.findall(r"[A-Za-z][A-Za-z']*", text)
    if len(words) < 3:
        return text
    long_words = [w for w in words if len(w) > 1]
    caps = [w for w in long_words if w.isupper()]
    if len(long_words) < 3 or len(caps) < 0.8 * len(long_words):
        return text  # "T C P, I P" is letters already spelled, not a shouted sentence
    keep = set(load_words("acronyms_spoken.txt")) | set(load_words("acronyms_spelled.txt"))

    def lower(m: re.Match) -> str:
        word = m.group(0)
        return word if word in keep else word.lower()

    text = re.sub(r"[A-Za-z][A-Za-z']*", lower, text)
    return re.sub(r"[a-z]", lambda m: m.group(0).upper(), text, count=1)


# -- 6. Symbols ----------------------------------------------------------------------------

def symbols(text: str) -> str:
    """&, •, *, ~ ... spoken as words or dropped; never read out literally."""
    table = load_map("symbols.tsv")
    return re.sub(f"[{re.escape(''.join(table))}]", lambda m: table[m.group(0)], text)


# -- 7. Times -------------------------------------------------------------------------------

_AMPM = r"(?P<ampm>[ap]\.\s?m\.?|[AP]\.\s?M\.?|[ap]m|[AP]M)(?![\w])"
_TIME_PATTERNS = (
    re.compile(rf"(?<![\w:.,])(?P<h>\d{{1,2}}):(?P<m>\d{{2}})(?::(?P<s>\d{{2}}))?(?:\s?{_AMPM})?(?![\w:]|[.,]\d)"),
    re.compile(rf"(?<![\w:.,])(?P<h>\d{{1,2}})\.(?P<m>\d{{2}})\s?{_AMPM}"),
    re.compile(rf"(?<![\w:.,])(?P<h>\d{{1,2}})\s?{_AMPM}"),
)


def _say_time(m: re.Match, text: str) -> str:
    groups = m.groupdict()
    hour, minute = int(groups["h"]), int(groups.get("m") or 0)
    ampm = groups.get("ampm")
    if hour > 24 or minute > 59 or (ampm and not 1 <= hour <= 12):
        return m.group(0)
    words = num.cardinal(hour)
    if minute:
        words += " " + (f"oh {num.cardinal(minute)}" if minute < 10 else num.cardinal(minute))
    elif not ampm and not re.match(r"\s*o'clock", text[m.end():]):
        words += " hundred" if hour > 12 or hour == 0 else " o'clock"
    if groups.get("s") and int(groups["s"]):
        words += f" and {num.cardinal(int(groups['s']))} seconds"
    if ampm:
        words += " a m" if ampm[0] in "aA" else " p m"
        words += _final_period(m, text)
    return words


def times(text: str) -> str:
    """10:30 a.m. → ten thirty a m; 22:00 → twenty-two hundred; 9 p.m. → nine p m."""
    for pattern in _TIME_PATTERNS:
        text = pattern.sub(lambda m: _say_time(m, text), text)
    return text


# -- 8. Abbreviations -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _abbreviation_table() -> tuple[re.Pattern, dict[str, list[tuple[str, tuple[str, ...]]]]]:
    table: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for abbr, expansion, conditions in load_rows("abbreviations.tsv"):
        conds = tuple(c.strip() for c in conditions.split(","))
        table.setdefault(abbr, []).append((expansion, conds))
        if abbr[0].islower():  # sentence-initial "E.g." / "Etc."
            table.setdefault(abbr[0].upper() + abbr[1:], []).append((expansion[0].upper() + expansion[1:], conds))
    pattern = re.compile(rf"(?<![\w.])(?:{alternation(table)})(?![\w])")
    return pattern, table


def _is_name(word: str) -> bool:
    return bool(re.match(r"[\"'(]?[A-Z]", word))


# A number or a Roman numeral of two letters or more ("Vol. II"; "No. I" stays the word "No").
_NUMBER_WORD = re.compile(r"#?\d|(?:[IVXLC]{2,})(?![\w])")


def _condition_holds(condition: str, text: str, m: re.Match) -> bool:
    following = _next_word(text, m.end())
    preceding = _prev_word(text, m.start()).strip("\"'(,")
    before_name = _is_name(following)
    if condition == "any":
        return True
    if condition == "before-number":
        return bool(_NUMBER_WORD.match(following))
    if condition == "not-before-number":
        return not _NUMBER_WORD.match(following)
    if condition == "before-name":
        return before_name
    if condition == "not-before-name":
        return not before_name
    if condition == "after-name":
        return bool(re.match(r"[A-Z0-9]", preceding)) and preceding not in load_words("function_words.txt")
    raise ValueError(f"unknown abbreviation condition {condition!r} in abbreviations.tsv")


def abbreviations(text: str) -> str:
    """Dr. → Doctor, St. → Saint/Street by context, No. 5 → number 5; whole tokens only."""
    pattern, table = _abbreviation_table()

    def expand(m: re.Match) -> str:
        for expansion, conds in table[m.group(0)]:
            if all(_condition_holds(c, text, m) for c in conds):
                return expansion + _final_period(m, text)
        return m.group(0)

    return pattern.sub(expand, text)


def dotted_acronyms(text: str) -> str:
    """U.S. → U S, D.C. → D C (the final period kept only where the sentence ends)."""
    def say(m: re.Match) -> str:
        letters = " ".join(m.group(0).replace(".", ""))
        return letters + _final_period(m, text)

    return re.sub(r"(?<![\w.])(?:[A-Z]\.){2,}(?![\w])", say, text)


# -- 9. Roman numerals ------------------------------------------------------------------------

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"


def roman_value(numeral: str) -> int:
    total = 0
    for ch, nxt in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt != " " and _ROMAN_VALUES[nxt] > value else value
    return total


@lru_cache(maxsize=None)
def _roman_patterns() -> tuple[re.Pattern, dict[str, str], re.Pattern]:
    contexts = {words: style for words, style in load_rows("roman_cardinal_after.tsv")}
    cardinal = re.compile(rf"\b(?P<ctx>{alternation(contexts)})\s+(?P<num>{_ROMAN})(?![\w])")
    regnal = re.compile(
        rf"\b(?P<name>{alternation(load_words('regnal_names.txt'))})\s+(?P<num>(?=[IVX])X{{0,3}}(?:IX|IV|V?I{{0,3}}))"
        r"(?P<rest>'s(?![\w])|(?![\w']))"
    )
    return cardinal, contexts, regnal


def _title(words: str) -> str:
    return "-".join(part.capitalize() for part in words.split("-"))


def roman_numerals(text: str) -> str:
    """World War II → World War Two; Henry VIII → Henry the Eighth; Chapter IV → Chapter four.

    Only after a context word or a regnal name: a lone "I" is the pronoun, and
    letters inside words are never touched.
    """
    cardinal, contexts, regnal = _roman_patterns()

    def say_cardinal(m: re.Match) -> str:
        numeral = m.group("num")
        if len(numeral) == 1 and numeral not in "IVX":
            return m.group(0)  # "Class C", "Type L": letters, not numbers
        words = num.cardinal(roman_value(numeral))
        if contexts[m.group("ctx")] == "title":
            words = _title(words)
        return f"{m.group('ctx')} {words}"

    def say_regnal(m: re.Match) -> str:
        numeral = m.group("num")
        if len(numeral) == 1:
            after = text[m.end():].lstrip()
            # "Henry V and ..." / "Elizabeth I." yes; "when Elizabeth I went" no.
            if m.group("rest") != "'s" and after and not re.match(r"[,.;:!?)\"']|(?:of|and)\b", after):
                return m.group(0)
        return f"{m.group('name')} the {_title(num.ordinal(roman_value(numeral)))}{m.group('rest')}"

    text = cardinal.sub(say_cardinal, text)
    return regnal.sub(say_regnal, text)


# -- 10. Designations (model and flight numbers) -----------------------------------------------

@lru_cache(maxsize=None)
def _designation_patterns() -> tuple[re.Pattern, re.Pattern]:
    # BA2490, MH370, A320neo, C-130, ISO9001: capital letters glued (or hyphened)
    # to 3–4 digits are a name, never a quantity.  Two digits read fine as a
    # number already (F-35 → F thirty-five), so they are left to later rules.
    code = re.compile(r"(?<![\w.,/-])(?P<letters>[A-Z]{1,3})-?(?P<digits>\d{3,4})(?P<suffix>[a-z]{0,3})(?![\w]|[.,]\d)")
    makers = alternation(load_words("model_makers.txt"))
    model = re.compile(rf"\b(?P<maker>{makers})\s+(?P<digits>\d{{3,4}})(?![\w]|[.,]\d|\s*(?:%|percent))")
    return code, model


def designations(text: str) -> str:
    """Flight BA2490 → B A twenty-four ninety; Boeing 737 → Boeing seven thirty-seven."""
    code, model = _designation_patterns()

    def say_code(m: re.Match) -> str:
        suffix = m.group("suffix")
        return f"{m.group('letters')} {num.designation(m.group('digits'))}{' ' + suffix if suffix else ''}"

    text = code.sub(say_code, text)
    return model.sub(lambda m: f"{m.group('maker')} {num.designation(m.group('digits'))}", text)


# -- 11. Dates --------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _month_names() -> dict[str, str]:
    """Every written form → the full month name."""
    words = load_words("months.txt")
    full = words[:12]
    out = {m: m for m in full}
    for short in words[12:]:
        out[short] = next(m for m in full if m.startswith(short[:3]))
    return out


_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d|[:.,]\d)"


@lru_cache(maxsize=None)
def _date_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    months = alternation(_month_names())
    to = r"(?:\s?[-–]\s?|\s+(?:to|through|until)\s+)"
    month_day = re.compile(
        rf"\b(?P<month>{months})\s+(?P<d1>{_DAY})"
        rf"(?:(?P<to>{to})(?:(?P<month2>{months})\s+)?(?P<d2>{_DAY}))?"
        rf"(?:(?P<sep>,?\s+)(?P<year>\d{{4}})(?![\w]|[.,]\d))?"
    )
    day_month = re.compile(
        rf"(?<![\w.,])(?P<the>[Tt]he\s+)?(?P<d1>{_DAY})(?:\s?[-–]\s?(?P<d2>{_DAY}))?\s+(?:of\s+)?"
        rf"(?P<month>{months})\b(?:(?P<sep>,?\s+)(?P<year>\d{{4}})(?![\w]|[.,]\d))?"
    )
    iso = re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<mo>\d{2})-(?P<day>\d{2})(?![\w-]|[.,]\d)")
    return month_day, day_month, iso


def _day_words(day: str) -> str | None:
    n = int(re.match(r"\d+", day).group(0))
    return num.ordinal(n) if 1 <= n <= 31 else None


def _date_year(m: re.Match, text: str) -> str:
    """", twenty twenty" for a year that belongs to the date, else ""."""
    if not m.group("year") or _is_count_context(text, m.end(), ""):
        return ""
    return f"{m.group('sep')}{num.year(int(m.group('year')))}"


def _date_end(m: re.Match) -> int:
    return m.end() if m.group("year") else (m.start("year") if m.group("sep") else m.end())


# Regions that write dates month first (3/4/2025 is March 4th there); elsewhere
# English writes the day first (3/4/2025 is the 3rd of April).
MONTH_FIRST_REGIONS = frozenset({"", "us", "ph", "ca", "fm", "mh", "pw"})


def day_first(lang: str) -> bool:
    """Whether an all-numeric date in ``lang`` ("en-GB", "en-US", "en") puts the day first."""
    parts = lang.lower().replace("_", "-").split("-")
    region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    return region not in MONTH_FIRST_REGIONS


def slash_dates(text: str, day_first: bool = False) -> str:
    """12/25/2024 → December twenty-fifth, twenty twenty-four.

    A part over 12 settles the order; otherwise the language's convention
    does (``day_first``).  Two-digit years are 20xx below 50, else 19xx.
    Anything that cannot be a date (13/13/2020) is left alone.
    """
    pattern = re.compile(r"(?<![\w/.,-])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|[.,]\d)")
    names = list(_month_names())[:12]

    def say(m: re.Match) -> str:
        a, b, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            day, month = b, a
        elif a <= 12 and b <= 12:
            day, month = (a, b) if day_first else (b, a)
        else:
            return m.group(0)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        year = int(y) if len(y) == 4 else (2000 + int(y) if int(y) < 50 else 1900 + int(y))
        return f"{names[month - 1]} {num.ordinal(day)}, {num.year(year)}"

    return pattern.sub(say, text)


def season_years(text: str) -> str:
    """2025/26 (a season, a financial year) → twenty twenty-five to twenty twenty-six,
    as the ranges rule reads 2025-26."""
    def say(m: re.Match) -> str:
        first, second = int(m.group(1)), int(m.group(2))
        if second != (first + 1) % 100:
            return m.group(0)
        return f"{num.year(first)} to {num.year(first + 1)}"

    return re.sub(r"(?<![\w/.,-])(\d{4})/(\d{2})(?![\w/]|[.,]\d)", say, text)


def dates(text: str) -> str:
    """August 15, 2020 → August fifteenth, twenty twenty; 15 August → the fifteenth of August."""
    month_day, day_month, iso = _date_patterns()
    names = _month_names()

    def say_month_day(m: re.Match) -> str:
        d1, d2 = _day_words(m.group("d1")), m.group("d2") and _day_words(m.group("d2"))
        if d1 is None or (m.group("d2") and d2 is None):
            return m.group(0)
        words = f"{names[m.group('month')]} {d1}"
        if d2:
            words += f" to {names[m.group('month2')] + ' ' if m.group('month2') else ''}{d2}"
        year = _date_year(m, text)
        rest = "" if year or not m.group("year") else m.group(0)[m.start("sep") - m.start():]
        return words + (year or rest)

    def say_day_month(m: re.Match) -> str:
        d1, d2 = _day_words(m.group("d1")), m.group("d2") and _day_words(m.group("d2"))
        if d1 is None or (m.group("d2") and d2 is None):
            return m.group(0)
        the = m.group("the") or ""
        words = f"{the or 'the '}{d1}{' to ' + d2 if d2 else ''} of {names[m.group('month')]}"
        if the[:1] == "T" or (not the and m.start() == 0):
            words = words[0].upper() + words[1:]
        year = _date_year(m, text)
        if m.group("year") and not year:
            return words + m.group(0)[m.start("sep") - m.start():]
        if year and not year.startswith(","):
            year = "," + year
        return words + year

    def say_iso(m: re.Match) -> str:
        month, day = int(m.group("mo")), int(m.group("day"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return m.group(0)
        return f"{list(names)[month - 1]} {num.ordinal(day)}, {num.year(int(m.group('year')))}"

    text = iso.sub(say_iso, text)
    text = month_day.sub(say_month_day, text)
    return day_month.sub(say_day_month, text)


# -- 12. Money --------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _currencies() -> dict[str, tuple[str, str, str, str]]:
    return {row[0]: tuple(row[1:5]) for row in load_rows("currencies.tsv")}


@lru_cache(maxsize=None)
def _money_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    currencies = _currencies()
    symbols_ = alternation(k for k in currencies if not k.isalpha())
    codes = alternation(k for k in currencies if k.isalpha())
    magnitudes = load_map("magnitudes.tsv")
    # "$5 bn" and "$5bn", but a lone letter only attached: "$5m", never "$5 m".
    words = alternation(k for k in magnitudes if len(k) > 1)
    short = alternation(k for k in magnitudes if len(k) == 1)
    mag = rf"(?:\s?(?:{words})|(?:{short}))(?![\w])"
    to = r"(?:\s?[-–]\s?|\s+to\s+)"
    amount = rf"(?P<a>{NUM})(?P<m1>{mag})?"
    second = rf"(?:{to}(?P=cur)?\s?(?P<b>{NUM})(?P<m2>{mag})?)?"
    by_symbol = re.compile(rf"(?<![\w$])(?P<neg>-)?(?P<cur>{symbols_})\s?{amount}{second}")
    code_before = re.compile(rf"\b(?P<neg>)(?P<cur>{codes})\s?{amount}{second}(?![\w])")
    code_after = re.compile(
        rf"{NUM_START}(?P<neg>-)?{amount}(?:{to}(?P<b>{NUM})(?P<m2>{mag})?)?\s(?P<cur>{codes})\b"
    )
    return by_symbol, code_before, code_after


def _magnitude(written: str | None) -> str:
    return load_map("magnitudes.tsv")[written.strip()] if written else ""


def _amount(written: str, currency: tuple[str, str, str, str]) -> str:
    """"5.50" → "five dollars and fifty cents"; "1" → "one dollar"."""
    one, many, minor_one, minor_many = currency
    whole, _, fraction = written.replace(",", "").partition(".")
    if len(fraction) > 2:
        return f"{num.decimal(written)} {many}"
    units, cents = int(whole or 0), int(fraction.ljust(2, "0")) if fraction else 0
    parts = []
    if units or not cents:
        parts.append(f"{num.cardinal(units)} {one if units == 1 else many}")
    if cents:
        parts.append(f"{num.cardinal(cents)} {minor_one if cents == 1 else minor_many}")
    return " and ".join(parts)


def _adjectival(m: re.Match) -> bool:
    """"a $5 fee", "an 80 km stretch": the amount describes the noun after it."""
    return _prev_word(m.string, m.start()).lower() in ("a", "an") and bool(re.match(r"\s+[a-z]", m.string[m.end():]))


def _say_money(m: re.Match) -> str:
    currency = _currencies()[m.group("cur")]
    sign = "minus " if m.group("neg") else ""
    a, m1, b, m2 = m.group("a"), m.group("m1"), m.group("b"), m.group("m2")
    if b is None:
        name = currency[0] if _adjectival(m) and "." not in a else currency[1]
        if m1:
            return f"{sign}{num.number(a)} {_magnitude(m1)} {name}"
        if _adjectival(m) and "." not in a:
            return f"{sign}{num.number(a)} {name}"  # "a five dollar fee"
        return sign + _amount(a, currency)
    first = num.number(a) + (f" {_magnitude(m1)}" if m1 else "")
    second = num.number(b) + (f" {_magnitude(m2)}" if m2 else "")
    return f"{sign}{first} to {second} {currency[1]}"


def money(text: str) -> str:
    """$1.2 million → one point two million dollars (never "dollar one million")."""
    for pattern in _money_patterns():
        text = pattern.sub(_say_money, text)
    return text


# -- 13. Percentages, units, fractions -------------------------------------------------------

def percentages(text: str) -> str:
    """45% → 45 percent (the number itself is read by the number rules)."""
    text = re.sub(r"(?<=\d)\s?%", " percent", text)
    text = re.sub(r"\bper cent\b", "percent", text)
    return text.replace("%", " percent")


@lru_cache(maxsize=None)
def _unit_patterns() -> tuple[re.Pattern, dict[str, tuple[str, str]], re.Pattern, set[str]]:
    units = {row[0]: (row[1], row[2]) for row in load_rows("units.tsv")}
    symbol = re.compile(
        rf"{NUM_START}(?P<neg>-)?(?P<a>{NUM})(?:(?P<to>\s?[-–]\s?|\s+to\s+)(?P<b>{NUM}))?"
        rf"(?P<join>\s?|-)(?P<unit>{alternation(units)})(?![\w])"
    )
    plurals = {plural for _, plural in load_rows("unit_words.tsv")}
    written = re.compile(rf"{NUM_START}(?P<a>{NUM})-(?P<unit>{alternation(plurals)})\b")
    return symbol, units, written, plurals


def units(text: str) -> str:
    """10 km → ten kilometers; a 10-km race → a ten-kilometer race; 30°C → thirty degrees Celsius."""
    symbol, table, written, _ = _unit_patterns()

    def say(m: re.Match) -> str:
        one, many = table[m.group("unit")]
        amount = ("minus " if m.group("neg") else "") + num.number(m.group("a"))
        if m.group("unit") == "m" and not m.group("join") and _is_count_context(text, m.end(), ""):
            one = many = "million"  # "1.5m people": a count, not a length
        if m.group("b"):
            return f"{amount} to {num.number(m.group('b'))} {many}"
        if m.group("join") == "-":
            return f"{amount}-{one}"  # compound adjective: "a ten-kilometer race"
        if _adjectival(m):
            return f"{amount} {one}"  # also adjectival: "a one hundred meter sprint"
        return f"{amount} {one if m.group('a') == '1' and not m.group('neg') else many}"

    text = re.sub(r"(?<![\w.,])(\d)'\s?(\d{1,2})\"", lambda m: f"{m.group(1)} foot {m.group(2)}", text)  # 6'2"
    text = symbol.sub(say, text)
    return written.sub(lambda m: f"{m.group('a')} {m.group('unit')}", text)


def fractions(text: str) -> str:
    table = load_map("fractions.tsv")
    pattern = re.compile(rf"(?<![\w/.,])(?P<whole>\d+\s+)?(?P<frac>{alternation(table)})(?![\w/]|[.,]\d)")

    def say(m: re.Match) -> str:
        whole = m.group("whole")
        spoken = table[m.group("frac")]
        return f"{whole.strip()} and {spoken}" if whole else spoken

    return pattern.sub(say, text)


def ratios(text: str) -> str:
    """What fractions and dates left of "a/b": 4/5 stars → four out of five; photo 2/8 → two out of eight."""
    return re.sub(r"(?<![\w/.,])(\d{1,3})/(\d{1,3})(?![\w/]|[.,]\d)",
                  lambda m: f"{m.group(1)} out of {m.group(2)}", text)


# -- 14. Scores and ranges ---------------------------------------------------------------------

@lru_cache(maxsize=None)
def _score_patterns() -> tuple[re.Pattern, re.Pattern]:
    words = alternation(load_words("score_words.txt"))
    filler = r"(?:(?:the|a|an|by|game|match|it|them|him|her|us|was|were|is|at)\s+)*"
    after_verb = re.compile(
        rf"\b(?P<w>(?i:{words}))\s+{filler}(?P<a>\d{{1,3}})\s?[-–]\s?(?P<b>\d{{1,3}})(?![\w-]|[.,:]\d)"
    )
    before_noun = re.compile(
        rf"(?<![\w.,-])(?P<a>\d{{1,3}})\s?[-–]\s?(?P<b>\d{{1,3}})(?P<w>\s+(?i:{words})\b)"
    )
    return after_verb, before_noun


def scores(text: str) -> str:
    """won 3-1 → won three to one (in sports or vote context, even when descending)."""
    after_verb, before_noun = _score_patterns()

    def score(m: re.Match) -> str:
        return f"{num.cardinal(int(m.group('a')))} to {num.cardinal(int(m.group('b')))}"

    text = after_verb.sub(lambda m: m.group(0)[: m.start("a") - m.start()] + score(m), text)
    return before_noun.sub(lambda m: score(m) + m.group("w"), text)


_RANGE = re.compile(
    rf"{NUM_START}(?P<a>{NUM})(?P<sep>\s?–\s?|-|\s-\s)(?P<b>{NUM})(?![\w]|[.,:/]?\d|-\d)"
)


def _value(written: str) -> float:
    return float(written.replace(",", ""))


def ranges(text: str) -> str:
    """1949–1976 → 1949 to 1976; pages 10-12 → pages 10 to 12; 2005-06 → 2005 to 2006.

    A hyphen makes a range only when the numbers ascend ("737-800" is a model
    number); an en dash always does.
    """
    def say(m: re.Match) -> str:
        a, b = m.group("a"), m.group("b")
        if re.fullmatch(r"1[1-9]\d\d|20\d\d", a) and re.fullmatch(r"\d\d", b) and int(b) > int(a) % 100:
            b = str(int(a) // 100 * 100 + int(b))  # 2005-06: a season or term
        if "–" not in m.group("sep") and _value(b) <= _value(a):
            return m.group(0)
        return f"{a} to {b}"

    return _RANGE.sub(say, text)


# -- 15. Decades and years ---------------------------------------------------------------------

def decades(text: str) -> str:
    """the 1990s → the nineteen nineties; '90s → nineties; the 80s → the eighties."""
    def full(m: re.Match) -> str:
        return num.decade(int(m.group(1)))

    def short(m: re.Match) -> str:
        n = int(m.group(1))
        if n == 0:
            return "two thousands"
        return num.plural_word(num.cardinal(n))

    text = re.sub(r"(?<![\w'.,])(\d{3}0)s\b", full, text)
    # "the 1990's" is a decade; "in 2020's election" a possessive year.
    def apostrophe(m: re.Match) -> str:
        before = text[: m.start()]
        if re.search(r"(?:\b(?:the|early|late|mid)\s+|\bmid-)$", before, flags=re.I):
            return num.decade(int(m.group(1)))
        return m.group(0)

    text = re.sub(r"(?<![\w'.,])(\d{3}0)'s\b", apostrophe, text)
    text = re.sub(r"(?<![\w.,])'(\d0)s\b", short, text)
    text = re.sub(r"(?<![\w'.,])([1-9]0)'?s\b", short, text)
    return re.sub(r"(?<![\w'.,])(100|1000)s\b", lambda m: num.plural_word(num.cardinal(int(m.group(1)))[4:]), text)


def _is_count_context(text: str, end: int, preceding: str) -> bool:
    """Is the number ending at ``end`` a count of the noun after it ("1949 people")?"""
    if preceding.lower().strip("\"'(,") in load_words("year_words.txt") or preceding in _month_names():
        return False
    following = _next_word(text, end).rstrip(".,;:!?\"')")
    if not following or not following[0].islower():
        return False
    if following in load_words("counted_nouns.txt"):
        return True
    return len(following) > 2 and following.endswith("s") and not following.endswith("ss") \
        and following not in load_words("not_plurals.txt")


_YEAR = re.compile(r"(?<![\w.,:/$€£])(?P<y>\d{4})(?![\w]|[.,:/]\d|-\d)")


def years(text: str) -> str:
    """1949 → nineteen forty-nine, 2005 → two thousand five, unless it counts something."""
    def say(m: re.Match) -> str:
        n = int(m.group("y"))
        if m.start() > 1 and text[m.start() - 1] == "-" and text[m.start() - 2].isdigit():
            return m.group(0)
        preceding = _prev_word(text, m.start())
        in_year_context = preceding.lower() in load_words("year_words.txt")
        if not (1100 <= n <= 2099 or (1000 <= n < 1100 and in_year_context)):
            return m.group(0)
        if _is_count_context(text, m.end(), preceding):
            return num.cardinal(n)
        return num.year(n)

    return _YEAR.sub(say, text)


# -- 16. Ordinals and plain numbers -------------------------------------------------------------

def ordinals(text: str) -> str:
    """5th → fifth, 21st → twenty-first, 33rd → thirty-third."""
    return re.sub(
        r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)(?![\w])",
        lambda m: num.ordinal(int(m.group(1).replace(",", ""))),
        text,
    )


def numbers(text: str) -> str:
    """Whatever digits are left: 7,000 → seven thousand, 9.5 → nine point five, -3 → minus three."""
    text = re.sub(r"(?<=[A-Za-z])-(?=\d)", " ", text)  # COVID-19 → COVID 19
    text = re.sub(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", text)  # MP3 → MP 3, 5G → 5 G
    text = re.sub(r"(?<=\d)[-–](?=\d)", " ", text)  # 737-800: two numbers, not a range
    text = re.sub(r"(?:(?<=^)|(?<=[\s(\"]))-(?=\d)", "minus ", text)
    text = re.sub(r"(?<![\w.])\.(\d+)(?![\w])", lambda m: "point " + num.digits(m.group(1)), text)
    return re.sub(rf"(?<![\w]){NUM}(?![\d])", lambda m: num.number(m.group(0)), text)


# -- 17. Acronyms ----------------------------------------------------------------------------

def acronyms(text: str, spell_unknown: bool = True) -> str:
    """FBI → F B I, NATO stays a word, CEC's → C E C's, unknown 2–4 letters spelled."""
    replacements = load_map("acronym_replacements.tsv")
    text = re.sub(rf"(?<![\w]){'(?:' + alternation(replacements) + ')'}(?![\w])", lambda m: replacements[m.group(0)], text)
    spoken = set(load_words("acronyms_spoken.txt"))
    spelled = set(load_words("acronyms_spelled.txt"))
    emphasis = set(load_words("caps_words.txt"))

    def say(m: re.Match) -> str:
        token, suffix = m.group("tok"), m.group("suf") or ""
        if token in emphasis:
            return m.group(0).lower()
        if token in spoken or re.fullmatch(_ROMAN, token):
            return m.group(0)
        if token in spelled or (spell_unknown and len(token) <= 4):
            return " ".join(token) + ("'s" if suffix else "")
        return m.group(0)

    return re.sub(r"(?<![\w'])(?P<tok>[A-Z]{2,})(?P<suf>'s|s)?(?![\w])", say, text)


# -- 18. Punctuation and spacing ------------------------------------------------------------------

def punctuation(text: str) -> str:
    """Ellipses, dashes, brackets and quotes become pauses or nothing; spacing tidied."""
    text = re.sub(r"\s*\.{3,}[\s\"']*$", ".", text)  # final ellipsis: a full stop
    text = re.sub(r"^\s*\.{3,}\s*", "", text)
    text = re.sub(r"\s*\.{3,}\s*", ", ", text)
    text = re.sub(r"^\s*[-–—]+\s*", "", text)  # "-With additional reporting ..."
    text = re.sub(r"\s*—\s*|\s+[-–]\s+", ", ", text)
    text = text.replace("–", "-")
    text = re.sub(r"\s*[()\[\]{}]\s*", ", ", text)
    text = text.replace('"', " ")
    text = re.sub(r"\band/or\b", "and or", text)
    # "Dario Venn/The Post", "Ledger / Sam Oduya" (photo credits): a pause, not "slash".
    text = re.sub(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])", ", ", text)
    text = re.sub(r"[$€£¥₽₹₴₩₺₪#@]", " ", text)  # symbols no amount or address claimed
    text = re.sub(r"(?<![\w])'(?=\w)|(?<=[^\Ws])'(?![\w])", "", text)  # quote marks, not apostrophes
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"([.!?])\s*,", r"\1", text)
    text = re.sub(r"^[\s,;:.]+|[\s,;:]+$", "", text)
    return " ".join(text.split())


# -- the order ------------------------------------------------------------------------------------

def rules_for(lang: str = "en", options: NormalizeOptions | None = None) -> tuple[Rule, ...]:
    """The ordered rules for ``lang``.  Only English is spoken in full; other
    languages get the language-neutral cleanup (their engines read their own
    numbers, and English words like "dot" would be wrong there)."""
    options = options or NormalizeOptions()
    if not lang.lower().startswith("en"):
        return (
            unicode_cleanup, drop_references, partial(emails, mode="drop"),
            partial(urls, mode="drop"), punctuation,
        )
    return (
        unicode_cleanup,
        drop_references,
        partial(emails, mode=options.emails),
        partial(urls, mode=options.urls),
        hashtags_and_handles,
        phone_numbers,
        shouting,
        times,
        abbreviations,
        dotted_acronyms,
        symbols,
        roman_numerals,
        designations,
        partial(slash_dates, day_first=day_first(lang)),
        season_years,
        dates,
        money,
        percentages,
        units,
        fractions,
        ratios,
        scores,
        ranges,
        decades,
        years,
        ordinals,
        numbers,
        partial(acronyms, spell_unknown=options.spell_unknown_acronyms),
        punctuation,
    )
