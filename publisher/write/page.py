"""The accessible article page, the site index, and their shared static assets.

Mechanism only: this module turns the model (and the narration, when there is
one) into small view objects and hands them to Jinja2 templates under
``templates/`` (autoescaped: no text from the source is ever markup).  The
wording of the page lives in the templates; the look in ``static/site.css``;
read-along behaviour in ``static/readalong.js`` (progressive enhancement: the
page is complete without it).
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from urllib.parse import urlsplit

import jinja2

from ..config import SiteConfig
from ..manifest import EpisodeEntry
from ..model import (
    Article, Block, Credit, Figure, ListBlock, Paragraph, Quote, Section, Sentence, Table,
)
from ..speech.types import Chapter, Narration, SectionFile

# Average adult silent reading speed used for "Reading time".
WORDS_PER_MINUTE = 238
STATIC_FILES = ("site.css", "readalong.js")
# The language the page chrome (skip links, labels, buttons) is written in.
UI_LANGUAGE = "en"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
# Characters browsers drop from URLs before parsing them (so "java\tscript:" is "javascript:").
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


# -- small formatting helpers (pure) ---------------------------------------------------------

def format_duration(seconds: float) -> str:
    """``252.4`` → ``"4 min 12 s"``; ``42`` → ``"42 s"``; ``3725`` → ``"1 h 2 min"``."""
    total = max(0, int(round(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def reading_minutes(word_count: int) -> int:
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def format_bytes(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, round(size / 1000))} kB"


@dataclass(frozen=True)
class PageDate:
    machine: str  # a valid HTML date or date-time string for <time datetime>
    human: str


def parse_date(value: str | None) -> PageDate | None:
    """An ISO 8601 date/datetime → ``<time>`` parts; ``None`` when it is not a date."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            return PageDate(d.isoformat(), f"{d.day} {_MONTHS[d.month - 1]} {d.year}")
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    machine = dt.isoformat(timespec="seconds")
    return PageDate(machine, f"{dt.day} {_MONTHS[dt.month - 1]} {dt.year}")


def safe_url(url: str | None, allow_relative: bool = True) -> str | None:
    """``url`` if it is http(s) (or a plain relative path when allowed), else ``None``.

    Never javascript:, data:, vbscript:, file: or protocol-relative ``//host`` URLs.
    """
    if not url:
        return None
    cleaned = _URL_IGNORED.sub("", url)
    if not cleaned or "\\" in cleaned:
        return None
    parts = urlsplit(cleaned)
    if parts.scheme:
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return url.strip()
        return None
    if cleaned.startswith("//") or not allow_relative:
        return None
    return url.strip()


