"""The Markdown reader on arbitrary input: never crashes, and raw HTML never survives as markup."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.errors import InputError
from publisher.read.markdown import read_markdown

# No code fences here: code is shown as the literal text it is (see the last test).
PIECES = st.sampled_from([
    "# Title", "## Sub", "> quote", "> — Ann Lee", "- item", "1. item", "| a | b |", "| --- | --- |",
    "![alt](img.jpg)", "*italic caption*", "[link](javascript:alert(1))", "---", "title: x", "",
    "<div>", "</div>", "<script>SECRET()</script>", "<style>SECRET{}</style>", "<b>bold</b>",
    "<img src=x onerror=SECRET>", "<iframe src=SECRET></iframe>", "Plain words in a sentence.",
])
FREE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
DOCUMENTS = st.lists(st.one_of(PIECES, FREE), max_size=25).map("\n".join)


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_any_markdown_reads_or_refuses_cleanly(doc):
    try:
        draft = read_markdown(doc, "in/any.md")
    except InputError as err:  # only front matter problems are refused
        assert "front matter" in str(err)
        return
    assert draft.title.strip()
    for block in draft.blocks:
        texts = [block.text, block.caption or "", block.alt or "", block.attribution or "", *block.items]
        texts += [cell for row in block.rows for cell, _ in row]
        for text in texts:
            assert "SECRET" not in text  # only ever inside raw HTML tags, attributes or script/style
        assert block.src is None or not block.src.lower().startswith(("javascript:", "data:"))


@pytest.mark.parametrize("depth", [50, 2000])
def test_deep_nesting_does_not_crash(depth):
    doc = "# T\n\n" + "> " * depth + "deep words here\n\n" + "- " * depth + "item\n"
    try:
        draft = read_markdown(doc, "in/deep.md")
    except RecursionError:
        pytest.fail("deeply nested Markdown raised RecursionError")
    assert draft.title == "T"


def test_code_blocks_are_literal_text():
    draft = read_markdown("# T\n\nThe page ran this:\n\n```\n<b>x</b>\n```\n", "in/code.md")
    assert [b.text for b in draft.blocks] == ["The page ran this:", "<b>x</b>\n"]
