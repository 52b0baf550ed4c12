"""Images of fetched pages (and of file inputs when allowed) kept beside the page, checked first."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

from localsite import figure, png_bytes, png_header_only, running_site, story_page
from publisher.cli import main
from publisher.errors import InputError
from publisher.manifest import load_manifest
from publisher.read.images import ImageLimits, check_image, sniff_image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from site_audit import audit_html_file  # noqa: E402

PHOTO = png_bytes(24, 16)
SVG_WITH_SCRIPT = b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


@pytest.fixture()
def photo_site():
    with running_site() as site:
        site.add("/img/ferry.png", PHOTO, "image/png")
        site.add("/img/evil.svg", SVG_WITH_SCRIPT, "image/svg+xml")
        site.add("/img/fake.png", b"<html><body>not an image</body></html>", "image/png")
        site.add("/img/bomb.png", png_header_only(40_000, 40_000), "image/png")
        figures = "".join([
            figure("../img/ferry.png", "The ferry at the pier", "The ferry leaves at dawn."),
            figure("/img/ferry.png", "The ferry again", "The same photo twice."),
            figure("/img/evil.svg", "A drawn map", "The route."),
            figure("/img/missing.png", "The old pier", "The pier before the storm."),
            figure("/img/fake.png", "The quay", "The quay in winter."),
            figure("/img/bomb.png", "A huge panorama", "The whole bay."),
        ])
        site.add("/news/ferry.html", story_page("Ferry Returns", "the ferry", figures=figures))
        yield site


def _images(page: Path) -> list[tuple[str, str]]:
    root = lxml_html.fromstring(page.read_bytes())
    return [(img.get("src"), img.get("alt")) for img in root.iter("img")]


def test_page_images_are_downloaded_once_checked_and_used_locally(photo_site, tmp_path, capsys):
    out = tmp_path / "out"
    url = photo_site.base + "/news/ferry.html"
    assert main(["build", url, "-o", str(out), "--engine", "fake", "--quiet", "-j", "1"]) == 0
    err = capsys.readouterr().err
    (entry,) = load_manifest(out).values()
    page = out / entry.page_path
    images = _images(page)
    assert len(images) == 2 and images[0][0] == images[1][0]  # one local copy for the photo used twice
    src = images[0][0]
    assert src.startswith("images/") and src.endswith(".png")
    assert [alt for _, alt in images] == ["The ferry at the pier", "The ferry again"]  # alt policy kept
    assert (out / entry.slug / src).read_bytes() == PHOTO
    assert photo_site.downloads["/img/ferry.png"] == 1
    assert not list((out / entry.slug / "images").glob("*.svg"))
    text = page.read_text()
    for alt in ("A drawn map", "The old pier", "The quay", "A huge panorama"):
        assert f"Image not included in this edition: {alt}" in " ".join(text.split())
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert len(notes) == 4
    for path, why in [("/img/evil.svg", "SVG"), ("/img/missing.png", "HTTP 404"), ("/img/fake.png", "not an image"),
                      ("/img/bomb.png", "pixels")]:
        assert any(photo_site.base + path in n and why in n for n in notes), (path, notes)
    assert audit_html_file(page) == []

    photo_site.reset_counts()  # rerun: conditional requests only, nothing republished
    mtime = page.stat().st_mtime_ns
    assert main(["build", url, "-o", str(out), "--engine", "fake", "--quiet", "-j", "1"]) == 0
    assert photo_site.downloads.get("/img/ferry.png", 0) == 0 and photo_site.hits["/img/ferry.png"] == 1
    assert page.stat().st_mtime_ns == mtime

    photo_site.add("/img/ferry.png", png_bytes(24, 16, (10, 90, 200)), "image/png")  # the photo changes
    assert main(["build", url, "-o", str(out), "--engine", "fake", "--quiet", "-j", "1"]) == 0
    new_src = _images(page)[0][0]
    assert new_src != src and (out / entry.slug / new_src).read_bytes() != PHOTO


def _file_input(tmp_path: Path, base: str) -> Path:
    article = tmp_path / "in" / "harbour.md"
    article.parent.mkdir()
    article.write_text(
        "# Harbour Lights\n\n"
        + "\n\n".join(f"Paragraph {i}: the harbour lights were checked one by one after the winter storms."
                      for i in range(4))
        + f"\n\n![The lighthouse at dusk]({base}/img/ferry.png)\n")
    return article


def test_file_input_images_are_fetched_only_when_the_config_allows(photo_site, tmp_path):
    article = _file_input(tmp_path, photo_site.base)
    plain = tmp_path / "plain"
    assert main(["build", str(article), "-o", str(plain), "--engine", "fake", "--quiet", "-j", "1"]) == 0
    assert photo_site.hits == {}  # default: the build makes no request for a file input
    (entry,) = load_manifest(plain).values()
    assert _images(plain / entry.page_path) == []

    config = tmp_path / "publisher.toml"
    config.write_text("[build]\nfetch_images = true\n")
    offline = tmp_path / "offline"
    assert main(["build", str(article), "-o", str(offline), "-c", str(config), "--engine", "fake", "--quiet",
                 "-j", "1", "--offline"]) == 0
    assert photo_site.hits == {}  # --offline wins over the config

    allowed = tmp_path / "allowed"
    assert main(["build", str(article), "-o", str(allowed), "-c", str(config), "--engine", "fake", "--quiet",
                 "-j", "1"]) == 0
    (entry,) = load_manifest(allowed).values()
    ((src, alt),) = _images(allowed / entry.page_path)
    assert src.startswith("images/") and alt == "The lighthouse at dusk"
    assert (allowed / entry.slug / src).read_bytes() == PHOTO


def test_config_rejects_a_non_boolean_fetch_images(tmp_path, capsys):
    config = tmp_path / "publisher.toml"
    config.write_text("[build]\nfetch_images = 'yes'\n")
    assert main(["build", str(tmp_path), "-c", str(config), "-o", str(tmp_path / "o"), "--engine", "fake"]) == 2
    assert "fetch_images must be true or false" in capsys.readouterr().err


# -- the checks on the bytes ---------------------------------------------------------------------

def test_sniffing_reads_the_bytes_not_the_name():
    assert sniff_image(PHOTO) == "png"
    assert sniff_image(b"\xff\xd8\xff\xe0rest") == "jpg"
    assert sniff_image(b"GIF89a....") == "gif"
    assert sniff_image(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"
    assert sniff_image(b"<html>") is None


@pytest.mark.parametrize("data, problem", [
    (SVG_WITH_SCRIPT, "SVG"),
    (b"<!-- drawn --><svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    (b"%PDF-1.7 not an image", "not an image"),
    (png_header_only(50_000, 100), "pixels"),
    (PHOTO[: len(PHOTO) // 2], "cannot be decoded"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * 40, "cannot be decoded"),
])
def test_unsafe_or_broken_images_are_refused_with_a_reason(data, problem):
    with pytest.raises(InputError) as info:
        check_image(data, "http://images.test/x", ImageLimits())
    assert problem in info.value.message and info.value.path == "http://images.test/x"


def test_byte_limit_applies_before_decoding():
    with pytest.raises(InputError, match="larger than"):
        check_image(PHOTO, "http://images.test/x", ImageLimits(max_bytes=len(PHOTO) - 1))
    assert check_image(PHOTO, "http://images.test/x", ImageLimits(max_bytes=len(PHOTO))) == "png"
