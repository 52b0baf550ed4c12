"""Shared helpers for the batch tests: fixture inputs, folder snapshots, and the
CLI run in-process or as a real process (for kill -9)."""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = sorted((FIXTURES / "good").iterdir())
BAD = sorted((FIXTURES / "bad").iterdir())
REPO = Path(__file__).resolve().parents[2]
CACHE_PART = ".publisher/cache"
MANIFEST = ".publisher/manifest.sqlite"
# A PNG signature and a little body: what lands in an input folder by mistake.
BINARY_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def copy_inputs(folder: Path, *, bad: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in GOOD + (BAD if bad else []):
        shutil.copy(path, folder / path.name)
    if bad:
        (folder / "photo.txt").write_bytes(BINARY_BYTES)
    return folder


def build_args(inputs: Path, output: Path, *extra: str, engine: str | None = "fake") -> list[str]:
    """CLI arguments of a quiet build; ``engine=None`` leaves the default engine."""
    engine_args = ["--engine", engine] if engine else []
    return ["build", str(inputs), "-o", str(output), *engine_args, "-q", *extra]


def snapshot(folder: Path, *, with_cache: bool = False) -> dict[str, tuple[bytes, int]]:
    """relative path → (bytes, mtime_ns) of every file (the segment cache left out unless asked)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and (with_cache or not rel.startswith(CACHE_PART)):
            files[rel] = (path.read_bytes(), path.stat().st_mtime_ns)
    return files


def contents(snap: dict[str, tuple[bytes, int]]) -> dict[str, bytes]:
    """File bytes only, with the manifest database replaced by its rows as JSON, less the
    build-time first-publication stamps and the input files' mtimes (the things two builds at
    different moments may differ in; the database's page layout is SQLite's business)."""
    out = {rel: data for rel, (data, _) in snap.items()}
    if MANIFEST in out:
        out[MANIFEST] = json.dumps(manifest_rows(out[MANIFEST]), sort_keys=True).encode()
    return out


def manifest_rows(database: bytes) -> dict[str, list]:
    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(database)
        episodes = []
        for (data,) in db.execute("SELECT data FROM episodes ORDER BY article_id"):
            episode = json.loads(data)
            episode.pop("first_published", None)
            episodes.append(episode)
        sources = [row[:2] + row[3:] for row in  # (path, size, sha256, ...): the mtime left out
                   db.execute("SELECT path, size, mtime_ns, sha256, article_id, identity, content_hash, standalone "
                              "FROM sources ORDER BY path")]
        return {"episodes": episodes, "sources": sources}
    finally:
        db.close()


def temp_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if ".tmp" in p.name)


def cli_process(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "publisher.cli", *args], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


# Seven short articles over three months (listings and archives: tests/batch/test_site_scale.py).
DATES = ["2025-01-05", "2025-01-19", "2025-02-02", "2025-02-16", "2025-02-23", "2025-03-09", "2025-03-30"]
TOWNS = ["Alderbrook", "Barrow Mill", "Cresswick", "Dunmere", "Elmstead", "Fallowfield", "Greyhaven"]


def write_articles(folder: Path, dates=DATES) -> list[Path]:
    """One dated Markdown article per date (at most seven), each with its own town and numbers."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (date, town) in enumerate(zip(dates, TOWNS)):
        path = folder / f"notice-{i}.md"
        path.write_text(
            f"---\ntitle: \"{town} Opens Its New Reading Room\"\ndate: {date}\nlang: en\n---\n\n"
            f"# {town} Opens Its New Reading Room\n\n"
            f"The reading room in {town} opened on a wet morning with {12 + i} people waiting at the door. "
            f"Volunteers had spent {3 + i} weekends painting shelves and sorting donated books.\n\n"
            f"The room will open four evenings a week, and the parish council has promised heating by winter.\n",
            encoding="utf-8")
        paths.append(path)
    return paths
