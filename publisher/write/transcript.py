"""WebVTT transcript from the narration's sentence timings.

One cue per :class:`~publisher.speech.types.Timing`, in order.  The cue
identifier is the sentence id, the same id the accessible page puts on the
sentence's ``<span id>``, so a player can highlight the text it is reading.

The sentence text came from an untrusted page: anything that looks like markup
is dropped and ``& < >`` are escaped, so a cue can never carry a WebVTT tag
(``<c>``, ``<v>``, ``<b>``…) or end early on a blank line or ``-->``.
"""
from __future__ import annotations

import re

from ..speech.types import Narration

# HTML/WebVTT tags (<b>, </i>, <v Name>, <!-- -->) and VTT timestamp tags (<00:01.000>);
# a lone "<" as in "2 < 3" is text, and is escaped instead.
TAG_LIKE = re.compile(r"</?[A-Za-z!?][^<>]*>|<\d[\d:.]*>")
# C0/C1 controls other than tab/newline, lone surrogates and the non-characters
# that XML 1.0 forbids and VTT readers choke on.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def vtt_timestamp(seconds: float) -> str:
    """``HH:MM:SS.mmm`` (hours always present, so any length is valid)."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def cue_text(text: str) -> str:
    """Plain, single-line, escaped cue payload."""
    text = CONTROL_CHARS.sub("", text)
    text = TAG_LIKE.sub("", text)
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cue_identifier(sentence_id: str) -> str:
    """A cue id is one line and may not contain ``-->``."""
    ident = " ".join(CONTROL_CHARS.sub("", sentence_id).split())
    return ident.replace("-->", "--")


def cue_times_ms(narration: Narration):
    """``(timing, start_ms, end_ms)`` per non-empty cue, clamped so cues never overlap.

    The VTT and the EPUB Media Overlay both take their clock from here, so a
    SMIL clip and the VTT cue of the same sentence cannot disagree.
    """
    duration_ms = max(0, round(narration.duration * 1000))
    previous_end_ms = 0
    for timing in narration.timings:
        if not cue_text(timing.text):
            continue
        # Work in whole milliseconds so rounding cannot create an overlap.
        start_ms = min(max(round(timing.start * 1000), previous_end_ms), duration_ms)
        end_ms = min(max(round(timing.end * 1000), start_ms), duration_ms)
        previous_end_ms = end_ms
        yield timing, start_ms, end_ms


def render_vtt(narration: Narration) -> str:
    lines = ["WEBVTT", ""]
    for timing, start_ms, end_ms in cue_times_ms(narration):
        ident = cue_identifier(timing.sentence_id)
        if ident:
            lines.append(ident)
        lines.append(f"{vtt_timestamp(start_ms / 1000)} --> {vtt_timestamp(end_ms / 1000)}")
        lines.append(cue_text(timing.text))
        lines.append("")
    return "\n".join(lines)
