"""A small news site on 127.0.0.1 for the feed and image tests (never the internet).

Every resource answers with an ETag derived from its body and honours
If-None-Match with a 304, so a test can tell conditional requests (``hits``)
from real downloads (``downloads``).  Tests change ``site.resources`` between
runs to edit a page.
"""
from __future__ import annotations

import hashlib
import io
import struct
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Resource:
    body: bytes
    ctype: str = "text/html; charset=utf-8"
    status: int = 200


@dataclass
class LocalSite:
    base: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)  # every request
    downloads: dict[str, int] = field(default_factory=dict)  # requests answered with a body

    def add(self, path: str, body: bytes | str, ctype: str = "text/html; charset=utf-8", status: int = 200) -> str:
        self.resources[path] = Resource(body.encode() if isinstance(body, str) else body, ctype, status)
        return self.base + path

    def reset_counts(self) -> None:
        self.hits.clear()
        self.downloads.clear()


def _handler(site: LocalSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do (every answer has a length)

        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path
            site.hits[path] = site.hits.get(path, 0) + 1
            res = site.resources.get(path)
            if res is None:
                res = Resource(b"not here", status=404)
            etag = '"' + hashlib.sha256(res.body).hexdigest()[:16] + '"'
            if res.status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            site.downloads[path] = site.downloads.get(path, 0) + 1
            self.send_response(res.status)
            self.send_header("Content-Type", res.ctype)
            self.send_header("Content-Length", str(len(res.body)))
            if res.status == 200:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(res.body)

    return Handler


class running_site:
    """Context manager: a LocalSite served on an ephemeral port of 127.0.0.1."""

    def __enter__(self) -> LocalSite:
        self.site = LocalSite()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self.site.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self.site

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- content the tests publish (our own text) -----------------------------------------------

def story_page(title: str, topic: str, *, figures: str = "", paragraphs: int = 4, extra: str = "",
               head: str = "") -> str:
    body = "".join(
        f"<p>Paragraph {i} of the story about {topic} says the council met again on a wet evening "
        f"and agreed, after a long debate, to look at the plans once more in the spring.</p>"
        for i in range(paragraphs))
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
            f"<body><article><h1>{title}</h1>{figures}{body}{extra}</article></body></html>")


def figure(src: str, alt: str, caption: str) -> str:
    return f"<figure><img src='{src}' alt='{alt}' width='640' height='480'><figcaption>{caption}</figcaption></figure>"


def png_bytes(width: int = 24, height: int = 16, colour=(200, 40, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that *declares* a huge size in a few bytes (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
