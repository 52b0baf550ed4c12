"""Chrome rules as data: class words, boilerplate lines, chrome headings, credit lines."""
from __future__ import annotations

import lxml.html
import pytest

from publisher.read.chrome import (
    before_boilerplate, chrome_reason, credit_kind, is_boilerplate_line, is_chrome_heading, remove_chrome,
)


@pytest.mark.parametrize("snippet, reason", [
    ('<div class="share-bar">x</div>', "class"),
    ('<div class="shareBar">x</div>', "class"),
    ('<div id="newsletter-signup">x</div>', "class"),
    ('<section class="related-stories">x</section>', "class"),
    ('<div class="cookie_consent">x</div>', "class"),
    ('<div class="ad-slot">x</div>', "class"),
    ('<div role="navigation">x</div>', "role"),
    ('<nav>x</nav>', "tag"),
    ('<aside>x</aside>', "tag"),
    ('<div style="display: none">x</div>', "hidden"),
    ('<div hidden>x</div>', "hidden"),
    ('<span class="sr-only">x</span>', "class"),
    ('<div class="author-bio">x</div>', "class"),
    ('<div class="story-body">x</div>', None),
    ('<div class="article-content">x</div>', None),
    ('<div class="shadow">x</div>', None),  # "ad" only as a whole word
    ('<h2 class="kt-adv-heading10415_49ba8b">x</h2>', None),  # a theme's "advanced heading", no advert
    ('<div class="advert-slot">x</div>', "class"),
    # A class naming the page's state ("no sidebar here"), not the chrome itself.
    ('<div class="blog-article__main sidebar-enabled--false content">x</div>', None),
    ('<div class="page has-sidebar">x</div>', None),
    ('<div class="post with-share-buttons">x</div>', None),
    ('<div class="sidebar sidebar--left">x</div>', "class"),
    ('<p class="lead">x</p>', None),
    # Panels titled like chrome and made of links, whatever their (hashed) class.
    ('<section class="sc-x1"><h2>Recommended</h2><a href="/a"><h3>Tape loops</h3><p>Forty machines.</p></a></section>',
     "box"),
    ('<div class="q9"><h3>Most read</h3><ol><li><a href="/1">Bridge reopens</a></li><li><a href="/2">Rates rise</a>'
     '</li></ol></div>', "box"),
    # Same title, but the panel is prose, or the title is not where it opens: not a box.
    ('<section><h2>Related</h2><p>The council has also voted on the library, which will open longer hours from '
     'March after a long campaign by parents and students who said the old hours shut out working families.</p>'
     '</section>', None),
    ('<div><p>Story text before the panel title.</p><h2>Recommended</h2><a href="/a">Tape loops</a></div>', None),
    ('<section><h2>What happens next</h2><a href="/a">The plan</a></section>', None),
    # Furniture titles need no links: the panel goes whatever it holds.
    ('<div class="c1"><h2>Contact us</h2><p>Waste Team, Civic Offices, Market Square.</p>'
     '<p>Telephone: 01632 555 200, Monday to Friday.</p></div>', "box"),
])
def test_chrome_reason(snippet, reason):
    el = lxml.html.fragment_fromstring(snippet)
    assert chrome_reason(el) == reason


def test_class_words_never_take_the_main_text():
    story = "".join(f"<p>Paragraph {i} of a long story about the harbour and its boats.</p>" for i in range(10))
    root = lxml.html.document_fromstring(
        f"<html><body><div class='post category-promotions'>{story}</div>"
        "<div class='promo'>Buy now</div></body></html>")
    remove_chrome(root)
    text = root.text_content()
    assert "Paragraph 9" in text and "Buy now" not in text


@pytest.mark.parametrize("line, boilerplate", [
    ("Advertisement", True),
    ("Sign up for our daily newsletter to get the top stories.", True),
    ("Get the best stories delivered to your inbox: subscribe to our newsletter", True),
    ("Read more: Why the ferry is late again", True),
    ("Follow us on Instagram", True),
    ("Click here to see the full gallery", True),
    ("Leia também: Escolas recebem uniformes", True),
    ("Читайте также: новости города", True),
    ("© 2024 The Coastal Ledger", True),
    ("The council said its newsletter would report the vote, and residents could sign up at the library "
     "for the weekly paper copy, which has been printed since 1921 by volunteers who meet every Tuesday "
     "night in the old school hall to fold and staple each issue by hand before it is delivered.", False),
    ("Residents read more books in winter, the librarian said.", False),
    ("The mayor will follow the plan closely.", False),
    # Story lines that look a little like nav bars or breadcrumbs stay.
    ("Fares: adults | children | seniors", False),
    ("Home prices rose again in March, the agency said.", False),
])
def test_boilerplate_lines(line, boilerplate):
    assert is_boilerplate_line(line) is boilerplate


