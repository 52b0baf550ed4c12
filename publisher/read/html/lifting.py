"""Step 3: lift figures, captions, credits, embeds, pull quotes, block quotes and data tables
out of the DOM into a side table, leaving a placeholder where each stood."""
from __future__ import annotations

import re

from lxml import etree

from ..chrome import class_words, move_tail, xml_safe
from ..draft import DraftBlock
from .dom import _tag, _text, clean, safe_url
from .metadata import _lang_code


_EMBED_CLASSES = {
    "twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "bluesky-embed",
    "mastodon-embed", "threads-embed", "fb-xfbml-parse-ignore", "reddit-card", "text-post-media",
}
_PULL_WORDS = {"pullquote", "pull", "pullout", "blockquote-pull", "inline-quote"}
_CAPTION_WORDS = {"caption", "figcaption", "wp-caption-text", "image-caption", "photo-caption"}
_CREDIT_WORDS = ("credit", "copyright", "photographer", "source", "byline", "attribution", "courtesy")


_LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src",
                   "data-full-src", "data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER_IMG = re.compile(r"placeholder|lazy|blank\.gif|spacer|pixel|transparent|grey\.gif|1x1", re.I)
# Images that are never a story's picture, by what their address calls them: a person's
# avatar, the site's favicon or touch icon, a theme's icon folder, a dummy or spacer left
# where a lazy loader never wrote the real source.
_NOT_A_PICTURE = re.compile(
    r"gravatar\.com/|(?:^|[/_-])avatars?(?:[/_.-]|$)|favicon|apple-touch-icon|/icons?/"
    r"|(?:^|[/_-])(?:dummy|spacer)(?:[/_.-]|$)", re.I)


class _Lifted:
    """Structures taken out of the DOM, keyed by their placeholder number."""

    def __init__(self) -> None:
        self.blocks: dict[int, DraftBlock] = {}

    def put(self, el: etree._Element, block: DraftBlock | None) -> None:
        """Replace ``el`` by a placeholder paragraph for ``block`` (or remove it)."""
        parent = el.getparent()
        if parent is None:
            return
        if block is None:
            _drop_keep_tail(el)
            return
        n = len(self.blocks)
        self.blocks[n] = block
        ph = etree.Element("p")
        ph.text = f"xqzph{n}qzx"
        ph.tail = xml_safe(el.tail)
        parent.replace(el, ph)


def _drop_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    move_tail(el)
    parent.remove(el)


def _image_src(img: etree._Element) -> str | None:
    src = img.get("src") or ""
    if not src.strip() or src.startswith("data:") or _PLACEHOLDER_IMG.search(src):
        for attr in _LAZY_SRC_ATTRS:
            value = (img.get(attr) or "").strip()
            if value and not value.startswith("data:"):
                src = value.split(",")[0].strip().split(" ")[0]
                break
    if _NOT_A_PICTURE.search(src.split("?")[0]):
        return None
    return safe_url(src)


def _is_tiny(img: etree._Element) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip()
        if value.isdigit() and int(value) < 40:
            return True
    return False


def _find_image(el: etree._Element) -> etree._Element | None:
    for img in el.iter("img"):
        if not _is_tiny(img):
            return img
    return None


