"""Bytes → text for HTML pages, whatever their encoding.

Order of trust, as browsers do it, with one deliberate exception:

1. a byte-order mark;
2. bytes that decode as strict UTF-8 *and* hold non-ASCII text are UTF-8 even
   when the page declares otherwise (legacy single-byte text practically never
   forms valid multi-byte UTF-8 sequences, while mislabelled UTF-8 pages are
   common);
3. the declared charset (``<meta charset>``, ``http-equiv`` Content-Type, the
   XML declaration), if the bytes decode with it;
4. detection with charset-normalizer (pages that declare nothing, e.g.
   windows-1251 Cyrillic);
5. windows-1252 with replacement characters, so decoding never fails.
"""
from __future__ import annotations

import codecs
import re

# Only the head of a page is searched for a declaration (HTML requires it
# within the first 1024 bytes; real pages put it later, after long comments).
_DECLARATION_WINDOW = 16_384
# Detection looks at a prefix: enough text to decide, bounded work on huge pages.
_DETECTION_WINDOW = 262_144

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.I)

# WHATWG encoding-label mapping for the labels that matter: browsers read
# these labels as the wider windows code pages.
_BROWSER_ALIASES = {
    "iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
    "us-ascii": "windows-1252", "ascii": "windows-1252", "iso-8859-9": "windows-1254",
    "iso-8859-11": "windows-874", "tis-620": "windows-874", "x-sjis": "shift_jis",
    "gb2312": "gb18030", "gbk": "gb18030", "x-cp1251": "windows-1251", "utf8": "utf-8",
    "unicode": "utf-16le", "ks_c_5601-1987": "euc-kr",
}


def _codec(label: str | bytes | None) -> str | None:
    """A Python codec name for a declared label, or None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").lower()
    label = _BROWSER_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares in its first bytes, as a codec name."""
    head = data[:_DECLARATION_WINDOW]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return _codec(match.group(1)) if match else None


def _bom(data: bytes) -> tuple[str, int] | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data[:_DETECTION_WINDOW]).best()
    return _codec(best.encoding) if best is not None else None


def decode_html(data: bytes) -> str:
    """Decode an HTML page's bytes to text (see the module docstring)."""
    bom = _bom(data)
    if bom:
        codec, skip = bom
        return data[skip:].decode(codec, errors="replace")
    utf8 = _try(data, "utf-8")
    if utf8 is not None and not utf8.isascii():
        return utf8
    declared = declared_encoding(data)
    if declared and declared not in ("utf-16-le", "utf-16-be", "utf-16"):
        # A page that reached us as bytes in an ASCII-compatible form cannot
        # really be UTF-16 whatever it says (browsers apply the same rule).
        text = _try(data, declared)
        if text is not None:
            return text
    if utf8 is not None:  # pure ASCII
        return utf8
    detected = _detect(data)
    if detected:
        text = _try(data, detected)
        if text is not None:
            return text
        return data.decode(detected, errors="replace")
    return data.decode("windows-1252", errors="replace")
