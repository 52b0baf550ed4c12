"""A site that scales: the feed carries the newest ``feed_items``, the index is
paginated with monthly archives that reach every article, the manifest is an
SQLite database (an old ``manifest.json`` is migrated), and an unchanged input
is recognized from its size and mtime without being read.

Real builds with the fake engine (the listings and the manifest are what is
under test, not the voice); the feed is read back with feedparser.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from dataclasses import asdict, replace
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import html as lxml_html

from batch_helpers import DATES, write_articles
from publisher.build import build, remove_article
from publisher.config import Config, SiteConfig, SpeechConfig, load_config
from publisher.errors import ConfigError
from publisher.manifest import Manifest, legacy_manifest_path, load_manifest, manifest_path, newest_first
from publisher.write.listing import LISTING_PATH

PAGE_SIZE, FEED_ITEMS = 2, 3


def site_config(**site) -> Config:
    return Config(site=replace(SiteConfig(), index_page_size=PAGE_SIZE, feed_items=FEED_ITEMS, **site),
                  speech=SpeechConfig(engine="fake"))


def run_build(inputs: Path, output: Path, config: Config | None = None):
    summary = build([inputs], output, config or site_config(), jobs=1, quiet=True, stream=io.StringIO())
    assert not summary.failed, [(r.source, r.error) for r in summary.failed]
    return summary


def statuses(summary) -> dict[str, str]:
    return {Path(r.source).name: r.status for r in summary.results}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    write_articles(root / "inputs")
    run_build(root / "inputs", root / "site")
    return root / "site"


def listing_files(output: Path) -> list[str]:
    return sorted(rel for rel in (p.relative_to(output).as_posix() for p in output.rglob("index.html"))
                  if rel == "index.html" or LISTING_PATH.match(rel))


def local_links(output: Path, page: str) -> list[str]:
    """Output-relative paths of the local pages ``page`` links to (href of every <a>)."""
    tree = lxml_html.fromstring((output / page).read_bytes())
    found = []
    for href in tree.xpath("//a/@href"):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
            continue
        target = (output / page).parent / parts.path
        found.append(os.path.relpath(target, output).replace(os.sep, "/"))
    return found


def test_feed_carries_only_the_newest_items(site):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entries = newest_first(load_manifest(site).values())
    assert len(entries) == len(DATES)
    assert [e.title for e in feed.entries] == [e.title for e in entries[:FEED_ITEMS]]


def test_index_is_split_into_pages_of_the_configured_size(site):
    pages = [p for p in listing_files(site) if not p.startswith("archive/")]
    assert pages == ["index.html", "page/2/index.html", "page/3/index.html", "page/4/index.html"]
    seen = []
    for page in pages:
        tree = lxml_html.fromstring((site / page).read_bytes())
        titles = [t.text_content() for t in tree.xpath("//section[@class='episodes']//h3")]
        assert 1 <= len(titles) <= PAGE_SIZE, page
        seen += titles
    assert seen == [e.title for e in newest_first(load_manifest(site).values())]  # each once, newest first


def test_pagination_is_accessible_markup(site):
    pages = [p for p in listing_files(site) if not p.startswith("archive/")]
    for number, page in enumerate(pages, start=1):
        tree = lxml_html.fromstring((site / page).read_bytes())
        assert len(tree.xpath("//h1")) == 1, page
        (nav,) = tree.xpath("//nav[contains(@class, 'pagination')]")
        assert nav.get("aria-label"), page
        current = nav.xpath(".//a[@aria-current='page']")
        assert [a.text_content().strip() for a in current] == [f"Page {number}"], page
        assert local_links(site, page).count(page) >= 1  # the current page is a real link too
        prev = tree.xpath("//head/link[@rel='prev']/@href")
        nxt = tree.xpath("//head/link[@rel='next']/@href")
        assert len(prev) == (number > 1) and len(nxt) == (number < len(pages)), page
        for href in prev + nxt:
            assert (site / page).parent.joinpath(href).resolve().is_file(), (page, href)
        assert tree.xpath("//nav//a[@rel='prev']/@href") == prev and tree.xpath("//nav//a[@rel='next']/@href") == nxt


def test_monthly_archives_list_their_month(site):
    by_month: dict[str, list[str]] = {}
    for entry in load_manifest(site).values():
        by_month.setdefault(entry.published[:7], []).append(entry.title)
    for month, titles in by_month.items():
        year, mm = month.split("-")
        pages = [p for p in listing_files(site) if p.startswith(f"archive/{year}/{mm}/")]
        shown = []
        for page in pages:
            tree = lxml_html.fromstring((site / page).read_bytes())
            assert len(tree.xpath("//h1")) == 1
            shown += [t.text_content() for t in tree.xpath("//section[@class='episodes']//h3")]
            months_nav = tree.xpath("//nav[contains(@class, 'archive-months')]//a[@aria-current='page']")
            assert [a.get("href") for a in months_nav] == [os.path.relpath(site / f"archive/{year}/{mm}/index.html",
                                                                           (site / page).parent)]
        assert sorted(shown) == sorted(titles), month


def test_every_article_is_reachable_from_the_front_page(site):
    """Following links from index.html (no script) reaches every article, though the feed has only a few."""
    seen, todo = set(), ["index.html"]
    while todo:
        page = todo.pop()
        if page in seen or not (site / page).is_file():
            continue
        seen.add(page)
        todo += local_links(site, page)
    articles = {e.page_path for e in load_manifest(site).values()}
    assert articles <= seen, articles - seen
    assert set(listing_files(site)) <= seen  # no orphan listing page either


def test_check_walks_the_listings_and_names_what_is_unreachable(site, tmp_path):
    """The feed has only the newest items: `publisher check` reaches the rest through the listings."""
    from publisher.check import check_site

    assert check_site(site) == []
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "page" / "2" / "index.html").unlink()
    article = next(rel for rel in local_links(site, "page/3/index.html") if not rel.startswith(("page/", "archive/"))
                   and rel != "index.html")
    shutil.copytree(broken / article.split("/")[0], broken / "an-orphan-story")  # on disk, listed nowhere
    problems = check_site(broken)
    from_index = [p for p in problems if p.startswith("index.html: ")]
    assert len(from_index) == 1 and from_index[0].endswith(": page/2/index.html is missing")
    assert "an-orphan-story/index.html: not linked from any listing page (index pages or monthly archives)" in problems
    # Page 2's articles are still reached through their monthly archives: nothing else is unreachable.
    assert [p for p in problems if "not linked" in p] == [
        "an-orphan-story/index.html: not linked from any listing page (index pages or monthly archives)"]


def test_no_change_rebuild_reads_no_input_and_rewrites_nothing(site, tmp_path):
    inputs = tmp_path / "inputs"
    write_articles(inputs)
    output = tmp_path / "site"
    run_build(inputs, output)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    # Same size, same mtime, different bytes: recognized from the stat alone, so the
    # new words are not seen (that is what "without reading it" means).
    target = inputs / "notice-3.md"
    stat = target.stat()
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("wet morning", "dry morning"), encoding="utf-8")
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    summary = run_build(inputs, output)
    assert set(statuses(summary).values()) == {"unchanged"}
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in output.rglob("*") if p.is_file()}
    assert after == before  # the manifest database included


def test_a_touched_input_is_hashed_and_an_edited_one_republished(tmp_path):
    inputs = tmp_path / "inputs"
    paths = write_articles(inputs)
    output = tmp_path / "site"
    run_build(inputs, output)
    touched, edited = paths[1], paths[4]
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 5_000_000_000))
    edited.write_text(edited.read_text(encoding="utf-8").replace("wet morning", "bright morning"), encoding="utf-8")
    summary = run_build(inputs, output)
    result = statuses(summary)
    assert result.pop(edited.name) == "published"
    assert set(result.values()) == {"unchanged"}
    with Manifest(output) as manifest:
        record = manifest.source(str(touched.resolve()))
        assert record.mtime_ns == touched.stat().st_mtime_ns  # the new mtime is remembered: next time no hash
    page = next(e for e in load_manifest(output).values() if e.source == str(edited)).page_path
    assert "bright morning" in (output / page).read_text(encoding="utf-8")


def test_listing_settings_do_not_republish_articles(tmp_path):
    inputs = tmp_path / "inputs"
    write_articles(inputs)
    output = tmp_path / "site"
    run_build(inputs, output)
    summary = run_build(inputs, output, replace(site_config(), site=replace(site_config().site, index_page_size=3,
                                                                             feed_items=5)))
    assert set(statuses(summary).values()) == {"unchanged"}
    assert not (output / "page" / "4").exists()  # 7 articles, 3 a page: the old fourth page is gone
    assert (output / "page" / "3" / "index.html").is_file()
    assert len(feedparser.parse((output / "feed.xml").read_bytes()).entries) == 5


def test_removing_an_article_drops_its_emptied_month_and_last_page(tmp_path):
    inputs = tmp_path / "inputs"
    write_articles(inputs, DATES[:5])  # January ×2, February ×3: three index pages
    output = tmp_path / "site"
    run_build(inputs, output)
    january = [e for e in load_manifest(output).values() if e.published.startswith("2025-01")]
    for entry in january:
        remove_article(output, entry.slug, site_config())
    assert not (output / "archive" / "2025" / "01").exists()
    assert (output / "archive" / "2025" / "02" / "index.html").is_file()
    assert not (output / "page" / "3").exists() and (output / "page" / "2" / "index.html").is_file()
    assert "2025/01" not in (output / "index.html").read_text(encoding="utf-8")


def test_an_old_json_manifest_is_migrated(tmp_path):
    inputs = tmp_path / "inputs"
    write_articles(inputs)
    output = tmp_path / "site"
    run_build(inputs, output)
    entries = load_manifest(output)
    # The format versions up to 1 wrote: one JSON file, episodes sorted by article id.
    legacy = {"version": 1, "episodes": [asdict(entries[k]) for k in sorted(entries)]}
    manifest_path(output).unlink()
    legacy_manifest_path(output).write_text(json.dumps(legacy, indent=1), encoding="utf-8")

    summary = run_build(inputs, output)
    assert set(statuses(summary).values()) == {"unchanged"}  # nothing republished or re-synthesized
    assert sum(r.synthesized for r in summary.results) == 0
    assert not legacy_manifest_path(output).exists()
    assert load_manifest(output) == entries  # first-publication stamps and all
    with Manifest(output) as manifest:  # the inputs are now recorded: the next build need not read them
        assert all(manifest.source(str(p.resolve())) is not None for p in inputs.iterdir())


def test_a_manifest_file_left_empty_by_a_kill_is_usable(tmp_path):
    inputs = tmp_path / "inputs"
    write_articles(inputs, DATES[:2])
    output = tmp_path / "site"
    manifest_path(output).parent.mkdir(parents=True)
    manifest_path(output).write_bytes(b"")  # created, never committed to
    run_build(inputs, output)
    assert len(load_manifest(output)) == 2


@pytest.mark.parametrize("body", ["feed_items = 0", "index_page_size = -3", 'feed_items = "all"', "feed_items = true"])
def test_listing_sizes_must_be_positive_whole_numbers(tmp_path, body):
    path = tmp_path / "publisher.toml"
    path.write_text(f"[site]\n{body}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(body.split(" ")[0]) + " must be a whole number"):
        load_config(path)
