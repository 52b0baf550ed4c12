"""Fetch pages, feeds and images from URLs, with a small conditional-request cache.

Why a cache: a rerun on unchanged pages should make only conditional requests
(If-None-Match / If-Modified-Since) and read the stored body on a 304.

Mechanism only: *what* may be fetched (accepted content types, size limit, the
noun an error names) is a :class:`Wanted` value the caller passes.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..fsutil import atomic_write_bytes, atomic_write_text
from . import MAX_INPUT_BYTES

USER_AGENT = "publisher/0.1 (accessible article publisher; +https://example.invalid/publisher)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/xml", "text/xml", "application/rdf+xml")


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = MAX_INPUT_BYTES


@dataclass(frozen=True)
class Wanted:
    """What a fetch accepts: the Accept header, the content types, and the noun errors use."""
    noun: str
    accept: str
    types: tuple[str, ...]  # accepted media types; a prefix ending in "/" accepts a family
    max_bytes: int | None = None  # None: the settings' limit


PAGE = Wanted("an HTML page", "text/html,application/xhtml+xml;q=0.9", HTML_TYPES)
# A URL input may be an article page or a feed: which one is decided from the bytes.
PAGE_OR_FEED = Wanted("an HTML page or feed",
                      "text/html,application/xhtml+xml;q=0.9,application/rss+xml,application/atom+xml,"
                      "application/feed+json,application/xml;q=0.8,*/*;q=0.1", HTML_TYPES + FEED_TYPES)
FEED = Wanted("a feed", "application/rss+xml,application/atom+xml,application/feed+json,application/xml;q=0.9",
              FEED_TYPES + ("text/plain",))


def is_url(text: str) -> bool:
    return str(text).lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    body: bytes
    from_cache: bool
    content_type: str = ""
    body_path: Path | None = None  # where the cache keeps these bytes


def _limit_text(limit: int) -> str:
    return f"{limit // 1048576} MB" if limit >= 1048576 and limit % 1048576 == 0 else f"{limit} byte"


class Fetcher:
    """One HTTP client (connections and TLS set-up shared) and its on-disk cache."""

    def __init__(self, cache_dir: Path, settings: FetchSettings | None = None) -> None:
        import httpx

        self.cache_dir = Path(cache_dir)
        self.settings = settings or FetchSettings()
        timeout = httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout)
        self._client = httpx.Client(follow_redirects=True, max_redirects=self.settings.max_redirects,
                                    timeout=timeout, headers={"User-Agent": USER_AGENT})
        self.requests = 0  # how many requests this fetcher made (reruns should make only conditional ones)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- cache -------------------------------------------------------------------------
    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.cache_dir / f"{key}.json", self.cache_dir / f"{key}.body"

    def _load_cached(self, url: str) -> tuple[dict, bytes] | None:
        meta_path, body_path = self._paths(url)
        try:
            return json.loads(meta_path.read_text()), body_path.read_bytes()
        except (OSError, ValueError):
            return None

    # -- fetching ----------------------------------------------------------------------
    def fetch(self, url: str, wanted: Wanted = PAGE) -> Fetched:
        """The bytes at ``url`` (fresh, or from the cache after a 304); InputError on any failure."""
        import httpx

        limit = wanted.max_bytes or self.settings.max_bytes
        cached = self._load_cached(url)
        headers = {"Accept": wanted.accept}
        if cached:
            headers.update(_conditional_headers(cached[0]))
        self.requests += 1
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached:
                    meta = cached[0]
                    return Fetched(meta.get("final_url", url), cached[1], True, meta.get("content_type", ""),
                                   self._paths(url)[1])
                if response.status_code >= 400:
                    raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".strip(), url)
                ctype = _check_type(response, url, wanted)
                body = _read_limited(response, url, limit, wanted.noun)
                final = str(response.url)
                meta = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
                        "final_url": final, "content_type": ctype}
        except httpx.TooManyRedirects:
            raise InputError(f"more than {self.settings.max_redirects} redirects", url) from None
        except httpx.TimeoutException:
            raise InputError("the server did not answer in time", url) from None
        except httpx.HTTPError as exc:
            raise InputError(f"cannot fetch ({type(exc).__name__}: {exc})", url) from None
        meta_path, body_path = self._paths(url)
        atomic_write_bytes(body_path, body)
        atomic_write_text(meta_path, json.dumps(meta))
        return Fetched(final, body, False, ctype, body_path)


def _conditional_headers(meta: dict) -> dict[str, str]:
    headers = {}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    return headers


def _read_limited(response, url: str, limit: int, noun: str) -> bytes:
    what = noun.split(" ", 1)[-1]  # "an HTML page" -> "HTML page"
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(f"{what} is larger than the {_limit_text(limit)} limit", url)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:  # stop streaming: the server may send forever
            raise InputError(f"{what} is larger than the {_limit_text(limit)} limit", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_type(response, url: str, wanted: Wanted) -> str:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and not any(ctype == t or (t.endswith("/") and ctype.startswith(t)) for t in wanted.types):
        raise InputError(f"not {wanted.noun} (content-type {ctype})", url)
    return ctype


def fetch_page(url: str, cache_dir: Path, settings: FetchSettings = FetchSettings(), wanted: Wanted = PAGE) -> Fetched:
    """One fetch with a client of its own (see :class:`Fetcher` for many)."""
    with Fetcher(cache_dir, settings) as fetcher:
        return fetcher.fetch(url, wanted)