@pytest.mark.parametrize("heading, chrome", [
    ("Related stories", True), ("More from Sport", True), ("You may also like", True),
    ("Most read", True), ("Comments", True), ("Story continues below advertisement", True), ("Share this article", True), ("Mais lidas", True),
    ("Table of Contents", True), ("In this article", True), ("Jump to section", True),
    ("Join our weekly gardening newsletter", True), ("Advertisement: new course on soil", True),
    ("What the engineers found", False), ("More than a mill", False), ("Related species in the bay", False),
    ("Contents of the time capsule", False), ("Why the newsletter closed", False), ("Advertising on the buses", False),
    # Teaser panels and the site's self-description, however worded.
    ("Recent Blogs", True), ("Related articles that may interest you", True), ("More great bread recipes", True),
    ("Other Posts:", True), ("Helpful Links:", True), ("Why Trust Us?", True), ("Article written by:", True),
    ("Still have questions?", True),
    ("More posts than ever went unread", False), ("Recent storms and the sea wall", False),
    ("Written by hand: the letters of 1916", False), ("Why trust matters in the harbour", False),
    ("Other stories of the flood", False),
    # Calls to action and sharing prompts closing a page.
    ("Get started today!", True), ("Ready to get started?", True), ("Take the next step", True),
    ("Share this with a friend", True), ("How to stay in touch", True), ("Get in touch with our harbour team", True),
    ("Getting started with tide tables", False), ("Get started", False), ("Staying in touch with the fleet at sea", False),
    ("Share prices fell at the port", False),
])
def test_chrome_headings(heading, chrome):
    assert is_chrome_heading(heading) is chrome


@pytest.mark.parametrize("line, kind", [
    ("-With additional reporting from Ana Ruiz in Lisbon", "reporting"),
    ("Additional reporting by Li Wei; editing by Sam Cole", "reporting"),
    ("Reporting by Tom Hale in London", "reporting"),
    ("Editor's note: This story was updated to include a statement.", "editors-note"),
    ("Correction: An earlier version misspelled the mayor's name.", "correction"),
    ("The correction came too late for the farmers.", None),
    ("Reporting the news is hard, she said, and the town agreed.", None),
])
def test_credit_kind(line, kind):
    assert credit_kind(line) == kind


@pytest.mark.parametrize("line", [
    "You’ve read 3 of 3 free articles this month.",
    "You have 5 gift articles left this month.",
    "Keep reading with a Ledger subscription",
    "Subscribe to continue reading.",
    "Give this article",
    "The views expressed in this column are those of the author and do not necessarily reflect ours.",
    "Do you have a story to share? Email us at desk@example.org",
    "Home > Local News > Story",
    "Home | News | Sports | Obituaries | Classifieds | Contact Us",
])
def test_prompts_and_nav_lines_are_boilerplate(line):
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("snippet", [
    '<div class="larder-optin"><p>Love a recipe with a story?</p></div>',
    '<section class="barrier"><p>Subscribe for unlimited access.</p></section>',
])
def test_signup_and_paywall_boxes_are_chrome(snippet):
    assert chrome_reason(lxml.html.fragment_fromstring(snippet)) == "class"


@pytest.mark.parametrize("snippet, reason", [
    ('<sup class="footnote-ref"><a href="#fn3">3</a></sup>', "notes"),
    ('<sup><a href="#cite_note-4">[4]</a></sup>', "notes"),
    ('<section class="footnotes"><h2>Notes</h2><ol><li>A source.</li></ol></section>', "notes"),
    ('<div role="doc-endnotes"><ol><li>A source.</li></ol></div>', "notes"),
    ('<sup>2</sup>', None),  # a power or an ordinal mark: text
    ('<sup><a href="/glossary#m2">m2</a></sup>', None),
])
def test_footnote_apparatus(snippet, reason):
    assert chrome_reason(lxml.html.fragment_fromstring(snippet)) == reason


