"""The e-books' accessibility, checked by the tools readers' advocates use.

* DAISY Ace (the EPUB accessibility checker: package metadata, navigation, and
  axe-core in Chromium over every content document) must report no violations
  for an article's EPUB and for an edition of several articles — and must
  catch violations planted in a copy, so a silent Ace cannot pass.
* The content documents pass the same axe-core audit as the pages (WCAG 2.0-2.2
  A/AA and best practice), also with every sentence in the reading system's
  highlight (``media:active-class``), whose colours must keep their contrast.

The site is a real build of ``input/`` with the fake engine (real MP3s).
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

import harness
from publisher.build import build
from publisher.cli import EXIT_OK, main
from publisher.config import Config, SpeechConfig
from publisher.manifest import load_manifest
from publisher.write.epub import ACTIVE_CLASS

INPUTS = Path(__file__).resolve().parents[2] / "input"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict:
    output = tmp_path_factory.mktemp("ebook-site")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    try:
        summary = build([INPUTS], output, Config(speech=SpeechConfig(engine="fake")), jobs=1, quiet=True)
        assert not summary.failed, [f"{r.source}: {r.error}" for r in summary.failed]
        edition = output.parent / f"{output.name}-edition.epub"
        assert main(["edition", str(output), "-o", str(edition)]) == EXIT_OK
    finally:
        monkeypatch.undo()
    slugs = sorted(e.slug for e in load_manifest(output).values())
    return {"articles": {s: output / s / f"{s}.epub" for s in slugs}, "edition": edition}


def _richest(books) -> Path:
    """The article EPUB with the most structure (tables, notes, sections) to check."""
    def weight(path: Path) -> int:
        with zipfile.ZipFile(path) as archive:
            content = archive.read("OEBPS/content.xhtml")
        return sum(content.count(tag) for tag in (b"<table", b"<aside", b"<section", b"<figure"))
    return max(books["articles"].values(), key=weight)


def test_ace_finds_no_violations_in_an_article_epub(books, tmp_path):
    report = harness.run_ace(_richest(books), tmp_path)
    assert report.violations == [], report.describe()
    assert report.outcome == "pass"
    assert "content.xhtml" in report.documents  # Ace really loaded the content document
    assert not {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
                "schema:accessibilitySummary", "schema:accessModeSufficient",
                "dcterms:conformsTo"} & set(report.metadata.get("missing", []))


def test_ace_finds_no_violations_in_the_edition(books, tmp_path):
    report = harness.run_ace(books["edition"], tmp_path)
    assert report.violations == [], report.describe()
    assert report.outcome == "pass"
    assert {f"{slug}/content.xhtml" for slug in books["articles"]} <= set(report.documents)


def test_ace_reports_violations_planted_in_a_copy(books, tmp_path):
    """A faint paragraph and a missing accessMode: Ace must name both (it is not silently passing)."""
    planted = tmp_path / "planted.epub"
    with zipfile.ZipFile(_richest(books)) as source, zipfile.ZipFile(planted, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "OEBPS/content.xhtml":
                data = data.replace(b'<h1 id="title">', b'<p style="color:#eeeeee">faint</p><h1 id="title">', 1)
            elif info.filename == "OEBPS/package.opf":
                data = b"\n".join(line for line in data.split(b"\n") if b'"schema:accessMode"' not in line)
            target.writestr(info, data)
    report = harness.run_ace(planted, tmp_path)
    rules = {v["rule"] for v in report.violations}
    assert report.outcome == "fail"
    assert {"color-contrast", "metadata-accessmode"} <= rules, report.describe()


@pytest.fixture(scope="module")
def content_documents(books, tmp_path_factory) -> Path:
    """Every article's content document and style sheet, unpacked to be served to Chromium."""
    root = tmp_path_factory.mktemp("ebook-content")
    for slug, path in books["articles"].items():
        with zipfile.ZipFile(path) as archive:
            for name in ("content.xhtml", "style.css"):
                target = root / slug / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(f"OEBPS/{name}"))
    return root


@pytest.mark.parametrize("highlighted", [False, True], ids=["plain", "every-sentence-active"])
def test_content_documents_pass_axe(content_documents, chromium_browser, highlighted):
    with harness.serve(content_documents) as base_url:
        for slug in sorted(p.name for p in content_documents.iterdir()):
            page = harness.new_page(chromium_browser)
            try:
                page.goto(f"{base_url}{slug}/content.xhtml", wait_until="load")
                assert page.evaluate("() => document.contentType") == "application/xhtml+xml"
                spans = page.evaluate("() => document.querySelectorAll('span[id]').length")
                assert spans > 10, slug
                if highlighted:
                    # What a reading system does while it plays a sentence's clip.
                    page.evaluate("(c) => document.querySelectorAll('span[id]').forEach(s => s.classList.add(c))",
                                  ACTIVE_CLASS)
                    background = page.evaluate("(c) => getComputedStyle(document.querySelector('.' + c)).backgroundColor",
                                               ACTIVE_CLASS)
                    assert background == "rgb(255, 255, 0)", slug  # the stylesheet's rule applies
                violations = harness.run_axe(page)["violations"]
            finally:
                page.context.close()
            assert violations == [], (slug, harness.describe_violations(violations))
