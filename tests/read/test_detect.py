"""Format detection from content, binary sniffing, language guess, and read_article's refusals."""
from __future__ import annotations

import pytest

import publisher.read as read_pkg
from publisher.errors import InputError
from publisher.read import read_article, read_draft
from publisher.read.detect import binary_kind, detect_format, guess_language

STORY = "The council voted on Tuesday to extend the evening bus service to the northern estates."
PAGE = f"<!DOCTYPE html><html><head><title>Buses</title></head><body><article><h1>Buses</h1><p>{STORY}</p><p>{STORY}</p></article></body></html>"
MARKDOWN = f"---\ntitle: Buses\n---\n\n# Buses\n\n{STORY}\n\n## Fares\n\n{STORY}\n"
TEXT = f"Breaking News\n\nBuses Extended\n\n{STORY}\n\n{STORY}\n"


@pytest.mark.parametrize("content, name, fmt", [
    (PAGE, "a.html", "html"),
    (PAGE, "a.txt", "html"),  # a saved page with the wrong extension
    (PAGE, "a.md", "html"),
    (PAGE, "noext", "html"),
    ("<html lang=en><body><p>" + STORY + "</p></body></html>", "a.txt", "html"),
    ("\ufeff<!-- saved -->\n<!doctype html><p>" + STORY, "a.txt", "html"),
    ("<div><p>" + STORY + "</p><p>" + STORY + "</p></div>", "a.htm", "html"),
    (MARKDOWN, "a.md", "markdown"),
    (MARKDOWN, "a.txt", "markdown"),  # front matter and headings say Markdown
    (MARKDOWN, "noext", "markdown"),
    ("# Buses\n\n" + STORY + "\n\n## Fares\n\n![bus](b.jpg)\n", "a.txt", "markdown"),
    (f"Buses\n\n{STORY}\n", "a.md", "markdown"),  # the extension decides when content is neutral
    (TEXT, "a.txt", "text"),
    (TEXT, "noext", "text"),
    (TEXT, "a.html", "text"),  # no markup at all: not HTML whatever the name
    (f"Buses\n\n{STORY} See note [1] and item #4.\n", "a.txt", "text"),
    (f"Prices rose 3% <compared with> last year.\n\n{STORY}\n", "a.txt", "text"),
])
def test_detect_format(content, name, fmt):
    assert detect_format(content.encode(), name) == fmt


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n%\xe2\xe3", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
    (b"PK\x03\x04\x14\x00", "a ZIP archive (or a Word/OpenDocument file)"),
    (b"abc\x00def" * 10, "binary data"),
    (bytes(range(1, 32)) * 20, "binary data"),
    (STORY.encode(), None),
    (STORY.encode("utf-16"), None),  # a byte-order mark makes NUL bytes legitimate
    ("Café Reopens".encode("cp1252"), None),
])
def test_binary_kind(data, kind):
    assert binary_kind(data) == kind


@pytest.mark.parametrize("text, lang", [
    (STORY, "en"),
    ("Городской совет продлил вечерние маршруты автобусов.", "ru"),
    ("Міська рада продовжила вечірні маршрути автобусів, їх стало більше.", "uk"),
    ("Гарадскі савет падоўжыў вячэрнія маршруты аўтобусаў.", "be"),
    ("Το δημοτικό συμβούλιο επέκτεινε τα βραδινά δρομολόγια.", "el"),
    ("12345 !!! ...", "en"),
    ("Moscow (Москва) is big, the council said in English today.", "en"),  # a few Cyrillic words only
])
def test_guess_language(text, lang):
    assert guess_language(text) == lang


# -- read_article: format dispatch ----------------------------------------------------
def test_read_article_dispatches_on_content(tmp_path):
    md = tmp_path / "buses.txt"
    md.write_text(MARKDOWN, encoding="utf-8")
    article = read_article(md)
    assert article.title == "Buses"
    assert [s.heading for s in article.sections] == [None, "Fares"]
    assert article.source == str(md)

    text = tmp_path / "buses-text.md.txt"
    text.write_text(TEXT, encoding="utf-8")
    article = read_article(text)
    assert article.title == "Buses Extended"
    assert "Breaking News" not in article.body_text()


def test_read_article_reads_html(tmp_path):
    page = tmp_path / "buses.html"
    page.write_text(PAGE, encoding="utf-8")
    article = read_article(page)
    assert article.title == "Buses"
    assert STORY in article.body_text()


def test_read_draft_returns_the_readers_draft(tmp_path):
    path = tmp_path / "buses.txt"
    path.write_text(TEXT, encoding="utf-8")
    draft = read_draft(path)
    assert draft.identity == "file:buses"
    assert [b.kind for b in draft.blocks] == ["paragraph", "paragraph"]


# -- read_article: refusals, one line each ----------------------------------------------
@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "file is empty"),
    ("blank.txt", b" \n\r\n\t\n", "file is empty"),
    ("bom-only.md", b"\xef\xbb\xbf\n", "file is empty"),
    ("scan.pdf.txt", b"%PDF-1.4\n" + bytes(range(256)) * 8, "not a text article: this looks like a PDF document"),
    ("photo.txt", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8, "not a text article: this looks like a JPEG image"),
    ("noise.txt", bytes(range(256)) * 8, "not a text article: this looks like binary data"),
    ("chrome-only.txt", b"Accessibility links\n\nShare\n\nAdvertisement\n", "no article text found (0 paragraphs)"),
    ("title-only.md", b"---\ntitle: Only a title\n---\n", "no article text found (0 paragraphs)"),
    ("image-only.md", b"# Photos\n\n![a bus](bus.jpg)\n", "no article text found (0 paragraphs)"),
    ("bad-yaml.md", b"---\ntitle: [oops\n---\n\n" + STORY.encode(), "front matter is not valid YAML"),
])
def test_bad_input_is_one_input_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_article(path)
    assert str(err.value) == f"{path}: {message}" or str(err.value).startswith(f"{path}: {message}")
    assert "\n" not in str(err.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)


def test_size_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(read_pkg, "MAX_INPUT_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "huge.txt"
    path.write_bytes((STORY + "\n\n").encode() * (3 * 1024 * 1024 // 90))
    with pytest.raises(InputError) as err:
        read_article(path)
    assert str(err.value) == f"{path}: file is 3.0 MB; articles are limited to 2 MB"


def test_default_size_cap_is_five_megabytes():
    assert read_pkg.MAX_INPUT_BYTES == 5 * 1024 * 1024
