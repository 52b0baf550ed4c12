"""Package document: metadata (with schema.org accessibility), manifest, spine."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from .content import CONTENT_NAME, STYLE_NAME, ACTIVE_CLASS, text
from .nav import NAV_NAME
from .overlay import OVERLAY_NAME, media_duration

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


@dataclass(frozen=True)
class PackageInfo:
    identifier: str
    title: str
    language: str
    creator: str | None
    modified: datetime
    audio_name: str
    duration: float
    has_images: bool = False


def accessibility_meta(info: PackageInfo) -> list[str]:
    modes = ["textual", "auditory"] + (["visual"] if info.has_images else [])
    features = ["synchronizedAudioText", "structuralNavigation", "tableOfContents", "readingOrder",
                "displayTransformability"]
    summary = ("The full text of the article with a synchronized human-speed narration of every "
               "sentence; structured headings and a table of contents. The text alone, or the "
               "audio alone, carries the whole article.")
    lines = [f'<meta property="schema:accessMode">{m}</meta>' for m in modes]
    lines += ['<meta property="schema:accessModeSufficient">textual</meta>',
              '<meta property="schema:accessModeSufficient">auditory</meta>']
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += ['<meta property="schema:accessibilityHazard">none</meta>',
              f'<meta property="schema:accessibilitySummary">{escape(summary)}</meta>',
              f'<meta property="dcterms:conformsTo">{CONFORMANCE}</meta>']
    return lines


def render_package(info: PackageInfo) -> str:
    modified = info.modified.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    creator = f"<dc:creator>{text(info.creator)}</dc:creator>" if info.creator else ""
    meta = "\n    ".join(accessibility_meta(info))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="{escape(info.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="pub-id">{escape(info.identifier)}</dc:identifier>
    <dc:title>{text(info.title)}</dc:title>
    <dc:language>{escape(info.language)}</dc:language>
    {creator}
    <meta property="dcterms:modified">{modified}</meta>
    <meta property="media:duration">{media_duration(info.duration)}</meta>
    <meta property="media:duration" refines="#overlay">{media_duration(info.duration)}</meta>
    <meta property="media:active-class">{ACTIVE_CLASS}</meta>
    {meta}
  </metadata>
  <manifest>
    <item id="nav" href="{NAV_NAME}" media-type="application/xhtml+xml" properties="nav"/>
    <item id="content" href="{CONTENT_NAME}" media-type="application/xhtml+xml" media-overlay="overlay"/>
    <item id="style" href="{STYLE_NAME}" media-type="text/css"/>
    <item id="overlay" href="{OVERLAY_NAME}" media-type="application/smil+xml"/>
    <item id="audio" href="{escape(info.audio_name)}" media-type="audio/mpeg"/>
  </manifest>
  <spine>
    <itemref idref="content"/>
    <itemref idref="nav" linear="no"/>
  </spine>
</package>
"""
