"""The article as one XHTML content document, with the page's sentence ids on ``<span>``s."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ...model import Article, Credit, Figure, ListBlock, Paragraph, Quote, Sentence, Table
from ..transcript import CONTROL_CHARS

CONTENT_NAME = "content.xhtml"
STYLE_NAME = "style.css"
ACTIVE_CLASS = "-epub-media-overlay-active"


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    title: str
    level: int


NOTE_TYPE = "note"  # reading systems may skip notes (Media Overlays "skippability")
# EPUB core media types for images; anything else (AVIF) would need a fallback, so it stays out
# and its description, when it has one, becomes text as for a remote image.
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
               ".webp": "image/webp"}
# The page's wording (templates/_article_blocks.html): an undescribed image is announced honestly.
NO_DESCRIPTION_ALT = "Image (no description was provided)"
REMOTE_IMAGE_NOTE = "Image not included in this edition:"


@dataclass(frozen=True)
class Content:
    xhtml: str
    sentence_ids: frozenset[str]
    toc: tuple[TocEntry, ...]
    note_ids: frozenset[str] = frozenset()  # sentences inside notes (credits, editor's notes, corrections)
    images: tuple[str, ...] = ()  # local images shown, relative to the article folder
    undescribed_images: int = 0  # shown with NO_DESCRIPTION_ALT


def text(value: str) -> str:
    """Escaped character data with the characters XML 1.0 forbids removed."""
    return escape(" ".join(CONTROL_CHARS.sub("", value).split()))


def attr(value: str) -> str:
    """A quoted attribute value, the forbidden characters removed."""
    return quoteattr(" ".join(CONTROL_CHARS.sub("", value).split()))


def lang_attrs(lang: str | None) -> str:
    return f" lang={quoteattr(lang)} xml:lang={quoteattr(lang)}" if lang else ""


class _Writer:
    """Collects markup and the sentence ids it used (an id may appear only once)."""

    def __init__(self, available_images: frozenset[str]) -> None:
        self.available_images = available_images
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.note_ids: set[str] = set()
        self.images: list[str] = []
        self.undescribed_images = 0

    def sentence(self, sentence: Sentence) -> str:
        if sentence.id in self.ids:
            return text(sentence.text)
        self.ids.add(sentence.id)
        return f"<span id={quoteattr(sentence.id)}{lang_attrs(sentence.lang)}>{text(sentence.text)}</span>"

    def sentences(self, paragraph: Paragraph) -> str:
        return " ".join(self.sentence(s) for s in paragraph.sentences)

    def paragraph(self, paragraph: Paragraph, tag: str = "p") -> str:
        return f"<{tag}{lang_attrs(paragraph.lang)}>{self.sentences(paragraph)}</{tag}>"

    def block(self, block) -> str:
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Quote):
            inner = "".join(self.paragraph(p) for p in block.paragraphs)
            footer = f"<footer>{text(block.attribution)}</footer>" if block.attribution else ""
            return f"<blockquote{lang_attrs(block.lang)}>{inner}{footer}</blockquote>"
        if isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            return f"<{tag}>{''.join(self.paragraph(p, 'li') for p in block.items)}</{tag}>"
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            return self.figure(block)
        if isinstance(block, Credit):
            before = set(self.ids)
            inner = self.paragraph(block.paragraph)
            self.note_ids |= self.ids - before
            return (f'<aside epub:type="{NOTE_TYPE}" role="note" class="credit credit-{block.kind}" '
                    f'id={quoteattr(block.id)}>{inner}</aside>')
        return ""

    def figure(self, figure: Figure) -> str:
        """The page's alt-text policy: a local image is shown with its alt; a remote one cannot live
        in an EPUB, so its description (when the source gave one) becomes text, as on the page."""
        image = note = ""
        if figure.src in self.available_images and image_type(figure.src):
            if figure.src not in self.images:
                self.images.append(figure.src)
            alt = NO_DESCRIPTION_ALT if figure.alt_reason == "no-description" else figure.alt
            self.undescribed_images += figure.alt_reason == "no-description"
            image = f"<img src={attr(figure.src)} alt={attr(alt)}/>"
        elif figure.src and figure.alt_reason == "source-alt" and figure.alt:
            note = f'<span class="image-note">{text(REMOTE_IMAGE_NOTE)} {text(figure.alt)}</span> '
        caption = self.sentences(figure.caption) if figure.caption else ""
        credit = f" <small>{text(figure.credit)}</small>" if figure.credit else ""
        if not (image or note or caption or credit):
            return ""
        figcaption = f"<figcaption>{note}{caption}{credit}</figcaption>" if note or caption or credit else ""
        return f"<figure id={quoteattr(figure.id)}>{image}{figcaption}</figure>"

    def table(self, table: Table) -> str:
        rows = []
        for row in table.rows:
            cells = []
            for cell in row:
                tag = "th" if cell.header else "td"
                scope = f' scope="{cell.scope}"' if cell.header and cell.scope else ""
                span = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + \
                       (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
                cells.append(f"<{tag}{scope}{span}>{text(cell.text)}</{tag}>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = f"<caption>{text(table.caption)}</caption>" if table.caption else ""
        return f'<table epub:type="table">{caption}{"".join(rows)}</table>'


def local_images(article: Article) -> tuple[str, ...]:
    """The figures' local image paths (relative to the article folder) an EPUB could hold."""
    return tuple(dict.fromkeys(b.src for _, b in article.iter_blocks()
                               if isinstance(b, Figure) and b.src and image_type(b.src)))


