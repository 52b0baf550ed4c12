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
@pytest.mark.parametrize("module, cls", [("piper", "PiperEngine"), ("espeak", "EspeakEngine")])
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
