from __future__ import annotations

import io
import os

import numpy as np
import soundfile

from publisher.cache import LEGACY_SUFFIX, SegmentCache, _to_pcm, as_stored, segment_key
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
    assert np.array_equal(got.samples, as_stored(clip).samples)  # lossless: exactly what was stored
    assert (cache.hits, cache.misses, cache.writes) == (1, 1, 1)
    assert key in cache and cache.keys() == {key}


def test_writes_leave_no_temporary_files(tmp_path):
    cache = SegmentCache(tmp_path)
    for i in range(3):
        cache.put(segment_key(str(i), "fake", "en", 16000), _clip(100 + i))
    files = [name for _, _, names in os.walk(tmp_path) for name in names]
    assert len(files) == 3 and all(name.endswith(".flac") for name in files)


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


def _speech_like(seconds: float = 1.5, rate: int = 22050) -> SentenceAudio:
    """Noise shaped like speech: the full 16-bit range, bursts and pauses, nothing FLAC finds trivial."""
    rng = np.random.default_rng(7)
    n = int(seconds * rate)
    envelope = np.abs(np.sin(np.arange(n) * np.pi * 3 / rate)) ** 2
    return SentenceAudio(samples=np.clip(rng.normal(0, 0.35, n) * envelope, -1, 1).astype(np.float32),
                         sample_rate=rate)


def _legacy_entry(cache: SegmentCache, key: str, clip: SentenceAudio) -> None:
    """An entry exactly as earlier versions wrote it: np.savez of int16 samples and the rate."""
    buffer = io.BytesIO()
    np.savez(buffer, samples=_to_pcm(clip.samples), rate=np.int64(clip.sample_rate))
    cache.path(key, LEGACY_SUFFIX).parent.mkdir(parents=True, exist_ok=True)
    cache.path(key, LEGACY_SUFFIX).write_bytes(buffer.getvalue())


def test_entries_are_flac_and_decode_to_identical_samples(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("speech", "fake", "en", 22050)
    clip = _speech_like()
    cache.put(key, clip)
    data = cache.path(key).read_bytes()
    assert data[:4] == b"fLaC"
    with soundfile.SoundFile(io.BytesIO(data)) as stream:  # a real FLAC file any decoder reads
        assert (stream.samplerate, stream.channels, stream.subtype) == (22050, 1, "PCM_16")
        assert np.array_equal(stream.read(dtype="int16"), _to_pcm(clip.samples))
    assert np.array_equal(SegmentCache(tmp_path).get(key).samples, as_stored(clip).samples)


def test_an_old_npz_entry_is_a_hit_and_is_migrated_to_flac(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("old", "fake", "en", 22050)
    clip = _speech_like(0.5)
    _legacy_entry(cache, key, clip)
    assert key in cache and cache.keys() == {key}
    got = cache.get(key)
    assert (cache.hits, cache.misses) == (1, 0)
    assert got.sample_rate == 22050 and np.array_equal(got.samples, as_stored(clip).samples)
    assert cache.path(key).is_file() and not cache.path(key, LEGACY_SUFFIX).exists()
    again = SegmentCache(tmp_path).get(key)  # now served from the FLAC entry
    assert np.array_equal(again.samples, got.samples)


def test_an_old_npz_entry_is_kept_when_migration_is_off(tmp_path):
    cache = SegmentCache(tmp_path, migrate=False)
    key = segment_key("old", "fake", "en", 16000)
    _legacy_entry(cache, key, _clip())
    assert cache.get(key) is not None
    assert cache.path(key, LEGACY_SUFFIX).is_file() and not cache.path(key).exists()


def test_keys_and_prune_cover_both_layouts(tmp_path):
    cache = SegmentCache(tmp_path, migrate=False)
    old, new = segment_key("old", "fake", "en", 16000), segment_key("new", "fake", "en", 16000)
    _legacy_entry(cache, old, _clip())
    cache.put(new, _clip())
    assert cache.keys() == {old, new}
    assert cache.prune({new}) == 1 and cache.keys() == {new}
    assert cache.clear() == 1 and list(tmp_path.rglob("*.*")) == []


def test_a_truncated_flac_entry_is_a_miss_and_is_removed(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("cut", "fake", "en", 22050)
    cache.put(key, _speech_like())
    data = cache.path(key).read_bytes()
    for cut in (len(data) // 2, len(data) - 3, 40):
        cache.path(key).write_bytes(data[:cut])
        assert cache.get(key) is None, cut
        assert not cache.path(key).exists()
    assert (cache.hits, cache.misses) == (0, 3)


def test_a_flac_entry_with_damaged_audio_is_a_miss(tmp_path):
    """Bit rot inside the audio frames: the stored MD5 signature catches what the decoder may not."""
    cache = SegmentCache(tmp_path)
    key = segment_key("rot", "fake", "en", 22050)
    cache.put(key, _speech_like())
    data = bytearray(cache.path(key).read_bytes())
    data[len(data) // 2] ^= 0x10
    cache.path(key).write_bytes(bytes(data))
    assert cache.get(key) is None and key not in cache


def test_an_empty_clip_round_trips(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("", "fake", "en", 16000)
    cache.put(key, SentenceAudio(samples=np.zeros(0, np.float32), sample_rate=16000))
    got = cache.get(key)
    assert got is not None and got.samples.size == 0 and got.sample_rate == 16000
    assert cache.keys() == {key}


def test_flac_takes_far_fewer_bytes_than_npz(tmp_path):
    cache = SegmentCache(tmp_path)
    key = segment_key("size", "fake", "en", 16000)
    clip = _clip(16000)  # a steady tone: FLAC's predictor does very well on it
    cache.put(key, clip)
    buffer = io.BytesIO()
    np.savez(buffer, samples=_to_pcm(clip.samples), rate=np.int64(16000))
    assert cache.path(key).stat().st_size < 0.6 * len(buffer.getvalue())
