"""Configuration: ``publisher.toml`` → frozen config objects; CLI flags override.

Only this module reads the TOML file.  Every stage receives the small frozen
dataclass it needs.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_BASE_URL = "http://localhost:8000/"


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

    def url(self, relative: str) -> str:
        return self.base_url + relative.lstrip("/")


@dataclass(frozen=True)
class SpeechConfig:
    engine: str = "piper"
    voice: str | None = None
    quote_voice: str | None = None  # a different voice for quotes (same engine)
    caption_voice: str | None = None  # a different voice for figure captions
    voices_by_lang: dict[str, str] = field(default_factory=dict)  # "de" -> voice name
    lexicon: tuple[str, ...] = ()  # extra lexicon files (global), applied before synthesis
    read_captions: bool = True
    urls: str = "domain"  # how URLs are spoken: "domain" or "drop"


@dataclass(frozen=True)
class BuildConfig:
    jobs: int = 0  # 0 = number of cores
    cache_dir: str | None = None  # default: <output>/.publisher/cache


@dataclass(frozen=True)
class Config:
    site: SiteConfig = SiteConfig()
    speech: SpeechConfig = SpeechConfig()
    build: BuildConfig = BuildConfig()
    path: str | None = None  # the TOML file this came from


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
    if "cover" in values and values["cover"]:
        values["cover"] = str((path.parent / values["cover"]).resolve())
    try:
        return cls(**values)
    except TypeError as exc:  # pragma: no cover - unknown keys are caught above
        raise ConfigError(str(exc), str(path)) from None


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
    unknown = sorted(set(data) - {"site", "speech", "build"})
    if unknown:
        raise ConfigError(f"unknown table(s): {', '.join(unknown)}", str(path))
    site = _section(data, "site", SiteConfig, path)
    site = replace(site, base_url=normalize_base_url(site.base_url))
    return Config(site, _section(data, "speech", SpeechConfig, path), _section(data, "build", BuildConfig, path), str(path))
