"""Decoding HTML bytes: declared, undeclared and mislabelled encodings."""
from __future__ import annotations

import pytest

from publisher.read.encoding import decode_html, declared_encoding
from publisher.read.html import read_html
from publisher.segment import build_article

RUSSIAN = ("Городской совет утвердил план реконструкции старой мельницы на берегу залива. "
           "Работы начнутся весной и продлятся около трёх лет, сообщили в администрации.")
PORTUGUESE = "A prefeitura anunciou a reforma da praça central, com novos bancos e iluminação."


def _page(text: str, head: str = "") -> str:
    paras = "".join(f"<p>{text}</p>" for _ in range(4))
    return f"<html><head>{head}<title>t</title></head><body><article>{paras}</article></body></html>"


@pytest.mark.parametrize("data, expected", [
    (_page(RUSSIAN).encode("windows-1251"), RUSSIAN),  # undeclared Cyrillic
    (_page(RUSSIAN, '<meta charset="windows-1251">').encode("windows-1251"), RUSSIAN),
    (_page(RUSSIAN, '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">').encode("koi8-r"),
     RUSSIAN),
    (_page(PORTUGUESE, '<meta charset="iso-8859-1">').encode("latin-1"), PORTUGUESE),
    (_page(PORTUGUESE, "<meta charset='windows-1252'>").encode("utf-8"), PORTUGUESE),  # mislabelled UTF-8
    (b"\xef\xbb\xbf" + _page(PORTUGUESE).encode("utf-8"), PORTUGUESE),  # UTF-8 BOM
    (_page(RUSSIAN).encode("utf-16"), RUSSIAN),  # UTF-16 with BOM
    (_page(PORTUGUESE).encode("utf-8"), PORTUGUESE),  # undeclared UTF-8
])
def test_decode_html(data, expected):
    assert expected in decode_html(data)


@pytest.mark.parametrize("head, codec", [
    (b'<meta charset="UTF-8">', "utf-8"),
    (b'<meta http-equiv="content-type" content="text/html;charset=ISO-8859-1">', "cp1252"),
    (b"<?xml version='1.0' encoding='windows-1251'?>", "cp1251"),
    (b"<meta charset=bogus-charset>", None),
    (b"<title>none</title>", None),
])
def test_declared_encoding(head, codec):
    assert declared_encoding(head + b"<html></html>") == codec


def test_undeclared_windows_1251_page_reads_as_russian():
    draft = read_html(_page(RUSSIAN).encode("windows-1251"), "ru.html")
    assert RUSSIAN in build_article(draft).body_text()


def test_undecodable_bytes_never_raise():
    text = decode_html(b"<html><body><p>caf\xe9 \x81\x8d\x8f na\xefve</p></body></html>")
    assert "caf" in text and "ve" in text


@pytest.mark.parametrize("source, shown", [
    # A CMS that escapes its titles twice leaves entity references in the parsed text.
    ("What&amp;#8217;s new at the ferry slip", "What’s new at the ferry slip"),
    ("Boats &amp;amp; bridges: the harbour plan", "Boats & bridges: the harbour plan"),
    ("And finally&amp;amp;#8230; the ferry", "And finally… the ferry"),
    ("Harbour R&amp;D spending", "Harbour R&D spending"),  # once escaped: as written
])
def test_title_and_authors_escaped_twice_read_as_text(source, shown):
    para = "<p>" + "The harbour board met on Tuesday to decide the future of the old ferry slip. " * 3 + "</p>"
    page = (f"<html lang='en'><head><meta property='og:title' content='{source}'>"
            f"<meta name='author' content='Ines Okafor &amp;amp; Tomas Berg'></head><body><article>"
            + para * 4 + "</article></body></html>").encode()
    draft = read_html(page, "in/ferry.html")
    assert draft.title == shown
    assert draft.byline == "Ines Okafor & Tomas Berg"


def test_site_name_after_an_escaped_dash_is_still_stripped():
    para = "<p>" + "The harbour board met on Tuesday to decide the future of the old ferry slip. " * 3 + "</p>"
    page = ("<html lang='en'><head><meta property='og:site_name' content='Harbour Gazette'>"
            "<meta property='og:title' content='Ferry slip to reopen in spring &amp;#8211; Harbour Gazette'>"
            "</head><body><article>" + para * 4 + "</article></body></html>").encode()
    assert read_html(page, "in/ferry.html").title == "Ferry slip to reopen in spring"
