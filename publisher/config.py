"""Configuration: ``publisher.toml`` → frozen config objects; CLI flags override.

Only this module reads the TOML file.  Every stage receives the small frozen
dataclass it needs.
"""
from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .speech.engines.base import DEFAULT_ENGINE

DEFAULT_BASE_URL = "http://localhost:8000/"
APPLE_CATEGORIES_FILE = Path(__file__).parent / "write" / "data" / "apple_categories.json"
FEED_TYPES = ("episodic", "serial")
# Deliberately loose: catches "name at example.org" and typos, not every RFC 5322 corner.
EMAIL_SHAPE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z0-9-]{2,}$")
# [site] keys that only decide how long the listings are (feed, index pages).
LISTING_KEYS = ("feed_items", "index_page_size")
LANGUAGE_SHAPE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class SiteConfig:
    """The publication: page chrome, feed channel, absolute links."""

    title: str = "Publisher Audio Edition"
    description: str = "Accessible news articles with narration, transcripts and chapters."
    base_url: str = DEFAULT_BASE_URL  # absolute links in the feed; always ends with "/"
    language: str = "en"
    author: str = "Publisher Newsroom"
    owner_name: str = "Publisher Newsroom"
    owner_email: str = "podcast@example.org"
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    copyright: str | None = None
    cover: str | None = None  # path to a square PNG/JPEG; generated when absent
    feed_type: str = "episodic"  # itunes:type
    locked: bool = True  # podcast:locked
    # Show images that live on another host (the source's CDN).  Off by default:
    # the page then makes no request elsewhere (reader privacy, offline copies)
    # and shows the image's description as text instead.
    remote_images: bool = False
    # Listing sizes (not what any one article looks like: excluded from content hashes).
    feed_items: int = 100  # the feed carries the newest N episodes; older ones are on the archive pages
    index_page_size: int = 50  # articles per index page (index.html, page/2/, ...)

    def url(self, relative: str) -> str:
        return self.base_url + relative.lstrip("/")


@dataclass(frozen=True)
class SpeechConfig:
    engine: str = DEFAULT_ENGINE
    voice: str | None = None
    quote_voice: str | None = None  # a different voice for quotes (same engine)
    caption_voice: str | None = None  # a different voice for figure captions
    voices_by_lang: dict[str, str] = field(default_factory=dict)  # "de" -> voice name
    lexicon: tuple[str, ...] = ()  # extra lexicon files (global), applied before synthesis
    read_captions: bool = True
    urls: str = "domain"  # how URLs are spoken: "domain" or "drop"
    # Said (by the article's own voice) at the start / end of every episode and the briefing.
    intro: str | None = None
    outro: str | None = None
    # A station ident (MP3 or WAV) played before the intro / after the outro, at the episode's loudness.
    intro_audio: str | None = None
    outro_audio: str | None = None


@dataclass(frozen=True)
class BuildConfig:
    jobs: int = 0  # 0 = number of cores
    cache_dir: str | None = None  # default: <output>/.publisher/cache
    # Download absolute image URLs found in *file* inputs (fetched pages' images
    # are always downloaded unless --offline): the network is the user's choice.
    fetch_images: bool = False
    scheduler: str | None = None  # a Dask scheduler ("tcp://host:8786") or "local:N"; None = -j N processes here


@dataclass(frozen=True)
class BriefingConfig:
    """The daily briefing episode (``publisher briefing``; every build when enabled)."""

    enabled: bool = False  # make today's briefing at the end of every build
    title: str = "Daily briefing"  # the episode title is "<title>, <date>"
    timezone: str = "UTC"  # which calendar day an article's published time falls on


# "local:N", or a Dask address: "tcp://host:8786", "tls://...", "host:8786".
SCHEDULER_SHAPE = re.compile(r"^(local:[1-9]\d*|(?!local:)([a-z][a-z0-9+.-]*://)?(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)(:\d+)?)$")


def validate_scheduler(value: str | None, path: str | None = None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not SCHEDULER_SHAPE.match(value.strip()):
        raise ConfigError(f"scheduler must be a Dask scheduler address like tcp://host:8786, or local:N "
                          f"with N ≥ 1 worker processes (got {value!r})", path)
    return value.strip()


@dataclass(frozen=True)
class ListenConfig:
    """Listen-back thresholds (word error rates, 0–1) and the recognizer's model."""

    sentence_wer: float = 0.5  # a sentence above this is flagged
    article_wer: float = 0.1  # an article above this fails
    flagged_sentences: int = 1  # an article with more flagged sentences than this fails
    worst: int = 5  # worst sentences listed per article
    model: str | None = None  # a CTranslate2 Whisper model folder; default: the installed model package


@dataclass(frozen=True)
class Config:
    site: SiteConfig = SiteConfig()
    speech: SpeechConfig = SpeechConfig()
    build: BuildConfig = BuildConfig()
    briefing: BriefingConfig = BriefingConfig()
    path: str | None = None  # the TOML file this came from
    listen: ListenConfig = ListenConfig()


def _section(data: dict[str, Any], name: str, cls, path: Path):
    raw = data.get(name, {})
    if not isinstance(raw, dict):
        raise ConfigError(f"[{name}] must be a table", str(path))
    known = {f for f in cls.__dataclass_fields__}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"unknown key(s) in [{name}]: {', '.join(unknown)}", str(path))
    values = dict(raw)
    if "lexicon" in values and isinstance(values["lexicon"], list):
        values["lexicon"] = tuple(str((path.parent / p).resolve()) for p in values["lexicon"])
    if name == "listen" and isinstance(values.get("model"), str) and values["model"]:
        values["model"] = str((path.parent / values["model"]).resolve())
    for name in ("cover", "intro_audio", "outro_audio"):  # files named relative to the config file
        if name in values and isinstance(values[name], str) and values[name]:
            values[name] = str((path.parent / values[name]).resolve())
    try:
        return cls(**values)
    except TypeError as exc:  # pragma: no cover - unknown keys are caught above
        raise ConfigError(str(exc), str(path)) from None


