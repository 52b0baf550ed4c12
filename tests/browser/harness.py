"""Browser test harness: serve a built folder, drive Debian's Chromium, run axe-core, vnu and DAISY Ace.

Reusable from any test file.  ``tests/`` has no ``__init__.py``, so import it
by putting this folder on ``sys.path`` (``tests/browser/conftest.py`` does that
for tests in this folder; elsewhere)::

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
    import harness

    with harness.serve(output_dir) as base_url, harness.chromium() as browser:
        audit = harness.audit_page(f"{base_url}slug/index.html", browser)
        assert audit.violations == [], harness.describe_violations(audit.violations)
    assert harness.run_vnu([output_dir / "index.html"]).errors == []

Tools come from ``scripts/install-test-tools.sh``: /usr/bin/chromium, java, and
``.cache/node/node_modules/{axe-core,vnu-jar,@daisy/ace-cli}``.  Missing tools raise
:class:`ToolMissing` (a failing test, never a skip).  Environment overrides:
``PUBLISHER_CHROMIUM``, ``PUBLISHER_JAVA``, ``PUBLISHER_NODE_DIR``.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from publisher.serve import serving

REPO = Path(__file__).resolve().parents[2]
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
# The network is closed and tests must not depend on it: no background traffic, no updates.
CHROMIUM_ARGS = (
    "--no-sandbox",  # Chromium refuses to run its sandbox as root (CI containers)
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
    "--mute-audio",
)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


class ToolMissing(RuntimeError):
    """A browser-test tool is not installed: run scripts/install-test-tools.sh."""


def _node_dir() -> Path:
    return Path(os.environ.get("PUBLISHER_NODE_DIR", REPO / ".cache" / "node"))


def _require(path: Path, what: str) -> Path:
    if not path.is_file():
        raise ToolMissing(f"{what} not found at {path}: run scripts/install-test-tools.sh")
    return path


def chromium_path() -> Path:
    return _require(Path(os.environ.get("PUBLISHER_CHROMIUM", "/usr/bin/chromium")), "chromium")


def axe_script() -> Path:
    return _require(_node_dir() / "node_modules" / "axe-core" / "axe.min.js", "axe-core")


def vnu_jar() -> Path:
    return _require(_node_dir() / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar", "vnu.jar")


def ace_cli() -> Path:
    return _require(_node_dir() / "node_modules" / "@daisy" / "ace-cli" / "bin" / "ace.js", "DAISY Ace (@daisy/ace-cli)")


def java_path() -> str:
    java = os.environ.get("PUBLISHER_JAVA") or shutil.which("java")
    if not java:
        raise ToolMissing("java not found: run scripts/install-test-tools.sh")
    return java


# -- serving -----------------------------------------------------------------------------------

@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (random port, HTTP Range support); yields the base URL ending in "/"."""
    with serving(Path(folder), "127.0.0.1", 0) as base_url:
        yield base_url


# -- browser -----------------------------------------------------------------------------------

def launch_chromium(playwright):
    """One headless Debian Chromium (never Playwright's downloaded builds)."""
    return playwright.chromium.launch(
        executable_path=str(chromium_path()), headless=True, args=list(CHROMIUM_ARGS),
    )


@contextlib.contextmanager
def chromium():
    """A Playwright session plus one browser, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageRecorder:
    """What a page did beyond its own origin, and what went wrong while loading it."""

    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def new_page(browser, recorder: PageRecorder | None = None, **context_options):
    """A page in a fresh context that blocks (and records) every non-loopback request."""
    recorder = recorder if recorder is not None else PageRecorder()
    context = browser.new_context(**context_options)

    def route(route_obj):
        url = route_obj.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname not in LOOPBACK_HOSTS:
            recorder.external_requests.append(url)
            return route_obj.abort()
        return route_obj.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: recorder.page_errors.append(str(exc)))
    page.on("response", lambda r: r.status >= 400 and recorder.failed_requests.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: _note_failure(recorder, r))
    return page


def _note_failure(recorder: PageRecorder, request) -> None:
    # Media loads are cancelled on purpose when the element seeks or reloads; not a failure.
    if request.resource_type == "media" and "ERR_ABORTED" in (request.failure or ""):
        return
    recorder.failed_requests.append(f"{request.failure} {request.url}")


def run_axe(page, tags: Iterable[str] = AXE_TAGS) -> dict:
    """Inject axe-core into ``page`` and run it; returns axe's result (violations, incomplete, ...)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_script().read_text(encoding="utf-8"))
    return page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        list(tags),
    )


