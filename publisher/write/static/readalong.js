/* publisher: read-along and section playback for article pages.
 *
 * Progressive enhancement: without this script the page still has the native
 * player, a download link and one MP3 link per section.  With it:
 *  - "Play this section" buttons appear and seek the main player;
 *  - the sentence being spoken gets the class "is-spoken" (cue ids in
 *    transcript.vtt are the sentence span ids);
 *  - a toggle (aria-pressed) turns the highlight off, remembered in localStorage.
 * It never moves focus and never announces anything (no live region): the
 * highlight is for the eye; screen reader users hear the audio itself.
 */
(function () {
  'use strict';

  var SPOKEN_CLASS = 'is-spoken';
  var STORAGE_KEY = 'publisher.readalong';
  // After the user scrolls (or uses the keyboard), leave the view alone this long.
  var USER_SCROLL_GRACE_MS = 6000;

  var audio = document.getElementById('audio-player');
  if (!audio) { return; }

  var forEach = function (list, fn) { Array.prototype.forEach.call(list, fn); };
  var reducedMotion = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : null;
  var trackElement = audio.querySelector('track[kind="metadata"]');
  var track = trackElement ? trackElement.track : null;
  var toggle = document.getElementById('readalong-toggle');
  var current = null;
  var lastUserScroll = 0;
  // Nothing is "being read" until the listener plays or seeks: no highlight on a fresh page.
  var engaged = false;
  var enabled = readPreference();

  function readPreference() {
    try { return window.localStorage.getItem(STORAGE_KEY) !== 'off'; } catch (e) { return true; }
  }

  function writePreference(on) {
    try { window.localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off'); } catch (e) { /* private mode */ }
  }

  // The cue being spoken at time t: the last cue that has started, kept through the
  // short pause after it so the highlight does not flicker between sentences.
  function cueAt(t) {
    var cues = track && track.cues;
    if (!cues || !cues.length) { return null; }
    var lo = 0, hi = cues.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (cues[mid].startTime <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found < 0 ? null : cues[found];
  }

  function scrollIntoViewIfNeeded(element) {
    if (audio.paused || Date.now() - lastUserScroll < USER_SCROLL_GRACE_MS) { return; }
    var rect = element.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (rect.top >= height * 0.15 && rect.bottom <= height * 0.85) { return; }
    var smooth = !(reducedMotion && reducedMotion.matches);
    element.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
  }

  function highlight(element) {
    if (element === current) { return; }
    if (current) { current.classList.remove(SPOKEN_CLASS); }
    current = element;
    if (element) {
      element.classList.add(SPOKEN_CLASS);
      scrollIntoViewIfNeeded(element);
    }
  }

  function update() {
    if (!enabled || !engaged) { highlight(null); return; }
    var cue = cueAt(audio.currentTime);
    highlight(cue && cue.id ? document.getElementById(cue.id) : null);
  }

  function applyPreference() {
    if (toggle) { toggle.setAttribute('aria-pressed', enabled ? 'true' : 'false'); }
    update();
  }

  // Activity that means "I am looking somewhere myself": pause auto-scrolling.
  function noteUserActivity(event) {
    var target = event.target;
    if (target && target.closest && target.closest('audio, button')) { return; }
    lastUserScroll = Date.now();
  }
  ['wheel', 'touchmove', 'keydown', 'mousedown'].forEach(function (type) {
    window.addEventListener(type, noteUserActivity, { passive: true });
  });

  forEach(document.querySelectorAll('button[data-seek]'), function (button) {
    button.addEventListener('click', function () {
      var start = parseFloat(button.getAttribute('data-seek'));
      if (!isFinite(start)) { return; }
      audio.currentTime = start;
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () { /* blocked: the user can press play */ }); }
    });
  });

  if (track) {
    track.mode = 'hidden';  // load the cues without rendering them
    track.addEventListener('cuechange', update);
    if (trackElement) { trackElement.addEventListener('load', update); }
  }
  ['play', 'seeking'].forEach(function (type) {
    audio.addEventListener(type, function () { engaged = true; });
  });
  audio.addEventListener('timeupdate', update);
  audio.addEventListener('seeked', update);

  if (toggle) {
    toggle.addEventListener('click', function () {
      enabled = !enabled;
      writePreference(enabled);
      applyPreference();
    });
  }

  // Reveal the controls that only work with this script.
  forEach(document.querySelectorAll('[data-needs-script], button[data-seek]'), function (element) {
    element.hidden = false;
  });
  applyPreference();
}());
