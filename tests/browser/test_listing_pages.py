"""The paginated index and the monthly archives, audited like every other page:
axe-core finds zero violations (light and dark), the Nu checker zero errors,
and the pagination's links work with JavaScript off (axe itself needs script).

A real build with the fake engine (the listings are under test, not the voice):
seven dated articles, two per page, so there are index pages 1–4 and three months.
"""
from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import harness

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "batch"))
from batch_helpers import write_articles  # noqa: E402
from publisher.build import build  # noqa: E402
from publisher.config import Config, SiteConfig, SpeechConfig  # noqa: E402
from publisher.write.listing import LISTING_PATH  # noqa: E402

AUDITED = ["index.html", "page/2/index.html", "page/4/index.html", "archive/2025/02/index.html",
           "archive/2025/02/page/2/index.html"]


@pytest.fixture(scope="module")
def listing_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("listings")
    write_articles(root / "inputs")
    config = Config(site=replace(SiteConfig(), index_page_size=2, feed_items=3), speech=SpeechConfig(engine="fake"))
    summary = build([root / "inputs"], root / "site", config, jobs=1, quiet=True, stream=io.StringIO())
    assert not summary.failed
    return root / "site"


@pytest.fixture(scope="module")
def listing_url(listing_site):
    with harness.serve(listing_site) as base_url:
        yield base_url


def test_listing_pages_have_zero_axe_violations(listing_site, listing_url, chromium_browser):
    for relative in AUDITED:
        assert (listing_site / relative).is_file(), relative
        for scheme in ("light", "dark"):
            audit = harness.audit_page(listing_url + relative, chromium_browser, color_scheme=scheme)
            assert audit.violations == [], f"{relative} ({scheme}):\n" + harness.describe_violations(audit.violations)
            assert not audit.recorder.failed_requests, (relative, audit.recorder.failed_requests)


def test_listing_pages_pass_the_nu_checker(listing_site):
    pages = [p for p in listing_site.rglob("index.html")
             if LISTING_PATH.match(p.relative_to(listing_site).as_posix()) or p.parent == listing_site]
    assert len(pages) >= len(AUDITED)
    report = harness.run_vnu(pages)
    assert report.errors == [], report.describe()


def test_older_articles_link_works_without_javascript(listing_url, open_page):
    page = open_page(listing_url + "index.html", java_script_enabled=False)
    nav = page.get_by_role("navigation", name="Pages of articles")
    nav.get_by_role("link", name="Older articles").click()
    page.wait_for_url("**/page/2/index.html")
    current = page.get_by_role("navigation", name="Pages of articles").locator("[aria-current=page]")
    assert current.inner_text().strip().endswith("2")
    assert page.locator("h1").count() == 1
