"""Model stage: turn a reader's draft into the typed :class:`Article`.

The same for every input format: sections from subheadings (levels made
relative), sentences split, the alt-text policy applied, ids assigned.
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .errors import InputError
from .ids import IdMaker, article_id, slugify
from .model import (
    Article, Block, Credit, Figure, ListBlock, Paragraph, Quote, Section, Sentence, Table,
    TableCell,
)
from .read.alt import choose_alt
from .read.draft import DraftArticle, DraftBlock
from .read.text import title_from_path
from .text.sentences import split_sentences

# C0/C1 control characters (other than whitespace, folded below) and bidi
# overrides carry no words; left in, they reach titles, pages and feeds.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e]")


def clean(text: str | None) -> str:
    return " ".join(_CONTROL.sub("", text or "").split())


class _Builder:
    def __init__(self, language: str) -> None:
        self.ids = IdMaker()
        self.language = language

    def sentence(self, text: str, lang: str | None = None) -> Sentence:
        text = clean(text)
        return Sentence(self.ids.make("s", text), text, self._lang(lang))

    def paragraph(self, text: str, lang: str | None = None) -> Paragraph:
        text = clean(text)
        lang = self._lang(lang)
        sentences = tuple(Sentence(self.ids.make("s", s), s, None) for s in split_sentences(text))
        return Paragraph(self.ids.make("p", text), sentences, lang)

    def _lang(self, lang: str | None) -> str | None:
        if not lang:
            return None
        primary = lang.split("-")[0].lower()
        return None if primary == self.language.split("-")[0].lower() else lang

    def block(self, draft: DraftBlock) -> Block | None:
        kind = draft.kind
        if kind == "paragraph":
            return self.paragraph(draft.text, draft.lang) if clean(draft.text) else None
        if kind == "quote":
            parts = [p for p in re.split(r"\n\s*\n", draft.text) if clean(p)]
            if not parts:
                return None
            paragraphs = tuple(self.paragraph(p, draft.lang) for p in parts)
            return Quote(
                self.ids.make("q", draft.text), paragraphs, draft.quote_kind,
                clean(draft.attribution) or None, draft.cite, False, self._lang(draft.lang),
            )
        if kind == "list":
            items = tuple(self.paragraph(i, draft.lang) for i in draft.items if clean(i))
            if not items:
                return None
            return ListBlock(self.ids.make("l", " ".join(draft.items)), items, draft.ordered)
        if kind == "table":
            rows = _rectangular(tuple(
                tuple(_cell(text, header, r, c, draft.spans.get((r, c), (1, 1))) for c, (text, header) in enumerate(row))
                for r, row in enumerate(draft.rows) if row
            ))
            if not rows:
                return None
            flat = " ".join(cell.text for row in rows for cell in row)
            return Table(self.ids.make("t", flat), rows, clean(draft.caption) or None)
        if kind == "figure":
            caption_text = clean(draft.caption)
            alt, reason = choose_alt(draft.alt, caption_text, draft.src)
            caption = self.paragraph(caption_text, draft.lang) if caption_text else None
            key = f"{draft.src or ''} {caption_text}"
            return Figure(self.ids.make("f", key), draft.src, alt, reason, caption, clean(draft.credit) or None)
        if kind == "credit":
            text = clean(draft.text)
            return Credit(self.ids.make("c", text), self.paragraph(text), draft.credit_kind) if text else None
        raise ValueError(f"unknown draft block kind {kind!r}")


_BYLINE_PREFIX = re.compile(r"^(?:by|written by|words by|story by)\s*:?\s+(?=\S)", re.I)


def byline_names(byline: str | None) -> str | None:
    """The byline as names only ("By Jane Doe" → "Jane Doe"), whatever the reader found.

    Readers see bylines with and without the word "By"; the model keeps the
    names, which is what the feed's author field and the page's byline need.
    """
    text = _BYLINE_PREFIX.sub("", clean(byline))
    return text or None


def _rectangular(rows: tuple[tuple[TableCell, ...], ...]) -> tuple[tuple[TableCell, ...], ...]:
    """Every row as wide as the widest: rows of unequal length put cells under the wrong
    column header for a screen reader.  Empty cells at a row's end are dropped first (a
    template's extra column), then short rows are padded with empty cells.  A table with
    spanning cells is left as its source laid it out: its rows differ in length by design."""
    if any(c.colspan > 1 or c.rowspan > 1 for row in rows for c in row):
        return rows
    trimmed = []
    for row in rows:
        cells = list(row)
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            trimmed.append(cells)
    width = max((len(row) for row in trimmed), default=0)
    return tuple(tuple(row + [TableCell("")] * (width - len(row))) for row in trimmed)


def _cell(text: str, header: bool, row: int, col: int, spans: tuple[int, int]) -> TableCell:
    # An empty header cell (a table's corner) heads nothing: it is written as an empty data cell.
    header = header and bool(clean(text))
    return TableCell(clean(text), header, _scope(header, row, col), *spans)


def _scope(header: bool, row: int, col: int):
    if not header:
        return None
    return "col" if row == 0 else "row"


def _words_of(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _mark_repeated_pull_quotes(sections: list[Section]) -> list[Section]:
    """Pull quotes repeating body text (anywhere in the story: a pull quote often
    sits a section away from its sentence) are shown but not read twice."""
    body_words = _words_of(" ".join(b.text for s in sections for b in s.blocks if isinstance(b, Paragraph)))
    out: list[Section] = []
    for section in sections:
        blocks = []
        for b in section.blocks:
            if isinstance(b, Quote) and b.kind == "pull":
                words = _words_of(" ".join(p.text for p in b.paragraphs))
                if words and words in body_words:
                    b = replace(b, repeats_body=True)
            blocks.append(b)
        out.append(replace(section, blocks=tuple(blocks)))
    return out


# Bounds on what one article may hold: beyond them a page is a gallery, a dump or
# an attack, and would cost minutes of narration and megabytes of output.
MAX_FIGURES = 200
MAX_BLOCKS = 5000


def build_article(draft: DraftArticle, source: str | Path | None = None) -> Article:
    figures = sum(1 for d in draft.blocks if d.kind == "figure")
    if figures > MAX_FIGURES:
        raise InputError(f"{figures} images; an article may have at most {MAX_FIGURES}", str(source) if source else None)
    if len(draft.blocks) > MAX_BLOCKS:
        raise InputError(f"{len(draft.blocks)} blocks of text; an article may have at most {MAX_BLOCKS}",
                         str(source) if source else None)
    language = (draft.language or "en").strip() or "en"
    b = _Builder(language)
    # A title made only of control characters is empty once cleaned: the file's
    # name stands in, as it does for a text file with no title line.
    title = clean(draft.title) or clean(title_from_path(str(source or "")))
    title_sentence = b.sentence(title)
    dek = clean(draft.dek) or None
    dek_sentence = b.sentence(dek) if dek else None

    heading_levels = sorted({d.level for d in draft.blocks if d.kind == "heading" and clean(d.text)})
    relative = {lvl: min(i + 2, 6) for i, lvl in enumerate(heading_levels)}

    sections: list[Section] = []
    current_heading: DraftBlock | None = None
    current_blocks: list[Block] = []

    def close() -> None:
        blocks = current_blocks
        if current_heading is None:
            if blocks:
                sections.append(Section(b.ids.make_readable("sec", "lead"), None, 2, tuple(blocks)))
            return
        text = clean(current_heading.text)
        sections.append(Section(
            b.ids.make_readable("sec", text), text, relative[current_heading.level], tuple(blocks),
            b.sentence(text, current_heading.lang),
        ))

    for d in draft.blocks:
        if d.kind == "heading":
            if not clean(d.text):
                continue
            close()
            current_heading, current_blocks = d, []
            continue
        block = b.block(d)
        if block is not None:
            current_blocks.append(block)
    close()
    sections = _mark_repeated_pull_quotes(sections)

    # Never skip a level: a heading is at most one deeper than the heading before it
    # (the untitled lead has no heading, so it does not count; the headline is level 1).
    # Headings at the same source level as one that was raised are raised alike, so
    # siblings stay siblings; a shallower heading ends that.
    fixed: list[Section] = []
    prev, raised = 1, {}
    for s in sections:
        if not s.heading:
            fixed.append(Section(s.id, s.heading, 2, s.blocks, s.heading_sentence))
            continue
        raised = {source: level for source, level in raised.items() if source <= s.level}
        level = raised.get(s.level, min(s.level, prev + 1))
        raised[s.level] = level
        fixed.append(Section(s.id, s.heading, level, s.blocks, s.heading_sentence))
        prev = level

    return Article(
        id=article_id(draft.identity),
        slug=slugify(draft.slug or title),
        title=title,
        sections=tuple(fixed),
        language=language,
        dek=dek,
        byline=byline_names(draft.byline),
        dateline=clean(draft.dateline) or None,
        published=draft.published,
        source=str(source) if source is not None else None,
        url=draft.url,
        site_name=clean(draft.site_name) or None,
        image=draft.image,
        title_sentence=title_sentence,
        dek_sentence=dek_sentence,
        reader=draft.reader,
    )
