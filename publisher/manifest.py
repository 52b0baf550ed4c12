"""The site manifest: what has been published into one output folder.

Batches accumulate: building ``input/a`` today and ``input/b`` tomorrow into
the same output gives a feed with both, because the feed and the index are
rendered from this manifest, never from "the articles of this run".  The
manifest remembers when an episode was first published, so an article without
its own date keeps a stable ``pubDate`` across rebuilds.

It is an SQLite database (``.publisher/manifest.sqlite``): one new article
writes one row, not a 100,000-entry file, and the listings (feed, index pages,
monthly archives) are queries that read only the rows they show.  It also
records, per input file, the size, modification time and content hash it had
when it was last published, so an unchanged input is recognized without being
read.  A ``manifest.json`` from earlier versions is read once and migrated.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, fields
from pathlib import Path

STATE_DIR = ".publisher"
MANIFEST_NAME = "manifest.sqlite"
LEGACY_MANIFEST_NAME = "manifest.json"  # versions up to 1: one JSON file, rewritten whole
SEGMENTS_DIR = "segments"  # <article id>.txt: the cache keys its audio is made of
LATEST_BUILD_NAME = "latest-build.json"  # the articles the last build read: an edition's default
MANIFEST_VERSION = 2
_MONTH = re.compile(r"^(\d{4})-(\d{2})")


@dataclass(frozen=True)
class ChapterEntry:
    title: str
    start: float
    end: float
    toc: bool = True


KIND_ARTICLE, KIND_BRIEFING = "article", "briefing"


@dataclass(frozen=True)
class BriefLine:
    """One utterance of an article's narration, as recorded for the briefing."""

    sentence_id: str
    display: str
    spoken: str
    role: str
    lang: str
    reference: str | None = None  # Utterance.reference: the words before lexicon respellings


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
    kind: str = "article"  # "article" | "briefing" (the daily briefing episode)
    # What the daily briefing reads for this article: its headline and dek (or lead
    # paragraph) exactly as its own narration spoke them (BriefLine fields), so the
    # briefing's segment keys are the article's and its audio comes from the cache.
    brief: tuple = ()
    # every (engine, voice, lang, sentences, label) its audio used, most utterances first
    voices: tuple[dict, ...] = ()
    epub_path: str | None = None  # "<slug>/<slug>.epub" (None: built before EPUBs existed)
    epub_bytes: int = 0

    @property
    def date(self) -> str:
        """The date an episode is listed under: the article's own, else first publication."""
        return self.published or self.first_published

    @property
    def month(self) -> str:
        """``YYYY-MM`` of :attr:`date` (first publication when the own date is not ISO)."""
        for value in (self.published, self.first_published):
            found = _MONTH.match(value or "")
            if found and 1 <= int(found.group(2)) <= 12:
                return f"{found.group(1)}-{found.group(2)}"
        return "0000-00"


@dataclass(frozen=True)
class SourceRecord:
    """What an input file was when it was last read: the stat pair first, the hash as the final word."""

    path: str  # absolute path of the input file
    size: int
    mtime_ns: int
    sha256: str  # of the file's bytes
    article_id: str
    identity: str  # settings the article was built with (speech, site, code); see build.source_identity
    content_hash: str  # the episode's content hash when this record was made
    standalone: bool  # True when the article depends on no other file (local images are re-checked)


