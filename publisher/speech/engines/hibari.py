"""hibari (``hibari-tts``): a small neural US-English voice, the default engine.

Apache-2.0 code and weights: the acoustic model is distilled from Kokoro-82M's
"af_heart" voice (Apache-2.0), and its phonemizer (misaki's lexicons, a tagger,
an out-of-vocabulary net) runs without espeak-ng.  One voice ships inside the
wheel, ``heart``; hibari's other voice names are fetched from Hugging Face on
first use.  We never let that happen: asking for them fails at start-up with
one line (the CLI exits 3), and the model is always handed to hibari by path,
so its download code is never reached.

Determinism: the network has no random ops; hibari adds a noise component from
a NumPy generator on the host.  We seed that generator per utterance from the
voice and the phoneme ids, and run onnxruntime on one thread, so a sentence's
samples depend only on what is spoken, by which voice, with which settings —
not on order, process or ``-j``.
"""
from __future__ import annotations

import hashlib
import re
import threading
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from ...errors import EngineError
from ..types import SentenceAudio

DIST = "hibari-tts"
BUNDLED_VOICE = "heart"
SPEED = 1.0  # hibari's teacher pace
SAMPLE_RATE = 24000
# The model's longest input in phonemes; hibari's own limit for one chunk.
MAX_PHONEMES = 400
_CLAUSE_BREAK = re.compile(r"(?<=[,;:—])\s+")
INSTALL_HINT = f"pip install {DIST}"
# hibari reads "[word](/phonemes/)" as an instruction to say those phonemes; in an
# article that is just text, so its brackets become parentheses.
_NO_PHONEME_MARKUP = str.maketrans("[]", "()")


def _hibari():
    try:
        import hibari
        import hibari.voices
    except ImportError:
        raise EngineError(f"hibari engine needs the {DIST} package: {INSTALL_HINT}") from None
    return hibari


def bundled_model(voice: str | None) -> Path:
    """The ONNX file of ``voice`` inside the installed package; refuses any voice that needs a download."""
    voices = _hibari().voices
    name = voice or BUNDLED_VOICE
    entry = voices.VOICES.get(name)
    if entry is None:
        raise EngineError(f"hibari voice {name!r} does not exist; {DIST} ships the voice {BUNDLED_VOICE!r}")
    if not entry.get("bundled"):
        raise EngineError(f"hibari voice {name!r} is not inside the {DIST} package (hibari would download it "
                          f"from Hugging Face, and publisher never downloads at run time); use --voice "
                          f"{BUNDLED_VOICE} or another engine")
    assets = Path(voices.ASSETS).resolve()
    model = (assets / entry["file"]).resolve()
    if model.parent != assets or not model.is_file():
        raise EngineError(f"hibari voice {name!r}: model {model} missing from the installed {DIST} package")
    return model


def _hibari_version() -> str:
    try:
        return version(DIST)
    except PackageNotFoundError:
        return "missing"


class HibariEngine:
    name = "hibari"
    sample_rate = SAMPLE_RATE

    def __init__(self) -> None:
        self._tts = None
        self._fingerprint: str | None = None
        self._load_lock = threading.Lock()
        self._g2p_lock = threading.Lock()  # the phonemizer is plain Python with lazy state

    def _loaded(self, voice: str | None):
        model = bundled_model(voice)  # before loading anything: a bad name fails fast
        with self._load_lock:
            if self._tts is None:
                hibari = _hibari()
                # The model path is passed in, so hibari's own lookup (which may download) never runs.
                self._tts = hibari.Hibari(voice=BUNDLED_VOICE, model=str(model), threads=1)
        return self._tts

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        # ``lang`` is not used: the one bundled voice speaks US English; the voice
        # policy routes other languages elsewhere.
        tts = self._loaded(voice)
        with self._g2p_lock:
            phonemes = tts.g2p(text.translate(_NO_PHONEME_MARKUP))
        pieces = []
        for chunk in _chunks(phonemes or ""):
            ids = tts.ids(chunk)
            rng = np.random.default_rng(utterance_seed(ids, self.fingerprint(voice)))
            pieces.append(tts.from_ids(ids, SPEED, rng))
        samples = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
        samples = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
        return SentenceAudio(samples=samples, sample_rate=SAMPLE_RATE)

    def fingerprint(self, voice: str | None) -> str:
        """Stable id of the model file: its size and both ends (cheap, read once)."""
        if self._fingerprint is None:
            model = bundled_model(voice)
            size = model.stat().st_size
            digest = hashlib.sha256(str(size).encode())
            with model.open("rb") as handle:
                digest.update(handle.read(1 << 20))
                handle.seek(max(0, size - (1 << 20)))
                digest.update(handle.read())
            self._fingerprint = digest.hexdigest()[:16]
        return self._fingerprint

    def identity(self, voice: str | None) -> str:
        bundled_model(voice)
        return (f"hibari/{_hibari_version()}|voice={voice or BUNDLED_VOICE}|fp={self.fingerprint(voice)}"
                f"|rate={SAMPLE_RATE}|speed={SPEED}|threads=1|noise=seeded-per-utterance")


def utterance_seed(phoneme_ids: list[int], voice_fingerprint: str) -> int:
    """A seed that depends only on what is spoken and by which voice (not on order or process)."""
    digest = hashlib.sha256(f"{voice_fingerprint}|{','.join(map(str, phoneme_ids))}".encode())
    return int.from_bytes(digest.digest()[:8], "big")


def _chunks(phonemes: str) -> list[str]:
    """The sentence as one chunk, or cut at clause breaks (then word breaks) where it exceeds the model's input."""
    phonemes = phonemes.strip()
    if len(phonemes) <= MAX_PHONEMES:
        return [phonemes] if phonemes else []
    clauses = _packed(_CLAUSE_BREAK.split(phonemes))
    return [piece for clause in clauses for piece in
            ([clause] if len(clause) <= MAX_PHONEMES else _packed(clause.split(" ")))]


def _packed(parts: list[str]) -> list[str]:
    """Join consecutive parts with spaces into runs of at most MAX_PHONEMES (a longer part stays alone)."""
    runs: list[str] = []
    for part in parts:
        if runs and len(runs[-1]) + 1 + len(part) <= MAX_PHONEMES:
            runs[-1] = f"{runs[-1]} {part}"
        else:
            runs.append(part)
    return runs
