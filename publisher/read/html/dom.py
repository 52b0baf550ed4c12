"""Small text and DOM helpers shared by the HTML reader's steps."""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree


_PLACEHOLDER = re.compile(r"xqzph(\d+)qzx")


_SAFE_SCHEME = re.compile(r"^(https?:)?//", re.I)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def clean(text: str | None) -> str:
    """Runs of whitespace as one space, none at the ends (``str.split`` splits on exactly the
    characters ``\\s`` matches, and is several times faster than a substitution)."""
    return " ".join((text or "").split())


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=8192)
def words_key(text: str | None) -> str:
    """Text compared by its words only (case and punctuation ignored).

    Cached: the line rules and heading restoration compare the same few texts (title,
    dek, anchors) with every block, so one page asks for the same key many times.
    """
    return " ".join(_WORD.findall((text or "").lower()))


_CONTROLS = re.compile("[\x00-\x1f\x7f]")


def safe_url(url: str | None) -> str | None:
    """http(s) URLs and relative paths only: never javascript:, data: …"""
    if not url:
        return None
    url = _CONTROLS.sub("", url.strip())
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
