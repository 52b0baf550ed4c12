"""Hostile markup through every reader and every field, built with the fake
engine: the OUTPUT (pages, index, feed, transcripts, chapters) carries none of
it as live markup.  Vectors: tests/security/vectors/xss.toml.
"""
from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import html as lxml_html

from hostile_articles import load_vectors, text_article, write_hostile_inputs
from publisher.build import build
from publisher.config import Config, SiteConfig, SpeechConfig
from publisher.manifest import load_manifest
from publisher.read import detect_format
from site_audit import audit_chapters, audit_feed, audit_html_file, audit_site, audit_vtt

VECTORS = load_vectors()
# Every hostile title in the one feed (there are more than the default feed_items), and
# listings of a few pages each so the index pages and monthly archives are audited too.
FAKE = Config(site=replace(SiteConfig(), feed_items=1000, index_page_size=40), speech=SpeechConfig(engine="fake"))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    files = write_hostile_inputs(root / "inputs", VECTORS)
    output = root / "site"
    summary = build([root / "inputs"], output, FAKE, jobs=2, quiet=True, stream=io.StringIO())
    entries = {Path(e.source).name: e for e in load_manifest(output).values()}
    return output, summary, files, entries


def _names(vector) -> list[str]:
    return [f"{vector.name}-{fmt}.{fmt}" for fmt in ("html", "md", "txt")]


def test_vector_file_is_well_formed():
    names = [v.name for v in VECTORS]
    assert len(names) >= 35 and len(set(names)) == len(names)


def test_every_hostile_article_is_published_or_refused_in_one_line(hostile_site):
    """Markdown and text articles always publish (the vector is just text to
    them).  An HTML vector may wreck its page's structure for any parser (a
    <math>/<style> mutation swallows the rest of the body): that page may be
    refused, with one line naming the file, but most pages survive."""
    output, summary, files, entries = hostile_site
    refused = {Path(r.source).name: r.error for r in summary.failed}
    assert not [name for name in refused if not name.endswith(".html")], refused
    assert all(error and "\n" not in error for error in refused.values())
    # Only the <math><mtext><table><mglyph><style> mutation may be refused: an
    # unclosed <style> there is raw text to every HTML parser, browsers
    # included, so the page really has no story left.
    assert set(refused) <= {"math-href-html.html"}, refused
    assert set(entries) | set(refused) == {p.name for p in files}


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.name)
def test_article_outputs_carry_no_markup(hostile_site, vector):
    output, _, _, entries = hostile_site
    problems = []
    published = [name for name in _names(vector) if name in entries]
    assert len(published) >= 2  # the Markdown and text versions at least
    for name in published:
        entry = entries[name]
        problems += audit_html_file(output / entry.page_path)
        problems += audit_vtt(output / entry.transcript_path)
        problems += audit_chapters(output / entry.chapters_path)
    assert problems == []


def test_index_carries_no_markup(hostile_site):
    output = hostile_site[0]
    listings = [output / "index.html", *(output / "page").rglob("index.html"), *(output / "archive").rglob("index.html")]
    assert len(listings) >= 3  # the index was paginated: page/2 and later pages are audited too
    assert [problem for page in listings for problem in audit_html_file(page)] == []


def _xml_chars(text: str) -> str:
    """What XML 1.0 can carry of ``text`` (no C0 controls), spaces collapsed."""
    return " ".join("".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20).split())


def test_feed_parses_strictly_and_lists_every_title(hostile_site):
    output, _, _, entries = hostile_site
    # Titles read back equal to the manifest's: no CDATA or entity trick broke an item.
    expected = {_xml_chars(e.title) for e in entries.values()}
    assert audit_feed(output / "feed.xml", expected) == []


# A C0 control character in Markdown front matter (YAML "\u0001") once reached
# Article.title, the page and the manifest while the feed dropped it (regression).
def test_titles_carry_no_control_characters(hostile_site):
    entries = hostile_site[3]
    assert [e.title for e in entries.values() if any(ord(ch) < 0x20 for ch in e.title)] == []


def test_whole_site_audit(hostile_site):
    # Catches files the per-article tests do not name (section pages, future outputs).
    assert audit_site(hostile_site[0]) == []


def _read_as_plain_text(vector) -> bool:
    # The format comes from content: a .txt file full of real tags is read as HTML.
    return detect_format(text_article(vector).encode("utf-8"), "x.txt") == "text"


@pytest.mark.parametrize("vector", [v for v in VECTORS if v.markup.isprintable() and "<" in v.markup
                                    and _read_as_plain_text(v)], ids=lambda v: v.name)
def test_markup_in_plain_text_is_shown_as_text(hostile_site, vector):
    """In a plain-text article, "<script>" is words about markup: the reader keeps
    it and the page shows it, escaped (it neither vanishes nor becomes markup)."""
    output, _, _, entries = hostile_site
    entry = entries[f"{vector.name}-txt.txt"]
    page = lxml_html.document_fromstring((output / entry.page_path).read_bytes())
    text = " ".join(page.text_content().split())
    assert " ".join(vector.markup.split()) in text


def test_template_syntax_is_not_evaluated(hostile_site):
    output, _, _, entries = hostile_site
    for name in _names(next(v for v in VECTORS if v.name == "template-injection")):
        entry = entries[name]  # this vector is plain text to every reader: all three publish
        text = lxml_html.document_fromstring((output / entry.page_path).read_bytes()).text_content()
        assert "{{7*7}}" in text and "49" not in text
        assert "{% for x in ().__class__" in text  # shown as typed, never run