def render_content(article: Article, available_images: frozenset[str] = frozenset()) -> Content:
    """The content document; ``available_images`` are the local images the EPUB will hold."""
    writer = _Writer(available_images)
    title = writer.sentence(article.title_sentence) if article.title_sentence else text(article.title)
    body = [f'<h1 id="title">{title}</h1>']
    if article.dek:
        dek = writer.sentence(article.dek_sentence) if article.dek_sentence else text(article.dek)
        body.append(f'<p class="dek">{dek}</p>')
    if article.byline:
        body.append(f'<p class="byline">{text(article.byline)}</p>')
    toc = []
    for section in article.sections:
        parts = []
        if section.heading:
            level = min(max(section.level, 2), 6)
            heading = writer.sentence(section.heading_sentence) if section.heading_sentence else text(section.heading)
            anchor = f"h-{section.id}"
            parts.append(f"<h{level} id={quoteattr(anchor)}>{heading}</h{level}>")
            toc.append(TocEntry(anchor, section.heading, level))
        parts.extend(writer.block(block) for block in section.blocks)
        body.append(f"<section id={quoteattr(section.id)}>{''.join(p for p in parts if p)}</section>")
    xhtml = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{lang_attrs(article.language)}>
<head>
<meta charset="utf-8"/>
<title>{text(article.title)}</title>
<link rel="stylesheet" type="text/css" href="{STYLE_NAME}"/>
</head>
<body>
<main epub:type="bodymatter" id="article">
{chr(10).join(body)}
</main>
</body>
</html>
"""
    return Content(xhtml, frozenset(writer.ids), tuple(toc), frozenset(writer.note_ids),
                   tuple(writer.images), writer.undescribed_images)


def image_type(src: str) -> str | None:
    """The media type of a local image the EPUB can hold, else None (remote, or not a core type)."""
    if src.startswith(("http://", "https://", "//")) or ":" in src.split("/", 1)[0]:
        return None
    suffix = "." + src.rsplit(".", 1)[-1].lower() if "." in src else ""
    return IMAGE_TYPES.get(suffix)


def stylesheet() -> str:
    return f"""body {{ line-height: 1.5; }}
.dek {{ font-style: italic; }}
.byline, .credit {{ font-size: 0.9em; }}
img {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid currentColor; padding: 0.2em 0.4em; }}
/* The sentence being read: contrast that survives both light and dark themes. */
.{ACTIVE_CLASS} {{ background-color: #ffff00; color: #000000; }}
"""
