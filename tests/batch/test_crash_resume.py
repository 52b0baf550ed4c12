"""kill -9 a real `publisher build` at several points, run the same command
again: the output equals an uninterrupted build's, byte for byte, and no
temporary file is left behind.  Most kill points use the fake engine (fast);
two use the default, real engine, whose audio must be as reproducible."""
from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from batch_helpers import build_args, cli_process, contents, copy_inputs, snapshot, temp_files

POLL_SECONDS = 0.005
GIVE_UP_SECONDS = 120


def _wait_for(proc, condition) -> bool:
    """Poll until ``condition()``; False if the build finished first."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(POLL_SECONDS)
    raise AssertionError("build neither progressed nor finished")


def _files(output: Path, pattern: str) -> list[Path]:
    return list(output.glob(pattern)) if output.exists() else []


# Named moments of a build, each a condition on what is already on disk.
KILL_POINTS = {
    "first-file": lambda out: bool(_files(out, "**/*")),
    "first-cached-segment": lambda out: bool(_files(out, ".publisher/cache/*/*")),
    "first-section-mp3": lambda out: bool(_files(out, "*/sections/*.mp3")),
    "first-article-page": lambda out: bool(_files(out, "*/index.html")),
    "second-article-page": lambda out: len(_files(out, "*/index.html")) >= 2,
    "site-index": lambda out: (out / "index.html").exists(),
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    inputs = copy_inputs(root / "inputs")
    output = root / "reference"
    proc = cli_process(build_args(inputs, output, "-j", "1"), cwd=root)
    _, err = proc.communicate(timeout=GIVE_UP_SECONDS)
    assert proc.returncode == 0, err.decode()
    return root, inputs, contents(snapshot(output))


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_kill_then_rerun_equals_uninterrupted_build(reference, point):
    root, inputs, expected = reference
    output = root / f"killed-at-{point}"
    got = _killed_then_rerun(build_args(inputs, output, "-j", "1"), output, point, root)
    assert temp_files(output) == []
    assert sorted(got) == sorted(expected)
    assert [rel for rel in got if got[rel] != expected[rel]] == []


def _killed_then_rerun(args: list[str], output: Path, point: str, root: Path) -> dict[str, bytes]:
    """kill -9 the build at ``point``, run it again to the end; the output's contents."""
    proc = cli_process(args, cwd=root)
    reached = _wait_for(proc, lambda: KILL_POINTS[point](output))
    proc.send_signal(signal.SIGKILL)
    # Times out if the killed build's workers outlive it (they would hold its stdout open).
    proc.communicate(timeout=GIVE_UP_SECONDS)
    assert reached, f"the build finished before {point}: the kill point tests nothing"
    assert proc.returncode == -signal.SIGKILL
    again = cli_process(args, cwd=root)
    _, err = again.communicate(timeout=GIVE_UP_SECONDS)
    assert again.returncode == 0, err.decode()
    return contents(snapshot(output))


@pytest.fixture(scope="module")
def reference_default_engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume-real")
    inputs = copy_inputs(root / "inputs")
    output = root / "reference"
    proc = cli_process(build_args(inputs, output, "-j", "1", engine=None), cwd=root)
    _, err = proc.communicate(timeout=GIVE_UP_SECONDS)
    assert proc.returncode == 0, err.decode()
    return root, inputs, contents(snapshot(output))


@pytest.mark.slow
@pytest.mark.parametrize("point", ["first-cached-segment", "first-article-page"])
def test_kill_then_rerun_with_the_default_engine_equals_uninterrupted_build(reference_default_engine, point):
    """Real synthesis, killed and resumed with -j 2, against an uninterrupted -j 1 build."""
    root, inputs, expected = reference_default_engine
    output = root / f"killed-at-{point}"
    got = _killed_then_rerun(build_args(inputs, output, "-j", "2", engine=None), output, point, root)
    assert any(rel.endswith(".mp3") for rel in got)
    assert sorted(got) == sorted(expected)
    assert [rel for rel in got if got[rel] != expected[rel]] == []


def test_rerun_sweeps_a_killed_writers_temp_file(reference):
    """kill -9 between a temp file's creation and its rename leaves the temp
    file behind (atomic writes use ``.<name>.<random>.tmp`` in the same folder).
    The next build must not leave such debris in the published site."""
    root, inputs, expected = reference
    output = root / "stale-temp"
    args = build_args(inputs, output, "-j", "1")
    first = cli_process(args, cwd=root)
    first.communicate(timeout=GIVE_UP_SECONDS)
    article = next(p.parent for p in output.glob("*/index.html"))
    stale = [article / ".index.html.k1ll3d.tmp", output / ".feed.xml.k1ll3d.tmp"]
    for path in stale:
        path.write_bytes(b"<html><body>half a page")
    again = cli_process(args, cwd=root)
    _, err = again.communicate(timeout=GIVE_UP_SECONDS)
    assert again.returncode == 0, err.decode()
    assert temp_files(output) == []
