"""Small text and DOM helpers shared by the HTML reader's steps."""
from __future__ import annotations

import re

from lxml import etree


_SPACE = re.compile(r"\s+")


_PLACEHOLDER = re.compile(r"xqzph(\d+)qzx")


_SAFE_SCHEME = re.compile(r"^(https?:)?//", re.I)
_ANY_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _norm_words(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def safe_url(url: str | None) -> str | None:
    """http(s) URLs and relative paths only: never javascript:, data: …"""
    if not url:
        return None
    url = "".join(ch for ch in url.strip() if ch >= " " and ch != "\x7f")
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
