"""Step 4: prepare the DOM for the extractor — the story container, the lead figure,
byline and dek, placeholders, and putting back lifted structures the extractor lost."""
from __future__ import annotations

import re

from lxml import etree

from ..chrome import CHROME_TAGS, STORY_PARAGRAPH_WORDS, class_words, holds_story, xml_safe
from ..draft import DraftBlock
from .headings import lead_text
from .convert import _Converter
from .dom import _PLACEHOLDER, _tag, _text, clean, words_key
from .lifting import _Lifted, _drop_keep_tail, _figure_block
from .metadata import PageMeta


_DEK_WORDS = {"dek", "deck", "standfirst", "subtitle", "subheadline", "strapline", "kicker-sub", "entradilla",
              "sumario", "linha-fina"}
_BYLINE_WORDS = ("byline", "author")
# Any of those words anywhere in a class or id (one scan of the lower-cased names; the words
# are then checked exactly).  Lower-casing first: a case-insensitive alternation is ten
# times slower, and this runs on every element.
_NAMED_LIKE_DEK_OR_BYLINE = re.compile("|".join(sorted({*_DEK_WORDS, *_BYLINE_WORDS})))


def _main_container(root: etree._Element) -> etree._Element | None:
    """The element most likely to hold the story (protected from chrome rules)."""
    best, best_len = None, 0
    for el in root.iter("main", "article"):
        n = sum(len(clean(p.text_content())) for p in el.iter("p"))
        # ">=" plus document order: an <article> inside <main> with the same
        # paragraphs wins, so the deeper, tighter container is protected.
        if n >= best_len and n > 0:
            best, best_len = el, n
    for el in root.xpath('//*[@itemprop="articleBody" or @property="articleBody"]'):
        n = sum(len(clean(p.text_content())) for p in el.iter("p"))
        if n >= best_len * 0.5:
            best, best_len = el, n
    return best


_PAGE_POST = re.compile(r"(?:^|\s)postid-(\d+)(?:\s|$)")
_POST_CLASS = re.compile(r"(?:^|\s)post-(\d+)(?:\s|$)")


def _drop_other_posts(root: etree._Element) -> None:
    """Remove teasers of the site's other posts, before the story container is chosen.

    A blog names the post a page shows on its body ("postid-3767") and every post it
    renders on the element that holds it ("post-4185"): an element naming another post
    is a teaser (a "recent posts" grid, the next post's card), however it is styled —
    and, being an <article>, it must not be taken for the story.  One that holds a
    story of its own (paragraphs, not an excerpt) is left to the other rules.
    """
    body = root.find("body")
    page = _PAGE_POST.search(body.get("class") or "") if body is not None else None
    if page is None:
        return
    for el in list(root.iter("article", "div", "li", "section")):
        if el.getparent() is None:
            continue
        post = _POST_CLASS.search(el.get("class") or "")
        if post and post.group(1) != page.group(1) and not holds_story(el):
            _drop_keep_tail(el)


# Phrasing content (HTML's inline elements): a <div> holding only these and text is a paragraph.
_PHRASING_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn", "em", "i",
                            "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time",
                            "u", "var", "wbr", "font"})


def _paragraph_divs(root: etree._Element) -> None:
    """A <div> whose content is a paragraph of prose (text and phrasing elements only, a
    story paragraph's length) becomes a <p>: the extractor reads a div of mixed text by
    other rules, and on some pages drops the text before its first bold run and the space
    after it ("… comes with a <strong>Score Report</strong> that covers" → "Score
    Reportthat covers")."""
    for div in root.iter("div"):
        # One look at the descendants, stopped at the first block (most divs hold one).
        phrasing_element = False
        for inner in div.iterdescendants():
            if not isinstance(inner.tag, str) or inner.tag not in _PHRASING_TAGS:
                break
            phrasing_element = phrasing_element or inner.tag not in ("br", "wbr")
        else:
            # Plain text (no element but line breaks): the extractor reads it whole.
            if phrasing_element and len("".join(div.itertext()).split()) >= STORY_PARAGRAPH_WORDS:
                div.tag = "p"


def _protected(container: etree._Element | None) -> set[etree._Element]:
    if container is None:
        return set()
    return {container, *container.iterancestors()}


# Text blocks whose class names the extractor's own chrome filters would read
# as widgets ("mp-ratings", "meta-list", "slide-caption").
_STORY_BLOCK_TAGS = ("p", "ul", "ol", "li", "dl", "dt", "dd")


def _unclass_story_blocks(container: etree._Element | None) -> None:
    """Drop class and id from text blocks inside the story container.

    Our chrome rules have already run on them; what survived is story.  The
    body extractor judges blocks by class words again ("rating", "meta",
    "slide"), and a match-report ratings list or a "meta" paragraph would be
    lost.  Wrappers (div, section) keep their names: they guide the choice of
    container.
    """
    if container is None:
        return
    for el in container.iter(*_STORY_BLOCK_TAGS):
        for attr in ("class", "id"):
            el.attrib.pop(attr, None)


