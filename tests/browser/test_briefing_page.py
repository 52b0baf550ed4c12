"""The daily briefing of the real build (default voice): made from the cache, audited in Chromium.

The briefing page must meet the same bar as the article pages (axe-core zero
violations in light and dark, Nu checker zero errors), its "Play this section"
buttons must seek the real briefing MP3 to each story's chapter, and making it
must cost one synthesized sentence (its title line): every headline and dek is
the article's own cached audio.
"""
from __future__ import annotations

import json
import shutil
from zoneinfo import ZoneInfo

import pytest

import harness
from publisher.briefing import make_briefing, published_day
from publisher.check import check_site
from publisher.config import Config
from publisher.manifest import load_manifest, newest_first


@pytest.fixture(scope="module")
def briefed(built_site, tmp_path_factory):
    site = tmp_path_factory.mktemp("briefed") / "site"
    shutil.copytree(built_site, site)  # the real build and its segment cache, left untouched for other tests
    newest = newest_first(load_manifest(site).values())[0]
    result = make_briefing(site, Config(), published_day(newest, ZoneInfo("UTC")))
    return site, result


@pytest.fixture(scope="module")
def briefed_url(briefed):
    with harness.serve(briefed[0]) as base_url:
        yield base_url


def test_the_real_voice_briefing_comes_from_the_cache(briefed):
    site, result = briefed
    assert result.status == "published" and result.stories >= 1
    assert result.synthesized == 1 and result.reused >= 2  # title line only; headline and dek cached
    assert check_site(site) == []  # feed item, real MP3 decode, ID3 and JSON chapters, VTT, join keys


def test_briefing_page_and_index_have_zero_axe_violations(briefed, briefed_url, chromium_browser):
    site, result = briefed
    for relative in (f"{result.slug}/index.html", "index.html"):
        for scheme in ("light", "dark"):
            audit = harness.audit_page(briefed_url + relative, chromium_browser, color_scheme=scheme)
            assert audit.violations == [], f"{relative} ({scheme}):\n" + harness.describe_violations(audit.violations)
            assert not audit.recorder.failed_requests, (relative, audit.recorder.failed_requests)


def test_briefing_page_passes_the_nu_checker(briefed):
    site, result = briefed
    report = harness.run_vnu([site / result.slug / "index.html", site / "index.html"])
    assert report.errors == [], report.describe()


def test_briefing_section_buttons_seek_to_each_story(briefed, briefed_url, open_page):
    site, result = briefed
    chapters = json.loads((site / result.slug / "chapters.json").read_text(encoding="utf-8"))["chapters"]
    page = open_page(briefed_url + f"{result.slug}/index.html")
    buttons = page.locator("button[data-seek]")
    assert buttons.count() == result.stories
    for i in range(buttons.count()):
        buttons.nth(i).click()
        page.wait_for_function("() => !document.getElementById('audio-player').seeking", timeout=10_000)
        position = page.evaluate("() => document.getElementById('audio-player').currentTime")
        page.evaluate("() => document.getElementById('audio-player').pause()")
        assert abs(position - chapters[i + 1]["startTime"]) <= 0.3, (i, position)
