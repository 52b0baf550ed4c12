"""Bylines hold names only: the rules in publisher/read/byline.py, one table of cases
written here, and a pooled count over the real dev corpora."""
from __future__ import annotations

import pytest

from publisher.read.byline import clean_byline, collapse_repeat, cut_at_furniture, drop_handles, drop_lead_by
from publisher.read.html import read_html

CASES = [
    # (byline as a page prints it, the names)
    ("Ines Okafor", "Ines Okafor"),
    ("By Ines Okafor", "Ines Okafor"),
    ("Written by: Ines Okafor", "Ines Okafor"),
    ("Ines Okafor - Mar 4, 2024, 9:05 am EST", "Ines Okafor"),
    ("By Ines Okafor @inesokafor Mar 4, 2024", "Ines Okafor"),
    ("Ines Okafor / 3 hours ago", "Ines Okafor"),
    ("By Ines Okafor | 4 March 2024 (9:05 AM)", "Ines Okafor"),
    ("By Ines Okafor Updated on March 4, 2024 at 9:05 PM", "Ines Okafor"),
    ("Ines Okafor Last updated: 2024-03-04 • 6 min read", "Ines Okafor"),
    ("By Ines Okafor 6 min read Fact checked by Tomas Berg", "Ines Okafor"),
    ("Last updated: 2024-03-04 Cite this page By Ines Okafor Fact checked", "Ines Okafor"),
    ("By Ines Okafor Staff Reporter Share Email Print", "Ines Okafor Staff Reporter"),
    ("ines.okafor@example.org", None),
    ("✉ Ines Okafor ines.okafor@example.org", "Ines Okafor"),
    ("Ines Okafor Ines Okafor", "Ines Okafor"),
    ("By Ines Okafor , Harbour Correspondent 4 March 2024 | 12 Comments", "Ines Okafor, Harbour Correspondent"),
    ("Updated on March 4, 2024", None),
    ("Written By Mar 4, 2024 · 6 min read", None),
    ("Jean-Paul Ndiaye and Ana María López-Ortiz", "Jean-Paul Ndiaye and Ana María López-Ortiz"),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize("raw,names", CASES)
def test_byline_keeps_the_names(raw, names):
    assert clean_byline(raw) == names


def test_rules_one_at_a_time():
    assert drop_handles("Ines @ines_o and x@y.org") .split() == ["Ines", "and"]
    assert cut_at_furniture("Ines Okafor • 6 min read") == "Ines Okafor"
    assert drop_lead_by("by: Ines") == "Ines"
    assert collapse_repeat("Ana Ana Bo") == "Ana Ana Bo"


def test_page_byline_element_comes_out_clean():
    para = "<p>" + "The harbour board met on Tuesday to decide the future of the old ferry slip. " * 3 + "</p>"
    page = ("<html lang='en'><head><title>Ferry slip</title></head><body><article><h1>Ferry slip</h1>"
            "<div class='byline'>By Ines Okafor <a href='#'>@inesokafor</a> · 4 March 2024, 9:05</div>"
            + para * 4 + "</article></body></html>").encode()
    assert read_html(page, "in/ferry.html").byline == "Ines Okafor"
