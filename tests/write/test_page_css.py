"""Colour contrast of both themes, measured from site.css's custom properties (WCAG 2.x formula)."""
from __future__ import annotations

import re

import pytest

from publisher.write.page import static_assets

CSS = static_assets()["site.css"].decode("utf-8")
TEXT_COLOURS = ("fg", "muted", "link", "visited")
BACKGROUNDS = ("bg", "surface")
UI_COLOURS = ("border", "focus")  # component boundaries and focus indicators


def _properties(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", block))


def themes() -> dict[str, dict[str, str]]:
    light = _properties(re.search(r"^:root\s*\{(.*?)\}", CSS, re.S | re.M).group(1))
    dark_block = re.search(r"@media \(prefers-color-scheme: dark\)\s*\{\s*:root\s*\{(.*?)\}", CSS, re.S).group(1)
    return {"light": light, "dark": {**light, **_properties(dark_block)}}


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_dark_theme_overrides_every_colour():
    t = themes()
    assert set(_properties(CSS.split("prefers-color-scheme: dark")[1].split("}")[0])) == set(t["light"])


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_contrast_at_least_4_5(theme):
    colours = themes()[theme]
    for text in TEXT_COLOURS:
        for background in BACKGROUNDS:
            assert contrast(colours[text], colours[background]) >= 4.5, (theme, text, background)
    assert contrast(colours["fg"], colours["spoken-bg"]) >= 4.5, (theme, "read-along highlight")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_ui_contrast_at_least_3(theme):
    colours = themes()[theme]
    for ui in UI_COLOURS:
        for background in BACKGROUNDS:
            assert contrast(colours[ui], colours[background]) >= 3.0, (theme, ui, background)
