"""A sentence's samples are a pure function of (text, voice, engine version, settings).

Real engines, each run in its own fresh process, speaking the same sentences in
different orders: the samples of every sentence must be byte-identical.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SENTENCES = [
    "The council met on Tuesday to discuss the new budget.",
    "Rain is expected across the valley by the evening.",
    "Dr. Lee said the bridge would reopen next spring.",
]
SPEAK = """
import hashlib, json, sys
from publisher.speech.engines.{module} import {cls}
engine = {cls}()
digests = {{}}
for text in json.loads(sys.argv[1]):
    audio = engine.synthesize(text, None, "en")
    digests[text] = hashlib.sha256(audio.samples.tobytes()).hexdigest()
print(json.dumps(digests))
"""


def _digests_in_fresh_process(module: str, cls: str, order: list[str]) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SPEAK.format(module=module, cls=cls), json.dumps(order)],
                          capture_output=True, text=True, env=env, check=True, timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize("module, cls", [("hibari", "HibariEngine"), ("piper", "PiperEngine"),
                                         ("espeak", "EspeakEngine")])
def test_samples_do_not_depend_on_order_or_process(module, cls):
    forward = _digests_in_fresh_process(module, cls, SENTENCES)
    # Reversed, and the first sentence spoken twice: what came before must not matter.
    backward = _digests_in_fresh_process(module, cls, SENTENCES[::-1] + [SENTENCES[0]])
    assert set(forward) == set(SENTENCES)
    assert forward == backward
    assert len(set(forward.values())) == len(SENTENCES)  # distinct sentences, distinct audio


@pytest.mark.slow
def test_piper_same_sentence_twice_in_one_process_is_identical():
    from publisher.speech.engines.piper import PiperEngine

    engine = PiperEngine()
    first = engine.synthesize(SENTENCES[0], None, "en").samples
    engine.synthesize(SENTENCES[1], None, "en")
    again = engine.synthesize(SENTENCES[0], None, "en").samples
    assert first.size > 0
    assert hashlib.sha256(first.tobytes()).digest() == hashlib.sha256(again.tobytes()).digest()


ARTICLE = """A quiet week at the harbour

The ferry to the island returned to its summer timetable on Monday.

Fishermen said the catch was smaller than last year, but prices held.

The harbour master expects the new pier to open before the festival.
"""
CLI = "import sys; from publisher.cli import main; sys.exit(main(sys.argv[1:]))"


def _cold_build(tmp_path: Path, name: str, jobs: int, engine: str | None) -> dict[str, bytes]:
    source = tmp_path / "in" / "harbour.txt"
    source.parent.mkdir(exist_ok=True)
    source.write_text(ARTICLE, encoding="utf-8")
    output = tmp_path / name
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1767225600"}
    engine_args = ["--engine", engine] if engine else []  # None: the default engine
    subprocess.run([sys.executable, "-c", CLI, "build", str(source), "-o", str(output),
                    "-j", str(jobs), *engine_args, "-q"],
                   env=env, check=True, capture_output=True, timeout=600, cwd=tmp_path)
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file() and ".publisher" not in p.parts}


@pytest.mark.slow
@pytest.mark.parametrize("engine", [None, "piper", "espeak"])
def test_real_engine_builds_at_j1_and_j2_are_byte_identical(tmp_path, engine):
    one = _cold_build(tmp_path, "j1", 1, engine)
    two = _cold_build(tmp_path, "j2", 2, engine)
    assert any(name.endswith(".mp3") for name in one) and any(name.endswith(".vtt") for name in one)
    page = next(data for name, data in one.items() if name.endswith("/index.html"))
    assert (engine or "hibari").encode() in page.lower()  # the audio label names the engine that spoke
    assert sorted(one) == sorted(two)
    differing = [name for name in one if one[name] != two[name]]
    assert differing == []
