"""Phase 2 on a Dask cluster: ``--scheduler tcp://host:8786`` or ``--scheduler local:N``.

The build keeps its own schedule (:func:`publisher.schedule.run`): it plans
the segments, decides what to submit when and reports progress; Dask only
runs the tasks — on the workers of a running scheduler, or on a
``LocalCluster`` of N single-threaded worker processes started for this
build.  Every worker must see the cache folder and the output folder at the
same paths as this machine (shared storage), because tasks write there.

A worker that dies takes only the tasks it was running: the scheduler gives
them to another worker (up to ``distributed.scheduler.allowed-failures``
times), and a task that raises is retried ``RETRIES`` times.  Tasks are
idempotent (a segment rewrites the same cache entry, a publish the same
files, each by atomic rename), so running one twice is harmless.
"""
from __future__ import annotations

import os
import re
from concurrent.futures import Executor, Future
from contextlib import ExitStack, contextmanager
from typing import Iterator

from .errors import PublisherError
from .schedule import Pool, worker_init

RETRIES = 2
CONNECT_SECONDS = 5.0  # an address nobody answers at fails fast, with one line
WORKER_WAIT_SECONDS = 30.0  # a scheduler with no workers yet: how long to wait for the first one
LOCAL = re.compile(r"^local:(\d+)$")
INSTALL_HINT = "pip install 'publisher[cluster]'"
# The build's own settings that its tasks read from the environment: a remote
# worker was started elsewhere, so each task carries this machine's values.
BUILD_ENV = ("SOURCE_DATE_EPOCH",)
_worker_ready = False


def local_workers(address: str) -> int | None:
    """N for ``local:N``; None for the address of a running scheduler."""
    match = LOCAL.match(address.strip())
    return int(match.group(1)) if match else None


def build_env() -> dict[str, str | None]:
    """This process's values of ``BUILD_ENV`` (None: unset), for the tasks it sends."""
    return {name: os.environ.get(name) for name in BUILD_ENV}


def run_on_worker(fn, env: dict[str, str | None], *args):
    """Every task's entry point on a Dask worker: one compute thread per process (set up once),
    and the submitting build's ``env``, so a task's bytes do not depend on how its worker was started."""
    global _worker_ready
    if not _worker_ready:
        worker_init()
        _worker_ready = True
    for name, value in env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return fn(*args)


class DaskExecutor(Executor):
    """``submit(fn, *args, key=..., priority=...)`` onto a Dask client, as ``concurrent.futures`` futures."""

    def __init__(self, client) -> None:
        self._executor = client.get_executor(retries=RETRIES)
        self._env = build_env()

    def submit(self, fn, /, *args, key: str, priority: int = 0) -> Future:
        return self._executor.submit(run_on_worker, fn, self._env, *args, key=key, priority=priority)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)


def _distributed():
    try:
        import distributed
    except ImportError:
        raise PublisherError(f"--scheduler needs Dask's 'distributed' package, which is not installed ({INSTALL_HINT})") from None
    return distributed


@contextmanager
def dask_pool(address: str) -> Iterator[Pool]:
    """A :class:`Pool` on the cluster at ``address`` (``local:N`` starts one here); closed on exit."""
    distributed = _distributed()
    workers = local_workers(address)
    with ExitStack() as stack:
        if workers is not None:
            if workers < 1:
                raise PublisherError("local:N needs at least one worker", address)
            try:
                cluster = stack.enter_context(distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None))
            except Exception as exc:  # noqa: BLE001 - whatever stops it, the build cannot run here
                raise PublisherError(f"cannot start a local Dask cluster: {type(exc).__name__}: {exc}", address) from exc
            client = stack.enter_context(distributed.Client(cluster))
        else:
            try:
                client = stack.enter_context(distributed.Client(address, timeout=CONNECT_SECONDS))
            except (OSError, TimeoutError, ValueError) as exc:
                raise PublisherError(f"cannot reach the Dask scheduler ({_reason(exc)})", address) from None
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise PublisherError(f"the Dask scheduler has no workers (waited {WORKER_WAIT_SECONDS:.0f}s)", address) from exc
        threads = sum(client.nthreads().values())
        # Twice the cluster's threads in flight: each worker has its next task already, and the
        # rest stays here, where a ready article's publishing can still go ahead of it.
        yield Pool(DaskExecutor(client), slots=2 * max(1, threads), chunk=1, named=True)


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
