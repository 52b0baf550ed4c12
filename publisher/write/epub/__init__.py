"""EPUB 3.3 with SMIL Media Overlays (issue 14): one per article, and editions of several.

Each part of the publication is its own small module — the content document
(:mod:`.content`), the navigation document (:mod:`.nav`), the overlay
(:mod:`.overlay`), the package document (:mod:`.package`) — and
:mod:`.container` serializes them into a reproducible zip at the end.
:mod:`.edition` joins published article EPUBs into one publication.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ...model import Article
from ...speech.types import Narration
from .container import zip_epub
from .content import CONTENT_NAME, ACTIVE_CLASS, STYLE_NAME, render_content, stylesheet
from .nav import NAV_NAME, NavArticle, render_nav
from .overlay import OVERLAY_NAME, overlay_clips, render_overlay
from .package import PackageInfo, Part, render_package

AUDIO_DIR = "audio"


def build_epub(article: Article, narration: Narration, audio: bytes, modified: datetime) -> bytes:
    """The EPUB's bytes; same inputs and ``modified`` give the same bytes."""
    content = render_content(article)
    audio_name = f"{AUDIO_DIR}/{Path(narration.episode_path).name}"
    clips = overlay_clips(narration, content.sentence_ids, content.note_ids)
    info = PackageInfo(
        identifier=f"urn:uuid:{article.id}",
        title=article.title,
        language=article.language,
        creator=article.byline,
        modified=modified,
        has_images=False,
    )
    part = Part(key="", folder="", audio_name=audio_name, duration_ms=round(narration.duration * 1000))
    nav = render_nav(article.title, article.language, (NavArticle(CONTENT_NAME, article.title, content.toc),))
    files = {
        "OEBPS/package.opf": render_package(info, (part,)).encode("utf-8"),
        f"OEBPS/{NAV_NAME}": nav.encode("utf-8"),
        f"OEBPS/{CONTENT_NAME}": content.xhtml.encode("utf-8"),
        f"OEBPS/{STYLE_NAME}": stylesheet().encode("utf-8"),
        f"OEBPS/{OVERLAY_NAME}": render_overlay(clips, audio_name).encode("utf-8"),
        f"OEBPS/{audio_name}": audio,
    }
    return zip_epub(files, modified)


def write_epub(article: Article, narration: Narration, folder: Path, modified: datetime) -> Path:
    from ...fsutil import atomic_write_bytes
    target = folder / f"{article.slug}.epub"
    audio = (folder / narration.episode_path).read_bytes()
    data = build_epub(article, narration, audio, modified)
    atomic_write_bytes(target, data)
    return target


__all__ = ["build_epub", "write_epub", "ACTIVE_CLASS"]
