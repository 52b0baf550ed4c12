"""Mojibake repair: text that was UTF-8 once read as Windows-1252 ("Iâ€™d", "2.Â Myth")
put back ("I’d", "2. Myth") — the page's own damage, which a screen reader or a voice
would otherwise spell out letter by letter.

The decoding of a page is right (see :mod:`.encoding`); this is text the site itself
stored double-encoded (often as entity references, ``&acirc;&euro;&trade;``) and often in
some fields or paragraphs only.  It is repaired as decoded, before any reader step
collapses the no-break spaces that mojibake often hides in.  ftfy decides what is
mojibake (its "badness" heuristics leave real text such as "SÃO PAULO" alone) and
repairs only the encoding: quotes, ligatures, widths and line breaks stay as written.
"""
from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad
from lxml import etree

_ENCODING_ONLY = ftfy.TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, uncurl_quotes=False,
    fix_latin_ligatures=False, fix_character_width=False, fix_line_breaks=False,
    remove_control_chars=False, normalization=None, explain=False,
)
# A UTF-8 lead byte read as Windows-1252 (Â…ô) before a continuation byte read so (the
# C1 range's Windows-1252 letters, or U+00A0–U+00BF): a cheap first look, so that ftfy
# only ever sees text that may be damaged.
_SIGNATURE = re.compile("[\u00c2-\u00f4][\u00a0-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
                        "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122"
                        "\u0161\u203a\u0153\u017e\u0178\x80-\x9f]")
# _SIGNATURE's pairs as UTF-8 bytes, loosely: a lead (C3 82–C3 B4) before any character whose
# encoding starts C2–E2 (every continuation in _SIGNATURE does).  A whole page is scanned
# for it three times faster than for _SIGNATURE: a literal first byte lets the regex
# engine skip ahead, where a class of non-ASCII characters is tried at every position.
_SIGNATURE_BYTES = re.compile(rb"\xc3[\x82-\xb4][\xc2-\xe2]")
# The same lead characters written as entity references (``&acirc;``, ``&#195;``).
_ENTITY_LEAD = re.compile(r"&(?:#(?:19[4-9]|2[0-4]\d)|#x[c-f][0-9a-f]|[a-z]{1,2}(?:circ|tilde|grave|acute|uml|ring|lig"
                          r"|cedil|slash)|eth|thorn|szlig);", re.I)
# Attributes whose text reaches the article (metadata, figure descriptions).
_TEXT_ATTRIBUTES = ("content", "alt", "title")


def repair(text: str) -> str:
    """``text`` with its mojibake undone; unchanged when ftfy sees none."""
    if not text or not _SIGNATURE.search(text) or not is_bad(text):
        return text
    return ftfy.fix_text(text, _ENCODING_ONLY)


def _may_hold_signature(page: str) -> bool:
    return bool(_SIGNATURE_BYTES.search(page.encode("utf-8", "surrogatepass"))) and bool(_SIGNATURE.search(page))


def repair_tree(root: etree._Element, page: str) -> None:
    """Repair, in place, every text, tail and text-bearing attribute of ``root``, the parse
    of ``page``; a page with no sign of mojibake (most: one scan) is not walked."""
    if not (_may_hold_signature(page) or _ENTITY_LEAD.search(page)):
        return
    for node in root.iter():
        if node.text and not node.text.isascii():
            node.text = repair(node.text)
        if node.tail and not node.tail.isascii():
            node.tail = repair(node.tail)
        if not isinstance(node.tag, str):
            continue
        for name in _TEXT_ATTRIBUTES:
            value = node.get(name)
            if value and not value.isascii():
                node.set(name, repair(value))
