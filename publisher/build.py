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

import contextlib
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
from .config import LISTING_KEYS, Config, SiteConfig
from .errors import PublisherError, error_line
from .fsutil import atomic_write_bytes, atomic_write_text
from .ids import unique_slugs
from .manifest import (BriefLine, EpisodeEntry, Manifest, STATE_DIR, SourceRecord, drop_segment_lists_except,
                       dump_latest_build, dump_segment_list, latest_build_path, load_manifest, load_segment_list,
                       segment_list_path)
from .model import Article, Figure, Paragraph, to_jsonable
from .previous import PreviousVersions
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
    # every (engine, voice, language) the audio used and how many utterances it spoke
    voices: tuple[dict, ...] = ()
    notes: tuple[str, ...] = ()  # what was published with a fallback, and why (an image not kept)
    listen: str | None = None  # the listen-back verdict line, with --listen


@dataclass
class BuildSummary:
    results: list[ArticleResult] = field(default_factory=list)
    seconds: float = 0.0
    briefing: object | None = None  # briefing.BriefingResult when [briefing] enabled made one
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
            "briefing": asdict(self.briefing) if self.briefing else None,
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
    from .speech.pipeline import article_languages, speech_identity

    payload = json.dumps({
        "article": to_jsonable(article),
        "speech": speech_identity(config, article.source, tuple(article_languages(article))),
        "site": _site_identity(config.site),
        "publisher": _code_fingerprint(),
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _site_identity(site: SiteConfig) -> dict:
    """The [site] settings an article's own files depend on (listing lengths are not among them)."""
    return {k: v for k, v in asdict(site).items() if k not in LISTING_KEYS}


def identity_base(config: Config) -> str:
    """The settings every input is published with: speech (engines, voices, global lexicons),
    the [site] an article's files depend on, and the code.  Computed once per build."""
    from .speech.pipeline import speech_identity

    return json.dumps([speech_identity(config, None), _site_identity(config.site), _code_fingerprint()],
                      sort_keys=True, ensure_ascii=False)


def source_identity(base: str, source: str) -> str:
    """Everything besides the input's bytes that decides what it publishes as: ``base`` and
    the input's own lexicon (``story.lexicon.toml``), when it has one.

    Recorded with each input file: when the file's bytes and this are both
    unchanged, so is the article, and it need not be read.
    """
    from .speech.lexicon import article_lexicon_path

    digest = hashlib.sha256(base.encode("utf-8"))
    own = article_lexicon_path(source)
    if own is not None and own.is_file():
        digest.update(b"\0" + own.read_bytes())
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _standalone(article: Article, copies) -> bool:
    """True when the article depends on no file but its source (no local images, copied or missing)."""
    return not copies and not any(
        isinstance(block, Figure) and block.src and not block.src.startswith(("http://", "https://"))
        for _, block in article.iter_blocks())


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
    lead = article.lead_paragraph()
    return lead.text if lead else None


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
    from .speech.pipeline import article_script, narrate_article
    from .speech.prepare import summary_utterances
    from .write.chapters import render_chapters_json
    from .write.epub import write_epub
    from .write.page import EpubLink, render_article_page
    from .write.transcript import render_vtt
    from .listen.record import record_path, render_record

    started = time.monotonic()
    folder = _article_dir(output, article.slug)
    script = article_script(article, config)
    narration = narrate_article(article, folder, config, cache_dir, script=script)
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
        brief=tuple(BriefLine(u.sentence_id, u.display, u.spoken, u.role, u.lang, u.reference)
                    for u in summary_utterances(article, script)),
        voices=tuple(asdict(use) for use in narration.voices),
        epub_path=f"{article.slug}/{epub.name}",
        epub_bytes=epub.stat().st_size,
    )
    result = ArticleResult(
        source=article.source or "", status="published", slug=article.slug, article_id=article.id,
        title=article.title, synthesized=narration.synthesized, reused=narration.reused,
        seconds=round(time.monotonic() - started, 3), voices=entry.voices,
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


def write_site(output: Path, manifest: Manifest, config: Config) -> None:
    """Static assets, cover, listing pages and feed, from the manifest (one page's rows at a time)."""
    from .write.cover import make_cover, validate_cover
    from .write.feed import render_feed
    from .write.listing import listing_pages, page_digest
    from .write.page import render_listing, static_assets

    # Unchanged content is not rewritten: a no-change rebuild leaves every mtime alone.
    for name, data in static_assets().items():
        target = output / STATIC_DIR / name
        if not target.exists() or target.read_bytes() != data:
            atomic_write_bytes(target, data)
    if config.site.cover:
        validate_cover(Path(config.site.cover))
        cover_name = "cover" + Path(config.site.cover).suffix.lower()
        cover_bytes = Path(config.site.cover).read_bytes()
    else:
        cover_name = COVER_NAME
        cover_bytes = _generated_cover(output, config)
    _write_if_changed(output / cover_name, cover_bytes)
    if not config.site.cover:  # the key only after the cover it names is on disk
        _write_if_changed(_cover_key_path(output), _cover_key(config, cover_bytes).encode())
    # A page whose rows, links and settings are as when it was last written is not rendered again.
    settings = json.dumps([asdict(config.site), _code_fingerprint()], sort_keys=True, ensure_ascii=False)
    rendered = manifest.listing_digests()
    digests: dict[str, str] = {}
    for page in listing_pages(manifest, config.site.index_page_size):
        digests[page.path] = page_digest(page, settings)
        if rendered.get(page.path) != digests[page.path] or not (output / page.path).is_file():
            _write_if_changed(output / page.path, render_listing(page, config.site).encode("utf-8"))
    _remove_stale_listings(output, set(digests))
    manifest.set_listing_digests(digests)
    newest = manifest.newest(config.site.feed_items)
    _write_if_changed(output / "feed.xml", render_feed(newest, config.site, cover_path=cover_name))


def _remove_stale_listings(output: Path, written: set[str]) -> None:
    """Listing pages the site no longer has (fewer pages, a month emptied by ``remove``)."""
    from .write.listing import LISTING_DIRS, LISTING_PATH

    for top in LISTING_DIRS:
        folder = output / top
        if not folder.is_dir() or folder.is_symlink():
            continue
        for page in list(folder.rglob("index.html")):  # listed first: removing folders while walking them fails
            rel = page.relative_to(output).as_posix()
            if LISTING_PATH.match(rel) and rel not in written:
                page.unlink()
                for parent in page.parents:  # empty folders up to the output root go too
                    if parent == output or any(parent.iterdir()):
                        break
                    parent.rmdir()


def _cover_key_path(output: Path) -> Path:
    return output / STATE_DIR / "cover.key"


def _cover_key(config: Config, cover: bytes) -> str:
    settings = hashlib.sha256((json.dumps(asdict(config.site), sort_keys=True) + _code_fingerprint()).encode())
    return f"{settings.hexdigest()} {hashlib.sha256(cover).hexdigest()}"


def _generated_cover(output: Path, config: Config) -> bytes:
    """The generated cover: drawing and encoding it costs most of a no-change rebuild,
    so the one on disk is reused while the site settings, the code and its bytes are the ones last made."""
    from .write.cover import make_cover

    try:
        existing = (output / COVER_NAME).read_bytes()
        if _cover_key_path(output).read_text() == _cover_key(config, existing):
            return existing
    except OSError:
        pass
    return make_cover(config.site)


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


def _fetcher(output: Path, settings):
    from .read.fetch import Fetcher

    return Fetcher(output / STATE_DIR / "http", settings)


def _keep_images(article: Article, copies: list[tuple[Path, str]], fetcher, base_url: str | None,
                 notes: dict[str, list[str]]) -> tuple[Article, list[tuple[Path, str]]]:
    """The article with its remote images downloaded and checked (see ``read.images``)."""
    from .read.images import keep_remote_images

    kept = keep_remote_images(article, fetcher, base_url)
    if kept.notes:
        notes.setdefault(kept.article.id, []).extend(kept.notes)
    return kept.article, copies + kept.copies


class InputMemo:
    """What each URL input was last published from: ``.publisher/inputs.json``.

    Source URL → digest of the bytes it was read from (page, feed entry), the
    build identity (speech settings, site config, code) and the article id.
    A rerun whose input and identity are unchanged, and whose published files
    are all present, skips reading the page again (it was already answered
    with a 304): the article is unchanged by construction.  Articles published
    with a note (an image not kept) are not remembered, so the next run retries.
    """

    def __init__(self, output: Path, config: Config, manifest: Manifest) -> None:
        self.path = output / STATE_DIR / "inputs.json"
        self.output, self.manifest = output, manifest
        self.base = identity_base(config)  # the settings part, once per build (as for input files)
        try:
            self.records: dict[str, dict] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.records = {}
        self.pending: dict[str, dict] = {}

    def _identity(self, source: str) -> str:
        return source_identity(self.base, source)

    def known(self, source: str, digest: str) -> bool:
        record = self.records.get(source)
        if not isinstance(record, dict) or record.get("digest") != digest or record.get("build") != self._identity(source):
            return False
        entry = self.manifest.get(record.get("article_id"))
        return (entry is not None and _outputs_present(self.output, entry)
                and all((self.output / entry.slug / rel).is_file() for rel in record.get("images", [])))

    def entry(self, source: str) -> EpisodeEntry:
        return self.manifest.get(self.records[source]["article_id"])

    def read(self, source: str, digest: str | None, article_id: str, images: list[str]) -> None:
        if digest:
            self.pending[source] = {"digest": digest, "build": self._identity(source), "article_id": article_id,
                                    "images": images}

    def save(self, published_ids: set[str]) -> None:
        """Remember this run's inputs whose article is in the site with no note."""
        for source, record in self.pending.items():
            if record["article_id"] in published_ids and record["article_id"] in self.manifest:
                self.records[source] = record
            else:
                self.records.pop(source, None)
        if self.pending:
            _write_if_changed(self.path, (json.dumps(self.records, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _split_urls(inputs) -> tuple[list[str], list[Path]]:
    """URL strings go to the fetcher; everything else is a file or folder."""
    from .read.fetch import is_url

    urls = [str(i) for i in inputs if isinstance(i, str) and is_url(i)]
    paths = [Path(i) for i in inputs if not (isinstance(i, str) and is_url(i))]
    return urls, paths


def build(inputs: list[Path | str], output: Path, config: Config, *, jobs: int = 0,
          quiet: bool = False, verbose: bool = False, stream=None, offline: bool = False,
          fetch_settings=None, feeds: list[str] = (), feed_selection=None,
          scheduler: str | None = None, listen: str | None = None) -> BuildSummary:
    """Publish ``inputs`` (files, folders, page or feed URLs) and ``feeds`` (URLs that must be feeds).

    ``scheduler`` (else ``[build] scheduler``): run phase 2 on a Dask cluster
    (``tcp://host:port``, or ``local:N`` worker processes). ``listen`` ("on" or
    "strict"): check each published article's audio by speech recognition.
    """
    from .read.feed import FeedSelection

    feed_selection = feed_selection or FeedSelection()
    started = time.monotonic()
    stream = stream or sys.stderr
    summary = BuildSummary()
    urls, paths = _split_urls(inputs)
    files = collect_inputs(paths)
    output.mkdir(parents=True, exist_ok=True)
    if not os.access(output, os.W_OK):
        raise PublisherError("output folder is not writable; choose another with -o", str(output))
    _sweep_interrupted_writes(output)

    manifest = Manifest(output)
    try:
        _build_into(manifest, files, urls, feeds, feed_selection, output, config, summary, jobs=jobs, quiet=quiet,
                    verbose=verbose, stream=stream, offline=offline, fetch_settings=fetch_settings,
                    scheduler=scheduler, listen=listen)
    finally:
        manifest.close()
    if config.briefing.enabled:
        summary.briefing = _todays_briefing(output, config, stream, quiet)
    summary.results.sort(key=lambda r: r.source)
    summary.seconds = time.monotonic() - started
    return summary


@dataclass(frozen=True)
class _Unread:
    """An input file recognized as published unchanged without reading it."""
    entry: EpisodeEntry
    record: SourceRecord  # as it should now be stored (a touched file gets its new mtime)


def _recognize_unchanged(manifest: Manifest, output: Path, path: Path, stat, identity: str) -> _Unread | None:
    """The published episode of ``path`` when the file and its settings are as recorded, else None.

    Size and mtime (ns) equal to the record mean unchanged without opening the
    file; when they differ, equal bytes (the content hash, the final word) mean
    it was only touched.  An article that uses other files (local images) is
    always read, so that their changes are seen.
    """
    record = manifest.source(str(path.resolve()))
    if record is None or record.identity != identity or not record.standalone:
        return None
    if (record.size, record.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        if record.size != stat.st_size or _file_digest(path) != record.sha256:
            return None
        record = replace(record, mtime_ns=stat.st_mtime_ns)
    entry = manifest.get(record.article_id)
    if entry is None or entry.content_hash != record.content_hash or not _outputs_present(output, entry):
        return None
    return _Unread(entry, record)


def _build_into(manifest: Manifest, files: list[Path], urls: list[str], feeds, feed_selection, output: Path,
                config: Config, summary: BuildSummary, *, jobs: int, quiet: bool, verbose: bool, stream,
                offline: bool, fetch_settings, scheduler: str | None, listen: str | None) -> None:
    # Phase 1: read what changed (the read/model phase ends before anything is written).
    from .read import read_article
    from .read.web import read_url_input

    base = identity_base(config)
    articles: list[Article] = []
    images: dict[str, list[tuple[Path, str]]] = {}
    sources: dict[str, SourceRecord] = {}  # article id → its input file as read now
    unread: dict[str, _Unread] = {}  # article id → recognized without reading
    notes: dict[str, list[str]] = {}
    memo = InputMemo(output, config, manifest)
    fetcher = None if offline or not (urls or feeds or config.build.fetch_images) else \
        _fetcher(output, fetch_settings)
    try:
        for path in files:
            try:
                stat = path.stat()
                identity = source_identity(base, str(path))
                known = _recognize_unchanged(manifest, output, path, stat, identity)
                if known is not None and known.entry.article_id not in unread:
                    unread[known.entry.article_id] = known
                    continue
                digest = _file_digest(path)  # before reading: a later edit changes the mtime again
                article, copies = localize_images(read_article(path))
                if fetcher is not None and config.build.fetch_images:
                    article, copies = _keep_images(article, copies, fetcher, None, notes)
                images[article.id] = copies
                articles.append(article)
                sources[article.id] = SourceRecord(str(path.resolve()), stat.st_size, stat.st_mtime_ns, digest,
                                                   article.id, identity, "", _standalone(article, copies))
            except Exception as exc:  # noqa: BLE001 - a reader bug fails one file, not the batch
                summary.results.append(ArticleResult(str(path), "failed", error=error_line(exc)))
        for url, is_feed in [(u, False) for u in dict.fromkeys(urls)] + [(u, True) for u in dict.fromkeys(feeds)]:
            try:
                if fetcher is None:
                    raise PublisherError("is a URL, and --offline forbids fetching it", url)
                for read in read_url_input(url, fetcher, feed_selection, feed=is_feed, known=memo.known):
                    if read.error is not None:
                        summary.results.append(ArticleResult(read.source, "failed", error=error_line(read.error)))
                    elif read.unchanged:
                        entry = memo.entry(read.source)
                        summary.results.append(ArticleResult(read.source, "unchanged", entry.slug, entry.article_id,
                                                             entry.title))
                    else:
                        article, copies = _keep_images(read.article, [], fetcher, read.base_url, notes)
                        images[article.id] = copies
                        articles.append(article)
                        memo.read(read.source, read.input_digest, article.id, [rel for _, rel in copies])
            except Exception as exc:  # noqa: BLE001 - one bad URL fails alone
                summary.results.append(ArticleResult(url, "failed", error=error_line(exc)))
    finally:
        if fetcher is not None:
            fetcher.close()

    articles = _assign_slugs(articles, manifest)
    # Two inputs with the same identity would overwrite each other: the first wins.
    by_id: dict[str, Article] = {}
    for article in articles:
        first = by_id.get(article.id) or (unread[article.id].entry if article.id in unread else None)
        if first is not None:
            summary.results.append(ArticleResult(article.source or "", "failed", article.slug, article.id, article.title,
                                                 f"same article identity as {first.source}"))
        else:
            by_id[article.id] = article

    # Phase 2: publish changed articles.
    cache_dir = _cache_dir(output, config)
    now = build_time().isoformat()
    todo: list[PublishJob] = []
    progress = Progress(len(by_id) + len(unread), quiet, verbose, stream)
    recorded: list[SourceRecord] = [u.record for u in unread.values()]
    for known in unread.values():
        entry = known.entry
        result = ArticleResult(entry.source or known.record.path, "unchanged", entry.slug, entry.article_id, entry.title,
                               voices=tuple(entry.voices))
        summary.results.append(result)
        progress.article(result)
    # --listen=strict: what listeners have now stays theirs until the new version is heard,
    # so it is held before anything of the new version (its images first) is written.
    held_versions = PreviousVersions(output, _article_dir) if listen == "strict" else None
    for article in by_id.values():
        digest = content_hash(article, config)
        previous = manifest.get(article.id)
        unchanged = bool(previous) and previous.content_hash == digest and previous.slug == article.slug \
            and _outputs_present(output, previous)
        if held_versions is not None and previous is not None and not unchanged:
            held_versions.hold(previous)
        for source_file, relative in images.get(article.id, []):
            _copy_if_changed(source_file, _article_dir(output, article.slug) / relative)
        if unchanged:
            result = ArticleResult(article.source or "", "unchanged", article.slug, article.id, article.title,
                                   voices=tuple(previous.voices), notes=tuple(notes.get(article.id, ())))
            summary.results.append(result)
            progress.article(result)
            if article.id in sources:
                recorded.append(replace(sources[article.id], content_hash=digest))
            continue
        todo.append(PublishJob(article, digest, previous.first_published if previous else now))
    del articles  # the jobs hold the articles still to publish; the others can go

    workers = max(1, jobs or config.build.jobs or os.cpu_count() or 1)

    def result_of(outcome: Outcome) -> ArticleResult:
        article = outcome.job.article
        return ArticleResult(
            article.source or "", "published" if outcome.entry is not None else "failed", article.slug, article.id,
            article.title, outcome.error, outcome.synthesized, outcome.reused, round(outcome.seconds, 3),
            voices=tuple(outcome.entry.voices) if outcome.entry is not None else (),
            notes=tuple(notes.get(article.id, ())))

    scheduler = scheduler or config.build.scheduler
    # Absolute paths: a cluster's workers do not share this process's working folder.
    publish = functools.partial(_publish_job, config=config, output=output.resolve(), cache_dir=cache_dir.resolve())
    with held_versions or contextlib.nullcontext():
        outcomes = schedule.run(todo, config, cache_dir.resolve(), workers, publish, on_segments=progress.segments,
                                on_article=lambda outcome: progress.article(result_of(outcome)), scheduler=scheduler)
        if scheduler and todo:
            _sweep_interrupted_writes(output)  # a worker killed mid-write left its temporary file behind
        published: list[EpisodeEntry] = []
        for outcome in outcomes:
            summary.results.append(result_of(outcome))
            entry = outcome.entry
            if entry is not None:
                previous = manifest.get(entry.article_id)
                if previous and previous.slug != entry.slug:
                    _remove_article_folder(output, previous.slug)
                published.append(entry)
                if entry.article_id in sources:
                    recorded.append(replace(sources[entry.article_id], content_hash=entry.content_hash))
        manifest.put(*published)
        # Only records that differ are written: a no-change rebuild leaves the manifest file alone.
        changed = [r for r in recorded if manifest.source(r.path) != r]
        if changed:
            manifest.put_sources(changed)

        if listen:
            _listen_back(output, config, manifest, summary, held_versions=held_versions)

    # Phase 3: the site, from what is on disk.
    write_site(output, manifest, config)
    memo.save({r.article_id for r in summary.results if r.status != "failed" and not r.notes})
    # Recorded only when the build read something: `publisher edition` defaults to these.
    if summary.results:
        built = [r.article_id for r in summary.results if r.status != "failed" and r.article_id in manifest]
        _write_if_changed(latest_build_path(output), dump_latest_build(built).encode("utf-8"))


def _todays_briefing(output: Path, config: Config, stream, quiet: bool):
    """``[briefing] enabled``: (re)make today's briefing after the build; a day without stories is no failure."""
    from .briefing import NoStories, make_briefing

    try:
        result = make_briefing(output, config)
    except NoStories as exc:
        if not quiet:
            stream.write(f"briefing: {exc.message}\n")
        return None
    if not quiet:
        stream.write(f"briefing {result.status} {result.slug} ({result.stories} stories, "
                     f"{result.synthesized} synthesized, {result.reused} cached)\n")
    return result


def _listen_back(output: Path, config: Config, manifest: Manifest, summary: BuildSummary, *,
                 held_versions: PreviousVersions | None) -> None:
    """Listen to the articles this run published and mark each result.  Strict (``held_versions``
    given): a failing article goes back to the version it had before this build, or, new,
    out of the site (its folder and its manifest entry)."""
    from .listen.recognizer import load_recognizer
    from .listen.render import article_line
    from .listen.site import FAILED, listen_site

    published = {r.article_id: i for i, r in enumerate(summary.results) if r.status == "published"}
    if not published:
        return
    report = listen_site(output, config.listen, load_recognizer(config.listen.model),
                         entries=[manifest.get(article_id) for article_id in published if article_id in manifest])
    summary.listen = report
    for article in report.articles:
        index = published[article.article_id]
        result = replace(summary.results[index], listen=article_line(article))
        if held_versions is not None and article.status == FAILED:
            kept = held_versions.restore(article.article_id, article.slug)
            if kept is not None:
                manifest.put(kept)
                held = "; the previous version stays published"
            else:
                manifest.delete(article.article_id)
                _remove_article_folder(output, article.slug)
                held = ""
            result = replace(result, status="failed", error=f"listen-back: {article.reason}{held}")
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


def _assign_slugs(articles: list[Article], manifest: Manifest) -> list[Article]:
    """Unique slugs across this batch and what the output already holds.

    An article already published keeps its folder unless its title changed the
    slug it would get; other articles' slugs are taken into account so two
    articles never share a folder.
    """
    wanted = [(a.id, a.slug) for a in articles]
    batch_ids = {a.id for a in articles}
    existing = [(aid, slug) for aid, slug in manifest.slugs() if aid not in batch_ids]
    slugs = unique_slugs(existing + wanted)
    return [replace(a, slug=slugs[a.id]) for a in articles]


def _remove_article_folder(output: Path, slug: str) -> None:
    folder = _article_dir(output, slug)
    if folder.is_dir():
        shutil.rmtree(folder)


def remove_article(output: Path, key: str, config: Config) -> EpisodeEntry:
    """Take one article out of the site (by slug or article id): the explicit way to unpublish."""
    with Manifest(output, create=False) as manifest:
        match = [aid for aid, slug in manifest.slugs() if key in (slug, aid)]
        if not match:
            raise PublisherError(f"no published article with slug or id {key!r}", str(output))
        entry = manifest.get(match[0])
        manifest.delete(entry.article_id)
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
