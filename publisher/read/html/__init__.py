"""HTML pages → :class:`DraftArticle`: metadata, the story body, its structure.

Pipeline (each step its own module in this package; :func:`read_html` runs them):

1. :mod:`.guards`: refuse empty, binary or huge input, decode it (:mod:`..encoding`) and parse once;
2. :mod:`.metadata`: read the metadata (``<html lang>``, ``<meta>``,
   OpenGraph, JSON-LD, canonical link);
3. :mod:`.lifting`: lift the structures a text extractor flattens or drops — figures with
   captions and credits, embedded posts, pull quotes, block quotes with their
   attribution — out of the DOM into a side table, leaving a one-word
   placeholder paragraph where each stood;
4. :mod:`.prepare`: keep the lead figure, take the byline and dek, recover
   subheadings (:mod:`.headings`) and remove page chrome (:mod:`..chrome`);
5. :mod:`.convert`: let trafilatura pick the story container and its paragraphs (its body
   XML keeps headings, lists, tables and emphasis);
6. turn that XML into draft blocks in reading order, putting each lifted
   structure back where its placeholder survived (a placeholder that did not
   survive was outside the story, e.g. a related-stories thumbnail);
7. :mod:`.lines`: line rules: drop the title/dek repeated in the body, bylines and date
   lines at the edges, promos, chrome headings, tag clouds and press-release
   boilerplate; mark credit lines; promote bold one-line paragraphs to
   subheadings where the page uses them that way.
8. :mod:`.fallback`: where that reading is empty, short or unrelated to a
   plain extraction of the same page, the plain extraction is read instead.
"""
from __future__ import annotations

import copy
from pathlib import Path

from lxml import etree

from ...errors import InputError
from ..chrome import before_boilerplate, remove_chrome
from ..byline import byline_from
from ..draft import DraftArticle, DraftBlock
from ..encoding import decode_html
from ..language import article_language, story_text_of
from ..mojibake import repair_tree
from .fallback import block_words, decide, trusted_without_floor
from .headings import heading_anchors, prepare_headings, restore_headings
from .convert import _Converter, _extract_body
from .dom import _WORD, clean, safe_url
from .guards import _check_bytes, _parse
from .lifting import _Lifted, lift_structures
from .lines import _LineRules
from .metadata import PageMeta, read_metadata

__all__ = ["read_html", "body_text_from_html", "safe_url", "clean"]
from .prepare import (
    _drop_other_posts, _paragraph_divs,
    _holds_only_placeholders, _keep_lead_figure, _main_container, _placeholder_neighbours, _protected,
    _restore_lifted, _take_byline_and_dek, _unclass_story_blocks, _unwrap_chrome_ancestors, _unwrap_placeholders,
)


