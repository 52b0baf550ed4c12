"""Package document: metadata (with schema.org accessibility), manifest, spine."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from .content import CONTENT_NAME, STYLE_NAME, ACTIVE_CLASS, text
from .nav import NAV_NAME
from .overlay import OVERLAY_NAME, media_duration

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


ARTICLE_SUMMARY = ("The full text of the article with a synchronized human-speed narration of every "
                   "sentence; structured headings and a table of contents. The text alone, or the "
                   "audio alone, carries the whole article.")


@dataclass(frozen=True)
class Part:
    """One content document with its style sheet, overlay and audio, all inside ``folder``.

    A single article is one part at the root (``folder=""``, ``key=""``); an
    edition holds one part per article, each in its own folder, so the
    article's relative links stay as they are.
    """

    key: str  # manifest id prefix, unique per part ("" or "a1-")
    folder: str  # "" or "<slug>/"
    audio_name: str  # relative to ``folder``
    duration_ms: int  # the overlay's media:duration
    images: tuple[tuple[str, str], ...] = ()  # (name relative to ``folder``, media type)


@dataclass(frozen=True)
class PackageInfo:
    identifier: str
    title: str
    language: str
    creator: str | None
    modified: datetime
    has_images: bool = False
    images_described: bool = True  # every image has an alt text or a describing caption
    summary: str = ARTICLE_SUMMARY
    more_languages: tuple[str, ...] = ()  # an edition's other article languages


def accessibility_meta(info: PackageInfo) -> list[str]:
    modes = ["textual", "auditory"] + (["visual"] if info.has_images else [])
    features = ["synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    if info.has_images and info.images_described:
        features.append("alternativeText")
    lines = [f'<meta property="schema:accessMode">{m}</meta>' for m in modes]
    lines += ['<meta property="schema:accessModeSufficient">textual</meta>',
              '<meta property="schema:accessModeSufficient">auditory</meta>']
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += ['<meta property="schema:accessibilityHazard">none</meta>',
              f'<meta property="schema:accessibilitySummary">{escape(info.summary)}</meta>',
              f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>']
    return lines


def _items(part: Part) -> list[str]:
    k, f = part.key, part.folder
    return [
        f'<item id="{k}content" href="{escape(f + CONTENT_NAME)}" media-type="application/xhtml+xml" media-overlay="{k}overlay"/>',
        f'<item id="{k}style" href="{escape(f + STYLE_NAME)}" media-type="text/css"/>',
        f'<item id="{k}overlay" href="{escape(f + OVERLAY_NAME)}" media-type="application/smil+xml"/>',
        f'<item id="{k}audio" href="{escape(f + part.audio_name)}" media-type="audio/mpeg"/>',
    ] + [f'<item id="{k}image-{n}" href="{escape(f + name)}" media-type="{media_type}"/>'
         for n, (name, media_type) in enumerate(part.images, 1)]


def render_package(info: PackageInfo, parts: tuple[Part, ...]) -> str:
    modified = info.modified.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    creator = f"<dc:creator>{text(info.creator)}</dc:creator>" if info.creator else ""
    languages = "\n    ".join(f"<dc:language>{escape(lang)}</dc:language>"
                              for lang in dict.fromkeys((info.language, *info.more_languages)))
    # The total is the sum of the overlays' own (rounded) values, so they add up exactly.
    durations = [f'<meta property="media:duration">{media_duration(sum(p.duration_ms for p in parts))}</meta>']
    durations += [f'<meta property="media:duration" refines="#{p.key}overlay">{media_duration(p.duration_ms)}</meta>'
                  for p in parts]
    meta = "\n    ".join(durations + accessibility_meta(info))
    items = "\n    ".join(item for part in parts for item in _items(part))
    spine = "\n    ".join(f'<itemref idref="{p.key}content"/>' for p in parts)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="{escape(info.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id">{escape(info.identifier)}</dc:identifier>
    <dc:title>{text(info.title)}</dc:title>
    {languages}
    {creator}
    <meta property="dcterms:modified">{modified}</meta>
    <meta property="media:active-class">{ACTIVE_CLASS}</meta>
    {meta}
  </metadata>
  <manifest>
    <item id="nav" href="{NAV_NAME}" media-type="application/xhtml+xml" properties="nav"/>
    {items}
  </manifest>
  <spine>
    {spine}
    <itemref idref="nav" linear="no"/>
  </spine>
</package>
"""
