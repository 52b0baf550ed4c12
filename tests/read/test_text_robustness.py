"""The plain-text reader on arbitrary input: never crashes, never invents text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.read.mojibake import repair
from publisher.read.text import read_text, strip_controls

LINES = st.sampled_from([
    "Share", "Advertisement", "Breaking News", "By Ann Lee", "August 15, 2020", "Photo: A bus at night.",
    "Photograph: Ann Lee/Post", "What Changes Next", "-With additional reporting from Post", "- an item",
    "NORTHGATE (Post) — The council met.", "Correction: The date was wrong.", "", "",
    "The council voted on Tuesday to extend the evening bus service.",
    "“We waited a year,” said one driver, who asked not to be named.",
])
FREE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
DOCUMENTS = st.lists(st.one_of(LINES, FREE), max_size=30).map("\n".join)


def _squash(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=150, deadline=None)
@given(DOCUMENTS)
def test_any_text_reads_without_inventing_words(doc):
    draft = read_text(doc, "in/any.txt")
    assert draft.title.strip()
    # The one rewrite allowed: text the source holds double-encoded ("Â\x80") repaired ("€").
    source = _squash(strip_controls(repair(doc)).replace("\u200b", "").replace("\u00a0", " "))
    for block in draft.blocks:
        for text in [block.text, block.caption or "", *block.items]:
            assert _squash(text) in source or _squash(text.split(" ", 1)[-1]) in source


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_read(data):
    draft = read_text(data, "in/any.txt")
    assert isinstance(draft.blocks, list)


def test_a_title_of_control_characters_falls_back_to_the_file_name(tmp_path):
    # Found by hypothesis: a C1 control (U+0080) as the whole title line was
    # kept by the reader, then removed by the model, leaving an empty title.
    from publisher.read import read_article

    path = tmp_path / "late-night-buses.txt"
    path.write_text("\x80\r0", encoding="utf-8")
    article = read_article(path)
    assert article.title == "Late night buses"
    assert article.word_count() > 0
