"""Bylines hold names only: the rules in publisher/read/byline.py, one table of cases
written here, and a pooled count over the real dev corpora."""
from __future__ import annotations

import pytest

from publisher.read.byline import (
    byline_from, clean_byline, collapse_repeat, cut_at_furniture, cut_bio, drop_handles, drop_lead_by, join_names,
)
from publisher.read.html import read_html

CASES = [
    # (byline as a page prints it, the names)
    ("Ines Okafor", "Ines Okafor"),
    ("By Ines Okafor", "Ines Okafor"),
    ("Written by: Ines Okafor", "Ines Okafor"),
    ("Ines Okafor - Mar 4, 2024, 9:05 am EST", "Ines Okafor"),
    ("By Ines Okafor @inesokafor Mar 4, 2024", "Ines Okafor"),
    ("Ines Okafor / 3 hours ago", "Ines Okafor"),
    ("By Ines Okafor | 4 March 2024 (9:05 AM)", "Ines Okafor"),
    ("By Ines Okafor Updated on March 4, 2024 at 9:05 PM", "Ines Okafor"),
    ("Ines Okafor Last updated: 2024-03-04 • 6 min read", "Ines Okafor"),
    ("By Ines Okafor 6 min read Fact checked by Tomas Berg", "Ines Okafor"),
    ("Last updated: 2024-03-04 Cite this page By Ines Okafor Fact checked", "Ines Okafor"),
    ("By Ines Okafor Staff Reporter Share Email Print", "Ines Okafor Staff Reporter"),
    ("ines.okafor@example.org", None),
    ("✉ Ines Okafor ines.okafor@example.org", "Ines Okafor"),
    ("Ines Okafor Ines Okafor", "Ines Okafor"),
    ("By Ines Okafor , Harbour Correspondent 4 March 2024 | 12 Comments", "Ines Okafor, Harbour Correspondent"),
    ("Updated on March 4, 2024", None),
    ("Written By Mar 4, 2024 · 6 min read", None),
    ("Jean-Paul Ndiaye and Ana María López-Ortiz", "Jean-Paul Ndiaye and Ana María López-Ortiz"),
    # Labels before the names.
    ("Author: Ines Okafor", "Ines Okafor"),
    ("Author Ines Okafor", "Ines Okafor"),
    ("Authors: Ines Okafor, Tomas Berg", "Ines Okafor, Tomas Berg"),
    ("Authored by: Dr. Ines Okafor", "Dr. Ines Okafor"),
    ("Text by Ines Okafor", "Ines Okafor"),
    ("This article was written by Ines Okafor, Harbour Correspondent", "Ines Okafor, Harbour Correspondent"),
    ("About Ines Okafor More articles by Ines Okafor", "Ines Okafor"),
    # Labels with no names at all.
    ("Author", None),
    ("About the Author", None),
    ("Authors of this article", None),
    ("How we reviewed this article", None),
    ("Read more about the harbour team", None),
    # An author box's sentence run on after the name.
    ("Ines Okafor Ines is a harbour reporter at the Gazette.", "Ines Okafor"),
    ("By Ines Okafor Ines Okafor Ines Okafor is a writer covering ferries. Learn more", "Ines Okafor"),
    ("Ines Okafor She is a reporter covering the port.", "Ines Okafor"),
    ("Ines Okafor is the Gazette's harbour editor", "Ines Okafor"),
    # Footers, icon-font glyphs and logins are not names.
    ("© 2024 Harbour Gazette. All rights reserved. Privacy Policy", None),
    ("\ue08a Ines Okafor", "Ines Okafor"),
    ("siteadmin", None),
    ("iokafor42", None),
    ("admin", None),
    ("ines", "ines"),
    # A form's field label, a sign-in link, a script's empty value: nobody.
    ("Name *", None),
    ("Sign In", None),
    ("undefined", None),
    ("By ines.okafor@example.org on", None),
    # Links to the author's page printed after the name.
    ("Ines Okafor Full Bio", "Ines Okafor"),
    ("Ines Okafor Author's Profile", "Ines Okafor"),
    ("By Ines Okafor Verified expert", "Ines Okafor"),
    ("Harbour Gazette Sponsored", "Harbour Gazette"),
    ("", None),
    (None, None),
]


_STORY = "<p>" + "The harbour board met on Tuesday to decide the future of the old ferry slip. " * 3 + "</p>"


