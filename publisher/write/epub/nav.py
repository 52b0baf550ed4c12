"""Navigation document: a table of contents from the section headings, and landmarks."""
from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from .content import CONTENT_NAME, TocEntry, lang_attrs, text

NAV_NAME = "nav.xhtml"


@dataclass(frozen=True)
class NavArticle:
    """One article in the table of contents: its content document, title and sections."""

    href: str  # the content document, relative to the package ("content.xhtml", "<slug>/content.xhtml")
    title: str
    toc: tuple[TocEntry, ...]
    language: str | None = None  # set where it differs from the navigation document's


def _toc_items(href: str, toc: tuple[TocEntry, ...]) -> str:
    # A flat list: section levels can skip (h2 → h4), and a nested ol may not be empty.
    return "".join(f"<li><a href={quoteattr(href + '#' + e.anchor)}>{text(e.title)}</a></li>" for e in toc)


def _article_item(article: NavArticle) -> str:
    sections = f"<ol>{_toc_items(article.href, article.toc)}</ol>" if article.toc else ""
    return (f"<li{lang_attrs(article.language)}><a href={quoteattr(article.href + '#title')}>"
            f"{text(article.title)}</a>{sections}</li>")


def render_nav(title: str, language: str, articles: tuple[NavArticle, ...]) -> str:
    """The nav document of one article (one entry) or of an edition (one entry per article)."""
    items = "\n".join(_article_item(a) for a in articles)
    first = articles[0].href
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"{lang_attrs(language)}>
<head>
<meta charset="utf-8"/>
<title>{text(title)}</title>
</head>
<body>
<nav epub:type="toc" id="toc" role="doc-toc">
<h1>Contents</h1>
<ol>
{items}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden">
<h2>Landmarks</h2>
<ol>
<li><a epub:type="toc" href="{NAV_NAME}#toc">Contents</a></li>
<li><a epub:type="bodymatter" href={quoteattr(first + '#article')}>{"Article" if len(articles) == 1 else "Articles"}</a></li>
</ol>
</nav>
</body>
</html>
"""


__all__ = ["NAV_NAME", "NavArticle", "render_nav", "CONTENT_NAME"]
