"""`publisher clean --cache` prunes the segment cache to what the published
articles use: audio of edited sentences, old voices and removed articles goes;
everything a rebuild needs stays (the rebuild after a prune synthesizes nothing).
`--all` empties it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from batch_helpers import CACHE_PART, build_args, copy_inputs
from publisher.cli import EXIT_OK, EXIT_USAGE, main

TRAM_SENTENCE = "Trams will run every eight minutes during the day."
TRAM_EDITED = "Trams will run every six minutes during the day."


@pytest.fixture(autouse=True)
def _no_local_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def cached_keys(output: Path) -> set[str]:
    return {p.stem for p in (output / CACHE_PART).glob("*/*.flac")}


def build(inputs: Path, output: Path, *extra: str) -> dict:
    report = output.parent / "summary.json"
    assert main(build_args(inputs, output, "-j", "1", "--json", str(report), *extra)) == EXIT_OK
    return json.loads(report.read_text(encoding="utf-8"))


def rebuild_from_scratch(inputs: Path, output: Path) -> dict:
    """Build again with no record of earlier builds: only the cache is left to help."""
    shutil.rmtree(output / ".publisher" / "segments")
    (output / ".publisher" / "manifest.sqlite").unlink()
    return build(inputs, output)


def clean(capsys, output: Path, *extra: str) -> tuple[int, str]:
    capsys.readouterr()  # the builds' own lines
    code = main(["clean", str(output), "--cache", *extra])
    return code, capsys.readouterr().err.strip()


@pytest.fixture
def site(tmp_path):
    inputs = copy_inputs(tmp_path / "inputs")
    output = tmp_path / "site"
    first = build(inputs, output)
    return inputs, output, first


def test_nothing_to_prune_after_a_build(site, capsys):
    _, output, first = site
    before = cached_keys(output)
    assert len(before) == first["segments_synthesized"] > 0
    code, line = clean(capsys, output)
    assert code == EXIT_OK
    assert line == f"removed 0 cached segment(s); kept {len(before)} in use"
    assert cached_keys(output) == before


def test_edited_sentence_audio_is_pruned_and_nothing_needed_is(site, capsys):
    inputs, output, _ = site
    before = cached_keys(output)
    tram = inputs / "tram-line.txt"
    tram.write_text(tram.read_text(encoding="utf-8").replace(TRAM_SENTENCE, TRAM_EDITED), encoding="utf-8")
    assert build(inputs, output)["segments_synthesized"] == 1
    after_edit = cached_keys(output)
    (new_key,) = after_edit - before
    code, line = clean(capsys, output)
    assert code == EXIT_OK and line.startswith("removed 1 cached segment(s)")
    pruned = cached_keys(output)
    removed = after_edit - pruned
    assert len(removed) == 1 and removed <= before  # the old sentence's audio
    assert new_key in pruned and len(pruned) == len(before)
    # Everything the site uses is still cached: a rebuild from scratch synthesizes nothing.
    assert rebuild_from_scratch(inputs, output)["segments_synthesized"] == 0


def test_old_voice_is_pruned_after_a_voice_change(site, capsys):
    inputs, output, first = site
    old = cached_keys(output)
    second = build(inputs, output, "--voice", "other")
    assert second["segments_synthesized"] == first["segments_synthesized"]  # a new voice says everything again
    new = cached_keys(output) - old
    code, line = clean(capsys, output)
    assert code == EXIT_OK and line == f"removed {len(old)} cached segment(s); kept {len(new)} in use"
    assert cached_keys(output) == new


def test_removed_article_audio_is_pruned(site, capsys):
    inputs, output, first = site
    tram = next(a for a in first["articles"] if a["source"].endswith("tram-line.txt"))
    before = cached_keys(output)
    assert main(["remove", tram["slug"], "-o", str(output)]) == EXIT_OK
    assert not (output / ".publisher" / "segments" / f"{tram['article_id']}.txt").exists()
    code, line = clean(capsys, output)
    removed = before - cached_keys(output)
    assert code == EXIT_OK and 0 < len(removed) <= tram["synthesized"]
    # The other articles still rebuild without synthesis.
    (inputs / "tram-line.txt").unlink()
    assert rebuild_from_scratch(inputs, output)["segments_synthesized"] == 0


def test_lists_missing_are_recomputed_from_the_sources(site, capsys):
    inputs, output, _ = site
    before = cached_keys(output)
    (output / CACHE_PART / "zz").mkdir()
    stray = output / CACHE_PART / "zz" / ("zz" + "0" * 62 + ".flac")
    shutil.copy(next((output / CACHE_PART).glob("*/*.flac")), stray)
    shutil.rmtree(output / ".publisher" / "segments")  # a site built before the lists existed
    # The keys depend on the speech settings: clean reads them from the same
    # publisher.toml the build would (here: the fake engine, as the build used).
    Path("publisher.toml").write_text('[speech]\nengine = "fake"\n', encoding="utf-8")
    code, line = clean(capsys, output)
    assert code == EXIT_OK and line.startswith("removed 1 cached segment(s)")
    assert cached_keys(output) == before


def test_recomputing_under_other_settings_is_refused(site, capsys):
    _, output, _ = site
    before = cached_keys(output)
    shutil.rmtree(output / ".publisher" / "segments")
    code, line = clean(capsys, output)  # no publisher.toml: Piper settings, not the fake engine the site used
    assert code != EXIT_OK
    assert len(line.splitlines()) == 1 and "speech settings changed" in line
    assert cached_keys(output) == before


def test_unknown_usage_leaves_the_cache_alone(site, capsys):
    inputs, output, _ = site
    before = cached_keys(output)
    shutil.rmtree(output / ".publisher" / "segments")
    shutil.rmtree(inputs)  # sources gone and no lists: the prune cannot know what is needed
    code, line = clean(capsys, output)
    assert code != EXIT_OK
    assert len(line.splitlines()) == 1 and "rebuild the site first" in line and "--all" in line
    assert cached_keys(output) == before


def test_all_empties_the_cache(site, capsys):
    _, output, first = site
    code, line = clean(capsys, output, "--all")
    assert code == EXIT_OK and line == f"removed {first['segments_synthesized']} cached segment(s); kept 0 in use"
    assert cached_keys(output) == set()


def test_clean_requires_the_cache_flag(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["clean", "site"])
    assert exit_info.value.code == EXIT_USAGE
