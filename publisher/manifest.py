"""The site manifest: what has been published into one output folder.

Batches accumulate: building ``input/a`` today and ``input/b`` tomorrow into
the same output gives a feed with both, because the feed and the index are
rendered from this manifest, never from "the articles of this run".  The
manifest remembers when an episode was first published, so an article without
its own date keeps a stable ``pubDate`` across rebuilds.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

STATE_DIR = ".publisher"
MANIFEST_NAME = "manifest.json"
SEGMENTS_DIR = "segments"  # <article id>.txt: the cache keys its audio is made of
LATEST_BUILD_NAME = "latest-build.json"  # the articles the last build read: an edition's default
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class ChapterEntry:
    title: str
    start: float
    end: float
    toc: bool = True


@dataclass(frozen=True)
class EpisodeEntry:
    """One published article, as the feed and the index need it (paths relative to the output root)."""

    article_id: str
    slug: str
    title: str
    language: str
    page_path: str  # "<slug>/index.html"
    audio_path: str  # "<slug>/<slug>.mp3"
    audio_bytes: int
    duration: float  # seconds, from the samples
    transcript_path: str  # "<slug>/transcript.vtt"
    chapters_path: str  # "<slug>/chapters.json"
    first_published: str  # ISO 8601 datetime (UTC) of the first build that published it
    published: str | None = None  # the article's own date (ISO), when it has one
    dek: str | None = None
    summary: str | None = None  # dek or first paragraph (plain text)
    byline: str | None = None
    image: str | None = None  # absolute http(s) URL of the lead image, when known
    word_count: int = 0
    source: str | None = None
    content_hash: str = ""  # hash of the model + audio settings: unchanged articles are skipped
    epub_path: str | None = None  # "<slug>/<slug>.epub" (None: built before EPUBs existed)
    epub_bytes: int = 0

    @property
    def date(self) -> str:
        """The date an episode is listed under: the article's own, else first publication."""
        return self.published or self.first_published


def manifest_path(output: Path) -> Path:
    return output / STATE_DIR / MANIFEST_NAME


def load_manifest(output: Path) -> dict[str, EpisodeEntry]:
    path = manifest_path(output)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    names = {f.name for f in fields(EpisodeEntry)}
    entries = {}
    for raw in data.get("episodes", []):
        entry = EpisodeEntry(**{k: v for k, v in raw.items() if k in names})
        entries[entry.article_id] = entry
    return entries


def dump_manifest(entries: dict[str, EpisodeEntry]) -> str:
    ordered = sorted(entries.values(), key=lambda e: e.article_id)
    return json.dumps(
        {"version": MANIFEST_VERSION, "episodes": [asdict(e) for e in ordered]},
        indent=1, ensure_ascii=False, sort_keys=True,
    ) + "\n"


def newest_first(entries) -> list[EpisodeEntry]:
    return sorted(entries, key=lambda e: (e.date, e.article_id), reverse=True)


def segment_list_path(output: Path, article_id: str) -> Path:
    """Where the build records which cached segments an article's audio uses.

    ``publisher clean --cache`` keeps exactly the segments some published
    article lists and prunes the rest (old voices, edited sentences).
    """
    if not article_id or "/" in article_id or "\\" in article_id or article_id.startswith("."):
        raise ValueError(f"unsafe article id {article_id!r}")
    return _segment_lists_dir(output) / f"{article_id}.txt"


def _segment_lists_dir(output: Path) -> Path:
    return output / STATE_DIR / SEGMENTS_DIR


def drop_segment_lists_except(output: Path, article_ids) -> None:
    """Forget the lists of articles no longer published (their audio may then be pruned)."""
    folder = _segment_lists_dir(output)
    if folder.is_dir():
        for path in folder.glob("*.txt"):
            if path.stem not in article_ids:
                path.unlink(missing_ok=True)


def dump_segment_list(keys) -> str:
    return "".join(f"{key}\n" for key in sorted(set(keys)))


def load_segment_list(output: Path, article_id: str) -> set[str] | None:
    """The keys recorded for an article, or None when no list was recorded."""
    try:
        text = segment_list_path(output, article_id).read_text(encoding="ascii")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return {line.strip() for line in text.splitlines() if line.strip()}


def latest_build_path(output: Path) -> Path:
    return output / STATE_DIR / LATEST_BUILD_NAME


def dump_latest_build(article_ids) -> str:
    """The ids of the articles a build published or found unchanged, in the build's order."""
    return json.dumps({"articles": list(article_ids)}, indent=1) + "\n"


def load_latest_build(output: Path) -> list[str] | None:
    """The latest build's article ids, or None when no build has recorded them."""
    try:
        data = json.loads(latest_build_path(output).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    articles = data.get("articles") if isinstance(data, dict) else None
    return [a for a in articles if isinstance(a, str)] if isinstance(articles, list) else None
