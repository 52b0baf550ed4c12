"""Page chrome: what on a news page is not the story.

Two kinds of rules, both driven by the word lists in ``data/``:

* element rules (:func:`remove_chrome`): navigation, headers/footers, share
  bars, ads, newsletter boxes, related stories, comments, cookie banners …
  recognised by tag, ARIA role, or class/id words, removed from the DOM
  before the body is looked for;
* line rules (:func:`is_boilerplate_line`, :func:`is_chrome_heading`,
  :func:`credit_kind`): short paragraphs and headings inside the story
  container that are promos or credits rather than story text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable
from pathlib import Path

from lxml import etree

from ..text.sentences import split_sentences

_DATA = Path(__file__).with_name("data")

# Elements that never hold story text.
DROP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "button", "input", "select", "textarea", "option", "link", "meta", "map", "audio", "video",
    "source", "track", "dialog", "menu",
})
# Landmarks that are page chrome by definition.
CHROME_TAGS = frozenset({"nav", "aside", "footer", "header"})
CHROME_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog",
    "menu", "menubar", "toolbar", "tablist", "alert",
})
# A class/id match never removes an element holding more than this share of
# the page's text: wrappers named "page-with-sidebar" hold the story too.
MAX_CHROME_SHARE = 0.5
# Walks of the page for layout words (see remove_chrome): bounded, so a page built to add
# one layout word per walk costs a few walks, not one per chrome word (on the 414 pool
# pages: one walk 403 times, two 10 times, three once).
MAX_CHROME_WALKS = 4
# Line rules only look at short paragraphs; story paragraphs are longer.
MAX_BOILERPLATE_WORDS = 45
MAX_CREDIT_WORDS = 80

_TOKEN_SPLIT = re.compile(r"[\s_\-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@lru_cache(maxsize=None)
def data_lines(name: str) -> tuple[str, ...]:
    """Non-empty, non-comment lines of a data file."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return tuple(
        line.rstrip("\n") for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


@lru_cache(maxsize=None)
def _chrome_tokens(name: str = "chrome_tokens.txt") -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    exact, prefixes, whole = set(), [], set()
    for line in data_lines(name):
        word = line.strip().lower()
        if "-" in word or "_" in word:
            whole.add(word)
        elif word.endswith("*"):
            prefixes.append(word[:-1])
        else:
            exact.add(word)
    return frozenset(exact), tuple(prefixes), frozenset(whole)


