"""Section headings in HTML pages: the subheadings readers navigate by.

The body extractor keeps most <h2>–<h6> elements, but not all: it drops
headings whose markup it finds odd (a heading holding a link widget), loses
every heading when it falls back to its plain-paragraph extractor, and keeps
permalink marks ("#", "¶") as heading text.  This module works around that in
three steps, each a function:

1. :func:`prepare_headings` (before extraction): subheadings marked only by a
   class ("crosshead", "article__subheading") become <h2>s; permalink anchors
   and empty widgets inside headings are removed; block wrappers inside a
   heading are flattened so the extractor sees one line of text.
2. :func:`heading_anchors` (on the cleaned page, before extraction): every
   <h2>–<h6> with the start of the text that follows it on the page.
3. :func:`restore_headings` (after extraction): a heading the extractor lost
   is put back before the block that starts with the text that followed it;
   a heading the extractor ran into a paragraph (its words, then the words
   that followed it on the page, inside one paragraph) splits that paragraph.
   A heading whose following text did not survive was outside the story, so
   nothing outside the extracted story can come back this way.
"""
from __future__ import annotations

import copy
from collections import Counter
import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ..chrome import any_line_of, move_tail
from .dom import _WORD, clean as _clean, words_key

HEADING_LEVELS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# A class-marked subheading is a short line: longer text is a paragraph.
MAX_CLASS_SUBHEAD_WORDS = 20
# How much following text identifies the block a heading stands before.
ANCHOR_CHARS = 120
ANCHOR_WORDS = 10
# A lost heading that would open the story is only restored when short:
# a long line above the first paragraph is a dek, not a section heading.
MAX_OPENING_HEADING_WORDS = 8

_PERMALINK_MARKS = "#¶§🔗⚓"
_MARKS_ONLY = re.compile(rf"^[\s{_PERMALINK_MARKS}\W]*$")
# "¶", "§", "🔗", "⚓" anywhere at the ends; "#" only when it stands alone
# ("#1 priority" keeps its "#").
_LEADING_MARKS = re.compile(r"^(?:[¶§🔗⚓]\s*|#(?:\s+|$))+")
_TRAILING_MARKS = re.compile(r"(?:\s*[¶§🔗⚓]|\s+#|^#)+$")
_PERMALINK_CLASS = re.compile(r"anchor|permalink|headerlink|header-link|heading-link|direct-link|hash-link",
                              re.I)
_EDIT_WIDGET_CLASS = re.compile(r"editsection|edit-section|section-edit|edit-link", re.I)
_BLOCK_IN_HEADING = {"div", "p", "section", "article", "header", "footer", "ul", "ol", "li", "figure"}
_TEXT_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "blockquote", "pre", "figcaption", "caption",
                "div", "section", "article", "main", "body", "h1", "h2", "h3", "h4", "h5", "h6",
                "ul", "ol", "dl", "table", "figure", "header", "footer", "aside"}


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def strip_permalink_marks(text: str) -> str:
    """Heading text without the "#"/"¶"/"§" permalink marks at its ends."""
    text = _clean(text)
    text = _LEADING_MARKS.sub("", text)
    return _TRAILING_MARKS.sub("", text).strip()


@lru_cache(maxsize=8192)
def _is_subheading_class(name: str) -> bool:
    """A class name that marks a subheading (cached: a page repeats a few class names on
    thousands of elements)."""
    return any_line_of("subheading_classes.txt").search(name) is not None


def _is_class_subheading(el: etree._Element) -> bool:
    classes = (el.get("class") or "").split()
    if not classes or not any(_is_subheading_class(c) for c in classes):
        return False
    if any(_tag(d) in _TEXT_BLOCKS for d in el.iterdescendants()):
        return False
    if _tag(el) in ("span", "strong", "b") and _tag(el.getparent()) in ("p", "li", "a", "span", "h1", "h2", "h3"):
        return False  # a styled phrase inside a paragraph, not a line of its own
    n = len(_clean(el.text_content()).split())
    return 1 <= n <= MAX_CLASS_SUBHEAD_WORDS


