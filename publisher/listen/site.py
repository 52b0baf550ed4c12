"""Listen to a built site: every section MP3 of every published article, against its spoken script.

Mechanism only: decode, transcribe, align (``align.py``), count.  What counts
as a failure is :func:`verdict` (policy), with thresholds from ``[listen]``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ..config import ListenConfig
from ..manifest import EpisodeEntry, load_manifest
from ..speech import audio
from .align import Span, align
from .heard import heard_words, script_spacing
from .record import SpokenSection, load_record, record_path
from .recognizer import RECOGNIZER_RATE, Recognizer
from .words import comparable_words

PASSED, FAILED, NOT_CHECKED = "passed", "failed", "not checked"
# A sentence of at least this many words of which nothing at all was heard was
# swallowed (silence, a cut), not misheard: the article fails whatever its WER.
UNHEARD_MIN_WORDS = 3


@dataclass(frozen=True)
class SentenceResult:
    section_id: str
    sentence_id: str | None  # None for a spoken label
    said: str  # the spoken script
    heard: str  # what the recognizer heard in its time
    time: float  # seconds into the episode
    words: int  # reference words (0 when not checked)
    errors: int
    wer: float | None
    checked: bool


@dataclass(frozen=True)
class SectionResult:
    section_id: str
    title: str
    path: str  # relative to the output folder
    status: str  # "checked" | "not checked" | "missing"
    words: int = 0
    errors: int = 0
    wer: float | None = None
    audio_seconds: float = 0.0


@dataclass(frozen=True)
class ArticleListen:
    slug: str
    title: str
    article_id: str
    language: str
    status: str  # PASSED | FAILED | NOT_CHECKED
    reason: str
    words: int = 0
    errors: int = 0
    wer: float | None = None
    flagged: int = 0  # sentences above the sentence threshold
    unheard: int = 0  # sentences of which nothing was heard (see UNHEARD_MIN_WORDS)
    unchecked_sentences: int = 0  # in a language the recognizer does not cover
    audio_seconds: float = 0.0
    check_seconds: float = 0.0
    sections: tuple[SectionResult, ...] = ()
    sentences: tuple[SentenceResult, ...] = ()

    def worst(self, count: int) -> list[SentenceResult]:
        wrong = [s for s in self.sentences if s.checked and s.errors]
        return sorted(wrong, key=lambda s: (-(s.wer or 0), -s.errors, s.time))[:count]


@dataclass
class ListenReport:
    recognizer: str
    thresholds: ListenConfig
    articles: list[ArticleListen] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be checked, one line each

    @property
    def failed(self) -> list[ArticleListen]:
        return [a for a in self.articles if a.status == FAILED]


def _rate(errors: int, words: int) -> float | None:
    return round(errors / words, 4) if words else None


def unheard(sentence: SentenceResult) -> bool:
    return sentence.checked and sentence.words >= UNHEARD_MIN_WORDS and not sentence.heard


def verdict(words: int, errors: int, flagged: int, missing: list[str], language: str,
            thresholds: ListenConfig, silent: list[SentenceResult] = ()) -> tuple[str, str]:
    """(status, reason) of one article: the policy."""
    if missing:
        return FAILED, f"{len(missing)} section file(s) could not be checked ({missing[0]})"
    if not words:
        return NOT_CHECKED, f"language {language!r} is not covered by the recognizer"
    if silent:
        first = silent[0]
        return FAILED, (f"{len(silent)} sentence(s) not heard at all "
                        f"({first.sentence_id or 'a label'} in {first.section_id}, at {first.time:.1f}s)")
    wer = errors / words
    if wer > thresholds.article_wer:
        return FAILED, f"WER {wer:.1%} above the article threshold {thresholds.article_wer:.0%}"
    if flagged > thresholds.flagged_sentences:
        return FAILED, (f"{flagged} sentences above {thresholds.sentence_wer:.0%} WER "
                        f"(at most {thresholds.flagged_sentences} allowed)")
    return PASSED, f"WER {wer:.1%}"


def listen_article(output: Path, entry: EpisodeEntry, recognizer: Recognizer, thresholds: ListenConfig,
                   problems: list[str]) -> ArticleListen:
    started = time.monotonic()
    base = dict(slug=entry.slug, title=entry.title, article_id=entry.article_id, language=entry.language)
    path = record_path(output, entry.article_id)
    try:
        record = load_record(path)
    except FileNotFoundError:
        return ArticleListen(**base, status=NOT_CHECKED,
                             reason="no spoken-script record (built by an older publisher: rebuild it)")
    except (OSError, ValueError) as exc:
        problems.append(f"{path.relative_to(output).as_posix()}: {exc}")
        return ArticleListen(**base, status=FAILED, reason=f"unreadable spoken-script record ({exc})")
    sections, sentences, missing = [], [], []
    audio_seconds = 0.0
    for section in record:
        result, said = _listen_section(output, entry, section, recognizer, problems)
        sections.append(result)
        sentences += said
        audio_seconds += result.audio_seconds
        if result.status == "missing":
            missing.append(result.path)
    words = sum(s.words for s in sentences)
    errors = sum(s.errors for s in sentences)
    flagged = sum(1 for s in sentences if s.checked and s.wer is not None and s.wer > thresholds.sentence_wer)
    silent = [s for s in sentences if unheard(s)]
    status, reason = verdict(words, errors, flagged, missing, entry.language, thresholds, silent)
    return ArticleListen(**base, status=status, reason=reason, words=words, errors=errors, wer=_rate(errors, words),
                         flagged=flagged, unheard=len(silent), unchecked_sentences=sum(1 for s in sentences if not s.checked),
                         audio_seconds=round(audio_seconds, 3), check_seconds=round(time.monotonic() - started, 3),
                         sections=tuple(sections), sentences=tuple(sentences))


def _listen_section(output: Path, entry: EpisodeEntry, section: SpokenSection, recognizer: Recognizer,
                    problems: list[str]) -> tuple[SectionResult, list[SentenceResult]]:
    relative = f"{entry.slug}/{section.path}"
    info = dict(section_id=section.section_id, title=section.title, path=relative)
    checked = [recognizer.covers(item.lang) for item in section.items]
    spans = [Span(tuple(comparable_words(item.heard_as, item.lang)), item.start, item.end, ok)
             for item, ok in zip(section.items, checked)]
    if not any(ok and span.words for ok, span in zip(checked, spans)):
        return SectionResult(**info, status="not checked"), _sentences(section, spans, None)
    try:
        samples, rate = audio.decode_mp3((output / relative).read_bytes())
    except FileNotFoundError:
        problems.append(f"{relative}: missing")
        return SectionResult(**info, status="missing"), []
    except (OSError, RuntimeError, ValueError) as exc:  # libsndfile's errors are RuntimeErrors
        problems.append(f"{relative}: does not decode ({str(exc).strip() or type(exc).__name__})")
        return SectionResult(**info, status="missing"), []
    if samples.size == 0:
        problems.append(f"{relative}: no audio")
        return SectionResult(**info, status="missing"), []
    lang = next(item.lang for item, ok in zip(section.items, checked) if ok)
    heard = heard_words(recognizer.transcribe(audio.resample(samples, rate, RECOGNIZER_RATE), lang), lang)
    heard = script_spacing(heard, spans)
    said = _sentences(section, spans, align(spans, heard))
    words = sum(s.words for s in said)
    errors = sum(s.errors for s in said)
    return (SectionResult(**info, status="checked", words=words, errors=errors, wer=_rate(errors, words),
                          audio_seconds=round(samples.size / rate, 3)), said)


def _sentences(section: SpokenSection, spans: list[Span], aligned) -> list[SentenceResult]:
    out = []
    for index, (item, span) in enumerate(zip(section.items, spans)):
        result = aligned[index] if aligned is not None and span.checked else None
        out.append(SentenceResult(
            section_id=section.section_id, sentence_id=item.sentence_id, said=item.spoken,
            heard=" ".join(w.text for w in result.heard) if result else "",
            time=round(section.start + item.start, 3), words=result.reference if result else 0,
            errors=result.errors if result else 0, wer=_rate(result.errors, result.reference) if result else None,
            checked=result is not None))
    return out


def listen_site(output: Path, thresholds: ListenConfig, recognizer: Recognizer, *,
                entries: Iterable[EpisodeEntry] | None = None,
                on_article: Callable[[ArticleListen], None] | None = None) -> ListenReport:
    """Check ``entries`` (default: every article the manifest lists), in slug order."""
    output = Path(output)
    report = ListenReport(recognizer=recognizer.name, thresholds=thresholds)
    if entries is None:
        entries = load_manifest(output).values()
        if not entries:
            report.problems.append(f"{output}: no published articles (is it a built output folder?)")
    for entry in sorted(entries, key=lambda e: e.slug):
        result = listen_article(output, entry, recognizer, thresholds, report.problems)
        report.articles.append(result)
        if on_article:
            on_article(result)
    return report
