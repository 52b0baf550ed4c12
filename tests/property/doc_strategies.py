"""Hypothesis strategies for article-shaped input: random text, grammar-built
HTML and Markdown, and byte-level mutations of the shipped samples.

Text nodes in the generated markup never contain ``<``: any ``<script`` that
reaches an article's body text therefore came from markup, not from text.
Every strategy is size-bounded so one example stays well under a second.
"""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
SAMPLES = {p.name: p.read_bytes() for p in sorted((REPO / "input").iterdir())
           if p.is_file() and p.name != "README.md"}

# Upper bound on the bytes of one generated document.
MAX_DOC_BYTES = 40_000

WORDS = ("river", "council", "ferry", "library", "said", "the", "of", "on", "Friday", "3", "1,200",
         "$4.5", "Dr.", "U.S.", "a.m.", "café", "naïve", "Ŝtono", "Москва", "東京", "🙂", "—", "“quoted”",
         "it's", "e.g.", "No.", "12%", "1990s", "XIV", "&", "&amp;", "&lt;b&gt;", "{{7*7}}", "]]>", "-->")

word = st.sampled_from(WORDS) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<"), min_size=1, max_size=12)
sentence = st.lists(word, min_size=1, max_size=14).map(lambda ws: " ".join(ws) + ".")
paragraph_text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)

# Any text at all, including controls and lone surrogates' neighbours.
random_text = st.text(max_size=3000)

# -- HTML from a grammar --------------------------------------------------------------

BLOCK_TAGS = ("p", "div", "section", "article", "main", "aside", "header", "footer", "nav", "blockquote",
              "figure", "figcaption", "ul", "ol", "li", "table", "tr", "td", "th", "h1", "h2", "h3", "h4",
              "pre", "template", "details", "summary", "form", "select", "option")
INLINE_TAGS = ("a", "em", "strong", "span", "b", "i", "small", "code", "q", "cite", "time", "sup", "sub", "abbr")
HOSTILE_TAGS = ("svg", "math", "object", "base", "meta", "link", "frame", "frameset", "applet", "img", "video",
                "audio", "source", "embed", "form", "button", "input")
# Elements whose content the HTML parser takes as text, not markup: they only
# ever get text children here, so no "<" ever reaches a text node.
RAWTEXT_TAGS = ("xmp", "textarea", "noscript", "noembed", "noframes", "iframe", "title")
# Code elements: their content must never reach the article at all.
CODE_TAGS = ("script", "style")
CODE_MARKER = "zqxcodemarker"
ATTR_NAMES = ("class", "id", "href", "src", "alt", "title", "style", "onerror", "onload", "onclick", "lang",
              "dir", "srcdoc", "action", "formaction", "data-x", "role", "aria-label", "itemprop", "content",
              "http-equiv", "xlink:href", "srcset", "cite", "datetime", "colspan", "rowspan")
ATTR_VALUES = st.sampled_from((
    "", "x", "javascript:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "https://example.org/a.jpg", "/rel/path",
    "\"><script>alert(1)</script>", "'><img src=x onerror=alert(1)>", "expression(alert(1))", "0;url=javascript:1",
    "999999999", "-1", "rtl", "\u202etxt.exe",
)) | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


def _attr(name: str, value: str) -> str:
    return f' {name}="{value.replace(chr(34), "&quot;")}"'


attrs = st.lists(st.tuples(st.sampled_from(ATTR_NAMES), ATTR_VALUES), max_size=3).map(
    lambda pairs: "".join(_attr(n, v) for n, v in pairs))
text_node = paragraph_text.map(lambda t: t.replace("&", "&amp;"))


def _element(tag: str, attributes: str, children: list[str]) -> str:
    return f"<{tag}{attributes}>{''.join(children)}</{tag}>"


rawtext_element = st.builds(lambda tag, a, text: f"<{tag}{a}>{text}</{tag}>",
                            st.sampled_from(RAWTEXT_TAGS), attrs, text_node)
code_element = st.builds(lambda tag, a: f"<{tag}{a}>var {CODE_MARKER} = 1;</{tag}>", st.sampled_from(CODE_TAGS), attrs)
html_fragment = st.recursive(
    text_node | rawtext_element | code_element
    | st.builds(lambda a: f"<img{a}>", attrs) | st.builds(lambda a: f"<br{a}>", attrs),
    lambda children: st.builds(
        _element,
        st.sampled_from(BLOCK_TAGS + INLINE_TAGS + HOSTILE_TAGS),
        attrs,
        st.lists(children, min_size=0, max_size=4),
    ),
    max_leaves=25,
)


def _html_page(title: str, head_extra: list[str], body: list[str], doctype: bool) -> str:
    head = f"<head><meta charset=\"utf-8\"><title>{title}</title>{''.join(head_extra)}</head>"
    page = f"<html>{head}<body><article><h1>{title}</h1>{''.join(body)}</article></body></html>"
    return ("<!DOCTYPE html>" if doctype else "") + page


html_page = st.builds(
    _html_page,
    sentence.map(lambda t: t.replace("&", "&amp;")),
    st.lists(html_fragment, max_size=2),
    st.lists(st.one_of(html_fragment, text_node.map(lambda t: f"<p>{t}</p>")), min_size=0, max_size=8),
    st.booleans(),
)

# -- Markdown from a grammar ----------------------------------------------------------

md_block = st.one_of(
    paragraph_text,
    sentence.map(lambda t: f"## {t}"),
    paragraph_text.map(lambda t: f"> {t}"),
    st.lists(sentence, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.tuples(sentence, ATTR_VALUES).map(lambda p: f"![{p[0]}]({p[1].replace(')', '')})"),
    st.tuples(sentence, ATTR_VALUES).map(lambda p: f"[{p[0]}]({p[1].replace(')', '')})"),
    # Raw HTML without backticks: a backtick in an attribute could open a code
    # span that legitimately shows the markup after it as text.
    html_fragment.map(lambda h: h.replace("`", "")),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
    st.just("```\ncode if a && b: pass\n```"),
)
front_matter = st.one_of(
    st.just(""),
    st.tuples(sentence, ATTR_VALUES).map(lambda p: f"---\ntitle: {p[0]!r}\nurl: {p[1]!r}\n---\n\n"),
    random_text.map(lambda t: f"---\n{t}\n---\n\n"),  # front matter that is not YAML
)
markdown_doc = st.builds(
    lambda fm, title, blocks: f"{fm}# {title}\n\n" + "\n\n".join(blocks),
    front_matter, sentence, st.lists(md_block, min_size=0, max_size=10),
)

# -- mutations of the real samples -----------------------------------------------------


@st.composite
def mutated_sample(draw) -> tuple[str, bytes]:
    """(file name, bytes): a shipped sample with random byte-level damage."""
    name = draw(st.sampled_from(sorted(SAMPLES)))
    data = bytearray(SAMPLES[name])
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(("flip", "truncate", "insert", "delete", "duplicate")))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64) | st.sampled_from(
                (b"<script>alert(1)</script>", b"<!--", b"]]>", b"\x00", b"\xff\xfe", b"<![CDATA[", b"---\n")))
        elif kind == "delete":
            del data[at:at + draw(st.integers(1, 200))]
        else:
            end = min(len(data), at + draw(st.integers(1, 2000)))
            data[at:at] = data[at:end]
    return name, bytes(data[:MAX_DOC_BYTES])
