"""Audits of a built site for markup that came from input: each returns a list
of problems (empty = clean), so a failing test shows every leak at once.

The rules are the project's output contract for untrusted input: no script
except the project's own read-along script, no event handlers, no style, no
active elements (iframe/object/embed/form/base/meta refresh), and only
http(s)/mailto or relative URLs in URL-carrying attributes.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

# The project's own files, from a page at any depth (archive pages live three folders down).
OWN_SCRIPT = re.compile(r"^(\.\./)*static/readalong\.js$")
OWN_STYLESHEET = re.compile(r"^(\.\./)*static/site\.css$")
# Elements the page templates never use; from input they can only be an attack.
# (<button> is absent: the read-along controls are buttons, and a button outside
# a form does nothing; formaction URLs are audited with the other URL attributes.)
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "textarea",
    "select", "style", "base", "svg", "math", "noscript", "template", "xmp", "plaintext", "portal",
}
META_NAMES = {"viewport", "referrer", "color-scheme", "description", "generator", "author"}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "cite", "poster", "data", "background", "lowsrc", "dynsrc",
    "longdesc", "usemap", "codebase", "xlink:href", "{http://www.w3.org/1999/xlink}href", "ping", "manifest",
}
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
VTT_TIMING = re.compile(r"^\d{2,}:\d{2}:\d{2}\.\d{3} --> \d{2,}:\d{2}:\d{2}\.\d{3}(?: [^\n]*)?$")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see (it ignores controls, tabs, newlines and case)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def unsafe_url(value: str) -> bool:
    scheme = url_scheme(value)
    return scheme is not None and scheme not in SAFE_SCHEMES


def audit_html_tree(root, where: str, *, document: bool = True) -> list[str]:
    problems: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue  # comments and processing instructions are inert
        tag = el.tag.lower()
        if tag == "script":
            if not document or not OWN_SCRIPT.match(el.get("src") or "") or (el.text or "").strip():
                problems.append(f"{where}: script element {etree.tostring(el)[:120]!r}")
        elif tag in FORBIDDEN_ELEMENTS:
            problems.append(f"{where}: <{tag}> element from input")
        elif tag == "meta":
            if el.get("http-equiv") is not None:
                problems.append(f"{where}: <meta http-equiv={el.get('http-equiv')!r}>")
            if el.get("name") is not None and el.get("name").lower() not in META_NAMES:
                problems.append(f"{where}: unexpected <meta name={el.get('name')!r}>")
        elif tag == "link":
            rel = (el.get("rel") or "").lower()
            if rel == "stylesheet" and not OWN_STYLESHEET.match(el.get("href") or ""):
                problems.append(f"{where}: stylesheet from input: {el.get('href')!r}")
            elif rel not in {"stylesheet", "alternate", "canonical", "icon", "prev", "next"}:  # prev/next: pagination
                problems.append(f"{where}: <link rel={rel!r}>")
        for name, value in el.attrib.items():
            lname = name.lower()
            if lname.startswith("on"):
                problems.append(f"{where}: event handler {name}={value!r} on <{tag}>")
            elif lname == "style":
                problems.append(f"{where}: style attribute on <{tag}>: {value!r}")
            elif lname == "srcdoc":
                problems.append(f"{where}: srcdoc on <{tag}>")
            elif lname in URL_ATTRIBUTES and unsafe_url(value):
                problems.append(f"{where}: unsafe URL {name}={value!r} on <{tag}>")
            elif lname == "srcset" and any(unsafe_url(part.strip().split(" ")[0]) for part in value.split(",")):
                problems.append(f"{where}: unsafe srcset {value!r}")
    return problems


def audit_html_file(path: Path) -> list[str]:
    data = path.read_bytes()
    root = lxml_html.document_fromstring(data)
    problems = audit_html_tree(root, str(path))
    # The serialized text must agree with the tree: every "<script" in the
    # bytes is one of the project's own script elements (anything else would be
    # markup the parser saw differently from us).
    own = len(root.xpath("//script"))
    raw = len(re.findall(rb"<script", data, re.I))
    if raw != own:
        problems.append(f"{path}: {raw} '<script' in the bytes, {own} script elements")
    return problems


def audit_feed(path: Path, expected_titles: set[str] | None = None) -> list[str]:
    problems: list[str] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        return [f"{path}: not well-formed XML: {exc}"]
    if root.tag != "rss":
        problems.append(f"{path}: root element is {root.tag!r}")
    channels = root.findall("channel")
    if len(channels) != 1:
        problems.append(f"{path}: {len(channels)} <channel> elements")
        return problems
    items = channels[0].findall("item")
    titles = {" ".join((item.findtext("title") or "").split()) for item in items}
    if expected_titles is not None and titles != expected_titles:
        problems.append(f"{path}: item titles differ: missing {sorted(expected_titles - titles)[:3]!r}, "
                        f"extra {sorted(titles - expected_titles)[:3]!r}")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if local in {"script", "iframe", "object", "embed", "style", "form", "base"}:
            problems.append(f"{path}: <{local}> element in the feed")
        for name, value in el.attrib.items():
            if etree.QName(name).localname in {"url", "href", "src"} and unsafe_url(value):
                problems.append(f"{path}: unsafe URL {name}={value!r} on <{local}>")
        if local in {"link", "url", "image"} and el.text and unsafe_url(el.text):
            problems.append(f"{path}: unsafe URL in <{local}>: {el.text!r}")
        if local in {"description", "encoded", "summary"} and el.text and "<" in el.text:
            # HTML carried in the feed is rendered by podcast apps: audit it like a page.
            fragment = lxml_html.fragment_fromstring(el.text, create_parent="div")
            problems += audit_html_tree(fragment, f"{path} <{local}>", document=False)
    return problems


def audit_vtt(path: Path) -> list[str]:
    problems: list[str] = []
    text = path.read_text(encoding="utf-8")
    blocks = text.replace("\r\n", "\n").split("\n\n")
    if not blocks[0].startswith("WEBVTT"):
        problems.append(f"{path}: does not start with WEBVTT")
    for block in blocks[1:]:
        lines = [line for line in block.split("\n") if line != ""]
        if not lines or lines[0].startswith("NOTE"):
            continue
        timing_at = 0 if "-->" in lines[0] else 1
        if timing_at >= len(lines) or not VTT_TIMING.match(lines[timing_at]):
            problems.append(f"{path}: block without a valid timing line: {block[:120]!r}")
            continue
        for line in lines[timing_at + 1:]:
            if "-->" in line:
                problems.append(f"{path}: cue text contains '-->': {line[:120]!r}")
            if "<" in line:  # the transcript writer escapes every "<": a tag here came from input
                problems.append(f"{path}: cue text carries a tag: {line[:120]!r}")
    return problems


def audit_chapters(path: Path) -> list[str]:
    problems: list[str] = []
    data = json.loads(path.read_text(encoding="utf-8"))
    for chapter in data.get("chapters", []):
        if not isinstance(chapter.get("title", ""), str):
            problems.append(f"{path}: chapter title is not a string")
        for key in ("url", "img"):
            if key in chapter and unsafe_url(str(chapter[key])):
                problems.append(f"{path}: unsafe chapter {key} {chapter[key]!r}")
    return problems


def audit_site(output: Path, expected_titles: set[str] | None = None) -> list[str]:
    """Every page, the feed, every transcript and chapters file of a built site."""
    problems: list[str] = []
    for page in sorted(output.rglob("*.html")):
        problems += audit_html_file(page)
    problems += audit_feed(output / "feed.xml", expected_titles)
    for vtt in sorted(output.rglob("*.vtt")):
        problems += audit_vtt(vtt)
    for chapters in sorted(output.rglob("chapters.json")):
        problems += audit_chapters(chapters)
    return problems
