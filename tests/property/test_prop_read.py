"""Any bytes in → a valid Article or one InputError line naming the file.

Never another exception, never a hang.  Documents come from a grammar (HTML,
Markdown), from random text, and from byte-level damage to the samples in
input/; a few pathological shapes (nesting 10 000 deep, megabyte attributes)
are fixed examples.
"""
from __future__ import annotations

import itertools
from collections import Counter
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doc_strategies import CODE_MARKER, html_page, markdown_doc, mutated_sample, random_text
from publisher.errors import InputError
from publisher.model import Credit, Figure, ListBlock, Quote
from publisher.read import read_article

# Far above what any example needs (tens of ms); only an endless loop reaches it.
HANG_SECONDS = 20
PROPERTY_SETTINGS = settings(
    deadline=None,  # timing is the alarm's job; deadlines flake on a shared 2-core machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=False,
)
_counter = itertools.count()


@contextmanager
def no_hang(seconds: int = HANG_SECONDS):
    def fail(signum, frame):
        raise AssertionError(f"reader did not return within {seconds}s")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("prop-read")


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    # A fresh name per example: the article id derives from the file stem.
    path = folder / f"doc{next(_counter)}-{name}"
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    return path


def _all_ids(article) -> list[str]:
    """Every id the page will carry as an HTML id (sections, blocks, sentences)."""
    ids = [s.id for s in article.sections]
    for _, block in article.iter_blocks():
        ids.append(block.id)
        if isinstance(block, Quote):
            ids.extend(p.id for p in block.paragraphs)
        elif isinstance(block, ListBlock):
            ids.extend(p.id for p in block.items)
        elif isinstance(block, Figure) and block.caption:
            ids.append(block.caption.id)
        elif isinstance(block, Credit):
            ids.append(block.paragraph.id)
    ids.extend(s.id for s in article.iter_sentences())
    return ids


def read_outcome(path: Path, markup: bool):
    """Read ``path``; assert the contract; return the Article or None (refused)."""
    try:
        with no_hang():
            article = read_article(path)
    except InputError as exc:
        message = str(exc)
        assert "\n" not in message and "\r" not in message, message
        assert str(path) in message, message
        assert exc.message.strip(), message
        return None
    assert article.title.strip(), "an article must have a title"
    sentence_ids = [s.id for s in article.iter_sentences()]
    assert sentence_ids and len(sentence_ids) == len(set(sentence_ids))
    ids = _all_ids(article)
    duplicates = sorted(i for i, n in Counter(ids).items() if n > 1)
    assert not duplicates, f"ids used twice: {duplicates[:5]}"
    assert article.word_count() > 0
    if markup:
        # Generated text nodes never contain "<": a "<script" here is leaked markup.
        assert "<script" not in article.body_text().lower()
    return article


@settings(PROPERTY_SETTINGS, max_examples=200)
@given(doc=html_page, suffix=st.sampled_from([".html", ".htm", ".txt"]))
def test_grammar_html(scratch, doc, suffix):
    read_outcome(_write(scratch, "page" + suffix, doc), markup=True)


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(doc=markdown_doc)
def test_grammar_markdown(scratch, doc):
    read_outcome(_write(scratch, "story.md", doc), markup=True)


@settings(PROPERTY_SETTINGS, max_examples=500)
@given(doc=random_text, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_random_text(scratch, doc, suffix):
    read_outcome(_write(scratch, "random" + suffix, doc), markup=False)


@settings(PROPERTY_SETTINGS, max_examples=400)
@given(doc=st.binary(max_size=4000))
def test_random_bytes(scratch, doc):
    read_outcome(_write(scratch, "bytes.txt", doc), markup=False)


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(sample=mutated_sample())
def test_mutated_samples(scratch, sample):
    name, data = sample
    read_outcome(_write(scratch, name, data), markup=False)


DEPTH = 10_000
PATHOLOGICAL = {
    "deep-divs.html": "<html><head><title>Deep</title></head><body>" + "<div>" * DEPTH
                      + "<p>A sentence at the bottom of the well.</p>" + "</div>" * DEPTH + "</body></html>",
    "deep-unclosed.html": "<html><body><h1>Unclosed</h1>" + "<span><b><i>" * DEPTH + "Words go here.",
    "deep-tables.html": "<html><body><h1>Tables</h1>" + "<table><tr><td>" * 2000 + "Cell text." + "</td></tr></table>" * 2000,
    "deep-quotes.md": "# Deep quotes\n\n" + ">" * DEPTH + " A quoted sentence.\n",
    "deep-lists.md": "# Deep lists\n\n" + "".join("  " * i + "- item\n" for i in range(2000)),
    "deep-emphasis.md": "# Stars\n\n" + "*" * DEPTH + "text" + "*" * DEPTH + "\n",
    "deep-brackets.md": "# Brackets\n\n" + "[" * DEPTH + "text" + "](x)" * DEPTH + "\n",
    "huge-attribute.html": "<html><head><title>Huge attribute</title></head><body><article><h1>Huge attribute</h1>"
                           "<p title=\"" + "A" * 2_000_000 + "\">A paragraph with a long title attribute.</p>"
                           "<img alt=\"" + "B " * 500_000 + "\" src=x></article></body></html>",
    "unterminated-attribute.html": "<html><body><h1>Broken</h1><p class=\"" + "x" * 100_000 + "<p>Text.</p>",
    "one-long-word.txt": "Title\n\n" + "a" * 1_000_000 + ".\n",
    "many-sentences.txt": "Many sentences\n\n" + "Go. " * 100_000 + "\n",
    "many-paragraphs.txt": "Many paragraphs\n\n" + "Short paragraph here.\n\n" * 20_000,
    "only-markup.html": "<html><body>" + "<div></div>" * 50_000 + "</body></html>",
    "comment-bomb.html": "<html><body><h1>Comments</h1>" + "<!--" * DEPTH + "<p>Text.</p>",
    "nul-padded.txt": "Title\n\nSome text." + "\x00" * 10,
    "utf16.txt": "\ufeffTitle line\n\nA paragraph in UTF-16 with a BOM.\n".encode("utf-16").decode("latin-1"),
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_shapes(scratch, name):
    text = PATHOLOGICAL[name]
    data = text.encode("latin-1") if name == "utf16.txt" else text.encode("utf-8")
    read_outcome(_write(scratch, name, data), markup=name.endswith((".html", ".md")))


# The HTML reader once lifted <blockquote> and <figure> with the text of their
# <script>/<style> children, so code became quote/caption text (regression).
@pytest.mark.parametrize("container", [
    "<blockquote><p>We will fix it.</p>{code}</blockquote>",
    "<figure><img src=a.jpg alt=Bridge><figcaption>The old bridge. {code}</figcaption></figure>",
])
def test_code_inside_lifted_blocks_is_not_text(scratch, container):
    code = f"<script>var {CODE_MARKER} = 1;</script><style>.{CODE_MARKER}{{color:red}}</style>"
    page = ("<html><head><title>Council votes on the bridge</title></head><body><article>"
            "<h1>Council votes on the bridge</h1><p>The council met on Tuesday to discuss the bridge.</p>"
            + container.format(code=code) +
            "<p>Members voted seven to two in favour of the repair plan.</p></article></body></html>")
    article = read_outcome(_write(scratch, "lifted.html", page), markup=True)
    spoken = " ".join(s.text for s in article.iter_sentences())
    assert CODE_MARKER not in spoken
