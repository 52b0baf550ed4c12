"""The site's listings: paginated index pages and monthly archives, from the manifest.

Policy (where pages live, how many articles each holds) is here; the markup is
in ``templates/index.html`` (through :func:`page.render_listing`).  Pages:

- ``index.html``, ``page/2/index.html`` … — every article, newest first,
  ``[site] index_page_size`` per page;
- ``archive/YYYY/MM/index.html`` (and ``…/MM/page/2/index.html`` for a month
  longer than one page) — the articles of one month.

Each page reads only the manifest rows it shows, so no page grows with the
archive and memory stays flat.
"""
from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from typing import Iterator, Protocol

from ..manifest import EpisodeEntry

LISTING_DIRS = ("page", "archive")  # top-level folders of the listing pages (reserved slugs)
# Paths only listing pages have (so cleaning up never touches anything else).
LISTING_PATH = re.compile(r"^(page/[1-9]\d*|archive/\d{4}/\d{2}(/page/[1-9]\d*)?)/index\.html$")
_MONTH_KEY = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Page numbers shown around the current one in the pagination (plus the first and the last).
PAGE_WINDOW = 2


class ListingSource(Protocol):
    def __len__(self) -> int: ...
    def newest(self, limit: int, offset: int = 0) -> list[EpisodeEntry]: ...
    def months(self) -> list[tuple[str, int]]: ...
    def in_month(self, month: str, limit: int = -1, offset: int = 0) -> list[EpisodeEntry]: ...


def index_page_path(number: int) -> str:
    return "index.html" if number == 1 else f"page/{number}/index.html"


def month_page_path(month: str, number: int = 1) -> str:
    year, mm = month.split("-")
    folder = f"archive/{year}/{mm}"
    return f"{folder}/index.html" if number == 1 else f"{folder}/page/{number}/index.html"


def relative_href(from_page: str, to_page: str) -> str:
    """A link from one output file to another, relative (the site works from any base URL or folder)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))


@dataclass(frozen=True)
class PageLink:
    label: str  # the page number, or "…" for a gap
    href: str | None  # None for a gap
    current: bool = False


@dataclass(frozen=True)
class MonthLink:
    month: str  # YYYY-MM
    count: int
    href: str
    current: bool = False


@dataclass(frozen=True)
class ListingPage:
    """One listing page: where it is, which articles, and how it links to the others."""

    path: str  # relative to the output root
    kind: str  # "index" | "month"
    number: int
    pages: int
    month: str | None
    entries: list[EpisodeEntry]
    page_links: list[PageLink]
    prev_href: str | None  # newer articles
    next_href: str | None  # older articles
    months: list[MonthLink]
    total: int  # articles in this listing (all pages)
    offset: int = 0  # articles on the pages before this one


def _page_links(path: str, number: int, pages: int, page_path) -> list[PageLink]:
    shown = sorted({1, pages, *range(max(1, number - PAGE_WINDOW), min(pages, number + PAGE_WINDOW) + 1)})
    links: list[PageLink] = []
    for previous, n in zip([0, *shown], shown):
        if n - previous > 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(n), relative_href(path, page_path(n)), n == number))
    return links


def _pages(kind: str, total: int, size: int, month: str | None, fetch, page_path,
           months: list[tuple[str, int]]) -> Iterator[ListingPage]:
    pages = page_count(total, size)
    for number in range(1, pages + 1):
        path = page_path(number)
        yield ListingPage(
            path=path, kind=kind, number=number, pages=pages, month=month,
            entries=fetch(size, (number - 1) * size),
            page_links=_page_links(path, number, pages, page_path) if pages > 1 else [],
            prev_href=relative_href(path, page_path(number - 1)) if number > 1 else None,
            next_href=relative_href(path, page_path(number + 1)) if number < pages else None,
            months=[MonthLink(m, count, relative_href(path, month_page_path(m)), m == month) for m, count in months],
            total=total, offset=(number - 1) * size,
        )


def listing_pages(source: ListingSource, page_size: int) -> Iterator[ListingPage]:
    """Every listing page of the site, one at a time (each holds at most ``page_size`` articles)."""
    months = [(m, n) for m, n in source.months() if _MONTH_KEY.match(m)]
    yield from _pages("index", len(source), page_size, None, source.newest, index_page_path, months)
    for month, count in months:
        yield from _pages("month", count, page_size, month,
                          lambda limit, offset, m=month: source.in_month(m, limit, offset),
                          lambda n, m=month: month_page_path(m, n), months)


def page_digest(page: ListingPage, settings: str) -> str:
    """What a page is rendered from: its rows and links (the frozen dataclasses' repr) and
    ``settings`` (the [site] table and the code, templates included).  Equal digest, equal page."""
    return hashlib.sha256(f"{settings}\0{page!r}".encode("utf-8")).hexdigest()
