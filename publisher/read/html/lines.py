"""Step 7: line rules over the converted blocks (title/dek repeats, bylines, date lines,
promos, chrome headings, tag clouds, press boilerplate, credits, bold subheadings)."""
from __future__ import annotations

import re

from ..chrome import credit_kind, is_boilerplate_line, is_chrome_heading, press_boilerplate_kind
from ..draft import DraftBlock
from .headings import MAX_OPENING_HEADING_WORDS
from .dom import words_key, clean
from .fallback import block_words
from .metadata import PageMeta


_BYLINE_LINE = re.compile(
    r"^(by|por|par|von|di|door|от|автор)\s+\S.{0,100}$|^(written|reported) by\b.{0,100}$", re.I)
_DATE_WORDS = re.compile(
    r"\b(published|updated|posted|publicado|atualizado|em|on|opublikowano|опубликовано|обновлено|"
    r"last (updated|modified)|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|am|pm|gmt|utc|est|edt|bst|cet|mins? read|"
    r"min(ute)?s? ago|hours? ago|\d{1,4})\b", re.I)
# "Priya Venkataraman is a staff writer at Halftone covering …": the author box
# under a story (only ever taken from the story's last lines).
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+ ){1,3}(?:is|was|has been) an? (?:[\w-]+ ){0,3}"
    r"(?:writer|reporter|editor|correspondent|journalist|columnist|contributor|producer)s?\b")
MAX_BIO_WORDS = 60
# A stretch of blocks that repeats an earlier stretch in the same order, and holds a
# large share of the text, is the page holding its story twice (a mobile and a desktop
# copy, the same panel in two tabs): the later copy goes.  Short repeats are the
# author's (a "Price range:" line per product, a recipe's amounts in two units) and stay.
# On the dev pool the copies dropped hold 50-66 % of their page's words and the
# repeats kept at most 9 %: any share between 0.1 and 0.4 draws the same line.
MIN_REPEATED_RUN = 3  # blocks
MIN_REPEATED_SHARE = 0.25  # of the article's words
_DATELINE = re.compile(r"^[A-ZÀ-ÞА-Я][A-ZÀ-ÞА-Я .,'’()/-]{2,60}$")
_QUOTED_LINE = re.compile(r"^\s*[\"“”„«»‘’'].*[\"“”«»‘’'][.!?]?\s*$")
_TAG_WORD = re.compile(r"^[\w'’#&.-]+( [\w'’#&.-]+)?$")


