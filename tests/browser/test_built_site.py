"""The real build (default voice) of every sample, the seed and the index, audited in Chromium.

axe-core (WCAG 2.0–2.2 A/AA + best practice) must find zero violations on every
page, the Nu checker zero errors, and every "Play this section" button must
start the real episode MP3 at its section's chapter.
"""
from __future__ import annotations

import json

import pytest

import harness
from publisher.write.listing import LISTING_PATH


@pytest.fixture(scope="module")
def built_url(built_site):
    with harness.serve(built_site) as base_url:
        yield base_url


def _pages(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))


def _is_listing(relative: str) -> bool:
    return relative == "index.html" or bool(LISTING_PATH.match(relative))


def test_every_built_page_has_zero_axe_violations(built_site, built_url, chromium_browser):
    pages = _pages(built_site)
    assert len([p for p in pages if not _is_listing(p)]) == 4  # three samples + seed
    assert "index.html" in pages and any(p.startswith("archive/") for p in pages)  # and the listings
    for relative in pages:
        for scheme in ("light", "dark"):
            audit = harness.audit_page(built_url + relative, chromium_browser, color_scheme=scheme)
            assert audit.violations == [], f"{relative} ({scheme}):\n" + harness.describe_violations(audit.violations)
            assert not audit.recorder.failed_requests, (relative, audit.recorder.failed_requests)


def test_every_built_page_passes_the_nu_checker(built_site):
    report = harness.run_vnu([built_site / p for p in _pages(built_site)])
    assert report.errors == [], report.describe()


def test_section_buttons_seek_the_real_episode(built_site, built_url, open_page):
    for relative in _pages(built_site):
        if _is_listing(relative):
            continue
        folder = built_site / relative.rsplit("/", 1)[0]
        chapters = json.loads((folder / "chapters.json").read_text(encoding="utf-8"))["chapters"]
        page = open_page(built_url + relative)
        buttons = page.locator("button[data-seek]")  # Play this section, Play this caption
        for i in range(buttons.count()):
            button = buttons.nth(i)
            button.click()
            page.wait_for_function("() => !document.getElementById('audio-player').seeking", timeout=10_000)
            position = page.evaluate("() => document.getElementById('audio-player').currentTime")
            page.evaluate("() => document.getElementById('audio-player').pause()")
            assert any(abs(position - c["startTime"]) <= 0.3 for c in chapters), (relative, i, position)
