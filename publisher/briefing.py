"""The daily briefing: one episode that reads, for each article published on a day,
its headline and its dek (or lead paragraph), with one chapter per story.

It is made from the manifest alone, never from the sources: every article
records at publish time the utterances its own narration used for those
sentences (``EpisodeEntry.brief``), so the briefing says exactly the same
spoken text in the same voice, its segment keys are the article's, and its
audio comes from the cache.  Only its title line (and bumpers not yet heard)
may need synthesis.

The briefing is an episode like the others: a folder ``briefing-<date>/``
(MP3, section MP3s, ``transcript.vtt``, ``chapters.json`` whose chapters link
to each story's page, ``index.html``), a manifest entry of kind "briefing",
and so an item in the feed and the index.  Remaking an unchanged briefing
rewrites nothing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .config import Config
from .errors import PublisherError
from .fsutil import atomic_write_text
from .ids import article_id, slugify
from .manifest import (KIND_ARTICLE, KIND_BRIEFING, BriefLine, EpisodeEntry, Manifest, dump_segment_list,
                       segment_list_path)
from .model import Paragraph, Section, Sentence
from .speech.types import Script, ScriptSection, Utterance

TITLE_SECTION_ID = "opening"
TITLE_SENTENCE_ID = "briefing-title"


class NoStories(PublisherError):
    """No article was published on the day asked for."""


@dataclass(frozen=True)
class BriefingResult:
    status: str  # "published" | "unchanged"
    day: str
    slug: str
    stories: int
    synthesized: int = 0
    reused: int = 0


def published_day(entry: EpisodeEntry, zone: ZoneInfo) -> date | None:
    """The calendar day (in ``zone``) an article counts as published on; date-only values as written."""
    value = (entry.date or "").strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).date()


def stories_of(entries, day: date, zone: ZoneInfo) -> list[EpisodeEntry]:
    """The articles of ``day`` that recorded briefing lines, newest first (the index's order)."""
    from .manifest import newest_first

    return [e for e in newest_first(entries)
            if e.kind == KIND_ARTICLE and e.brief and published_day(e, zone) == day]


def near_day(site: Manifest, day: date) -> list[EpisodeEntry]:
    """The episodes that may fall on ``day`` in some time zone: one index range of the
    manifest, not the whole archive (:func:`stories_of` then decides exactly).

    A date as written carries its own offset (-12 to +14 hours), so it falls on ``day``
    in the briefing's zone only if its own calendar date is within two days of it.
    """
    return site.dated_between((day - timedelta(days=2)).isoformat(), (day + timedelta(days=3)).isoformat())


def today(config: Config) -> date:
    from .build import build_time

    return build_time().astimezone(ZoneInfo(config.briefing.timezone)).date()


def briefing_id(day: date) -> str:
    return article_id(f"publisher:briefing:{day.isoformat()}")


def _title(config: Config, day: date) -> str:
    from .write.page import parse_date

    return f"{config.briefing.title}, {parse_date(day.isoformat()).human}"


def _story_sentence_id(number: int, sentence_id: str) -> str:
    # Article sentence ids are unique within one article only: the story number keeps them apart here.
    return f"b{number}-{sentence_id}"


def briefing_script(stories: list[EpisodeEntry], day: date, config: Config) -> Script:
    """Title line, then per story its recorded lines (new ids, same spoken text), then the bumpers."""
    from .speech.lexicon import Lexicon
    from .speech.pipeline import prepare_options
    from .speech.prepare import add_bumpers, spoken_forms

    options = prepare_options(config.speech)
    lexicon = Lexicon.for_article(None, config.speech.lexicon)
    lang = config.site.language
    title = _title(config, day)
    title_spoken, title_reference = spoken_forms(title, lang, options, lexicon)
    sections = [ScriptSection(TITLE_SECTION_ID, config.briefing.title, (
        Utterance(TITLE_SENTENCE_ID, title, title_spoken, "title", lang, options.section_pause_ms,
                  title_reference),), file_stem="01-opening")]
    for number, story in enumerate(stories, 1):
        lines = list(story.brief)
        utterances = []
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            pause = (options.section_pause_ms if last else
                     options.paragraph_pause_ms if line.role == "title" else options.sentence_pause_ms)
            utterances.append(Utterance(_story_sentence_id(number, line.sentence_id), line.display, line.spoken,
                                        line.role, line.lang, pause, line.reference))
        stem = f"{number + 1:02d}-{slugify(story.title, max_length=options.stem_length, fallback='story')}"
        sections.append(ScriptSection(f"story-{number}", story.title, tuple(utterances), file_stem=stem))
    script = Script(briefing_id(day), lang, tuple(sections))
    return add_bumpers(script, options, lexicon)


def _story_section(number: int, story: EpisodeEntry, site_lang: str) -> Section:
    def sentence(line: BriefLine) -> Sentence:
        lang = line.lang if line.lang.lower() != site_lang.lower() else None
        return Sentence(_story_sentence_id(number, line.sentence_id), line.display, lang)

    head = [line for line in story.brief if line.role == "title"][:1]
    rest = [line for line in story.brief if line not in head]
    heading = sentence(head[0]) if head else Sentence(f"b{number}-headline", story.title)
    blocks = (Paragraph(f"story-{number}-summary", tuple(sentence(line) for line in rest)),) if rest else ()
    return Section(f"story-{number}", story.title, 2, blocks, heading_sentence=heading)


def _digest(script: Script, stories: list[EpisodeEntry], config: Config) -> str:
    from .build import _code_fingerprint
    from .speech.pipeline import speech_identity

    payload = json.dumps({
        "script": asdict(script),
        "pages": [s.page_path for s in stories],
        "speech": speech_identity(config),
        "site": asdict(config.site),
        "briefing": asdict(config.briefing),
        "publisher": _code_fingerprint(),
    }, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_briefing(output: Path, config: Config, day: date | None = None) -> BriefingResult:
    """Make (or leave unchanged) the briefing of ``day`` (default: today) in ``output``.

    Raises :class:`NoStories` when no published article falls on that day.
    """
    from .build import _article_dir, _cache_dir, _remove_article_folder, _write_if_changed, build_time, write_site
    from .speech.pipeline import narrate_script
    from .write.chapters import render_chapters_json
    from .write.page import BriefingStory, render_briefing_page
    from .write.transcript import render_vtt

    output = Path(output)
    day = day or today(config)
    bid = briefing_id(day)
    with Manifest(output, create=False) as site:
        stories = stories_of(near_day(site, day), day, ZoneInfo(config.briefing.timezone))
        if not stories:
            raise NoStories(f"no article published on {day.isoformat()} "
                            f"(dates in {config.briefing.timezone}); no briefing made", str(output))
        taken = {slug for article_id, slug in site.slugs() if article_id != bid}
        previous = site.get(bid)
    slug, n = f"briefing-{day.isoformat()}", 1
    while slug in taken:
        n += 1
        slug = f"briefing-{day.isoformat()}-{n}"
    script = briefing_script(stories, day, config)
    digest = _digest(script, stories, config)
    if previous and previous.content_hash == digest and previous.slug == slug and _briefing_present(output, previous):
        return BriefingResult("unchanged", day.isoformat(), slug, len(stories))

    folder = _article_dir(output, slug)
    title = _title(config, day)
    narration = narrate_script(script, folder, config, _cache_dir(output, config), episode_name=slug, title=title)
    urls = {f"story-{i}": config.site.url(s.page_path) for i, s in enumerate(stories, 1)}
    atomic_write_text(folder / "transcript.vtt", render_vtt(narration))
    atomic_write_text(folder / "chapters.json", render_chapters_json(narration, title=title, urls=urls))
    title_sentence = Sentence(TITLE_SENTENCE_ID, title)
    page_stories = [BriefingStory(_story_section(i, s, config.site.language), f"../{s.page_path}")
                    for i, s in enumerate(stories, 1)]
    atomic_write_text(folder / "index.html", render_briefing_page(
        title_sentence, day.isoformat(), page_stories, narration, config.site, title=title))
    _write_if_changed(segment_list_path(output, bid), dump_segment_list(narration.segment_keys).encode("ascii"))
    entry = EpisodeEntry(
        article_id=bid, slug=slug, title=title, language=config.site.language,
        page_path=f"{slug}/index.html", audio_path=f"{slug}/{narration.episode_path}",
        audio_bytes=narration.bytes, duration=round(narration.duration, 3),
        transcript_path=f"{slug}/transcript.vtt", chapters_path=f"{slug}/chapters.json",
        first_published=previous.first_published if previous else build_time().isoformat(),
        published=stories[0].date,  # as new as the newest story it sums up
        summary="; ".join(s.title for s in stories),
        word_count=sum(len(line.display.split()) for s in stories for line in s.brief),
        content_hash=digest, kind=KIND_BRIEFING,
    )
    if previous and previous.slug != slug:
        _remove_article_folder(output, previous.slug)
    with Manifest(output) as site:
        site.put(entry)
        write_site(output, site, config)
    return BriefingResult("published", day.isoformat(), slug, len(stories),
                          synthesized=narration.synthesized, reused=narration.reused)


def _briefing_present(output: Path, entry: EpisodeEntry) -> bool:
    for rel in (entry.page_path, entry.audio_path, entry.transcript_path, entry.chapters_path):
        if not (output / rel).is_file():
            return False
    return (output / entry.audio_path).stat().st_size == entry.audio_bytes
