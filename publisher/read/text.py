"""Plain-text article dumps → :class:`DraftArticle`.

A text dump of a news page looks like this (see the project's seed)::

    Accessibility links            <- site chrome, dropped
    Breaking News                  <- site chrome, dropped
    Headline Of The Story          <- the title
    A short standfirst.            <- dek, when byline/date/photo follow it
    By Jane Doe                    <- byline
    August 15, 2020                <- date line → published
    Caption of the photo.          <- printed twice (alt, then caption):
    Caption of the photo.          <-   ONE figure
    CITY (Agency) — First para...  <- dateline split off the first paragraph
    Subheading Line                <- short, no final punctuation
    More paragraphs...
    -With additional reporting...  <- credit line

Lines are read as units (one paragraph each); hard-wrapped files have their
lines joined back into paragraphs first.  Each rule below is a small predicate
over one unit (policy); :func:`read_text` walks the units (mechanism); the
word lists live in ``data/text_*.txt`` and ``data/credit_lines.txt``.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .chrome import credit_kind, data_lines, is_boilerplate_line
from .detect import guess_language
from .draft import DraftArticle, DraftBlock
from .encoding import decode_html
from .mojibake import repair

# -- limits that separate metadata lines from story text -----------------------
MAX_TITLE_WORDS = 30
MAX_DEK_WORDS = 45
MAX_SUBHEADING_WORDS = 12
MAX_SUBHEADING_CHARS = 90
# Chrome, bylines, date lines, headlines and deks are short: longer units are
# story text, and are not split into words again and again to find that out.
MAX_META_CHARS = 400
MAX_SENTENCE_CASE_SUBHEADING_WORDS = 6
MAX_BYLINE_WORDS = 16
MAX_CREDIT_ONLY_WORDS = 7
MAX_SINGLE_CAPTION_WORDS = 40
MAX_CAPTION_WORDS = 80
# Hard-wrapped files: lines no longer than this, most of them nearly full.
MAX_WRAP_WIDTH = 100
MIN_WRAPPED_LINES = 6

_QUOTE_OPENERS = "\"'“‘«„‚"
_TERMINAL = ".!?…:;,"
_SMALL_WORDS = frozenset(
    "a an the and or nor but of to in on at for by with from as vs via into over per than up out off".split()
)
_NAME_CONNECTORS = frozenset("and & of de da do dos das van von der den la le del di du y bin ibn al el st. st".split())


# ------------------------------------------------------------------------------
# Units: one paragraph (or one metadata line) each
# ------------------------------------------------------------------------------
def _normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # Zero-width characters copied from web pages split words invisibly.
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return strip_controls(text).replace("\u00a0", " ").replace("\t", " ")


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """Remove control characters (never text; XML output cannot carry them)."""
    return _CONTROLS.sub(" ", text)


_BULLET = re.compile(r"^(?:[-*•◦▪–]|\d{1,2}[.)])\s+(?=\S)")


def _is_hard_wrapped(lines: list[str]) -> bool:
    """True when the file's lines were broken at a fixed width (email, ``fmt``)."""
    lengths = sorted(len(l) for l in lines if l)
    if len(lengths) < MIN_WRAPPED_LINES:
        return False
    width = lengths[int(len(lengths) * 0.95) - 1]
    if width > MAX_WRAP_WIDTH or width < 40:
        return False
    near_full = sum(1 for n in lengths if n >= 0.7 * width)
    return near_full >= 0.5 * len(lengths)


class Units(list):
    """Paragraph units, remembering which neighbours shared a blank-line block.

    ``together`` holds ``i`` when unit ``i`` and unit ``i + 1`` were separated
    by a single line break only (or the file has no blank lines at all): a
    caption printed twice sits like that, while a paragraph that merely
    repeats the one before sits across a blank line.
    """

    def __init__(self, items=(), together: set[int] | None = None) -> None:
        super().__init__(items)
        self.together: set[int] = set(together or ())


