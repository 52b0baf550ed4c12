"""Podcast cover art: a generated title card, or a validated user file.

Apple wants a square JPEG or PNG, 1400–3000 px, RGB.  The generated card never
downloads a font: it uses DejaVu Sans Bold when the system has it (wide script
coverage, heavy strokes), else Pillow's bundled font
(``ImageFont.load_default(size=…)``, Pillow ≥ 10.1), which covers only basic
Latin — so for each title the first font that has every glyph wins.
Colours: near-white on deep navy, a contrast ratio far above WCAG's 7:1.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from ..config import SiteConfig
from ..errors import ConfigError

MIN_SIZE = 1400
MAX_SIZE = 3000
BACKGROUND = (16, 32, 64)
FOREGROUND = (250, 248, 240)
ACCENT = (242, 180, 65)
ALLOWED_FORMATS = ("PNG", "JPEG")


SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)
NOT_A_GLYPH = "\ue000"  # private use: every font draws its "missing glyph" box for it


def _load(source: str | None, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size) if source is None else ImageFont.truetype(source, size)


def _missing_glyphs(source: str | None, text: str) -> int:
    font = _load(source, 48)
    missing = font.getmask(NOT_A_GLYPH)
    tofu = (missing.size, bytes(missing))
    return sum(1 for ch in set(text) if not ch.isspace()
               and (font.getmask(ch).size, bytes(font.getmask(ch))) == tofu)


def font_source(text: str) -> str | None:
    """The font file for ``text`` (None = Pillow's bundled font): the first that draws every character."""
    candidates = [path for path in SYSTEM_FONTS if Path(path).is_file()][:1] + [None]
    return min(candidates, key=lambda source: _missing_glyphs(source, text))


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Greedy word wrap; a single over-long word gets a line of its own."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _fit(draw: ImageDraw.ImageDraw, text: str, width: int, height: int, largest: int):
    """The largest font size (step 4 %) at which ``text`` wraps into the box."""
    source = font_source(text)
    size = largest
    while True:
        font = _load(source, size)
        lines = _wrap(draw, text, font, width)
        line_height = round(size * 1.2)
        widest = max((draw.textlength(line, font=font) for line in lines), default=0)
        if (widest <= width and line_height * len(lines) <= height) or size <= 24:
            return font, lines, line_height
        size = max(24, int(size * 0.96))


def make_cover(site: SiteConfig, size: int = MIN_SIZE) -> bytes:
    """A square RGB PNG title card of ``size`` px."""
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"cover size must be {MIN_SIZE}–{MAX_SIZE} px (got {size})")
    image = Image.new("RGB", (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    margin = size // 10
    box_width = size - 2 * margin
    title = " ".join(site.title.split()) or "Podcast"
    font, lines, line_height = _fit(draw, title, box_width, int(size * 0.55), largest=size // 7)
    block_height = line_height * len(lines)
    top = (size - block_height) // 2 - size // 20
    for index, line in enumerate(lines):
        draw.text((margin, top + index * line_height), line, font=font, fill=FOREGROUND)
    bar_top = top + block_height + size // 30
    draw.rectangle((margin, bar_top, margin + size // 5, bar_top + max(8, size // 90)), fill=ACCENT)
    if site.author.strip():
        byline_font, byline_lines, byline_height = _fit(draw, site.author, box_width, size // 8, largest=size // 22)
        for index, line in enumerate(byline_lines):
            draw.text((margin, bar_top + size // 18 + index * byline_height), line, font=byline_font, fill=FOREGROUND)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def validate_cover(path: Path | str) -> None:
    """Raise ConfigError unless ``path`` is a square 1400–3000 px RGB JPEG or PNG."""
    path = Path(path)
    try:
        with Image.open(path) as image:
            fmt, mode, (width, height) = image.format, image.mode, image.size
    except FileNotFoundError:
        raise ConfigError("cover image not found", str(path)) from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ConfigError(f"cover is not a readable image ({exc.__class__.__name__})", str(path)) from None
    if fmt not in ALLOWED_FORMATS:
        raise ConfigError(f"cover must be PNG or JPEG (got {fmt})", str(path))
    if width != height:
        raise ConfigError(f"cover must be square (got {width}×{height})", str(path))
    if not MIN_SIZE <= width <= MAX_SIZE:
        raise ConfigError(f"cover must be {MIN_SIZE}–{MAX_SIZE} px wide (got {width})", str(path))
    if mode != "RGB":
        raise ConfigError(f"cover must be RGB without transparency (got mode {mode})", str(path))
