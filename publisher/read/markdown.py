"""Markdown articles → :class:`DraftArticle` (markdown-it-py, GFM tables).

* optional YAML front matter: title, author/byline, date, lang, image,
  description/dek, slug, url (see :data:`FRONT_MATTER_KEYS`);
* ``# Title`` is the title when the front matter has none;
* ``##``/``###`` headings, paragraphs, lists, tables, block quotes (a
  trailing ``— Name`` line is the attribution);
* an image alone in a paragraph is a figure; its title, or an italic line
  right after it, is the caption;
* right after the title: an all-italic paragraph is the dek, ``By …`` and
  date lines are metadata; credit lines ("With additional reporting…") are
  credits, the same rules as plain text;
* inline markup is flattened to text (links keep their text only), and raw
  HTML never passes through: only its text is kept, script/style dropped.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..errors import InputError
from .byline import join_names
from .chrome import credit_kind
from .language import article_language
from .draft import DraftArticle, DraftBlock
from .encoding import decode_html
from .mojibake import repair
from .text import (
    credit_text, parse_date, parse_meta_line, split_caption_credit, split_dateline, strip_controls,
    title_from_path,
)

# Front matter key → draft field; the first key present wins.
FRONT_MATTER_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "byline": ("byline", "author", "authors", "by"),
    "published": ("date", "published", "pubdate", "published_at", "datePublished"),
    "language": ("lang", "language", "locale"),
    "image": ("image", "cover", "cover_image", "thumbnail", "featured_image"),
    "dek": ("dek", "description", "subtitle", "standfirst", "summary", "excerpt"),
    "slug": ("slug",),
    "url": ("url", "canonical", "canonical_url", "permalink"),
    "site_name": ("site", "site_name", "publication"),
    "dateline": ("dateline",),
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_ATTRIBUTION = re.compile(r"^(?:—|–|―|--|-|~)\s*(?P<name>\S.{0,120})$")
MAX_ATTRIBUTION_WORDS = 12
# Raw HTML elements whose text is never story text.
_HTML_NON_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head", "title")


# ------------------------------------------------------------------------------
# Front matter
# ------------------------------------------------------------------------------
def split_front_matter(text: str, path: str = "") -> tuple[dict, str]:
    """``(front matter mapping, Markdown body)``; an empty mapping when there is none."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group("yaml"))
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        raise InputError(f"front matter is not valid YAML{line}", path) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys to values", path)
    return meta, text[m.end():]


