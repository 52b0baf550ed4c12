"""The normalizer's data files and whole-pipeline properties."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from publisher.speech.normalize import normalize
from publisher.speech.normalize.core import DATA_DIR, load_rows, load_words
from publisher.speech.normalize.rules import rules_for

from test_normalize import CASE_LIST

KNOWN_CONDITIONS = {"any", "before-number", "before-name", "after-name", "not-before-name", "not-before-number"}


def test_abbreviation_rows_have_known_conditions():
    rows = load_rows("abbreviations.tsv")
    assert len(rows) > 50
    for row in rows:
        assert len(row) == 3, row
        assert set(c.strip() for c in row[2].split(",")) <= KNOWN_CONDITIONS, row


def test_tables_have_their_columns():
    expected = {"units.tsv": 3, "currencies.tsv": 5, "magnitudes.tsv": 2, "unicode.tsv": 2, "symbols.tsv": 2,
                "fractions.tsv": 2, "roman_cardinal_after.tsv": 2, "acronym_replacements.tsv": 2, "unit_words.tsv": 2}
    for name, columns in expected.items():
        for row in load_rows(name):
            assert len(row) == columns, (name, row)


def test_every_data_file_is_used_and_readable():
    names = {p.name for p in DATA_DIR.iterdir() if p.suffix in (".txt", ".tsv")}
    source = (DATA_DIR.parent / "rules.py").read_text(encoding="utf-8")
    for name in names:
        assert f'"{name}"' in source or f"'{name}'" in source, f"{name} is never read"
        assert (load_rows(name) if name.endswith(".tsv") else load_words(name))


def test_spoken_and_spelled_acronym_lists_do_not_overlap():
    spoken, spelled = set(load_words("acronyms_spoken.txt")), set(load_words("acronyms_spelled.txt"))
    assert not spoken & spelled
    assert all(w.isupper() or w.endswith("s") for w in spoken | spelled)


def test_spoken_forms_are_fixed_points():
    """Normalizing a spoken form again changes nothing: no rule re-reads another rule's output."""
    for case in CASE_LIST:
        _written, spoken = case.values
        assert normalize(spoken) == spoken


def test_every_rule_is_a_pure_function_of_its_text():
    text = "On Aug. 15, 2020, Dr. Smith paid $1.2 million at 10:30 a.m. [3]"
    for rule in rules_for("en"):
        assert rule(text) == rule(text)


TRICKY = st.text(
    alphabet=st.sampled_from(list("0123456789 .,:;-–—/$€£%°#@&*•…“”‘’\"'()[]IVXabcdefghijkmnopqrstuvwxyzABCDEFGHKLMNOPQRSTUWYZ")),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_any_text_normalizes_without_digits_or_literal_symbols(text):
    spoken = normalize(text)
    assert not re.search(r"\d", spoken)
    assert not re.search(r"[$€£%#•…“”‘’\"*\[\]()]", spoken)
    assert spoken == spoken.strip() and "  " not in spoken
