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
from ..errors import EngineError
from ..model import Article
from .audio import EpisodeTags
from .engines import get_engine
from .lexicon import Lexicon, article_lexicon_path
from .narrate import Segment, VoicePolicy, narrate, plan_segments, synthesize_segment
from .normalize import NormalizeOptions
from .prepare import PrepareOptions, prepare_script
from .types import Narration, Script, VoiceChoice


def voice_policy(speech: SpeechConfig) -> VoicePolicy:
    return VoicePolicy.from_settings(
        engine=speech.engine, voice=speech.voice, quote_voice=speech.quote_voice,
        caption_voice=speech.caption_voice, voices_by_lang=speech.voices_by_lang,
    )


def prepare_options(speech: SpeechConfig) -> PrepareOptions:
    return PrepareOptions(read_captions=speech.read_captions, normalize=NormalizeOptions(urls=speech.urls))


def _voice_choices(speech: SpeechConfig) -> list[VoiceChoice]:
    """Every engine and voice the policy can pick, in a stable order."""
    policy = voice_policy(speech)
    choices = {policy.default, *policy.by_role.values(), *policy.by_lang.values()}
    return sorted(choices, key=lambda c: (c.engine, c.voice or ""))


def check_engine(config: Config) -> None:
    """Fail before any work, with one line, when an engine or voice is missing."""
    for choice in _voice_choices(config.speech):
        get_engine(choice.engine).identity(choice.voice)


def speech_identity(config: Config, source: str | None = None) -> str:
    """Everything that changes what is said or how it sounds (for content hashes)."""
    parts = [get_engine(c.engine).identity(c.voice) for c in _voice_choices(config.speech)]
    parts.append(repr(prepare_options(config.speech)))
    lexicon_files = [*config.speech.lexicon]
    own = article_lexicon_path(source)
    if own is not None and own.is_file():
        lexicon_files.append(str(own))
    for path in lexicon_files:
        parts.append(hashlib.sha256(Path(path).read_bytes()).hexdigest())
    return "\n".join(parts)


@functools.lru_cache(maxsize=4)
def _cover_bytes(site: SiteConfig) -> bytes:
    if site.cover:
        return Path(site.cover).read_bytes()
    from ..write.cover import make_cover

    return make_cover(site)


def _script(article: Article, config: Config) -> Script:
    lexicon = Lexicon.for_article(article.source, config.speech.lexicon)
    return prepare_script(article, prepare_options(config.speech), lexicon)


def article_segments(article: Article, config: Config) -> list[Segment]:
    """The distinct segments :func:`narrate_article` would use for ``article`` (nothing is synthesized)."""
    return plan_segments(_script(article, config), voice_policy(config.speech))


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


def narrate_article(article: Article, folder: Path, config: Config, cache_dir: Path) -> Narration:
    """Prepare and speak one article into ``folder`` (episode MP3 + section MP3s)."""
    script = _script(article, config)
    tags = EpisodeTags(
        title=article.title,
        artist=article.byline or config.site.author,
        album=config.site.title,
        cover=_cover_bytes(config.site),
    )
    return narrate(script, folder, episode_name=article.slug, voices=voice_policy(config.speech),
                   cache=SegmentCache(cache_dir), tags=tags)


__all__ = ["voice_policy", "prepare_options", "check_engine", "speech_identity", "narrate_article",
           "article_segments", "synthesize_into_cache"]
