"""Local images referenced by an article: copied next to its page, or dropped.

A relative image path in the input (``images/trolley.jpg`` in Markdown or a
saved page) is resolved against the input file's folder.  It is published only
when it is a real image file inside that folder; the copy goes under the
article's own folder, so neither side can escape its root.  A missing or
unsafe image keeps its figure and caption but loses the ``src`` (a page never
links to a file that is not there).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .model import Article, Figure, Section

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif"}
MAX_IMAGE_BYTES = 10 * 1024 * 1024


def _local_file(src: str, base: Path) -> tuple[Path, str] | None:
    """(file on disk, path relative to the article folder) for a safe local image."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    relative = PurePosixPath(unquote(parts.path))
    if relative.is_absolute() or ".." in relative.parts or relative.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    path = (base / Path(*relative.parts)).resolve()
    try:
        path.relative_to(base.resolve())
    except ValueError:  # a symlink pointing outside the input folder
        return None
    if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
        return None
    return path, relative.as_posix()


def localize_images(article: Article) -> tuple[Article, list[tuple[Path, str]]]:
    """Keep local images that exist (returning what to copy); drop the src of the others."""
    if not article.source:
        return article, []
    base = Path(article.source).parent
    copies: list[tuple[Path, str]] = []
    sections: list[Section] = []
    for section in article.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Figure) and block.src and not block.src.startswith(("http://", "https://")):
                found = _local_file(block.src, base)
                if found:
                    copies.append(found)
                    block = replace(block, src=found[1])
                else:
                    block = replace(block, src=None)
            blocks.append(block)
        sections.append(replace(section, blocks=tuple(blocks)))
    image = article.image
    if image and not image.startswith(("http://", "https://")):
        image = None  # the feed needs an absolute URL; a local lead image is shown in the body if at all
    return replace(article, sections=tuple(sections), image=image), copies
