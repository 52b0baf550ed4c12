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


# -- the page's own mojibake (UTF-8 once read as Windows-1252, stored that way) ------------

def _double_encoded(text: str) -> str:
    return text.encode("utf-8").decode("windows-1252", errors="replace")


HARBOUR = ("We’ve watched the harbour wall for thirty years — and it has never leaned like this, "
           "said the ferry’s captain as the tide turned under the pier at São Brás.")


def test_a_page_s_own_mojibake_is_repaired_in_body_headline_and_byline():
    broken = _double_encoded(HARBOUR)
    assert "â€™" in broken and "Ã£" in broken
    head = f"<meta name='author' content='{_double_encoded('Inês Okafor')}'>"
    page = _page(broken, head).replace("<article>", f"<article><h1>{_double_encoded('São Brás’ pier')}</h1>")
    draft = read_html(page.encode("utf-8"), "in/harbour.html")
    assert [b.text for b in draft.blocks if b.kind == "paragraph"][0] == HARBOUR
    assert draft.title == "São Brás’ pier"
    assert draft.byline == "Inês Okafor"


def test_a_non_breaking_space_read_twice_is_one_space_again():
    item = "2.\u00a0Myth: the tide tables are wrong"
    page = _page(PORTUGUESE).replace("<article>", f"<article><h2>{_double_encoded(item)}</h2>")
    headings = [b.text for b in read_html(page.encode("utf-8"), "in/myth.html").blocks if b.kind == "heading"]
    assert headings and "Â" not in headings[0] and headings[0].endswith("Myth: the tide tables are wrong")


@pytest.mark.parametrize("text", [
    "SÃO PAULO — A prefeitura anunciou a reforma da praça central, com novos bancos.",  # capitals, not mojibake
    PORTUGUESE, RUSSIAN, "Naïve café owners said “no” to the rates, at £5 a cup.",
])
def test_real_accented_text_is_left_alone(text):
    paragraphs = [b.text for b in read_html(_page(text).encode("utf-8"), "in/ok.html").blocks if b.kind == "paragraph"]
    assert paragraphs[0] == text


def test_plain_text_articles_are_repaired_too():
    from publisher.read import draft_from_bytes

    story = "\n\n".join([HARBOUR] * 3)
    data = f"Harbour wall leans\n\n{_double_encoded(story)}\n".encode("utf-8")
    draft = draft_from_bytes(data, "in/harbour.txt", "text")
    assert HARBOUR in [b.text for b in draft.blocks]


def test_the_page_scan_s_byte_look_misses_no_mojibake_pair():
    # The page-wide first look (UTF-8 bytes, for speed) must pass every pair the character
    # signature matches, or a damaged page would go unrepaired.
    from publisher.read import mojibake

    continuations = [chr(c) for c in range(0x80, 0x2200) if mojibake._SIGNATURE.match("\u00c3" + chr(c))]
    assert len(continuations) > 60
    for lead in map(chr, range(0xC2, 0xF5)):
        for cont in continuations:
            assert mojibake._may_hold_signature(f"<p>ok {lead}{cont} ok</p>"), (lead, cont)
    assert not mojibake._may_hold_signature("<p>São Paulo, naïve “quotes” — £5</p>")
