"""The podcast feed: RSS 2.0 + iTunes + Podcasting 2.0, rendered from the manifest.

Built with lxml directly rather than feedgen's FeedGenerator: feedgen stamps
``lastBuildDate`` with the clock, writes iTunes ``explicit`` only as yes/no/clean
and has no ``podcast:`` namespace, and this feed must be byte-identical for
identical manifests.  The ``podcast:`` tags come from the feedgen-style
extension in :mod:`publisher.write.podcast_ns`; everything is serialized once,
at the end.

Every string from an article (title, dek, byline) is untrusted: characters XML
forbids are dropped, and the item description is HTML built here from plain
text (escaped), wrapped in CDATA.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree

from ..config import SiteConfig, validate_site
from ..errors import PublisherError
from ..manifest import EpisodeEntry, newest_first
from .podcast_ns import PodcastIndexEntryExtension, PodcastIndexExtension, feed_guid
from .transcript import CONTROL_CHARS

ATOM_NS = "http://www.w3.org/2005/Atom"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
FEED_NAME = "feed.xml"
EPUB_TYPE = "application/epub+zip"
AUDIO_TYPE = "audio/mpeg"


def _itunes(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def clean(text: str | None) -> str:
    """Untrusted text → one line of XML-safe characters."""
    return " ".join(CONTROL_CHARS.sub("", text or "").split())


def parse_date(value: str) -> datetime:
    """ISO 8601 date or datetime → aware datetime (naive and date-only values are UTC)."""
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def episode_date(entry: EpisodeEntry) -> datetime:
    """The article's own date, else first publication; a malformed date falls back too."""
    for value in (entry.published, entry.first_published):
        if value:
            try:
                return parse_date(value)
            except ValueError:
                continue
    raise PublisherError(f"no usable date (published={entry.published!r}, "
                         f"first_published={entry.first_published!r})", entry.page_path)


def rfc2822(moment: datetime) -> str:
    return format_datetime(moment)


def itunes_duration(seconds: float) -> str:
    """Whole seconds: the form Apple documents first and every client reads."""
    return str(max(0, round(seconds)))


def description_html(text: str) -> str:
    # Plain text in, escaped, so no markup from the source page survives and
    # "]]>" cannot occur inside the CDATA section (">" becomes "&gt;").
    return f"<p>{html.escape(clean(text), quote=False)}</p>"


def _sub(parent, tag: str, content: str | None = None, **attrs: str):
    """A child element with text ``content`` and attributes (``text=`` is an attribute, as iTunes uses it)."""
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        element.set(key, value)
    if content is not None:
        element.text = content
    return element


def _channel(rss, site: SiteConfig, cover_url: str, entries: list[EpisodeEntry]) -> etree._Element:
    channel = _sub(rss, "channel")
    _sub(channel, "title", clean(site.title))
    _sub(channel, "link", site.base_url)
    _sub(channel, "description", clean(site.description))
    _sub(channel, "language", site.language)
    if site.copyright:
        _sub(channel, "copyright", clean(site.copyright))
    if entries:
        # From the content, never the clock: a rebuild with nothing new is byte-identical.
        newest = rfc2822(max(episode_date(e) for e in entries))
        _sub(channel, "pubDate", newest)
        _sub(channel, "lastBuildDate", newest)
    _sub(channel, f"{{{ATOM_NS}}}link", href=site.url(FEED_NAME), rel="self", type="application/rss+xml")
    image = _sub(channel, "image")
    _sub(image, "url", cover_url)
    _sub(image, "title", clean(site.title))
    _sub(image, "link", site.base_url)
    _sub(channel, _itunes("author"), clean(site.author))
    owner = _sub(channel, _itunes("owner"))
    _sub(owner, _itunes("name"), clean(site.owner_name))
    _sub(owner, _itunes("email"), site.owner_email)
    _sub(channel, _itunes("image"), href=cover_url)
    category = _sub(channel, _itunes("category"), text=site.category)
    if site.subcategory:
        _sub(category, _itunes("category"), text=site.subcategory)
    _sub(channel, _itunes("explicit"), "true" if site.explicit else "false")
    _sub(channel, _itunes("type"), site.feed_type)
    return channel


def _item(channel, entry: EpisodeEntry, site: SiteConfig, cover_url: str) -> None:
    item = _sub(channel, "item")
    page_url = site.url(entry.page_path)
    _sub(item, "title", clean(entry.title) or entry.slug)
    _sub(item, "link", page_url)
    description = _sub(item, "description")
    description.text = etree.CDATA(description_html(entry.dek or entry.summary or entry.title))
    _sub(item, "guid", entry.article_id, isPermaLink="false")
    _sub(item, "pubDate", rfc2822(episode_date(entry)))
    _sub(item, "enclosure", url=site.url(entry.audio_path), length=str(int(entry.audio_bytes)), type=AUDIO_TYPE)
    if entry.epub_path:
        # The e-book is a related download, not a second enclosure: podcast apps keep playing the MP3.
        _sub(item, f"{{{ATOM_NS}}}link", rel="related", type=EPUB_TYPE, href=site.url(entry.epub_path),
             length=str(int(entry.epub_bytes)), title="E-book with synchronized narration (EPUB 3)")
    _sub(item, _itunes("author"), clean(entry.byline) or clean(site.author))
    _sub(item, _itunes("duration"), itunes_duration(entry.duration))
    _sub(item, _itunes("image"), href=cover_url)
    _sub(item, _itunes("explicit"), "true" if site.explicit else "false")
    _sub(item, _itunes("episodeType"), "full")
    podcast = PodcastIndexEntryExtension()
    podcast.podcast_transcript(site.url(entry.transcript_path), "text/vtt", language=entry.language, rel="captions")
    podcast.podcast_transcript(page_url, "text/html", language=entry.language)
    podcast.podcast_chapters(site.url(entry.chapters_path))
    podcast.extend_rss(item)


def render_feed(entries: list[EpisodeEntry], site: SiteConfig, *, cover_path: str = "cover.png") -> bytes:
    """The whole feed as UTF-8 bytes; items newest first; identical input → identical bytes."""
    validate_site(site)
    ordered = newest_first(entries)
    cover_url = site.url(cover_path)
    podcast = PodcastIndexExtension()
    nsmap = {"atom": ATOM_NS, "itunes": ITUNES_NS, **podcast.extend_ns()}
    rss = etree.Element("rss", nsmap=nsmap, version="2.0")
    channel = _channel(rss, site, cover_url, ordered)
    podcast.podcast_guid(feed_guid(site.url(FEED_NAME)))
    podcast.podcast_locked(site.locked, owner=site.owner_email)
    podcast.extend_rss(rss)
    for entry in ordered:
        _item(channel, entry, site, cover_url)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
