"""SMIL 3.0 Media Overlay: one ``par`` per narrated sentence shown in the content document."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from ...speech.types import Narration
from ..transcript import cue_times_ms
from .content import CONTENT_NAME, NOTE_TYPE

OVERLAY_NAME = "content.smil"


@dataclass(frozen=True)
class Clip:
    sentence_id: str
    start_ms: int
    end_ms: int
    epub_type: str | None = None  # "note": a reading system may skip it


def overlay_clips(narration: Narration, shown_ids: frozenset[str],
                  note_ids: frozenset[str] = frozenset()) -> tuple[Clip, ...]:
    """The VTT's own clock (``cue_times_ms``), kept to sentences the content document has."""
    return tuple(Clip(t.sentence_id, start, end, NOTE_TYPE if t.sentence_id in note_ids else None)
                 for t, start, end in cue_times_ms(narration)
                 if t.sentence_id in shown_ids and end > start)


def smil_clock(ms: int) -> str:
    """SMIL timecount in seconds with millisecond precision (``12.345s``)."""
    return f"{ms // 1000}.{ms % 1000:03d}s"


def media_duration(ms: int) -> str:
    """``H:MM:SS.mmm`` full clock value, as ``media:duration`` wants."""
    ms = max(0, ms)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours}:{minutes:02d}:{secs:02d}.{ms:03d}"


def _type_attr(clip: Clip) -> str:
    return f' epub:type="{clip.epub_type}"' if clip.epub_type else ""


def render_overlay(clips: tuple[Clip, ...], audio_name: str) -> str:
    pars = "\n".join(
        f'      <par id="par-{n}"{_type_attr(clip)}>\n'
        f'        <text src={quoteattr(CONTENT_NAME + "#" + clip.sentence_id)}/>\n'
        f'        <audio src={quoteattr(audio_name)} clipBegin="{smil_clock(clip.start_ms)}" '
        f'clipEnd="{smil_clock(clip.end_ms)}"/>\n'
        f"      </par>"
        for n, clip in enumerate(clips, 1))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">
  <body>
    <seq id="seq-article" epub:textref="{CONTENT_NAME}" epub:type="bodymatter">
{pars}
    </seq>
  </body>
</smil>
"""
