"""Phase 2 on a real Dask cluster (publisher/cluster.py), with the fake engine:
`--scheduler local:2` and a running scheduler's address give the same bytes
and the same summary as the in-process build; a sentence two builds need at
once is synthesized once; a worker killed mid-build is survived; a missing
`distributed` or an unreachable scheduler is one line and exit 3."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import distributed  # the cluster extra, which scripts/run-tests.sh installs
import pytest

from batch_helpers import CACHE_PART, build_args, cli_process, contents, copy_inputs, snapshot, temp_files
from publisher import cluster as cluster_module
from publisher.build import build
from publisher.cli import EXIT_ENVIRONMENT, EXIT_OK, EXIT_USAGE, main
from publisher.config import BuildConfig, Config, SpeechConfig
from publisher.speech.engines.fake import DELAY_ENV

FAKE = Config(speech=SpeechConfig(engine="fake"))
SENTENCE_SECONDS = 0.1  # the workers' fake engine is slowed down so that builds are still running when we act


@pytest.fixture(autouse=True)
def _reproducible(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./publisher.toml
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # builds moments apart: same dates


@pytest.fixture(scope="module")
def slow_cluster():
    """Two single-threaded worker processes whose fake engine takes SENTENCE_SECONDS per sentence."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  env={DELAY_ENV: str(SENTENCE_SECONDS)}) as cluster, \
            distributed.Client(cluster) as client:
        yield cluster, client


def reference_build(tmp_path: Path, inputs: Path) -> dict[str, bytes]:
    output = tmp_path / "in-process"
    assert main(build_args(inputs, output, "-j", "1")) == EXIT_OK
    return contents(snapshot(output))


def same_tree(got: dict[str, bytes], want: dict[str, bytes]) -> list[str]:
    """Paths whose bytes differ, or that only one tree has."""
    return sorted(rel for rel in set(got) | set(want) if got.get(rel) != want.get(rel))


def _engine_calls() -> list:
    from publisher.speech.engines import get_engine

    return list(get_engine("fake").calls)


def _forget_engine_calls() -> None:
    from publisher.speech.engines import get_engine

    get_engine("fake").calls.clear()


def test_local_cluster_build_equals_the_in_process_build(tmp_path, capsys):
    inputs = copy_inputs(tmp_path / "inputs")
    want = reference_build(tmp_path, inputs)
    serial_report, dask_report = tmp_path / "serial.json", tmp_path / "dask.json"
    assert main(build_args(inputs, tmp_path / "again", "-j", "1", "--json", str(serial_report))) == EXIT_OK
    output = tmp_path / "dask"
    assert main(build_args(inputs, output, "--scheduler", "local:2", "--json", str(dask_report))) == EXIT_OK
    assert same_tree(contents(snapshot(output)), want) == []
    assert {p.suffix for p in (output / CACHE_PART).rglob("*.*")} == {".flac"}

    def comparable(report: Path) -> dict:
        summary = json.loads(report.read_text(encoding="utf-8"))
        summary.pop("seconds")
        for article in summary["articles"]:
            article.pop("seconds")
        return summary

    serial, dask = comparable(serial_report), comparable(dask_report)
    assert dask == serial and dask["segments_synthesized"] > 0 and dask["published"] == 3
    assert "3 published, 0 unchanged, 0 failed" in capsys.readouterr().err
    # A no-change rebuild recognizes everything without reaching for a cluster.
    assert main(build_args(inputs, output, "--scheduler", "tcp://127.0.0.1:9", "--json", str(dask_report))) == EXIT_OK
    assert json.loads(dask_report.read_text(encoding="utf-8"))["unchanged"] == 3


def test_two_builds_sharing_a_cache_and_a_cluster_speak_each_sentence_once(tmp_path, slow_cluster):
    cluster, client = slow_cluster
    client.run(_forget_engine_calls)
    inputs = copy_inputs(tmp_path / "inputs")
    want = reference_build(tmp_path, inputs)
    shared = replace(FAKE, build=BuildConfig(cache_dir=str(tmp_path / "shared-cache")))
    summaries: dict[str, object] = {}

    def one(name: str) -> None:
        summaries[name] = build([inputs], tmp_path / name, shared, quiet=True, scheduler=cluster.scheduler_address,
                                stream=open(os.devnull, "w"))

    threads = [threading.Thread(target=one, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    calls = [call for per_worker in client.run(_engine_calls).values() for call in per_worker]
    assert calls and len(calls) == len(set(calls))  # no sentence spoken twice, on either worker
    assert len(calls) == len(set((tmp_path / "shared-cache").rglob("*.flac")))
    for name in ("first", "second"):
        assert not summaries[name].failed
        assert same_tree(contents(snapshot(tmp_path / name)), want) == []


def test_a_worker_killed_mid_build_is_survived_with_the_same_bytes(tmp_path, slow_cluster):
    cluster, client = slow_cluster
    inputs = copy_inputs(tmp_path / "inputs")
    want = reference_build(tmp_path, inputs)
    output, report = tmp_path / "dask", tmp_path / "summary.json"
    before = client.run(os.getpid)
    victim = sorted(before.values())[0]
    process = cli_process(build_args(inputs, output, "--scheduler", cluster.scheduler_address, "--json", str(report)),
                          cwd=tmp_path)
    cached = output / CACHE_PART
    while process.poll() is None and len(list(cached.rglob("*.flac"))) < 4:
        time.sleep(0.05)
    assert process.poll() is None, "the build finished before a worker could be killed"
    os.kill(victim, signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == EXIT_OK, err.decode()
    assert same_tree(contents(snapshot(output)), want) == []
    assert temp_files(output) == []  # what the killed worker was writing was swept
    summary = json.loads(report.read_text(encoding="utf-8"))
    assert summary["published"] == 3 and summary["failed"] == 0
    client.wait_for_workers(2, timeout=60)
    after = client.run(os.getpid)
    assert victim not in after.values()  # really killed: the nanny started a new worker process


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_and_exit_3(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_SECONDS", 1.0)
    inputs = copy_inputs(tmp_path / "inputs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    assert main(build_args(inputs, tmp_path / "site", "--scheduler", address)) == EXIT_ENVIRONMENT
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach the Dask scheduler" in errors[0] and address in errors[0]
    assert not (tmp_path / "site" / "feed.xml").exists()  # nothing published


def test_without_distributed_installed_the_build_says_what_to_install(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` meets when it is absent
    inputs = copy_inputs(tmp_path / "inputs")
    assert main(build_args(inputs, tmp_path / "site", "--scheduler", "local:2")) == EXIT_ENVIRONMENT
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "publisher[cluster]" in errors[0]


@pytest.mark.parametrize("value", ["local:0", "local:two", "tcp://no spaces:1"])
def test_a_malformed_scheduler_is_a_usage_error(tmp_path, capsys, value):
    inputs = copy_inputs(tmp_path / "inputs")
    assert main(build_args(inputs, tmp_path / "site", "--scheduler", value)) == EXIT_USAGE
    Path("publisher.toml").write_text(f'[build]\nscheduler = "{value}"\n', encoding="utf-8")
    assert main(build_args(inputs, tmp_path / "site")) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.count("scheduler must be a Dask scheduler address") == 2 and "publisher.toml" in err
    shutil.rmtree(tmp_path / "site", ignore_errors=True)
