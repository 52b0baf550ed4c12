"""The article page and the index in a real browser (Debian Chromium via Playwright).

axe-core and the W3C Nu checker must find nothing; the keyboard path, section
playback, read-along highlighting and its toggle must work; without scripts the
page still offers plain links.  One browser for the whole session (conftest.py).
"""
from __future__ import annotations

import pytest

import harness

pytestmark = pytest.mark.slow

AUDIO = "document.getElementById('audio-player')"

# Resolves with the audio's currentTime at its next "seeked" event (null after 10 s).
ARM_SEEKED = f"""() => {{
  const audio = {AUDIO};
  window.__seeked = new Promise(resolve => {{
    audio.addEventListener('seeked', () => resolve(audio.currentTime), {{once: true}});
    setTimeout(() => resolve(null), 10000);
  }});
}}"""

# Seek to t, wait for the timeupdate that follows, return the ids carrying the highlight.
SEEK_AND_READ_HIGHLIGHT = f"""async (t) => {{
  const audio = {AUDIO};
  const updated = new Promise(resolve => audio.addEventListener('timeupdate', resolve, {{once: true}}));
  audio.currentTime = t;
  await updated;
  await new Promise(requestAnimationFrame);
  return [...document.querySelectorAll('.is-spoken')].map(el => el.id);
}}"""

# Make the media and its metadata track ready (what pressing play would do), without playing.
LOAD_AUDIO = f"""async (cueCount) => {{
  const audio = {AUDIO};
  audio.preload = 'auto';
  audio.load();
  const track = audio.textTracks[0];
  for (let i = 0; i < 200; i++) {{
    if (audio.readyState >= 1 && track.cues && track.cues.length === cueCount) return true;
    await new Promise(r => setTimeout(r, 50));
  }}
  return false;
}}"""


@pytest.fixture
def article_url(site_url, fixture_build) -> str:
    return site_url + fixture_build.article_path


def page_url(site_url, fixture_build, which: str) -> str:
    paths = {"article": fixture_build.article_path, "foreign-article": fixture_build.foreign_article_path,
             "text-only": fixture_build.text_only_path, "index": "index.html"}
    return site_url + paths[which]


def load_audio(page, fixture_build) -> None:
    assert page.evaluate(LOAD_AUDIO, len(fixture_build.narration.timings)), "audio or cues never loaded"


def highlighted_at(page, seconds: float) -> list[str]:
    return page.evaluate(SEEK_AND_READ_HIGHLIGHT, seconds)


# -- automated audits ------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ["article", "foreign-article", "text-only", "index"])
def test_axe_finds_no_violations(chromium_browser, site_url, fixture_build, which, scheme):
    url = page_url(site_url, fixture_build, which)
    audit = harness.audit_page(url, chromium_browser, color_scheme=scheme)
    assert audit.violations == [], harness.describe_violations(audit.violations)
    assert audit.recorder.external_requests == []
    assert audit.recorder.page_errors == []
    assert audit.recorder.failed_requests == []


def test_axe_finds_no_violations_with_highlight_on_in_dark_theme(open_page, article_url, fixture_build):
    page = open_page(article_url, color_scheme="dark")
    load_audio(page, fixture_build)
    timing = fixture_build.narration.timings[4]
    assert highlighted_at(page, timing.start + 0.05) == [timing.sentence_id]
    violations = harness.run_axe(page)["violations"]
    assert violations == [], harness.describe_violations(violations)


def test_vnu_finds_no_errors(fixture_build):
    root = fixture_build.root
    pages = [root / path for path in ("index.html", fixture_build.article_path, fixture_build.foreign_article_path,
                                      fixture_build.text_only_path)]
    report = harness.run_vnu(pages + [root / "static" / "site.css"], css=True)
    assert report.errors == [], report.describe()


# -- keyboard ------------------------------------------------------------------------------------------

