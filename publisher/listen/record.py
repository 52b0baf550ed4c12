"""The spoken-script record: what each section file was told to say, and when.

The build writes one per article (``.publisher/spoken/<article id>.json``, not
published); the listen-back check reads it as the reference.  The VTT holds the
text as written ("$1.2m"), the record the text the engine read ("one point two
million dollars") and, where the pronunciation lexicon respelled a word, the
same words as a listener would write them ("Taraykovski", not "Tahrai-koffskee"):
that is what a recognizer's transcript can be compared with.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..manifest import STATE_DIR
from ..speech.types import Narration

RECORD_DIR = "spoken"
RECORD_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1 had no "reference": the spoken text stands in


@dataclass(frozen=True)
class SpokenItem:
    sentence_id: str | None
    spoken: str
    lang: str
    start: float  # seconds in the section file
    end: float
    reference: str = ""  # the words as a listener would write them; "": the same as spoken

    @property
    def heard_as(self) -> str:
        return self.reference or self.spoken


@dataclass(frozen=True)
class SpokenSection:
    section_id: str
    title: str
    path: str  # relative to the article folder
    start: float  # where the section begins in the episode (for report times)
    items: tuple[SpokenItem, ...]


def record_path(output: Path, article_id: str) -> Path:
    return Path(output) / STATE_DIR / RECORD_DIR / f"{article_id}.json"


def render_record(narration: Narration) -> str:
    starts = [chapter.start for chapter in narration.chapters]
    sections = []
    for index, section in enumerate(narration.sections):
        sections.append({
            "section_id": section.section_id, "title": section.title, "path": section.path,
            "start": round(starts[index] if index < len(starts) else 0.0, 3),
            "items": [{"sentence_id": s.sentence_id, "spoken": s.spoken, "lang": s.lang,
                       "start": round(s.start, 3), "end": round(s.end, 3),
                       **({"reference": s.reference} if s.reference else {})}
                      for s in narration.spoken if s.section == index],
        })
    return json.dumps({"version": RECORD_VERSION, "article_id": narration.article_id, "sections": sections},
                      indent=1, ensure_ascii=False) + "\n"


def load_record(path: Path) -> tuple[SpokenSection, ...]:
    """Raises ValueError (with the reason) for a record that is not one."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"not a spoken-script record of version {' or '.join(map(str, READABLE_VERSIONS))}")
    try:
        return tuple(
            SpokenSection(str(s["section_id"]), str(s["title"]), str(s["path"]), float(s["start"]),
                          tuple(SpokenItem(i["sentence_id"], str(i["spoken"]), str(i["lang"]),
                                           float(i["start"]), float(i["end"]), str(i.get("reference") or ""))
                                for i in s["items"]))
            for s in document["sections"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed spoken-script record ({exc})") from None
