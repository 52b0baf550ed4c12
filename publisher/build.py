"""Orchestration: read → model → prepare → speak → write page/VTT/chapters → feed and index.

Phases never interleave:

1. **Read** every input into an :class:`Article` (nothing is written yet).  A
   file that cannot be read fails alone, with one line naming it.
2. **Publish** each article into ``<output>/<slug>/`` (in worker processes
   with ``-j N``): script, narration (cached per sentence), page, VTT,
   chapters.  Every file is written to a temporary name and renamed.
3. **Site**: the manifest (what the output folder holds; batches accumulate),
   then the static assets, cover, index and feed — all rendered from the
   manifest, so they only ever point at files that already exist.

Articles whose content hash (model + speech settings + engine identity) is
unchanged and whose files are all present are skipped: a no-change rebuild
synthesizes nothing and rewrites nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .assets import localize_images
from .config import Config
from .errors import PublisherError
from .fsutil import atomic_write_bytes, atomic_write_text
from .ids import unique_slugs
from .manifest import EpisodeEntry, STATE_DIR, dump_manifest, load_manifest, manifest_path
from .model import Article, Paragraph, to_jsonable

INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml", ".md", ".markdown"}
COVER_NAME = "cover.png"  # generated; a configured cover keeps its own extension
STATIC_DIR = "static"


@dataclass(frozen=True)
class ArticleResult:
    source: str
    status: str  # "published" | "unchanged" | "failed"
    slug: str | None = None
    article_id: str | None = None
    title: str | None = None
    error: str | None = None
    synthesized: int = 0
    reused: int = 0
    seconds: float = 0.0


@dataclass
class BuildSummary:
    results: list[ArticleResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> str:
        return json.dumps({
            "published": self.count("published"),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "seconds": round(self.seconds, 3),
            "segments_synthesized": sum(r.synthesized for r in self.results),
            "segments_reused": sum(r.reused for r in self.results),
            "articles": [asdict(r) for r in self.results],
        }, indent=1, ensure_ascii=False) + "\n"


def collect_inputs(paths: list[Path]) -> list[Path]:
    """Files named on the command line, and article files inside named folders (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                and not p.name.startswith(".") and p.name.lower() not in {"readme.md", "readme.txt"}
            )
        elif path.exists():
            found.append(path)
        else:
            raise PublisherError("no such file or folder", str(path))
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


# -- per-article work (runs in worker processes) ----------------------------------------


