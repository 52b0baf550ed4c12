"""Article files (HTML, Markdown, plain text) with one hostile vector pasted
into every field a reader takes: title, dek, byline, front matter, headings,
paragraphs, quotes and their attribution, figure alt/title/caption/credit,
links, list items, table cells, canonical URL and lead image.

The surrounding sentences are ordinary (and shared between articles, so the
segment cache makes a batch of these cheap to narrate).
"""
from __future__ import annotations

import html
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

VECTORS_FILE = Path(__file__).parent / "vectors" / "xss.toml"


def fallback_url(v: "Vector", fmt: str) -> str:
    """A safe canonical URL, distinct per file (the article id derives from it)."""
    return f"https://example.org/{v.name}-{fmt}"


@dataclass(frozen=True)
class Vector:
    name: str
    markup: str
    url: str | None = None


def load_vectors() -> list[Vector]:
    data = tomllib.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    return [Vector(**v) for v in data["vector"]]


def _attr(text: str) -> str:
    """For an attribute value: the vector, quotes escaped (the page author's escaping)."""
    return html.escape(text, quote=True)


def html_article(v: Vector) -> str:
    m, url = v.markup, v.url or fallback_url(v, "html")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Hostile page {v.name} {html.escape(m)}</title>
<meta name="description" content="{_attr(m)}">
<meta name="author" content="{_attr(m)}">
<meta property="og:image" content="{_attr(url)}">
<link rel="canonical" href="{_attr(url)}">
{m}
</head><body>
<nav><a href="{_attr(url)}">Home</a> {m}</nav>
<article>
<h1>Hostile page {v.name} {m}</h1>
<p class="dek">A standfirst for the council story. {m}</p>
<p class="byline">By Ada Quill {m}</p>
<p>The council met on Tuesday evening to discuss the old bridge over the river. {m} Members listened to residents for two hours.</p>
<h2>What was decided {m}</h2>
<p>{m}</p>
<blockquote cite="{_attr(url)}"><p>We will repair the bridge before winter. {m}</p><footer>Mayor Lin Oduya {m}</footer></blockquote>
<figure><img src="{_attr(url)}" alt="{_attr(m)}" title="{_attr(m)}"><figcaption>Workers inspect the bridge on Monday. {m} Photo: Sam Reyes {m}</figcaption></figure>
<p>Residents can read <a href="{_attr(url)}" title="{_attr(m)}">the full plan {m}</a> at the town hall.</p>
<ul><li>The repair will take six weeks. {m}</li><li>{m}</li></ul>
<table><caption>Costs {m}</caption><tr><th>Item {m}</th><th>Cost</th></tr><tr><td>Steel {m}</td><td>Forty thousand</td></tr></table>
<p>The next meeting is in March, when the council will vote on the budget.</p>
</article>
<script>var tracker = "{v.name}";</script>
</body></html>
"""


def markdown_article(v: Vector) -> str:
    m, url = v.markup, v.url or fallback_url(v, "md")
    front = {
        "title": f"Hostile markdown {v.name} {m}",
        "author": [f"Ada Quill {m}"],
        "description": f"A standfirst for the council story. {m}",
        "date": "2025-03-14",
        "url": url,
        "image": url,
        "site": m,
    }
    # JSON is valid YAML, and escapes every character YAML could misread.
    lines = ["---", *(f"{key}: {json.dumps(value)}" for key, value in front.items()), "---", ""]
    body = f"""# Hostile markdown {v.name} {m}

The council met on Tuesday evening to discuss the old bridge over the river. {m} Members listened to residents for two hours.

## What was decided {m}

{m}

> We will repair the bridge before winter. {m}
>
> — Mayor Lin Oduya {m}

![{m}]({url} "{m.replace('"', "'")}")
*Workers inspect the bridge on Monday. {m} Photo: Sam Reyes {m}*

Residents can read [the full plan {m}]({url}) at the town hall, or <{url}>.

- The repair will take six weeks. {m}
- {m}

| Item {m} | Cost |
|---|---|
| Steel {m} | Forty thousand |

The next meeting is in March, when the council will vote on the budget.
"""
    return "\n".join(lines) + "\n" + body


def text_article(v: Vector) -> str:
    m = v.markup
    return f"""Hostile text {v.name} {m}

A standfirst for the council story. {m}

By Ada Quill {m}

Published March 14, 2025

The council met on Tuesday evening to discuss the old bridge over the river. {m} Members listened to residents for two hours.

What was decided {m}

{m}

"We will repair the bridge before winter," said Mayor Lin Oduya. {m}

Workers inspect the bridge on Monday. {m} Photo: Sam Reyes {m}

Residents can read the full plan at {v.url or fallback_url(v, "txt")} or at the town hall.

The next meeting is in March, when the council will vote on the budget.
"""


WRITERS = {".html": html_article, ".md": markdown_article, ".txt": text_article}


def write_hostile_inputs(folder: Path, vectors: list[Vector]) -> dict[Path, Vector]:
    """One file per (vector, format) in ``folder``; returns file → vector."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for v in vectors:
        for suffix, writer in WRITERS.items():
            path = folder / f"{v.name}-{suffix[1:]}{suffix}"
            path.write_text(writer(v), encoding="utf-8")
            files[path] = v
    return files
