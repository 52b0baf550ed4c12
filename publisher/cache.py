"""Content-addressed cache of synthesized sentences.

A segment's key hashes everything that changes its audio: the spoken text,
the engine identity (engine, voice, version, settings), the language and the
sample rate.  Values are int16 samples plus their rate in an uncompressed
``.npz`` (half the size of float32; engines produce 16-bit-grade audio), one
file per key under a two-character fan-out folder, written atomically so a
crashed build never leaves a half segment that a later build would trust.
"""
from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from pathlib import Path

import numpy as np

from .fsutil import atomic_write_bytes
from .speech.types import SentenceAudio

SUFFIX = ".npz"
FORMAT = "v1"  # bump when the stored layout changes: old entries then simply miss


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


class SegmentCache:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.hits = 0
        self.misses = 0
        self.writes = 0
        self._lock = threading.Lock()  # counters only; files are safe by atomic rename

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> SentenceAudio | None:
        path = self.path(key)
        try:
            with np.load(path, allow_pickle=False) as stored:
                samples = _from_pcm(stored["samples"])
                rate = int(stored["rate"])
        except FileNotFoundError:
            self._count(hit=False)
            return None
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
            path.unlink(missing_ok=True)  # unreadable entry: drop it, synthesize again
            self._count(hit=False)
            return None
        self._count(hit=True)
        return SentenceAudio(samples=samples, sample_rate=rate)

    def put(self, key: str, audio: SentenceAudio) -> None:
        buffer = io.BytesIO()
        np.savez(buffer, samples=_to_pcm(audio.samples), rate=np.int64(audio.sample_rate))
        atomic_write_bytes(self.path(key), buffer.getvalue())
        with self._lock:
            self.writes += 1

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def keys(self) -> set[str]:
        return {p.name[: -len(SUFFIX)] for p in self.root.glob(f"*/*{SUFFIX}")}

    def prune(self, keep: set[str]) -> int:
        """Delete every entry not in ``keep``; returns how many were removed."""
        removed = 0
        for key in self.keys() - set(keep):
            self.path(key).unlink(missing_ok=True)
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