def _is_date_line(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 16:
        return False
    hits = len(_DATE_WORDS.findall(text))
    return hits >= max(2, len(words) // 2) and bool(re.search(r"\d", text))


def _is_byline_line(text: str, meta: PageMeta) -> bool:
    if len(text.split()) > 16:
        return False
    if _BYLINE_LINE.match(text):
        return True
    names = [n for n in meta.authors if n] + ([meta.byline] if meta.byline else [])
    norm = words_key(text)
    return any(n and (words_key(n) == norm) for n in names)


def _same_text(a: str | None, b: str | None) -> bool:
    na, nb = words_key(a), words_key(b)
    return bool(na) and na == nb


def _block_key(b: DraftBlock) -> tuple:
    return (b.kind, words_key(b.text) or "", tuple(b.items), b.src or "",
            tuple(tuple(text for text, _ in row) for row in b.rows))


def _drop_repeated_runs(pairs):
    """Drop every later copy of a stretch of blocks that is a second copy of the story
    (see ``MIN_REPEATED_RUN`` and ``MIN_REPEATED_SHARE``)."""
    keys = [_block_key(b) for b, _ in pairs]
    words = [len(block_words([b])) for b, _ in pairs]
    least_words = MIN_REPEATED_SHARE * sum(words)
    seen: dict[tuple, list[int]] = {}
    keep = [True] * len(pairs)
    i = 0
    while i < len(keys):
        longest = 0
        for j in seen.get(keys[i], ()):
            length = 0
            while i + length < len(keys) and j + length < i and keys[j + length] == keys[i + length]:
                length += 1
            longest = max(longest, length)
        if longest >= MIN_REPEATED_RUN and sum(words[i:i + longest]) >= least_words:
            for k in range(i, i + longest):
                keep[k] = False
            i += longest
            continue
        seen.setdefault(keys[i], []).append(i)
        i += 1
    return [p for p, kept in zip(pairs, keep) if kept]


class _LineRules:
    def __init__(self, meta: PageMeta) -> None:
        self.meta = meta

    def apply(self, blocks: list[DraftBlock], bold: list[bool]) -> tuple[list[DraftBlock], str | None]:
        pairs = list(zip(blocks, bold))
        pairs = [p for p in pairs if not self._is_title_or_dek(p[0])]
        pairs = self._take_opening_dek(pairs)
        pairs, dateline = self._edges(pairs)
        pairs = self._drop_chrome_sections(pairs)
        pairs = [p for p in pairs if not self._is_chrome_line(p[0])]
        pairs = _drop_repeated_runs(pairs)
        pairs = self._drop_tag_cloud(pairs)
        pairs = self._drop_press_boilerplate(pairs)
        out = self._promote_bold_headings(pairs)
        out = self._mark_credits(out)
        out = self._drop_empty_headings(out)
        return out, dateline

    def _is_title_or_dek(self, b: DraftBlock) -> bool:
        if b.kind not in ("heading", "paragraph"):
            return False
        m = self.meta
        return any(_same_text(b.text, t) for t in (m.title, m.h1, m.dek)) or (
            b.kind == "heading" and b.level == 1 and _same_text(b.text, m.title))

    def _take_opening_dek(self, pairs):
        """A long heading above the story's first paragraph is the dek under the headline."""
        if pairs and pairs[0][0].kind == "heading" \
                and len(pairs[0][0].text.split()) > MAX_OPENING_HEADING_WORDS:
            if self.meta.dek is None:
                self.meta.dek = clean(pairs[0][0].text)
            return pairs[1:]
        return pairs

    def _edge_kind(self, b: DraftBlock) -> str | None:
        if b.kind != "paragraph" and b.kind != "heading":
            return None
        text = b.text
        if _is_byline_line(text, self.meta):
            return "byline"
        if _is_date_line(text):
            return "date"
        if b.kind == "paragraph" and _DATELINE.match(text) and len(text.split()) <= 6 and "," in text:
            return "dateline"
        if b.kind == "paragraph" and _AUTHOR_BIO.match(text) and len(text.split()) <= MAX_BIO_WORDS:
            return "bio"
        return None

    def _edges(self, pairs):
        """Bylines, date lines and a standalone dateline at the story's start or end."""
        dateline = None
        start = 0
        while start < len(pairs) and start < 4:
            kind = self._edge_kind(pairs[start][0])
            if kind is None or kind == "bio":
                break
            if kind == "dateline" and dateline is None:
                dateline = clean(pairs[start][0].text)
            elif kind == "byline" and not self.meta.byline:
                self.meta.byline = clean(pairs[start][0].text)
            start += 1
        end = len(pairs)
        while end > start and len(pairs) - end < 3:
            kind = self._edge_kind(pairs[end - 1][0])
            if kind not in ("byline", "date", "bio"):
                break
            end -= 1
        return pairs[start:end], dateline

    @staticmethod
    def _drop_chrome_sections(pairs):
        """A chrome heading in the story's second half ("Recent posts") heads chrome: it and
        what follows it, up to the next heading of its rank or higher, go."""
        out, skipping_level = [], None
        half = len(pairs) // 2
        for i, (b, bold) in enumerate(pairs):
            if b.kind == "heading":
                if skipping_level is not None and b.level <= skipping_level:
                    skipping_level = None
                if skipping_level is None and i >= half and is_chrome_heading(b.text):
                    skipping_level = b.level
            if skipping_level is None:
                out.append((b, bold))
        return out

    def _is_chrome_line(self, b: DraftBlock) -> bool:
        if b.kind == "paragraph":
            return is_boilerplate_line(b.text)
        if b.kind == "heading":
            return is_chrome_heading(b.text)
        if b.kind == "list":
            # A list whose every item is a promo line ("Share on Facebook" …).
            return bool(b.items) and all(is_boilerplate_line(i) for i in b.items)
        return False

    def _drop_tag_cloud(self, pairs):
        """A trailing run of one- or two-word lines is a tag list, not prose."""
        end = len(pairs)
        while end > 0:
            b = pairs[end - 1][0]
            if b.kind == "paragraph" and _TAG_WORD.match(b.text) and not b.text.endswith((".", "!", "?")):
                end -= 1
                continue
            break
        if len(pairs) - end >= 2 or (len(pairs) - end == 1 and end > 0 and len(pairs) > 3):
            return pairs[:end]
        return pairs

    def _drop_press_boilerplate(self, pairs):
        """A press release's closing "About <Company>", contacts, disclaimers (data/press_boilerplate.txt)."""
        for i, (b, is_bold) in enumerate(pairs):
            if i < len(pairs) // 2 or i == 0 or b.kind not in ("heading", "paragraph"):
                continue
            kind = press_boilerplate_kind(b.text, b.kind == "heading" or is_bold)
            if kind in ("heading", "tail"):
                rest = pairs[i + 1:]
                stop = next((j for j, (r, rb) in enumerate(rest) if r.kind == "heading" or rb), len(rest))
                return self._drop_press_boilerplate(pairs[:i] + rest[stop:]) if stop < len(rest) \
                    else self._drop_press_lines(pairs[:i])
        return self._drop_press_lines(pairs)

    @staticmethod
    def _drop_press_lines(pairs):
        last = [i for i, (b, _) in enumerate(pairs) if b.kind == "paragraph"][-3:]
        return [p for i, p in enumerate(pairs)
                if not (i in last and i > 0 and press_boilerplate_kind(p[0].text, p[1]) == "line")]

    def _promote_bold_headings(self, pairs) -> list[DraftBlock]:
        if any(b.kind == "heading" for b, _ in pairs):
            # An author whose CMS gives heading markup uses it for subheadings;
            # bold lines beside real headings are something else (interview
            # questions, lead-ins, labels).
            return [b for b, _ in pairs]
        out: list[DraftBlock] = []
        for i, (b, is_bold) in enumerate(pairs):
            nxt = pairs[i + 1] if i + 1 < len(pairs) else None
            if (is_bold and b.kind == "paragraph" and 0 < i and nxt is not None
                    and nxt[0].kind in ("paragraph", "list", "quote", "table") and not nxt[1]
                    and self._looks_like_heading(b.text)):
                out.append(DraftBlock("heading", text=b.text, level=2, lang=b.lang))
            else:
                out.append(b)
        return out

    @staticmethod
    def _looks_like_heading(text: str) -> bool:
        words = text.split()
        if not 1 <= len(words) <= 14:
            return False
        if text.rstrip().endswith((".", ",", ";")) and not text.rstrip().endswith("..."):
            return False
        if _QUOTED_LINE.match(text):
            return False  # a quotation set in bold, not a section title
        return not _BYLINE_LINE.match(text) and not re.match(r"^[—–―-]", text) and not re.match(
            r"^(photo|image|video|watch|listen|read|related|see|credit|source)\b", text, re.I)

    @staticmethod
    def _mark_credits(blocks: list[DraftBlock]) -> list[DraftBlock]:
        out = []
        n = len(blocks)
        for i, b in enumerate(blocks):
            kind = credit_kind(b.text) if b.kind == "paragraph" else None
            # Credit lines sit at the start or end of a story; "Source: …" midway is text.
            if kind and (i >= n - 4 or i < 2 or kind in ("editors-note", "correction")):
                out.append(DraftBlock("credit", text=b.text, credit_kind=kind, lang=b.lang))  # type: ignore[arg-type]
            else:
                out.append(b)
        return out

    @staticmethod
    def _drop_empty_headings(blocks: list[DraftBlock]) -> list[DraftBlock]:
        """A heading followed by nothing, or by a heading of its rank or higher, heads nothing."""
        out: list[DraftBlock] = []
        for i, b in enumerate(blocks):
            if b.kind == "heading":
                nxt = next((x for x in blocks[i + 1:] if x.kind != "figure"), None)
                if nxt is None or nxt.kind == "credit" or (nxt.kind == "heading" and nxt.level <= b.level):
                    continue
            out.append(b)
        return out