def _top_level_alternation(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside any group or character class.  Where it cannot
    tell (a class that opens with "]", as in "[]|]"), it says yes: such a line is searched
    through the text like an unanchored one, which gives the same answers, only slower."""
    depth, in_class, escaped = 0, False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return True
    return False


class AnyLine:
    """Matches where any of a data file's patterns matches (case-insensitively), in two scans.

    Lines anchored at the start (``^…``) are one alternation under a single ``^``, which the
    regex engine tries at the first position only; the others are one alternation searched
    through the text.  One alternation of all lines would try every line at every position
    (72 µs for a 25-word paragraph against 13 µs for the two).
    """

    def __init__(self, lines: tuple[str, ...]):
        anchored, floating = [], []
        for line in lines:
            (anchored if line.startswith("^") and not _top_level_alternation(line) else floating).append(line)
        patterns = []
        if anchored:
            patterns.append("^(?:" + "|".join(f"(?:{line[1:]})" for line in anchored) + ")")
        if floating:
            patterns.append("|".join(f"(?:{line})" for line in floating))
        self._scans = tuple(re.compile(pattern, re.I) for pattern in patterns)

    def search(self, text: str) -> re.Match[str] | None:
        for scan in self._scans:
            found = scan.search(text)
            if found:
                return found
        return None


@lru_cache(maxsize=None)
def any_line_of(name: str) -> AnyLine:
    """A matcher for where any line of the data file ``name`` matches."""
    return AnyLine(tuple(line.strip() for line in data_lines(name)))




def class_words(el: etree._Element) -> list[str]:
    """The words of an element's class and id ("shareBar-top" → share, bar, top)."""
    return _words_of(f"{el.get('class') or ''} {el.get('id') or ''}")


def _words_of(raw: str) -> list[str]:
    return [w for w in _TOKEN_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if w]


def _is_text_slug(el: etree._Element) -> bool:
    """A heading's id made from its own text ("would-i-recommend-it")."""
    words = set(_words_of(el.get("id") or ""))
    text = set(re.findall(r"\w+", "".join(el.itertext()).lower()))
    return bool(words) and words <= text


# Words that make a class name describe the page's state ("sidebar-enabled--false",
# "has-sidebar", "with-share-buttons", "no-comments"), not name the chrome itself.
_STATE_WORDS = frozenset({"has", "with", "without", "no", "enabled", "disabled", "true", "false"})


@lru_cache(maxsize=16384)
def _named_words(raw: str) -> tuple[str, ...]:
    """The words of the class or id names in ``raw`` that name something (state names left out).
    Cached: a page gives the same class string to many elements, and the chrome walk asks
    for every element's words."""
    words = _words_of(raw)
    if _STATE_WORDS.isdisjoint(words):  # the common case: one split of the whole string
        return tuple(words)
    words = []
    for name in raw.split():
        name_words = _words_of(name)
        if not _STATE_WORDS.intersection(name_words):
            words.extend(name_words)
    return tuple(words)


def _judged_words(el: etree._Element) -> tuple[str, ...]:
    """The class and id words chrome rules judge (a heading's id made of its own text is
    left out: it names the heading, whatever its words)."""
    raw = el.get("class") or ""
    if el.get("id") and not (el.tag in _HEADING_TAGS and _is_text_slug(el)):
        raw = f"{raw} {el.get('id')}"
    return _named_words(raw) if raw.strip() else ()


def chrome_class_words(el: etree._Element, tokens: str = "chrome_tokens.txt",
                       words: tuple[str, ...] | None = None) -> set[str]:
    """The class/id words (or whole class names) of ``el`` that mark chrome; ``words``,
    when given, are ``el``'s judged words already split."""
    exact, prefixes, whole = _chrome_tokens(tokens)
    found = {c for c in (el.get("class") or "").lower().split() if c in whole} if whole else set()
    found.update(w for w in (_judged_words(el) if words is None else words)
                 if w in exact or w.startswith(prefixes))
    return found


# An element holding this many paragraphs of this many words is story text,
# whatever a weak class word ("author", "meta", "promo") says about it.
STORY_PARAGRAPHS = 3
STORY_PARAGRAPH_WORDS = 25


def holds_story(el: etree._Element) -> bool:
    long_paragraphs = 0
    for p in el.iter("p"):
        if len("".join(p.itertext()).split()) >= STORY_PARAGRAPH_WORDS:
            long_paragraphs += 1
            if long_paragraphs >= STORY_PARAGRAPHS:
                return True
    return False


def story_paragraph_text(el: etree._Element) -> int:
    """Characters in ``el``'s paragraphs of story length (blurbs and link lines do not count)."""
    total = 0
    for p in el.iter("p"):
        text = "".join(p.itertext())
        if len(text.split()) >= STORY_PARAGRAPH_WORDS:
            total += len(text)
    return total


def has_chrome_class(el: etree._Element) -> bool:
    return bool(chrome_class_words(el)) or bool(chrome_class_words(el, "chrome_tokens_weak.txt"))


_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Class words that name a heading's own role ("card-header", "box__header"):
# on a heading, or on a wrapper around nothing but one, they are not chrome.
HEADING_ROLE_WORDS = frozenset({"header"})


def is_heading_wrapper(el: etree._Element) -> bool:
    """A heading, or an element whose whole text is one heading inside it."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _HEADING_TAGS:
        return True
    own = text_length(el)
    return own > 0 and any(text_length(h) == own for h in el.iter(*_HEADING_TAGS))


def is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true" and not len(el):
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def is_section_header(el: etree._Element) -> bool:
    """A <header> opening one section of the story: not the page's banner.

    HTML-AAM maps <header> to the banner landmark only outside sectioning
    content; inside a <section> of the story it holds that section's heading
    (and perhaps a kicker line), which is the author's subheading.  The
    story's own header (with the <h1>, byline and date) stays chrome.
    """
    if not any(a.tag == "section" for a in el.iterancestors()):
        return False
    return next(el.iter("h1"), None) is None and next(el.iter(*_HEADING_TAGS), None) is not None


def chrome_reason(el: etree._Element, layout_words: frozenset[str] = frozenset()) -> str | None:
    """Why an element is chrome ("tag", "role", "class", "hidden"), or None.

    ``layout_words`` are class words that, on this page, name the layout rather than
    chrome (see :func:`remove_chrome`); they mark nothing.
    """
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in DROP_TAGS or (tag in CHROME_TAGS and not (tag == "header" and is_section_header(el))):
        return "tag"
    role = (el.get("role") or "").strip().lower()
    if role in CHROME_ROLES:
        return "role"
    if is_hidden(el):
        return "hidden"
    words = _judged_words(el)
    if chrome_class_words(el, words=words) - layout_words:
        return "class"
    weak = chrome_class_words(el, "chrome_tokens_weak.txt", words) - layout_words
    if weak and not (weak <= HEADING_ROLE_WORDS and is_heading_wrapper(el)) and not holds_story(el):
        return "class"
    if tag in _BOX_TAGS and is_titled_link_box(el):
        return "box"
    if is_note_apparatus(el):
        return "notes"
    return None


# DPUB-ARIA roles and the class names footnote plugins (Markdown, WordPress,
# Drupal) give the notes list; a reference mark is a short link to "#fn…".
_NOTE_ROLES = frozenset({"doc-endnotes", "doc-footnote", "doc-noteref", "doc-backlink"})
_NOTES_CLASSES = frozenset({"footnotes", "endnotes", "footnotes-list", "footnotes__list"})
_NOTE_LINK = re.compile(r"^#(fn|footnote|note|endnote|cite[_-]note|ftn)[\w:-]*$", re.I)


def is_note_apparatus(el: etree._Element) -> bool:
    """Footnote marks ("road.³") and the notes list: read aloud they interrupt the
    story, and as text they glue numbers to words."""
    if (el.get("role") or "").strip().lower() in _NOTE_ROLES:
        return True
    if _NOTES_CLASSES & set((el.get("class") or "").lower().split()):
        return True
    if el.tag == "sup":
        links = list(el.iter("a"))
        return bool(links) and all(_NOTE_LINK.match(a.get("href") or "") for a in links) \
            and len("".join(el.itertext()).strip()) <= 4
    return False


_BOX_TAGS = frozenset({"section", "div", "aside", "ul", "ol"})
# A titled box is a teaser panel, never a wrapper around the story.
MAX_BOX_CHARS = 2500
MIN_BOX_LINK_SHARE = 0.5


def _opening_heading(el: etree._Element) -> etree._Element | None:
    """The heading ``el`` opens with (no text before it), if any."""
    for node in el.iter():
        if node is el or not isinstance(node.tag, str):
            continue
        if node.tag in _HEADING_TAGS:
            return node
        if node.tag in _NO_TEXT_TAGS:
            continue
        if (node.text and node.text.strip()) or (node.tail and node.tail.strip()):
            return None
    return None


def is_titled_link_box(el: etree._Element) -> bool:
    """A panel titled "Recommended", "Related", "Most read" … made mostly of links,
    or one titled "Contact us", "About the author" … whatever it holds.

    Class names on modern pages are hashes ("sc-jrcTuL"), so the panel's own
    title is the surest sign of what it is; for teaser titles the link share
    keeps a story section that happens to open with such a title.
    """
    heading = _opening_heading(el)
    title = " ".join("".join(heading.itertext()).split()) if heading is not None else ""
    if not title or not is_chrome_heading(title):
        return False
    total = text_length(el) - text_length(heading)
    if total > MAX_BOX_CHARS or holds_story(el):
        return False
    if any_line_of("panel_headings.txt").search(title):
        return True  # "Contact us", "About the author": furniture whatever it holds
    linked = sum(text_length(a) for a in el.iter("a"))
    return total <= 0 or linked >= MIN_BOX_LINK_SHARE * total


_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})


def text_length(el: etree._Element) -> int:
    """Visible text length (script and style contents do not count)."""
    total = 0
    for node in el.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if node.text and tag not in _NO_TEXT_TAGS and isinstance(node.tag, str):
            total += len(node.text.strip())
        if node is not el and node.tail:
            total += len(node.tail.strip())
    return total


def _holds_the_prose(el: etree._Element, total: int) -> bool:
    length = text_length(el)
    if length <= MAX_CHROME_SHARE * total:
        return False
    linked = sum(text_length(a) for a in el.iter("a"))
    return linked < MAX_CHROME_SHARE * length


def remove_chrome(
    root: etree._Element,
    protected: set[etree._Element] | frozenset = frozenset(),
    keep: Callable[[etree._Element], bool] | None = None,
) -> int:
    """Remove chrome elements from ``root`` in place; return how many.

    ``protected`` elements (the story container and its ancestors) are never
    removed themselves, though chrome inside them is.  ``keep`` vetoes the
    removal of a landmark or class-matched element (the reader uses it for
    wrappers that hold nothing but an embed it has already lifted out).
    Iterative, so deeply nested pages cannot exhaust the stack.
    """
    total = max(text_length(root), 1)
    # A class word is a guess about one element.  Where the elements it marks hold most
    # of the page's story paragraphs together (a page builder calling every block, the
    # story's too, "elementor-widget"), it names this page's layout, not its chrome:
    # read again without it.  Only what it marks inside the story container counts
    # (a mega-menu's blurbs beside the story do not).
    layout: frozenset[str] = frozenset()
    story = None
    for _ in range(MAX_CHROME_WALKS):
        doomed, unwrap, story_by_word = _chrome_walk(root, protected, keep, total, layout)
        if story is None and story_by_word:
            story = max(story_paragraph_text(root), 1)
        layout_here = {w for w, n in story_by_word.items() if n > MAX_CHROME_SHARE * story}
        if layout_here <= layout:
            break
        layout |= layout_here
    for el in doomed:
        _drop(el)
    for el in unwrap:
        el.drop_tag()
    return len(doomed)


def _chrome_walk(root, protected, keep, total: int, layout: frozenset[str]):
    """The elements to remove and to unwrap, and how much story-paragraph text each
    class word removes."""
    # Class words are a guess; a guess never takes a page's main wrapper away.
    never_by_class = {"html", "body", "main"}
    doomed: list[etree._Element] = []
    unwrap: list[etree._Element] = []
    story_by_word: dict[str, int] = {}
    # The container is the innermost protected element; without one, all is "inside".
    container = next((p for p in protected if not any(c in protected for c in p)), None)
    stack = [(root, container is None)]
    while stack:
        el, inside = stack.pop()
        for child in el:
            if not isinstance(child.tag, str):  # comments, processing instructions
                doomed.append(child)
                continue
            reason = None if child in protected else chrome_reason(child, layout)
            if reason == "class":
                length = text_length(child)
                if child.tag in never_by_class or length > MAX_CHROME_SHARE * total:
                    reason = None
                elif inside:
                    story = story_paragraph_text(child)
                    for word in chrome_class_words(child) | chrome_class_words(child, "chrome_tokens_weak.txt"):
                        story_by_word[word] = story_by_word.get(word, 0) + story
            # A landmark (header, aside…) holding most of the page's text, and that text
            # prose rather than links, is not the site's chrome but a parse of unclosed
            # tags that put the story inside it.
            if reason == "tag" and child.tag in CHROME_TAGS and _holds_the_prose(child, total):
                unwrap.append(child)  # its tag goes (an extractor would drop it again), its content stays
                reason = None
            if reason in ("class", "tag", "role") and child.tag not in DROP_TAGS \
                    and keep is not None and keep(child):
                reason = None
            if reason:
                doomed.append(child)
            else:
                stack.append((child, inside or child is container))
    return doomed, unwrap, story_by_word


_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_safe(text: str | None) -> str | None:
    """Text lxml will accept back into a tree."""
    return _XML_INCOMPATIBLE.sub(" ", text) if text else text


def move_tail(el: etree._Element) -> None:
    """Hand an element's tail text to whatever precedes it, before it is removed."""
    parent = el.getparent()
    tail = el.tail
    if parent is None or not tail:
        return
    # The parser can leave characters (from numeric references) that lxml
    # refuses to set again; they are never story text.
    tail = _XML_INCOMPATIBLE.sub(" ", tail)
    prev = el.getprevious()
    if prev is not None:
        prev.tail = _XML_INCOMPATIBLE.sub(" ", prev.tail or "") + tail
    else:
        parent.text = _XML_INCOMPATIBLE.sub(" ", parent.text or "") + tail
    el.tail = None


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    move_tail(el)
    parent.remove(el)


def _words(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=None)
def _tab_rules(name: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    rules = []
    for line in data_lines(name):
        kind, _, pattern = line.partition("\t")
        rules.append((kind.strip(), re.compile(pattern.strip(), re.I)))
    return tuple(rules)


def press_boilerplate_kind(text: str, heading_like: bool) -> str | None:
    """"heading", "tail" or "line" for a press release's closing boilerplate (see the data file)."""
    text = " ".join(text.split())
    for kind, rx in _tab_rules("press_boilerplate.txt"):
        if kind == "heading" and not (heading_like and _words(text) <= 6):
            continue
        if rx.search(text):
            return kind
    return None


def is_boilerplate_line(text: str) -> bool:
    """A short paragraph that is a promo, share prompt or "read more" link."""
    text = " ".join(text.split())
    if not text or _words(text) > MAX_BOILERPLATE_WORDS:
        return False
    return any_line_of("chrome_lines.txt").search(text) is not None


def before_boilerplate(text: str) -> str:
    """``text`` up to its first sentence that is a promo or disclosure line: a dek ending in
    "We may earn a commission … Learn more." keeps what comes before."""
    kept: list[str] = []
    for sentence in split_sentences(text):
        if is_boilerplate_line(sentence):
            break
        kept.append(sentence)
    return " ".join(kept)


def is_chrome_heading(text: str) -> bool:
    text = " ".join(text.split()).strip(" :")
    return any_line_of("chrome_headings.txt").search(text) is not None


def credit_kind(text: str) -> str | None:
    """The kind of credit line this paragraph is, or None for story text."""
    text = " ".join(text.split())
    if not text or _words(text) > MAX_CREDIT_WORDS:
        return None
    for kind, rx in _tab_rules("credit_lines.txt"):
        if rx.search(text):
            return kind
    return None
