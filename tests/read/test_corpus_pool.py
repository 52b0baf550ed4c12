"""Pooled floors on the real dev corpora, aeb-dev (20 news pages, 2017–19) and wcxb-dev
(394 article pages from 381 sites, 2025), read from ../shared at test time.

Body text: word 4-gram precision/recall per page, averaged (the extraction
benchmark's measure, ``test_html_corpus.page_scores``). Headings: micro precision/recall of the author's
subheadings (wcxb-dev's Markdown ``#`` lines), the headline left out.
Bylines and figure descriptions: the share that still holds page furniture. The floors sit a little
under the figures measured when they were set (bench/extract_pool,
bench/headings): they catch a regression, they are not the goal.
"""
from __future__ import annotations

import gzip
import json
import os
import re
from datetime import datetime
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from publisher.model import Figure
from publisher.read.html import read_html
from publisher.segment import build_article
from test_html_corpus import page_scores  # the benchmark's measure, written once for the read tests

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PUBLISHER_SHARED", REPO.parent / "shared"))
CORPORA = ("aeb-dev", "wcxb-dev")
_TOKEN = re.compile(r"\w+")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
# Furniture a byline must not carry (what a listener would hear read out as a name): the
# share bar, dates and handles; labels ("Authors:", "Text by"); an author box's sentence;
# a footer's copyright line; icon-font glyphs; a CMS login; a list chained with "and"; links
# to the author's page ("Full bio", "Profile"), labels ("Sponsored", "Verified expert"), a
# form's field ("Name *"), a sign-in link, a script's empty value, a commenter ("… says").
_FURNITURE = re.compile(
    r"\b(share|email|print|follow|updated|published|min read|comments?)\b|@\w{2,}|\b\d{1,2}:\d{2}\b"
    r"|^(authors?|authored|text|words)\b|\b(written|authored) by\b|\b(this|the) (article|post|page)\b"
    r"|\s(is|was) (an?|the)\s|©|\bcopyright\b|\bprivacy\b|[\ue000-\uf8ff]|^[a-z0-9._-]*(\d|admin)[a-z0-9._-]*$"
    r"| and .+ and |\b(full bio|profile|sponsored|verified|undefined|null)\b|\*|^(name|sign( in| up)?|log ?in|on)$"
    r"|\bsays$", re.I)
# Written here, not imported from the reader: the test's own idea of a non-picture address.
_NOT_A_PICTURE = re.compile(r"gravatar\.com/|[/_-]avatars?[/_.-]|favicon|apple-touch-icon|/icons?/|[/_-](dummy|spacer)[/_.-]",
                            re.I)
_PROMOTION = re.compile(r"\b(newsletter|subscribe|sign up|you (might|may) also like|lorem ipsum|let us know|contact us"
                        r"|get in touch|save up to|free trial|try \w+ for \d+ days|shop|discover (some|more)"
                        r"|we'?d love to hear|deal alerts)\b", re.I)
# UTF-8 read as Windows-1252 ("â€™", "Â " for a no-break space, "Ã©" for "é"): the test's own pattern.
_MOJIBAKE = re.compile(r"â€|Â[\s\u00a0-\u00bf]|Ã[\u0080-\u00bf]")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);", re.I)
# What a figure description must not be (what a screen reader would read out as the image):
# a file or class name, a template's junk, or one generic word.
_ALT_FURNITURE = re.compile(r"^[\w%]+(?:[-_][\w%]+){2,}$|\.(jpe?g|png|gif|webp|svg)$|\[object \w+\]|\bundefined\b"
                            r"|\b\d{2,4} ?x ?\d{2,4}\b|^((main|featured|hero|header|cover) )?(logo|icon|image|img|photo|picture|banner|thumbnail)$", re.I)


def _key(text: str) -> str:
    return " ".join(_TOKEN.findall(_LINK.sub(r"\1", text).lower()))


def gold_headings(markdown: str | None) -> list[str]:
    found, fenced = [], False
    for line in (markdown or "").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        m = None if fenced else _ATX.match(line)
        if m and m.group(1):
            found.append(m.group(1))
    return found


def _first_h1(html: bytes) -> str:
    try:
        h1 = lxml.html.fromstring(html).find(".//h1")
    except (ValueError, lxml.etree.ParserError):
        return ""
    return h1.text_content() if h1 is not None else ""


class Page:
    def __init__(self, corpus: str, page_id: str, truth: dict) -> None:
        html = gzip.open(SHARED / "corpus" / corpus / "html" / f"{page_id}.html.gz").read()
        self.corpus, self.truth = corpus, truth
        self.title_keys = {_key(truth.get("title") or ""), _key(_first_h1(html)), ""}
        try:
            draft = read_html(html, f"{page_id}.html")
        except Exception as exc:  # noqa: BLE001 - a refusal is one of the figures
            self.refused, self.body, self.headings, self.byline, self.alts = str(exc), "", [], None, []
            self.title, self.dek, self.figure_sources, self.published = "", None, [], None
            return
        self.refused = None
        article = build_article(draft)
        self.body = article.body_text()
        self.alts = [block.alt for _, block in article.iter_blocks() if isinstance(block, Figure) and block.alt]
        self.headings = [b.text for b in draft.blocks if b.kind == "heading"]
        self.byline = draft.byline
        self.title, self.dek, self.published = draft.title, draft.dek, draft.published
        self.figure_sources = [b.src for b in draft.blocks if b.kind == "figure" and b.src]


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    out = []
    for corpus in CORPORA:
        truth_file = SHARED / "corpus" / corpus / "ground-truth.json"
        assert truth_file.exists(), f"corpus missing at {truth_file} (set PUBLISHER_SHARED)"
        for page_id, truth in sorted(json.loads(truth_file.read_text(encoding="utf-8")).items()):
            out.append(Page(corpus, page_id, truth))
    return out


