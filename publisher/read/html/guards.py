"""Step 1: input guards (empty, binary, oversized pages) and the one parse."""
from __future__ import annotations

import re

from lxml import etree
import lxml.html

from ...errors import InputError
from ..chrome import xml_safe
from .dom import clean


# Bounded work: pages above this size are refused rather than parsed.
MAX_INPUT_BYTES = 16 * 1024 * 1024


_CONTROL_REFERENCE = re.compile(r"&#(0*([0-9]|[12][0-9]|3[01]|127)|x0*([0-9a-f]|1[0-9a-f]|7f));?", re.I)
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _check_bytes(data: bytes, path: str) -> None:
    if not data or not data.strip():
        raise InputError("empty file: no HTML to read", path)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"page too large ({len(data) // (1024 * 1024)} MiB; the limit is "
            f"{MAX_INPUT_BYTES // (1024 * 1024)} MiB)", path)
    head = data[:4096]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and (b"\x00" in head or _binary_share(head) > 0.1):
        raise InputError("not an HTML page: the file holds binary data", path)


def _binary_share(head: bytes) -> float:
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control / max(len(head), 1)


_ELEMENT_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*(?::[A-Za-z][A-Za-z0-9._-]*)?$")


def _html_parser() -> etree.HTMLParser:
    """lxml.html's parser, minus its per-element Python class lookup.

    ``lxml.html.HTMLParser`` picks each element's class in Python (forms and inputs get
    their own), once per element proxy: a few million calls over a page's reading, in our
    steps and in the extractor's. Every element here is a plain ``HtmlElement``, chosen in
    C; nothing in the reader or the extractor uses the form classes.
    """
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


def _parse(text: str, path: str) -> etree._Element:
    if "<" not in text or not re.search(r"<[a-zA-Z!]", text):
        raise InputError("no HTML markup found", path)
    # Control characters (and U+FFFE/U+FFFF) cannot live in an lxml tree; they
    # are never story text either.
    text = _XML_INCOMPATIBLE.sub(" ", text)
    # lxml refuses str input that carries an XML encoding declaration.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = lxml.html.document_fromstring(text, parser=_html_parser())
    except (etree.ParserError, ValueError, etree.XMLSyntaxError) as exc:
        raise InputError(f"cannot parse HTML ({clean(str(exc)) or 'empty document'})", path) from None
    if root is None:
        raise InputError("cannot parse HTML (empty document)", path)
    # "<scr<script>ipt>" parses as an element named "scr<script" that wraps the
    # rest of its paragraph: it is no element of any vocabulary, so its tag
    # goes and its text stays (as a browser shows it).
    # Checked once per distinct tag name, not once per element.
    bogus = [tag for tag in {el.tag for el in root.iter()} if isinstance(tag, str) and not _ELEMENT_NAME.match(tag)]
    if bogus:
        etree.strip_tags(root, *bogus)
    if _CONTROL_REFERENCE.search(text):
        # Numeric references (&#12;) put control characters into the tree,
        # where later edits and the extractor would choke on them.
        for el in root.iter():
            if el.text and _XML_INCOMPATIBLE.search(el.text):
                el.text = xml_safe(el.text)
            if el.tail and _XML_INCOMPATIBLE.search(el.tail):
                el.tail = xml_safe(el.tail)
    return root