def _unwrap_chrome_ancestors(container: etree._Element | None) -> None:
    """Unwrap chrome elements (``aside``, ``header``…) that hold the story container.

    A story inside a site header or a newsletter pop-up is a parse of unclosed
    tags (the pop-up's ``<aside>`` never closed, so the parser nests the whole
    page in it), not a design: the extractor would drop the story with its
    wrapper.  The wrapper's tag goes, its content stays where it was.
    """
    if container is None:
        return
    for ancestor in list(container.iterancestors(*CHROME_TAGS)):
        ancestor.drop_tag()


# Lifted blocks the extractor may lose with their placeholder (seen: a quote in
# a live-blog post); pull quotes repeat the text and embeds are not story.
_RESTORABLE_KINDS = {"quote", "figure", "table"}
MIN_RESTORED_QUOTE_WORDS = 6


def _placeholder_neighbours(scope: etree._Element) -> dict[int, tuple[str, str]]:
    """For each placeholder inside ``scope``: the text right before it and right after it."""
    events: list[tuple[str, object]] = []
    for node in scope.iter():
        if not isinstance(node.tag, str):
            continue
        match = _PLACEHOLDER.fullmatch((node.text or "").strip()) if node.tag == "p" else None
        if match:
            events.append(("ph", int(match.group(1))))
        elif node.text and node.text.strip():
            events.append(("text", clean(node.text)))
        if node is not scope and node.tail and node.tail.strip():
            events.append(("text", clean(node.tail)))
    neighbours: dict[int, tuple[str, str]] = {}
    previous = ""
    waiting: list[int] = []
    for kind, value in events:
        if kind == "ph":
            waiting.append(value)  # type: ignore[arg-type]
            continue
        for n in waiting:
            neighbours[n] = (previous, str(value))
        waiting, previous = [], str(value)
    for n in waiting:
        neighbours[n] = (previous, "")
    return neighbours


def _opening_words(block: DraftBlock, n: int) -> list[str]:
    return words_key(lead_text(block)).split()[:n]


def _restore_lifted(blocks: list[DraftBlock], converter: "_Converter",
                    neighbours: dict[int, tuple[str, str]]) -> None:
    """Put back quotes, figures and tables whose placeholder the extractor dropped.

    Only next to story text that survived (the paragraph that followed them
    on the page, else the one before), so nothing from outside the story
    comes back.
    """
    for n in sorted(neighbours):
        block = converter.lifted.blocks.get(n)
        if n in converter.used or block is None or block.kind not in _RESTORABLE_KINDS:
            continue
        if block.kind == "quote" and (block.quote_kind == "pull" or len((block.text or "").split()) < MIN_RESTORED_QUOTE_WORDS):
            continue  # a pull quote repeats the text; a one-word "quote" is a widget title
        before, after = (words_key(t).split()[:8] for t in neighbours[n])
        at = None
        if len(after) >= 3:
            at = next((i for i, b in enumerate(blocks) if _opening_words(b, len(after)) == after), None)
        if at is None and len(before) >= 3:
            at = next((i + 1 for i, b in enumerate(blocks) if _opening_words(b, len(before)) == before), None)
        if at is not None:
            blocks.insert(at, block)
            converter.bold_flags.insert(at, False)
            converter.used.add(n)


def _holds_only_placeholders(el: etree._Element) -> bool:
    """A wrapper (e.g. "article-widget") around nothing but lifted structures."""
    found = False
    for text in el.itertext():  # a word outside a placeholder ends the look at once
        if re.search(r"\w", _PLACEHOLDER.sub("", text)):
            return False
        found = found or _PLACEHOLDER.search(text) is not None
    return found


def _unwrap_placeholders(root: etree._Element) -> None:
    """Replace wrappers that hold only placeholders by the placeholders.

    Extractors discard elements named like widgets or embeds; a wrapper
    "article-widget article-tweet" around a lifted tweet would take the
    placeholder with it.
    """
    for ph in list(root.iter("p")):
        if not (ph.text and _PLACEHOLDER.fullmatch(ph.text.strip())) or ph.getparent() is None:
            continue
        top = None
        anc = ph.getparent()
        while anc is not None and _tag(anc) not in ("body", "html", "article", "main") \
                and _holds_only_placeholders(anc):
            top, anc = anc, anc.getparent()
        if top is None or top.getparent() is None:
            continue
        parent = top.getparent()
        index = parent.index(top)
        kept = [p for p in top.iter("p") if p.text and _PLACEHOLDER.fullmatch(p.text.strip())]
        tail = top.tail
        parent.remove(top)
        for offset, p in enumerate(kept):
            p.tail = None
            parent.insert(index + offset, p)
        if kept:
            kept[-1].tail = xml_safe(tail)


