"""URL inputs against a server on 127.0.0.1 that the test starts (never the internet)."""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publisher.cli import main
from publisher.read.fetch import FetchSettings, fetch_page
from publisher.errors import InputError

PAGE = ("<!doctype html><html lang='en'><head><title>River Bridge Reopens</title></head><body><article>"
        "<h1>River Bridge Reopens</h1>"
        + "".join(f"<p>Paragraph {i} says the bridge over the slow river opened again after repairs to its deck.</p>"
                  for i in range(4))
        + "</article></body></html>").encode()


class Handler(BaseHTTPRequestHandler):
    counts: dict[str, int] = {}
    conditional: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, body=b"", ctype="text/html; charset=utf-8", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.counts[self.path] = Handler.counts.get(self.path, 0) + 1
        if self.path == "/good.html":
            if self.headers.get("If-None-Match") == '"v1"':
                Handler.conditional.append(self.path)
                self.send_response(304)
                self.end_headers()
                return
            self._send(200, PAGE, extra=[("ETag", '"v1"')])
        elif self.path == "/moved":
            self._send(301, extra=[("Location", "/good.html")])
        elif self.path.startswith("/loop"):
            self._send(302, extra=[("Location", "/loop" + str(len(self.path)))])
        elif self.path == "/gone":
            self._send(404, b"no")
        elif self.path == "/broken":
            self._send(500, b"oops")
        elif self.path == "/slow":
            time.sleep(1.5)
            self._send(200, PAGE)
        elif self.path == "/huge":
            self._send(200, b"<p>" + b"x" * 200_000 + b"</p>")
        elif self.path == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n" + b"0" * 50, ctype="image/png")
        elif self.path == "/latin1":
            body = PAGE.replace(b"slow river", "Bj\u00f6rk river".encode("utf-8"))
            self._send(200, body, ctype="text/html; charset=iso-8859-1")
        else:
            self._send(404)


@pytest.fixture()
def server():
    Handler.counts, Handler.conditional = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


SMALL = FetchSettings(connect_timeout=0.5, read_timeout=0.5, max_bytes=100_000)


@pytest.mark.parametrize("path, problem", [
    ("/gone", "HTTP 404"),
    ("/broken", "HTTP 500"),
    ("/loop", "redirects"),
    ("/slow", "did not answer in time"),
    ("/huge", "larger than"),
    ("/image.png", "not an HTML page"),
])
def test_each_bad_url_fails_with_a_line_naming_it(server, tmp_path, path, problem):
    with pytest.raises(InputError) as info:
        fetch_page(server + path, tmp_path, SMALL)
    assert problem in str(info.value)


def test_redirect_is_followed_to_the_final_url(server, tmp_path):
    fetched = fetch_page(server + "/moved", tmp_path, SMALL)
    assert fetched.url == server + "/good.html"
    assert b"River Bridge" in fetched.body


def test_wrong_charset_header_still_reads_the_text(server, tmp_path):
    from publisher.read import read_url
    article = read_url(server + "/latin1", tmp_path, SMALL)
    assert "River Bridge Reopens" == article.title


def test_build_publishes_good_url_fails_bad_one_and_rerun_is_conditional(server, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", server + "/good.html", server + "/gone", "-o", str(out), "--engine", "fake", "--quiet"]
    assert main(args) == 1
    err = capsys.readouterr()
    text = err.out + err.err
    assert server + "/gone" in text and "404" in text
    pages = list(out.glob("*/index.html"))
    assert len(pages) == 1 and "River Bridge Reopens" in pages[0].read_text()
    assert list((out / ".publisher" / "http").glob("*.body"))
    before = Handler.counts["/good.html"]
    mtime = pages[0].stat().st_mtime_ns
    assert main(args) == 1
    assert Handler.counts["/good.html"] == before + 1
    assert Handler.conditional == ["/good.html"]
    assert pages[0].stat().st_mtime_ns == mtime  # nothing republished


def test_offline_refuses_urls_in_one_line(server, tmp_path, capsys):
    assert main(["build", server + "/good.html", "-o", str(tmp_path / "o"), "--engine", "fake", "--offline",
                 "--quiet"]) == 1
    err = capsys.readouterr()
    assert "--offline" in err.out + err.err
    assert Handler.counts == {}
