"""Table-driven normalization tests: every line of tests/speech/cases/normalize/*.tsv."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from publisher.speech.normalize import NormalizeOptions, normalize, normalize_lines

CASES = Path(__file__).parent / "cases" / "normalize"
SHARED = Path(os.environ.get("PUBLISHER_SHARED", Path(__file__).resolve().parents[3] / "shared"))
SEED = SHARED / "seed" / "article.txt"


def _decode(field: str) -> str:
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), field)


def load_cases() -> list:
    cases = []
    for table in sorted(CASES.glob("*.tsv")):
        for number, line in enumerate(table.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            written, spoken = line.split("\t")
            cases.append(pytest.param(_decode(written), _decode(spoken), id=f"{table.stem}:{number}"))
    return cases


CASE_LIST = load_cases()


def test_the_tables_hold_hundreds_of_cases():
    assert len(CASE_LIST) >= 300


@pytest.mark.parametrize("written, spoken", CASE_LIST)
def test_case_table(written, spoken):
    assert normalize(written) == spoken


def test_urls_can_be_dropped():
    options = NormalizeOptions(urls="drop")
    assert normalize("Read more at https://example.com/story.", options=options) == "Read more at."
    assert normalize("See www.example.org for details.", options=options) == "See for details."


def test_emails_can_be_dropped():
    options = NormalizeOptions(emails="drop")
    assert normalize("Write to jane@example.com today.", options=options) == "Write to today."


def test_unknown_acronyms_can_be_left_to_the_engine():
    options = NormalizeOptions(spell_unknown_acronyms=False)
    assert normalize("The CEC met the ONT.", options=options) == "The CEC met the ONT."
    assert normalize("The NAACP met.", options=options) == "The N A A C P met."  # listed as spelled


def test_other_languages_get_only_neutral_cleanup():
    assert normalize("Am 15. August 2020 – 45 % [3]", lang="de") == "Am 15. August 2020, 45 %"
    assert normalize("Voir https://example.fr maintenant.", lang="fr") == "Voir maintenant."


def test_options_are_frozen():
    with pytest.raises(AttributeError):
        NormalizeOptions().urls = "drop"  # type: ignore[misc]


def test_normalize_lines_gives_one_line_per_sentence():
    text = (
        "Dr. Smith arrived at 10:30 a.m. Monday. He paid $1 million.\n\n"
        "The U.S. Senate met on Aug. 15. It adjourned."
    )
    assert normalize_lines(text) == [
        "Doctor Smith arrived at ten thirty a m Monday.",
        "He paid one million dollars.",
        "The U S Senate met on August fifteenth.",
        "It adjourned.",
    ]


def test_normalize_lines_drops_sentences_that_say_nothing():
    assert normalize_lines("It grew.\n\n[12]\n\nIt shrank.") == ["It grew.", "It shrank."]
    assert normalize_lines("") == []


def test_normalize_never_returns_digits_for_the_seed(seed_sentences):
    for sentence in seed_sentences:
        spoken = normalize(sentence)
        assert not re.search(r"\d", spoken), (sentence, spoken)
        assert not re.search(r"[“”‘…•*\[\]]", spoken), (sentence, spoken)


@pytest.fixture(scope="module")
def seed_sentences():
    from publisher.text.sentences import split_sentences

    text = SEED.read_text(encoding="utf-8")
    return [s for para in re.split(r"\n\s*\n", text) for s in split_sentences(para)]


@pytest.mark.parametrize("lang, spoken", [
    ("en", "March fourth, twenty twenty-five"),
    ("en-US", "March fourth, twenty twenty-five"),
    ("en-GB", "April third, twenty twenty-five"),
    ("en-AU", "April third, twenty twenty-five"),
    ("en-Latn-IN", "April third, twenty twenty-five"),
])
def test_numeric_dates_follow_the_language_convention(lang, spoken):
    assert normalize("3/4/2025", lang=lang) == spoken
    # A part over 12 settles it whatever the convention.
    assert normalize("25/12/2024", lang=lang) == "December twenty-fifth, twenty twenty-four"
