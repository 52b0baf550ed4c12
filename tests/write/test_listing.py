"""Listing policy (write/listing.py) on an in-memory source: page paths, the page-number
window with gaps, relative links from pages at every depth, digests that change with
the rows shown."""
from __future__ import annotations

from dataclasses import replace

from publisher.manifest import EpisodeEntry, newest_first
from publisher.write.listing import listing_pages, page_digest


def entry(n: int, month: str) -> EpisodeEntry:
    slug = f"story-{n:03d}"
    return EpisodeEntry(
        article_id=f"id-{n:03d}", slug=slug, title=f"Story {n}", language="en", page_path=f"{slug}/index.html",
        audio_path=f"{slug}/{slug}.mp3", audio_bytes=1000, duration=60.0, transcript_path=f"{slug}/transcript.vtt",
        chapters_path=f"{slug}/chapters.json", first_published=f"{month}-01T00:00:00+00:00",
        published=f"{month}-{1 + n % 28:02d}")


class Source:
    """What listing_pages needs of the manifest, over a list."""

    def __init__(self, entries):
        self.ordered = newest_first(entries)

    def __len__(self):
        return len(self.ordered)

    def newest(self, limit, offset=0):
        return self.ordered[offset:offset + limit]

    def months(self):
        counts: dict[str, int] = {}
        for e in self.ordered:
            counts[e.month] = counts.get(e.month, 0) + 1
        return sorted(counts.items(), reverse=True)

    def in_month(self, month, limit=-1, offset=0):
        rows = [e for e in self.ordered if e.month == month][offset:]
        return rows if limit < 0 else rows[:limit]


ENTRIES = [entry(n, "2024-05" if n < 25 else "2024-06") for n in range(50)]


def test_index_pages_and_the_page_number_window():
    pages = {p.path: p for p in listing_pages(Source(ENTRIES), 5)}
    index = [pages["index.html"]] + [pages[f"page/{n}/index.html"] for n in range(2, 11)]
    assert all(len(p.entries) == 5 for p in index) and "page/11/index.html" not in pages
    middle = pages["page/5/index.html"]
    assert [link.label for link in middle.page_links] == ["1", "…", "3", "4", "5", "6", "7", "…", "10"]
    assert [link.label for link in middle.page_links if link.current] == ["5"]
    assert (middle.prev_href, middle.next_href) == ("../4/index.html", "../6/index.html")
    assert pages["page/2/index.html"].prev_href == "../../index.html"
    assert index[0].prev_href is None and index[-1].next_href is None


def test_month_pages_link_relative_to_their_depth():
    pages = {p.path: p for p in listing_pages(Source(ENTRIES), 10)}
    may = [pages["archive/2024/05/index.html"], pages["archive/2024/05/page/2/index.html"],
           pages["archive/2024/05/page/3/index.html"]]
    assert [len(p.entries) for p in may] == [10, 10, 5]
    assert {e.month for p in may for e in p.entries} == {"2024-05"}
    assert may[1].prev_href == "../../index.html" and may[0].next_href == "page/2/index.html"
    assert [(m.href, m.current) for m in may[1].months] == [("../../../06/index.html", False), ("../../index.html", True)]


def test_digest_changes_only_with_what_the_page_shows():
    first = {p.path: page_digest(p, "settings") for p in listing_pages(Source(ENTRIES), 10)}
    assert first == {p.path: page_digest(p, "settings") for p in listing_pages(Source(ENTRIES), 10)}
    edited = [replace(e, duration=61.0) if e.article_id == "id-000" else e for e in ENTRIES]
    second = {p.path: page_digest(p, "settings") for p in listing_pages(Source(edited), 10)}
    changed = sorted(path for path in first if first[path] != second[path])
    holding = sorted(p.path for p in listing_pages(Source(ENTRIES), 10) if any(e.article_id == "id-000" for e in p.entries))
    assert changed == holding and len(changed) == 2  # one index page, one month page
    assert all(page_digest(p, "other settings") != first[p.path] for p in listing_pages(Source(ENTRIES), 10))
