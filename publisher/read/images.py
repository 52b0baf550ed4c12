"""Remote images of an article: downloaded once at build time, checked, kept beside the page.

An image is kept only when its bytes are a raster image we recognise (sniffed
from the bytes, never trusted from the URL or the Content-Type), within the
size limits, and — when Pillow is installed — decodable and within the pixel
limits.  SVG is refused: it is a document that can carry scripts and links.

The kept copy is named by its content (``images/<digest>.<ext>``): the page
changes, and the article republishes, exactly when the image does.  An image
that cannot be kept leaves its figure pointing at the original URL, which the
page shows as today's text box ("Image not included in this edition: …"), and
a note says why.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin

from ..errors import InputError
from ..model import Article, Figure, Section
from .fetch import Fetcher, Wanted

IMAGE_DIR = "images"


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000  # width × height: a decompression bomb is small on the wire
    max_side: int = 16_384


# What a figure's image request accepts; "application/octet-stream" because some
# servers label every file so: the bytes are sniffed either way.
IMAGE = Wanted("an image", "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9",
               ("image/", "application/octet-stream", "binary/octet-stream"))

_SVG = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.S | re.I)


def sniff_image(data: bytes) -> str | None:
    """The file extension the bytes are (png, jpg, gif, webp, avif), or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "avif"
    return None


def check_image(data: bytes, url: str, limits: ImageLimits = ImageLimits()) -> str:
    """The kept file's extension; InputError naming the URL and why the bytes are not kept."""
    if len(data) > limits.max_bytes:
        raise InputError(f"image is larger than the {limits.max_bytes} byte limit", url)
    if _SVG.match(data[:4096]):
        raise InputError("image is SVG, which can carry scripts; not kept", url)
    ext = sniff_image(data)
    if ext is None:
        raise InputError("not an image file (PNG, JPEG, GIF, WebP or AVIF)", url)
    try:
        from PIL import Image
    except ImportError:  # without Pillow the sniffed type and the byte limit are the checks
        return ext
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > limits.max_pixels or max(width, height) > limits.max_side:
                raise InputError(f"image is {width}×{height} pixels, over the limit", url)
            image.verify()  # reads the whole stream: truncated or corrupt files fail here
    except Image.DecompressionBombError:
        raise InputError("image has too many pixels (decompression bomb)", url) from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - Pillow raises many types on broken files
        raise InputError(f"image cannot be decoded ({type(exc).__name__})", url) from None
    return ext


@dataclass(frozen=True)
class KeptImages:
    article: Article
    copies: list[tuple[Path, str]]  # (checked bytes on disk, path relative to the article folder)
    notes: list[str]  # one line per image not kept, naming its URL and why


def keep_remote_images(article: Article, fetcher: Fetcher, base_url: str | None,
                       limits: ImageLimits = ImageLimits()) -> KeptImages:
    """Download each remote figure image once, check it, and point the figure at the local copy.

    ``base_url`` (the fetched page) resolves relative image links; without it
    only absolute http(s) images are fetched (a file input's relative images
    are :mod:`publisher.assets`'s).
    """
    wanted = replace(IMAGE, max_bytes=limits.max_bytes)
    kept: dict[str, str | None] = {}  # absolute URL -> relative path (None: not kept)
    copies: list[tuple[Path, str]] = []
    notes: list[str] = []
    sections: list[Section] = []
    for section in article.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Figure) and block.src:
                absolute = _absolute(block.src, base_url)
                if absolute:
                    if absolute not in kept:
                        kept[absolute] = _download(absolute, fetcher, wanted, limits, copies, notes)
                    block = replace(block, src=kept[absolute] or absolute)
            blocks.append(block)
        sections.append(replace(section, blocks=tuple(blocks)))
    return KeptImages(replace(article, sections=tuple(sections)), copies, notes)


def _absolute(src: str, base_url: str | None) -> str | None:
    if re.match(r"(?i)^https?://", src):
        return src
    if base_url and not re.match(r"(?i)^[a-z][a-z0-9+.-]*:", src):  # relative (no other scheme)
        return urljoin(base_url, src)
    return None


def _download(url: str, fetcher: Fetcher, wanted: Wanted, limits: ImageLimits,
              copies: list[tuple[Path, str]], notes: list[str]) -> str | None:
    try:
        fetched = fetcher.fetch(url, wanted)
        ext = check_image(fetched.body, url, limits)
    except InputError as exc:
        notes.append(f"image {url} not kept ({exc.message}); the page describes it in text")
        return None
    relative = f"{IMAGE_DIR}/{hashlib.sha256(fetched.body).hexdigest()[:20]}.{ext}"
    copies.append((fetched.body_path, relative))
    return relative
