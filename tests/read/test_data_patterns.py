"""The matcher behind the line rules' data files (chrome lines, chrome headings, panel titles,
subheading classes) answers exactly as testing each line's pattern one by one would."""
from __future__ import annotations

import re

import pytest

from publisher.read.chrome import AnyLine, any_line_of, data_lines

LINES = (
    r"^advertisement\.?$",                # anchored: tried at the start only
    r"^(read|see) more\b.*",
    r"^written by\W*$|^who wrote this\W*$",  # anchored on each side of a top-level "|"
    r"^(a|b)c|sponsored",                 # a top-level "|" whose right side floats
    r"[|]\s*share$",                      # a "|" inside a character class is no alternation
    r"\(x\|y\)$",                         # escaped parentheses and bar
    r"^x[]|]y|tail end",                  # "]" first in a class is an item: the class holds "|"
    r"^q[^]|]z",                          # ... and so it is after a negation
    r"\bsubscribe\b.*\bnewsletters?\b",   # floating
)
TEXTS = (
    "Advertisement", "advertisement.", "An advertisement", "Read more about it", "We read more",
    "Written by", "This was written by", "who wrote this?", "Tell me who wrote this", "ac", "xbc",
    "Sponsored by nobody", "print | share", "print share", "pick (x|y)", "pick x", "",
    "Subscribe to our weekly newsletter", "newsletter: subscribe",
    "x]y", "x|y", "the tail end", "qaz", "q|z", "a tail end",
)


def _one_by_one(lines, text: str) -> bool:
    return any(re.search(line, text, re.I) for line in lines)


@pytest.mark.parametrize("text", TEXTS)
def test_matches_as_the_lines_do_one_by_one(text):
    assert (AnyLine(LINES).search(text) is not None) == _one_by_one(LINES, text)


def test_a_top_level_alternation_keeps_its_floating_side():
    # Put under one leading "^" with the anchored lines, "sponsored" would only match at the start.
    assert AnyLine((r"^(a|b)c|sponsored",)).search("paid and sponsored") is not None
    assert AnyLine((r"^advertisement$",)).search("an advertisement") is None


@pytest.mark.parametrize("name", ["chrome_lines.txt", "chrome_headings.txt", "panel_headings.txt",
                                  "subheading_classes.txt"])
def test_the_shipped_data_files_match_as_their_lines_do(name):
    lines = tuple(line.strip() for line in data_lines(name))
    # Texts that hit lines and texts that miss them: every line turned into text, and story prose.
    texts = [re.sub(r"[\\^$()?*+.{}\[\]|]", " ", line).strip() for line in lines] + [
        "Related stories", "Sign up for our newsletter", "The council met on Tuesday to vote on the plan.",
        "Contact us", "Share this article", "sub-heading", "crosshead", "Tags:", "Read more",
    ]
    matcher = any_line_of(name)
    assert [matcher.search(t) is not None for t in texts] == [_one_by_one(lines, t) for t in texts]
    assert any(matcher.search(t) for t in texts) and not all(matcher.search(t) for t in texts)
