"""What kind of file is this?  Format, binary-ness and script, from content.

The extension is only a hint: a ``.txt`` file holding a saved web page is
read as HTML, a ``.html`` file holding Markdown as Markdown.  Content signals
are scored; the extension breaks ties.
"""
from __future__ import annotations

import re
from typing import Literal

Format = Literal["html", "markdown", "text"]

# Only a prefix is inspected: enough to decide, bounded work on large files.
_SNIFF_BYTES = 65_536

_EXTENSION_HINTS: dict[str, Format] = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".txt": "text", ".text": "text",
}

# Magic numbers of files people drop into an input folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"ID3", "an MP3 file"),
    (b"RIFF", "a RIFF (WAV/WebP/AVI) file"),
    (b"OggS", "an Ogg file"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
)

_HTML_DOCUMENT = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_STRUCTURE = re.compile(r"<(?:head|body|article|main)[\s>]|<meta\s|<title>", re.I)
_HTML_TAG = re.compile(r"</?(?:p|div|span|a|h[1-6]|br|img|figure|section|ul|ol|li|table|em|strong|blockquote)(?:\s[^<>]*)?/?>", re.I)

_FRONT_MATTER = re.compile(r"^(?:\ufeff)?---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+\S", re.M)
_MD_SETEXT = re.compile(r"^\S.*\n(?:=+|-{3,})[ \t]*$", re.M)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]+\)")
_MD_LINK = re.compile(r"(?<!!)\[[^\]\n]+\]\([^)\n]+\)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*\*[^*\n]+\*\*(?![\w*])|(?<![\w_])__[^_\n]+__(?![\w_])")
_MD_FENCE = re.compile(r"^(?:```|~~~)", re.M)
_MD_QUOTE = re.compile(r"^>[ \t]?\S", re.M)
_MD_TABLE_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*$", re.M)


def binary_kind(data: bytes) -> str | None:
    """A description of ``data`` when it is not text (None when it is)."""
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return None  # a byte-order mark: text, even UTF-16 with its NUL bytes
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        return "binary data"
    return None


def _sniff_text(data: bytes) -> str:
    return data[:_SNIFF_BYTES].decode("utf-8", errors="replace").lstrip("\ufeff")


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.replace("\\", "/").rfind("/") else ""


def detect_format(data: bytes, name: str = "") -> Format:
    """``"html"``, ``"markdown"`` or ``"text"`` for one input file."""
    text = _sniff_text(data)
    hint = _EXTENSION_HINTS.get(_extension(name))

    if _HTML_DOCUMENT.match(text):
        return "html"
    html_tags = len(_HTML_TAG.findall(text))
    lines = max(text.count("\n"), 1)
    html_score = (3 if _HTML_STRUCTURE.search(text) else 0) + min(html_tags / max(lines / 4, 1), 3)

    md_score = 0.0
    if _FRONT_MATTER.match(text):
        md_score += 3
    md_score += min(len(_MD_HEADING.findall(text)), 3)
    md_score += min(len(_MD_SETEXT.findall(text)), 2) * 0.5
    md_score += min(len(_MD_IMAGE.findall(text)), 2)
    md_score += min(len(_MD_LINK.findall(text)), 3) * 0.5
    md_score += min(len(_MD_EMPHASIS.findall(text)), 2) * 0.5
    md_score += 1 if _MD_FENCE.search(text) else 0
    md_score += 0.5 if _MD_QUOTE.search(text) else 0
    md_score += 2 if _MD_TABLE_RULE.search(text) else 0

    if html_score >= 3 and html_score > md_score:
        return "html"
    if hint == "html" and html_score >= 1:
        return "html"
    if hint == "markdown":
        return "markdown"
    # A text dump needs strong evidence before being read as Markdown: a
    # stray "#" or "[1]" is common in plain text, front matter or headings
    # plus other Markdown marks are not.
    if md_score >= 3:
        return "markdown"
    if hint == "html" and md_score >= 1:
        return "markdown"
    return "text"


# -- language ------------------------------------------------------------------


def guess_language(text: str, default: str = "en") -> str:
    """The language ``text`` is written in, when nothing declares one (see :mod:`.language`)."""
    from .language import article_language

    return article_language(text, None, default)
