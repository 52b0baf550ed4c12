"""Which voice speaks which language, and the route an utterance's language takes.

The chain for a language (:func:`route`):

1. the configured voice (per-language, per-role, default), when it speaks
   the language;
2. an installed neural voice for that language (Piper voice packages);
3. the eSpeak NG voice for that language (data shipped in ``espeakng-loader``);
4. none: :class:`NoVoiceError` — the article fails alone with one line, and
   nothing unintelligible is published.

What a voice speaks comes from the voice itself: a Piper voice's config
names its language; eSpeak NG's language files list theirs; an engine may
declare ``languages(voice) -> iterable of tags`` (``None``: any language).
Engines that declare nothing are taken to speak English only, so an unknown
voice is never handed a language it may spell out letter by letter.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

from ..errors import EngineError
from .types import VoiceChoice

ESPEAK = "espeak"
PIPER = "piper"
# Identifier codes → the code eSpeak NG files its voice under.
_ESPEAK_ALIASES = {"zh": "cmn", "no": "nb"}
# eSpeak NG voices that exist but cannot read their language as newspapers write it:
# they would publish letter names, not speech.
_ESPEAK_CANNOT_READ = {
    "ja": "eSpeak NG's Japanese voice reads kana only, not kanji",
}


class NoVoiceError(EngineError):
    """No installed voice speaks a language an article needs."""


def primary(tag: str | None) -> str:
    return (tag or "").replace("_", "-").split("-")[0].lower()


def _tags(values) -> frozenset[str]:
    out = set()
    for value in values:
        tag = str(value).replace("_", "-").lower()
        out |= {tag, primary(tag)}
    return frozenset(out)


# -- eSpeak NG -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def espeak_voices() -> dict[str, str]:
    """Language tag (lower case) → eSpeak NG voice name, from the shipped language files."""
    try:
        import espeakng_loader
    except ImportError:
        return {}
    root = Path(espeakng_loader.get_data_path()) / "lang"
    voices: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        for line in path.read_text("latin-1").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "language":
                tag = words[1].lower()
                # The file named after the tag wins ("de" over a dialect listing "de" too).
                if tag not in voices or path.name.lower() == tag:
                    voices[tag] = path.name
    return voices


def espeak_voice_for(lang: str) -> str | None:
    """The eSpeak NG voice that reads ``lang`` intelligibly, if one ships."""
    voices = espeak_voices()
    tag = (lang or "").replace("_", "-").lower()
    if primary(tag) in _ESPEAK_CANNOT_READ:
        return None
    for candidate in (tag, primary(tag), _ESPEAK_ALIASES.get(primary(tag), "")):
        if candidate and candidate in voices:
            return voices[candidate]
    return None


# -- Piper --------------------------------------------------------------------------------------

def _piper_config_languages(config: Path) -> frozenset[str]:
    try:
        data = json.loads(config.read_text("utf-8"))
    except (OSError, ValueError):
        return frozenset()
    found = []
    language = data.get("language")
    if isinstance(language, dict) and language.get("code"):
        found.append(language["code"])
    espeak = data.get("espeak")
    if isinstance(espeak, dict) and espeak.get("voice"):
        found.append(espeak["voice"])
    return _tags(found)


@functools.lru_cache(maxsize=32)
def piper_voice_languages(voice: str | None) -> frozenset[str]:
    from .engines.piper import resolve_voice

    return _piper_config_languages(resolve_voice(voice).config)


@functools.lru_cache(maxsize=1)
def installed_piper_voices() -> tuple[tuple[str, frozenset[str]], ...]:
    """(model path, languages) of every Piper voice an installed distribution ships, sorted."""
    from importlib.metadata import distributions

    found = {}
    for dist in distributions():
        for file in dist.files or ():
            if file.name.endswith(".onnx.json"):
                config = Path(dist.locate_file(file))
                model = config.with_name(config.name.removesuffix(".json"))
                if model.is_file():
                    found[str(model)] = _piper_config_languages(config)
    return tuple(sorted(found.items()))


# -- any voice ----------------------------------------------------------------------------------

def speaks(choice: VoiceChoice, lang: str) -> bool:
    """Whether ``choice`` speaks ``lang`` (full tag or primary subtag)."""
    tag = (lang or "en").replace("_", "-").lower()
    if choice.engine == ESPEAK:
        if choice.voice is None:  # the engine picks the utterance's own language
            return espeak_voice_for(tag) is not None
        named = {t for t, name in espeak_voices().items() if name.lower() == choice.voice.lower()}
        return primary(tag) not in _ESPEAK_CANNOT_READ and bool(_tags(named) & {tag, primary(tag)})
    languages = _declared_languages(choice)
    return languages is None or bool(languages & {tag, primary(tag)})


def _declared_languages(choice: VoiceChoice) -> frozenset[str] | None:
    if choice.engine == PIPER:
        return piper_voice_languages(choice.voice)
    from .engines import get_engine

    engine = get_engine(choice.engine)
    declare = getattr(engine, "languages", None)
    if declare is None:
        return frozenset({"en"})
    languages = declare(choice.voice)
    return None if languages is None else _tags(languages)


@functools.lru_cache(maxsize=256)
def fallback_for(lang: str) -> VoiceChoice:
    """The voice for ``lang`` when the configured ones do not speak it: neural first, then eSpeak NG."""
    tag = (lang or "en").replace("_", "-").lower()
    for model, languages in installed_piper_voices():
        if tag in languages:
            return VoiceChoice(PIPER, model)
    for model, languages in installed_piper_voices():
        if primary(tag) in languages:
            return VoiceChoice(PIPER, model)
    name = espeak_voice_for(tag)
    if name is not None:
        return VoiceChoice(ESPEAK, name)
    why = f" ({_ESPEAK_CANNOT_READ[primary(tag)]})" if primary(tag) in _ESPEAK_CANNOT_READ else ""
    raise NoVoiceError(f"no installed voice speaks its language {lang!r}{why}; install a voice for it "
                       f"or name one in [speech.voices_by_lang]")


def route(configured: VoiceChoice, lang: str) -> VoiceChoice:
    """The configured voice when it speaks ``lang``, else :func:`fallback_for`."""
    return configured if _speaks_cached(configured, (lang or "en").lower()) else fallback_for(lang)


@functools.lru_cache(maxsize=256)
def _speaks_cached(choice: VoiceChoice, lang: str) -> bool:
    return speaks(choice, lang)


def voice_label(choice: VoiceChoice) -> str:
    """A listener-facing name: "eSpeak NG de", "Piper en_US-joe-medium"."""
    if choice.engine == ESPEAK:
        return f"eSpeak NG {choice.voice or 'default'}"
    if choice.engine == PIPER:
        try:
            from .engines.piper import resolve_voice

            return f"Piper {resolve_voice(choice.voice).name}"
        except EngineError:
            pass
    return f"{choice.engine} {Path(choice.voice).name}" if choice.voice else choice.engine


__all__ = ["NoVoiceError", "route", "fallback_for", "speaks", "espeak_voices", "espeak_voice_for",
           "installed_piper_voices", "piper_voice_languages", "voice_label"]
