"""HTML pages → :class:`DraftArticle`: metadata, the story body, its structure.

Pipeline (each step a function below):

1. guard the input (empty, binary, huge) and decode it (:mod:`.encoding`);
2. parse once with lxml and read the metadata (``<html lang>``, ``<meta>``,
   OpenGraph, JSON-LD, canonical link);
3. lift the structures a text extractor flattens or drops — figures with
   captions and credits, embedded posts, pull quotes, block quotes with their
   attribution — out of the DOM into a side table, leaving a one-word
   placeholder paragraph where each stood;
4. remove page chrome (:mod:`.chrome`);
5. let trafilatura pick the story container and its paragraphs (its body
   XML keeps headings, lists, tables and emphasis);
6. turn that XML into draft blocks in reading order, putting each lifted
   structure back where its placeholder survived (a placeholder that did not
   survive was outside the story, e.g. a related-stories thumbnail);
7. line rules: drop the title/dek repeated in the body, bylines and date
   lines at the edges, promos, chrome headings, tag clouds and press-release
   boilerplate; mark credit lines; promote bold one-line paragraphs to
   subheadings where the page uses them that way.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import lxml.html
from lxml import etree

from ..errors import InputError
from .chrome import (
    class_words, move_tail, xml_safe, credit_kind, is_boilerplate_line, is_chrome_heading, press_boilerplate_kind,
    remove_chrome,
)
from .fallback import block_words, decide
from .language import article_language, story_text_of
from .draft import DraftArticle, DraftBlock
from .encoding import decode_html
from .html_headings import (MAX_OPENING_HEADING_WORDS, heading_anchors, prepare_headings, restore_headings,
                            strip_permalink_marks, lead_text, words_key)

# Bounded work: pages above this size are refused rather than parsed.
MAX_INPUT_BYTES = 16 * 1024 * 1024
# libxml2 already refuses absurd nesting; our own walks are iterative, and
# recursive helpers stop at this depth.
MAX_DEPTH = 400

_SPACE = re.compile(r"\s+")
_CONTROL_REFERENCE = re.compile(r"&#(0*([0-9]|[12][0-9]|3[01]|127)|x0*([0-9a-f]|1[0-9a-f]|7f));?", re.I)
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_PLACEHOLDER = re.compile(r"xqzph(\d+)qzx")
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "liveblogposting", "report", "posting", "socialmediaposting", "webpage",
}
_EMBED_CLASSES = {
    "twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "bluesky-embed",
    "mastodon-embed", "threads-embed", "fb-xfbml-parse-ignore", "reddit-card", "text-post-media",
}
_PULL_WORDS = {"pullquote", "pull", "pullout", "blockquote-pull", "inline-quote"}
_CAPTION_WORDS = {"caption", "figcaption", "wp-caption-text", "image-caption", "photo-caption"}
_CREDIT_WORDS = ("credit", "copyright", "photographer", "source", "byline", "attribution", "courtesy")
_DEK_WORDS = {"dek", "deck", "standfirst", "subtitle", "subheadline", "strapline", "kicker-sub", "entradilla",
              "sumario", "linha-fina"}
_BYLINE_WORDS = ("byline", "author")
_LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-url", "data-hi-res-src",
                   "data-full-src", "data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER_IMG = re.compile(r"placeholder|lazy|blank\.gif|spacer|pixel|transparent|grey\.gif|1x1", re.I)
_SAFE_SCHEME = re.compile(r"^(https?:)?//", re.I)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


# --------------------------------------------------------------------------- text helpers

def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _norm_words(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def safe_url(url: str | None) -> str | None:
    """http(s) URLs and relative paths only: never javascript:, data: …"""
    if not url:
        return None
    url = "".join(ch for ch in url.strip() if ch >= " " and ch != "\x7f")
    if not url or url.startswith("#"):
        return None
    if url.startswith("//"):
        return "https:" + url
    if _SAFE_SCHEME.match(url):
        return url
    if _ANY_SCHEME.match(url):
        return None
    return url


def _text(el: etree._Element) -> str:
    return clean(" ".join(t for t in el.itertext()))


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


# --------------------------------------------------------------------------- input guards

def _check_bytes(data: bytes, path: str) -> None:
    if not data or not data.strip():
        raise InputError("empty file: no HTML to read", path)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"page too large ({len(data) // (1024 * 1024)} MiB; the limit is "
            f"{MAX_INPUT_BYTES // (1024 * 1024)} MiB)", path)
    head = data[:4096]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in head or _binary_share(head) > 0.1):
        raise InputError("not an HTML page: the file holds binary data", path)


def _binary_share(head: bytes) -> float:
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / max(len(head), 1)


_ELEMENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*(?::[A-Za-z][A-Za-z0-9._-]*)?$")


def _parse(text: str, path: str) -> etree._Element:
    if "<" not in text or not re.search(r"<[a-zA-Z!]", text):
        raise InputError("no HTML markup found", path)
    # Control characters (and U+FFFE/U+FFFF) cannot live in an lxml tree; they
    # are never story text either.
    text = _XML_INCOMPATIBLE.sub(" ", text)
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"cannot parse HTML ({clean(str(exc)) or 'empty document'})", path) from None
    if root is None:
        raise InputError("cannot parse HTML (empty document)", path)
    # "<scr<script>ipt>" parses as an element named "scr<script" that wraps the
    # rest of its paragraph: it is no element of any vocabulary, so its tag
    # goes and its text stays (as a browser shows it).
    bogus = [el.tag for el in root.iter() if isinstance(el.tag, str) and not _ELEMENT_NAME.match(el.tag)]
    if bogus:
        etree.strip_tags(root, *set(bogus))
    if _CONTROL_REFERENCE.search(text):
        # Numeric references (&#12;) put control characters into the tree,
        # where later edits and the extractor would choke on them.
        for el in root.iter():
            if el.text and _XML_INCOMPATIBLE.search(el.text):
                el.text = xml_safe(el.text)
            if el.tail and _XML_INCOMPATIBLE.search(el.tail):
                el.tail = xml_safe(el.tail)
    return root


# --------------------------------------------------------------------------- metadata

@dataclass
class PageMeta:
    title: str | None = None
    h1: str | None = None
    dek: str | None = None  # an explicit dek/standfirst element
    description: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    canonical: str | None = None
    url: str | None = None
    site_name: str | None = None
    image: str | None = None
    authors: list[str] = field(default_factory=list)


def _meta_map(root: etree._Element) -> dict[str, str]:
    """<meta> name/property → content (first one wins)."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and clean(content) and key not in out:
            out[key] = clean(content)
        equiv = (m.get("http-equiv") or "").strip().lower()
        if equiv == "content-language" and content and "http-equiv:content-language" not in out:
            out["http-equiv:content-language"] = clean(content)
    return out