def body_figures(pages: list[Page]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for page in pages:
        precision, recall = page_scores(page.truth["articleBody"], page.body)
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return precision, recall, 2 * precision * recall / (precision + recall)


def test_scoring_helpers_on_known_cases():
    assert gold_headings("# Title\n\n## Part one ##\n```\n# not a heading\n```\n#hashtag\n### [Linked](u)") == [
        "Title", "Part one", "[Linked](u)"]
    assert _key("[Linked](http://x) Part!") == "linked part"


def test_both_corpora_are_there(pages):
    assert Counter(p.corpus for p in pages) == {"aeb-dev": 20, "wcxb-dev": 394}


@pytest.mark.parametrize("corpus,floor", [("aeb-dev", (0.96, 0.97, 0.97)), ("wcxb-dev", (0.935, 0.945, 0.94))])
def test_body_text_floors(pages, corpus, floor):
    precision, recall, f1 = body_figures([p for p in pages if p.corpus == corpus])
    assert (precision, recall, f1) >= floor and precision >= floor[0] and recall >= floor[1], (precision, recall, f1)


def test_pooled_body_text_and_refusals(pages):
    precision, recall, f1 = body_figures(pages)
    assert f1 >= 0.945, (precision, recall, f1)
    refused = [(p.corpus, p.truth.get("url"), p.refused) for p in pages if p.refused]
    # The goal: no real article page refused (the one trafilatura could not read either,
    # a story nested in an unclosed pop-up, is read since the reader unwraps such wrappers).
    assert refused == [], refused


def test_headings_floor_on_wcxb(pages):
    tp = predicted = gold = 0
    for page in pages:
        if page.corpus != "wcxb-dev" or page.truth.get("markdown") is None:
            continue
        want = Counter(k for k in map(_key, gold_headings(page.truth["markdown"])) if k not in page.title_keys)
        if not want:
            continue
        got = Counter(k for k in map(_key, page.headings) if k not in page.title_keys)
        tp += sum((want & got).values())
        predicted += sum(got.values())
        gold += sum(want.values())
    precision, recall = tp / predicted, tp / gold
    assert gold > 5000 and precision >= 0.87 and recall >= 0.905, (precision, recall)


def test_bylines_hold_names_not_page_furniture(pages):
    bylines = [p.byline for p in pages if p.byline]
    furnished = [b for b in bylines if _FURNITURE.search(b)]
    assert len(bylines) >= 250
    assert len(furnished) / len(bylines) <= 0.01, furnished


def test_titles_show_text_not_entity_references(pages):
    """A CMS that escapes a title twice leaves "What&#8217;s" in it: the page's h1, the feed and
    the narration would carry the reference, not the apostrophe (20 of 414 titles before)."""
    titles = [p.title for p in pages if p.title]
    assert len(titles) >= 400
    assert [t for t in titles if _ENTITY.search(t)] == []


def test_story_text_holds_no_mojibake(pages):
    """Some sites store their text double-encoded; read aloud, "weâ€™ve" is spelt out letter
    by letter (4 of 414 pages before the reader repaired it)."""
    texts = [t for p in pages for t in (p.title, p.byline, p.dek, p.body, *p.headings) if t]
    assert len(texts) >= 5000
    assert [t[:80] for t in texts if _MOJIBAKE.search(t)] == []


def test_words_are_not_run_together(pages):
    """A word glued to the next ("2026FABCON", "Reportthat") is read aloud as one nonsense
    word: distinct tokens of our text that the ground truth has as two adjacent words
    (numbers aside) were 337 over the 414 pages before list items, blocks and formatted
    runs were set apart, 42 after (mostly the sites' own typos)."""
    glued = 0
    for page in pages:
        truth = _TOKEN.findall(page.truth["articleBody"])
        single, pairs = set(truth), {a + b for a, b in zip(truth, truth[1:])}
        glued += sum(1 for w in set(_TOKEN.findall(page.body)) if w in pairs and w not in single and not w.isdigit())
    assert glued <= 60, glued


def test_publication_dates_are_iso_8601(pages):
    """The page's <time>, the feed's pubDate and the monthly archive need a date they can
    read: before, 21 of 251 dates were written out ("Jan 17, 2025") and silently dropped
    at write time, and 163 pages had none."""
    dated = [p.published for p in pages if p.published]
    unreadable = []
    for value in dated:
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            unreadable.append(value)
    assert unreadable == []
    assert len(dated) >= 300


def test_figures_are_pictures_not_avatars_or_icons(pages):
    """An author's avatar, a favicon, a theme's icon or a lazy loader's dummy is no figure of
    the story: a screen reader would announce an image with nothing to say (25 of 1,960
    figures before)."""
    sources = [src for page in pages for src in page.figure_sources]
    assert len(sources) >= 1000
    assert [s for s in sources if _NOT_A_PICTURE.search(s.split("?")[0])] == []


def test_deks_are_standfirsts_not_promotions(pages):
    """A dek is read under the headline and aloud before the story: a sign-up box, a sale or
    a "You might also like" named like a subtitle is not one (10 of 66 deks before the dek had
    to stand between headline and story; 1 of 50 after)."""
    deks = [p.dek for p in pages if p.dek]
    promotions = [d for d in deks if _PROMOTION.search(d)]
    assert len(deks) >= 40
    assert len(promotions) / len(deks) <= 0.03, promotions


def test_figure_descriptions_are_descriptions_not_page_furniture(pages):
    alts = [alt for page in pages for alt in page.alts]
    furnished = [alt for alt in alts if _ALT_FURNITURE.search(alt)]
    assert len(alts) >= 800
    assert len(furnished) / len(alts) <= 0.01, furnished
