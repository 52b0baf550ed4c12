"""The harness itself can fail: a bad page gives axe violations and vnu errors, media is served with Range.

Without these, "zero violations" could also mean "axe never ran".
"""
from __future__ import annotations

import urllib.request

import pytest

import harness

pytestmark = pytest.mark.slow

BAD_PAGE = """<!DOCTYPE html>
<html><head><title></title></head>
<body><div><img src="pixel.png"><a href="#"></a><p style="color:#aaa;background:#fff">faint</p>
<div role="banner"></div><center>old</center></div></body></html>
"""


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-site")
    (root / "index.html").write_text(BAD_PAGE, encoding="utf-8")
    (root / "tone.bin").write_bytes(bytes(range(256)) * 40)
    return root


def test_axe_reports_a_bad_page(chromium_browser, bad_site):
    with harness.serve(bad_site) as base_url:
        audit = harness.audit_page(base_url + "index.html", chromium_browser)
    ids = {v["id"] for v in audit.violations}
    assert {"image-alt", "html-has-lang", "link-name", "color-contrast"} <= ids, ids
    assert "image-alt" in harness.describe_violations(audit.violations)


def test_vnu_reports_a_bad_page(bad_site):
    report = harness.run_vnu([bad_site / "index.html"])
    messages = " ".join(e["message"] for e in report.errors)
    assert "alt" in messages and "center" in messages, report.describe()


def test_serve_answers_range_requests(bad_site):
    with harness.serve(bad_site) as base_url:
        request = urllib.request.Request(base_url + "tone.bin", headers={"Range": "bytes=100-199"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 206
            assert response.headers["Content-Range"] == "bytes 100-199/10240"
            assert response.read() == bytes(range(100, 200))


def test_external_requests_are_blocked_and_recorded(chromium_browser, bad_site):
    (bad_site / "external.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title>'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head><body><main>x</main></body></html>',
        encoding="utf-8")
    recorder = harness.PageRecorder()
    with harness.serve(bad_site) as base_url:
        page = harness.new_page(chromium_browser, recorder)
        page.goto(base_url + "external.html")
        page.context.close()
    assert recorder.external_requests == ["https://cdn.example.com/x.css"]
