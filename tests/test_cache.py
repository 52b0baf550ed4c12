from __future__ import annotations

import os

import numpy as np

from publisher.cache import SegmentCache, segment_key
from publisher.speech.types import SentenceAudio


def _clip(n: int = 800, rate: int = 16000) -> SentenceAudio:
    t = np.arange(n) / rate
    return SentenceAudio(samples=(0.4 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), sample_rate=rate)


def test_key_changes_with_every_input():
    base = segment_key("Hello there.", "piper/1|voice=a", "en", 22050)
    assert base == segment_key("Hello there.", "piper/1|voice=a", "en", 22050)
    variants = {
        segment_key("Hello there!", "piper/1|voice=a", "en", 22050),
        segment_key("Hello there.", "piper/1|voice=b", "en", 22050),
        segment_key("Hello there.", "piper/1|voice=a", "de", 22050),
        segment_key("Hello there.", "piper/1|voice=a", "en", 16000),
        segment_key("Hello there.", "piper/1|voice=a", "en", 22050, settings="slow"),
    }
    assert base not in variants and len(variants) == 5


def test_put_then_get_round_trips_samples_and_counts(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("x", "fake", "en", 16000)
    assert cache.get(key) is None
    clip = _clip()
    cache.put(key, clip)
    got = cache.get(key)
    assert got is not None and got.sample_rate == 16000
    assert got.samples.dtype == np.float32
    np.testing.assert_allclose(got.samples, clip.samples, atol=1 / 32767)
    assert (cache.hits, cache.misses, cache.writes) == (1, 1, 1)
    assert key in cache and cache.keys() == {key}


def test_writes_leave_no_temporary_files(tmp_path):
    cache = SegmentCache(tmp_path)
    for i in range(3):
        cache.put(segment_key(str(i), "fake", "en", 16000), _clip(100 + i))
    files = [name for _, _, names in os.walk(tmp_path) for name in names]
    assert len(files) == 3 and all(name.endswith(".npz") for name in files)


def test_prune_keeps_only_listed_keys_and_clear_removes_all(tmp_path):
    cache = SegmentCache(tmp_path)
    keys = [segment_key(str(i), "fake", "en", 16000) for i in range(4)]
    for key in keys:
        cache.put(key, _clip())
    assert cache.prune({keys[0], keys[2]}) == 2
    assert cache.keys() == {keys[0], keys[2]}
    assert cache.clear() == 2
    assert cache.keys() == set()


def test_corrupt_entry_is_a_miss_and_is_removed(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("broken", "fake", "en", 16000)
    cache.path(key).parent.mkdir(parents=True)
    cache.path(key).write_bytes(b"not a numpy archive")
    assert cache.get(key) is None
    assert not cache.path(key).exists()
    assert cache.misses == 1
