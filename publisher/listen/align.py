"""Align what was heard to what the script says, sentence by sentence, and count errors.

The reference is a list of spans (one per spoken utterance, with its words and
where it sits in the section file); the hypothesis is the recognizer's words
with their times.  One Levenshtein alignment over the whole section finds the
fewest substitutions, deletions and insertions — but a heard word may only
match (or substitute for) a script word whose sentence was playing when the
word was heard (its span, widened by ``tolerance`` seconds for timestamp
jitter).  So the right words at the wrong time (a section holding another
section's audio, sentences in the wrong order) count as errors, and a word
misheard at a sentence boundary still lands in the right sentence.

Heard words inside a span that is not checked (a language the recognizer does
not know) are set aside: they are neither matches nor insertions.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCE_S = 1.0


@dataclass(frozen=True)
class Span:
    """One utterance of the script as the section file plays it."""

    words: tuple[str, ...]
    start: float  # seconds in the section file (decoded timeline)
    end: float
    checked: bool = True


@dataclass(frozen=True)
class HeardWord:
    text: str  # already comparable (see words.comparable_words)
    start: float
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


@dataclass(frozen=True)
class SpanErrors:
    reference: int  # words in the script
    substitutions: int
    deletions: int
    insertions: int
    heard: tuple[HeardWord, ...]  # what was heard for this span, in order

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float | None:
        return self.errors / self.reference if self.reference else None


def _span_at(spans: list[Span], moment: float) -> int:
    """The span playing at ``moment``; between spans, the nearest one."""
    best, best_distance = 0, float("inf")
    for index, span in enumerate(spans):
        distance = 0.0 if span.start <= moment <= span.end else min(abs(moment - span.start), abs(moment - span.end))
        if distance < best_distance:
            best, best_distance = index, distance
    return best


def align(spans: list[Span], heard: list[HeardWord], tolerance: float = TOLERANCE_S) -> list[SpanErrors]:
    """Per span (same order as ``spans``): its word errors and what was heard there."""
    heard = [w for w in heard if spans and spans[_span_at(spans, w.middle)].checked] if spans else list(heard)
    ref = [(index, word) for index, span in enumerate(spans) if span.checked for word in span.words]
    n, m = len(ref), len(heard)
    middles = np.array([w.middle for w in heard], dtype=np.float64)
    ref_ids, hyp_ids = _word_ids([word for _, word in ref], [w.text for w in heard])
    # cost[i, j]: fewest edits turning the first j heard words into the first i script words.
    cost = np.empty((n + 1, m + 1), dtype=np.int32)
    cost[0] = np.arange(m + 1)
    offsets = np.arange(m + 1)
    for i in range(1, n + 1):
        span = spans[ref[i - 1][0]]
        allowed = (middles >= span.start - tolerance) & (middles <= span.end + tolerance)
        diagonal = cost[i - 1, :-1] + (hyp_ids != ref_ids[i - 1])
        candidates = cost[i - 1] + 1  # deletion of script word i
        candidates[1:] = np.minimum(candidates[1:], np.where(allowed, diagonal, np.iinfo(np.int32).max // 2))
        # Insertions run along the row: cost[i, j] = min_k (candidates[k] + j - k).
        cost[i] = np.minimum.accumulate(candidates - offsets) + offsets
    return _attribute(spans, ref, heard, ref_ids, hyp_ids, cost, middles, tolerance)


def _word_ids(ref: list[str], hyp: list[str]) -> tuple[np.ndarray, np.ndarray]:
    vocabulary: dict[str, int] = {}
    ref_ids = np.array([vocabulary.setdefault(w, len(vocabulary)) for w in ref], dtype=np.int64)
    hyp_ids = np.array([vocabulary.setdefault(w, len(vocabulary)) for w in hyp], dtype=np.int64)
    return ref_ids, hyp_ids


def _attribute(spans, ref, heard, ref_ids, hyp_ids, cost, middles, tolerance) -> list[SpanErrors]:
    counts = [[0, 0, 0] for _ in spans]  # substitutions, deletions, insertions
    heard_in: list[list[HeardWord]] = [[] for _ in spans]
    i, j = len(ref), len(heard)
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            span_index = ref[i - 1][0]
            span = spans[span_index]
            same = hyp_ids[j - 1] == ref_ids[i - 1]
            allowed = span.start - tolerance <= middles[j - 1] <= span.end + tolerance
            if allowed and cost[i, j] == cost[i - 1, j - 1] + (0 if same else 1):
                counts[span_index][0] += 0 if same else 1
                heard_in[span_index].append(heard[j - 1])
                i, j = i - 1, j - 1
                continue
        if i > 0 and cost[i, j] == cost[i - 1, j] + 1:
            counts[ref[i - 1][0]][1] += 1
            i -= 1
            continue
        span_index = _span_at(spans, heard[j - 1].middle)
        counts[span_index][2] += 1
        heard_in[span_index].append(heard[j - 1])
        j -= 1
    # The walk goes backwards: reversed, each span's words are in the order they were heard
    # (a sort by time would not do: the words of one heard "$1.2m" share its time).
    return [SpanErrors(len(span.words) if span.checked else 0, s, d, ins, tuple(reversed(heard_in[k])))
            for k, (span, (s, d, ins)) in enumerate(zip(spans, counts))]

