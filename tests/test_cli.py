"""The command line as users meet it: help, extract, normalize, errors and exit codes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publisher.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE, main

REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publisher.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["extract", "--help"], ["check", "--help"]])
def test_help_is_available(args):
    proc = run(*args)
    assert proc.returncode == 0
    assert "usage: publisher" in proc.stdout


def test_build_help_names_the_engine_and_output_options():
    out = run("build", "--help").stdout
    for option in ("--output", "--engine", "--voice", "--jobs", "--json", "--base-url"):
        assert option in out


def test_extract_text_prints_only_the_story(capsys):
    assert main(["extract", "--text", str(REPO / "input" / "harbour-ferry.txt")]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.strip()
    assert "With additional reporting" not in out  # credits are not story text


def test_extract_json_prints_the_model(capsys):
    import json

    assert main(["extract", "--json", str(REPO / "input" / "river-cleanup.md")]) == EXIT_OK
    model = json.loads(capsys.readouterr().out)
    assert model["type"] == "Article" and model["title"] and model["sections"]


def test_extract_bad_input_is_one_line_naming_the_file(tmp_path, capsys):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main(["extract", "--text", str(empty)]) == EXIT_FAILURES
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(empty) in err[0] and "Traceback" not in err[0]


def test_normalize_reads_numbers_and_names_as_spoken(capsys):
    assert main(["normalize", "Lukashenka got 80.1% of the vote in 2020."]) == EXIT_OK
    out = capsys.readouterr().out
    assert "eighty point one percent" in out
    assert "twenty twenty" in out
    assert "Lukashenka" not in out  # the shipped lexicon respells it


def test_unknown_engine_is_a_usage_level_error(tmp_path):
    proc = run("build", str(REPO / "input"), "-o", str(tmp_path / "out"), "--engine", "no-such-engine")
    assert proc.returncode != EXIT_OK
    assert "unknown speech engine 'no-such-engine'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_bad_config_is_exit_2(tmp_path):
    config = tmp_path / "publisher.toml"
    config.write_text("[site]\nexplicit = 'maybe'\n", encoding="utf-8")
    proc = run("build", str(REPO / "input"), "-o", str(tmp_path / "out"), "-c", str(config))
    assert proc.returncode == EXIT_USAGE
    assert str(config) in proc.stderr and "Traceback" not in proc.stderr


def test_missing_input_is_one_line(tmp_path):
    proc = run("build", str(tmp_path / "nope"), "-o", str(tmp_path / "out"), "--engine", "fake")
    assert proc.returncode != EXIT_OK
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no such file or folder" in lines[0]


def test_too_many_images_is_a_clear_error(tmp_path, capsys):
    from publisher.segment import MAX_FIGURES

    figures = "".join(f"<figure><img src='i{i}.jpg' alt='Picture {i}'><figcaption>Scene {i}.</figcaption></figure>"
                      for i in range(MAX_FIGURES + 1))
    page = tmp_path / "gallery.html"
    page.write_text(f"<html><body><article><h1>A gallery</h1><p>{'Words here. ' * 30}</p>{figures}"
                    f"<p>{'More words. ' * 30}</p></article></body></html>", encoding="utf-8")
    assert main(["extract", "--text", str(page)]) == EXIT_FAILURES
    err = capsys.readouterr().err
    assert str(page) in err and "at most" in err