def _json_ld_objects(root: etree._Element) -> Iterator[dict]:
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        seen = 0
        while stack and seen < 500:  # bounded: hostile JSON-LD cannot stall us
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in items if x}


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [clean(value)] if clean(value) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _first_url(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("@id") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _first_url(value[0])
    return None


def _json_ld_article(root: etree._Element) -> dict:
    best: dict = {}
    for obj in _json_ld_objects(root):
        types = _types(obj)
        if types & _ARTICLE_TYPES and ("headline" in obj or "articleBody" in obj):
            if not best or "webpage" in _types(best):
                best = obj
    return best


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().split(",")[0].strip().replace("_", "-")
    return value if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value) else None


def _strip_site_suffix(title: str, site: str | None) -> str:
    """"Headline - Site" → "Headline"; "Site :: Section :: Headline" → "Headline"."""
    parts = re.split(r"\s+(?:[|–—·»:-]|::|//)\s+", title)
    if len(parts) > 1:
        if site and _norm_words(parts[-1]) == _norm_words(site):
            return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
        if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 4:
            return parts[0]
        if all(len(p.split()) <= 4 for p in parts[:-1]) and len(parts[-1].split()) >= 5:
            return parts[-1]  # site and section names first, as older CMSs wrote titles
    return title


def read_metadata(root: etree._Element) -> PageMeta:
    meta = _meta_map(root)
    ld = _json_ld_article(root)
    m = PageMeta()
    m.site_name = (meta.get("og:site_name") or clean(" ".join(_names(ld.get("publisher"))[:1]))
                   or meta.get("application-name") or None)
    h1 = next((h for h in root.iter("h1") if _text(h)), None)
    m.h1 = _text(h1) if h1 is not None else None
    title_el = next(iter(root.iter("title")), None)
    doc_title = _text(title_el) if title_el is not None else None
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    m.title = clean(headline) or meta.get("og:title") or meta.get("twitter:title") or m.h1 or doc_title
    if m.title:
        m.title = _strip_site_suffix(m.title, m.site_name)
    m.description = (clean(ld.get("description")) if isinstance(ld.get("description"), str) else None) \
        or meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
    m.authors = _names(ld.get("author")) or _names(ld.get("creator"))
    if not m.authors:
        author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator")
        if author and not _SAFE_SCHEME.match(author):
            m.authors = [author]
    published = ld.get("datePublished") or ld.get("dateCreated") or meta.get("article:published_time") \
        or meta.get("og:published_time") or meta.get("pubdate") or meta.get("publishdate") \
        or meta.get("date") or meta.get("dc.date") or meta.get("dc.date.issued")
    if not published:
        t = next((t for t in root.iter("time") if t.get("datetime")), None)
        published = t.get("datetime") if t is not None else None
    m.published = clean(str(published)) if published else None
    html_el = root if _tag(root) == "html" else root.getroottree().getroot()
    m.language = (_lang_code(html_el.get("lang") or html_el.get("xml:lang"))
                  or _lang_code(meta.get("http-equiv:content-language"))
                  or _lang_code(ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
                  or _lang_code(meta.get("og:locale")))
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = safe_url(link.get("href"))
        if "canonical" in rels and href and href.lower().startswith("http"):
            m.canonical = href
            break
    url = m.canonical or meta.get("og:url") or _first_url(ld.get("url")) or _first_url(ld.get("mainEntityOfPage"))
    url = safe_url(url)
    m.url = url if url and url.lower().startswith("http") else None
    image = meta.get("og:image") or meta.get("og:image:url") or _first_url(ld.get("image")) \
        or meta.get("twitter:image")
    m.image = safe_url(image)
    return m


# --------------------------------------------------------------------------- lifted structures

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


def _table_block(table: etree._Element) -> DraftBlock | None:
    rows: list[list[tuple[str, bool]]] = []
    for tr in table.iter("tr"):
        in_head = any(_tag(a) == "thead" for a in tr.iterancestors("thead"))
        cells = [(_text(c), _tag(c) == "th" or in_head) for c in tr if _tag(c) in ("td", "th")]
        if any(text for text, _ in cells):
            rows.append(cells)
    if not rows:
        return None
    caption_el = next(iter(table.iter("caption")), None)
    caption = _text(caption_el) if caption_el is not None else None
    return DraftBlock("table", rows=rows, caption=caption or None, lang=_lang_of(table))


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


# --------------------------------------------------------------------------- DOM preparation

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
    text = " ".join(t for t in el.itertext() if t.strip())
    return bool(_PLACEHOLDER.search(text)) and not re.search(r"\w", _PLACEHOLDER.sub("", text))


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


def _take_byline_and_dek(root: etree._Element, meta: PageMeta) -> None:
    """Read a byline element and a dek element, then remove them from the DOM."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        is_author = el.get("rel") == "author" or el.get("itemprop") == "author"
        raw = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if not is_author and not any(w in raw for w in _DEK_WORDS) \
                and not any(w in raw for w in _BYLINE_WORDS):
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
        if is_dek and meta.dek is None and n >= 4 and _tag(el) not in ("body", "article", "main"):
            meta.dek = text
            _drop_keep_tail(el)
        elif is_byline and meta.byline is None and n <= 25:
            meta.byline = text


# --------------------------------------------------------------------------- extraction

def _extract_body(root: etree._Element, url: str | None) -> etree._Element | None:
    import trafilatura  # imported late: a heavy import only this reader needs

    try:
        doc = trafilatura.bare_extraction(
            root, url=url, include_comments=False, include_tables=True, include_images=True,
            include_formatting=True, include_links=False, with_metadata=False,
        )
    except Exception:  # noqa: BLE001 - the extractor's failure means "no body found"
        return None
    if doc is None:
        return None
    body = doc.body if hasattr(doc, "body") else None
    return body


@dataclass
class _Para:
    """A paragraph being collected, with whether all of its text is bold."""
    parts: list[str] = field(default_factory=list)
    bold_chars: int = 0
    chars: int = 0

    def add(self, text: str, bold: bool) -> None:
        if text:
            self.parts.append(text)
            n = len(text.strip())
            self.chars += n
            if bold:
                self.bold_chars += n


_BOLD_RENDS = {"#b", "#strong"}
_BLOCK_XML = {"p", "head", "quote", "list", "table", "graphic", "div", "section", "article", "main",
              "blockquote", "ul", "ol", "dl", "figure", "pre", "code", "h1", "h2", "h3", "h4", "h5",
              "h6", "img", "body", "center", "header", "footer", "aside", "form"}


class _Converter:
    """Trafilatura body XML (or its fallback HTML) → draft blocks."""

    def __init__(self, lifted: _Lifted) -> None:
        self.lifted = lifted
        self.blocks: list[DraftBlock] = []
        self.bold_flags: list[bool] = []  # parallel to blocks: a wholly bold paragraph
        self.used: set[int] = set()

    # -- emitting
    def _emit(self, block: DraftBlock, bold: bool = False) -> None:
        self.blocks.append(block)
        self.bold_flags.append(bold)

    def _emit_text(self, text: str, bold: bool = False, lang: str | None = None) -> None:
        """Emit paragraph text, putting lifted structures back at their placeholders."""
        pos = 0
        for match in _PLACEHOLDER.finditer(text):
            self._emit_plain(text[pos:match.start()], bold, lang)
            n = int(match.group(1))
            if n in self.lifted.blocks and n not in self.used:
                self.used.add(n)
                self._emit(self.lifted.blocks[n])
            pos = match.end()
        self._emit_plain(text[pos:], bold, lang)

    def _emit_plain(self, text: str, bold: bool, lang: str | None) -> None:
        text = clean(text)
        if text and re.search(r"\w", text):
            self._emit(DraftBlock("paragraph", text=text, lang=lang), bold)

    # -- walking
    def convert(self, body: etree._Element) -> list[DraftBlock]:
        self._walk_container(body, 0)
        return self.blocks

    def _walk_container(self, el: etree._Element, depth: int) -> None:
        # Work list of (kind, payload) processed in document order without recursion
        # through arbitrarily deep wrappers.
        work: list[tuple[str, object, int]] = [("children", el, depth)]
        while work:
            kind, payload, d = work.pop()
            if kind == "text":
                self._emit_text(str(payload))
                continue
            node = payload  # type: ignore[assignment]
            if kind in ("children", "cell"):
                # In a layout cell a line break ends a line of its own (headline,
                # byline, paragraph); elsewhere it is a soft break inside text.
                breaks_split = kind == "cell"
                items: list[tuple[str, object, int]] = []
                run = _Para()
                if node.text and node.text.strip():
                    run.add(node.text, False)
                for child in node:
                    if not isinstance(child.tag, str):
                        if child.tail and child.tail.strip():
                            run.add(child.tail, False)
                        continue
                    if _tag(child) in _BLOCK_XML or (breaks_split and _tag(child) in ("lb", "br")):
                        if run.parts:
                            items.append(("text", " ".join(run.parts), d))
                            run = _Para()
                        if _tag(child) not in ("lb", "br"):
                            items.append(("block", child, d + 1))
                    else:
                        run.add(self._inline_text(child), False)
                    if child.tail and child.tail.strip():
                        run.add(child.tail, False)
                if run.parts:
                    items.append(("text", " ".join(run.parts), d))
                work.extend(reversed(items))
                continue
            self._block(node, d, work)

    def _block(self, el: etree._Element, depth: int, work: list) -> None:
        tag = _tag(el)
        lang = _lang_of(el)
        if tag in ("head", "h1", "h2", "h3", "h4", "h5", "h6"):
            rend = (el.get("rend") or tag).lower()
            level = _HEADING_TAGS.get(rend, _HEADING_TAGS.get(tag, 2))
            text = strip_permalink_marks(self._inline_text(el))
            if _PLACEHOLDER.search(text):
                self._emit_text(text)
            elif text:
                self._emit(DraftBlock("heading", text=text, level=level, lang=lang))
        elif tag == "p":
            self._paragraph(el, lang)
        elif tag in ("list", "ul", "ol", "dl"):
            items = [clean(self._inline_text(i)) for i in el if _tag(i) in ("item", "li", "dd", "dt")]
            items = [i for i in items if i and re.search(r"\w", i)]
            if any(_PLACEHOLDER.search(i) for i in items):
                for i in items:
                    self._emit_text(i)
            elif items:
                ordered = tag == "ol" or (el.get("rend") or "").lower() == "ol"
                self._emit(DraftBlock("list", items=items, ordered=ordered, lang=lang))
        elif tag in ("quote", "blockquote"):
            text = _quote_text(el)
            if _PLACEHOLDER.search(text):
                for part in text.split("\n\n"):
                    self._emit_text(part)
            elif clean(text):
                self._emit(DraftBlock("quote", text=text, lang=lang))
        elif tag == "table" and _is_layout_table(el):
            cells = [c for row in el.iter("row", "tr") for c in row if _tag(c) in ("cell", "td", "th")]
            work.extend(("cell", cell, depth) for cell in reversed(cells))
        elif tag == "table":
            self._table(el)
        elif tag in ("graphic", "img"):
            src = safe_url(el.get("src"))
            if src:
                alt = el.get("alt")
                title = clean(el.get("title")) or None
                self._emit(DraftBlock("figure", src=src, alt=alt, caption=title if title != alt else None))
        elif depth > MAX_DEPTH:
            self._emit_text(_text(el))
        else:
            work.append(("children", el, depth))

    @staticmethod
    def _tokens(el: etree._Element) -> Iterator[str | None]:
        """Text pieces in document order; None for a line break."""
        for event, node in etree.iterwalk(el, events=("start", "end")):
            tag = _tag(node)
            if event == "start":
                if tag in ("lb", "br"):
                    yield None
                elif node.text and tag not in ("graphic", "img"):
                    yield node.text
            elif node is not el and node.tail:
                yield node.tail

    def _inline_text(self, el: etree._Element) -> str:
        return "".join(" " if t is None else t for t in self._tokens(el))

    def _paragraph(self, el: etree._Element, lang: str | None) -> None:
        # Graphics inside a paragraph become figures after its text.
        total = clean(self._inline_text(el))
        bold = 0
        for hi in el.iter("hi", "b", "strong"):
            rend = (hi.get("rend") or "#b").lower()
            if rend in _BOLD_RENDS or _tag(hi) in ("b", "strong"):
                bold += len(clean("".join(hi.itertext())))
        whole_bold = bool(total) and bold >= len(total) - 1
        # Runs of two or more line breaks separate paragraphs.
        pieces = self._split_on_double_breaks(el)
        for piece in pieces:
            self._emit_text(piece, whole_bold and len(pieces) == 1, lang)
        for g in el.iter("graphic", "img"):
            src = safe_url(g.get("src"))
            if src:
                self._emit(DraftBlock("figure", src=src, alt=g.get("alt")))

    def _split_on_double_breaks(self, el: etree._Element) -> list[str]:
        parts: list[list[str]] = [[]]
        breaks = 0
        for token in self._tokens(el):
            if token is None:
                breaks += 1
                parts[-1].append(" ")
                continue
            if token.strip():
                if breaks >= 2 and clean("".join(parts[-1])):
                    parts.append([])
                breaks = 0
            parts[-1].append(token)
        return [t for t in ("".join(p) for p in parts) if clean(t)]

    def _table(self, el: etree._Element) -> None:
        rows: list[list[tuple[str, bool]]] = []
        for row in el.iter("row", "tr"):
            cells = []
            for cell in row:
                tag = _tag(cell)
                if tag not in ("cell", "td", "th"):
                    continue
                header = tag == "th" or (cell.get("role") or "").lower() == "head"
                cells.append((clean(self._inline_text(cell)), header))
            if any(text for text, _ in cells):
                rows.append(cells)
        if not rows:
            return
        # A "table" of one column is layout, not data: read it as paragraphs.
        if all(len(r) == 1 for r in rows):
            for r in rows:
                self._emit_text(r[0][0])
            return
        if any(_PLACEHOLDER.search(t) for r in rows for t, _ in r):
            for r in rows:
                for t, _ in r:
                    self._emit_text(t)
            return
        # Rows repeated verbatim (sticky header copies) are read once.
        deduped: list[list[tuple[str, bool]]] = []
        for r in rows:
            if deduped and r == deduped[-1]:
                continue
            deduped.append(r)
        self._emit(DraftBlock("table", rows=deduped))


LAYOUT_CELL_WORDS = 60


def _is_layout_table(el: etree._Element) -> bool:
    """A table used to lay out a page (cells holding paragraphs, or a whole story), not data."""
    for row in el.iter("row", "tr"):
        for cell in row:
            if _tag(cell) not in ("cell", "td", "th"):
                continue
            if any(_tag(c) in ("p", "list", "table", "head", "quote") for c in cell):
                return True
            if len(" ".join(cell.itertext()).split()) > LAYOUT_CELL_WORDS:
                return True
    return False


# --------------------------------------------------------------------------- line rules

_BYLINE_LINE = re.compile(
    r"^(by|por|par|von|di|door|от|автор)\s+\S.{0,100}$|^(written|reported) by\b.{0,100}$", re.I)
_DATE_WORDS = re.compile(
    r"\b(published|updated|posted|publicado|atualizado|em|on|opublikowano|опубликовано|обновлено|"
    r"last (updated|modified)|jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?|am|pm|gmt|utc|est|edt|bst|cet|mins? read|"
    r"min(ute)?s? ago|hours? ago|\d{1,4})\b", re.I)
# "Priya Venkataraman is a staff writer at Halftone covering …": the author box
# under a story (only ever taken from the story's last lines).
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+ ){1,3}(?:is|was|has been) an? (?:[\w-]+ ){0,3}"
    r"(?:writer|reporter|editor|correspondent|journalist|columnist|contributor|producer)s?\b")
MAX_BIO_WORDS = 60
_DATELINE = re.compile(r"^[A-ZÀ-ÞА-Я][A-ZÀ-ÞА-Я .,'’()/-]{2,60}$")
_QUOTED_LINE = re.compile(r"^\s*[\"“”„«»‘’'].*[\"“”«»‘’'][.!?]?\s*$")
_TAG_WORD = re.compile(r"^[\w'’#&.-]+( [\w'’#&.-]+)?$")


def _is_date_line(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 16:
        return False
    hits = len(_DATE_WORDS.findall(text))
    return hits >= max(2, len(words) // 2) and bool(re.search(r"\d", text))


def _is_byline_line(text: str, meta: PageMeta) -> bool:
    if len(text.split()) > 16:
        return False
    if _BYLINE_LINE.match(text):
        return True
    names = [n for n in meta.authors if n] + ([meta.byline] if meta.byline else [])
    norm = _norm_words(text)
    return any(n and (_norm_words(n) == norm) for n in names)


def _same_text(a: str | None, b: str | None) -> bool:
    na, nb = _norm_words(a), _norm_words(b)
    return bool(na) and na == nb


class _LineRules:
    def __init__(self, meta: PageMeta) -> None:
        self.meta = meta

    def apply(self, blocks: list[DraftBlock], bold: list[bool]) -> tuple[list[DraftBlock], str | None]:
        pairs = list(zip(blocks, bold))
        pairs = [p for p in pairs if not self._is_title_or_dek(p[0])]
        pairs = self._take_opening_dek(pairs)
        pairs, dateline = self._edges(pairs)
        pairs = [p for p in pairs if not self._is_chrome_line(p[0])]
        pairs = self._drop_tag_cloud(pairs)
        pairs = self._drop_press_boilerplate(pairs)
        out = self._promote_bold_headings(pairs)
        out = self._mark_credits(out)
        out = self._drop_empty_headings(out)
        return out, dateline

    def _is_title_or_dek(self, b: DraftBlock) -> bool:
        if b.kind not in ("heading", "paragraph"):
            return False
        m = self.meta
        return any(_same_text(b.text, t) for t in (m.title, m.h1, m.dek)) or (
            b.kind == "heading" and b.level == 1 and _same_text(b.text, m.title))

    def _take_opening_dek(self, pairs):
        """A long heading above the story's first paragraph is the dek under the headline."""
        if pairs and pairs[0][0].kind == "heading" \
                and len(pairs[0][0].text.split()) > MAX_OPENING_HEADING_WORDS:
            if self.meta.dek is None:
                self.meta.dek = clean(pairs[0][0].text)
            return pairs[1:]
        return pairs

    def _edge_kind(self, b: DraftBlock) -> str | None:
        if b.kind != "paragraph" and b.kind != "heading":
            return None
        text = b.text
        if _is_byline_line(text, self.meta):
            return "byline"
        if _is_date_line(text):
            return "date"
        if b.kind == "paragraph" and _DATELINE.match(text) and len(text.split()) <= 6 and "," in text:
            return "dateline"
        if b.kind == "paragraph" and _AUTHOR_BIO.match(text) and len(text.split()) <= MAX_BIO_WORDS:
            return "bio"
        return None

    def _edges(self, pairs):
        """Bylines, date lines and a standalone dateline at the story's start or end."""
        dateline = None
        start = 0
        while start < len(pairs) and start < 4:
            kind = self._edge_kind(pairs[start][0])
            if kind is None or kind == "bio":
                break
            if kind == "dateline" and dateline is None:
                dateline = clean(pairs[start][0].text)
            elif kind == "byline" and not self.meta.byline:
                self.meta.byline = clean(pairs[start][0].text)
            start += 1
        end = len(pairs)
        while end > start and len(pairs) - end < 3:
            kind = self._edge_kind(pairs[end - 1][0])
            if kind not in ("byline", "date", "bio"):
                break
            end -= 1
        return pairs[start:end], dateline

    def _is_chrome_line(self, b: DraftBlock) -> bool:
        if b.kind == "paragraph":
            return is_boilerplate_line(b.text)
        if b.kind == "heading":
            return is_chrome_heading(b.text)
        if b.kind == "list":
            # A list whose every item is a promo line ("Share on Facebook" …).
            return bool(b.items) and all(is_boilerplate_line(i) for i in b.items)
        return False

    def _drop_tag_cloud(self, pairs):
        """A trailing run of one- or two-word lines is a tag list, not prose."""
        end = len(pairs)
        while end > 0:
            b = pairs[end - 1][0]
            if b.kind == "paragraph" and _TAG_WORD.match(b.text) and not b.text.endswith((".", "!", "?")):
                end -= 1
                continue
            break
        if len(pairs) - end >= 2 or (len(pairs) - end == 1 and end > 0 and len(pairs) > 3):
            return pairs[:end]
        return pairs

    def _drop_press_boilerplate(self, pairs):
        """A press release's closing "About <Company>", contacts, disclaimers (data/press_boilerplate.txt)."""
        for i, (b, is_bold) in enumerate(pairs):
            if i < len(pairs) // 2 or i == 0 or b.kind not in ("heading", "paragraph"):
                continue
            kind = press_boilerplate_kind(b.text, b.kind == "heading" or is_bold)
            if kind in ("heading", "tail"):
                rest = pairs[i + 1:]
                stop = next((j for j, (r, rb) in enumerate(rest) if r.kind == "heading" or rb), len(rest))
                return self._drop_press_boilerplate(pairs[:i] + rest[stop:]) if stop < len(rest) \
                    else self._drop_press_lines(pairs[:i])
        return self._drop_press_lines(pairs)

    @staticmethod
    def _drop_press_lines(pairs):
        last = [i for i, (b, _) in enumerate(pairs) if b.kind == "paragraph"][-3:]
        return [p for i, p in enumerate(pairs)
                if not (i in last and i > 0 and press_boilerplate_kind(p[0].text, p[1]) == "line")]

    def _promote_bold_headings(self, pairs) -> list[DraftBlock]:
        if any(b.kind == "heading" for b, _ in pairs):
            # An author whose CMS gives heading markup uses it for subheadings;
            # bold lines beside real headings are something else (interview
            # questions, lead-ins, labels).
            return [b for b, _ in pairs]
        out: list[DraftBlock] = []
        for i, (b, is_bold) in enumerate(pairs):
            nxt = pairs[i + 1] if i + 1 < len(pairs) else None
            if (is_bold and b.kind == "paragraph" and 0 < i and nxt is not None
                    and nxt[0].kind in ("paragraph", "list", "quote", "table") and not nxt[1]
                    and self._looks_like_heading(b.text)):
                out.append(DraftBlock("heading", text=b.text, level=2, lang=b.lang))
            else:
                out.append(b)
        return out

    @staticmethod
    def _looks_like_heading(text: str) -> bool:
        words = text.split()
        if not 1 <= len(words) <= 14:
            return False
        if text.rstrip().endswith((".", ",", ";")) and not text.rstrip().endswith("..."):
            return False
        if _QUOTED_LINE.match(text):
            return False  # a quotation set in bold, not a section title
        return not _BYLINE_LINE.match(text) and not re.match(r"^[—–―-]", text) and not re.match(
            r"^(photo|image|video|watch|listen|read|related|see|credit|source)\b", text, re.I)

    @staticmethod
    def _mark_credits(blocks: list[DraftBlock]) -> list[DraftBlock]:
        out = []
        n = len(blocks)
        for i, b in enumerate(blocks):
            kind = credit_kind(b.text) if b.kind == "paragraph" else None
            # Credit lines sit at the start or end of a story; "Source: …" midway is text.
            if kind and (i >= n - 4 or i < 2 or kind in ("editors-note", "correction")):
                out.append(DraftBlock("credit", text=b.text, credit_kind=kind, lang=b.lang))  # type: ignore[arg-type]
            else:
                out.append(b)
        return out

    @staticmethod
    def _drop_empty_headings(blocks: list[DraftBlock]) -> list[DraftBlock]:
        """A heading followed by nothing, or by a heading of its rank or higher, heads nothing."""
        out: list[DraftBlock] = []
        for i, b in enumerate(blocks):
            if b.kind == "heading":
                nxt = next((x for x in blocks[i + 1:] if x.kind != "figure"), None)
                if nxt is None or nxt.kind == "credit" or (nxt.kind == "heading" and nxt.level <= b.level):
                    continue
            out.append(b)
        return out


# --------------------------------------------------------------------------- entry points

def read_html(data: bytes, path: str) -> DraftArticle:
    """Read one HTML page into a draft article (see the module docstring)."""
    _check_bytes(data, path)
    text = decode_html(data)
    root = _parse(text, path)
    meta = read_metadata(root)
    # Code is never text: once the metadata (JSON-LD) is read, scripts, styles and
    # templates go, before any structure is lifted with its text.
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    container = _main_container(root)
    _take_byline_and_dek(root, meta)
    lifted = _Lifted()
    lift_structures(root, lifted)
    lead = _keep_lead_figure(root, container, lifted)
    prepare_headings(root)
    remove_chrome(root, _protected(container), keep=_holds_only_placeholders)
    _unwrap_placeholders(root)
    _unclass_story_blocks(container)
    anchors = heading_anchors(root)
    lifted_near = _placeholder_neighbours(container if container is not None else root)
    blocks, dateline = _pipeline_blocks(root, meta, lifted, lead, anchors, lifted_near)
    plain_blocks, plain_dateline = _plain_blocks(text, path, meta)
    # Headings alone are no story: such a reading counts as empty.
    decision = decide(block_words(blocks) if _has_story(blocks) else [], block_words(plain_blocks))
    if decision.path == "plain":
        blocks, dateline = plain_blocks, plain_dateline
    if not blocks or decision.path == "none":
        raise InputError("no article text found in the page", path)
    if not _has_story(blocks):
        raise InputError("no paragraphs found in the page", path)
    title = meta.title or meta.h1 or next((b.text for b in blocks if b.kind == "heading"), "") \
        or Path(path).stem
    byline = meta.byline or (" and ".join(meta.authors) if meta.authors else None)
    dek = meta.dek
    language = article_language(story_text_of(title, blocks), meta.language)
    for b in blocks:
        if b.lang and language and b.lang.split("-")[0].lower() == language.split("-")[0].lower():
            b.lang = None
    return DraftArticle(
        title=title,
        blocks=blocks,
        identity=meta.canonical or f"file:{Path(path).stem}",
        dek=dek,
        byline=byline,
        dateline=dateline,
        published=meta.published,
        language=language,
        url=meta.url,
        site_name=meta.site_name,
        image=meta.image,
        reader=decision,
    )


def _has_story(blocks: list[DraftBlock]) -> bool:
    return any(b.kind in ("paragraph", "quote", "list", "table") for b in blocks)


def _pipeline_blocks(root, meta: PageMeta, lifted: "_Lifted", lead: int | None, anchors,
                     lifted_near) -> tuple[list[DraftBlock], str | None]:
    """Our own reading of the prepared page; no blocks where the extractor found no body."""
    body = _extract_body(root, meta.url)
    if body is None:
        return [], None
    converter = _Converter(lifted)
    blocks = converter.convert(body)
    if lead is not None and lead not in converter.used:
        # The headline's own image: the story's first figure even where the
        # extractor started below it.
        blocks.insert(0, lifted.blocks[lead])
        converter.bold_flags.insert(0, False)
        converter.used.add(lead)
    _restore_lifted(blocks, converter, lifted_near)
    restore_headings(blocks, converter.bold_flags, anchors,
                     {f"xqzph{n}qzx": b for n, b in lifted.blocks.items()},
                     lambda text, level: DraftBlock("heading", text=text, level=level))
    return _LineRules(meta).apply(blocks, converter.bold_flags)


def _plain_blocks(text: str, path: str, meta: PageMeta) -> tuple[list[DraftBlock], str | None]:
    """The floor: trafilatura's own extraction of the untouched page, in our blocks.

    A fresh parse, because our pipeline has rewritten the first one; the same
    converter and line rules, so the fallback keeps headings, quotes, lists
    and tables and drops the byline/date lines the same way.
    """
    root = _parse(text, path)
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    body = _extract_body(root, meta.url)
    if body is None:
        return [], None
    converter = _Converter(_Lifted())
    blocks = converter.convert(body)
    return _LineRules(meta).apply(blocks, converter.bold_flags)


def body_text_from_html(html: str, url: str | None = None) -> str:
    """Story text the way ``publisher extract --text`` prints it (for scoring)."""
    from ..segment import build_article

    draft = read_html(html.encode("utf-8"), "page.html")
    return build_article(draft).body_text()
