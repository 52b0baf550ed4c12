"""Script → Narration: synthesize every utterance, build section MP3s and the
chaptered episode MP3, and measure where every sentence landed.

Pipeline (one call, :func:`narrate`):

1. Each utterance gets an engine + voice from the :class:`VoicePolicy`.
2. Distinct (text, voice) segments are fetched from the :class:`SegmentCache`
   or synthesized (optionally in threads), then edge silence is trimmed.
3. Per section: segments joined with each utterance's pause, loudness
   normalized (BS.1770, −19 LUFS mono) under a true-peak limiter, resampled to
   44.1 kHz, encoded as ``sections/<stem>.mp3``.
4. The episode is the section MP3 streams concatenated frame by frame (same
   CBR parameters, each stream starts with an empty bit reservoir): no
   re-synthesis and no second encode.  Every section is already at the target
   loudness, so the whole is too (reported as ``loudness_lufs``).  One CHAP per
   section, contiguous, under one ordered top-level CTOC.

Times are computed on the decoded timeline (see :mod:`.audio`): a section
occupies exactly its MP3 frames (1152 samples each), and its first sample
plays ``MP3_DELAY_SAMPLES`` into them.  So section file durations equal
chapter lengths exactly, and sentence timings are exact to the sample.
"""
from __future__ import annotations

import functools
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from ..cache import SegmentCache, as_stored, segment_key
from ..errors import EngineError
from ..fsutil import atomic_write_bytes
from . import audio
from .audio import EpisodeTags
from .engines import DEFAULT_ENGINE, Engine, get_engine
from .types import (Chapter, Narration, Script, ScriptSection, SectionFile, SentenceAudio, SpokenSpan, Timing,
                    Utterance, VoiceChoice, VoiceUse)

MAX_PAUSE_MS = 1500  # any longer reads as dead air (and "no silence > 2 s" must hold)
MIN_SECTION_MS = 100  # a section with nothing to say still gets a playable file
SECTIONS_DIR = "sections"

__all__ = ["VoicePolicy", "EpisodeTags", "Segment", "narrate", "plan_segments", "segment_keys", "synthesize_segment",
           "MAX_PAUSE_MS"]


@dataclass(frozen=True)
class VoicePolicy:
    """Which engine and voice speaks an utterance.

    Language choices win over role choices (an English quote voice cannot read a
    German quote); a language matches by full tag, then by primary subtag
    ("de-AT" → "de").  With ``route_languages`` a configured voice that does
    not speak the utterance's language gives way to one that does
    (:func:`publisher.speech.voices.route`), or the plan fails.
    """

    default: VoiceChoice = VoiceChoice(DEFAULT_ENGINE)
    by_role: Mapping[str, VoiceChoice] = field(default_factory=dict)  # "quote", "caption", …
    by_lang: Mapping[str, VoiceChoice] = field(default_factory=dict)  # "de", "pt-br", …
    route_languages: bool = True  # False: the configured voice reads everything (tests of one engine)

    def configured(self, utterance: Utterance) -> VoiceChoice:
        lang = (utterance.lang or "").lower()
        for tag in (lang, lang.split("-")[0]):
            if tag and tag in self.by_lang:
                return self.by_lang[tag]
        return self.by_role.get(utterance.role, self.default)

    def choose(self, utterance: Utterance) -> VoiceChoice:
        configured = self.configured(utterance)
        if not self.route_languages:
            return configured
        from .voices import route

        return route(configured, utterance.lang)

    @classmethod
    def from_settings(cls, engine: str = DEFAULT_ENGINE, voice: str | None = None, quote_voice: str | None = None,
                      caption_voice: str | None = None,
                      voices_by_lang: Mapping[str, str] | None = None,
                      route_languages: bool = True) -> "VoicePolicy":
        """Build a policy from flat settings (all voices on one engine), e.g. SpeechConfig fields."""
        roles = {role: VoiceChoice(engine, name)
                 for role, name in (("quote", quote_voice), ("caption", caption_voice)) if name}
        langs = {lang.lower(): VoiceChoice(engine, name) for lang, name in (voices_by_lang or {}).items()}
        return cls(default=VoiceChoice(engine, voice), by_role=roles, by_lang=langs, route_languages=route_languages)


@dataclass(frozen=True)
class Segment:
    """One distinct thing to synthesize (shared by identical utterances)."""

    key: str
    text: str
    choice: VoiceChoice
    lang: str


