"""Steps 5–6: trafilatura picks the story; its body XML becomes draft blocks in reading order."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Iterator

from lxml import etree

from ..draft import DraftBlock
from .headings import strip_permalink_marks
from .dom import _PLACEHOLDER, _tag, _text, clean, safe_url
from .lifting import _Lifted, _lang_of, _quote_text


# libxml2 already refuses absurd nesting; our own walks are iterative, and
# recursive helpers stop at this depth.
MAX_DEPTH = 400


_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _extract_body(root: etree._Element, url: str | None) -> etree._Element | None:
    import trafilatura  # imported late: a heavy import only this reader needs

    try:
        # output_format "xml": only the body tree is read here; the default ("python")
        # would also serialize it to text (≈ 3 ms a page) for nothing.
        doc = trafilatura.bare_extraction(
            root, url=url, output_format="xml", include_comments=False, include_tables=True,
            include_images=True, include_formatting=True, include_links=False, with_metadata=False,
        )
    except Exception:  # noqa: BLE001 - the extractor's failure means "no body found"
        return None
    if doc is None:
        return None
    body = doc.body if hasattr(doc, "body") else None
    return body


# Blocks the extractor sometimes leaves inside a paragraph of its output (where the page
# wrapped a whole post in an inline element): read as blocks, not flattened into the text.
_HEADINGS = ("head", *_HEADING_TAGS)
_BLOCKS_IN_P = {*_HEADINGS, "list", "ul", "ol", "table", "quote", "blockquote", "p"}


def _split_mixed_paragraph(el: etree._Element, depth: int) -> list[tuple[str, object, int]]:
    """A paragraph holding blocks → work items: the blocks, and between them paragraphs made
    of the inline content around them (copies, with the paragraph's own attributes)."""
    items: list[tuple[str, object, int]] = []

    def new_run(text: str | None) -> etree._Element:
        run = etree.Element("p", dict(el.attrib))
        run.text = text
        return run

    def flush(run: etree._Element) -> None:
        if clean("".join(run.itertext())) or run.find(".//graphic") is not None:
            items.append(("block", run, depth + 1))

    run = new_run(el.text)
    for child in el:
        if isinstance(child.tag, str) and _tag(child) in _BLOCKS_IN_P:
            flush(run)
            items.append(("block", child, depth + 1))
            run = new_run(child.tail)
        else:
            run.append(copy.deepcopy(child))  # with its tail
    flush(run)
    return items


@dataclass
class _Para:
    """A paragraph being collected, with whether all of its text is bold."""
    parts: list[str] = field(default_factory=list)
    bold_chars: int = 0
    chars: int = 0

    def add(self, text: str, bold: bool) -> None:
        if text:
            self.parts.append(text)
            n = len(text.strip())
            self.chars += n
            if bold:
                self.bold_chars += n


_BOLD_RENDS = {"#b", "#strong"}
_BLOCK_XML = {"p", "head", "quote", "list", "table", "graphic", "div", "section", "article", "main",
              "blockquote", "ul", "ol", "dl", "figure", "pre", "code", "h1", "h2", "h3", "h4", "h5",
              "h6", "img", "body", "center", "header", "footer", "aside", "form"}


class _Converter:
    """Trafilatura body XML (or its fallback HTML) → draft blocks."""

    def __init__(self, lifted: _Lifted) -> None:
        self.lifted = lifted
        self.blocks: list[DraftBlock] = []
        self.bold_flags: list[bool] = []  # parallel to blocks: a wholly bold paragraph
        self.used: set[int] = set()

    # -- emitting
    def _emit(self, block: DraftBlock, bold: bool = False) -> None:
        self.blocks.append(block)
        self.bold_flags.append(bold)

    def _emit_text(self, text: str, bold: bool = False, lang: str | None = None) -> None:
        """Emit paragraph text, putting lifted structures back at their placeholders."""
        pos = 0
        for match in _PLACEHOLDER.finditer(text):
            self._emit_plain(text[pos:match.start()], bold, lang)
            n = int(match.group(1))
            if n in self.lifted.blocks and n not in self.used:
                self.used.add(n)
                self._emit(self.lifted.blocks[n])
            pos = match.end()
        self._emit_plain(text[pos:], bold, lang)

    def _emit_plain(self, text: str, bold: bool, lang: str | None) -> None:
        text = clean(text)
        if text and re.search(r"\w", text):
            self._emit(DraftBlock("paragraph", text=text, lang=lang), bold)

    # -- walking
    def convert(self, body: etree._Element) -> list[DraftBlock]:
        self._walk_container(body, 0)
        return self.blocks

    def _walk_container(self, el: etree._Element, depth: int) -> None:
        # Work list of (kind, payload) processed in document order without recursion
        # through arbitrarily deep wrappers.
        work: list[tuple[str, object, int]] = [("children", el, depth)]
        while work:
            kind, payload, d = work.pop()
            if kind == "text":
                self._emit_text(str(payload))
                continue
            node = payload  # type: ignore[assignment]
            if kind in ("children", "cell"):
                # In a layout cell a line break ends a line of its own (headline,
                # byline, paragraph); elsewhere it is a soft break inside text.
                breaks_split = kind == "cell"
                items: list[tuple[str, object, int]] = []
                run = _Para()
                if node.text and node.text.strip():
                    run.add(node.text, False)
                for child in node:
                    if not isinstance(child.tag, str):
                        if child.tail and child.tail.strip():
                            run.add(child.tail, False)
                        continue
                    if _tag(child) in _BLOCK_XML or (breaks_split and _tag(child) in ("lb", "br")):
                        if run.parts:
                            items.append(("text", " ".join(run.parts), d))
                            run = _Para()
                        if _tag(child) not in ("lb", "br"):
                            items.append(("block", child, d + 1))
                    else:
                        run.add(self._inline_text(child), False)
                    if child.tail and child.tail.strip():
                        run.add(child.tail, False)
                if run.parts:
                    items.append(("text", " ".join(run.parts), d))
                work.extend(reversed(items))
                continue
            self._block(node, d, work)

    def _block(self, el: etree._Element, depth: int, work: list) -> None:
        tag = _tag(el)
        lang = _lang_of(el)
        if tag in _HEADINGS:
            rend = (el.get("rend") or tag).lower()
            level = _HEADING_TAGS.get(rend, _HEADING_TAGS.get(tag, 2))
            text = strip_permalink_marks(self._inline_text(el))
            if _PLACEHOLDER.search(text):
                self._emit_text(text)
            elif text:
                self._emit(DraftBlock("heading", text=text, level=level, lang=lang))
        elif tag == "p" and any(_tag(child) in _BLOCKS_IN_P for child in el if isinstance(child.tag, str)):
            work.extend(reversed(_split_mixed_paragraph(el, depth)))
        elif tag == "p":
            self._paragraph(el, lang)
        elif tag in ("list", "ul", "ol", "dl") and _is_card_list(el):
            cards = [i for i in el if _tag(i) in _LIST_ITEMS]
            work.extend(("children", card, depth + 1) for card in reversed(cards))
        elif tag in ("list", "ul", "ol", "dl"):
            items = [clean(self._inline_text(i)) for i in el if _tag(i) in _LIST_ITEMS]
            items = [i for i in items if i and re.search(r"\w", i)]
            if any(_PLACEHOLDER.search(i) for i in items):
                for i in items:
                    self._emit_text(i)
            elif items:
                ordered = tag == "ol" or (el.get("rend") or "").lower() == "ol"
                self._emit(DraftBlock("list", items=items, ordered=ordered, lang=lang))
        elif tag in ("quote", "blockquote"):
            text = _quote_text(el)
            if _PLACEHOLDER.search(text):
                for part in text.split("\n\n"):
                    self._emit_text(part)
            elif clean(text):
                self._emit(DraftBlock("quote", text=text, lang=lang))
        elif tag == "table" and _is_layout_table(el):
            cells = [c for row in el.iter("row", "tr") for c in row if _tag(c) in ("cell", "td", "th")]
            work.extend(("cell", cell, depth) for cell in reversed(cells))
        elif tag == "table":
            self._table(el)
        elif tag in ("graphic", "img"):
            src = safe_url(el.get("src"))
            if src:
                alt = el.get("alt")
                title = clean(el.get("title")) or None
                self._emit(DraftBlock("figure", src=src, alt=alt, caption=title if title != alt else None))
        elif depth > MAX_DEPTH:
            self._emit_text(_text(el))
        else:
            work.append(("children", el, depth))

    @staticmethod
    def _tokens(el: etree._Element) -> Iterator[str | None]:
        """Text pieces in document order; None for a line break.

        A block inside the element (a list item's paragraphs, a cell's heading) is set
        apart by spaces, so its words never run into the text around it; so is a formatted
        run from the text around it where the page or the extractor left no space
        ("<hi>bar</hi>Fruit", "management<hi>Cons:</hi>": a lower-case letter against a
        capital is two words, "<hi>E</hi>xpertise" one).
        """
        last = ""
        for event, node in etree.iterwalk(el, events=("start", "end")):
            tag = _tag(node)
            inner_block = node is not el and tag in _SPACED_BLOCKS
            if event == "start":
                if tag in ("lb", "br"):
                    last = " "
                    yield None
                    continue
                if inner_block:
                    yield " "
                if node.text and tag not in ("graphic", "img"):
                    if node is not el and last[-1:].islower() and node.text[:1].isupper():
                        yield " "
                    last = node.text
                    yield node.text
            elif node is not el:
                if inner_block:
                    yield " "
                if node.tail:
                    if last[-1:].islower() and node.tail[:1].isupper():
                        yield " "
                    last = node.tail
                    yield node.tail

    def _inline_text(self, el: etree._Element) -> str:
        return "".join(" " if t is None else t for t in self._tokens(el))

    def _paragraph(self, el: etree._Element, lang: str | None) -> None:
        # Graphics inside a paragraph become figures after its text.
        total = clean(self._inline_text(el))
        bold = 0
        for hi in el.iter("hi", "b", "strong"):
            rend = (hi.get("rend") or "#b").lower()
            if rend in _BOLD_RENDS or _tag(hi) in ("b", "strong"):
                bold += len(clean("".join(hi.itertext())))
        whole_bold = bool(total) and bold >= len(total) - 1
        # Runs of two or more line breaks separate paragraphs.
        pieces = self._split_on_double_breaks(el)
        for piece in pieces:
            self._emit_text(piece, whole_bold and len(pieces) == 1, lang)
        for g in el.iter("graphic", "img"):
            src = safe_url(g.get("src"))
            if src:
                self._emit(DraftBlock("figure", src=src, alt=g.get("alt")))

    def _split_on_double_breaks(self, el: etree._Element) -> list[str]:
        parts: list[list[str]] = [[]]
        breaks = 0
        for token in self._tokens(el):
            if token is None:
                breaks += 1
                parts[-1].append(" ")
                continue
            if token.strip():
                if breaks >= 2 and clean("".join(parts[-1])):
                    parts.append([])
                breaks = 0
            parts[-1].append(token)
        return [t for t in ("".join(p) for p in parts) if clean(t)]

    def _table(self, el: etree._Element) -> None:
        rows: list[list[tuple[str, bool]]] = []
        for row in el.iter("row", "tr"):
            cells = []
            for cell in row:
                tag = _tag(cell)
                if tag not in ("cell", "td", "th"):
                    continue
                header = tag == "th" or (cell.get("role") or "").lower() == "head"
                cells.append((clean(self._inline_text(cell)), header))
            if any(text for text, _ in cells):
                rows.append(cells)
        if not rows:
            return
        # A "table" of one column is layout, not data: read it as paragraphs.
        if all(len(r) == 1 for r in rows):
            for r in rows:
                self._emit_text(r[0][0])
            return
        if any(_PLACEHOLDER.search(t) for r in rows for t, _ in r):
            for r in rows:
                for t, _ in r:
                    self._emit_text(t)
            return
        # Rows repeated verbatim (sticky header copies) are read once.
        deduped: list[list[tuple[str, bool]]] = []
        for r in rows:
            if deduped and r == deduped[-1]:
                continue
            deduped.append(r)
        self._emit(DraftBlock("table", rows=deduped))


_LIST_ITEMS = ("item", "li", "dd", "dt")
# Blocks whose text is set apart when an enclosing block is read as one run of text.
_SPACED_BLOCKS = {"p", "div", "list", "ul", "ol", "dl", "item", "li", "dd", "dt", "quote",
                  "blockquote", "table", "row", "tr", "cell", "td", "th", *_HEADINGS}


def _is_card_list(el: etree._Element) -> bool:
    """A list used to lay out cards (an item with its own heading over paragraphs), not
    a list of points: its items are read as containers, so headings and paragraphs stay
    apart.  An item that is only a heading (a styled point) keeps the list a list.
    """
    return any(next(item.iter(*_HEADINGS), None) is not None and next(item.iter("p"), None) is not None
               for item in el if _tag(item) in _LIST_ITEMS)


LAYOUT_CELL_WORDS = 60


def _is_layout_table(el: etree._Element) -> bool:
    """A table used to lay out a page (cells holding paragraphs, or a whole story), not data."""
    for row in el.iter("row", "tr"):
        for cell in row:
            if _tag(cell) not in ("cell", "td", "th"):
                continue
            if any(_tag(c) in ("p", "list", "table", "head", "quote") for c in cell):
                return True
            if len(" ".join(cell.itertext()).split()) > LAYOUT_CELL_WORDS:
                return True
    return False
