"""Configuration → speech stages: what the build calls to narrate one article.

Keeps the build orchestrator free of speech details: the voice policy, the
lexicon merge order, the prepare options and the episode tags all come from
:class:`publisher.config.Config` here, in one place.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..cache import SegmentCache
from ..config import Config, SiteConfig, SpeechConfig
from ..errors import ConfigError, EngineError
from ..model import Article
from .audio import EpisodeTags
from .engines import get_engine
from .lexicon import Lexicon, article_lexicon_path
from .narrate import Segment, VoicePolicy, load_sound, narrate, plan_segments, synthesize_segment
from .normalize import NormalizeOptions
from .prepare import Bumpers, PrepareOptions, prepare_script
from .types import Narration, Script, VoiceChoice


def voice_policy(speech: SpeechConfig) -> VoicePolicy:
    return VoicePolicy.from_settings(
        engine=speech.engine, voice=speech.voice, quote_voice=speech.quote_voice,
        caption_voice=speech.caption_voice, voices_by_lang=speech.voices_by_lang,
    )


def prepare_options(speech: SpeechConfig) -> PrepareOptions:
    bumpers = Bumpers(intro=speech.intro, outro=speech.outro,
                      intro_sound=speech.intro_audio, outro_sound=speech.outro_audio)
    return PrepareOptions(read_captions=speech.read_captions, normalize=NormalizeOptions(urls=speech.urls),
                          bumpers=bumpers)


def check_bumpers(speech: SpeechConfig) -> None:
    """Fail at start-up, with one line naming the file, when an intro/outro sound cannot be used."""
    for name in ("intro_audio", "outro_audio"):
        path = getattr(speech, name)
        if path:
            try:
                load_sound(path)
            except EngineError as exc:
                raise ConfigError(f"[speech] {name}: {exc.message}", path) from None


def _voice_choices(speech: SpeechConfig) -> list[VoiceChoice]:
    """Every engine and voice the policy can pick, in a stable order."""
    policy = voice_policy(speech)
    choices = {policy.default, *policy.by_role.values(), *policy.by_lang.values()}
    return sorted(choices, key=lambda c: (c.engine, c.voice or ""))


def check_engine(config: Config) -> None:
    """Fail before any work, with one line, when an engine or voice is missing."""
    for choice in _voice_choices(config.speech):
        get_engine(choice.engine).identity(choice.voice)


def article_languages(article: Article) -> list[str]:
    """Every language an article's text is marked with, the article's own first."""
    from ..model import block_sentences

    found = {article.language.lower(): None}
    for _, block in article.iter_blocks():
        for lang in [getattr(block, "lang", None), *(p.lang for p in getattr(block, "paragraphs", ()))]:
            if lang:
                found.setdefault(lang.lower(), None)
        for sentence in block_sentences(block):
            if sentence.lang:
                found.setdefault(sentence.lang.lower(), None)
    return list(found)


def speech_identity(config: Config, source: str | None = None, languages: tuple[str, ...] = ()) -> str:
    """Everything that changes what is said or how it sounds (for content hashes).

    ``languages``: the article's; the voice each is routed to is part of it,
    so installing a voice for a language republishes that language's articles.
    """
    from .voices import route

    parts = [get_engine(c.engine).identity(c.voice) for c in _voice_choices(config.speech)]
    for lang in languages:
        for choice in _voice_choices(config.speech):
            try:
                routed = route(choice, lang)
            except EngineError as exc:
                parts.append(f"{lang}: {exc}")
                continue
            parts.append(f"{lang}: {get_engine(routed.engine).identity(routed.voice)}")
    parts.append(repr(prepare_options(config.speech)))
    lexicon_files = [*config.speech.lexicon]
    own = article_lexicon_path(source)
    if own is not None and own.is_file():
        lexicon_files.append(str(own))
    for path in lexicon_files:
        parts.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    for path in (config.speech.intro_audio, config.speech.outro_audio):  # a new ident republishes
        if path and Path(path).is_file():
            parts.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return "\n".join(parts)


@functools.lru_cache(maxsize=4)
def _cover_bytes(site: SiteConfig) -> bytes:
    if site.cover:
        return Path(site.cover).read_bytes()
    from ..write.cover import make_cover

    return make_cover(site)


def article_script(article: Article, config: Config) -> Script:
    lexicon = Lexicon.for_article(article.source, config.speech.lexicon)
    return prepare_script(article, prepare_options(config.speech), lexicon)



def article_segments(article: Article, config: Config) -> list[Segment]:
    """The distinct segments :func:`narrate_article` would use for ``article`` (nothing is synthesized)."""
    return plan_segments(article_script(article, config), voice_policy(config.speech))


def synthesize_into_cache(segments: list[Segment], cache_dir: Path) -> list[tuple[str, str | None]]:
    """Speak ``segments`` into the cache: (key, None) for each done, (key, error line) for each failed.

    One failing sentence fails only the articles that contain it, so errors
    come back as values, not exceptions.
    """
    cache = SegmentCache(cache_dir)
    outcomes: list[tuple[str, str | None]] = []
    for seg in segments:
        if seg.key in cache:  # spoken meanwhile by another build that shares the cache
            outcomes.append((seg.key, None))
            continue
        try:
            synthesize_segment(seg, get_engine(seg.choice.engine), cache)
        except EngineError as exc:
            outcomes.append((seg.key, str(exc)))
        except Exception as exc:  # noqa: BLE001 - an engine bug fails its articles, not the batch
            outcomes.append((seg.key, f"engine error: {type(exc).__name__}: {exc}"))
        else:
            outcomes.append((seg.key, None))
    return outcomes


def narrate_article(article: Article, folder: Path, config: Config, cache_dir: Path,
                    script: Script | None = None) -> Narration:
    """Prepare (unless ``script`` is given) and speak one article into ``folder`` (episode MP3 + section MP3s)."""
    return narrate_script(script or article_script(article, config), folder, config, cache_dir,
                          episode_name=article.slug, title=article.title, artist=article.byline)


def narrate_script(script: Script, folder: Path, config: Config, cache_dir: Path, *, episode_name: str,
                   title: str, artist: str | None = None) -> Narration:
    """Speak a prepared script (an article's, or the daily briefing's) with the configured voices."""
    tags = EpisodeTags(title=title, artist=artist or config.site.author, album=config.site.title,
                       cover=_cover_bytes(config.site))
    return narrate(script, folder, episode_name=episode_name, voices=voice_policy(config.speech),
                   cache=SegmentCache(cache_dir), tags=tags)


__all__ = ["voice_policy", "prepare_options", "check_engine", "check_bumpers", "speech_identity",
           "narrate_article", "narrate_script", "article_script", "article_segments", "synthesize_into_cache"]