def _lang_of(el: etree._Element) -> str | None:
    return _lang_code(el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang"))


def _split_credit(caption_el: etree._Element) -> tuple[str, str | None]:
    """Caption text and a credit found in a credit-like span inside it."""
    credit_parts: list[str] = []
    for el in list(caption_el.iter()):
        if el is caption_el or not isinstance(el.tag, str):
            continue
        words = class_words(el)
        if _tag(el) in ("small", "cite") or any(w.startswith(_CREDIT_WORDS) for w in words) \
                or el.get("itemprop") in ("copyrightHolder", "creator", "author"):
            text = _text(el)
            if text and el.getparent() is not None:
                credit_parts.append(text)
                _drop_keep_tail(el)
    caption = _text(caption_el)
    credit = clean(" ".join(credit_parts)) or None
    if credit is None:
        # "Caption text. Photo: Agency" / "(Photo: Agency)" written inline.
        match = re.search(
            r"[\s(\[|/-]*\b((?:photo|photograph|image|picture|illustration|foto|imagem|фото)s?\s*"
            r"(?:by|credit|:)\s*[^()\[\]]{2,80})[)\]]?\s*$", caption, re.I)
        if match and match.start() > 0:
            credit = clean(match.group(1))
            caption = clean(caption[:match.start()])
    return caption, credit


def _figure_block(fig: etree._Element, caption_el: etree._Element | None) -> DraftBlock | None:
    img = _find_image(fig)
    caption, credit = _split_credit(caption_el) if caption_el is not None else ("", None)
    src = _image_src(img) if img is not None else None
    if src is None and not caption:
        return None
    alt = img.get("alt") if img is not None else None
    return DraftBlock("figure", src=src, alt=alt, caption=caption or None, credit=credit,
                      lang=_lang_of(caption_el) if caption_el is not None else None)


def _quote_text(el: etree._Element) -> str:
    """A quote's paragraphs joined by blank lines (its own <p>s, or its text)."""
    paras = [_text(p) for p in el.iter("p")]
    paras = [p for p in paras if p]
    if not paras:
        return _text(el)
    # Text outside the <p>s (tweets put "— Name (@handle) date" there).
    outside = []
    if el.text and el.text.strip():
        outside.append(el.text)
    for child in el:
        if child.tail and child.tail.strip():
            outside.append(child.tail)
        if _tag(child) not in ("p",) and not any(True for _ in child.iter("p")):
            t = _text(child)
            if t:
                outside.append(t)
    tail = clean(" ".join(outside))
    return "\n\n".join(paras + ([tail] if tail else []))


_EMBED_ATTRIBUTION = re.compile(r"[—–-]\s*([^—–\n]*?\(@[\w.]+\))")
_EMBED_SHARED_BY = re.compile(r"(?:a post shared by|publicação compartilhada por)\s+(.+?)(?:\s+on\s+|\s+em\s+|$)", re.I)
_EMBED_NOISE = re.compile(r"^(view this post on instagram|ver esta publicação no instagram|see more|view more)\b", re.I)


def _embed_block(el: etree._Element) -> DraftBlock:
    text = _quote_text(el)
    parts = [p for p in text.split("\n\n") if p and not _EMBED_NOISE.match(p)]
    text = "\n\n".join(parts)
    match = _EMBED_ATTRIBUTION.search(text) or _EMBED_SHARED_BY.search(text)
    attribution = clean(match.group(1)) if match else None
    cite = None
    for a in el.iter("a"):
        href = safe_url(a.get("href"))
        if href and re.search(r"/status/|/p/|/post/|/video/", href):
            cite = href
    return DraftBlock("quote", text=text, quote_kind="embed", attribution=attribution, cite=cite,
                      lang=_lang_of(el) or next((_lang_of(p) for p in el.iter("p") if _lang_of(p)), None))


def _blockquote_block(el: etree._Element, kind: str) -> DraftBlock | None:
    attribution = None
    for child in list(el.iter("footer", "cite", "figcaption")):
        if child is el:
            continue
        t = _text(child)
        if t and len(t.split()) <= 20 and child.getparent() is not None:
            attribution = clean(t.lstrip("—–- "))
            _drop_keep_tail(child)
            break
    text = _quote_text(el)
    if not clean(text):
        return None
    return DraftBlock("quote", text=text, quote_kind=kind, attribution=attribution,
                      cite=safe_url(el.get("cite")), lang=_lang_of(el))


def _is_pull(el: etree._Element) -> bool:
    words = class_words(el)
    joined = "-".join(words)
    return any(w in _PULL_WORDS for w in words) or "pull-quote" in joined or "pullquote" in joined


def _is_caption_el(el: etree._Element) -> bool:
    if _tag(el) == "figcaption":
        return True
    if "caption" not in (el.get("class") or "").lower() + (el.get("id") or "").lower():
        return False
    words = class_words(el)
    return any(w in _CAPTION_WORDS or w.endswith("caption") for w in words)


def _is_data_table(table: etree._Element) -> bool:
    """A table of data (lifted whole), not a layout grid (left to the extractor)."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return False
    if any(True for t in table.iter("table") if t is not table):
        return False
    if any(True for _ in table.iter("div", "p", "ul", "ol", "blockquote", "figure", "h1", "h2", "h3")):
        return False
    rows = [r for r in table.iter("tr")]
    if len(rows) < 2 or max(sum(1 for c in r if _tag(c) in ("td", "th")) for r in rows) < 2:
        return False
    return len(_text(table)) < 20_000


# The HTML limits (colspan 1000, rowspan 65534) are for layouts; a data table's real spans are small.
MAX_SPAN = 100


def _span(cell: etree._Element, attr: str) -> int:
    value = (cell.get(attr) or "").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def _table_block(table: etree._Element) -> DraftBlock | None:
    rows: list[list[tuple[str, bool]]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for tr in table.iter("tr"):
        in_head = any(_tag(a) == "thead" for a in tr.iterancestors("thead"))
        cells = [c for c in tr if _tag(c) in ("td", "th")]
        texts = [(_text(c), _tag(c) == "th" or in_head) for c in cells]
        if not any(text for text, _ in texts):
            continue
        for column, cell in enumerate(cells):
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            if (colspan, rowspan) != (1, 1):
                spans[(len(rows), column)] = (colspan, rowspan)
        rows.append(texts)
    if not rows:
        return None
    # A span never reaches past the last row kept (empty rows were left out).
    spans = {(r, c): (cs, min(rs, len(rows) - r)) for (r, c), (cs, rs) in spans.items()}
    caption_el = next(iter(table.iter("caption")), None)
    caption = _text(caption_el) if caption_el is not None else None
    return DraftBlock("table", rows=rows, spans=spans, caption=caption or None, lang=_lang_of(table))


def lift_structures(root: etree._Element, lifted: _Lifted) -> None:
    """Take figures, embeds and quotes out of the DOM (see module docstring)."""
    # Embeds first: they are blockquotes too.
    for el in list(root.iter("blockquote", "div")):
        classes = set((el.get("class") or "").lower().split())
        if classes & _EMBED_CLASSES and el.getparent() is not None:
            lifted.put(el, _embed_block(el))
    for el in list(root.iter("blockquote", "aside", "div", "figure", "p")):
        if "pull" not in (el.get("class") or "").lower() or el.getparent() is None or not _is_pull(el):
            continue
        if len(_text(el).split()) > 120:
            continue
        lifted.put(el, _blockquote_block(el, "pull"))
    for el in list(root.iter("figure")):
        if el.getparent() is None:
            continue
        if any(True for _ in el.iter("blockquote")) and _find_image(el) is None:
            bq = next(el.iter("blockquote"))
            caption = next(iter(el.iter("figcaption")), None)
            block = _blockquote_block(bq, "block")
            if block and caption is not None and not block.attribution:
                block.attribution = clean(_text(caption).lstrip("—–- ")) or None
            lifted.put(el, block)
            continue
        caption = next(iter(el.iter("figcaption")), None)
        if caption is None:
            caption = next((c for c in el.iter() if c is not el and _is_caption_el(c)), None)
        lifted.put(el, _figure_block(el, caption))
    for el in list(root.iter("blockquote")):
        if el.getparent() is None:
            continue
        lifted.put(el, _blockquote_block(el, "block"))
    for el in list(root.iter("table")):
        if el.getparent() is not None and _is_data_table(el):
            lifted.put(el, _table_block(el))
    # Caption elements outside <figure> (WordPress "wp-caption", "image-caption"):
    # a wrapper holding just an image and its caption becomes a figure; a
    # stray caption is dropped (captions are never story text).
    for el in list(root.iter()):
        if el.getparent() is None or not isinstance(el.tag, str) or not _is_caption_el(el):
            continue
        if _find_image(el) is not None:
            # "wp-caption" names the image-and-caption wrapper itself.
            inner = next((c for c in el.iter() if c is not el and _is_caption_el(c)), None)
            if inner is not None or len(_text(el).split()) <= 80:
                lifted.put(el, _figure_block(el, inner))
            continue
        if len(_text(el).split()) > 80:
            continue
        wrapper = el.getparent()
        if wrapper is not None and _find_image(wrapper) is not None and wrapper.getparent() is not None \
                and len(_text(wrapper)) <= len(_text(el)) + 2 and _tag(wrapper) not in ("body", "html"):
            lifted.put(wrapper, _figure_block(wrapper, el))
        else:
            _drop_keep_tail(el)
    # Remaining images: fix lazy-loaded sources, drop unsafe and tiny ones.
    for img in list(root.iter("img")):
        src = _image_src(img)
        if src is None or _is_tiny(img) or any(w in ("avatar", "logo", "icon", "emoji", "sprite")
                                               for w in class_words(img)):
            _drop_keep_tail(img)
            continue
        img.set("src", src)
