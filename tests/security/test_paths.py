"""Path confinement: hostile titles and slugs never write outside the output
folder, and slugs stay readable, distinct and independent of input order."""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

from publisher.build import build
from publisher.config import Config, SpeechConfig
from publisher.ids import MAX_SLUG_LENGTH, RESERVED_SLUGS, slugify, unique_slugs
from publisher.manifest import load_manifest

FAKE = Config(speech=SpeechConfig(engine="fake"))
SLUG_SHAPE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# file stem → (front-matter title, explicit front-matter slug or None)
HOSTILE_TITLES = {
    "parent-escape": ("../../etc/passwd", None),
    "absolute": ("/abs/path", None),
    "dot-dot": ("..", None),
    "dot": (".", None),
    "device-con": ("CON", None),
    "device-nul": ("nul", None),
    "very-long": ("Harbour " * 625, None),  # 5 000 characters
    "cyrillic": ("Паром вернулся в гавань после ремонта", None),
    "cjk": ("渡し船が二年ぶりに運航を再開", None),
    "emoji": ("🚢⚓️ Ferry day 🎉", None),
    "rtl": ("\u202eعودة العبارة\u202c إلى الميناء", None),
    "punctuation-only": ("?!… — ‽ ***", None),
    "same-title-a": ("The Same Title Twice", None),
    "same-title-b": ("The Same Title Twice", None),
    "slug-escape": ("Explicit slug that climbs", "../../outside"),
    "slug-absolute": ("Explicit absolute slug", "/tmp/evil"),
    "slug-static": ("Explicit slug naming our own folder", "static"),
    "slug-backslash": ("Explicit backslash slug", "..\\..\\windows"),
}


def _article(title: str, slug: str | None) -> str:
    fields = {"title": title, **({"slug": slug} if slug else {})}
    front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items())
    return (f"---\n{front}\n---\n\nThe ferry crossed the sound on Friday morning with forty passengers.\n\n"
            "The harbour master said the crossing took nineteen minutes.\n")


def _write_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for stem, (title, slug) in HOSTILE_TITLES.items():
        path = folder / f"{stem}.md"
        path.write_text(_article(title, slug), encoding="utf-8")
        paths.append(path)
    return paths


def _slugs(output: Path) -> dict[str, str]:
    return {Path(e.source).stem: e.slug for e in load_manifest(output).values()}


@pytest.fixture(scope="module")
def confined(tmp_path_factory):
    root = tmp_path_factory.mktemp("paths")
    files = _write_inputs(root / "inputs")
    canary = root / "canary"
    canary.mkdir()
    (canary / "keep.txt").write_text("untouched")
    output = root / "site"
    forward = build(files, output, FAKE, jobs=1, quiet=True, stream=io.StringIO())
    reverse_output = root / "site-reversed"
    reverse = build(list(reversed(files)), reverse_output, FAKE, jobs=1, quiet=True, stream=io.StringIO())
    return root, output, reverse_output, forward, reverse


def test_every_hostile_title_publishes(confined):
    _, output, _, forward, reverse = confined
    assert [f"{r.source}: {r.error}" for r in forward.failed + reverse.failed] == []
    assert set(_slugs(output)) == set(HOSTILE_TITLES)


def test_every_written_file_is_inside_the_output(confined):
    _, output, reverse_output, _, _ = confined
    for site in (output, reverse_output):
        top = site.resolve()
        for dirpath, dirnames, filenames in os.walk(site, followlinks=False):
            for name in dirnames + filenames:
                path = Path(dirpath) / name
                assert not path.is_symlink(), path
                assert path.resolve().is_relative_to(top), path


def test_nothing_is_written_next_to_the_output(confined):
    root = confined[0]
    assert sorted(p.name for p in root.iterdir()) == ["canary", "inputs", "site", "site-reversed"]
    assert [p.name for p in (root / "canary").iterdir()] == ["keep.txt"]
    assert (root / "canary" / "keep.txt").read_text() == "untouched"
    assert sorted(p.name for p in (root / "inputs").iterdir()) == sorted(f"{s}.md" for s in HOSTILE_TITLES)
    assert not Path("/tmp/evil").exists()


def test_slugs_are_safe_distinct_path_components(confined):
    slugs = _slugs(confined[1])
    assert len(set(slugs.values())) == len(slugs)
    for stem, slug in slugs.items():
        assert SLUG_SHAPE.fullmatch(slug), (stem, slug)
        assert len(slug) <= MAX_SLUG_LENGTH and slug not in RESERVED_SLUGS, (stem, slug)
        assert (confined[1] / slug).is_dir() and (confined[1] / slug).parent == confined[1]


def test_slugs_stay_readable(confined):
    slugs = _slugs(confined[1])
    assert slugs["cyrillic"].startswith("паром-вернулся")
    assert "渡し船" in slugs["cjk"]
    assert slugs["very-long"].startswith("harbour-harbour")
    assert "ferry" in slugs["emoji"]
    assert {slugs["same-title-a"], slugs["same-title-b"]} == {"the-same-title-twice", "the-same-title-twice-2"}
    assert slugs["device-con"] != "con" and slugs["device-nul"] != "nul"
    assert slugs["slug-static"] != "static"


def test_slugs_do_not_depend_on_input_order(confined):
    _, output, reverse_output, _, _ = confined
    assert _slugs(output) == _slugs(reverse_output)


@pytest.mark.parametrize("text", [t for t, _ in HOSTILE_TITLES.values()] + ["", " ", "\x00", "a/b\\c", "-", "_"])
def test_slugify_alone_gives_a_safe_component(text):
    slug = slugify(text)
    assert SLUG_SHAPE.fullmatch(slug) and slug not in {".", ".."} and "/" not in slug and "\\" not in slug


def test_unique_slugs_are_order_independent():
    wanted = [(f"id-{i}", "same") for i in range(5)] + [("id-x", "other")]
    assert unique_slugs(wanted) == unique_slugs(list(reversed(wanted)))
    assert len(set(unique_slugs(wanted).values())) == 6
