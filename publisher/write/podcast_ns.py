"""The Podcasting 2.0 ``podcast:`` namespace as a python-feedgen extension.

feedgen 1.0 knows iTunes but not ``podcast:``.  These two classes follow its
extension contract (``extend_ns`` / ``extend_rss`` on the ``<rss>`` root for
the feed, on the ``<item>`` for an entry), so they work both in our own
lxml feed writer (:mod:`publisher.write.feed`) and registered into a
``feedgen.feed.FeedGenerator``::

    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)

Only the tags this project publishes are modelled: ``guid``, ``locked``,
``transcript`` and ``chapters``.  Setters validate; nothing is serialized
until ``extend_rss`` runs.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from lxml import etree

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# The "podcast" namespace UUID from the podcast:guid spec.  Check: the spec's
# example feed mp3s.nashownotes.com/pc20rss.xml → 917393e3-1b1e-5cef-ace4-edaa54e1f810.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
CHAPTERS_TYPE = "application/json+chapters"
TRANSCRIPT_TYPES = ("text/vtt", "application/x-subrip", "application/json", "text/html", "text/plain")
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _tag(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _require_url(url: str, what: str) -> str:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError(f"{what} must be an absolute http(s) URL (got {url!r})")
    return url


def feed_guid(feed_url: str) -> str:
    """podcast:guid per the spec: UUIDv5 of the feed URL without scheme and trailing slashes."""
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, URL_SCHEME.sub("", feed_url).rstrip("/")))


class PodcastIndexExtension(BaseExtension):
    """Channel-level ``podcast:guid`` and ``podcast:locked``."""

    def __init__(self) -> None:
        self.__guid: str | None = None
        self.__locked: tuple[bool, str | None] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def podcast_guid(self, guid: str | None = None) -> str | None:
        if guid is not None:
            self.__guid = str(uuid.UUID(guid))  # raises ValueError for a non-UUID
        return self.__guid

    def podcast_locked(self, locked: bool | None = None, owner: str | None = None):
        if locked is not None:
            if not isinstance(locked, bool):
                raise ValueError(f"podcast:locked must be a bool (got {locked!r})")
            self.__locked = (locked, owner)
        return self.__locked

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.__guid:
            etree.SubElement(channel, _tag("guid")).text = self.__guid
        if self.__locked is not None:
            locked, owner = self.__locked
            element = etree.SubElement(channel, _tag("locked"))
            if owner:
                element.set("owner", owner)
            element.text = "yes" if locked else "no"
        return rss_feed


@dataclass(frozen=True)
class Transcript:
    url: str
    type: str
    language: str | None = None
    rel: str | None = None


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level ``podcast:transcript`` (any number) and ``podcast:chapters``."""

    def __init__(self) -> None:
        self.__transcripts: list[Transcript] = []
        self.__chapters: tuple[str, str] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def podcast_transcript(self, url: str | None = None, type: str | None = None,
                           language: str | None = None, rel: str | None = None) -> list[Transcript]:
        if url is not None:
            if type not in TRANSCRIPT_TYPES:
                raise ValueError(f"unsupported transcript type {type!r}")
            self.__transcripts.append(Transcript(_require_url(url, "transcript url"), type, language, rel))
        return list(self.__transcripts)

    def podcast_chapters(self, url: str | None = None, type: str = CHAPTERS_TYPE):
        if url is not None:
            self.__chapters = (_require_url(url, "chapters url"), type)
        return self.__chapters

    def extend_rss(self, item):
        for transcript in self.__transcripts:
            element = etree.SubElement(item, _tag("transcript"))
            element.set("url", transcript.url)
            element.set("type", transcript.type)
            if transcript.language:
                element.set("language", transcript.language)
            if transcript.rel:
                element.set("rel", transcript.rel)
        if self.__chapters:
            url, type_ = self.__chapters
            element = etree.SubElement(item, _tag("chapters"))
            element.set("url", url)
            element.set("type", type_)
        return item
