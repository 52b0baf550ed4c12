"""Fetch an article page from a URL, with a small conditional-request cache.

Why a cache: a rerun on unchanged pages should make only conditional requests
(If-None-Match / If-Modified-Since) and read the stored body on a 304.
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


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = MAX_INPUT_BYTES


def is_url(text: str) -> bool:
    return str(text).lower().startswith(("http://", "https://"))


def _cache_paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode()).hexdigest()[:32]
    return cache_dir / f"{key}.json", cache_dir / f"{key}.body"


def _load_cached(cache_dir: Path, url: str) -> tuple[dict, bytes] | None:
    meta_path, body_path = _cache_paths(cache_dir, url)
    try:
        return json.loads(meta_path.read_text()), body_path.read_bytes()
    except (OSError, ValueError):
        return None


def _conditional_headers(meta: dict) -> dict[str, str]:
    headers = {}
    if meta.get("etag"):
        headers["If-None-Match"] = meta["etag"]
    if meta.get("last_modified"):
        headers["If-Modified-Since"] = meta["last_modified"]
    return headers


def _read_limited(response, url: str, limit: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(f"page is larger than {limit // 1024 // 1024 or limit} {'MB' if limit >= 1048576 else 'bytes'} limit", url)
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:  # stop streaming: the server may send forever
            raise InputError(f"page is larger than the {limit} byte limit", url)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_type(response, url: str) -> None:
    ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype not in HTML_TYPES:
        raise InputError(f"not an HTML page (content-type {ctype})", url)


@dataclass(frozen=True)
class Fetched:
    url: str  # final URL after redirects
    body: bytes
    from_cache: bool


def fetch_page(url: str, cache_dir: Path, settings: FetchSettings = FetchSettings()) -> Fetched:
    """The page's bytes (fresh or from the cache after a 304); InputError on any failure."""
    import httpx

    cached = _load_cached(cache_dir, url)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9"}
    if cached:
        headers.update(_conditional_headers(cached[0]))
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    try:
        with httpx.Client(follow_redirects=True, max_redirects=settings.max_redirects, timeout=timeout) as client:
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached:
                    return Fetched(cached[0].get("final_url", url), cached[1], True)
                if response.status_code >= 400:
                    raise InputError(f"HTTP {response.status_code} {response.reason_phrase}".strip(), url)
                _check_type(response, url)
                body = _read_limited(response, url, settings.max_bytes)
                final = str(response.url)
                meta = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
                        "final_url": final}
    except httpx.TooManyRedirects:
        raise InputError(f"more than {settings.max_redirects} redirects", url) from None
    except httpx.TimeoutException:
        raise InputError("the server did not answer in time", url) from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot fetch ({type(exc).__name__}: {exc})", url) from None
    cache_dir.mkdir(parents=True, exist_ok=True)
    meta_path, body_path = _cache_paths(cache_dir, url)
    atomic_write_bytes(body_path, body)
    atomic_write_text(meta_path, json.dumps(meta))
    return Fetched(final, body, False)
