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
from .content import CONTENT_NAME, ACTIVE_CLASS, STYLE_NAME, image_type, local_images, render_content, stylesheet
from .nav import NAV_NAME, NavArticle, render_nav
from .overlay import OVERLAY_NAME, overlay_clips, render_overlay
from .package import PackageInfo, Part, render_package

AUDIO_DIR = "audio"


def build_epub(article: Article, narration: Narration, audio: bytes, modified: datetime,
               images: dict[str, bytes] | None = None) -> bytes:
    """The EPUB's bytes; same inputs and ``modified`` give the same bytes.

    ``images`` are the article's local images (path relative to its folder → bytes);
    a figure whose image is not among them is written as the page writes a remote one.
    """
    images = images or {}
    content = render_content(article, frozenset(images))
    audio_name = f"{AUDIO_DIR}/{Path(narration.episode_path).name}"
    clips = overlay_clips(narration, content.sentence_ids, content.note_ids)
    info = PackageInfo(
        identifier=f"urn:uuid:{article.id}",
        title=article.title,
        language=article.language,
        creator=article.byline,
        modified=modified,
        has_images=bool(content.images),
        images_described=not content.undescribed_images,
    )
    part = Part(key="", folder="", audio_name=audio_name, duration_ms=round(narration.duration * 1000),
                images=tuple((name, image_type(name)) for name in content.images))
    nav = render_nav(article.title, article.language, (NavArticle(CONTENT_NAME, article.title, content.toc),))
    files = {
        "OEBPS/package.opf": render_package(info, (part,)).encode("utf-8"),
        f"OEBPS/{NAV_NAME}": nav.encode("utf-8"),
        f"OEBPS/{CONTENT_NAME}": content.xhtml.encode("utf-8"),
        f"OEBPS/{STYLE_NAME}": stylesheet().encode("utf-8"),
        f"OEBPS/{OVERLAY_NAME}": render_overlay(clips, audio_name).encode("utf-8"),
        f"OEBPS/{audio_name}": audio,
        **{f"OEBPS/{name}": images[name] for name in content.images},
    }
    return zip_epub(files, modified)


def write_epub(article: Article, narration: Narration, folder: Path, modified: datetime) -> Path:
    from ...fsutil import atomic_write_bytes
    target = folder / f"{article.slug}.epub"
    audio = (folder / narration.episode_path).read_bytes()
    # The images copied next to the page (assets.localize_images); a missing one stays out.
    images = {name: (folder / name).read_bytes() for name in local_images(article) if (folder / name).is_file()}
    data = build_epub(article, narration, audio, modified, images)
    atomic_write_bytes(target, data)
    return target


__all__ = ["build_epub", "write_epub", "ACTIVE_CLASS"]