def is_external(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in ("http", "https")


def _primary(lang: str | None) -> str:
    return (lang or "").split("-")[0].lower()


# -- view objects ----------------------------------------------------------------------------

@dataclass
class SectionView:
    section: Section
    children: list["SectionView"] = field(default_factory=list)
    named: bool = False  # a named region landmark (top level, unique heading)
    chapter: Chapter | None = None
    audio_file: SectionFile | None = None

    @property
    def heading_id(self) -> str:
        # "_" never occurs in model ids (slugs and hashes), so this cannot collide.
        return f"h_{self.section.id}"

    label: str = ""  # the section's name for its controls, unique on the page (Article.section_labels)

    @property
    def name(self) -> str:
        return self.section.heading or (self.chapter.title if self.chapter else "")


def _section_tree(article: Article, narration: Narration | None) -> list[SectionView]:
    # The first listed chapter of a section is where it starts (asides such as captions may
    # carry the same section id with toc=False; they never decide where the section starts).
    chapters: dict[str, Chapter] = {}
    for chapter in sorted(narration.chapters if narration else (), key=lambda c: (not c.toc, c.start)):
        chapters.setdefault(chapter.section_id, chapter)
    files = {f.section_id: f for f in narration.sections} if narration else {}
    labels = article.section_labels()
    roots: list[SectionView] = []
    stack: list[SectionView] = []
    for section in article.sections:
        view = SectionView(section, chapter=chapters.get(section.id), audio_file=files.get(section.id))
        view.label = labels.get(section.id) or view.name
        while stack and stack[-1].section.level >= section.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(view)
        if section.heading:  # an untitled lead section never contains headed ones
            stack.append(view)
    top_names = [v.section.heading for v in roots if v.section.heading]
    for view in roots:
        view.named = bool(view.section.heading) and top_names.count(view.section.heading) == 1
    return roots


def _table_captions(article: Article) -> dict[str, str]:
    """Every table gets a caption: its own, else "Table N" plus its column headings (honest, not invented)."""
    captions: dict[str, str] = {}
    number = 0
    for _, block in article.iter_blocks():
        if not isinstance(block, Table):
            continue
        number += 1
        if block.caption:
            captions[block.id] = block.caption
            continue
        first = block.rows[0]
        columns = [c.text for c in first if c.text] if all(c.header for c in first) else []
        captions[block.id] = f"Table {number}: " + ", ".join(columns) if columns else f"Table {number}"
    return captions


def _figure_src(figure: Figure, site: SiteConfig) -> str | None:
    """The ``<img src>`` to write, or None (unsafe, missing, or remote when remote images are off).

    By default the page never makes a request to another host (privacy,
    offline reading): an image that only exists at a remote URL is not
    embedded and its description is shown as text (``site.remote_images``).
    """
    src = safe_url(figure.src)
    if src and is_external(src) and not site.remote_images:
        return None
    return src


def table_rows(table: Table) -> tuple[list, list]:
    """``(head_rows, body_rows)``: a first row of headers (and an empty corner) becomes the ``thead``."""
    rows = list(table.rows)
    if len(rows) > 1 and table.has_header_row:
        return rows[:1], rows[1:]
    return [], rows


def block_kind(block: Block) -> str:
    return type(block).__name__.lower()


_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def valid_lang(lang: str | None) -> str | None:
    """``lang`` when it is a well-formed BCP 47 language tag, else ``None``."""
    return lang.strip() if lang and _LANG_TAG.match(lang.strip()) else None


def _lang_attr(lang: str | None, context_lang: str | None) -> str | None:
    """The ``lang`` value to write on an element, or None when it repeats its context."""
    lang = valid_lang(lang)
    if not lang or lang.lower() == (context_lang or "").lower():
        return None
    return lang


# -- template environment -------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("publisher.write", "templates"),
        autoescape=True,  # every string from the article is text, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        block_kind=block_kind, format_duration=format_duration, format_bytes=format_bytes,
        safe_url=safe_url, is_external=is_external, lang_attr=_lang_attr, table_rows=table_rows,
    )
    env.tests.update({
        "paragraph": lambda b: isinstance(b, Paragraph),
        "quote": lambda b: isinstance(b, Quote),
        "listblock": lambda b: isinstance(b, ListBlock),
        "table": lambda b: isinstance(b, Table),
        "figure": lambda b: isinstance(b, Figure),
        "credit": lambda b: isinstance(b, Credit),
    })
    return env


def _chrome(site: SiteConfig, content_lang: str | None) -> dict:
    """Values the base template needs on every page."""
    page_lang = valid_lang(content_lang) or valid_lang(site.language) or UI_LANGUAGE
    return {
        "site": site,
        "page_lang": page_lang,
        "site_lang_attr": _lang_attr(site.language, page_lang),
        "ui_lang": None if _primary(page_lang) == _primary(UI_LANGUAGE) else UI_LANGUAGE,
        "feed_url": site.url("feed.xml"),
    }


# -- public API ------------------------------------------------------------------------------

@dataclass(frozen=True)
class EpubLink:
    """The article's EPUB beside its page: file name and size for the download link."""
    name: str
    bytes: int