_LONG = ("The harbour board met on Tuesday evening to decide how the old stone pier should be repaired "
         "before winter, and {} residents came to the hall to hear the engineers explain the three plans.")


def _story_paragraphs(wrapper: str, n: int = 6) -> str:
    return "".join(f"<div class='{wrapper}'><p>{_LONG.format(i + 10)}</p></div>" for i in range(n))


def test_a_page_builders_wrapper_word_is_layout_not_chrome():
    """A page builder wraps every block, the story's own paragraphs too, in "…-widget":
    where the word marks most of the story it names the page's layout."""
    builder = "elementor-element elementor-widget elementor-widget-text-editor"
    root = lxml.html.document_fromstring(f"<html><body><div class='page'>{_story_paragraphs(builder)}</div>"
                                         "<div class='footer-menu'>Home Contact</div></body></html>")
    remove_chrome(root)
    text = root.text_content()
    assert all(_LONG.format(i + 10) in text for i in range(6))
    assert "Home Contact" not in text  # the other chrome words still count


def test_a_sidebar_widget_beside_a_story_is_still_chrome():
    root = lxml.html.document_fromstring(
        f"<html><body><div class='page'>{_story_paragraphs('block')}</div>"
        "<div class='widget'><p>Archives</p><a href='/2024'>2024</a></div></body></html>")
    remove_chrome(root)
    text = root.text_content()
    assert _LONG.format(10) in text and "Archives" not in text


def test_a_menus_blurbs_beside_the_story_container_stay_chrome():
    """A mega-menu with long blurbs may hold more paragraph text than a short story; only
    what a word marks inside the story container can make it a layout word."""
    blurbs = "".join(f"<li><p>{_LONG.format(i)}</p></li>" for i in range(2))
    results = "".join(f"<li>Berth {i}: paid, moored until March</li>" for i in range(20))
    root = lxml.html.document_fromstring(
        f"<html><body><div class='menu'><ul>{blurbs}</ul></div>"
        f"<article><p>{_LONG.format(99)}</p><ul>{results}</ul></article></body></html>")
    article = root.find(".//article")
    remove_chrome(root, protected={article, *article.iterancestors()})
    text = root.text_content()
    assert _LONG.format(99) in text and _LONG.format(0) not in text


def test_the_layout_word_walks_are_bounded(monkeypatch):
    """Story wrappers nested under one chrome word after another would add one layout word
    per walk; the walks stop at the bound."""
    import publisher.read.chrome as chrome

    words = ["share", "social", "sidebar", "related", "promo", "sponsor", "toolbar"]
    inner = _story_paragraphs("block")
    for word in words:
        inner = f"<div class='{word}-box'>{inner}</div>"
    # Short link lines (no story paragraphs) so that no wrapper holds half the page's text.
    links = "".join(f"<div><a href='/t/{n}'>Tide tables for the northern harbour, week {n}</a></div>"
                    for n in range(60))
    root = lxml.html.document_fromstring(f"<html><body>{inner}{links}</body></html>")
    walks = []
    real_walk = chrome._chrome_walk
    monkeypatch.setattr(chrome, "_chrome_walk", lambda *a: walks.append(1) or real_walk(*a))
    remove_chrome(root)
    assert 2 <= len(walks) <= chrome.MAX_CHROME_WALKS


@pytest.mark.parametrize("text, kept", [
    ("We sailed every ferry on the bay. We may earn a commission from links on this page. Learn more.",
     "We sailed every ferry on the bay."),
    ("Six tide clocks, tested at sea. Our editors independently select every product we feature.",
     "Six tide clocks, tested at sea."),
    ("We may earn a commission when you buy.", ""),
    ("The harbour board tested the engines. Then it voted.", "The harbour board tested the engines. Then it voted."),
])
def test_text_before_boilerplate(text, kept):
    assert before_boilerplate(text) == kept


def test_a_dek_ends_before_its_disclosure():
    from publisher.read.html import read_html
    from test_byline import story_page

    page = story_page("<p class='dek'>We tried six tide clocks at sea. We may earn a commission from your purchases. "
                      "Learn more.</p>", title="Tide clocks")
    assert read_html(page, "in/clocks.html").dek == "We tried six tide clocks at sea."
