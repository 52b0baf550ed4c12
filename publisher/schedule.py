"""Phase 2 of a build: speak and publish the changed articles on N processes.

Work is split at the grain that balances: **segments** (one sentence in one
voice), not articles.  Every distinct segment the batch lacks is synthesized
once, even when several articles share it, in small chunks spread over the
workers; as soon as all of an article's segments are in the cache, publishing
that article (loudness, MP3 encoding, page, transcript, chapters) is queued
ahead of the remaining synthesis.  So pages appear one by one during a long
batch, both cores stay busy to the end, and a kill -9 loses at most the chunks
in flight (everything synthesized is already in the cache).

With one job the same schedule runs in this process, one task at a time:
``-j 1`` uses one core and ``-j N`` gives identical bytes (engines run one
compute thread each, so a segment sounds the same wherever it is spoken).
With a Dask scheduler (``--scheduler``, see :mod:`publisher.cluster`) the
same tasks run on a cluster's workers, one segment per task, named by its
cache key.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .config import Config
from .errors import error_line
from .model import Article

CHUNK_SEGMENTS = 4  # per task: seconds of work with Piper, so queue overhead is noise


@dataclass(frozen=True)
class PublishJob:
    """One changed article and what its publication needs besides the article."""

    article: Article
    digest: str
    first_published: str


@dataclass(frozen=True)
class Outcome:
    """What phase 2 did for one article: a published entry or an error line."""

    job: PublishJob
    entry: object | None  # manifest.EpisodeEntry when published
    error: str | None
    synthesized: int  # segments synthesized for this article in this build (shared ones count once)
    reused: int  # segments found in the cache
    seconds: float = 0.0


# publish(job) → (manifest entry or None, error line or None, seconds, segments it had to synthesize itself)
PublishFn = Callable[[PublishJob], tuple[object | None, str | None, float, int]]


class InlineExecutor(Executor):
    """Runs each task at once, in this process (``-j 1``): the same schedule, no workers."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - delivered through the future, as a pool would
            future.set_exception(exc)
        return future


