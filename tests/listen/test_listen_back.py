"""Listen-back on real builds: Piper speaks, faster-whisper (tiny.en from its PyPI package) listens.

One short article is built once with the default engine; each test breaks a copy
the way a real fault would (another section's audio, a cut file, a sentence gone
silent, a paragraph read by a voice of another language, a bad lexicon entry) and
the check must name the article, the section and the time.  A German article
(eSpeak NG) is reported as not checked.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publisher.build import build
from publisher.cli import main
from publisher.config import Config
from publisher.listen.record import load_record, record_path
from publisher.speech import audio

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


def section_record(site: Path, summary, section_id: str):
    record = load_record(record_path(site, summary.results[0].article_id))
    return next(section for section in record if section.section_id == section_id)


def test_a_sentence_replaced_by_silence_is_caught(tram_site, tmp_path, capsys):
    site = site_copy(tram_site, tmp_path)
    section = section_record(site, tram_site[1], "sec-why-riders-asked-for-it")
    gone = section.items[-1]  # "Many of them walked home in the cold."
    path = site / SLUG / section.path
    samples, rate = audio.decode_mp3(path.read_bytes())
    samples[int(gone.start * rate):int(gone.end * rate)] = 0.0
    path.write_bytes(audio.encode_mp3(samples, rate))
    status, report, err = run_check(site, tmp_path, capsys)
    assert status == 1 and f"listen-back failed: {SLUG}" in err
    (article,) = report["articles"]
    assert article["unheard"] == 1 and "not heard at all" in article["reason"]
    worst = max(article["sentences"], key=lambda s: (s["wer"], s["words"]))
    assert (worst["section_id"], worst["sentence_id"], worst["heard"]) == (section.section_id, gone.sentence_id, "")
    assert worst["time"] == pytest.approx(section.start + gone.start, abs=0.01)
    others = [s for s in article["sentences"] if s["sentence_id"] != gone.sentence_id]
    assert all(s["wer"] <= 0.5 for s in others)  # the rest of the section still plays where it did


GERMAN_TRAM = """---
lang: de
---
# Die Nachtbahn kehrt zurück

Der Stadtrat hat am Dienstag beschlossen, die Nachtbahn zurückzubringen. Sie fährt nach Mitternacht alle zwanzig Minuten.

## Warum die Fahrgäste sie wollten

Schichtarbeiter sagten, der letzte Bus fahre zu früh. Viele von ihnen gingen in der Kälte nach Hause.

## Wie es weitergeht

Die Arbeiten an den Gleisen beginnen im März. Die erste Bahn soll vor dem Sommer fahren.
"""


@pytest.fixture(scope="module")
def german_site(tmp_path_factory) -> Path:
    """The same article in German, read by eSpeak NG's German voice."""
    inputs = tmp_path_factory.mktemp("listen-de-in")
    (inputs / "bahn.md").write_text(GERMAN_TRAM, encoding="utf-8")
    output = tmp_path_factory.mktemp("listen-de-out")
    assert main(["build", str(inputs), "-o", str(output), "--engine", "espeak", "-j", "1", "-q"]) == 0
    return output


def test_a_paragraph_spoken_in_the_wrong_language_is_caught(tram_site, german_site, tmp_path, capsys):
    """The last section's file holds its paragraph in German: the words are right for a German
    listener, and wrong for this English article."""
    site = site_copy(tram_site, tmp_path)
    (german_last,) = (german_site / "die-nachtbahn-kehrt-zuruck" / "sections").glob("03-*.mp3")
    (site / SLUG / "sections" / "03-what-happens-next.mp3").write_bytes(german_last.read_bytes())
    status, report, err = run_check(site, tmp_path, capsys)
    assert status == 1 and f"listen-back failed: {SLUG}" in err
    (article,) = report["articles"]
    by_section = {s["section_id"]: s for s in article["sections"]}
    assert by_section["sec-what-happens-next"]["wer"] > 0.5
    assert all(by_section[other]["wer"] <= 0.2 for other in ("sec-lead", "sec-why-riders-asked-for-it"))
    worst = max(article["sentences"], key=lambda s: s["wer"])
    section = section_record(site, tram_site[1], "sec-what-happens-next")
    assert worst["section_id"] == "sec-what-happens-next" and worst["time"] >= section.start


BAD_LEXICON = ('[words]\ntram = "umbrella"\nnight = "purple"\ncouncil = "orchestra"\nriders = "volcanoes"\n'
               'shift = "lettuce"\nwork = "penguin"\n')


def strict_build(inputs: Path, output: Path, report: Path, mode: str = "--listen=strict") -> tuple[int, dict]:
    status = main(["build", str(inputs), "-o", str(output), "-j", "1", "-q", mode, "--json", str(report)])
    (result,) = json.loads(report.read_text(encoding="utf-8"))["articles"]
    return status, result


def published_files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*"))
            if p.is_file() and ".publisher" not in p.parts}


def test_build_listen_strict_keeps_what_listeners_had(tmp_path):
    """A bad lexicon entry makes the voice say other words: the check compares with the
    words as written, so it hears the difference.  --listen=strict keeps the version that
    was published before (its image too); a new article that fails is not published at all."""
    from PIL import Image

    inputs, output, report = tmp_path / "in", tmp_path / "out", tmp_path / "summary.json"
    inputs.mkdir()
    (inputs / "tram.md").write_text(ARTICLE + "\n![The tram depot at night](depot.png)\n", encoding="utf-8")
    Image.new("RGB", (64, 48), (20, 40, 90)).save(inputs / "depot.png")
    assert main(["build", str(inputs), "-o", str(output), "-j", "1", "-q"]) == 0
    before = published_files(output)
    assert any(name.endswith("depot.png") for name in before)
    (inputs / "tram.lexicon.toml").write_text(BAD_LEXICON, encoding="utf-8")
    Image.new("RGB", (64, 48), (200, 180, 20)).save(inputs / "depot.png")  # the new version's image

    status, result = strict_build(inputs, output, report)
    assert status == 1 and result["status"] == "failed" and result["error"].startswith("listen-back: WER ")
    assert result["error"].endswith("the previous version stays published")
    assert published_files(output) == before  # the page, its audio and the feed as they were
    assert not (output / ".publisher" / "previous").exists()

    # Without strict the same build publishes the new version and says it failed the check.
    status, result = strict_build(inputs, output, report, "--listen")
    assert status == 0 and result["status"] == "published" and result["listen"].startswith(f"{SLUG}: failed")
    assert published_files(output)[f"{SLUG}/index.html"] and published_files(output) != before

    fresh = tmp_path / "fresh"
    status, result = strict_build(inputs, fresh, report)
    assert status == 1 and result["status"] == "failed" and "previous version" not in result["error"]
    assert not (fresh / SLUG).exists() and SLUG not in (fresh / "feed.xml").read_text(encoding="utf-8")


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
