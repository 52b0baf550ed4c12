"""Audio mechanics on synthetic signals (no engine needed)."""
from __future__ import annotations

import io
import math

import numpy as np
import pyloudnorm
import pytest
from mutagen.id3 import ID3, CTOCFlags
from scipy.signal import resample_poly

from publisher.speech import audio

RATE = 44100


def _speechlike(seconds: float, rate: int = RATE, seed: int = 3) -> np.ndarray:
    """Voiced syllables plus sparse sharp transients: like Piper output, the peaks sit
    far (~20 dB) above the loudness but are rare."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voiced = sum(np.sin(2 * np.pi * 140 * k * t + k) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * 3.5 * t), 0, None) ** 2
    x = 0.08 * voiced * syllables + 0.005 * rng.standard_normal(t.size) * syllables
    for onset in rng.integers(0, t.size - rate // 100, size=int(seconds * 3)):
        burst = np.hanning(rate // 200) * np.sin(2 * np.pi * 2500 * np.arange(rate // 200) / rate)
        x[onset:onset + burst.size] += 0.9 * burst
    return x.astype(np.float32)


def test_silence_concat_and_resample_lengths():
    assert audio.silence(350, 22050).size == 7718 and not audio.silence(350, 22050).any()
    joined = audio.concat([np.ones(3), np.zeros(2)])
    assert joined.dtype == np.float32 and joined.tolist() == [1, 1, 1, 0, 0]
    assert audio.concat([]).size == 0
    x = np.sin(2 * np.pi * 200 * np.arange(22050) / 22050).astype(np.float32)
    up = audio.resample(x, 22050, 44100)
    assert up.size == 44100 and up.dtype == np.float32
    assert audio.resample(x, 24000, 44100).size == math.ceil(22050 * 147 / 80)
    assert audio.resample(x, 22050, 22050) is x


def test_trim_silence_keeps_a_margin_and_longest_silence():
    rate = 1000
    x = np.concatenate([np.zeros(500), np.full(100, 0.5), np.zeros(2500), np.full(10, 0.5), np.zeros(300)])
    trimmed = audio.trim_silence(x.astype(np.float32), rate, keep_ms=30)
    assert trimmed.size == 30 + 100 + 2500 + 10 + 30
    assert audio.longest_silence_s(x, rate) == pytest.approx(2.5)
    assert audio.trim_silence(np.zeros(100, np.float32), rate).size == 0


@pytest.mark.parametrize("rate", [22050, 44100])
def test_loudness_meter_matches_pyloudnorm(rate):
    x = _speechlike(6.0, rate)
    ours = audio.integrated_loudness(x, rate)
    reference = pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64))
    assert ours == pytest.approx(reference, abs=0.05)
    assert audio.integrated_loudness(np.zeros(rate, np.float32), rate) == float("-inf")
    short = x[: rate // 5]  # shorter than one 400 ms block: still measurable
    assert math.isfinite(audio.integrated_loudness(short, rate))


def test_true_peak_finds_inter_sample_peaks():
    n = np.arange(8000)
    quarter_rate = (0.5 * np.sin(2 * np.pi * n / 4 + np.pi / 4)).astype(np.float32)
    assert audio.sample_peak_db(quarter_rate) == pytest.approx(-9.03, abs=0.01)
    assert audio.true_peak_dbtp(quarter_rate) == pytest.approx(20 * math.log10(0.5), abs=0.2)
    speech = resample_poly(_speechlike(2.0, 22050), 2, 1).astype(np.float32)  # content below 11 kHz
    reference = 20 * math.log10(np.abs(resample_poly(speech, 4, 1)).max())
    assert audio.true_peak_dbtp(speech) == pytest.approx(reference, abs=0.1)


def test_limiter_holds_the_ceiling_and_leaves_quiet_audio_alone():
    x = _speechlike(3.0) * 3.0
    limited = audio.limit(x, RATE, ceiling_dbtp=-2.0)
    assert audio.true_peak_dbtp(limited) <= -2.0 + 0.05
    assert limited.size == x.size
    quiet = _speechlike(1.0) * 0.1
    np.testing.assert_array_equal(audio.limit(quiet, RATE, -2.0), quiet)
    spike = np.zeros(RATE, np.float32)
    spike[RATE // 2] = 1.0
    assert np.abs(audio.limit(spike, RATE, -6.0)).max() <= 10 ** (-6 / 20) + 1e-6


def test_normalize_reaches_target_loudness_under_the_peak_ceiling():
    x = _speechlike(8.0) * 0.05
    crest = audio.sample_peak_db(x) - audio.integrated_loudness(x, RATE)
    assert crest > 17  # plain gain to -19 LUFS would put peaks above -2 dBTP
    result = audio.normalize_loudness(x, RATE, target_lufs=-19.0, ceiling_dbtp=-2.0)
    assert result.loudness_lufs == pytest.approx(-19.0, abs=0.15)
    assert audio.integrated_loudness(result.samples, RATE) == pytest.approx(-19.0, abs=0.15)
    assert audio.true_peak_dbtp(result.samples) <= -2.0 + 1e-3
    silent = audio.normalize_loudness(np.zeros(1000, np.float32), RATE)
    assert silent.loudness_lufs == float("-inf") and not silent.samples.any()


def test_mp3_has_no_gapless_header_so_delay_and_length_are_known():
    x = np.zeros(RATE, np.float32)
    x[10000] = 0.9
    data = audio.encode_mp3(x)
    assert data[:2] == b"\xff\xfb"  # straight into an audio frame
    # A Xing/Info tag would sit right after the side information of the first frame.
    # (Silent frames carry "LAME…" filler in their ancillary data; that is not a tag.)
    assert b"Xing" not in data[:200] and b"Info" not in data[:200]
    decoded, rate = audio.decode_mp3(data)
    assert rate == RATE
    assert decoded.size == audio.decoded_length(data) == audio.mp3_frame_count(data) * 1152
    assert int(np.argmax(np.abs(decoded))) == 10000 + audio.MP3_DELAY_SAMPLES


def test_mp3_keeps_level_and_every_decoder_shares_the_timeline(tmp_path):
    import subprocess

    import imageio_ffmpeg

    t = np.arange(2 * RATE) / RATE
    x = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    x[30000] = 0.99  # a click marks a known sample
    data = audio.encode_mp3(x)
    decoded, _ = audio.decode_mp3(data)
    steady = slice(5000, 25000)
    delayed = slice(5000 + audio.MP3_DELAY_SAMPLES, 25000 + audio.MP3_DELAY_SAMPLES)
    assert np.sqrt(np.mean(decoded[delayed] ** 2)) / np.sqrt(np.mean(x[steady] ** 2)) == pytest.approx(1.0, abs=0.01)
    (tmp_path / "x.mp3").write_bytes(data)
    pcm = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(tmp_path / "x.mp3"),
                          "-f", "f32le", "-ac", "1", "-"], capture_output=True, check=True).stdout
    by_ffmpeg = np.frombuffer(pcm, np.float32)
    assert by_ffmpeg.size == decoded.size == audio.decoded_length(data)
    np.testing.assert_allclose(by_ffmpeg, decoded, atol=2e-3)


def test_concatenated_streams_decode_to_the_sum_of_their_frames():
    first, second = audio.encode_mp3(_speechlike(1.3) * 0.3), audio.encode_mp3(_speechlike(0.7, seed=9) * 0.3)
    decoded, _ = audio.decode_mp3(first + second)
    assert decoded.size == audio.decoded_length(first) + audio.decoded_length(second)


def test_id3_tag_has_chapters_under_one_ordered_top_level_toc():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    marks = audio.contiguous_chapters(["Intro", "Middle", "End"], [0, 44100, 90000], 132300, RATE)
    assert [(m.start_ms, m.end_ms) for m in marks] == [(0, 1000), (1000, 2041), (2041, 3000)]
    tag = audio.id3_tag(audio.EpisodeTags("Episode", "Desk", "Paper", cover=png), marks)
    data = tag + audio.encode_mp3(np.zeros(3 * RATE, np.float32))
    assert audio.id3_size(data) == len(tag)
    parsed = ID3(io.BytesIO(data))
    assert parsed.version[:2] == (2, 3)
    assert parsed["TIT2"].text == ["Episode"] and parsed["TPE1"].text == ["Desk"] and parsed["TALB"].text == ["Paper"]
    assert parsed.getall("APIC")[0].mime == "image/png"
    chaps = sorted(parsed.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == ["Intro", "Middle", "End"]
    (toc,) = parsed.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    assert toc.child_element_ids == [c.element_id for c in chaps]
    with pytest.raises(ValueError):
        audio.image_mime(b"GIF89a")
