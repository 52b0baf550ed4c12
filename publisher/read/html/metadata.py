"""Step 2: page metadata — <html lang>, <meta>, OpenGraph, JSON-LD, canonical link."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from lxml import etree

from .dom import _SAFE_SCHEME, words_key, _tag, _text, clean, safe_url


_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "liveblogposting", "report", "posting", "socialmediaposting", "webpage",
}


@dataclass
class PageMeta:
    title: str | None = None
    h1: str | None = None
    dek: str | None = None  # an explicit dek/standfirst element
    description: str | None = None
    byline: str | None = None
    published: str | None = None
    language: str | None = None
    canonical: str | None = None
    url: str | None = None
    site_name: str | None = None
    image: str | None = None
    authors: list[str] = field(default_factory=list)


# An entity reference still in a text after parsing: the CMS escaped the text twice
# ("What&#8217;s", "M&amp;#038;A" in a <meta> or JSON-LD value).
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")


def unescaped(text: str | None) -> str | None:
    """A metadata text as the page shows it: entity references left by double escaping
    decoded (at most twice more: "&amp;#8230;" → "…"), white space made one."""
    if not text:
        return text
    for _ in range(2):
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return clean(text)


def _meta_map(root: etree._Element) -> dict[str, str]:
    """<meta> name/property → content (first one wins)."""
    out: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and clean(content) and key not in out:
            out[key] = clean(content)
        equiv = (m.get("http-equiv") or "").strip().lower()
        if equiv == "content-language" and content and "http-equiv:content-language" not in out:
            out["http-equiv:content-language"] = clean(content)
    return out


def _json_ld_objects(root: etree._Element) -> Iterator[dict]:
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        stack = [data]
        seen = 0
        while stack and seen < 500:  # bounded: hostile JSON-LD cannot stall us
            item = stack.pop()
            seen += 1
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(obj: dict) -> set[str]:
    t = obj.get("@type")
    items = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in items if x}


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [clean(value)] if clean(value) else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def _first_url(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("@id") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _first_url(value[0])
    return None


def _json_ld_article(root: etree._Element) -> dict:
    best: dict = {}
    for obj in _json_ld_objects(root):
        types = _types(obj)
        if types & _ARTICLE_TYPES and ("headline" in obj or "articleBody" in obj):
            if not best or "webpage" in _types(best):
                best = obj
    return best


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().split(",")[0].strip().replace("_", "-")
    return value if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value) else None


_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—·»:-]|::|//)\s+")


def _strip_site_suffix(title: str, site: str | None) -> str:
    """"Headline - Site" → "Headline"; "Site :: Section :: Headline" → "Headline"."""
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        if site and words_key(parts[-1]) == words_key(site):
            # Cut at the last separator: the headline keeps its own dashes ("A — B").
            return title[:list(_TITLE_SEPARATOR.finditer(title))[-1].start()]
        if len(parts[-1].split()) <= 4 and len(parts[0].split()) >= 4:
            return parts[0]
        if all(len(p.split()) <= 4 for p in parts[:-1]) and len(parts[-1].split()) >= 5:
            return parts[-1]  # site and section names first, as older CMSs wrote titles
    return title


# A date written with its numbers only, day and month both <= 12 ("03/04/2025"): which is
# the month is the writer's convention; we do not guess it here (htmldate, which reads
# the page's other evidence too, may).
_AMBIGUOUS_NUMERIC = re.compile(r"^\s*(0?[1-9]|1[0-2])[/.-](0?[1-9]|1[0-2])[/.-]\d{2,4}\b")
_YEAR = re.compile(r"\b(1[89]|2\d)\d{2}\b")


def _iso(text: str) -> str | None:
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


def _written_date(text: str) -> str | None:
    """"Jan 17, 2025", "13/11/2025 09:21", "December 17th 2025" → ISO 8601; None for a
    date without its year ("Dec 23") or with day and month impossible to tell apart."""
    from dateutil import parser  # imported late: only pages with such dates need it

    if not _YEAR.search(text) or _AMBIGUOUS_NUMERIC.match(text):
        return None
    try:
        moment = parser.parse(text, dayfirst=True)
    except (ValueError, OverflowError):
        return None
    if moment.time() == datetime.min.time() and moment.tzinfo is None:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds")


def publication_date(written: str | None, root: etree._Element, url: str | None) -> str | None:
    """The page's publication date as ISO 8601 (what the page, feed and archive need).

    The metadata's own value when it is ISO or a written-out date with its year; else
    htmldate's reading of the page (its meta tags, structured data, URL and <time>
    elements, not the running text; never a date after today), a date without time.
    """
    value = (written or "").strip().strip("\"'")
    found = (_iso(value) or _written_date(value)) if value else None
    if found is None:
        from htmldate import find_date  # imported late: a heavy import only this reader needs

        try:
            found = find_date(root, original_date=True, extensive_search=False, url=url)
        except Exception:  # noqa: BLE001 - a page whose date cannot be found has no date
            found = None
    return found


def read_metadata(root: etree._Element) -> PageMeta:
    meta = _meta_map(root)
    ld = _json_ld_article(root)
    m = PageMeta()
    m.site_name = (meta.get("og:site_name") or clean(" ".join(_names(ld.get("publisher"))[:1]))
                   or meta.get("application-name") or None)
    h1 = next((h for h in root.iter("h1") if _text(h)), None)
    m.h1 = _text(h1) if h1 is not None else None
    title_el = next(iter(root.iter("title")), None)
    doc_title = _text(title_el) if title_el is not None else None
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    # Entity references decoded before the site's name is looked for ("Headline &#8211; Site").
    m.site_name = unescaped(m.site_name)
    m.title = unescaped(clean(headline) or meta.get("og:title") or meta.get("twitter:title") or m.h1 or doc_title)
    if m.title:
        m.title = _strip_site_suffix(m.title, m.site_name)
    m.description = (clean(ld.get("description")) if isinstance(ld.get("description"), str) else None) \
        or meta.get("og:description") or meta.get("description") or meta.get("twitter:description")
    m.authors = _names(ld.get("author")) or _names(ld.get("creator"))
    if not m.authors:
        author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator")
        if author and not _SAFE_SCHEME.match(author):
            m.authors = [author]
    published = ld.get("datePublished") or ld.get("dateCreated") or meta.get("article:published_time") \
        or meta.get("og:published_time") or meta.get("pubdate") or meta.get("publishdate") \
        or meta.get("date") or meta.get("dc.date") or meta.get("dc.date.issued")
    if not published:
        t = next((t for t in root.iter("time") if t.get("datetime")), None)
        published = t.get("datetime") if t is not None else None
    m.published = clean(str(published)) if published else None
    html_el = root if _tag(root) == "html" else root.getroottree().getroot()
    m.language = (_lang_code(html_el.get("lang") or html_el.get("xml:lang"))
                  or _lang_code(meta.get("http-equiv:content-language"))
                  or _lang_code(ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None)
                  or _lang_code(meta.get("og:locale")))
    for link in root.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        href = safe_url(link.get("href"))
        if "canonical" in rels and href and href.lower().startswith("http"):
            m.canonical = href
            break
    url = m.canonical or meta.get("og:url") or _first_url(ld.get("url")) or _first_url(ld.get("mainEntityOfPage"))
    url = safe_url(url)
    m.url = url if url and url.lower().startswith("http") else None
    image = meta.get("og:image") or meta.get("og:image:url") or _first_url(ld.get("image")) \
        or meta.get("twitter:image")
    m.image = safe_url(image)
    m.published = publication_date(m.published, root, m.url)
    m.description = unescaped(m.description)
    m.authors = [unescaped(a) for a in m.authors]
    return m
