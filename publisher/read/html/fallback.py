"""Which reading of a page to trust: our pipeline's, or the plain extraction's.

Our pipeline (lifting, chrome removal, line rules) beats a plain trafilatura
extraction on most pages, but when it goes wrong it goes wrong wholesale: an
empty body, a fragment of the story, or another text entirely (a listing's
teasers, the footer). A plain extraction of the same page is the floor: where
ours is empty, much shorter than it, or covers little of its text, the page is
read from the plain extraction instead. The decision, with the measured
figures, travels with the article so ``publisher extract --json`` shows it.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..draft import DraftBlock
from .dom import _WORD



@dataclass(frozen=True)
class FallbackRule:
    """Thresholds, checked on pooled figures over aeb-dev + wcxb-dev (bench/extract_pool).

    With these, 414 pages: pooled F1 0.915 -> 0.941, refusals 14 -> 1 (a page
    trafilatura cannot read either), pages > 0.3 F1 below trafilatura 9 -> 0;
    aeb-dev unchanged (every page keeps the pipeline).
    """
    gram: int = 4  # word n-gram size for the overlap measure
    min_length_ratio: float = 0.5  # ours shorter than this share of the plain words: fall back
    min_coverage: float = 0.5  # share of the plain n-grams ours holds, below which: fall back
    # Fewer words than one sentence of news on both readings: an index,
    # a login wall or an error page, not an article.
    min_story_words: int = 12
    # Ours holding this share of all the page's words needs no plain reading to judge it: a
    # plain reading (made of the page's words) could not be twice as long, and could lie
    # outside ours only in the small rest of the page.  On the pool no decision changes at
    # 0.6 (at 0.5 one would) and 303 of 414 pages skip the second extraction.
    trusted_share: float = 0.6


@dataclass(frozen=True)
class ReaderDecision:
    """Which path read the page, and why (measured figures)."""
    path: str  # "pipeline", "plain", or "none" (no story on either reading: the page fails)
    # "agrees", "holds-page" (no plain reading was needed), "pipeline-empty", "pipeline-short",
    # "pipeline-unrelated", "plain-empty", "no-story"
    reason: str
    pipeline_words: int
    plain_words: int | None  # None: the plain reading was not made ("holds-page")
    coverage: float | None  # share of the plain extraction's word n-grams found in ours


def block_words(blocks: list[DraftBlock]) -> list[str]:
    """The lower-cased words of the text-bearing blocks, in reading order."""
    parts: list[str] = []
    for b in blocks:
        if b.kind in ("heading", "paragraph", "quote", "credit"):
            parts.append(b.text)
        elif b.kind == "list":
            parts.extend(b.items)
        elif b.kind == "table":
            parts.extend(text for row in b.rows for text, _ in row)
        # Captions count: our lifting keeps them as figures where a plain
        # extraction leaves them as paragraphs.
        if b.kind in ("figure", "table") and b.caption:
            parts.append(b.caption)
    return _WORD.findall(" ".join(parts).lower())


def _grams(words: list[str], n: int) -> set[tuple[str, ...]]:
    if len(words) < n:
        return {tuple(words)} if words else set()
    return set(zip(*(words[i:] for i in range(n))))


def coverage(ours: list[str], plain: list[str], n: int) -> float:
    """Share of the plain text's word n-grams that our text holds too."""
    plain_grams = _grams(plain, n)
    if not plain_grams:
        return 1.0
    return len(plain_grams & _grams(ours, n)) / len(plain_grams)


def trusted_without_floor(ours: list[str], page_words: int,
                          rule: FallbackRule = FallbackRule()) -> ReaderDecision | None:
    """Keep our reading without making the plain one, when it holds most of the page."""
    if len(ours) >= rule.min_story_words and len(ours) >= rule.trusted_share * page_words:
        return ReaderDecision("pipeline", "holds-page", len(ours), None, None)
    return None


def decide(ours: list[str], plain: list[str], rule: FallbackRule = FallbackRule()) -> ReaderDecision:
    """Pick the path from the two readings' words (pure: figures in, decision out)."""
    cov = round(coverage(ours, plain, rule.gram), 3)

    def made(path: str, reason: str) -> ReaderDecision:
        return ReaderDecision(path, reason, len(ours), len(plain), cov)

    if len(plain) < rule.min_story_words:
        # Too little for the plain reading to judge by: a short page is still ours to read
        # (as before the floor existed); with no words at all it is no story.
        if not ours:
            return made("none", "no-story")
        return made("pipeline", "plain-empty")
    if not ours:
        return made("plain", "pipeline-empty")
    if len(ours) < rule.min_length_ratio * len(plain):
        return made("plain", "pipeline-short")
    if cov < rule.min_coverage:
        return made("plain", "pipeline-unrelated")
    return made("pipeline", "agrees")
