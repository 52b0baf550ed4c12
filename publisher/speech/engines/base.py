"""The engine interface and the registry that finds engines by name.

An engine turns ONE sentence into mono float32 samples.  We split sentences
ourselves (publisher.text.sentences) because engines' own splitters break after
abbreviations such as "Dr." or "U.S."; engines must therefore speak the text
they get as a single sentence and must not add silence around it (pauses are
the narrator's policy, not the engine's).

Engines are created lazily: asking for ``"piper"`` imports onnxruntime only
then.  Third-party engines register through the entry-point group
``publisher.engines``; each entry point names a zero-argument factory (usually
the engine class).
"""
from __future__ import annotations

import importlib
import threading
from importlib.metadata import entry_points
from typing import Callable, Protocol, runtime_checkable

from ...errors import EngineError
from ..types import SentenceAudio

ENTRY_POINT_GROUP = "publisher.engines"
# The engine used when none is configured: its code, weights and voice are
# cleared for commercial publishing (see README, "Voices and licences").
DEFAULT_ENGINE = "hibari"


@runtime_checkable
class Engine(Protocol):
    name: str
    sample_rate: int  # rate of the engine's default voice; SentenceAudio carries the real one

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        """Speak one sentence; returns float32 mono samples in [-1, 1]."""
        ...

    def identity(self, voice: str | None) -> str:
        """Engine + voice + version + settings: changes whenever the audio would."""
        ...


EngineFactory = Callable[[], Engine]

# Built-ins as "module:attribute" so nothing heavy is imported until asked for.
_BUILTIN: dict[str, str] = {
    "hibari": "publisher.speech.engines.hibari:HibariEngine",
    "piper": "publisher.speech.engines.piper:PiperEngine",
    "espeak": "publisher.speech.engines.espeak:EspeakEngine",
    "gtts": "publisher.speech.engines.gtts:GttsEngine",
    "fake": "publisher.speech.engines.fake:FakeEngine",
}

_factories: dict[str, EngineFactory | str] = dict(_BUILTIN)
_instances: dict[str, Engine] = {}
_lock = threading.Lock()
_entry_points_loaded = False


def register_engine(name: str, factory: EngineFactory | str) -> None:
    """Register (or replace) an engine factory: a callable or a ``"module:attr"`` string."""
    with _lock:
        _factories[name] = factory
        _instances.pop(name, None)


def available_engines() -> list[str]:
    _load_entry_points()
    return sorted(_factories)


def get_engine(name: str) -> Engine:
    """The process-wide engine instance for ``name`` (created on first use)."""
    _load_entry_points()
    with _lock:
        engine = _instances.get(name)
        if engine is not None:
            return engine
        factory = _factories.get(name)
        if factory is None:
            known = ", ".join(sorted(_factories))
            raise EngineError(f"unknown speech engine {name!r}; known engines: {known}")
        engine = _resolve(factory)()
        _instances[name] = engine
        return engine


def _resolve(factory: EngineFactory | str) -> EngineFactory:
    if callable(factory):
        return factory
    module_name, _, attr = factory.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    with _lock:
        if _entry_points_loaded:
            return
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            # Explicit registrations and built-ins win over installed plug-ins of the same name.
            _factories.setdefault(ep.name, _entry_point_factory(ep))
        _entry_points_loaded = True


def _entry_point_factory(ep) -> EngineFactory:
    def make() -> Engine:
        return ep.load()()

    return make
