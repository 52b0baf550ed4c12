"""The spoken-script record: what the engine read, and the words a listener would write."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher.listen.record import load_record


def write(path: Path, version: int, item: dict) -> Path:
    path.write_text(json.dumps({"version": version, "article_id": "a", "sections": [
        {"section_id": "sec-lead", "title": "Lead", "path": "sections/01-lead.mp3", "start": 0.0, "items": [item]}]}),
        encoding="utf-8")
    return path


def test_a_respelled_item_is_compared_by_its_written_words(tmp_path):
    item = {"sentence_id": "s-1", "spoken": "Tahrai-koffskee spoke.", "reference": "Taraykovski spoke.",
            "lang": "en", "start": 0.1, "end": 1.5}
    ((section),) = load_record(write(tmp_path / "r.json", 2, item))
    (loaded,) = section.items
    assert (loaded.spoken, loaded.heard_as) == ("Tahrai-koffskee spoke.", "Taraykovski spoke.")


def test_a_version_1_record_still_reads_with_the_spoken_text_as_reference(tmp_path):
    item = {"sentence_id": "s-1", "spoken": "It rained.", "lang": "en", "start": 0.1, "end": 1.0}
    ((section),) = load_record(write(tmp_path / "r.json", 1, item))
    assert section.items[0].heard_as == "It rained."
    with pytest.raises(ValueError, match="spoken-script record of version"):
        load_record(write(tmp_path / "r3.json", 3, item))