def apple_categories() -> dict[str, list[str]]:
    """Apple's category → subcategories taxonomy (data file, not code)."""
    return json.loads(APPLE_CATEGORIES_FILE.read_text(encoding="utf-8"))["categories"]


def _suggest(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def validate_site(site: SiteConfig, path: str | None = None) -> None:
    """Raise ConfigError for a [site] a podcast directory would reject."""
    def fail(message: str) -> None:
        raise ConfigError(f"[site] {message}", path)

    for name in ("title", "description", "author", "owner_name"):
        value = getattr(site, name)
        if not isinstance(value, str) or not value.strip():
            fail(f"{name} must be a non-empty string")
    for name in ("explicit", "locked", "remote_images"):
        if not isinstance(getattr(site, name), bool):
            fail(f"{name} must be true or false (got {getattr(site, name)!r})")
    if not isinstance(site.owner_email, str) or not EMAIL_SHAPE.match(site.owner_email):
        fail(f"owner_email does not look like an email address: {site.owner_email!r}")
    if not isinstance(site.language, str) or not LANGUAGE_SHAPE.match(site.language):
        fail(f"language must be a language tag like 'en' or 'en-GB' (got {site.language!r})")
    if site.feed_type not in FEED_TYPES:
        fail(f"feed_type must be one of {', '.join(FEED_TYPES)} (got {site.feed_type!r})")
    categories = apple_categories()
    if site.category not in categories:
        fail(f"category {site.category!r} is not an Apple Podcasts category{_suggest(str(site.category), categories)}")
    if site.subcategory is not None and site.subcategory not in categories[site.category]:
        allowed = categories[site.category]
        if not allowed:
            fail(f"category {site.category!r} has no subcategories (got {site.subcategory!r})")
        fail(f"subcategory {site.subcategory!r} is not under {site.category!r}{_suggest(str(site.subcategory), allowed)}; "
             f"choose one of: {', '.join(allowed)}")
    if site.copyright is not None and not isinstance(site.copyright, str):
        fail("copyright must be a string")
    for name in LISTING_KEYS:
        value = getattr(site, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            fail(f"{name} must be a whole number of at least 1 (got {value!r})")


def normalize_base_url(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"base_url must start with http:// or https:// (got {url!r})")
    return url if url.endswith("/") else url + "/"


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Load ``publisher.toml`` (explicit path, else ./publisher.toml if present)."""
    if path is None:
        candidate = Path("publisher.toml")
        if not candidate.exists():
            return Config()
        path = candidate
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", str(path)) from None
    unknown = sorted(set(data) - {"site", "speech", "build", "briefing", "listen"})
    if unknown:
        raise ConfigError(f"unknown table(s): {', '.join(unknown)}", str(path))
    site = _section(data, "site", SiteConfig, path)
    site = replace(site, base_url=normalize_base_url(site.base_url))
    raw_site = data.get("site", {})
    if "category" in raw_site and "subcategory" not in raw_site:
        # The default subcategory belongs to the default category only.
        site = replace(site, subcategory=None)
    validate_site(site, str(path))
    speech = _section(data, "speech", SpeechConfig, path)
    validate_speech_texts(speech, str(path))
    briefing = _section(data, "briefing", BriefingConfig, path)
    validate_briefing(briefing, str(path))
    build = _section(data, "build", BuildConfig, path)
    build = replace(build, scheduler=validate_scheduler(build.scheduler, str(path)))
    if not isinstance(build.fetch_images, bool):
        raise ConfigError(f"[build] fetch_images must be true or false (got {build.fetch_images!r})", str(path))
    listen = _section(data, "listen", ListenConfig, path)
    validate_listen(listen, str(path))
    return Config(site, speech, build, briefing, str(path), listen)


def validate_speech_texts(speech: SpeechConfig, path: str | None = None) -> None:
    """The intro/outro keys are strings (the sound files themselves are checked at start-up)."""
    for name in ("intro", "outro", "intro_audio", "outro_audio"):
        value = getattr(speech, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"[speech] {name} must be a non-empty string", path)


def validate_briefing(briefing: BriefingConfig, path: str | None = None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(briefing.enabled, bool):
        raise ConfigError(f"[briefing] enabled must be true or false (got {briefing.enabled!r})", path)
    if not isinstance(briefing.title, str) or not briefing.title.strip():
        raise ConfigError("[briefing] title must be a non-empty string", path)
    try:
        ZoneInfo(str(briefing.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"[briefing] timezone {briefing.timezone!r} is not an IANA time zone "
                          "(e.g. 'UTC', 'Europe/Berlin')", path) from None


def validate_listen(listen: ListenConfig, path: str | None = None) -> None:
    for name in ("sentence_wer", "article_wer"):
        value = getattr(listen, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 10:
            raise ConfigError(f"[listen] {name} must be a word error rate such as 0.1 (got {value!r})", path)
    for name in ("flagged_sentences", "worst"):
        value = getattr(listen, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"[listen] {name} must be a whole number, 0 or more (got {value!r})", path)
    if listen.model is not None and not isinstance(listen.model, str):
        raise ConfigError("[listen] model must be a folder path", path)