_ENTRY_FIELDS = tuple(f.name for f in fields(EpisodeEntry))
_SOURCE_FIELDS = tuple(f.name for f in fields(SourceRecord))
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (
    article_id TEXT PRIMARY KEY, sort_date TEXT NOT NULL, month TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS episodes_by_date ON episodes (sort_date DESC, article_id DESC);
CREATE INDEX IF NOT EXISTS episodes_by_month ON episodes (month, sort_date DESC, article_id DESC);
CREATE TABLE IF NOT EXISTS listings (path TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL,
    article_id TEXT NOT NULL, identity TEXT NOT NULL, content_hash TEXT NOT NULL, standalone INTEGER NOT NULL);
"""


def manifest_path(output: Path) -> Path:
    return output / STATE_DIR / MANIFEST_NAME


def legacy_manifest_path(output: Path) -> Path:
    return output / STATE_DIR / LEGACY_MANIFEST_NAME


def _entry_from_dict(raw: dict) -> EpisodeEntry:
    values = {k: v for k, v in raw.items() if k in _ENTRY_FIELDS}
    values["brief"] = tuple(BriefLine(**line) for line in values.get("brief") or ())
    values["voices"] = tuple(values.get("voices") or ())
    return EpisodeEntry(**values)


def _entry_from_json(text: str) -> EpisodeEntry:
    return _entry_from_dict(json.loads(text))


class Manifest:
    """The manifest database of one output folder.

    Reads never write: a build with nothing new leaves the file (and its
    mtime) alone.  Every change is its own small transaction, so a killed
    build keeps what it had recorded.  The legacy JSON manifest, when present
    and the database is not, is migrated on open and then removed.
    """

    def __init__(self, output: Path, *, create: bool = True) -> None:
        self.output = output
        self.path = manifest_path(output)
        legacy = legacy_manifest_path(output)
        if not self.path.exists() and not create and not legacy.exists():
            self._db = sqlite3.connect(":memory:")  # an empty view of a folder never built: nothing written
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
        # Not "fresh": a build killed between creating the file and its first commit leaves it empty.
        if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name = 'listings'").fetchone():
            self._db.executescript(f"BEGIN; {_SCHEMA} INSERT OR REPLACE INTO meta VALUES ('version', "
                                   f"'{MANIFEST_VERSION}'); COMMIT;")  # one transaction: all or nothing
        if legacy.exists():  # still there: the migration never committed (it is removed once it has)
            self._migrate(legacy)

    def _migrate(self, legacy: Path) -> None:
        data = json.loads(legacy.read_text(encoding="utf-8"))
        with self._db:
            for raw in data.get("episodes", []):
                self._put(_entry_from_dict(raw))
        legacy.unlink()  # the database is now the record; a stale JSON beside it would mislead

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- episodes ---------------------------------------------------------------------

    def get(self, article_id: str) -> EpisodeEntry | None:
        row = self._db.execute("SELECT data FROM episodes WHERE article_id = ?", (article_id,)).fetchone()
        return _entry_from_json(row[0]) if row else None

    def __contains__(self, article_id: str) -> bool:
        return self.get(article_id) is not None

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM episodes").fetchone()[0]

    def entries(self):
        """Every episode (article-id order), one row at a time."""
        for (data,) in self._db.execute("SELECT data FROM episodes ORDER BY article_id"):
            yield _entry_from_json(data)

    def slugs(self) -> list[tuple[str, str]]:
        return self._db.execute("SELECT article_id, json_extract(data, '$.slug') FROM episodes").fetchall()

    def put(self, *entries: EpisodeEntry) -> None:
        """Record episodes (one transaction for all of them)."""
        with self._db:
            for entry in entries:
                self._put(entry)

    def _put(self, entry: EpisodeEntry) -> None:
        data = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
        self._db.execute("INSERT OR REPLACE INTO episodes VALUES (?, ?, ?, ?)",
                         (entry.article_id, entry.date, entry.month, data))

    def delete(self, article_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM episodes WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM sources WHERE article_id = ?", (article_id,))

    def newest(self, limit: int, offset: int = 0) -> list[EpisodeEntry]:
        """The ``limit`` newest episodes after skipping ``offset`` (the order of :func:`newest_first`)."""
        rows = self._db.execute("SELECT data FROM episodes ORDER BY sort_date DESC, article_id DESC LIMIT ? OFFSET ?",
                                (limit, offset))
        return [_entry_from_json(data) for (data,) in rows]

    def dated_between(self, first: str, before: str) -> list[EpisodeEntry]:
        """Episodes whose :attr:`EpisodeEntry.date` sorts in ``[first, before)`` (ISO strings),
        newest first: one index range, however large the archive."""
        rows = self._db.execute("SELECT data FROM episodes WHERE sort_date >= ? AND sort_date < ? "
                                "ORDER BY sort_date DESC, article_id DESC", (first, before))
        return [_entry_from_json(data) for (data,) in rows]

    def months(self) -> list[tuple[str, int]]:
        """``(YYYY-MM, number of episodes)``, newest month first."""
        return self._db.execute("SELECT month, count(*) FROM episodes GROUP BY month ORDER BY month DESC").fetchall()

    def in_month(self, month: str, limit: int = -1, offset: int = 0) -> list[EpisodeEntry]:
        """Episodes listed under ``YYYY-MM`` (see :attr:`EpisodeEntry.month`), newest first."""
        rows = self._db.execute("SELECT data FROM episodes WHERE month = ? ORDER BY sort_date DESC, article_id DESC "
                                "LIMIT ? OFFSET ?", (month, limit, offset))
        return [_entry_from_json(data) for (data,) in rows]

    # -- listing pages ----------------------------------------------------------------

    def listing_digests(self) -> dict[str, str]:
        """Output path → digest of what each listing page was last rendered from."""
        return dict(self._db.execute("SELECT path, digest FROM listings"))

    def set_listing_digests(self, digests: dict[str, str]) -> None:
        """Record the listing pages as now rendered (only rows that differ are written)."""
        known = self.listing_digests()
        changed = [(path, digest) for path, digest in digests.items() if known.get(path) != digest]
        gone = [(path,) for path in known if path not in digests]
        if changed or gone:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO listings VALUES (?, ?)", changed)
                self._db.executemany("DELETE FROM listings WHERE path = ?", gone)

    # -- input files ------------------------------------------------------------------

    def source(self, path: str) -> SourceRecord | None:
        row = self._db.execute(f"SELECT {', '.join(_SOURCE_FIELDS)} FROM sources WHERE path = ?", (path,)).fetchone()
        return SourceRecord(*row[:-1], bool(row[-1])) if row else None

    def put_sources(self, records) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                 [tuple(asdict(r).values()) for r in records])

    def forget_source(self, path: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM sources WHERE path = ?", (path,))


def load_manifest(output: Path) -> dict[str, EpisodeEntry]:
    """Every episode in memory, by article id (for tools and tests; builds use :class:`Manifest`)."""
    with Manifest(output, create=False) as manifest:
        return {entry.article_id: entry for entry in manifest.entries()}


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
