"""Navigation document: a table of contents from the section headings, and landmarks."""
from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ...model import Article
from .content import CONTENT_NAME, TocEntry, lang_attrs, text

NAV_NAME = "nav.xhtml"


def _toc_items(toc: tuple[TocEntry, ...]) -> str:
    # A flat list: section levels can skip (h2 → h4), and a nested ol may not be empty.
    return "".join(f"<li><a href={quoteattr(CONTENT_NAME + '#' + e.anchor)}>{text(e.title)}</a></li>" for e in toc)


def render_nav(article: Article, toc: tuple[TocEntry, ...]) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{lang_attrs(article.language)}>
<head>
<meta charset="utf-8"/>
<title>{text(article.title)}</title>
</head>
<body>
<nav epub:type="toc" id="toc" role="doc-toc">
<h1>Contents</h1>
<ol><li><a href="{CONTENT_NAME}#title">{text(article.title)}</a>{f"<ol>{_toc_items(toc)}</ol>" if toc else ""}</li></ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
<li><a epub:type="toc" href="{NAV_NAME}#toc">Contents</a></li>
<li><a epub:type="bodymatter" href="{CONTENT_NAME}#article">Article</a></li>
</ol>
</nav>
</body>
</html>
"""