def content_hash(article: Article, config: Config) -> str:
    from .speech.pipeline import speech_identity

    payload = json.dumps({
        "article": to_jsonable(article),
        "speech": speech_identity(config, article.source),
        "site": asdict(config.site),
        "publisher": __version__,
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _summary_text(article: Article) -> str | None:
    if article.dek:
        return article.dek
    for _, block in article.iter_blocks():
        if isinstance(block, Paragraph) and len(block.text) > 40:
            return block.text
    return None


def _safe_image(url: str | None) -> str | None:
    return url if url and url.startswith(("http://", "https://")) else None


def _article_dir(output: Path, slug: str) -> Path:
    folder = (output / slug).resolve()
    if folder.parent != output.resolve():  # slugs are path-safe; this is the last guard
        raise PublisherError(f"refusing to write outside the output folder: {slug!r}")
    return folder


def publish_article(article: Article, config: Config, output: Path, cache_dir: Path,
                    first_published: str, digest: str, jobs: int = 1) -> tuple[EpisodeEntry, ArticleResult]:
    """Publish one article into ``<output>/<slug>/``; returns its manifest entry."""
    from .speech.pipeline import narrate_article
    from .write.chapters import render_chapters_json
    from .write.page import render_article_page
    from .write.transcript import render_vtt

    started = time.monotonic()
    folder = _article_dir(output, article.slug)
    narration = narrate_article(article, folder, config, cache_dir, jobs=jobs)
    atomic_write_text(folder / "transcript.vtt", render_vtt(narration))
    atomic_write_text(folder / "chapters.json", render_chapters_json(narration, title=article.title))
    atomic_write_text(folder / "index.html", render_article_page(article, narration, config.site))
    entry = EpisodeEntry(
        article_id=article.id,
        slug=article.slug,
        title=article.title,
        language=article.language,
        page_path=f"{article.slug}/index.html",
        audio_path=f"{article.slug}/{narration.episode_path}",
        audio_bytes=narration.bytes,
        duration=round(narration.duration, 3),
        transcript_path=f"{article.slug}/transcript.vtt",
        chapters_path=f"{article.slug}/chapters.json",
        first_published=first_published,
        published=article.published,
        dek=article.dek,
        summary=_summary_text(article),
        byline=article.byline,
        image=_safe_image(article.image),
        word_count=article.word_count(),
        source=article.source,
        content_hash=digest,
    )
    result = ArticleResult(
        source=article.source or "", status="published", slug=article.slug, article_id=article.id,
        title=article.title, synthesized=narration.synthesized, reused=narration.reused,
        seconds=round(time.monotonic() - started, 3),
    )
    return entry, result


def _publish_safely(article: Article, config: Config, output: Path, cache_dir: Path,
                    first_published: str, digest: str, jobs: int = 1):
    """Worker entry point: failures come back as values, one line each."""
    try:
        return publish_article(article, config, output, cache_dir, first_published, digest, jobs)
    except PublisherError as exc:
        message = exc.message if exc.path else str(exc)
        return None, ArticleResult(article.source or "", "failed", article.slug, article.id, article.title, message)
    except OSError as exc:
        return None, ArticleResult(article.source or "", "failed", article.slug, article.id, article.title,
                                   f"cannot write output: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
        return None, ArticleResult(article.source or "", "failed", article.slug, article.id, article.title,
                                   f"internal error: {type(exc).__name__}: {exc}")


def _outputs_present(output: Path, entry: EpisodeEntry) -> bool:
    for rel in (entry.page_path, entry.audio_path, entry.transcript_path, entry.chapters_path):
        if not (output / rel).is_file():
            return False
    return (output / entry.audio_path).stat().st_size == entry.audio_bytes


# -- site-level files --------------------------------------------------------------------


def write_site(output: Path, entries: dict[str, EpisodeEntry], config: Config) -> None:
    from .write.cover import make_cover, validate_cover
    from .write.feed import render_feed
    from .write.page import render_index, static_assets

    # Unchanged content is not rewritten: a no-change rebuild leaves every mtime alone.
    _write_if_changed(manifest_path(output), dump_manifest(entries).encode("utf-8"))
    for name, data in static_assets().items():
        target = output / STATIC_DIR / name
        if not target.exists() or target.read_bytes() != data:
            atomic_write_bytes(target, data)
    if config.site.cover:
        validate_cover(Path(config.site.cover))
        cover_name = "cover" + Path(config.site.cover).suffix.lower()
        cover_bytes = Path(config.site.cover).read_bytes()
    else:
        cover_name, cover_bytes = COVER_NAME, make_cover(config.site)
    _write_if_changed(output / cover_name, cover_bytes)
    from .manifest import newest_first

    ordered = newest_first(entries.values())
    _write_if_changed(output / "index.html", render_index(ordered, config.site).encode("utf-8"))
    _write_if_changed(output / "feed.xml", render_feed(ordered, config.site, cover_path=cover_name))


def _copy_if_changed(source: Path, target: Path) -> None:
    _write_if_changed(target, source.read_bytes())


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        atomic_write_bytes(path, data)


# -- the build ----------------------------------------------------------------------------


class Progress:
    """Articles done / total, segments synthesized vs reused, elapsed and estimate.

    On a terminal it redraws one line; otherwise it prints plain log lines.
    """

    def __init__(self, total: int, quiet: bool = False, verbose: bool = False, stream=None) -> None:
        self.total, self.done = total, 0
        self.synthesized = self.reused = 0
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.monotonic()

    def article(self, result: ArticleResult) -> None:
        self.done += 1
        self.synthesized += result.synthesized
        self.reused += result.reused
        if self.quiet and result.status != "failed":
            return
        elapsed = time.monotonic() - self.started
        remaining = elapsed / self.done * (self.total - self.done) if self.done else 0
        label = result.slug or result.source
        if result.status == "failed":
            line = f"FAILED {result.source}: {result.error}"
        else:
            line = f"{result.status} {label} ({result.synthesized} synthesized, {result.reused} cached)"
        counts = (f"[{self.done}/{self.total}] segments {self.synthesized} synthesized / "
                  f"{self.reused} cached, {elapsed:.0f}s elapsed, ~{remaining:.0f}s left")
        if self.tty and not self.verbose:
            self.stream.write(f"\r\033[K{line}\n" if result.status == "failed" else "")
            self.stream.write(f"\r\033[K{counts}  {label[:40]}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{counts}: {line}\n")
        self.stream.flush()


def build(inputs: list[Path], output: Path, config: Config, *, jobs: int = 0,
          quiet: bool = False, verbose: bool = False, stream=None) -> BuildSummary:
    started = time.monotonic()
    stream = stream or sys.stderr
    summary = BuildSummary()
    files = collect_inputs(inputs)
    output.mkdir(parents=True, exist_ok=True)
    if not os.access(output, os.W_OK):
        raise PublisherError("output folder is not writable; choose another with -o", str(output))
    _sweep_interrupted_writes(output)

    # Phase 1: read everything (the read/model phase ends before anything is written).
    from .read import read_article

    articles: list[Article] = []
    images: dict[str, list[tuple[Path, str]]] = {}
    for path in files:
        try:
            article, copies = localize_images(read_article(path))
            images[article.id] = copies
            articles.append(article)
        except PublisherError as exc:
            summary.results.append(ArticleResult(str(path), "failed", error=exc.message))
        except Exception as exc:  # noqa: BLE001 - a reader bug fails one file, not the batch
            summary.results.append(ArticleResult(str(path), "failed", error=f"internal error: {type(exc).__name__}: {exc}"))

    manifest = load_manifest(output)
    articles = _assign_slugs(articles, manifest)
    # Two inputs with the same identity would overwrite each other: the first wins.
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id in by_id:
            summary.results.append(ArticleResult(article.source or "", "failed", article.slug, article.id, article.title,
                                                 f"same article identity as {by_id[article.id].source}"))
        else:
            by_id[article.id] = article

    # Phase 2: publish changed articles.
    cache_dir = Path(config.build.cache_dir) if config.build.cache_dir else output / STATE_DIR / "cache"
    now = build_time().isoformat()
    todo = []
    progress = Progress(len(by_id), quiet, verbose, stream)
    for article in by_id.values():
        for source_file, relative in images.get(article.id, []):
            _copy_if_changed(source_file, _article_dir(output, article.slug) / relative)
        digest = content_hash(article, config)
        previous = manifest.get(article.id)
        if previous and previous.content_hash == digest and previous.slug == article.slug and _outputs_present(output, previous):
            result = ArticleResult(article.source or "", "unchanged", article.slug, article.id, article.title)
            summary.results.append(result)
            progress.article(result)
            continue
        first = previous.first_published if previous else now
        todo.append((article, digest, first, previous))

    requested_jobs = jobs or config.build.jobs or os.cpu_count() or 1
    jobs = max(1, min(requested_jobs, len(todo) or 1))
    outcomes = []
    if jobs == 1:
        # One article at a time: its sentences may still be synthesized in parallel.
        segment_jobs = min(requested_jobs, os.cpu_count() or 1)
        for article, digest, first, _ in todo:
            outcome = _publish_safely(article, config, output, cache_dir, first, digest, segment_jobs)
            progress.article(outcome[1])
            outcomes.append(outcome)
    else:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init) as pool:
            futures = [pool.submit(_publish_safely, a, config, output, cache_dir, first, digest)
                       for a, digest, first, _ in todo]
            for future in as_completed(futures):
                outcome = future.result()
                progress.article(outcome[1])
                outcomes.append(outcome)
    for entry, result in outcomes:
        summary.results.append(result)
        if entry is not None:
            previous = manifest.get(entry.article_id)
            if previous and previous.slug != entry.slug:
                _remove_article_folder(output, previous.slug)
            manifest[entry.article_id] = entry

    # Phase 3: the site, from what is on disk.
    write_site(output, manifest, config)
    summary.results.sort(key=lambda r: r.source)
    summary.seconds = time.monotonic() - started
    return summary


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds convention).

    Used only as the first-publication date of articles that carry no date of
    their own; it is remembered in the manifest, so later builds keep it.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def _sweep_interrupted_writes(output: Path) -> None:
    """Remove temporary files a killed build left behind.

    ``fsutil.atomic_write_*`` writes ``.<name>.<random>.tmp`` next to its target
    and renames it; a kill -9 between the two leaves the temp file, which would
    otherwise be published with the site forever.  Only one build writes an
    output folder at a time, so any such file here is debris.
    """
    for path in output.rglob(".*.tmp"):
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


def _worker_init() -> None:
    # Each worker is one of N processes on N cores: one compute thread each, so
    # "-j 2" means two cores' work, not two processes fighting over four threads.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["PUBLISHER_WORKER_THREADS"] = "1"


def _assign_slugs(articles: list[Article], manifest: dict[str, EpisodeEntry]) -> list[Article]:
    """Unique slugs across this batch and what the output already holds.

    An article already published keeps its folder unless its title changed the
    slug it would get; other articles' slugs are taken into account so two
    articles never share a folder.
    """
    wanted = [(a.id, a.slug) for a in articles]
    batch_ids = {a.id for a in articles}
    existing = [(aid, e.slug) for aid, e in manifest.items() if aid not in batch_ids]
    slugs = unique_slugs(existing + wanted)
    return [replace(a, slug=slugs[a.id]) for a in articles]


def _remove_article_folder(output: Path, slug: str) -> None:
    folder = _article_dir(output, slug)
    if folder.is_dir():
        shutil.rmtree(folder)


def remove_article(output: Path, key: str, config: Config) -> EpisodeEntry:
    """Take one article out of the site (by slug or article id): the explicit way to unpublish."""
    manifest = load_manifest(output)
    match = [e for e in manifest.values() if key in (e.slug, e.article_id)]
    if not match:
        raise PublisherError(f"no published article with slug or id {key!r}", str(output))
    entry = match[0]
    del manifest[entry.article_id]
    write_site(output, manifest, config)
    _remove_article_folder(output, entry.slug)
    return entry


def clean_cache(output: Path, config: Config) -> int:
    """Remove cached audio segments; returns how many files were removed."""
    cache_dir = Path(config.build.cache_dir) if config.build.cache_dir else output / STATE_DIR / "cache"
    if not cache_dir.exists():
        return 0
    count = sum(1 for p in cache_dir.rglob("*") if p.is_file())
    shutil.rmtree(cache_dir)
    return count
