"""Batch behaviour of `publisher build` with the fake engine: bad files fail
alone, the JSON summary, no-change and one-edit rebuilds, -j 1 == -j 2,
batches accumulate, `publisher remove`, and an unusable output folder."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from batch_helpers import GOOD, build_args, contents, copy_inputs, snapshot
from publisher.cli import main

TRAM_SENTENCE = "Trams will run every eight minutes during the day."
TRAM_EDITED = "Trams will run every six minutes during the day."


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path, monkeypatch):
    # The CLI reads ./publisher.toml when present: run where there is none.
    monkeypatch.chdir(tmp_path)


def run(capsys, args: list[str]) -> tuple[int, list[str]]:
    code = main(args)
    err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.strip()]


def summary_of(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def feed_titles(output: Path) -> set[str]:
    root = etree.fromstring((output / "feed.xml").read_bytes(), etree.XMLParser(resolve_entities=False))
    return {item.findtext("title") for item in root.iter("item")}


def index_links(output: Path) -> set[str]:
    page = lxml_html.document_fromstring((output / "index.html").read_bytes())
    return {a.get("href") for a in page.iter("a")}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """One build of the good fixtures plus three bad files (empty, binary, truncated HTML)."""
    root = tmp_path_factory.mktemp("batch")
    inputs = copy_inputs(root / "inputs", bad=True)
    output = root / "site"
    report = root / "summary.json"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(build_args(inputs, output, "-j", "1", "--json", str(report)))
    return root, inputs, output, code, err.getvalue().splitlines(), summary_of(report)


def test_bad_files_fail_alone_with_exit_1(first_build):
    _, inputs, output, code, lines, summary = first_build
    assert code == 1
    for bad in ("empty.txt", "photo.txt", "truncated.html"):
        naming = [line for line in lines if str(inputs / bad) in line]
        assert len(naming) == 1, (bad, lines)
        assert naming[0].startswith("error: ")
    assert summary["published"] == len(GOOD) and summary["failed"] == 3
    for good in GOOD:
        entry = next(a for a in summary["articles"] if a["source"].endswith(good.name))
        assert entry["status"] == "published" and (output / entry["slug"] / "index.html").is_file()


def test_json_summary_fields(first_build):
    summary = first_build[5]
    for key in ("published", "unchanged", "failed", "segments_synthesized", "segments_reused", "articles"):
        assert key in summary
    for article in summary["articles"]:
        assert {"source", "status", "error", "synthesized", "reused", "slug"} <= set(article)
        if article["status"] == "failed":
            assert article["error"] and "\n" not in article["error"] and article["synthesized"] == 0
        else:
            assert article["error"] is None and article["synthesized"] > 0
    assert summary["segments_synthesized"] == sum(a["synthesized"] for a in summary["articles"])


def test_no_change_rebuild_touches_nothing(tmp_path, capsys):
    inputs = copy_inputs(tmp_path / "inputs")
    output = tmp_path / "site"
    assert run(capsys, build_args(inputs, output, "-j", "1"))[0] == 0
    before = snapshot(output, with_cache=True)
    report = tmp_path / "again.json"
    code, _ = run(capsys, build_args(inputs, output, "-j", "1", "--json", str(report)))
    summary = summary_of(report)
    assert code == 0
    assert [a["status"] for a in summary["articles"]] == ["unchanged"] * len(GOOD)
    assert summary["segments_synthesized"] == 0
    after = snapshot(output, with_cache=True)
    assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}
    changed_mtimes = sorted(k for k in before if after[k][1] != before[k][1])
    assert changed_mtimes == []


def test_one_sentence_edit_republishes_one_article_and_one_sentence(tmp_path, capsys):
    inputs = copy_inputs(tmp_path / "inputs")
    output = tmp_path / "site"
    assert run(capsys, build_args(inputs, output, "-j", "1"))[0] == 0
    tram = inputs / "tram-line.txt"
    text = tram.read_text(encoding="utf-8")
    assert TRAM_SENTENCE in text
    tram.write_text(text.replace(TRAM_SENTENCE, TRAM_EDITED), encoding="utf-8")
    report = tmp_path / "edit.json"
    assert run(capsys, build_args(inputs, output, "-j", "1", "--json", str(report)))[0] == 0
    by_name = {Path(a["source"]).name: a for a in summary_of(report)["articles"]}
    assert by_name["tram-line.txt"]["status"] == "published"
    assert by_name["tram-line.txt"]["synthesized"] == 1
    assert by_name["tram-line.txt"]["reused"] > 0
    assert all(a["status"] == "unchanged" for name, a in by_name.items() if name != "tram-line.txt")
    page = (output / by_name["tram-line.txt"]["slug"] / "index.html").read_text(encoding="utf-8")
    assert "every six minutes" in page and "every eight minutes" not in page


def test_parallel_build_is_byte_identical(tmp_path, capsys):
    inputs = copy_inputs(tmp_path / "inputs")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert run(capsys, build_args(inputs, serial, "-j", "1"))[0] == 0
    assert run(capsys, build_args(inputs, parallel, "-j", "2"))[0] == 0
    one, two = contents(snapshot(serial)), contents(snapshot(parallel))
    assert sorted(one) == sorted(two)
    assert [rel for rel in one if one[rel] != two[rel]] == []


def test_batches_accumulate_and_remove_drops_one(tmp_path, capsys):
    first, second = tmp_path / "monday", tmp_path / "tuesday"
    copy_inputs(first)
    second.mkdir()
    (first / "tram-line.txt").rename(second / "tram-line.txt")
    output = tmp_path / "site"
    assert run(capsys, build_args(first, output, "-j", "1"))[0] == 0
    assert len(feed_titles(output)) == len(GOOD) - 1
    assert run(capsys, build_args(second, output, "-j", "1"))[0] == 0
    titles = feed_titles(output)
    assert "New Tram Line Opens Between the Station and the Hospital" in titles and len(titles) == len(GOOD)

    slug = "corner-bakery-wins-the-regional-bread-prize"
    assert any(slug in href for href in index_links(output))
    code, lines = run(capsys, ["remove", slug, "-o", str(output)])
    assert code == 0
    assert "Corner Bakery Wins the Regional Bread Prize" not in feed_titles(output)
    assert len(feed_titles(output)) == len(GOOD) - 1
    assert not any(slug in (href or "") for href in index_links(output))
    assert not (output / slug).exists()


def test_output_under_a_regular_file_is_exit_3(tmp_path, capsys):
    inputs = copy_inputs(tmp_path / "inputs")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, lines = run(capsys, build_args(inputs, blocker / "site"))
    assert code == 3
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(blocker) in lines[0]
    assert blocker.read_text() == "not a folder"


def test_new_publisher_code_republishes_without_resynthesis(tmp_path, capsys, monkeypatch):
    """A fixed rule or template changes output without changing the article: every
    article is republished, but only changed sentences would be spoken again."""
    import publisher.build as build_module

    inputs = copy_inputs(tmp_path / "inputs")
    output = tmp_path / "site"
    assert run(capsys, build_args(inputs, output, "-j", "1"))[0] == 0
    monkeypatch.setattr(build_module, "_code_fingerprint", lambda: "0.1.0+another-build")
    report = tmp_path / "upgrade.json"
    assert run(capsys, build_args(inputs, output, "-j", "1", "--json", str(report)))[0] == 0
    summary = summary_of(report)
    assert summary["published"] == len(GOOD) and summary["segments_synthesized"] == 0