@dataclass
class PageAudit:
    url: str
    violations: list[dict]
    incomplete: list[dict]
    recorder: PageRecorder


def audit_page(url: str, browser=None, **context_options) -> PageAudit:
    """Load ``url`` and run axe-core with the WCAG 2.0-2.2 A/AA and best-practice tags.

    ``context_options`` go to ``browser.new_context`` (e.g. ``color_scheme="dark"``,
    ``viewport={"width": 320, "height": 640}``, ``java_script_enabled=False``).
    Without a ``browser`` one is launched for this call only.
    """
    if browser is None:
        with chromium() as own:
            return audit_page(url, own, **context_options)
    recorder = PageRecorder()
    page = new_page(browser, recorder, **context_options)
    try:
        page.goto(url, wait_until="load")
        result = run_axe(page)
    finally:
        page.context.close()
    return PageAudit(url, result["violations"], result.get("incomplete", []), recorder)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v.get('impact')}): {v['help']} -> {targets}")
    return "\n".join(lines)


# -- W3C Nu HTML checker -------------------------------------------------------------------------

@dataclass
class VnuReport:
    errors: list[dict]
    warnings: list[dict]

    def describe(self) -> str:
        return "\n".join(
            f"{Path(m.get('url', '')).name}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
            for m in self.errors + self.warnings
        )


def run_vnu(paths: Iterable[Path], css: bool = False) -> VnuReport:
    """Check files with vnu.jar (one JVM for all); ``css=True`` also checks .css files given."""
    files = [str(Path(p)) for p in paths]
    if not files:
        return VnuReport([], [])
    command = [java_path(), "-jar", str(vnu_jar()), "--format", "json", "--exit-zero-always"]
    if css:
        command.append("--also-check-css")
    proc = subprocess.run(command + files, capture_output=True, text=True, timeout=300)
    try:
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"vnu produced no JSON report: {proc.stderr[:500]}") from None
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    return VnuReport(errors, warnings)


# -- DAISY Ace (EPUB accessibility) -------------------------------------------------------------

@dataclass
class AceReport:
    """Ace's verdict on one EPUB: every failed assertion, and the accessibility metadata it saw."""

    outcome: str  # "pass" or "fail"
    violations: list[dict]  # {"rule", "impact", "location", "message"}
    metadata: dict  # Ace's "a11y-metadata": present / missing / empty property names
    documents: list[str]  # the XHTML documents Ace checked (empty means it checked nothing)

    def describe(self) -> str:
        return "\n".join(f"{v['rule']} ({v['impact']}) at {v['location']}: {v['message']}" for v in self.violations)


def run_ace(epub: Path, workdir: Path) -> AceReport:
    """Run Ace on ``epub`` with Debian's Chromium (Puppeteer never downloads one); reads report.json."""
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1", PUPPETEER_EXECUTABLE_PATH=str(chromium_path()))
    node = shutil.which("node")
    if not node:
        raise ToolMissing("node not found: run scripts/install-test-tools.sh")
    outdir = Path(workdir) / "ace-report"
    command = [node, str(ace_cli()), "--silent", "--force", "--outdir", str(outdir),
               "--tempdir", str(Path(workdir) / "ace-tmp"), str(epub)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    report_path = outdir / "report.json"
    if not report_path.is_file():
        raise RuntimeError(f"Ace wrote no report (exit {proc.returncode}): {(proc.stderr or proc.stdout)[-800:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    violations = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") == "fail":
                test = assertion.get("earl:test", {})
                violations.append({
                    "rule": test.get("dct:title"), "impact": test.get("earl:impact"),
                    "location": (result.get("earl:pointer") or {}).get("cfi") or document.get("earl:testSubject", {}).get("url"),
                    "message": result.get("dct:description"),
                })
    documents = sorted(d["earl:testSubject"]["url"] for d in report.get("assertions", [])
                       if d.get("earl:testSubject", {}).get("url", "").endswith(".xhtml"))
    return AceReport(report.get("earl:result", {}).get("earl:outcome", "fail"), violations,
                     report.get("a11y-metadata", {}), documents)
