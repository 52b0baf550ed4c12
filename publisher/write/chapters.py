"""Podcasting 2.0 JSON chapters (``application/json+chapters``, version 1.2.0).

One chapter per :class:`~publisher.speech.types.Chapter`.  Figure-caption
asides get ``"toc": false`` so apps seek to them without listing them in the
table of contents.  Times are clamped into ``[0, duration]`` and kept
ascending, so a player never sees a chapter after the end of the audio.
"""
from __future__ import annotations

import json
from typing import Mapping

from ..speech.types import Narration
from .transcript import CONTROL_CHARS

CHAPTERS_VERSION = "1.2.0"


def _seconds(value: float) -> float:
    return round(float(value), 3)


def _clean(text: str) -> str:
    return " ".join(CONTROL_CHARS.sub("", text).split())


def render_chapters_json(narration: Narration, *, title: str, urls: Mapping[str, str] | None = None) -> str:
    """``urls`` maps a chapter's section id to the page it is about (the briefing's stories)."""
    duration = _seconds(max(0.0, narration.duration))
    chapters = []
    previous_start = -1.0
    for chapter in sorted(narration.chapters, key=lambda c: c.start):
        start = _seconds(min(max(chapter.start, 0.0), duration))
        end = _seconds(min(max(chapter.end, start), duration))
        # Ascending starts: a chapter that collapses onto the previous one (or
        # starts at the very end of the audio) has nothing to seek to.
        if start <= previous_start or (start >= duration and duration > 0):
            continue
        previous_start = start
        item = {"startTime": start, "endTime": end, "title": _clean(chapter.title) or "Untitled"}
        url = (urls or {}).get(chapter.section_id)
        if url and url.startswith(("http://", "https://")):
            item["url"] = url
        if not chapter.toc:
            item["toc"] = False
        chapters.append(item)
    document = {"version": CHAPTERS_VERSION, "title": _clean(title), "chapters": chapters}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