@dataclass
class _SectionAudio:
    """A finished section: its MP3 stream and where each utterance sits in it."""

    section: ScriptSection
    stream: bytes  # MP3 frames, no tag
    length: int  # decoded samples at OUTPUT_RATE (frames * 1152)
    spans: list[tuple[Utterance, int, int]]  # utterance, start, end in OUTPUT_RATE samples of the input
    block_powers: np.ndarray  # loudness blocks (gated together for the episode's loudness)
    true_peak_dbtp: float


def narrate(script: Script, out_dir: Path, *, episode_name: str, voices: VoicePolicy = VoicePolicy(),
            cache: SegmentCache | None = None, tags: EpisodeTags | None = None, jobs: int = 1,
            on_segment: Callable[[int, int], None] | None = None) -> Narration:
    """Speak ``script`` into ``out_dir/{episode_name}.mp3`` and ``out_dir/sections/*.mp3``.

    ``jobs`` > 1 synthesizes that many segments at once (threads: engines
    release the GIL in their native code).  Either way a section is finished
    (loudness, encoding) in a background thread while the next one is being
    synthesized.  ``on_segment(done, total)`` reports distinct segments ready.
    Raises :class:`EngineError` if an engine or voice is missing or fails; no
    MP3 is written then (segments synthesized so far stay in the cache).
    """
    out_dir = Path(out_dir)
    tags = tags or EpisodeTags(title=script.article_id)
    planner = _Planner(voices)
    planned = [[planner.plan(u) for u in section.utterances] for section in script.sections]
    engines = planner.engines
    distinct = list({seg.key: seg for segs in planned for seg in segs}.values())
    clips: dict[str, SentenceAudio] = {}
    for seg in distinct:
        cached = cache.get(seg.key) if cache is not None else None
        if cached is not None:
            clips[seg.key] = _trimmed(cached)
    reused = len(clips)
    missing = [seg for seg in distinct if seg.key not in clips]
    progress = _Progress(on_segment, len(distinct), reused)

    def synthesize(seg: Segment) -> SentenceAudio:
        return _trimmed(synthesize_segment(seg, engines[seg.choice.engine], cache))

    pool = ThreadPoolExecutor(max_workers=jobs) if jobs > 1 and len(missing) > 1 else None
    pending = {seg.key: pool.submit(synthesize, seg) for seg in missing} if pool else {}
    finisher = ThreadPoolExecutor(max_workers=1)
    try:
        finishing = []
        for section, segs in zip(script.sections, planned):
            for seg in segs:
                if seg.key not in clips:
                    clips[seg.key] = pending[seg.key].result() if pool else synthesize(seg)
                    progress.step()
            section_clips = [clips[seg.key] for seg in segs]
            sound = load_sound(section.sound) if section.sound else None
            finishing.append(finisher.submit(_finish_section, section, section_clips, sound))
        sections = [future.result() for future in finishing]
    finally:
        if pool:
            pool.shutdown(wait=True, cancel_futures=True)
        finisher.shutdown(wait=True, cancel_futures=True)
    return _publish(script, sections, out_dir, episode_name, voices, tags,
                    synthesized=len(missing), reused=reused, used_keys=tuple(sorted(clips)),
                    uses=voice_uses(script, planned))


def voice_uses(script: Script, planned: Sequence[Sequence[Segment]]) -> tuple[VoiceUse, ...]:
    """How many utterances each (engine, voice, language) spoke, most first (ties by name)."""
    from .voices import voice_label

    counts: dict[tuple[VoiceChoice, str], int] = {}
    for section, segs in zip(script.sections, planned):
        for utterance, seg in zip(section.utterances, segs):
            key = (seg.choice, (utterance.lang or script.language))
            counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0].engine, kv[0][0].voice or "", kv[0][1]))
    return tuple(VoiceUse(choice.engine, choice.voice, lang, n, voice_label(choice)) for (choice, lang), n in ordered)


class _Planner:
    """Utterance → segment key, resolving each engine and voice identity once."""

    def __init__(self, voices: VoicePolicy) -> None:
        self.voices = voices
        self.engines: dict[str, Engine] = {}
        self._identities: dict[VoiceChoice, str] = {}

    def plan(self, utterance: Utterance) -> Segment:
        choice = self.voices.choose(utterance)
        engine = self.engines.get(choice.engine)
        if engine is None:
            engine = self.engines[choice.engine] = get_engine(choice.engine)
        identity = self._identities.get(choice)
        if identity is None:
            identity = self._identities[choice] = engine.identity(choice.voice)
        key = segment_key(utterance.spoken, identity, utterance.lang, engine.sample_rate)
        return Segment(key, utterance.spoken, choice, utterance.lang)