def read_html(data: bytes, path: str) -> DraftArticle:
    """Read one HTML page into a draft article (see the module docstring)."""
    _check_bytes(data, path)
    text = decode_html(data)
    root = _parse(text, path)
    repair_tree(root, text)
    # Teasers of other posts are no reading's story, the floor's included.
    _drop_other_posts(root)
    # The plain floor reads the page as it came; our steps rewrite ``root``.  A copy
    # costs a fifth of a second parse (and is wasted where the floor is not needed,
    # which is known only at the end).
    untouched = copy.deepcopy(root)
    meta = read_metadata(root)
    # Code is never text: once the metadata (JSON-LD) is read, scripts, styles and
    # templates go, before any structure is lifted with its text.
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    page_words = len(_WORD.findall(" ".join(root.itertext())))
    container = _main_container(root)
    _take_byline_and_dek(root, meta)
    lifted = _Lifted()
    lift_structures(root, lifted)
    lead = _keep_lead_figure(root, container, lifted)
    prepare_headings(root)
    remove_chrome(root, _protected(container), keep=_holds_only_placeholders)
    _unwrap_placeholders(root)
    _unclass_story_blocks(container)
    _unwrap_chrome_ancestors(container)
    _paragraph_divs(root)
    anchors = heading_anchors(root)
    lifted_near = _placeholder_neighbours(container if container is not None else root)
    blocks, dateline = _pipeline_blocks(root, meta, lifted, lead, anchors, lifted_near)
    # Headings alone are no story: such a reading counts as empty.
    ours = block_words(blocks) if _has_story(blocks) else []
    decision = trusted_without_floor(ours, page_words)
    if decision is None:
        plain_blocks, plain_dateline = _plain_blocks(untouched, meta)
        decision = decide(ours, block_words(plain_blocks))
    if decision.path == "plain":
        blocks, dateline = plain_blocks, plain_dateline
    if not blocks or decision.path == "none":
        raise InputError("no article text found in the page", path)
    if not _has_story(blocks):
        raise InputError("no paragraphs found in the page", path)
    title = meta.title or meta.h1 or next((b.text for b in blocks if b.kind == "heading"), "") \
        or Path(path).stem
    byline = byline_from(meta.byline, meta.authors)
    # A dek is read aloud after the headline: an affiliate disclosure run on after it is not.
    dek = (before_boilerplate(meta.dek) or None) if meta.dek else None
    language = article_language(story_text_of(title, blocks), meta.language)
    for b in blocks:
        if b.lang and language and b.lang.split("-")[0].lower() == language.split("-")[0].lower():
            b.lang = None
    return DraftArticle(
        title=title,
        blocks=blocks,
        identity=meta.canonical or f"file:{Path(path).stem}",
        dek=dek,
        byline=byline,
        dateline=dateline,
        published=meta.published,
        language=language,
        url=meta.url,
        site_name=meta.site_name,
        image=meta.image,
        reader=decision,
    )


def _has_story(blocks: list[DraftBlock]) -> bool:
    return any(b.kind in ("paragraph", "quote", "list", "table") for b in blocks)


def _pipeline_blocks(root, meta: PageMeta, lifted: "_Lifted", lead: int | None, anchors,
                     lifted_near) -> tuple[list[DraftBlock], str | None]:
    """Our own reading of the prepared page; no blocks where the extractor found no body."""
    body = _extract_body(root, meta.url)
    if body is None:
        return [], None
    converter = _Converter(lifted)
    blocks = converter.convert(body)
    if lead is not None and lead not in converter.used:
        # The headline's own image: the story's first figure even where the
        # extractor started below it.
        blocks.insert(0, lifted.blocks[lead])
        converter.bold_flags.insert(0, False)
        converter.used.add(lead)
    _restore_lifted(blocks, converter, lifted_near)
    restore_headings(blocks, converter.bold_flags, anchors,
                     {f"xqzph{n}qzx": b for n, b in lifted.blocks.items()},
                     lambda text, level: DraftBlock("heading", text=text, level=level))
    return _LineRules(meta).apply(blocks, converter.bold_flags)


def _plain_blocks(root: etree._Element, meta: PageMeta) -> tuple[list[DraftBlock], str | None]:
    """The floor: trafilatura's own extraction of the untouched page (``root``, a copy of
    the parse our pipeline rewrites), in our blocks: the same converter and line rules,
    so the fallback keeps headings, quotes, lists and tables and drops the byline/date
    lines the same way.
    """
    etree.strip_elements(root, "script", "style", "template", etree.Comment, with_tail=False)
    body = _extract_body(root, meta.url)
    if body is None:
        return [], None
    converter = _Converter(_Lifted())
    blocks = converter.convert(body)
    return _LineRules(meta).apply(blocks, converter.bold_flags)


def body_text_from_html(html: str, url: str | None = None) -> str:
    """Story text the way ``publisher extract --text`` prints it (for scoring)."""
    from ...segment import build_article

    draft = read_html(html.encode("utf-8"), "page.html")
    return build_article(draft).body_text()
