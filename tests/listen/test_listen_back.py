"""Listen-back on real builds: Piper speaks, faster-whisper (tiny.en from its PyPI package) listens.

One short article is built once with the default engine; each test breaks a copy
the way a real fault would (another section's audio, a cut file) and the check
must name the article.  A German article (eSpeak NG) is reported as not checked.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publisher.build import build
from publisher.cli import main
from publisher.config import Config

pytestmark = pytest.mark.slow

ARTICLE = """# The night tram returns to Elm Street

The city council voted on Tuesday to bring back the night tram. It will run every twenty minutes after midnight.

## Why riders asked for it

Shift workers said the last bus left too early. Many of them walked home in the cold.

## What happens next

Work on the tracks starts in March. The first tram should run before the summer.
"""
GERMAN = """---
lang: de
---
# Die Fähre fährt wieder

Ab Montag fährt die Fähre wieder jede halbe Stunde. Die Stadt hat den Anleger repariert.
"""
SLUG = "the-night-tram-returns-to-elm-street"


@pytest.fixture(scope="module")
def tram_site(tmp_path_factory) -> tuple[Path, object]:
    inputs = tmp_path_factory.mktemp("listen-in")
    (inputs / "tram.md").write_text(ARTICLE, encoding="utf-8")
    output = tmp_path_factory.mktemp("listen-out")
    summary = build([inputs], output, Config(), jobs=1, quiet=True, listen="report")
    assert not summary.failed
    return output, summary


def site_copy(tram_site, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(tram_site[0], copy, ignore=shutil.ignore_patterns("cache"))
    return copy


def run_check(output: Path, tmp_path: Path, capsys) -> tuple[int, dict, str]:
    report = tmp_path / "listen.json"
    status = main(["check", "--listen", str(output), "--json", str(report)])
    return status, json.loads(report.read_text(encoding="utf-8")), capsys.readouterr().err


def test_build_listen_marks_the_summary(tram_site):
    _, summary = tram_site
    (result,) = summary.results
    assert result.status == "published" and result.listen.startswith(f"{SLUG}: passed")
    figures = json.loads(summary.to_json())["listen"]["articles"][0]
    assert figures["words"] == 67 and figures["wer"] <= 0.1


def test_a_clean_build_passes_with_every_figure(tram_site, tmp_path, capsys):
    status, report, _ = run_check(tram_site[0], tmp_path, capsys)
    assert status == 0
    (article,) = report["articles"]
    assert article["status"] == "passed" and article["wer"] <= report["thresholds"]["article_wer"]
    assert [s["status"] for s in article["sections"]] == ["checked"] * 3
    sentences = article["sentences"]  # the title, two headings, six body sentences
    assert len(sentences) == 9 and all(s["checked"] and s["words"] for s in sentences)
    assert [s["time"] for s in sentences] == sorted(s["time"] for s in sentences)
    assert sum(s["errors"] for s in sentences) == article["errors"]


def test_a_section_holding_another_sections_audio_is_caught(tram_site, tmp_path, capsys):
    site = site_copy(tram_site, tmp_path)
    sections = site / SLUG / "sections"
    (sections / "02-why-riders-asked-for-it.mp3").write_bytes((sections / "03-what-happens-next.mp3").read_bytes())
    status, report, err = run_check(site, tmp_path, capsys)
    assert status == 1 and f"listen-back failed: {SLUG}" in err
    (article,) = report["articles"]
    by_section = {s["section_id"]: s for s in article["sections"]}
    assert by_section["sec-why-riders-asked-for-it"]["wer"] > 0.5
    assert by_section["sec-what-happens-next"]["wer"] <= 0.2
    worst = max(article["sentences"], key=lambda s: s["wer"])
    assert worst["section_id"] == "sec-why-riders-asked-for-it" and 9 < worst["time"] < 20  # the section plays from about 10 s


def test_a_truncated_section_is_caught(tram_site, tmp_path, capsys):
    site = site_copy(tram_site, tmp_path)
    intro = site / SLUG / "sections" / "01-introduction.mp3"
    data = intro.read_bytes()
    intro.write_bytes(data[: len(data) * 2 // 5])  # the last sentence and a half are gone
    status, report, err = run_check(site, tmp_path, capsys)
    assert status == 1 and SLUG in err
    # libsndfile refuses the cut frame: the file is named, one line, and the article fails.
    assert report["problems"] == [f"{SLUG}/sections/01-introduction.mp3: " + report["problems"][0].split(": ", 1)[1]]
    (article,) = report["articles"]
    assert article["status"] == "failed" and "01-introduction.mp3" in article["reason"]
    assert [s["status"] for s in article["sections"]] == ["missing", "checked", "checked"]


def test_a_language_the_recognizer_does_not_cover_is_not_checked(tmp_path, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "faehre.md").write_text(GERMAN, encoding="utf-8")
    output = tmp_path / "out"
    assert main(["build", str(inputs), "-o", str(output), "--engine", "espeak", "-j", "1", "-q"]) == 0
    status, report, err = run_check(output, tmp_path, capsys)
    (article,) = report["articles"]
    assert article["status"] == "not checked" and "'de'" in article["reason"]
    assert "0 passed, 0 failed, 1 not checked" in err
    assert status == 0  # nothing failed; nothing passed either


def test_a_missing_model_is_one_line_and_exit_3(tram_site, tmp_path, capsys):
    config = tmp_path / "publisher.toml"
    config.write_text('[listen]\nmodel = "no-such-model"\n', encoding="utf-8")
    assert main(["check", "--listen", str(tram_site[0]), "-c", str(config)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "never downloaded" in err[0]
