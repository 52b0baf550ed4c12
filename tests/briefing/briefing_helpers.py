"""Shared helpers for the briefing and bumper tests: a small fake-voice site and VTT parsing."""
from __future__ import annotations

import json
import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
DAY = "2026-03-14"  # two of the three fixture articles were published that day
_CUE = re.compile(r"^(?:(?P<id>[^\n]+)\n)?(?P<start>\d\d:\d\d:\d\d\.\d{3}) --> (?P<end>\d\d:\d\d:\d\d\.\d{3})\n(?P<text>[^\n]*)$")


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def vtt_cues(path: Path) -> dict[str, tuple[float, float, str]]:
    """cue id → (start, end, text) of a WebVTT file written by the publisher."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")[1:]
    cues = {}
    for block in blocks:
        match = _CUE.match(block.strip("\n"))
        if match:
            cues[match["id"]] = (seconds(match["start"]), seconds(match["end"]), match["text"])
    return cues


def chapters(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["chapters"]


def manifest(output: Path) -> dict:
    data = json.loads((output / ".publisher" / "manifest.json").read_text(encoding="utf-8"))
    return {e["slug"]: e for e in data["episodes"]}