def plan_segments(script: Script, voices: VoicePolicy = VoicePolicy()) -> list[Segment]:
    """The distinct segments ``narrate`` needs for ``script``, in speaking order.

    A batch build synthesizes these for all its articles first (each shared
    sentence once, spread over worker processes), then ``narrate`` finds every
    one of them in the cache.
    """
    planner = _Planner(voices)
    planned = (planner.plan(u) for section in script.sections for u in section.utterances)
    return list({seg.key: seg for seg in planned}.values())


def segment_keys(script: Script, voices: VoicePolicy = VoicePolicy()) -> set[str]:
    """The cache keys ``narrate`` would use for ``script`` (for SegmentCache.prune)."""
    return {seg.key for seg in plan_segments(script, voices)}


def synthesize_segment(seg: Segment, engine: Engine, cache: SegmentCache | None) -> SentenceAudio:
    """Speak one segment as stored (16-bit grade) and put it in the cache; untrimmed."""
    if seg.text.strip():
        raw = engine.synthesize(seg.text, seg.choice.voice, seg.lang)
    else:
        raw = SentenceAudio(samples=np.zeros(0, np.float32), sample_rate=engine.sample_rate)
    raw = as_stored(raw)  # fresh and cached builds then produce identical bytes
    if cache is not None:
        cache.put(seg.key, raw)
    return raw


class _Progress:
    def __init__(self, callback: Callable[[int, int], None] | None, total: int, done: int) -> None:
        self.callback, self.total, self.done = callback, total, done
        if callback and done:
            callback(done, total)

    def step(self) -> None:
        self.done += 1
        if self.callback:
            self.callback(self.done, self.total)


def _trimmed(clip: SentenceAudio) -> SentenceAudio:
    samples = np.asarray(clip.samples, dtype=np.float32).reshape(-1)
    return SentenceAudio(samples=audio.trim_silence(samples, clip.sample_rate), sample_rate=clip.sample_rate)


