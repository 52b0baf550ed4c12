"""Content-addressed cache of synthesized sentences.

A segment's key hashes everything that changes its audio: the spoken text,
the engine identity (engine, voice, version, settings), the language and the
sample rate.  Values are 16-bit samples (engines produce 16-bit-grade audio)
stored losslessly as FLAC, one file per key under a two-character fan-out
folder — a folder many build machines can share.  Measured on Piper speech
FLAC takes about 46 % of the bytes of the int16 ``.npz`` files earlier
versions wrote; those entries are still read (and rewritten as FLAC when they
are).  Every entry is written to a temporary name and renamed, and a FLAC
entry is trusted only when its decoded samples match the MD5 signature the
encoder stored in it, so a crashed build or a damaged file is a miss, never
half a sentence.
"""
from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from pathlib import Path

import numpy as np
import soundfile

from .fsutil import atomic_write_bytes
from .speech.types import SentenceAudio

SUFFIX = ".flac"
LEGACY_SUFFIX = ".npz"  # int16 PCM written by earlier versions; read, migrated on read
SUFFIXES = (SUFFIX, LEGACY_SUFFIX)  # in order of preference
FORMAT = "v1"  # part of every key: bump when what a key means changes (old entries then simply miss)
# libsndfile's 0..1 scale (1.0 = FLAC level 8): 2-3 % smaller than the default
# on speech for a few milliseconds per sentence, and decoding costs the same.
COMPRESSION_LEVEL = 1.0
_STREAMINFO_MD5 = slice(26, 42)  # "fLaC", a 4-byte block header, then STREAMINFO ends with the MD5


def segment_key(text: str, identity: str, lang: str, sample_rate: int, settings: str = "") -> str:
    payload = "\x1f".join([FORMAT, text, identity, lang, str(sample_rate), settings])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _to_pcm(samples) -> np.ndarray:
    return np.clip(np.round(np.asarray(samples, dtype=np.float32) * 32767.0), -32768, 32767).astype(np.int16)


def _from_pcm(pcm: np.ndarray) -> np.ndarray:
    return pcm.astype(np.float32) / np.float32(32767.0)


def as_stored(audio: SentenceAudio) -> SentenceAudio:
    """The audio exactly as a cache hit would return it (16-bit), so fresh and
    cached builds produce byte-identical files."""
    return SentenceAudio(samples=_from_pcm(_to_pcm(audio.samples)), sample_rate=audio.sample_rate)


class DamagedEntry(ValueError):
    """A cache file that does not decode to what was stored."""


def encode_flac(pcm: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, pcm, rate, format="FLAC", subtype="PCM_16", compression_level=COMPRESSION_LEVEL)
    return buffer.getvalue()


def decode_flac(data: bytes) -> tuple[np.ndarray, int]:
    """int16 samples and rate; ``DamagedEntry`` unless they match the stored MD5 signature."""
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as stream:
            pcm, rate, frames = stream.read(dtype="int16"), stream.samplerate, stream.frames
    except RuntimeError as exc:  # soundfile.LibsndfileError: not FLAC, cut short, lost sync
        raise DamagedEntry(str(exc)) from exc
    signature = data[_STREAMINFO_MD5]
    if len(pcm) != frames or (any(signature) and hashlib.md5(pcm.astype("<i2").tobytes()).digest() != signature):
        raise DamagedEntry("decoded samples do not match the stored signature")
    return pcm, rate


def encode_npz(pcm: np.ndarray, rate: int) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, samples=pcm, rate=np.int64(rate))
    return buffer.getvalue()


def decode_npz(data: bytes) -> tuple[np.ndarray, int]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            return np.asarray(stored["samples"], dtype=np.int16), int(stored["rate"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise DamagedEntry(str(exc)) from exc


def encode(pcm: np.ndarray, rate: int) -> tuple[str, bytes]:
    """The file suffix and bytes an entry is stored as.

    FLAC cannot hold a stream of zero frames (libsndfile writes nothing), so
    the rare empty segment keeps the ``.npz`` layout.
    """
    return (SUFFIX, encode_flac(pcm, rate)) if len(pcm) else (LEGACY_SUFFIX, encode_npz(pcm, rate))


DECODERS = {SUFFIX: decode_flac, LEGACY_SUFFIX: decode_npz}
# FLAC a second time: another build may migrate the legacy entry between the first two looks.
LOOKUP_ORDER = (SUFFIX, LEGACY_SUFFIX, SUFFIX)


class SegmentCache:
    def __init__(self, root: Path | str, migrate: bool = True) -> None:
        self.root = Path(root)
        self.migrate = migrate  # rewrite legacy entries as FLAC when they are read
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self._lock = threading.Lock()  # counters only; files are safe by atomic rename

    def path(self, key: str, suffix: str = SUFFIX) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> SentenceAudio | None:
        for suffix in LOOKUP_ORDER:
            path = self.path(key, suffix)
            try:
                pcm, rate = DECODERS[suffix](path.read_bytes())
            except FileNotFoundError:
                continue
            except (OSError, DamagedEntry):
                path.unlink(missing_ok=True)  # unreadable entry: drop it, synthesize again
                continue
            if suffix != SUFFIX and self.migrate and len(pcm):
                self._store(key, pcm, rate)
            self._count(hit=True)
            return SentenceAudio(samples=_from_pcm(pcm), sample_rate=rate)
        self._count(hit=False)
        return None

    def put(self, key: str, audio: SentenceAudio) -> None:
        self._store(key, _to_pcm(audio.samples), audio.sample_rate)
        with self._lock:
            self.writes += 1

    def _store(self, key: str, pcm: np.ndarray, rate: int) -> None:
        suffix, data = encode(pcm, rate)
        atomic_write_bytes(self.path(key, suffix), data)
        for other in SUFFIXES:  # one entry per key: a superseded file would only take space
            if other != suffix:
                self.path(key, other).unlink(missing_ok=True)

    def __contains__(self, key: str) -> bool:
        return any(self.path(key, suffix).is_file() for suffix in SUFFIXES)

    def entries(self) -> list[Path]:
        return [p for suffix in SUFFIXES for p in self.root.glob(f"*/*{suffix}")]

    def keys(self) -> set[str]:
        return {p.name[: -len(p.suffix)] for p in self.entries()}

    def prune(self, keep: set[str]) -> int:
        """Delete every entry not in ``keep``; returns how many keys were removed."""
        removed = 0
        for key in self.keys() - set(keep):
            for suffix in SUFFIXES:
                self.path(key, suffix).unlink(missing_ok=True)
            removed += 1
        return removed

    def clear(self) -> int:
        return self.prune(set())

    def _count(self, hit: bool) -> None:
        with self._lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1
