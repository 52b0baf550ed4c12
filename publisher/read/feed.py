"""Feeds as inputs: RSS 2.0, Atom (parsed by feedparser) and JSON Feed (by json).

A feed is a list of entries; each entry becomes one article.  This module only
*parses* (bytes → :class:`FeedEntry` values) and *chooses* (``--since``,
``--limit``, duplicates); fetching the entries' pages is :mod:`.web`'s job.

Parsing never touches the network: feedparser is handed the bytes (a URL
string would make it fetch on its own), with the feed's URL as the base that
relative links resolve against.
"""
from __future__ import annotations

import calendar
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin

from ..errors import InputError
from .byline import join_names

JSON_FEED_VERSION = "https://jsonfeed.org/version/"
# The first element of an XML feed (after the prolog, comments and doctype).
_FEED_ROOTS = {"rss", "feed", "rdf:rdf", "rdf"}
_PROLOG = re.compile(rb"^\s*(?:<\?.*?\?>|<!--.*?-->|<!(?!--)[^>]*>|\s+)*", re.S)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
# Full content shorter than this is a teaser: the entry's page is fetched instead.
FULL_CONTENT_MIN_WORDS = 150


@dataclass(frozen=True)
class FeedEntry:
    key: str  # the entry's id (guid), else its link: what "the same entry" means across runs
    link: str | None  # absolute URL of the article page
    title: str | None = None
    published: str | None = None  # ISO 8601 (UTC when the feed gave a zone)
    author: str | None = None
    summary: str | None = None  # plain text
    content_html: str | None = None  # the entry's full-content field, when it has one


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class FeedSelection:
    """Which entries a run publishes (``--limit``, ``--since``)."""
    limit: int | None = None  # the newest N entries
    since: str | None = None  # ISO date or datetime: entries dated before it are left out


def looks_like_feed(body: bytes) -> bool:
    """True when the bytes are an RSS/Atom/RDF document or a JSON Feed (from content, not headers)."""
    head = body[:8192].lstrip(b"\xef\xbb\xbf")
    if head.lstrip().startswith(b"{"):
        try:
            data = json.loads(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return False
        return isinstance(data, dict) and str(data.get("version", "")).startswith(JSON_FEED_VERSION)
    rest = head[_PROLOG.match(head).end():]
    match = _FIRST_ELEMENT.match(rest)
    return bool(match) and match.group(1).decode("ascii", "replace").lower() in _FEED_ROOTS


def parse_feed(body: bytes, url: str) -> Feed:
    """The feed's entries, links absolute; InputError when the bytes are no feed."""
    if body[:8192].lstrip(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        return _parse_json_feed(body, url)
    return _parse_xml_feed(body, url)


def _plain(html: str | None) -> str | None:
    if not html or not html.strip():
        return None
    from lxml import html as lxml_html

    try:
        text = lxml_html.fromstring(html).text_content()
    except Exception:  # noqa: BLE001 - lxml raises several types on junk markup
        text = re.sub(r"<[^>]+>", " ", html)
    text = " ".join(text.split())
    return text or None


def _iso_from_struct(parsed) -> str | None:
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc).isoformat()


def _parse_xml_feed(body: bytes, url: str) -> Feed:
    import feedparser

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InputError(f"not a feed ({reason})" if reason else "not a feed", url)
    entries = []
    for item in parsed.entries:
        link = _absolute(item.get("link"), url)
        key = item.get("id") or link
        if not key:
            continue  # nothing to know it by or fetch: not an article
        content = None
        for part in item.get("content") or ():
            if part.get("value") and "html" in (part.get("type") or "text/html"):
                content = part["value"]
                break
        author = (item.get("author_detail") or {}).get("name") or item.get("author")
        entries.append(FeedEntry(
            key=str(key), link=link, title=item.get("title") or None,
            published=_iso_from_struct(item.get("published_parsed") or item.get("updated_parsed")),
            author=author or None, summary=_plain(item.get("summary")), content_html=content,
        ))
    return Feed(url, parsed.feed.get("title"), tuple(entries))


def _parse_json_feed(body: bytes, url: str) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"not a JSON Feed ({exc})", url) from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        raise InputError("not a JSON Feed (no jsonfeed.org version)", url)
    items = data.get("items")
    if not isinstance(items, list):
        raise InputError("JSON Feed has no items list", url)
    feed_authors = _json_authors(data)
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _absolute(item.get("url") if isinstance(item.get("url"), str) else None, url)
        key = item.get("id") if isinstance(item.get("id"), (str, int)) else None
        key = str(key) if key is not None else link
        if not key:
            continue
        content = item.get("content_html") if isinstance(item.get("content_html"), str) else None
        if not content and isinstance(item.get("content_text"), str):
            content = "".join(f"<p>{_escape(p)}</p>" for p in item["content_text"].split("\n\n") if p.strip())
        summary = item.get("summary") if isinstance(item.get("summary"), str) else None
        entries.append(FeedEntry(
            key=key, link=link, title=item.get("title") if isinstance(item.get("title"), str) else None,
            published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
            author=(_json_authors(item) or feed_authors or None), summary=_plain(summary), content_html=content,
        ))
    return Feed(url, data.get("title") if isinstance(data.get("title"), str) else None, tuple(entries))


def _json_authors(obj: dict) -> str | None:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj.get("author")] if isinstance(obj.get("author"), dict) else []
    names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip()]
    return join_names(names) or None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _iso_date(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()


def _absolute(link: str | None, base: str) -> str | None:
    if not link or not link.strip():
        return None
    absolute = urljoin(base, link.strip())
    return absolute if absolute.lower().startswith(("http://", "https://")) else None


def _moment(stamp: str | None) -> datetime | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_since(text: str) -> str:
    """``--since`` as an ISO date/datetime; ValueError with the accepted forms when it is not one."""
    if _moment(text.strip()) is None:
        raise ValueError(f"--since must be a date like 2026-03-01 or 2026-03-01T08:00 (got {text!r})")
    return text.strip()


def select_entries(feed: Feed, selection: FeedSelection = FeedSelection()) -> list[FeedEntry]:
    """One entry per key and per page, newest first, bounded by ``since`` and ``limit``.

    Entries without a date are kept (nothing says they are old) after the dated ones.
    """
    seen: set[str] = set()
    unique: list[FeedEntry] = []
    for entry in feed.entries:
        names = {entry.key} | ({entry.link} if entry.link else set())
        if names & seen:
            continue  # a duplicate entry: published once
        seen |= names
        unique.append(entry)
    since = _moment(selection.since) if selection.since else None
    if since:
        unique = [e for e in unique if (_moment(e.published) is None or _moment(e.published) >= since)]
    dated = sorted((e for e in unique if _moment(e.published)), key=lambda e: _moment(e.published), reverse=True)
    ordered = dated + [e for e in unique if not _moment(e.published)]
    return ordered[:selection.limit] if selection.limit is not None else ordered


def holds_whole_story(entry: FeedEntry) -> bool:
    """The entry's content field is the article itself, not a teaser (or there is no page to fetch)."""
    words = len((_plain(entry.content_html) or "").split())
    return words >= FULL_CONTENT_MIN_WORDS or (entry.link is None and words > 0)