def _meta_text(value) -> str | None:
    """A front matter value as one line of text (lists of authors joined)."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return join_names([n for n in (_meta_text(v) for v in value) if n]) or None
    if isinstance(value, dict):
        return _meta_text(value.get("name") or value.get("title"))
    text = " ".join(str(value).split())
    return text or None


def _meta_date(value) -> str | None:
    if isinstance(value, _dt.datetime):
        return value.isoformat() if value.tzinfo else value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = _meta_text(value)
    return parse_date(text) if text else None


def _front_matter_fields(meta: dict) -> dict[str, str | None]:
    lowered = {str(k).lower(): v for k, v in meta.items()}
    out: dict[str, str | None] = {}
    for name, keys in FRONT_MATTER_KEYS.items():
        value = next((lowered[k.lower()] for k in keys if lowered.get(k.lower()) is not None), None)
        out[name] = _meta_date(value) if name == "published" else _meta_text(value)
    return out


# ------------------------------------------------------------------------------
# Inline content
# ------------------------------------------------------------------------------
def html_text(fragment: str) -> str:
    """The text of a raw HTML fragment, without script/style contents."""
    fragment = strip_controls(fragment)
    if not fragment.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on garbage; text only then
        return re.sub(r"<[^>]*>", " ", fragment)
    for el in list(root.iter(*_HTML_NON_TEXT)):
        el.drop_tree()
    return " ".join(root.text_content().split())


def safe_src(url: str | None) -> str | None:
    """An image address we may link to: http(s) or a relative path, nothing else."""
    if not url:
        return None
    url = url.strip()
    if re.search(r"[\x00-\x1f\s\\]", url):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return url if parts.netloc else None
    if scheme:  # javascript:, data:, file:, vbscript: …
        return None
    if url.startswith("//"):
        return "https:" + url
    if ".." in parts.path.split("/"):
        return None
    return url


@dataclass
class _Image:
    src: str | None
    alt: str
    title: str | None


@dataclass
class _Inline:
    """One inline run flattened: its text, the images in it, and its shape."""
    text: str
    images: list[_Image] = field(default_factory=list)
    all_emphasis: bool = False  # the whole run is one *italic* span
    caption_after_image: str | None = None  # "![](x)\n*caption*" in one paragraph


_INLINE_TAG = re.compile(r"^<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def _flatten(children: list[Token]) -> str:
    """Inline tokens → plain text (softbreaks kept as newlines)."""
    out: list[str] = []
    skipping: str | None = None  # inside raw <script>…</script> written inline
    for tok in children:
        if tok.type == "html_inline":
            m = _INLINE_TAG.match(tok.content)
            if m:
                closing, tag = bool(m.group(1)), m.group(2).lower()
                if tag in _HTML_NON_TEXT:
                    skipping = None if closing else tag
                elif tag == "br":
                    out.append("\n")
            continue
        if skipping:
            continue
        if tok.type in ("text", "code_inline"):
            out.append(tok.content)
        elif tok.type == "softbreak":
            out.append("\n")
        elif tok.type == "hardbreak":
            out.append("\n")
        elif tok.type == "image":
            continue  # images are collected separately
        elif tok.children:
            out.append(_flatten(tok.children))
    return "".join(out)


def _is_one_emphasis(children: list[Token]) -> bool:
    toks = [t for t in children if not (t.type == "text" and not t.content.strip()) and t.type != "softbreak"]
    if len(toks) < 3 or toks[0].type not in ("em_open",) or toks[-1].type != "em_close":
        return False
    depth = 0
    for t in toks[:-1]:
        depth += 1 if t.type == "em_open" else -1 if t.type == "em_close" else 0
        if depth == 0:
            return False  # the first italic span closed before the end
    return True


def _inline(token: Token) -> _Inline:
    children = token.children or []
    images = [
        _Image(safe_src(t.attrGet("src")), " ".join(_flatten(t.children or []).split()), t.attrGet("title") or None)
        for t in children if t.type == "image"
    ]
    run = _Inline(_flatten(children), images, _is_one_emphasis(children))
    if len(images) == 1:
        at = next(i for i, t in enumerate(children) if t.type == "image")
        before, after = children[:at], children[at + 1:]
        if not _flatten(before).strip() and after and _is_one_emphasis(after):
            run.caption_after_image = " ".join(_flatten(after).split())
    return run


# ------------------------------------------------------------------------------
# Blocks
# ------------------------------------------------------------------------------
def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _Para:
    """A top-level paragraph, before we know what it is."""
    run: _Inline


class _Walker:
    """Turns the flat markdown-it token stream into draft blocks."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def _take_until_close(self, open_index: int) -> list[Token]:
        """Tokens strictly inside the element opened at ``open_index``."""
        level = self.tokens[open_index].level
        j = open_index + 1
        while j < len(self.tokens) and not (self.tokens[j].nesting == -1 and self.tokens[j].level == level):
            j += 1
        self.pos = j + 1
        return self.tokens[open_index + 1:j]

    def walk(self) -> list[DraftBlock | _Para]:
        out: list[DraftBlock | _Para] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            t = tok.type
            if t == "heading_open":
                inner = self._take_until_close(self.pos)
                text = _one_line(_flatten(inner[0].children or [])) if inner else ""
                out.append(DraftBlock("heading", text=text, level=int(tok.tag[1])))
            elif t == "paragraph_open":
                inner = self._take_until_close(self.pos)
                if inner:
                    out.append(_Para(_inline(inner[0])))
            elif t == "blockquote_open":
                out.append(_quote(self._take_until_close(self.pos)))
            elif t in ("bullet_list_open", "ordered_list_open"):
                items = _list_items(self._take_until_close(self.pos))
                out.append(DraftBlock("list", items=items, ordered=t == "ordered_list_open"))
            elif t == "table_open":
                out.append(_table(self._take_until_close(self.pos)))
            elif t in ("fence", "code_block"):
                self.pos += 1
                if tok.content.strip():
                    out.append(DraftBlock("paragraph", text=tok.content))
            elif t == "html_block":
                self.pos += 1
                text = html_text(tok.content)
                if text:
                    out.append(_Para(_Inline(text)))
            else:
                self.pos += 1  # hr, stray closers
        return out


def _texts(tokens: list[Token]) -> list[str]:
    """Each paragraph / heading / cell / raw HTML inside ``tokens`` as one text."""
    out: list[str] = []
    for tok in tokens:
        if tok.type == "inline":
            out.append(_flatten(tok.children or []))
        elif tok.type in ("fence", "code_block"):
            out.append(tok.content)
        elif tok.type == "html_block":
            out.append(html_text(tok.content))
    return [t for t in out if t.strip()]


def _quote(inner: list[Token]) -> DraftBlock:
    paragraphs = _texts(inner)
    attribution = None
    if paragraphs:
        lines = paragraphs[-1].strip().split("\n")
        m = _ATTRIBUTION.match(lines[-1].strip())
        if m and len(m.group("name").split()) <= MAX_ATTRIBUTION_WORDS:
            attribution = m.group("name").strip()
            rest = "\n".join(lines[:-1]).strip()
            paragraphs = paragraphs[:-1] + ([rest] if rest else [])
    text = "\n\n".join(_one_line(p) for p in paragraphs)
    return DraftBlock("quote", text=text, attribution=attribution)


