"""``publisher edition``: several published articles as one audio e-book.

Which articles (policy) lives here; how they are joined (mechanism) is
:mod:`publisher.write.epub.edition`.  The selection is, in this order of
precedence: the slugs given (in the order given), else every article dated on
or after ``--since`` (newest first, as on the index), else the articles of
the latest build (newest first).
"""
from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .config import SiteConfig
from .errors import ConfigError, PublisherError
from .manifest import EpisodeEntry, load_latest_build, load_manifest, newest_first

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EDITION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:publisher:edition")  # edition ids are uuid5s in it


@dataclass(frozen=True)
class Edition:
    data: bytes
    included: tuple[EpisodeEntry, ...]
    skipped: tuple[str, ...] = field(default=())  # one line per article left out, naming its e-book


def select_entries(output: Path, slugs: tuple[str, ...] = (), since: str | None = None) -> list[EpisodeEntry]:
    """The articles an edition holds, in reading order; :class:`ConfigError` when there are none."""
    manifest = load_manifest(output)
    if not manifest:
        raise ConfigError("no published articles here (run `publisher build` first)", str(output))
    if slugs:
        by_slug = {e.slug: e for e in manifest.values()}
        unknown = [s for s in slugs if s not in by_slug]
        if unknown:
            raise ConfigError(f"no published article with slug {', '.join(map(repr, unknown))}", str(output))
        return [by_slug[s] for s in dict.fromkeys(slugs)]
    if since is not None:
        if not DATE.match(since):
            raise ConfigError(f"--since wants a date as YYYY-MM-DD, not {since!r}")
        chosen = [e for e in manifest.values() if e.date[:10] >= since]
        if not chosen:
            raise ConfigError(f"no published article is dated {since} or later", str(output))
        return newest_first(chosen)
    latest = load_latest_build(output)
    if latest is None:
        raise ConfigError("no build has been recorded here; name the articles or use --since", str(output))
    chosen = [manifest[i] for i in latest if i in manifest]
    if not chosen:
        raise ConfigError("the latest build published no article still on the site; name the articles "
                          "or use --since", str(output))
    return newest_first(chosen)


def edition_title(entries: list[EpisodeEntry], site: SiteConfig) -> str:
    days = sorted({e.date[:10] for e in entries})
    span = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    return f"{site.title}, {span}"


def _modified(books) -> datetime:
    from .write.epub.edition import edition_modified

    epoch = (os.environ.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return edition_modified(books)


def make_edition(output: Path, site: SiteConfig, entries: list[EpisodeEntry], title: str | None = None) -> Edition:
    """Join the entries' article EPUBs; an unreadable one is left out with one line."""
    from .write.epub.edition import build_edition, read_article_book

    books, included, skipped = [], [], []
    for entry in entries:
        try:
            books.append(read_article_book(output / entry.slug / f"{entry.slug}.epub", entry.slug))
            included.append(entry)
        except PublisherError as exc:
            skipped.append(str(exc))
    if not books:
        raise PublisherError("none of the selected articles has a readable e-book", str(output))
    identifier = "urn:uuid:" + str(uuid.uuid5(EDITION_NAMESPACE, "\n".join(e.article_id for e in included)))
    data = build_edition(tuple(books), identifier=identifier, title=title or edition_title(included, site),
                         language=site.language, modified=_modified(books))
    return Edition(data, tuple(included), tuple(skipped))