def _is_permalink(a: etree._Element) -> bool:
    href = (a.get("href") or "").strip()
    text = _clean(a.text_content())
    if not text or _MARKS_ONLY.match(text):
        return href.startswith("#") or bool(_PERMALINK_CLASS.search(a.get("class") or "")) \
            or a.get("aria-hidden") == "true"
    # A link that shows its own fragment ("#section2" → #section2) points at the heading itself.
    return href.startswith("#") and text == href


def _drop(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is not None:
        move_tail(el)
        parent.remove(el)


def prepare_headings(root: etree._Element) -> None:
    """Make the page's subheadings plain one-line <h2>–<h6> elements (step 1)."""
    for el in list(root.iter("p", "div", "span", "strong", "b")):
        if el.getparent() is not None and _is_class_subheading(el):
            el.tag = "h2"
            for attr in ("class", "id"):
                el.attrib.pop(attr, None)
    for heading in list(root.iter("h1", "h2", "h3", "h4", "h5", "h6")):
        for a in list(heading.iter("a")):
            if a.getparent() is not None and _is_permalink(a):
                _drop(a)
        for el in list(heading.iterdescendants()):
            if el.getparent() is not None and _EDIT_WIDGET_CLASS.search(el.get("class") or ""):
                _drop(el)  # wiki "[edit]" links
        for br in list(heading.iter("br")):
            br.tail = " " + (br.tail or "")  # "What the allotment<br>committee" is two words
        for el in list(heading.iterdescendants()):
            if el.getparent() is None or not isinstance(el.tag, str):
                continue
            if not _clean(el.text_content()) and _tag(el) not in ("img", "br"):
                _drop(el)  # empty link widgets, icon spans
            elif _tag(el) in _BLOCK_IN_HEADING:
                el.tag = "span"


@dataclass
class HeadingAnchor:
    """One <h2>–<h6> of the page and what follows it there."""
    text: str
    level: int
    next_text: str = ""  # the start of the text after it
    next_heading: "HeadingAnchor | None" = None  # or the heading right after it


def _block_of(el: etree._Element | None) -> etree._Element | None:
    while el is not None and _tag(el) not in _TEXT_BLOCKS:
        el = el.getparent()
    return el


def heading_anchors(root: etree._Element) -> list[HeadingAnchor]:
    """Every <h2>–<h6> on the page with the start of the text after it (step 2)."""
    anchors: list[HeadingAnchor] = []
    waiting: list[HeadingAnchor] = []  # headings whose following text is not seen yet
    collecting: list[HeadingAnchor] = []
    parts: list[str] = []
    container = None
    heading_el = None

    def finish() -> None:
        nonlocal collecting, parts, container
        text = _clean(" ".join(parts))
        for a in collecting:
            a.next_text = text
        collecting, parts, container = [], [], None

    def add_text(text: str, where: etree._Element | None) -> None:
        nonlocal waiting, collecting, container
        if waiting:
            finish()
            collecting, waiting = waiting, []
            container = _block_of(where)
            parts.append(text)
        elif collecting and sum(len(p) for p in parts) < ANCHOR_CHARS:
            parts.append(text)

    for event, node in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(node)
        if event == "start":
            if heading_el is not None:
                continue
            if tag in HEADING_LEVELS:
                if collecting:
                    finish()
                anchor = HeadingAnchor(strip_permalink_marks(node.text_content()), HEADING_LEVELS[tag])
                for a in waiting:
                    a.next_heading = anchor
                waiting = [anchor] if anchor.text else []
                if anchor.text:
                    anchors.append(anchor)
                heading_el = node
                continue
            if tag == "h1":
                heading_el = node  # the headline: not a section heading, and not story text
                continue
            if node.text and node.text.strip() and tag:
                add_text(node.text, node)
        else:
            if node is heading_el:
                heading_el = None
            elif heading_el is not None:
                continue
            elif collecting and node is container:
                finish()
            if node.tail and node.tail.strip():
                add_text(node.tail, node.getparent())
    if collecting:
        finish()
    return anchors


def lead_text(block) -> str:
    """The text a draft block starts with (first list item, first table cell, caption)."""
    if block.kind == "list":
        return block.items[0] if block.items else ""
    if block.kind == "table":
        return block.rows[0][0][0] if block.rows and block.rows[0] else ""
    if block.kind == "figure":
        return block.caption or ""
    return block.text or ""


def _starts_with(block_text: str, anchor_text: str) -> bool:
    want = words_key(anchor_text).split()[:ANCHOR_WORDS]
    have = words_key(block_text).split()
    if not want:
        return False
    # The anchor text may run past a short block into the next one.
    n = min(len(want), len(have))
    return n >= min(2, len(want)) and have[:n] == want[:n] and (n == len(want) or n == len(have))


def restore_headings(blocks: list, bold: list[bool], anchors: list[HeadingAnchor],
                     placeholder_blocks: dict[str, object], make_heading) -> None:
    """Put back headings the extractor lost, in place (step 3).

    ``placeholder_blocks`` maps a lifted structure's placeholder text to the
    block that replaced it; ``make_heading(text, level)`` builds a heading
    block.  ``bold`` (one flag per block) is kept in step.
    """
    # A heading the page repeats ("Why we like it" over each product) is put back as
    # often as the page has it, never more, and never twice in one place.
    on_page = Counter(words_key(a.text) for a in anchors)
    kept = Counter(words_key(b.text) for b in blocks if b.kind == "heading")
    placed: dict[int, object] = {}  # anchor (by id) → the heading block put back for it
    for anchor in reversed(anchors):
        key = words_key(anchor.text)
        if kept[key] >= on_page[key]:
            continue
        target = _target_index(blocks, anchor, placeholder_blocks, placed)
        if target is None:
            if _split_at_run_in_heading(blocks, bold, anchor, make_heading):
                kept[key] += 1
            continue
        if target == 0 and len(anchor.text.split()) > MAX_OPENING_HEADING_WORDS:
            continue
        before = blocks[target - 1] if target > 0 else None
        if before is not None and before.kind == "heading" and words_key(before.text) == key:
            continue
        heading = make_heading(anchor.text, anchor.level)
        if before is not None and before.kind == "paragraph" and words_key(before.text) == key:
            blocks[target - 1] = heading
            bold[target - 1] = False
        else:
            blocks.insert(target, heading)
            bold.insert(target, False)
        kept[key] += 1
        placed[id(anchor)] = heading


def _target_index(blocks: list, anchor: HeadingAnchor, placeholder_blocks: dict[str, object],
                  placed: dict[int, object]) -> int | None:
    if anchor.next_heading is not None:
        # The next heading's own block where this pass put it back (a repeated text
        # stands in several places), else the first heading with its text.
        mine = placed.get(id(anchor.next_heading))
        if mine is not None:
            return next((i for i, b in enumerate(blocks) if b is mine), None)
        key = words_key(anchor.next_heading.text)
        return next((i for i, b in enumerate(blocks) if b.kind == "heading" and words_key(b.text) == key), None)
    if not anchor.next_text:
        return None
    lifted = placeholder_blocks.get(anchor.next_text.split()[0])
    if lifted is not None:
        return next((i for i, b in enumerate(blocks) if b is lifted), None)
    return next((i for i, b in enumerate(blocks)
                 if b.kind != "heading" and _starts_with(lead_text(b), anchor.next_text)), None)


# Words of the text after a heading that must follow it inside a paragraph before the
# paragraph is split there: enough that the match cannot be a chance repeat of the words.
MIN_RUN_IN_WORDS = 4


def _words_pattern(words: list[str]) -> str:
    return r"\W+".join(re.escape(w) for w in words)


def _split_at_run_in_heading(blocks: list, bold: list[bool], anchor: HeadingAnchor, make_heading) -> bool:
    """Where the extractor ran a heading into a paragraph, split the paragraph there
    (True when it did)."""
    heading_words = _WORD.findall(anchor.text)
    next_words = _WORD.findall(anchor.next_text)[:ANCHOR_WORDS]
    if not heading_words or len(next_words) < MIN_RUN_IN_WORDS:
        return False
    pattern = re.compile(rf"(?<!\w){_words_pattern(heading_words)}(?=\W+{_words_pattern(next_words)}(?!\w))", re.I)
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        found = pattern.search(block.text)
        if found is None or found.start() == 0:
            continue
        before, after = block.text[:found.start()].strip(), block.text[found.end():].strip(" :\u00a0\t\n")
        first, second = copy.copy(block), copy.copy(block)
        first.text, second.text = before, after
        blocks[index:index + 1] = [first, make_heading(anchor.text, anchor.level), second]
        bold[index:index + 1] = [False, False, False]
        return True
    return False
