"""An edition: several published article EPUBs joined into one publication.

Each article keeps its own content document, style sheet, overlay and audio,
moved unchanged into a folder named by its slug (their links are relative, so
nothing inside them is rewritten); the edition adds one package document and
one navigation document whose table of contents lists the articles and, under
each, its sections.  The article EPUBs are the only input: an edition never
narrates or renders anything again.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from ...errors import PublisherError
from .container import zip_epub
from .content import CONTENT_NAME, TocEntry
from .nav import NAV_NAME, NavArticle, render_nav
from .package import PackageInfo, Part, render_package

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
PACKAGE_PATH = "OEBPS/package.opf"
EDITION_SUMMARY = ("Several articles, each as its full text with a synchronized human-speed narration "
                   "of every sentence; a table of contents of the articles and their sections. The "
                   "text alone, or the audio alone, carries every article.")


@dataclass(frozen=True)
class ArticleBook:
    """What an edition takes from one article's EPUB."""

    slug: str
    title: str
    language: str
    creator: str | None
    modified: datetime
    duration_ms: int  # the overlay's media:duration
    audio_name: str
    has_images: bool
    images_described: bool  # it claims alternativeText for its images
    images: tuple[tuple[str, str], ...]  # (name inside OEBPS/, media type)
    toc: tuple[TocEntry, ...]
    files: tuple[tuple[str, bytes], ...]  # (name inside OEBPS/, bytes): content, style, overlay, audio


def _clock_ms(value: str) -> int:
    hours, minutes, seconds = value.strip().split(":")
    return round(((int(hours) * 60 + int(minutes)) * 60 + float(seconds)) * 1000)


def _safe_member(href: str) -> str:
    name = posixpath.normpath(href)
    if href.startswith("/") or name.startswith("..") or "\\" in href or ":" in href:
        raise ValueError(f"manifest item {href!r} points outside the publication")
    return name


def read_article_book(path: Path, slug: str) -> ArticleBook:
    """Read back an article EPUB this package wrote; one-line :class:`PublisherError` if it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            opf = etree.fromstring(archive.read(PACKAGE_PATH))
            nav = etree.fromstring(archive.read(f"OEBPS/{NAV_NAME}"))
            items = [i for i in opf.iter(f"{OPF}item") if "nav" not in (i.get("properties") or "").split()]
            files = tuple((_safe_member(i.get("href")), archive.read("OEBPS/" + _safe_member(i.get("href"))))
                          for i in items)
        meta = {m.get("property"): m for m in opf.iter(f"{OPF}meta") if not m.get("refines")}
        modes = {m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "schema:accessMode"}
        features = {m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "schema:accessibilityFeature"}
        audio = next(i.get("href") for i in items if i.get("media-type") == "audio/mpeg")
        creator = opf.find(f".//{DC}creator")
        return ArticleBook(
            slug=slug,
            title=opf.findtext(f".//{DC}title") or slug,
            language=opf.findtext(f".//{DC}language") or "en",
            creator=creator.text if creator is not None else None,
            modified=datetime.fromisoformat(meta["dcterms:modified"].text.replace("Z", "+00:00")),
            duration_ms=_clock_ms(meta["media:duration"].text),
            audio_name=audio,
            has_images="visual" in modes,
            images_described="visual" not in modes or "alternativeText" in features,
            images=tuple((_safe_member(i.get("href")), i.get("media-type")) for i in items
                         if (i.get("media-type") or "").startswith("image/")),
            toc=_nav_sections(nav),
            files=files,
        )
    except FileNotFoundError:
        raise PublisherError("no e-book (rebuild the site to make one)", str(path)) from None
    except (OSError, zipfile.BadZipFile, KeyError, StopIteration, ValueError, etree.XMLSyntaxError) as exc:
        raise PublisherError(f"not an article e-book this publisher wrote ({type(exc).__name__}: {exc})",
                             str(path)) from None


def _nav_sections(nav) -> tuple[TocEntry, ...]:
    """The section entries under the article's one top-level toc entry."""
    toc = next(n for n in nav.iter(f"{XHTML}nav") if n.get(EPUB_TYPE) == "toc")
    links = toc.findall(f"{XHTML}ol/{XHTML}li/{XHTML}ol/{XHTML}li/{XHTML}a")
    return tuple(TocEntry(a.get("href").split("#", 1)[1], "".join(a.itertext()), 2) for a in links)


def edition_modified(books: tuple[ArticleBook, ...]) -> datetime:
    """The newest article's date: the edition changes exactly when one of its articles did."""
    return max(b.modified for b in books).astimezone(timezone.utc)


def build_edition(books: tuple[ArticleBook, ...], *, identifier: str, title: str, language: str,
                  modified: datetime) -> bytes:
    """The edition's bytes, articles in the order given; same inputs give the same bytes."""
    if not books:
        raise ValueError("an edition needs at least one article")
    parts, entries, files = [], [], {}
    for number, book in enumerate(books, 1):
        folder = f"{book.slug}/"
        parts.append(Part(key=f"a{number}-", folder=folder, audio_name=book.audio_name,
                          duration_ms=book.duration_ms, images=book.images))
        entries.append(NavArticle(folder + CONTENT_NAME, book.title, book.toc,
                                  book.language if book.language != language else None))
        files.update({f"OEBPS/{folder}{name}": data for name, data in book.files})
    creators = list(dict.fromkeys(b.creator for b in books if b.creator))
    info = PackageInfo(
        identifier=identifier, title=title, language=language,
        creator="; ".join(creators) if creators else None,
        modified=modified, has_images=any(b.has_images for b in books),
        images_described=all(b.images_described for b in books), summary=EDITION_SUMMARY,
        more_languages=tuple(b.language for b in books),
    )
    files[PACKAGE_PATH] = render_package(info, tuple(parts)).encode("utf-8")
    files[f"OEBPS/{NAV_NAME}"] = render_nav(title, language, tuple(entries)).encode("utf-8")
    return zip_epub(files, modified)

