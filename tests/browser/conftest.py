"""Browser tests: one Chromium for the whole session, one built fixture site served over loopback.

``harness`` and ``fixture_site`` live next to this file; ``tests/`` has no
``__init__.py``, so this folder is put on ``sys.path`` for them.  Other test
folders can do the same (see ``harness.py``'s docstring) to audit real builds.
Run ``scripts/install-test-tools.sh`` first (Chromium, Java, axe-core, vnu.jar).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import fixture_site  # noqa: E402
import harness  # noqa: E402


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> "fixture_site.BuiltSite":
    """The fixture article, its synthetic narration and the index, written to a temp folder."""
    return fixture_site.build_site(tmp_path_factory.mktemp("page-site"))


@pytest.fixture(scope="session")
def site_url(fixture_build) -> str:
    with harness.serve(fixture_build.root) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def chromium_browser():
    with harness.chromium() as browser:
        yield browser


@pytest.fixture
def recorder() -> "harness.PageRecorder":
    return harness.PageRecorder()


@pytest.fixture
def open_page(chromium_browser, recorder):
    """``open_page(url, **context_options)`` → a loaded page in a fresh context (closed after the test)."""
    contexts = []

    def opener(url: str, **context_options):
        page = harness.new_page(chromium_browser, recorder, **context_options)
        contexts.append(page.context)
        page.goto(url, wait_until="load")
        return page

    yield opener
    for context in contexts:
        context.close()
