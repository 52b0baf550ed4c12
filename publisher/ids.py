"""Stable, content-derived ids and safe slugs.

One place makes ids; every other stage only carries them.  An id depends on
the text it names (plus an occurrence counter for exact repeats), so rebuilding
gives the same ids and editing one paragraph leaves every other id alone.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid

# Not derived from any host we publish to: a fixed namespace for article ids.
ARTICLE_NAMESPACE = uuid.UUID("6f1c2a52-93a4-5b8e-9a57-3b0e8c1d2f40")

MAX_SLUG_LENGTH = 60
# Names Windows refuses as file names, and names our own layout uses.
RESERVED_SLUGS = {
    "con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
    "static", "assets", "index", "feed", "sections", "cache",
    "page", "archive",  # listing pages (write/listing.py)
}


def digest(text: str, size: int = 5) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size).hexdigest()


def article_id(key: str) -> str:
    """UUIDv5 of the article's identity key (canonical URL or ``file:<stem>``)."""
    return str(uuid.uuid5(ARTICLE_NAMESPACE, key))


class IdMaker:
    """Hands out ``<prefix>-<hash>`` ids, numbering exact repeats within one article."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def make(self, prefix: str, text: str) -> str:
        base = f"{prefix}-{digest(' '.join(text.split()))}"
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        return base if count == 1 else f"{base}-{count}"

    def make_readable(self, prefix: str, text: str) -> str:
        """An id that reads as words (for section anchors users may link to)."""
        words = slugify(text, max_length=40, fallback="")
        base = f"{prefix}-{words}" if words else f"{prefix}-{digest(text)}"
        count = self._seen.get(base, 0) + 1
        self._seen[base] = count
        return base if count == 1 else f"{base}-{count}"


def _ascii_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH, fallback: str = "article") -> str:
    """A safe, readable path component: lowercase letters, digits and hyphens.

    Latin letters lose their accents; other scripts keep their letters (they
    are safe in URLs once percent-encoded and readable to their readers).
    Never empty, never ``.``/``..``, never a reserved device name, never longer
    than ``max_length``.
    """
    text = _ascii_fold(text).lower()
    words = re.findall(r"[^\W_]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    if not slug:
        return fallback
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-article"
    return slug


def unique_slugs(wanted: list[tuple[str, str]]) -> dict[str, str]:
    """Map article id → slug, making repeated slugs distinct deterministically.

    ``wanted`` is ``(article_id, slug)``; repeats are numbered in the order of
    their article ids, so the result does not depend on input order.
    """
    result: dict[str, str] = {}
    taken: set[str] = set()
    for aid, slug in sorted(wanted, key=lambda pair: (pair[1], pair[0])):
        candidate, n = slug, 1
        while candidate in taken:
            n += 1
            suffix = f"-{n}"
            candidate = slug[: MAX_SLUG_LENGTH - len(suffix)] + suffix
        taken.add(candidate)
        result[aid] = candidate
    return result