def story_page(before_story: str, *, head: str = "", body_attrs: str = "", article_attrs: str = "",
               after_article: str = "", title: str = "Ferry slip") -> bytes:
    """A news page of four story paragraphs, with ``before_story`` under its headline."""
    return (f"<html lang='en'><head><title>{title}</title>{head}</head><body{body_attrs}>"
            f"<article{article_attrs}><h1>{title}</h1>{before_story}{_STORY * 4}</article>"
            f"{after_article}</body></html>").encode()


@pytest.mark.parametrize("raw,names", CASES)
def test_byline_keeps_the_names(raw, names):
    assert clean_byline(raw) == names


def test_rules_one_at_a_time():
    assert drop_handles("Ines @ines_o and x@y.org") .split() == ["Ines", "and"]
    assert cut_at_furniture("Ines Okafor • 6 min read") == "Ines Okafor"
    assert drop_lead_by("by: Ines") == "Ines"
    assert collapse_repeat("Ana Ana Bo") == "Ana Ana Bo"
    assert cut_bio("Ana Bo Ana is a reporter") == "Ana Bo"
    assert cut_bio("Ana Bo, reporter") == "Ana Bo, reporter"


def test_author_lists_read_as_a_list():
    assert join_names(["Ines Okafor", "Tomas Berg", "Ines Okafor", "Ana Ruiz"]) == "Ines Okafor, Tomas Berg and Ana Ruiz"
    assert join_names(["Ines Okafor", "Tomas Berg"]) == "Ines Okafor and Tomas Berg"
    assert join_names(["Ines Okafor"]) == "Ines Okafor"
    assert join_names([]) == ""


def test_page_byline_element_comes_out_clean():
    page = story_page("<div class='byline'>By Ines Okafor <a href='#'>@inesokafor</a> · 4 March 2024, 9:05</div>")
    assert read_html(page, "in/ferry.html").byline == "Ines Okafor"


@pytest.mark.parametrize("printed,authors,byline", [
    # The structured names, where the printed byline is they plus words that name nobody more.
    ("By Ines Okafor Senior Harbour Reporter", ["Ines Okafor"], "Ines Okafor"),
    ("Ines Okafor, Tomas Berg Harbour desk", ["Ines Okafor", "Tomas Berg"], "Ines Okafor and Tomas Berg"),
    # The printed byline names more people than the metadata: it stands.
    ("Ines Okafor and Tomas Berg", ["Ines Okafor"], "Ines Okafor and Tomas Berg"),
    ("Ines Okafor, Tomas Berg", ["Ines Okafor"], "Ines Okafor, Tomas Berg"),
    ("Ines Okafor & Tomas Berg", ["Ines Okafor"], "Ines Okafor & Tomas Berg"),
    # Other names, or a longer first name: the printed byline stands.
    ("Ines Okafor-Berg", ["Ines Okafor"], "Ines Okafor-Berg"),
    ("Tomas Berg Harbour desk", ["Ines Okafor"], "Tomas Berg Harbour desk"),
    # Nothing printed, or nothing left of it: the structured names, cleaned one by one.
    (None, ["By Ines Okafor", "Tomas Berg"], "Ines Okafor and Tomas Berg"),
    ("Full Bio", ["Ines Okafor"], "Ines Okafor"),
    ("Name *", [], None),
])
def test_printed_byline_and_structured_names(printed, authors, byline):
    assert byline_from(printed, authors) == byline


def test_a_commenter_is_not_the_author():
    comments = ("<section id='comments'><ol class='comment-list'><li class='comment'>"
                "<div class='comment-author vcard'><b class='fn'>Tomas Berg</b> says:</div>"
                "<p>I used that slip every summer as a boy.</p></li></ol></section>")
    head = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"headline\": \"Ferry slip\", "
            "\"author\": {\"name\": \"Ines Okafor\"}}</script>")
    assert read_html(story_page("", head=head, after_article=comments), "in/ferry.html").byline == "Ines Okafor"
    assert read_html(story_page("", after_article=comments), "in/ferry.html").byline is None


def test_an_opinion_page_s_byline_is_not_a_comment():
    # "commentary" and a wrapper's state class ("comments-open") are no comment thread.
    page = story_page("<div class='commentary__byline'>By Ines Okafor</div>", body_attrs=" class='comments-open'",
                      article_attrs=" class='commentary comments-open'")
    assert read_html(page, "in/ferry.html").byline == "Ines Okafor"