def test_first_tab_stop_is_the_skip_link_and_it_moves_focus_into_main(open_page, article_url):
    page = open_page(article_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to article", "#main"]
    # Visible while focused (it is off-screen otherwise).
    assert page.evaluate("() => document.activeElement.getBoundingClientRect().top >= 0")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_second_skip_link_moves_focus_to_the_player(open_page, article_url):
    page = open_page(article_url)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to audio player"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "listen"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "audio-player"


def test_every_play_section_button_seeks_to_its_chapter(open_page, article_url, fixture_build):
    page = open_page(article_url)
    chapters = {c.section_id: c for c in fixture_build.narration.chapters}
    headed = [s for s in fixture_build.article.sections if s.heading]
    assert page.locator("button.play-section").count() == len(headed)
    for section in headed:
        button = page.get_by_role("button", name=f"Play this section “{section.heading}”", exact=True)
        assert button.is_visible()
        page.evaluate(ARM_SEEKED)
        button.click()
        position = page.evaluate("() => window.__seeked")
        page.evaluate(f"() => {AUDIO}.pause()")
        assert position is not None, f"no seek for {section.heading}"
        assert abs(position - chapters[section.id].start) <= 0.3, (section.heading, position)


# -- read-along ------------------------------------------------------------------------------------------

def test_each_cue_highlights_exactly_its_sentence_and_focus_stays(open_page, article_url, fixture_build):
    page = open_page(article_url)
    load_audio(page, fixture_build)
    assert page.locator(".is-spoken").count() == 0  # nothing is being read before play or seek
    for timing in fixture_build.narration.timings:
        assert highlighted_at(page, timing.start + 0.05) == [timing.sentence_id], timing.text
    assert page.evaluate("() => document.activeElement === document.body")


def test_toggle_turns_highlight_off_and_is_remembered(open_page, article_url, fixture_build):
    timings = fixture_build.narration.timings
    page = open_page(article_url)
    load_audio(page, fixture_build)
    assert highlighted_at(page, timings[2].start + 0.05) == [timings[2].sentence_id]
    toggle = page.get_by_role("button", name="Highlight the sentence being read", exact=True)
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.locator(".is-spoken").count() == 0
    assert highlighted_at(page, timings[5].start + 0.05) == []

    page.reload(wait_until="load")
    toggle = page.get_by_role("button", name="Highlight the sentence being read", exact=True)
    assert toggle.get_attribute("aria-pressed") == "false"
    load_audio(page, fixture_build)
    assert highlighted_at(page, timings[5].start + 0.05) == []
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => [...document.querySelectorAll('.is-spoken')].map(e => e.id)") == [timings[5].sentence_id]


def test_playing_scrolls_to_the_sentence_unless_the_user_just_scrolled(open_page, article_url, fixture_build):
    page = open_page(article_url, viewport={"width": 800, "height": 480}, reduced_motion="reduce")
    load_audio(page, fixture_build)
    last = fixture_build.narration.timings[-1]
    page.evaluate(f"() => {AUDIO}.play()")
    assert highlighted_at(page, last.start + 0.05) == [last.sentence_id]
    in_view = f"() => {{ const r = document.getElementById('{last.sentence_id}').getBoundingClientRect();" \
              " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    page.wait_for_function(in_view, timeout=5000)

    page.mouse.move(400, 300)
    page.mouse.wheel(0, -100000)  # the reader scrolls back to the top
    page.wait_for_function("() => window.scrollY === 0")
    first_body = fixture_build.narration.timings[2]
    highlighted_at(page, first_body.start + 0.05)
    assert highlighted_at(page, last.start + 0.05) == [last.sentence_id]
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.scrollY") == 0  # left where the reader put it
    page.evaluate(f"() => {AUDIO}.pause()")


def test_reduced_motion_turns_smooth_scrolling_off(open_page, article_url):
    smooth = open_page(article_url, reduced_motion="no-preference")
    assert smooth.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "smooth"
    reduced = open_page(article_url, reduced_motion="reduce")
    assert reduced.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "auto"


# -- without JavaScript, and small screens ------------------------------------------------------------------

def test_without_javascript_there_are_links_and_no_dead_buttons(open_page, article_url, fixture_build):
    page = open_page(article_url, java_script_enabled=False)
    assert page.locator("button").evaluate_all("els => els.filter(e => e.offsetParent !== null).length") == 0
    links = page.locator("a.section-mp3")
    assert links.count() == len([s for s in fixture_build.article.sections if s.heading])
    assert all(links.nth(i).is_visible() for i in range(links.count()))
    assert page.locator("audio[controls]").is_visible()
    assert page.get_by_role("link", name="Download the audio (MP3", exact=False).first.is_visible()


@pytest.mark.parametrize("which", ["article", "index"])
def test_reflows_at_320_css_pixels(open_page, site_url, fixture_build, which):
    url = page_url(site_url, fixture_build, which)
    page = open_page(url, viewport={"width": 320, "height": 640})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], widths


# Rows of the screenshot where the first toc entry's number (painted a pure red) shows.
_MARK_TOC = """() => {
  const style = document.createElement('style');
  style.textContent = '.toc > ol > li:first-child::marker { color: rgb(255, 0, 0); } .toc a { color: rgb(0, 0, 255) !important; }';
  document.head.append(style);
  const link = document.querySelector('.toc > ol > li:first-child > a');
  link.textContent = 'A very long section heading that has to wrap over several lines at this narrow width';
  link.closest('li').scrollIntoView({block: 'center', behavior: 'instant'});
  const range = document.createRange();
  range.selectNodeContents(link);
  const lines = [...range.getClientRects()].map(r => [r.top, r.bottom]);
  const li = link.closest('li').getBoundingClientRect();
  return {lines, li: [li.left - 40, li.top, li.right, li.bottom]};
}"""


def test_a_long_toc_entry_keeps_its_number_beside_its_first_line(open_page, article_url):
    import io

    from PIL import Image

    page = open_page(article_url, viewport={"width": 320, "height": 900})
    if not page.locator(".toc li a").count():
        pytest.fail("the fixture article has no table of contents")
    found = page.evaluate(_MARK_TOC)
    lines = found["lines"]
    assert len({round(top) for top, _ in lines}) >= 2, "the entry did not wrap"
    left, top, right, bottom = found["li"]
    shot = Image.open(io.BytesIO(page.screenshot(clip={"x": max(left, 0), "y": top, "width": right - max(left, 0),
                                                       "height": bottom - top}))).convert("RGB")
    red_rows = [y for y in range(shot.height)
                if any(r > 200 and g < 80 and b < 80 for r, g, b in (shot.getpixel((x, y)) for x in range(shot.width)))]
    assert red_rows, "no list number painted"
    scale = shot.height / (bottom - top)  # screenshot pixels per CSS pixel
    first_top, first_bottom = (lines[0][0] - top) * scale, (lines[0][1] - top) * scale
    assert first_top - 1 <= min(red_rows) and max(red_rows) <= first_bottom + 1, (red_rows, lines)
