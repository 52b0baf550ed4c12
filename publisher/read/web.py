"""URL inputs: an article page, or a feed whose entries are articles (told apart by the bytes).

``read_url_input`` yields one :class:`UrlRead` per article the URL stands for:
one for a page, one per chosen entry for a feed.  A failing entry is a value
(its own one-line error), so the other entries still publish; a URL that
cannot be fetched at all raises :class:`~publisher.errors.InputError`.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

from ..errors import InputError
from ..model import Article
from .draft import DraftArticle
from .feed import FeedEntry, FeedSelection, holds_whole_story, looks_like_feed, parse_feed, select_entries
from .fetch import FEED, HTML_TYPES, PAGE, PAGE_OR_FEED, Fetched, Fetcher

# A feed summary becomes the dek only when it is short (a dek is one or two
# sentences, read aloud after the headline) and does not repeat the story's opening.
SUMMARY_DEK_MAX_WORDS = 60
_REPEAT_PROBE_WORDS = 12


@dataclass(frozen=True)
class UrlRead:
    source: str  # what the result line names: the URL given, or the entry's page
    article: Article | None = None
    error: Exception | None = None
    base_url: str | None = None  # what the article's relative image links resolve against
    # What the article was read from (page bytes, feed entry): equal digests read as equal articles.
    input_digest: str | None = None
    unchanged: bool = False  # ``known`` recognised the digest: not read again (``article`` is None)


# ``known(source, input_digest)``: True when the build already published exactly this input.
KnownInput = Callable[[str, str], bool]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _entry_bytes(entry: FeedEntry) -> bytes:
    return json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False).encode("utf-8")


def read_url_input(url: str, fetcher: Fetcher, selection: FeedSelection = FeedSelection(), *,
                   feed: bool = False, known: KnownInput | None = None) -> Iterator[UrlRead]:
    """The articles behind ``url``: the page itself, or each chosen entry of a feed (``feed=True``: must be one).

    An input ``known`` recognises (same bytes as last build) is not read again:
    a rerun on an unchanged feed costs one conditional request per entry.
    """
    known = known or (lambda source, digest: False)
    fetched = fetcher.fetch(url, FEED if feed else PAGE_OR_FEED)
    if feed or looks_like_feed(fetched.body):
        parsed = parse_feed(fetched.body, fetched.url)
        if not parsed.entries:
            raise InputError("the feed has no entries", url)
        for entry in select_entries(parsed, selection):
            source = entry.link or f"{fetched.url}#{entry.key}"
            try:
                yield entry_read(entry, fetcher, fetched.url, known)
            except Exception as exc:  # noqa: BLE001 - one entry's problem fails that entry alone
                yield UrlRead(source, error=exc)
        return
    if fetched.content_type and fetched.content_type not in HTML_TYPES:
        raise InputError(f"not an HTML page or feed (content-type {fetched.content_type})", url)
    digest = _digest(b"page", fetched.body)
    if known(url, digest):
        yield UrlRead(url, base_url=fetched.url, input_digest=digest, unchanged=True)
        return
    yield UrlRead(url, article_from_draft(page_draft(fetched, url), url), base_url=fetched.url, input_digest=digest)


def page_draft(fetched: Fetched, source: str) -> DraftArticle:
    """A fetched page read as the HTML reader does; the URL is canonical unless the page names its own."""
    from . import _check_content, draft_from_bytes

    _check_content(fetched.body, source)
    draft = draft_from_bytes(fetched.body, source, "html")
    if draft.identity.startswith("file:"):
        draft.identity = fetched.url
    draft.url = draft.url or fetched.url
    return draft


def article_from_draft(draft: DraftArticle, source: str) -> Article:
    from . import _STORY_KINDS
    from ..segment import build_article

    if not any(b.kind in _STORY_KINDS for b in draft.blocks):
        raise InputError("no article text found (0 paragraphs)", source)
    article = build_article(draft, source=source)
    if not article.word_count():
        raise InputError("no article text found (0 paragraphs)", source)
    return article


def entry_read(entry: FeedEntry, fetcher: Fetcher, feed_url: str, known: KnownInput) -> UrlRead:
    """One entry's article (its full content, else its fetched page) and the base URL of its images."""
    from . import draft_from_bytes

    source = entry.link or f"{feed_url}#{entry.key}"
    if entry.content_html and holds_whole_story(entry):
        digest = _digest(b"entry", _entry_bytes(entry))
        base = entry.link or feed_url
        if known(source, digest):
            return UrlRead(source, base_url=base, input_digest=digest, unchanged=True)
        draft = draft_from_bytes(_entry_document(entry), source, "html")
        draft.identity = entry.link or (entry.key if re.match(r"(?i)^https?://", entry.key) else f"{feed_url}#{entry.key}")
        draft.url = draft.url or entry.link
    elif entry.link:
        fetched = fetcher.fetch(entry.link, PAGE)
        digest = _digest(b"entry", _entry_bytes(entry), fetched.body)
        base = fetched.url
        if known(source, digest):
            return UrlRead(source, base_url=base, input_digest=digest, unchanged=True)
        draft = page_draft(fetched, source)
    else:
        raise InputError("the entry has neither a link nor its story's text", source)
    fill_from_entry(draft, entry)
    return UrlRead(source, article_from_draft(draft, source), base_url=base, input_digest=digest)


def _entry_document(entry: FeedEntry) -> bytes:
    """The entry's content as a page the HTML reader reads (the reader strips what is unsafe)."""
    title = html.escape(entry.title or "")
    canonical = f'<link rel="canonical" href="{html.escape(entry.link)}">' if entry.link else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{canonical}</head>"
            f"<body><article><h1>{title}</h1>{entry.content_html}</article></body></html>").encode("utf-8")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _repeats_body(summary: str, draft: DraftArticle) -> bool:
    probe = " ".join(_words(summary)[:_REPEAT_PROBE_WORDS])
    body = " ".join(_words(" ".join(b.text for b in draft.blocks[:6] if b.text)))
    return bool(probe) and probe in body


def fill_from_entry(draft: DraftArticle, entry: FeedEntry) -> None:
    """The entry's date, author, title and summary fill what the page itself lacks (the page wins)."""
    draft.published = draft.published or entry.published
    draft.byline = draft.byline or entry.author
    draft.title = draft.title or entry.title or draft.title
    if (not draft.dek and entry.summary and len(entry.summary.split()) <= SUMMARY_DEK_MAX_WORDS
            and not _repeats_body(entry.summary, draft)):
        draft.dek = entry.summary
