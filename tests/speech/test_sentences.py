"""Table-driven sentence-splitting tests (tests/speech/cases/sentences.tsv)."""
from __future__ import annotations

from pathlib import Path

import pytest

from publisher.speech.normalize.core import load_rows
from publisher.text.sentences import abbreviation_classes, split_sentences

TABLE = Path(__file__).parent / "cases" / "sentences.tsv"


def load_cases() -> list:
    cases = []
    for number, line in enumerate(TABLE.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            paragraph, *expected = line.split("\t")
            cases.append(pytest.param(paragraph, expected, id=f"sentences:{number}"))
    return cases


@pytest.mark.parametrize("paragraph, expected", load_cases())
def test_split_table(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_empty_and_blank_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("   \n\t ") == []


def test_splitting_loses_no_words():
    paragraph = "Dr. Smith arrived at 10:30 a.m. Monday. “Stop!” he said. It cost $1.2 million… Then?"
    assert " ".join(split_sentences(paragraph)).split() == paragraph.split()


def test_normalization_abbreviations_never_end_a_sentence_by_mistake():
    """Every abbreviation the normalizer expands is known to the splitter."""
    known = abbreviation_classes()
    for abbr, _expansion, _conditions in load_rows("abbreviations.tsv"):
        if abbr.endswith("."):
            assert abbr[:-1].lower() in known, abbr
