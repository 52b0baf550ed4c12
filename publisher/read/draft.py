"""What a reader produces: a flat, untyped-id draft of one article.

Readers (text, HTML, Markdown) only find *what* is in the page; they never
make ids, split sentences or decide alt text.  :mod:`publisher.segment` turns a
draft into the typed :class:`publisher.model.Article`, the same way for every
input format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .html.fallback import ReaderDecision

DraftKind = Literal["heading", "paragraph", "quote", "list", "table", "figure", "credit"]


@dataclass
class DraftBlock:
    kind: DraftKind
    text: str = ""  # heading, paragraph, credit text; quote text (paragraphs joined by "\n\n")
    level: int = 2  # headings: the level found in the source (h2=2, "##"=2, ...)
    items: list[str] = field(default_factory=list)  # list items
    ordered: bool = False
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)  # table: (text, is_header)
    # table: (row, column) index into ``rows`` → (colspan, rowspan), for cells spanning more than one
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    caption: str | None = None  # table caption, figure caption
    src: str | None = None  # figure image
    alt: str | None = None  # figure alt exactly as the source gave it (None: no alt attribute)
    credit: str | None = None  # figure credit
    attribution: str | None = None  # quote
    cite: str | None = None  # quote source URL
    quote_kind: Literal["block", "pull", "embed"] = "block"
    credit_kind: Literal["reporting", "editors-note", "correction", "credit"] = "credit"
    lang: str | None = None


@dataclass
class DraftArticle:
    title: str
    blocks: list[DraftBlock]
    identity: str  # key the article id derives from: canonical URL or "file:<stem>"
    dek: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None
    language: str | None = None
    url: str | None = None
    site_name: str | None = None
    image: str | None = None
    slug: str | None = None  # an explicit slug (front matter), else one from the title
    reader: "ReaderDecision | None" = None  # HTML: which reading was kept, and why
