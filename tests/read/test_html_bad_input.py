"""Bad HTML input: one clear InputError naming the file, never a traceback or a hang."""
from __future__ import annotations

import pytest

from publisher.errors import InputError
from publisher.read.html import guards as html_guards
from publisher.read.html import read_html

PARA = "<p>The harbour wall was repaired over the summer by a team of four masons from the town.</p>"


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"   \n\t  ", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
    (b"just some words with no markup at all", "no HTML markup"),
    (b"<html><head><title>Cut off</ti", "no article text"),
    (b"<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>", "no article text"),
    (b"<html><body><div><img src='a.jpg'></div></body></html>", "no article text"),
])
def test_bad_input_raises_input_error(data, message):
    with pytest.raises(InputError) as err:
        read_html(data, "in/bad.html")
    assert message in str(err.value)
    assert str(err.value).startswith("in/bad.html: ")


def test_page_over_the_size_cap_is_refused(monkeypatch):
    monkeypatch.setattr(html_guards, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(InputError, match="too large"):
        read_html(b"<html><body>" + PARA.encode() * 40 + b"</body></html>", "big.html")


def test_deeply_nested_page_is_read_without_recursion_errors():
    depth = 5000
    data = ("<html><body>" + "<div>" * depth + PARA * 6 + "</div>" * depth + "</body></html>").encode()
    try:
        draft = read_html(data, "deep.html")
    except InputError as err:  # refusing is acceptable; crashing is not
        assert "deep.html" in str(err)
    else:
        assert any("harbour wall" in b.text for b in draft.blocks)


def test_control_characters_past_the_sniffed_head_are_tolerated():
    paras = "".join(PARA.replace("four", f"{n}\x00\x0c\x1b\x7f &#1; &#12;") for n in range(6))
    data = ("<html><body>" + " " * 5000 + "<article>" + paras + "</article></body></html>").encode()
    data = data.replace(b"<article>", b"<article><div class='share'>x</div>&#11;tail")
    draft = read_html(data, "ctrl.html")
    assert all("\x00" not in b.text for b in draft.blocks)
    assert sum("harbour wall" in b.text for b in draft.blocks) == 6


def test_truncated_page_with_story_text_is_still_read():
    paras = "".join(PARA.replace("four", str(n)) for n in range(5))
    data = ("<html><body><article>" + paras + "<p>The last sentence was cut").encode()
    draft = read_html(data, "truncated.html")
    assert sum(b.kind == "paragraph" for b in draft.blocks) >= 5


def test_split_script_tag_leaves_its_text_and_no_bogus_element():
    """"<scr<script>ipt>" parses as an element named "scr<script" wrapping what
    follows; with one in the head and one in a list the reader lost the story."""
    vector = "<scr<script>ipt>alert(1)</scr</script>ipt>"
    page = (f"<html><head><title>Harbour wall</title>{vector}</head><body><article><h1>Harbour wall</h1>"
            f"<p>The harbour wall was repaired over the summer by a team of four masons from the town. {vector}</p>"
            f"<ul><li>The repair took six weeks. {vector}</li><li>{vector}</li></ul>"
            "<p>The next inspection is in March, when the council will vote on the budget.</p>"
            "</article></body></html>").encode()
    draft = read_html(page, "in/split.html")
    assert [b.kind for b in draft.blocks] == ["paragraph", "list", "paragraph"]
    text = " ".join([b.text or "" for b in draft.blocks] + draft.blocks[1].items)
    assert "by a team of four masons" in text and "The repair took six weeks." in text
    assert "<script" not in text and "alert(1)" in text  # shown as words, as a browser shows them
