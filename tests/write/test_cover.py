"""Cover art: the generated title card, and validation of a user's own file."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from publisher.config import SiteConfig
from publisher.errors import ConfigError
from publisher.write.cover import BACKGROUND, FOREGROUND, make_cover, validate_cover


def relative_luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_generated_cover_is_a_square_rgb_png(tmp_path):
    data = make_cover(SiteConfig(title="The Harbour Ledger"))
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (1400, 1400))
    path = tmp_path / "cover.png"
    path.write_bytes(data)
    validate_cover(path)  # our own card passes our own validation


def foreground_pixels(site: SiteConfig) -> int:
    image = Image.open(io.BytesIO(make_cover(site)))
    return {colour: count for count, colour in image.getcolors(maxcolors=1 << 16)}.get(FOREGROUND, 0)


def test_title_and_author_are_drawn_in_the_foreground_colour():
    title_only = foreground_pixels(SiteConfig(title="Harbour", author=" "))
    assert title_only > 5000  # solid glyph pixels, not just antialiasing
    assert foreground_pixels(SiteConfig(title="Harbour", author="Ledger Desk")) > title_only


def test_text_and_background_contrast_exceeds_wcag_aaa():
    lighter, darker = sorted((relative_luminance(FOREGROUND), relative_luminance(BACKGROUND)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 7


def test_long_titles_wrap_inside_the_margins_and_sizes_scale():
    long_title = "An unusually long podcast title about tides, ferries, harbour dues and the town council"
    image = Image.open(io.BytesIO(make_cover(SiteConfig(title=long_title), size=2000)))
    assert image.size == (2000, 2000)
    text_pixels = Image.eval(image.convert("L"), lambda v: 255 if v > 200 else 0).getbbox()
    left, top, right, bottom = text_pixels
    assert left >= 2000 // 10 - 5 and right <= 2000 - 2000 // 10 + 5


def test_same_site_same_bytes_and_titles_differ():
    assert make_cover(SiteConfig(title="A")) == make_cover(SiteConfig(title="A"))
    assert make_cover(SiteConfig(title="A")) != make_cover(SiteConfig(title="B"))


def test_size_outside_apple_range_is_refused():
    with pytest.raises(ValueError):
        make_cover(SiteConfig(), size=1000)


@pytest.mark.parametrize("size, mode, fmt, message", [
    ((1400, 1200), "RGB", "PNG", "square"),
    ((1000, 1000), "RGB", "PNG", "1400–3000"),
    ((1400, 1400), "RGBA", "PNG", "RGB"),
    ((1400, 1400), "RGB", "GIF", "PNG or JPEG"),
])
def test_user_cover_validation(tmp_path, size, mode, fmt, message):
    path = tmp_path / f"cover.{fmt.lower()}"
    Image.new(mode, size, (10, 20, 30) if mode == "RGB" else (10, 20, 30, 255)).save(path, format=fmt)
    with pytest.raises(ConfigError, match=message) as caught:
        validate_cover(path)
    assert str(caught.value).startswith(str(path))


def test_user_cover_jpeg_passes_and_junk_fails(tmp_path):
    good = tmp_path / "art.jpg"
    Image.new("RGB", (1500, 1500), (200, 30, 30)).save(good, format="JPEG")
    validate_cover(good)
    junk = tmp_path / "art.png"
    junk.write_bytes(b"not an image")
    with pytest.raises(ConfigError, match="not a readable image"):
        validate_cover(junk)
    with pytest.raises(ConfigError, match="not found"):
        validate_cover(tmp_path / "missing.png")


def test_the_font_is_chosen_to_draw_every_character_of_the_title():
    from pathlib import Path

    from publisher.write.cover import SYSTEM_FONTS, _missing_glyphs, font_source

    title = "Café Ørsted: Новости гавани"
    assert _missing_glyphs(None, "Café") >= 1  # Pillow's bundled font is basic Latin only
    chosen = font_source(title)
    assert _missing_glyphs(chosen, title) <= _missing_glyphs(None, title)
    if any(Path(path).is_file() for path in SYSTEM_FONTS):
        assert _missing_glyphs(chosen, title) == 0