def split_units(text: str) -> Units:
    """Text → paragraph units (blank-line blocks; single lines when not wrapped)."""
    lines = [" ".join(line.split()) for line in _normalize(text).split("\n")]
    wrapped = _is_hard_wrapped(lines)
    width = max((len(l) for l in lines), default=0)
    has_blank_lines = any(not l for l in lines[1:-1]) if len(lines) > 2 else False
    units = Units()
    current: list[str] = []
    current_after_blank = True  # a blank line separates ``current`` from the unit before
    blank_seen = True

    def flush() -> None:
        if current:
            if units and (not current_after_blank or not has_blank_lines):
                units.together.add(len(units) - 1)
            units.append(" ".join(current))
            current.clear()

    for line in lines:
        if not line:
            flush()
            blank_seen = True
            continue
        # In a wrapped file a line continues the paragraph unless it is a
        # list item, repeats the line before, or the line before ended short.
        starts_unit = (
            not wrapped or not current or bool(_BULLET.match(line)) or line == current[-1]
            or len(current[-1]) < 0.6 * width
        )
        if starts_unit:
            flush()
            current_after_blank = blank_seen
        current.append(line)
        blank_seen = False
    flush()
    return units


def _adjacent(units: list[str], i: int) -> bool:
    """Units ``i`` and ``i + 1`` exist and no blank line separates them."""
    if i + 1 >= len(units):
        return False
    together = getattr(units, "together", None)
    return together is None or i in together


def _doubled_at(units: list[str], i: int) -> bool:
    """Unit ``i`` is printed again right below it (image alt, then caption)."""
    return _adjacent(units, i) and units[i + 1] == units[i]


def _undouble(unit: str) -> str | None:
    """``"X X"`` (a caption printed twice on one joined line) → ``"X"``."""
    half = (len(unit) - 1) // 2
    if half >= 10 and unit[half] == " " and unit[:half] == unit[half + 1:]:
        once = unit[:half]
        return once if len(_words(once)) <= MAX_CAPTION_WORDS else None
    return None


# ------------------------------------------------------------------------------
# Rules: one predicate / parser per kind of line
# ------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _line_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?:{p.strip()})", re.I) for p in data_lines(name))


_CHROME_SEPARATOR = re.compile(r"\s*[|·•]\s*")


def is_chrome_line(line: str, before_headline: bool = False) -> bool:
    """A line of site chrome (share buttons, ad slots, navigation…).

    A row of buttons printed on one line ("Share | Tweet | Email") is chrome
    when every part of it is.
    """
    if len(line) > MAX_META_CHARS:
        return False
    text = " ".join(line.split()).strip(" |·•>»›-–—:")
    if not text:
        return True
    parts = [p for p in _CHROME_SEPARATOR.split(text) if p]
    return all(_is_chrome_part(p, before_headline) for p in parts) if len(parts) > 1 else _is_chrome_part(text, before_headline)


def _is_chrome_part(text: str, before_headline: bool) -> bool:
    files = ("text_chrome_lines.txt", "text_chrome_header.txt") if before_headline else ("text_chrome_lines.txt",)
    for name in files:
        if any(rx.fullmatch(text) for rx in _line_patterns(name)):
            return True
    return is_boilerplate_line(text)


def _words(text: str) -> list[str]:
    return text.split()


def _ends_terminal(text: str) -> bool:
    return text.rstrip("\"'”’»)]").endswith(tuple(_TERMINAL)) or text.endswith(tuple(_TERMINAL))


def _is_title_case(text: str) -> bool:
    words = [w.strip("\"'“”‘’()[],") for w in text.split()]
    significant = [w for w in words if w and w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    if not significant:
        return False
    capital = sum(1 for w in significant if w[0].isupper())
    return capital / len(significant) >= 0.75


# -- dates ---------------------------------------------------------------------
@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    names: dict[str, int] = {}
    for line in data_lines("text_months.txt"):
        number, *words = line.split()
        for word in words:
            names[word] = int(number)
    return names


_DATE_LABEL = r"(?:(?:first\s+)?published|posted|updated|last\s+updated|last\s+modified|modified|date)(?:\s+on)?\s*:?\s*"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH_WORD = r"[A-Za-z]{3,9}\.?"
_TIME = (
    r"(?:(?:,|\s+at|\s+-|\s+–|\s+\||\s)\s*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::\d{2})?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?\s*(?P<zone>UTC|GMT|Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5})?)?"
)
_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?", re.I),
    re.compile(_WEEKDAY + r"(?P<mname>" + _MONTH_WORD + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mname>" + _MONTH_WORD + r"),?\s+(?P<year>\d{4})" + _TIME, re.I),
)


def parse_date(text: str) -> str | None:
    """A date (``"August 15, 2020"``, ``"15 Aug 2020"``, ISO) → ISO 8601.

    A date alone gives ``YYYY-MM-DD``; a time is kept only with a known UTC
    offset (a wall-clock time without a zone cannot be written as ISO time).
    """
    match = _match_date(" ".join(str(text).split()), full=False)
    return _iso(match) if match else None