def one_compute_thread():
    """Limit native thread pools (OpenBLAS behind numpy/scipy, OpenMP) to one thread.

    Each worker is one of N processes on N cores.  Left alone, OpenBLAS starts
    a spin-waiting thread per core in every process: measured with the fake
    engine, ``-j 1`` then burnt 1.7 cores for a 4 % gain, and ``-j 2`` ran
    four busy threads on two cores (1.2× instead of 1.9×).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def worker_init() -> None:
    die_with_parent()
    os.environ["OMP_NUM_THREADS"] = "1"  # for libraries that read it when first loaded
    one_compute_thread()  # lasts for the worker's life


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """Have the kernel kill this worker when the build process dies (Linux).

    A pool's workers hold both ends of its task pipe, so after a kill -9 of
    the build they never see end-of-file: they would wait forever, keeping
    the build's stdout open (a caller reading it hangs) and its memory.
    """
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the build died before the request took effect
        os._exit(1)


@dataclass(frozen=True)
class Pool:
    """Where phase 2's tasks run, and how they are cut and named.

    ``slots``: tasks kept in flight (the rest wait here, so publishing can
    overtake queued synthesis); ``chunk``: segments per synthesis task.  A
    ``named`` pool (Dask) receives each task's name and priority: a synthesis
    task is named by its segment's cache key, so two builds sharing a cache
    and a cluster synthesize a sentence in flight in both only once.
    """

    executor: Executor
    slots: int
    chunk: int = CHUNK_SEGMENTS
    named: bool = False

    def submit(self, name: str, priority: int, fn, *args) -> Future:
        if self.named:
            return self.executor.submit(fn, *args, key=name, priority=priority)
        return self.executor.submit(fn, *args)


@contextmanager
def local_pool(workers: int, jobs: int, segments: int) -> Iterator[Pool]:
    """``workers`` processes on this machine, or this process alone when that is all the work needs."""
    executor: Executor
    if workers > 1 and (jobs > 1 or segments > CHUNK_SEGMENTS):
        executor = ProcessPoolExecutor(max_workers=workers, initializer=worker_init)
    else:
        executor = InlineExecutor()
    with executor:
        yield Pool(executor, slots=workers + 1)


def run(jobs: list[PublishJob], config: Config, cache_dir: Path, workers: int, publish: PublishFn,
        on_segments: Callable[[int, int], None] | None = None,
        on_article: Callable[[Outcome], None] | None = None, scheduler: str | None = None) -> list[Outcome]:
    """Speak every missing segment of ``jobs`` once, publish each article when its audio is ready.

    ``publish(job)`` runs in a worker (see ``PublishFn``): one of ``workers``
    local processes, or a worker of the Dask cluster at ``scheduler``.
    ``on_segments(done, total)`` reports synthesis progress; ``on_article``
    each finished article (in completion order).  Outcomes come back in the
    order of ``jobs``.
    """
    if not jobs:
        return []  # nothing changed: no pool, no cluster to start or reach
    plan = _Plan.make(jobs, config, cache_dir)
    if on_segments:
        on_segments(0, plan.total)
    if scheduler:
        from .cluster import dask_pool

        pool_context = dask_pool(scheduler)
    else:
        pool_context = local_pool(workers, len(jobs), plan.total)
    outcomes: dict[str, Outcome] = {}

    def finish(outcome: Outcome) -> None:
        outcomes[outcome.job.article.id] = outcome
        if on_article:
            on_article(outcome)

    cache_tag = hashlib.sha256(str(Path(cache_dir).resolve()).encode()).hexdigest()[:12]
    build_tag = uuid.uuid4().hex[:12]  # publishing writes this build's output: never shared with another build
    with pool_context as pool, one_compute_thread():
        from .speech.pipeline import synthesize_into_cache

        chunks = deque(plan.chunks(pool.chunk))
        running: dict[Future, tuple[str, object]] = {}
        ready = deque(plan.ready())  # articles whose audio is all cached already
        synthesized = 0
        for article_id, error in plan.failed.items():
            finish(plan.outcome(article_id, None, error))
        while ready or chunks or running:
            # Publishing first: it frees memory and shows progress; synthesis fills the rest.
            while ready and len(running) < pool.slots:
                job = ready.popleft()
                future = pool.submit(f"publish-{build_tag}-{job.article.id}", 1, publish, job)
                running[future] = ("publish", job)
            while chunks and len(running) < pool.slots:
                chunk = chunks.popleft()
                future = pool.submit(_speak_task_name(cache_tag, chunk), 0, synthesize_into_cache, chunk, cache_dir)
                running[future] = ("speak", chunk)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                kind, payload = running.pop(future)
                if kind == "publish":
                    entry, error, seconds, extra = _publish_result(future)
                    finish(plan.outcome(payload.article.id, entry, error, seconds, extra))
                    continue
                results = _speak_result(future, payload)
                synthesized += sum(1 for _, error in results if error is None)
                if on_segments:
                    on_segments(synthesized, plan.total)
                newly_ready, newly_failed = plan.segments_done(results)
                ready.extend(newly_ready)
                for article_id, error in newly_failed:
                    finish(plan.outcome(article_id, None, error))
    return [outcomes[job.article.id] for job in jobs]


def _speak_task_name(cache_tag: str, chunk: list) -> str:
    """A segment's cache key (and the cache it goes into); a chunk's: the digest of its keys."""
    keys = [seg.key for seg in chunk]
    name = keys[0] if len(keys) == 1 else hashlib.sha256(" ".join(keys).encode()).hexdigest()
    return f"segment-{cache_tag}-{name}"


def _publish_result(future: Future) -> tuple[object | None, str | None, float, int]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker that died fails its article only
        return None, error_line(exc), 0.0, 0


def _speak_result(future: Future, chunk) -> list[tuple[str, str | None]]:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS: its segments fail
        return [(seg.key, f"speech worker failed: {type(exc).__name__}: {exc}") for seg in chunk]


class _Plan:
    """Which segments each article still waits for, and who is credited with synthesizing them."""

    def __init__(self, jobs: dict[str, PublishJob]) -> None:
        self.jobs = jobs
        self.segments: dict[str, object] = {}  # key → Segment, missing from the cache, in article order
        self.waiting: dict[str, set[str]] = {}  # article id → keys not yet synthesized
        self.users: dict[str, list[str]] = {}  # key → article ids waiting for it
        self.credited: dict[str, int] = {}  # article id → segments it is the first to need
        self.key_count: dict[str, int] = {}  # article id → its distinct segments
        self.failed: dict[str, str] = {}  # article id → error line (planning failed)

    @classmethod
    def make(cls, jobs: list[PublishJob], config: Config, cache_dir: Path) -> "_Plan":
        from .cache import SegmentCache
        from .speech.pipeline import article_segments

        plan = cls({job.article.id: job for job in jobs})
        cache = SegmentCache(cache_dir)
        for job in jobs:
            article_id = job.article.id
            try:
                segments = article_segments(job.article, config)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
                plan.failed[article_id] = error_line(exc)
                continue
            plan.key_count[article_id] = len(segments)
            plan.waiting[article_id] = set()
            for seg in segments:
                if seg.key not in plan.segments:  # not yet planned by an earlier article
                    if seg.key in cache:
                        continue
                    plan.segments[seg.key] = seg
                    plan.credited[article_id] = plan.credited.get(article_id, 0) + 1
                plan.waiting[article_id].add(seg.key)
                plan.users.setdefault(seg.key, []).append(article_id)
        return plan

    @property
    def total(self) -> int:
        return len(self.segments)

    def chunks(self, size: int = CHUNK_SEGMENTS) -> list[list]:
        segments = list(self.segments.values())
        return [segments[i:i + size] for i in range(0, len(segments), size)]

    def ready(self) -> list[PublishJob]:
        return [self.jobs[aid] for aid, keys in self.waiting.items() if not keys]

    def segments_done(self, results: list[tuple[str, str | None]]) -> tuple[list[PublishJob], list[tuple[str, str]]]:
        ready, failed = [], []
        for key, error in results:
            for article_id in self.users.pop(key, []):
                keys = self.waiting.get(article_id)
                if keys is None:  # already failed on another segment
                    continue
                if error is not None:
                    del self.waiting[article_id]
                    failed.append((article_id, error))
                    continue
                keys.discard(key)
                if not keys:
                    ready.append(self.jobs[article_id])
        return ready, failed

    def outcome(self, article_id: str, entry, error: str | None, seconds: float = 0.0, extra: int = 0) -> Outcome:
        """``extra``: segments publishing had to synthesize itself (gone from the cache meanwhile)."""
        synthesized = self.credited.get(article_id, 0) + extra
        total = self.key_count.get(article_id, 0)
        return Outcome(job=self.jobs[article_id], entry=entry, error=error, synthesized=synthesized,
                       reused=max(0, total - synthesized), seconds=seconds)
