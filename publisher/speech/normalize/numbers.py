"""Numbers as English words (mechanism only: no context decisions here).

American style: no "and" inside cardinals ("one hundred twenty-three"),
hyphens between tens and units ("forty-nine").  Which reading a number gets
(year, cardinal, digits, ordinal) is decided by the rules, not here.
"""
from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = (
    (10**18, "quintillion"), (10**15, "quadrillion"), (10**12, "trillion"),
    (10**9, "billion"), (10**6, "million"), (10**3, "thousand"),
)
# Above this a number is read digit by digit (account numbers, not amounts).
MAX_CARDINAL = 10**21 - 1

_ORDINAL_IRREGULAR = {
    "one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
    "nine": "ninth", "twelve": "twelfth",
}


def _under_thousand(n: int) -> str:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(f"{_ONES[hundreds]} hundred")
    if rest:
        if rest < 20:
            words.append(_ONES[rest])
        else:
            tens, ones = divmod(rest, 10)
            words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    return " ".join(words)


def cardinal(n: int) -> str:
    """123 → "one hundred twenty-three"; -5 → "minus five"."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 20:
        return _ONES[n]
    if n > MAX_CARDINAL:
        return digits(str(n))
    words: list[str] = []
    for size, name in _SCALES:
        if n >= size:
            count, n = divmod(n, size)
            words.append(f"{_under_thousand(count)} {name}")
    if n:
        words.append(_under_thousand(n))
    return " ".join(words)


def ordinal_word(words: str) -> str:
    """Turn the last word of a cardinal into its ordinal ("twenty-one" → "twenty-first")."""
    head, sep, last = words.rpartition(" ")
    prefix, hyphen, unit = last.rpartition("-")
    if unit in _ORDINAL_IRREGULAR:
        unit = _ORDINAL_IRREGULAR[unit]
    elif unit.endswith("y"):
        unit = unit[:-1] + "ieth"
    else:
        unit = unit + "th"
    return f"{head}{sep}{prefix}{hyphen}{unit}"


def ordinal(n: int) -> str:
    """21 → "twenty-first"."""
    return ordinal_word(cardinal(n))


def digits(text: str) -> str:
    """"5550143" → "five five five zero one four three" (non-digits are skipped)."""
    return " ".join(_ONES[int(ch)] for ch in text if ch.isdigit())


def decimal(text: str) -> str:
    """"9.5" → "nine point five"; "1,234.05" → "one thousand two hundred thirty-four point zero five"."""
    text = text.replace(",", "")
    negative = text.startswith("-")
    text = text.lstrip("+-")
    whole, _, fraction = text.partition(".")
    words = cardinal(int(whole)) if whole else "zero"
    if fraction:
        words += " point " + digits(fraction)
    return ("minus " + words) if negative else words


def number(text: str) -> str:
    """Any plain numeral as written: separators, decimals, sign, leading zeros."""
    bare = text.replace(",", "").lstrip("+-")
    if "." in bare:
        return decimal(text)
    if len(bare) > 1 and bare.startswith("0"):
        return digits(bare)  # "007", zip codes: said digit by digit
    value = int(bare)
    return cardinal(-value if text.startswith("-") else value)


def year(n: int) -> str:
    """1949 → "nineteen forty-nine", 2005 → "two thousand five", 2010 → "twenty ten"."""
    if n < 1000 or n > 9999:
        return cardinal(n)
    century, rest = divmod(n, 100)
    if 2000 <= n < 2010:
        return cardinal(n)  # "two thousand five", never "twenty oh five"
    if rest == 0:
        return cardinal(n) if n % 1000 == 0 else f"{cardinal(century)} hundred"
    if rest < 10:
        return f"{cardinal(century)} oh {_ONES[rest]}"
    return f"{cardinal(century)} {cardinal(rest)}"


def plural_word(words: str) -> str:
    """"nineteen ninety" → "nineteen nineties"; "twenty ten" → "twenty tens"."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


def decade(n: int) -> str:
    """1990 → "nineteen nineties", 1900 → "nineteen hundreds", 2000 → "two thousands"."""
    return plural_word(year(n))


def designation(written: str) -> str:
    """Digits of a model or flight number, read the way people say them.

    737 → "seven thirty-seven", 320 → "three twenty", 305 → "three oh five",
    300 → "three hundred", 2490 → "twenty-four ninety", 1000 → "one thousand",
    2005 → "twenty oh five"; a leading zero makes it a digit string.
    """
    if written.startswith("0") or len(written) > 4:
        return digits(written)
    n = int(written)
    if len(written) <= 2:
        return cardinal(n)
    head, rest = divmod(n, 100)
    if rest == 0:
        return cardinal(n)
    tail = f"oh {_ONES[rest]}" if rest < 10 else cardinal(rest)
    return f"{cardinal(head)} {tail}"