_LOGO_SRC = re.compile(r"logo|avatar|icon|sprite|badge", re.I)
# A lead image is a photograph, not a thumbnail: when the page gives a width
# it is at least this wide.
MIN_LEAD_IMAGE_WIDTH = 300


def _article_header(root: etree._Element, container: etree._Element | None) -> etree._Element | None:
    """The <header> of the story (inside its container, or holding the headline)."""
    for header in root.iter("header"):
        inside = container is not None and any(a is container for a in header.iterancestors())
        if inside or any(True for _ in header.iter("h1")):
            return header
    return None


def _lead_image(header: etree._Element) -> etree._Element | None:
    for img in header.iter("img"):
        if any(_tag(a) in ("nav", "a") for a in img.iterancestors()) or _LOGO_SRC.search(img.get("src") or ""):
            continue
        width = (img.get("width") or "").strip()
        if width.isdigit() and int(width) < MIN_LEAD_IMAGE_WIDTH:
            continue
        return img
    return None


def _keep_lead_figure(root: etree._Element, container: etree._Element | None, lifted: _Lifted) -> int | None:
    """Move the story header's lead image out of the header (chrome) to just after it.

    Returns the lead figure's placeholder number.  Its caption stays a
    caption: the figure block carries it, never the body text.
    """
    header = _article_header(root, container)
    if header is None or header.getparent() is None:
        return None
    placeholder = None
    for p in header.iter("p"):
        match = _PLACEHOLDER.fullmatch((p.text or "").strip())
        if match and lifted.blocks.get(int(match.group(1))) is not None \
                and lifted.blocks[int(match.group(1))].kind == "figure" and lifted.blocks[int(match.group(1))].src:
            placeholder = p
            break
    if placeholder is None:
        img = _lead_image(header)
        if img is None or img.getparent() is None:
            return None
        lifted.put(img, _figure_block(img, None))
        placeholder = next(p for p in header.iter("p") if p.text == f"xqzph{len(lifted.blocks) - 1}qzx")
    number = int(_PLACEHOLDER.fullmatch(placeholder.text.strip()).group(1))
    _drop_keep_tail(placeholder)
    placeholder.tail = None
    header.addnext(placeholder)
    return number


def _dek_window(elements: list[etree._Element]):
    """Where a dek (standfirst) can stand among the page's ``elements`` (document order):
    after the headline, before the story's first paragraph.  An element named like a dek
    elsewhere — a newsletter box's "subtitle", a promo above the headline, a sidebar's
    "subheadline" under the story — is not the story's dek.  Returns a test for elements."""
    order = {el: i for i, el in enumerate(elements)}
    h1 = next((el for el in elements if el.tag == "h1" and _text(el)), None)
    start = order[h1] if h1 is not None else -1
    end = next((order[p] for p in elements
                if p.tag == "p" and order[p] > start and len(_text(p).split()) >= STORY_PARAGRAPH_WORDS), len(order))
    # "<=": a long standfirst paragraph is itself the first paragraph after the headline.
    return lambda el: start < order.get(el, -1) <= end


_COMMENT_WORDS = frozenset({"comment", "comments", "commentlist"})
_PAGE_WRAPPERS = frozenset({"html", "body", "main", "article"})


def _in_comment_thread(el: etree._Element) -> bool:
    """Inside the readers' comments ("comment-author", ``#comments``): a commenter's name,
    not the author's.  The page's own wrappers (``body``, ``article`` …) are not asked: a
    state class there ("comments-open") says nothing of where the byline stands."""
    return any(not _COMMENT_WORDS.isdisjoint(class_words(node))
               for node in (el, *el.iterancestors()) if node.tag not in _PAGE_WRAPPERS)


def _take_byline_and_dek(root: etree._Element, meta: PageMeta) -> None:
    """Read a byline element and a dek element, then remove them from the DOM."""
    elements = list(root.iter())
    in_dek_window = None  # made when the first dek candidate is met: most pages have none
    for el in elements:
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        is_author = el.get("rel") == "author" or el.get("itemprop") == "author"
        if not is_author and not _NAMED_LIKE_DEK_OR_BYLINE.search(f"{el.get('class') or ''} {el.get('id') or ''}".lower()):
            continue  # cheap test first: most elements are neither
        words = class_words(el)
        is_dek = any(w in _DEK_WORDS for w in words)
        is_byline = is_author or any(w.startswith(_BYLINE_WORDS) for w in words)
        if not (is_dek and meta.dek is None) and not (is_byline and meta.byline is None):
            continue
        text = _text(el)
        n = len(text.split())
        if not text or n > 60:
            continue
        if is_dek and meta.dek is None and n >= 4 and _tag(el) not in _PAGE_WRAPPERS \
                and (in_dek_window := in_dek_window or _dek_window(elements))(el):
            meta.dek = text
            _drop_keep_tail(el)
        elif is_byline and meta.byline is None and n <= 25 and not _in_comment_thread(el):
            meta.byline = text