def _list_items(inner: list[Token]) -> list[str]:
    """Top-level items; a nested list's items follow their parent item."""
    items: list[str] = []
    for tok in inner:
        if tok.type == "inline":
            text = _one_line(_flatten(tok.children or []))
            if text:
                items.append(text)
    return items


def _table(inner: list[Token]) -> DraftBlock:
    rows: list[list[tuple[str, bool]]] = []
    header = False
    for tok in inner:
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            header = tok.type == "th_open"
        elif tok.type == "inline" and rows:
            rows[-1].append((_one_line(_flatten(tok.children or [])), header))
    return DraftBlock("table", rows=[r for r in rows if r])


# ------------------------------------------------------------------------------
# Article: title, dek, metadata, figures, credits
# ------------------------------------------------------------------------------
@dataclass
class _Meta:
    title: str | None = None
    dek: str | None = None
    byline: str | None = None
    published: str | None = None
    dateline: str | None = None


def _figure(image: _Image, caption: str | None) -> DraftBlock:
    caption = caption or image.title
    credit = None
    if caption:
        caption, credit = split_caption_credit(_one_line(caption))
    return DraftBlock("figure", src=image.src, alt=image.alt, caption=caption or None, credit=credit)


def _resolve(items: list[DraftBlock | _Para], meta: _Meta) -> list[DraftBlock]:
    """Paragraphs → paragraphs, figures, credits or metadata; the title taken out."""
    blocks: list[DraftBlock] = []
    in_header = True  # before the first story paragraph: title, dek, byline, date
    seen_paragraph = False
    i = 0
    while i < len(items):
        item = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        i += 1
        if isinstance(item, DraftBlock):
            if item.kind == "heading" and item.level == 1 and in_header and not blocks:
                if meta.title is None:
                    meta.title = item.text
                    continue
                if _one_line(item.text).lower() == _one_line(meta.title).lower():
                    continue  # the front matter title printed again
            in_header = False  # a heading, list, quote or table: the story has begun
            blocks.append(item)
            continue
        run = item.run
        text = _one_line(run.text)
        if run.images and not text:
            caption = run.caption_after_image
            if caption is None and len(run.images) == 1 and isinstance(nxt, _Para) and nxt.run.all_emphasis and not nxt.run.images:
                caption = _one_line(nxt.run.text)
                i += 1
            for n, image in enumerate(run.images):
                blocks.append(_figure(image, caption if n == len(run.images) - 1 else None))
            continue
        if run.caption_after_image is not None:  # "![](x)\n*caption*": text is the caption
            blocks.append(_figure(run.images[0], run.caption_after_image))
            continue
        if not text:
            continue
        if in_header:
            found = parse_meta_line(text)
            if found:
                byline, date = found
                meta.byline = meta.byline or byline
                if date and not meta.published:
                    meta.published = date[0]
                continue
            if run.all_emphasis and meta.dek is None and not blocks and not credit_kind(text):
                meta.dek = text
                continue
        if kind := credit_kind(text):
            blocks.append(DraftBlock("credit", text=credit_text(text), credit_kind=kind))  # type: ignore[arg-type]
            continue
        if not seen_paragraph:
            dateline, text = split_dateline(text)
            if dateline and not meta.dateline:
                meta.dateline = dateline
        seen_paragraph = True
        in_header = False
        blocks.append(DraftBlock("paragraph", text=text))
        # Images inside a paragraph of text follow it as figures.
        for image in run.images:
            blocks.append(_figure(image, None))
    return blocks


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        # html=True so raw HTML is tokenised (and then reduced to text) rather
        # than left in the text as literal tags.
        _PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        # Accept every link and image address while parsing: links keep only
        # their text and image addresses go through safe_src, whereas a
        # refused "javascript:" link would stay in the text as literal markup.
        _PARSER.validateLink = lambda url: True
    return _PARSER


def read_markdown(data: bytes | str, path: str) -> DraftArticle:
    """Read one Markdown article (see the module docstring)."""
    text = repair(decode_html(data) if isinstance(data, bytes) else data)
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    front, body = split_front_matter(text, path)
    fields = _front_matter_fields(front)
    meta = _Meta(title=fields["title"], dek=fields["dek"], byline=fields["byline"], published=fields["published"],
                 dateline=fields["dateline"])
    blocks = _resolve(_Walker(_parser().parse(body)).walk(), meta)
    title = meta.title or title_from_path(path)
    story = " ".join(b.text or " ".join(b.items) for b in blocks)
    image = safe_src(fields["image"])
    canonical = _absolute_url(fields["url"])
    return DraftArticle(
        title=title,
        blocks=blocks,
        identity=canonical or f"file:{Path(path).stem}",
        dek=meta.dek,
        byline=meta.byline,
        dateline=meta.dateline,
        published=meta.published,
        language=article_language(f"{title} {story}", fields["language"]),
        url=canonical,
        site_name=fields["site_name"],
        image=image,
        slug=fields["slug"],
    )



def _absolute_url(url: str | None) -> str | None:
    """A canonical URL must be absolute http(s); anything else is ignored."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None
