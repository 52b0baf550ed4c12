"""The one typed article model shared by every stage.

Everything here is a frozen dataclass. Ids derive from content (see
:mod:`publisher.ids`), so reading the same input twice gives the same ids, and
editing one paragraph changes only that paragraph's ids.

Sentence ids are the join key between the page (``<span id>``), the VTT cue
ids, the audio timings and the chapters: :func:`publisher.ids.assign_ids` makes
them; every later stage only carries them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Iterator, Literal, Union


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    lang: str | None = None  # set only where it differs from the article's


@dataclass(frozen=True)
class Paragraph:
    id: str
    sentences: tuple[Sentence, ...]
    lang: str | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


QuoteKind = Literal["block", "pull", "embed"]


@dataclass(frozen=True)
class Quote:
    id: str
    paragraphs: tuple[Paragraph, ...]
    kind: QuoteKind = "block"
    attribution: str | None = None  # who said it / the embed's author
    cite: str | None = None  # source URL, when known and safe
    # A pull quote that repeats body text: shown, never read aloud twice.
    repeats_body: bool = False
    lang: str | None = None


@dataclass(frozen=True)
class ListBlock:
    id: str
    items: tuple[Paragraph, ...]
    ordered: bool = False


@dataclass(frozen=True)
class TableCell:
    text: str
    header: bool = False
    scope: Literal["col", "row"] | None = None
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    id: str
    rows: tuple[tuple[TableCell, ...], ...]
    caption: str | None = None

    @property
    def has_header_row(self) -> bool:
        """The first row names the columns: its cells are headers, or empty (a corner cell)."""
        first = self.rows[0] if self.rows else ()
        return any(c.header for c in first) and all(c.header or not c.text for c in first)


AltReason = Literal["source-alt", "caption-describes", "no-description", "decorative"]


@dataclass(frozen=True)
class Figure:
    id: str
    src: str | None  # image URL or relative path, already checked as safe
    alt: str  # "" when the caption describes the image (see alt_reason)
    alt_reason: AltReason
    caption: Paragraph | None = None
    credit: str | None = None  # photographer / agency, shown in <small>


CreditKind = Literal["reporting", "editors-note", "correction", "credit"]


@dataclass(frozen=True)
class Credit:
    id: str
    paragraph: Paragraph
    kind: CreditKind = "credit"


Block = Union[Paragraph, Quote, ListBlock, Table, Figure, Credit]


@dataclass(frozen=True)
class Section:
    id: str
    heading: str | None  # None for the untitled lead section
    level: int  # 2 for the article's top subheading level, 3 below it, ...
    blocks: tuple[Block, ...]
    heading_sentence: Sentence | None = None  # the heading as a sentence (read aloud)


@dataclass(frozen=True)
class Article:
    id: str  # stable: from canonical URL or the source file's stem, never the title
    slug: str  # safe path component, unique within one output folder
    title: str
    sections: tuple[Section, ...]
    language: str = "en"
    dek: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    source: str | None = None  # input file path (as given)
    url: str | None = None  # canonical URL of the original, when known
    site_name: str | None = None
    image: str | None = None  # lead image URL, when known
    title_sentence: Sentence | None = None
    dek_sentence: Sentence | None = None
    reader: object | None = None  # HTML pages: read.html.fallback.ReaderDecision (which reading was kept, why)

    # -- helpers every stage uses -------------------------------------------------
    def iter_blocks(self) -> Iterator[tuple[Section, Block]]:
        for section in self.sections:
            for block in section.blocks:
                yield section, block

    def section_labels(self) -> dict[str, str]:
        """Each headed section's name, unique in the article (section id → label).

        A review repeats its subheadings under each product ("Our Verdict"): six play
        buttons, download links or podcast chapters of that one name cannot be told apart
        (WCAG 2.4.4 for the links).  A repeated heading takes its parent section's label in
        front ("WinkBed Mattress: Our Verdict"); one still repeated is numbered in reading
        order ("Our Verdict (2)").  A heading used once is its own label.
        """
        counts = Counter(s.heading for s in self.sections if s.heading)
        labels: dict[str, str] = {}
        parents: list[tuple[int, str]] = []  # (level, label) of the open sections above
        for section in self.sections:
            if not section.heading:
                continue
            while parents and parents[-1][0] >= section.level:
                parents.pop()
            repeated = counts[section.heading] > 1 and parents
            labels[section.id] = f"{parents[-1][1]}: {section.heading}" if repeated else section.heading
            parents.append((section.level, labels[section.id]))
        uses = Counter(labels.values())
        seen: Counter = Counter()
        for section_id, label in labels.items():
            if uses[label] > 1:
                seen[label] += 1
                labels[section_id] = f"{label} ({seen[label]})"
        return labels

    def lead_paragraph(self, min_chars: int = 40) -> "Paragraph | None":
        """The first paragraph long enough to stand for the story (summaries, the briefing)."""
        for _, block in self.iter_blocks():
            if isinstance(block, Paragraph) and len(block.text) > min_chars:
                return block
        return None

    def iter_sentences(self) -> Iterator[Sentence]:
        """Every sentence in reading order (title, dek, headings, body)."""
        if self.title_sentence:
            yield self.title_sentence
        if self.dek_sentence:
            yield self.dek_sentence
        for section in self.sections:
            if section.heading_sentence:
                yield section.heading_sentence
            for block in section.blocks:
                yield from block_sentences(block)

    def body_text(self) -> str:
        """Story text only: headings, paragraphs, quotes, lists, tables.

        No headline, byline, dateline, captions, credits or alt text, and no
        pull quote that repeats the body (the ``publisher extract --text``
        contract).
        """
        out: list[str] = []
        for section in self.sections:
            if section.heading:
                out.append(section.heading)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    out.append(block.text)
                elif isinstance(block, Quote) and not block.repeats_body:  # a repeat is said once
                    out.extend(p.text for p in block.paragraphs)
                elif isinstance(block, ListBlock):
                    out.extend(p.text for p in block.items)
                elif isinstance(block, Table):
                    out.extend(" ".join(c.text for c in row) for row in block.rows)
        return "\n\n".join(t for t in out if t.strip())

    def word_count(self) -> int:
        return len(self.body_text().split())


def block_sentences(block: Block) -> Iterator[Sentence]:
    if isinstance(block, Paragraph):
        yield from block.sentences
    elif isinstance(block, Quote):
        for p in block.paragraphs:
            yield from p.sentences
    elif isinstance(block, ListBlock):
        for p in block.items:
            yield from p.sentences
    elif isinstance(block, Figure):
        if block.caption:
            yield from block.caption.sentences
    elif isinstance(block, Credit):
        yield from block.paragraph.sentences


def to_jsonable(obj):
    """Model → plain JSON data, with a ``type`` tag on every block."""
    if is_dataclass(obj):
        data = {"type": type(obj).__name__}
        for f in fields(obj):
            data[f.name] = to_jsonable(getattr(obj, f.name))
        return data
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(x) for x in obj]
    return obj


__all__ = [
    "Sentence", "Paragraph", "Quote", "ListBlock", "TableCell", "Table", "Figure",
    "Credit", "Block", "Section", "Article", "block_sentences", "to_jsonable",
    "asdict", "field",
]
