"""Smoke test on the dev corpus (../shared/corpus/aeb-dev): a floor well below the target.

The score is the benchmark's: word 4-gram shingles, per-page precision and
recall normalised per page, F1 of the means.  Written here (not imported from
the shared tool) so the project's tests stand on their own.
"""
from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from publisher.read.html import body_text_from_html

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("PUBLISHER_SHARED", REPO.parent / "shared")) / "corpus" / "aeb-dev"


def shingles(text: str, n: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def page_scores(truth: str, pred: str) -> tuple[float | None, float]:
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def test_scoring_helper_on_known_cases():
    assert page_scores("a b c d e", "a b c d e") == (1.0, 1.0)
    assert page_scores("a b c d e", "") == (None, 0.0)
    assert page_scores("a b c d e f", "a b c d") == (1.0, 1 / 3)


def test_dev_corpus_floor():
    truth_file = CORPUS / "ground-truth.json"
    assert truth_file.exists(), f"dev corpus missing at {CORPUS} (set PUBLISHER_SHARED)"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for page_id, entry in sorted(truth.items()):
        html = gzip.open(CORPUS / "html" / f"{page_id}.html.gz").read().decode("utf-8")
        precision, recall = page_scores(entry["articleBody"], body_text_from_html(html))
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
    p = sum(precisions) / len(precisions)
    r = sum(recalls) / len(recalls)
    f1 = 2 * p * r / (p + r)
    assert len(recalls) == 20
    assert f1 >= 0.93 and p >= 0.92 and r >= 0.92, (f1, p, r)
