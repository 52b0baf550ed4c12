"""Read one input file into the typed article model.

``read_article(path)`` is the one entry point every command uses: it reads the
bytes, refuses what is not an article (too big, empty, binary, no text) with a
one-line :class:`~publisher.errors.InputError`, detects the format from the
content, lets the matching reader produce a draft, and builds the model.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import InputError, PublisherError
from ..model import Article
from .detect import binary_kind, detect_format
from .draft import DraftArticle
from .language import mark_passages

# A news article is tens of kilobytes; a saved page with inline assets a few
# megabytes.  Anything larger is not an article and would only cost memory.
MAX_INPUT_BYTES = 5 * 1024 * 1024
# Block kinds that hold story text (a page of only figures or credits is not an article).
_STORY_KINDS = frozenset({"paragraph", "quote", "list", "table"})


def _read_bytes(path: Path) -> bytes:
    shown = str(path)
    try:
        if path.is_dir():
            raise InputError("is a folder, not an article file", shown)
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"file is {size / 1024 / 1024:.1f} MB; articles are limited to {MAX_INPUT_BYTES // 1024 // 1024} MB",
                shown,
            )
        with path.open("rb") as fh:
            data = fh.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputError("file not found", shown) from None
    except PermissionError:
        raise InputError("permission denied", shown) from None
    except IsADirectoryError:
        raise InputError("is a folder, not an article file", shown) from None
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror or exc})", shown) from None
    if len(data) > MAX_INPUT_BYTES:  # the file grew while we looked at it
        raise InputError(f"file is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB", shown)
    return data


def _check_content(data: bytes, shown: str) -> None:
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):
        raise InputError("file is empty", shown)
    kind = binary_kind(data)
    if kind:
        raise InputError(f"not a text article: this looks like {kind}", shown)


def draft_from_bytes(data: bytes, path: str, fmt: str | None = None) -> DraftArticle:
    """Run the reader for ``fmt`` (detected from content when None) on ``data``."""
    fmt = fmt or detect_format(data, path)
    try:
        if fmt == "html":
            from .html import read_html  # written alongside; imported only when needed
            draft = read_html(data, path)
        elif fmt == "markdown":
            from .markdown import read_markdown
            draft = read_markdown(data, path)
        else:
            from .text import read_text
            draft = read_text(data, path)
        return mark_passages(draft)
    except PublisherError:
        raise
    except (ValueError, UnicodeError, RecursionError) as exc:
        # Malformed input (bad markup nesting, undecodable bytes) is the
        # user's file, not our crash: one line naming the problem.
        raise InputError(f"cannot read this {fmt} file ({type(exc).__name__}: {exc})", path) from exc


def read_draft(path: str | Path) -> DraftArticle:
    """The reader's draft for one file (before ids, sentences and the alt policy)."""
    path = Path(path)
    shown = str(path)
    data = _read_bytes(path)
    _check_content(data, shown)
    draft = draft_from_bytes(data, shown)
    if not any(b.kind in _STORY_KINDS for b in draft.blocks):
        raise InputError("no article text found (0 paragraphs)", shown)
    return draft


def read_article(path: str | Path) -> Article:
    """Read one article file (plain text, Markdown or HTML) into the model."""
    from ..segment import build_article

    draft = read_draft(path)
    article = build_article(draft, source=str(path))
    if not article.word_count():
        raise InputError("no article text found (0 paragraphs)", str(path))
    return article


__all__ = ["read_article", "read_url", "read_draft", "draft_from_bytes", "detect_format", "MAX_INPUT_BYTES"]


def read_url(url: str, cache_dir: Path, settings=None) -> Article:
    """Fetch one article page and read it as the HTML reader does.

    The fetched URL is the article's canonical URL unless the page names its own.
    (Feeds and many URLs: :func:`publisher.read.web.read_url_input` with one shared fetcher.)
    """
    from .fetch import Fetcher
    from .web import article_from_draft, page_draft

    with Fetcher(cache_dir, settings) as fetcher:
        return article_from_draft(page_draft(fetcher.fetch(url), url), url)
