"""Shared fixtures: one real build of the shipped samples and the seed article.

The build uses the default engine (Piper with the voice from its PyPI package):
real MP3s, decoded back by the tests. It runs once per test session.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("PUBLISHER_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "article.txt"
INPUT = REPO / "input"


@pytest.fixture(scope="session")
def site_inputs(tmp_path_factory) -> Path:
    """input/ samples plus the seed article, in one folder."""
    folder = tmp_path_factory.mktemp("inputs") / "input"
    shutil.copytree(INPUT, folder)
    shutil.copy(SEED, folder / "seed-article.txt")
    return folder


@pytest.fixture(scope="session")
def built_site(site_inputs, tmp_path_factory) -> Path:
    """A real build (default engine) of the samples and the seed; returns the output folder."""
    from publisher.build import build
    from publisher.config import Config

    output = tmp_path_factory.mktemp("site")
    summary = build([site_inputs], output, Config(), jobs=2, quiet=True)
    assert not summary.failed, [f"{r.source}: {r.error}" for r in summary.failed]
    return output
