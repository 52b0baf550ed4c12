"""The auditors themselves: each leak they exist for is reported (so a clean
audit of the hostile site means something)."""
from __future__ import annotations

import pytest

from site_audit import audit_feed, audit_html_file, audit_vtt, url_scheme

CLEAN_HEAD = '<meta charset="utf-8"><link rel="stylesheet" href="../static/site.css">' \
             '<script src="../static/readalong.js" defer></script>'

LEAKS = {
    "inline script": "<script>alert(1)</script>",
    "foreign script": '<script src="https://evil.invalid/x.js"></script>',
    "handler": '<img src="a.jpg" alt="" onerror="alert(1)">',
    "javascript href": '<a href=" java&#x09;script:alert(1)">x</a>',
    "data src": '<img src="data:text/html,x" alt="">',
    "vbscript action": '<form action="vbscript:x"></form>',
    "iframe": '<iframe src="https://example.org/"></iframe>',
    "style element": "<style>p{}</style>",
    "style attribute": '<p style="color:red">x</p>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.invalid/">',
    "base": '<base href="https://evil.invalid/">',
    "object": '<object data="x.swf"></object>',
    "svg": "<svg><a>x</a></svg>",
    "unsafe cite": '<blockquote cite="javascript:x"><p>q</p></blockquote>',
}


@pytest.mark.parametrize("leak", sorted(LEAKS))
def test_page_audit_reports_each_leak(tmp_path, leak):
    page = tmp_path / "index.html"
    page.write_text(f"<!DOCTYPE html><html><head>{CLEAN_HEAD}</head><body>{LEAKS[leak]}</body></html>")
    assert audit_html_file(page), leak


def test_page_audit_accepts_the_projects_own_page(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(f'<!DOCTYPE html><html><head>{CLEAN_HEAD}</head><body><a href="https://example.org/">x</a>'
                    '<button type="button">Play</button></body></html>')
    assert audit_html_file(page) == []


def test_scheme_is_seen_through_obfuscation():
    assert url_scheme(" \tJaVa\nScript:alert(1)") == "javascript"
    assert url_scheme("/relative:path") is None and url_scheme("https://x") == "https"


def test_vtt_audit_reports_arrows_and_tags(tmp_path):
    vtt = tmp_path / "t.vtt"
    vtt.write_text("WEBVTT\n\ns-1\n00:00:00.000 --> 00:00:01.000\nA --> B\n\n"
                   "s-2\n00:00:01.000 --> 00:00:02.000\n<script>x</script>\n")
    assert len(audit_vtt(vtt)) == 2


def test_feed_audit_reports_broken_xml_and_html_in_descriptions(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss><channel><item><title>a ]]> b</title><![CDATA[ x ]]>]]></item></channel></rss>")
    assert audit_feed(feed)
    feed.write_text("<rss><channel><item><title>A</title>"
                    "<description><![CDATA[<p onclick='x()'>hi</p>]]></description></item></channel></rss>")
    assert audit_feed(feed, {"A"})
