"""The alt-text policy, applied to every figure whatever its input format.

* a meaningful ``alt`` from the source is kept ("source-alt"), cleaned of the junk
  templates leave in it ("[object Object]", "200x200");
* an alt that is a file or class name ("garmin-forerunner-970-review-home",
  "Running_motivation_thumb") or a generic word ("logo") is no description;
* when the caption describes the image, alt is empty and the caption carries
  the description ("caption-describes") — a screen reader never hears the same
  words twice;
* when neither exists we say so ("no-description") instead of inventing words.
"""
from __future__ import annotations

import re
from pathlib import PurePosixPath

_GENERIC = {
    "", "image", "img", "photo", "photograph", "picture", "pic", "graphic", "figure",
    "thumbnail", "placeholder", "untitled", "null", "undefined", "logo", "icon", "banner",
    "foto", "imagem", "изображение", "фото",
}
# Where a template put the image, not what it shows: "Main image", "Featured photo".
_PLACEMENT = {"main", "featured", "feature", "hero", "header", "post", "blog", "article", "cover", "default",
              "lead", "top", "inline", "content"}
_FILE_NAME = re.compile(r"^[\w\-. ]+\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)
# One token of three or more parts joined by "-" or "_": a slug, not words ("COVID-19" and
# "Jean-Pierre" have one joint and stay).
_SLUG = re.compile(r"^[\w%]+(?:[-_][\w%]+){2,}$")
# What templates leave in an alt: a serialized script object, image dimensions.
_JUNK = re.compile(r"\[object \w+\]|\bundefined\b|\b\d{2,4} ?[x×] ?\d{2,4}\b")


def _clean_alt(alt: str) -> str:
    text = _JUNK.sub(" ", alt)
    text = re.sub(r"\s+([,;:.])", r"\1", " ".join(text.split()))
    return re.sub(r"(^[,;:\s]+|[,;:\s]+$)", "", text)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _names_a_place_only(words: str) -> bool:
    """A generic word with only a placement before it ("main image", "featured photo")."""
    *place, last = words.split() or [""]
    return bool(place) and last in _GENERIC and all(w in _PLACEMENT for w in place)


def is_meaningful_alt(alt: str | None, caption: str | None, src: str | None = None) -> bool:
    if alt is None:
        return False
    text = _clean_alt(alt)
    words = _words(text)
    if words in _GENERIC or _names_a_place_only(words) or _FILE_NAME.match(text) or _SLUG.match(text):
        return False
    if src and words == _words(PurePosixPath(src.split("?")[0]).stem):
        return False
    if caption:
        c = _words(caption)
        # The same words as the caption (or a prefix of it) add nothing.
        if words == c or (len(words) > 20 and c.startswith(words)) or (len(c) > 20 and words.startswith(c)):
            return False
    return len(words) > 0


def choose_alt(alt: str | None, caption: str | None, src: str | None = None) -> tuple[str, str]:
    """Return ``(alt, alt_reason)`` for one figure."""
    if is_meaningful_alt(alt, caption, src):
        return _clean_alt(alt), "source-alt"  # type: ignore[arg-type]
    if caption and caption.strip():
        return "", "caption-describes"
    return "", "no-description"
