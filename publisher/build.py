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

import functools
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .assets import localize_images
from .config import Config
from .errors import PublisherError, error_line
from .fsutil import atomic_write_bytes, atomic_write_text
from .ids import unique_slugs
from .manifest import (EpisodeEntry, STATE_DIR, drop_segment_lists_except, dump_manifest, dump_segment_list,
                       load_manifest, load_segment_list, manifest_path, segment_list_path)
from .model import Article, Paragraph, to_jsonable
from . import schedule
from .schedule import Outcome, PublishJob

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
    listen: str | None = None  # the listen-back verdict line, with --listen


@dataclass
class BuildSummary:
    results: list[ArticleResult] = field(default_factory=list)
    seconds: float = 0.0
    listen: object | None = None  # the listen-back report (listen.site.ListenReport), with --listen

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[ArticleResult]:
        return [r for r in self.results if r.status == "failed"]

    def to_json(self) -> str:
        listen = None
        if self.listen is not None:
            from .listen.render import report_json

            listen = json.loads(report_json(self.listen))
        return json.dumps({
            "published": self.count("published"),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "seconds": round(self.seconds, 3),
            "segments_synthesized": sum(r.synthesized for r in self.results),
            "segments_reused": sum(r.reused for r in self.results),
            "articles": [asdict(r) for r in self.results],
            **({"listen": listen} if listen is not None else {}),
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
        "publisher": _code_fingerprint(),
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """The version plus a digest of the package's own files (code, word lists, templates).

    A fixed normalization rule or template changes what an article sounds or
    looks like without changing the article: the rebuild must republish it
    (only sentences whose spoken text changed are synthesized again).
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


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
                    first_published: str, digest: str) -> tuple[EpisodeEntry, ArticleResult]:
    """Publish one article into ``<output>/<slug>/``; returns its manifest entry."""
    from .speech.pipeline import narrate_article
    from .write.chapters import render_chapters_json
    from .write.epub import write_epub
    from .write.page import EpubLink, render_article_page
    from .write.transcript import render_vtt
    from .listen.record import record_path, render_record

    started = time.monotonic()
    folder = _article_dir(output, article.slug)
    narration = narrate_article(article, folder, config, cache_dir)
    atomic_write_text(folder / "transcript.vtt", render_vtt(narration))
    atomic_write_text(folder / "chapters.json", render_chapters_json(narration, title=article.title))
    epub = write_epub(article, narration, folder, _epub_modified(article, first_published))
    atomic_write_text(folder / "index.html", render_article_page(
        article, narration, config.site, epub=EpubLink(epub.name, epub.stat().st_size)))
    _write_if_changed(segment_list_path(output, article.id), dump_segment_list(narration.segment_keys).encode("ascii"))
    _write_if_changed(record_path(output, article.id), render_record(narration).encode("utf-8"))
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


def _publish_job(job: PublishJob, config: Config, output: Path, cache_dir: Path):
    """Worker entry point (see ``schedule.PublishFn``): failures come back as one-line values."""
    started = time.monotonic()
    try:
        entry, result = publish_article(job.article, config, output, cache_dir, job.first_published, job.digest)
        return entry, None, time.monotonic() - started, result.synthesized
    except OSError as exc:
        error = f"cannot write output: {exc.strerror or exc}"
    except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
        error = error_line(exc)
    return None, error, time.monotonic() - started, 0


def _outputs_present(output: Path, entry: EpisodeEntry) -> bool:
    for rel in (entry.page_path, entry.audio_path, entry.transcript_path, entry.chapters_path):
        if not (output / rel).is_file():
            return False
    if not (output / entry.slug / f"{entry.slug}.epub").is_file():  # built before EPUBs existed
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
    """Articles done / total, segments synthesized vs cached, elapsed and estimate.

    On a terminal one status line is redrawn (at most every ``REDRAW_SECONDS``
    while sentences are spoken); otherwise every finished article is a plain
    log line, and a long stretch of speech logs each tenth of its segments.
    """

    REDRAW_SECONDS = 0.25

    def __init__(self, total: int, quiet: bool = False, verbose: bool = False, stream=None,
                 clock=time.monotonic) -> None:
        self.total, self.done = total, 0
        self.synthesized = self.reused = 0  # from finished articles
        self.speech_done = self.speech_total = 0  # segments of this run's synthesis
        self.quiet, self.verbose = quiet, verbose
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() and not verbose
        self.clock = clock
        self.started = self.drawn = clock()
        self.label = ""

    def segments(self, done: int, total: int) -> None:
        before = self.speech_done * 10 // self.speech_total if self.speech_total else 0
        self.speech_done, self.speech_total = done, total
        if self.quiet or not total:
            return
        if self.tty:
            if done == total or self.clock() - self.drawn >= self.REDRAW_SECONDS:
                self._draw()
        elif done * 10 // total > before and total >= 20:
            self.stream.write(self.status() + "\n")
            self.stream.flush()

    def article(self, result: ArticleResult) -> None:
        self.done += 1
        self.synthesized += result.synthesized
        self.reused += result.reused
        if self.quiet and result.status != "failed":
            return
        self.label = result.slug or result.source
        if result.status == "failed":
            line = f"FAILED {result.source}: {result.error}"
        else:
            line = f"{result.status} {self.label} ({result.synthesized} synthesized, {result.reused} cached)"
        if self.tty:
            if result.status == "failed":
                self.stream.write(f"\r\033[K{line}\n")
            self._draw()
            if self.done == self.total:
                self.stream.write("\n")
                self.stream.flush()
        else:
            self._log(line)

    def status(self) -> str:
        elapsed = self.clock() - self.started
        if self.speech_total and 0 < self.speech_done < self.speech_total:
            fraction = self.speech_done / self.speech_total  # speech is nearly all the time
        else:
            fraction = self.done / self.total if self.total else 1.0
        remaining = elapsed / fraction * (1 - fraction) if fraction else None
        estimate = f"~{remaining:.0f}s left" if remaining is not None else "estimating"
        speech = (f"{self.speech_done}/{self.speech_total} segments synthesized" if self.speech_total
                  else "0 segments synthesized")
        return f"[{self.done}/{self.total} articles] {speech}, {self.reused} cached, {elapsed:.0f}s elapsed, {estimate}"

    def _draw(self) -> None:
        self.drawn = self.clock()
        self.stream.write(f"\r\033[K{self.status()}  {self.label[:40]}")
        self.stream.flush()

    def _log(self, line: str) -> None:
        self.stream.write(f"{self.status()}: {line}\n")
        self.stream.flush()


def _split_urls(inputs) -> tuple[list[str], list[Path]]:
    """URL strings go to the fetcher; everything else is a file or folder."""
    from .read.fetch import is_url

    urls = [str(i) for i in inputs if isinstance(i, str) and is_url(i)]
    paths = [Path(i) for i in inputs if not (isinstance(i, str) and is_url(i))]
    return urls, paths


def build(inputs: list[Path | str], output: Path, config: Config, *, jobs: int = 0,
          quiet: bool = False, verbose: bool = False, stream=None, offline: bool = False,
          fetch_settings=None, listen: str | None = None) -> BuildSummary:
    started = time.monotonic()
    stream = stream or sys.stderr
    summary = BuildSummary()
    urls, paths = _split_urls(inputs)
    files = collect_inputs(paths)
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
        except Exception as exc:  # noqa: BLE001 - a reader bug fails one file, not the batch
            summary.results.append(ArticleResult(str(path), "failed", error=error_line(exc)))
    from .read import read_url

    for url in dict.fromkeys(urls):
        try:
            if offline:
                raise PublisherError("is a URL, and --offline forbids fetching it", url)
            article, copies = localize_images(read_url(url, output / ".publisher" / "http", fetch_settings))
            images[article.id] = copies
            articles.append(article)
        except Exception as exc:  # noqa: BLE001 - one bad URL fails alone
            summary.results.append(ArticleResult(url, "failed", error=error_line(exc)))

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
    cache_dir = _cache_dir(output, config)
    now = build_time().isoformat()
    todo: list[PublishJob] = []
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
        todo.append(PublishJob(article, digest, previous.first_published if previous else now))

    workers = max(1, jobs or config.build.jobs or os.cpu_count() or 1)

    def result_of(outcome: Outcome) -> ArticleResult:
        article = outcome.job.article
        return ArticleResult(
            article.source or "", "published" if outcome.entry is not None else "failed", article.slug, article.id,
            article.title, outcome.error, outcome.synthesized, outcome.reused, round(outcome.seconds, 3))

    publish = functools.partial(_publish_job, config=config, output=output, cache_dir=cache_dir)
    outcomes = schedule.run(todo, config, cache_dir, workers, publish, on_segments=progress.segments,
                            on_article=lambda outcome: progress.article(result_of(outcome)))
    for outcome in outcomes:
        summary.results.append(result_of(outcome))
        entry = outcome.entry
        if entry is not None:
            previous = manifest.get(entry.article_id)
            if previous and previous.slug != entry.slug:
                _remove_article_folder(output, previous.slug)
            manifest[entry.article_id] = entry

    if listen:
        _listen_back(output, config, manifest, summary, strict=listen == "strict")

    # Phase 3: the site, from what is on disk.
    write_site(output, manifest, config)
    summary.results.sort(key=lambda r: r.source)
    summary.seconds = time.monotonic() - started
    return summary


def _listen_back(output: Path, config: Config, manifest: dict[str, EpisodeEntry], summary: BuildSummary, *,
                 strict: bool) -> None:
    """Listen to the articles this run published; mark each result, and with ``strict``
    take a failing article out of the site (its folder and its manifest entry)."""
    from .listen.recognizer import load_recognizer
    from .listen.render import article_line
    from .listen.site import FAILED, listen_site

    published = {r.article_id: i for i, r in enumerate(summary.results) if r.status == "published"}
    if not published:
        return
    report = listen_site(output, config.listen, load_recognizer(config.listen.model),
                         entries=[manifest[article_id] for article_id in published if article_id in manifest])
    summary.listen = report
    for article in report.articles:
        index = published[article.article_id]
        result = replace(summary.results[index], listen=article_line(article))
        if strict and article.status == FAILED:
            result = replace(result, status="failed", error=f"listen-back: {article.reason}")
            manifest.pop(article.article_id, None)
            _remove_article_folder(output, article.slug)
        summary.results[index] = result


def _epub_modified(article: Article, first_published: str) -> datetime:
    """The e-book's ``dcterms:modified`` and zip dates: ``SOURCE_DATE_EPOCH`` when set, else
    the article's own date, else its first publication.

    Never the wall clock: two builds of the same article must give the same bytes.
    """
    if (os.environ.get("SOURCE_DATE_EPOCH") or "").strip().isdigit():
        return build_time()
    for stamp in (article.published, first_published):
        try:
            moment = datetime.fromisoformat(stamp or "")
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return build_time()


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
    segment_list_path(output, entry.article_id).unlink(missing_ok=True)
    from .listen.record import record_path

    record_path(output, entry.article_id).unlink(missing_ok=True)
    return entry


@dataclass(frozen=True)
class CleanResult:
    removed: int  # cached segments deleted
    kept: int  # cached segments some published article still uses


def _cache_dir(output: Path, config: Config) -> Path:
    return Path(config.build.cache_dir) if config.build.cache_dir else output / STATE_DIR / "cache"


def clean_cache(output: Path, config: Config, *, everything: bool = False) -> CleanResult:
    """Prune the segment cache to what the published articles use (or empty it).

    Each publish records its segment keys (``.publisher/segments/<id>.txt``);
    an article published before such lists existed has its keys recomputed
    from its source.  If neither is possible the cache is left alone: pruning
    would throw away audio a rebuild needs.  A cache shared between several
    output folders (``cache_dir``) is pruned against this one only, so shared
    caches are better emptied with ``everything`` or left to grow.
    """
    from .cache import SegmentCache

    cache = SegmentCache(_cache_dir(output, config))
    if everything:
        return CleanResult(removed=cache.clear(), kept=0)
    manifest = load_manifest(output)
    keep: set[str] = set()
    for entry in manifest.values():
        keys = load_segment_list(output, entry.article_id)
        if keys is None:
            keys = _recompute_segment_keys(entry, config)
        keep |= keys
    drop_segment_lists_except(output, manifest)
    removed = cache.prune(keep)
    return CleanResult(removed=removed, kept=len(cache.keys()))


def _recompute_segment_keys(entry: EpisodeEntry, config: Config) -> set[str]:
    """An article's segment keys from its source, when it still reads as what was published."""
    from .read import read_article
    from .speech.pipeline import article_segments

    try:
        if not entry.source:
            raise PublisherError("no source recorded")
        article, _ = localize_images(read_article(Path(entry.source)))
        article = replace(article, slug=entry.slug)
        if content_hash(article, config) != entry.content_hash:
            # Edited since, or built with other settings (--voice): these keys
            # would not be the ones its audio uses.
            raise PublisherError("its source or speech settings changed since it was built")
        return {seg.key for seg in article_segments(article, config)}
    except (PublisherError, OSError) as exc:
        reason = exc.message if isinstance(exc, PublisherError) else (exc.strerror or str(exc))
        raise PublisherError(
            f"cannot tell which cached audio {entry.slug!r} uses ({reason}); rebuild the site first, "
            "or empty the whole cache with --all") from exc