def _match_date(text: str, full: bool) -> re.Match[str] | None:
    for form in _DATE_FORMS:
        m = form.fullmatch(text) if full else form.search(text)
        if m and _iso(m):
            return m
    return None


def _iso(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    if groups.get("mname"):
        month = _months().get(groups["mname"].lower().rstrip("."))
    else:
        month = int(groups["month"])
    year, day = int(groups["year"]), int(groups["day"])
    if not month or not 1800 <= year <= 2200:
        return None
    try:
        date = _dt.date(year, month, day).isoformat()
    except ValueError:  # "February 30"
        return None
    zone = (groups.get("zone") or "").upper()
    if groups.get("hour") is None or not zone:
        return date
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").replace(".", "").replace(" ", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return date
    if zone in ("UTC", "GMT", "Z"):
        offset = "+00:00"
    elif re.fullmatch(r"[+-]\d{2}:?\d{2}", zone):
        offset = zone if ":" in zone else f"{zone[:3]}:{zone[3:]}"
    else:
        return date  # a named zone ("EST", "MSK") we do not resolve
    return f"{date}T{hour:02d}:{minute:02d}:00{offset}"


_DATE_LINE_LABEL = re.compile(r"^" + _DATE_LABEL, re.I)


def parse_date_line(line: str) -> tuple[str, bool] | None:
    """A line that is only a date → ``(iso, is_update)``; else None."""
    text = " ".join(line.split()).strip(" |·•")
    label = _DATE_LINE_LABEL.match(text)
    is_update = bool(label and re.match(r"(?:last\s+)?(?:updated|modified)", label.group(0), re.I))
    body = text[label.end():] if label else text
    m = _match_date(body.strip(), full=True)
    return (_iso(m), is_update) if m else None  # type: ignore[return-value]


# -- bylines -------------------------------------------------------------------
_BYLINE = re.compile(r"^by\s+(?P<names>\S.*)$", re.I)
_META_SEPARATOR = re.compile(r"\s+[|·•]\s+")


def parse_byline(line: str) -> str | None:
    """``"By Jane Doe and John Roe, Reuters"`` → ``"Jane Doe and John Roe, Reuters"``."""
    m = _BYLINE.match(" ".join(line.split()))
    if not m:
        return None
    names = m.group("names").strip()
    if len(_words(names)) > MAX_BYLINE_WORDS or not names[0].isupper():
        return None
    people, _, affiliation = names.partition(",")
    # Every word of the names is capitalised or a connector ("and", "van");
    # "By Tuesday, officials had gathered…" fails here.
    for word in people.split():
        if not (word[0].isupper() or word.lower() in _NAME_CONNECTORS):
            return None
    if names.endswith((".", "!", "?")) and not re.search(r"\b[A-Z]\.$", names):
        return None
    if affiliation and len(_words(affiliation)) > 8:
        return None
    return names


MAX_BARE_BYLINE_WORDS = 6


def _is_bare_byline(units: list[str], i: int, state: "_State") -> bool:
    """A name without "By" above the story, right before its date line ("Tom Roe")."""
    unit = units[i]
    if state.byline or len(unit) > 60 or len(_words(unit)) > MAX_BARE_BYLINE_WORDS or len(_words(unit)) < 2:
        return False
    if re.search(r"\d", unit) or parse_byline(f"By {unit}") != unit:
        return False
    j = _next_content(units, i + 1)
    return j < len(units) and bool(parse_meta_line(units[j])) and parse_meta_line(units[j])[1] is not None


def parse_meta_line(line: str) -> tuple[str | None, tuple[str, bool] | None] | None:
    """A byline and/or date line, possibly several parts joined by ``|``.

    Returns ``(byline, (iso, is_update))`` with either part possibly None, or
    None when the line is not (only) metadata.
    """
    if len(line) > MAX_META_CHARS:
        return None
    byline: str | None = None
    date: tuple[str, bool] | None = None
    for part in _META_SEPARATOR.split(" ".join(line.split())):
        if byline is None and (found := parse_byline(part)):
            byline = found
        elif date is None and (found_date := parse_date_line(part)):
            date = found_date
        elif not is_chrome_line(part):
            return None
    return (byline, date) if byline or date else None


# -- datelines -----------------------------------------------------------------
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁІЎЄЇҐ"
_DATELINE = re.compile(
    rf"""^(?P<dateline>
        [{_UPPER}][{_UPPER}.'’\-]+(?:\s+[{_UPPER}][{_UPPER}.'’\-]*){{0,3}}   # ALL-CAPS place
        (?:,\s*[A-Z][\w.'’]*(?:\s+[\w.'’]+){{0,2}})?                         # ", Maine" / ", Aug 15"
        (?:\s*\([^()\n]{{1,40}}\))?                                           # "(Reuters)"
      | [A-Z][\w.'’\-]+(?:\s+[A-Z][\w.'’\-]+){{0,3}}\s*\([^()\n]{{1,40}}\)  # "Minsk (Reuters)"
    )\s*(?:—|–|--|-|:)\s+(?P<rest>[^\s].*)$""",
    re.X | re.S,
)


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """``"MINSK (Reuters) — Police said…"`` → ``("MINSK (Reuters)", "Police said…")``."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    dateline = m.group("dateline").strip()
    place = dateline.split("(")[0].split(",")[0].strip()
    letters = [c for c in place if c.isalpha()]
    # An all-caps place needs three letters and an agency or a comma part, or
    # an em dash: "FBI - agents" is a sentence, "PARIS —" is a dateline.
    if len(letters) < 3:
        return None, paragraph
    if not place.isupper() and "(" not in dateline:
        return None, paragraph
    separator = paragraph[m.end("dateline"):m.start("rest")].strip()
    if separator in ("-", ":") and "(" not in dateline and "," not in dateline:
        return None, paragraph
    return dateline, m.group("rest").strip()


# -- figures and credits ---------------------------------------------------------
_PHOTO_LINE = re.compile(r"^(?:photo|photograph|image|picture|pictured|illustration|graphic)\s*[:|]\s*(?P<text>\S.*)$", re.I)
_CREDIT_IN_PARENS = re.compile(
    r"\s*\((?P<credit>(?:(?:photo|image|picture|photograph|illustration)(?:\s+by)?\s*:?\s*)?[^()]{2,80})\)\s*$", re.I
)
_CREDIT_SUFFIX = re.compile(
    r"(?:(?<=[.;!?])\s*|\s+)(?:\|\s*)?(?P<label>photo(?:graph)?|image|picture|credit|illustration)\s*(?::|by)\s*(?P<credit>[^.:]{2,80})\.?$",
    re.I,
)
_PHOTO_CREDIT_LINE = re.compile(r"^(?:photos?|images?|pictures?|photographs?)\s+(?:by|courtesy(?:\s+of)?|credit:?)\s+(?P<credit>.+)$", re.I)


def split_caption_credit(caption: str) -> tuple[str, str | None]:
    """``"Caption. Photograph: Jane Doe/Agency"`` → ``("Caption.", "Jane Doe/Agency")``."""
    caption = caption.strip()
    m = _CREDIT_SUFFIX.search(caption)
    if m and m.start() > 0:
        return caption[:m.start()].strip(" |"), m.group("credit").strip()
    m = _CREDIT_IN_PARENS.search(caption)
    if m:
        inner = m.group("credit").strip()
        labelled = re.match(r"(?:photo|image|picture|photograph|illustration)", inner, re.I)
        if labelled or "/" in inner:
            credit = re.sub(r"^(?:photo|image|picture|photograph|illustration)(?:\s+by)?\s*:?\s*", "", inner, flags=re.I)
            return caption[:m.start()].strip(), credit.strip() or None
    return caption, None


def _looks_like_credit_only(text: str) -> bool:
    """``"Jane Doe/Reuters"``: a name, not a sentence describing a picture."""
    words = _words(text)
    if not words or len(words) > MAX_CREDIT_ONLY_WORDS or _ends_terminal(text):
        return False
    if split_caption_credit(text)[1] is not None or re.search(r"[.!?]\s", text):
        return False  # a caption sentence with its own credit
    if "/" in text or re.search(r"\b(via|courtesy|getty|reuters|afp|ap|epa)\b", text, re.I):
        return True
    return all(w[0].isupper() or w.lower() in _NAME_CONNECTORS for w in words)


def _credit_of(line: str) -> str | None:
    """The name in a credit line ("Photograph: Ann Lee/Ledger" → "Ann Lee/Ledger")."""
    m = _PHOTO_LINE.match(line) or _PHOTO_CREDIT_LINE.match(line)
    if not m:
        return None
    return (m.group("text") if "text" in m.groupdict() else m.group("credit")).strip().rstrip(".")


def credit_text(text: str) -> str:
    """A credit line without its leading dash ("-With additional reporting…")."""
    return re.sub(r"^[-–—•*\s]+", "", text).strip()


# -- headings, headlines, deks ----------------------------------------------------
def looks_like_headline(line: str) -> bool:
    if len(line) > MAX_META_CHARS:
        return False
    words = _words(line)
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    # Headlines do not end with a full stop; a long line that does is story text.
    return not (line.endswith(".") and len(words) > 12)


def looks_like_subheading(line: str, next_unit: str | None) -> bool:
    """A short line without final punctuation, followed by story text."""
    if len(line) > MAX_SUBHEADING_CHARS:
        return False
    words = _words(line)
    if not words or len(words) > MAX_SUBHEADING_WORDS or len(line) > MAX_SUBHEADING_CHARS:
        return False
    if line[0] in _QUOTE_OPENERS or not (line[0].isupper() or line[0].isdigit()):
        return False
    stripped = line.rstrip()
    if stripped.endswith(tuple(".,;:!…\"'”’»)")):
        return False
    if not (_is_title_case(line) or len(words) <= MAX_SENTENCE_CASE_SUBHEADING_WORDS):
        return False
    # A heading introduces something: at least one more sentence of text.
    return next_unit is not None and len(_words(next_unit)) >= 8


# ------------------------------------------------------------------------------
# The walk over units
# ------------------------------------------------------------------------------
@dataclass
class _State:
    title: str | None = None
    dek: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None
    updated: str | None = None
    seen_paragraph: bool = False


def _is_metadata(unit: str) -> bool:
    return parse_meta_line(unit) is not None


def _starts_figure(units: list[str], i: int) -> bool:
    unit = units[i]
    return bool(_PHOTO_LINE.match(unit)) or _undouble(unit) is not None or _doubled_at(units, i) or _captioned_credit_at(units, i)


def _captioned_credit_at(units: list[str], i: int) -> bool:
    """A caption printed once, its credit line right below it."""
    return _adjacent(units, i) and _is_credit_line(units[i + 1]) and len(_words(units[i])) <= MAX_SINGLE_CAPTION_WORDS


def _is_credit_line(unit: str) -> bool:
    """"Photograph: Ann Lee/Ledger" or "Photo by Ann Lee": a credit with no caption of its own."""
    m = _PHOTO_LINE.match(unit)
    return bool(m and _looks_like_credit_only(m.group("text").strip())) or bool(_PHOTO_CREDIT_LINE.match(unit))


def _find_headline(units: list[str], state: _State) -> int:
    """Skip chrome (and metadata printed above the headline); return the headline index."""
    i = 0
    while i < len(units):
        unit = units[i]
        if is_chrome_line(unit, before_headline=True):
            i += 1
            continue
        meta = parse_meta_line(unit)
        if meta:
            _apply_meta(state, meta)
            i += 1
            continue
        return i
    return i


def _apply_meta(state: _State, meta: tuple[str | None, tuple[str, bool] | None]) -> None:
    byline, date = meta
    if byline and not state.byline:
        state.byline = byline
    if date:
        iso, is_update = date
        if is_update:
            state.updated = state.updated or iso
        elif not state.published:
            state.published = iso


def _next_content(units: list[str], i: int) -> int:
    """Index of the next unit at or after ``i`` that is not chrome."""
    while i < len(units) and is_chrome_line(units[i]):
        i += 1
    return i


def _is_dek(units: list[str], i: int) -> bool:
    """The unit right after the headline is a dek when metadata or a photo follows it."""
    unit = units[i]
    if len(unit) > MAX_META_CHARS:
        return False
    words = _words(unit)
    if not words or len(words) > MAX_DEK_WORDS or unit[0] in _QUOTE_OPENERS:
        return False
    if _is_metadata(unit) or _starts_figure(units, i) or credit_kind(unit) or split_dateline(unit)[0]:
        return False
    j = _next_content(units, i + 1)
    return j < len(units) and (_is_metadata(units[j]) or _starts_figure(units, j))


class _BlockWriter:
    """Collects draft blocks, merging list items and attaching figure credits."""

    def __init__(self) -> None:
        self.blocks: list[DraftBlock] = []

    @property
    def last(self) -> DraftBlock | None:
        return self.blocks[-1] if self.blocks else None

    def add(self, block: DraftBlock) -> None:
        self.blocks.append(block)

    def figure(self, caption: str | None, alt: str | None = None, credit: str | None = None) -> None:
        if caption:
            caption, found_credit = split_caption_credit(caption)
            credit = credit or found_credit
        self.add(DraftBlock("figure", caption=caption or None, alt=alt, credit=credit))

    def attach_figure_credit(self, credit: str) -> bool:
        """Give the figure just written its credit; False when there is none to take it."""
        last = self.last
        if last is not None and last.kind == "figure" and not last.credit:
            last.credit = credit
            return True
        return False

    def list_item(self, text: str, ordered: bool) -> None:
        last = self.last
        if last is not None and last.kind == "list" and last.ordered == ordered:
            last.items.append(text)
        else:
            self.add(DraftBlock("list", items=[text], ordered=ordered))

    def finish(self) -> list[DraftBlock]:
        # A "list" of one item is a paragraph that happens to start with a dash.
        out = []
        for b in self.blocks:
            if b.kind == "list" and len(b.items) == 1:
                out.append(DraftBlock("paragraph", text=b.items[0]))
            else:
                out.append(b)
        return out


def _body(units: list[str], start: int, state: _State) -> list[DraftBlock]:
    out = _BlockWriter()
    i = start
    while i < len(units):
        unit = units[i]
        following = units[i + 1] if i + 1 < len(units) else None
        i += 1
        if is_chrome_line(unit):
            continue
        # The same line twice: the image's alt text, then its caption.
        if _doubled_at(units, i - 1):
            out.figure(unit, alt=unit)
            i += 1
            continue
        if (once := _undouble(unit)) is not None:
            out.figure(once, alt=once)
            continue
        # A caption printed once, then its credit line.
        if _captioned_credit_at(units, i - 1):
            out.figure(unit, credit=_credit_of(following or ""))
            i += 1
            continue
        # A caption printed as alt, then again as caption with its credit.
        if following is not None and len(unit) >= 20 and following.startswith(unit) and split_caption_credit(following)[1]:
            out.figure(following, alt=unit)
            i += 1
            continue
        if m := _PHOTO_LINE.match(unit):
            text = m.group("text").strip()
            if _looks_like_credit_only(text):
                if not out.attach_figure_credit(text):
                    out.figure(None, credit=text)
            else:
                out.figure(text)
            continue
        if _PHOTO_CREDIT_LINE.match(unit) and out.attach_figure_credit(_credit_of(unit) or ""):
            continue
        if kind := credit_kind(unit):
            out.add(DraftBlock("credit", text=credit_text(unit), credit_kind=kind))  # type: ignore[arg-type]
            continue
        if meta := parse_meta_line(unit):
            _apply_meta(state, meta)
            continue
        if not state.seen_paragraph and _is_bare_byline(units, i - 1, state):
            state.byline = unit
            continue
        if bullet := _BULLET.match(unit):
            out.list_item(unit[bullet.end():], ordered=bullet.group(0).strip()[0].isdigit())
            continue
        if looks_like_subheading(unit, _next_story_unit(units, i)):
            out.add(DraftBlock("heading", text=unit, level=2))
            continue
        if not state.seen_paragraph:
            dateline, unit = split_dateline(unit)
            if dateline:
                state.dateline = dateline
        state.seen_paragraph = True
        out.add(DraftBlock("paragraph", text=unit))
    return out.finish()


def _next_story_unit(units: list[str], i: int) -> str | None:
    j = _next_content(units, i)
    return units[j] if j < len(units) else None


def title_from_path(path: str) -> str:
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"


def read_text(data: bytes | str, path: str) -> DraftArticle:
    """Read one plain-text article dump (see the module docstring)."""
    text = repair(decode_html(data) if isinstance(data, bytes) else data)
    units = split_units(text)
    state = _State()
    i = _find_headline(units, state)
    if i < len(units) and looks_like_headline(units[i]) and not _starts_figure(units, i):
        state.title = units[i]
        i += 1
        j = _next_content(units, i)
        if j < len(units) and _is_dek(units, j):
            state.dek = units[j]
            i = j + 1
    blocks = _body(units, i, state)
    body_text = " ".join(b.text or " ".join(b.items) for b in blocks)
    return DraftArticle(
        title=state.title or title_from_path(path),
        blocks=blocks,
        identity=f"file:{Path(path).stem}",
        dek=state.dek,
        byline=state.byline,
        dateline=state.dateline,
        published=state.published or state.updated,
        language=guess_language(f"{state.title or ''} {body_text}"),
    )