def render_article_page(article: Article, narration: Narration | None, site: SiteConfig,
                        epub: EpubLink | None = None) -> str:
    """The HTML of ``output/<slug>/index.html`` (assets at ``../static/``)."""
    sections = _section_tree(article, narration)
    headed = [s for s in article.sections if s.heading]
    context = {
        **_chrome(site, article.language),
        "asset_prefix": "../",
        "home_href": "../index.html",
        "feed_href": "../feed.xml",
        "article": article,
        "narration": narration,
        "epub": epub,
        "epub_href": safe_url(epub.name) if epub else None,
        "episode_src": safe_url(narration.episode_path) if narration else None,
        "sections": sections,
        "toc": sections if len(headed) >= 2 else [],
        "published": parse_date(article.published),
        "reading_minutes": reading_minutes(article.word_count()),
        "canonical": safe_url(article.url, allow_relative=False),
        "table_captions": _table_captions(article),
        "figure_src": lambda figure: _figure_src(figure, site),
        # A narrated caption is its own short chapter (same id as its figure, toc=False).
        "caption_chapter": {c.section_id: c for c in (narration.chapters if narration else ()) if not c.toc}.get,
        "is_external": is_external,
        "quote_cite": lambda q: safe_url(q.cite, allow_relative=False),
    }
    return _environment().get_template("article.html").render(context)


@dataclass(frozen=True)
class BriefingStory:
    """One story of the briefing page: its section (headline + summary sentences) and its page."""
    section: Section
    href: str  # relative link to the story's own page


def render_briefing_page(title_sentence: Sentence, day: str, stories: list[BriefingStory],
                         narration: Narration | None, site: SiteConfig, *, title: str) -> str:
    """The HTML of ``output/briefing-<date>/index.html``: headlines linking to each story."""
    shell = Article(id="briefing", slug="briefing", title=title, language=site.language,
                    sections=tuple(s.section for s in stories))
    views = _section_tree(shell, narration)
    count = len(stories)
    context = {
        **_chrome(site, site.language),
        "asset_prefix": "../",
        "home_href": "../index.html",
        "feed_href": "../feed.xml",
        "briefing": {"title": title, "title_sentence": title_sentence},
        "description": f"{count} {'story' if count == 1 else 'stories'} published on {parse_date(day).human}, "
                       "each read as its headline and summary.",
        "day": parse_date(day),
        "stories": [{"view": v, "href": safe_url(s.href) or "#"} for v, s in zip(views, stories)],
        "narration": narration,
        "epub": None,
        "epub_href": None,
        "episode_src": safe_url(narration.episode_path) if narration else None,
    }
    return _environment().get_template("briefing.html").render(context)


def render_index(entries: list[EpisodeEntry], site: SiteConfig) -> str:
    """An ``index.html`` listing ``entries`` (newest first) on one page, and how to subscribe."""
    from ..manifest import newest_first
    from .listing import ListingPage

    ordered = newest_first(entries)
    return render_listing(ListingPage("index.html", "index", 1, 1, None, ordered, [], None, None, [], len(ordered)), site)


def _month_name(month: str) -> str:
    year, mm = month.split("-")
    return f"{_MONTHS[int(mm) - 1]} {year}"


def render_listing(page, site: SiteConfig) -> str:
    """The HTML of one listing page (a :class:`listing.ListingPage`): index pages and monthly archives."""
    from .listing import relative_href

    prefix = relative_href(page.path, "index.html")[: -len("index.html")]
    items = [
        {
            "entry": e,
            "href": prefix + (safe_url(e.page_path) or "#"),
            "audio_href": prefix + e.audio_path if safe_url(e.audio_path) else None,
            "epub_href": prefix + e.epub_path if e.epub_path and safe_url(e.epub_path) else None,
            "date": parse_date(e.date),
        }
        for e in page.entries
    ]
    years: dict[str, list] = {}
    for link in page.months:
        years.setdefault(link.month[:4], []).append({"link": link, "name": _month_name(link.month)})
    context = {
        **_chrome(site, site.language),
        "asset_prefix": prefix,
        "home_href": prefix + "index.html",
        "feed_href": prefix + "feed.xml",
        "items": items,
        "listing": page,
        "month_name": _month_name(page.month) if page.month else None,
        "archive_years": list(years.items()),
    }
    return _environment().get_template("index.html").render(context)


def static_assets() -> dict[str, bytes]:
    """The files for ``output/static/``: one stylesheet and one script shared by all pages."""
    folder = resources.files("publisher.write") / "static"
    return {name: (folder / name).read_bytes() for name in STATIC_FILES}


__all__ = [
    "render_article_page", "render_briefing_page", "BriefingStory", "render_index", "render_listing", "static_assets",
    "format_duration", "reading_minutes",
    "parse_date", "safe_url", "WORDS_PER_MINUTE",
]