def load_sound(path: str) -> SentenceAudio:
    """A bumper's sound file, decoded once per process and file version."""
    try:
        stat = Path(path).stat()
        return _decoded_sound(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise EngineError(f"cannot use this sound file: {reason}", path) from None


@functools.lru_cache(maxsize=8)
def _decoded_sound(path: str, mtime_ns: int, size: int) -> SentenceAudio:
    samples, rate = audio.read_sound(path)
    return SentenceAudio(samples=samples, sample_rate=rate)


def _finish_section(section: ScriptSection, clips: Sequence[SentenceAudio],
                    sound: SentenceAudio | None = None) -> _SectionAudio:
    """Join, normalize and encode one section (runs in the finisher thread).

    A section with a sound (a station ident) brings the sound and the words
    to the target loudness each on its own, so an ident mastered louder or
    quieter than speech comes out as loud as the episode.
    """
    rates = {clip.sample_rate for clip in clips}
    # Work at the engine's own rate when the section has one (half the samples
    # to analyse for 22.05 kHz voices); mixed rates meet at the output rate.
    work_rate = rates.pop() if len(rates) == 1 else (sound.sample_rate if sound and not clips else audio.OUTPUT_RATE)
    parts: list[np.ndarray] = []
    spans: list[tuple[Utterance, int, int]] = []
    position = 0
    for utterance, clip in zip(section.utterances, clips):
        speech = audio.resample(clip.samples, clip.sample_rate, work_rate)
        pause = audio.silence(min(max(utterance.pause_after_ms, 0), MAX_PAUSE_MS), work_rate)
        spans.append((utterance, position, position + speech.size))
        parts += [speech, pause]
        position += speech.size + pause.size
    samples = audio.concat(parts)
    if sound is None:
        minimum = int(work_rate * MIN_SECTION_MS / 1000)
        if samples.size < minimum:
            samples = np.concatenate([samples, np.zeros(minimum - samples.size, np.float32)])
        normalized = audio.normalize_loudness(samples, work_rate)
        samples, powers, peak = normalized.samples, normalized.block_powers, normalized.true_peak_dbtp
    else:
        pieces = [audio.normalize_loudness(audio.resample(sound.samples, sound.sample_rate, work_rate), work_rate)]
        if samples.size:
            words = audio.normalize_loudness(samples, work_rate)
            pieces.insert(len(pieces) if not section.sound_last else 0, words)
            if not section.sound_last:  # the words follow the ident: their spans move by its length
                shift = pieces[0].samples.size
                spans = [(u, start + shift, end + shift) for u, start, end in spans]
        samples = audio.concat(p.samples for p in pieces)
        powers = np.concatenate([p.block_powers for p in pieces])
        peak = max(p.true_peak_dbtp for p in pieces)
    stream = audio.encode_mp3(audio.resample(samples, work_rate, audio.OUTPUT_RATE), audio.OUTPUT_RATE)
    scale = audio.OUTPUT_RATE / work_rate
    return _SectionAudio(
        section=section, stream=stream, length=audio.decoded_length(stream),
        spans=[(u, round(start * scale), round(end * scale)) for u, start, end in spans],
        block_powers=powers, true_peak_dbtp=peak)


def _publish(script: Script, sections: Sequence[_SectionAudio], out_dir: Path, episode_name: str,
             voices: VoicePolicy, tags: EpisodeTags, *, synthesized: int, reused: int,
             used_keys: tuple[str, ...], uses: tuple[VoiceUse, ...] = ()) -> Narration:
    rate = audio.OUTPUT_RATE
    frame_starts: list[int] = []  # decoded-sample position where each section's frames begin
    timings: list[Timing] = []
    spoken: list[SpokenSpan] = []
    files: list[SectionFile] = []
    total = 0
    stems = _stems(script.sections)
    for index, (part, stem) in enumerate(zip(sections, stems), start=1):
        frame_starts.append(total)
        first_sample = total + audio.MP3_DELAY_SAMPLES
        for utterance, start, end in part.spans:
            if utterance.spoken.strip():
                spoken.append(SpokenSpan(section=index - 1, sentence_id=utterance.sentence_id,
                                         spoken=utterance.spoken, lang=utterance.lang,
                                         reference=utterance.reference or "",
                                         start=(audio.MP3_DELAY_SAMPLES + start) / rate,
                                         end=min(part.length, audio.MP3_DELAY_SAMPLES + end) / rate))
            if utterance.sentence_id is not None:
                timings.append(Timing(sentence_id=utterance.sentence_id, text=utterance.display,
                                      start=(first_sample + start) / rate,
                                      end=min(total + part.length, first_sample + end) / rate))
        section_tags = EpisodeTags(title=part.section.title, artist=tags.artist, album=tags.title,
                                   cover=tags.cover, track=f"{index}/{len(sections)}")
        relative = f"{SECTIONS_DIR}/{stem}.mp3"
        data = audio.id3_tag(section_tags) + part.stream
        atomic_write_bytes(out_dir / relative, data)
        files.append(SectionFile(section_id=part.section.section_id, title=part.section.title, path=relative,
                                 duration=part.length / rate, bytes=len(data)))
        total += part.length
    _remove_stale_sections(out_dir / SECTIONS_DIR, {f"{stem}.mp3" for stem in stems})

    marks = audio.contiguous_chapters([s.section.title for s in sections], frame_starts, total, rate)
    chapters = tuple(Chapter(section_id=s.section.section_id, title=m.title, start=m.start_ms / 1000,
                             end=m.end_ms / 1000, toc=s.section.toc) for s, m in zip(sections, marks))
    episode = audio.id3_tag(tags, marks) + b"".join(s.stream for s in sections)
    episode_path = f"{episode_name}.mp3"
    atomic_write_bytes(out_dir / episode_path, episode)
    loudness = audio.gated_loudness(np.concatenate([s.block_powers for s in sections])) if sections else -math.inf
    peak = max((s.true_peak_dbtp for s in sections), default=-math.inf)
    return Narration(
        article_id=script.article_id, episode_path=episode_path, duration=total / rate, bytes=len(episode),
        timings=tuple(timings), chapters=chapters, sections=tuple(files),
        engine=uses[0].engine if uses else voices.default.engine,
        voice=uses[0].voice if uses else voices.default.voice,
        loudness_lufs=round(loudness, 2) if math.isfinite(loudness) else None,
        true_peak_dbtp=round(peak, 2) if math.isfinite(peak) else None,
        synthesized=synthesized, reused=reused, segment_keys=used_keys, voices=uses, spoken=tuple(spoken))


def _stems(sections: Sequence[ScriptSection]) -> list[str]:
    stems: list[str] = []
    for index, section in enumerate(sections, start=1):
        stem = section.file_stem or f"{index:02d}-{section.section_id}"
        if "/" in stem or "\\" in stem or stem.startswith("."):
            raise EngineError(f"unsafe section file name {stem!r}")
        if stem in stems:
            stem = f"{stem}-{index}"
        stems.append(stem)
    return stems


def _remove_stale_sections(folder: Path, keep: set[str]) -> None:
    """Section files from an earlier build of this article that no longer exist in it."""
    if folder.is_dir():
        for path in folder.glob("*.mp3"):
            if path.name not in keep:
                path.unlink(missing_ok=True)
