"""Audio mechanics on mono float32 numpy arrays: silence, joins, resampling,
loudness, true peak, limiting, MP3 encoding/decoding and ID3 chapter tags.

Policy numbers (target loudness, ceiling, bitrate) are module constants that
callers may override per call; nothing here knows about articles.

Loudness
    ITU-R BS.1770-4 integrated loudness with pyloudnorm's K-weighting filters
    (``pyloudnorm.iirfilter.IIRfilter``, same parameters as ``pyloudnorm.Meter``)
    and a vectorized block/gating stage: pyloudnorm's own gating loops over
    400 ms blocks in Python, which costs more than MP3 encoding.  The test suite
    checks this meter against ``pyloudnorm.Meter`` to 0.05 LU.

Limiter
    Speech from Piper has ~20 dB between peak and loudness, so plain gain to
    -19 LUFS would clip.  pedalboard's Limiter (JUCE) is a pair of
    compressors without look-ahead or inter-sample detection, so it cannot
    *guarantee* a true-peak ceiling.  We use a small look-ahead limiter in
    numpy instead: required gain per sample from the 4x-oversampled envelope,
    a sliding minimum (hold) and a moving average (smooth attack/release).
    Because the averaging window is inside the minimum window, every peak is
    fully attenuated at its own sample; no loop per sample, deterministic.

MP3
    lameenc (LAME) encodes CBR mono.  It writes no Xing/Info/LAME header (the
    first bytes are an audio frame), so decoders cannot trim encoder delay and
    padding: every decoder plays ``frames * 1152`` samples, and the input's
    first sample comes out ``MP3_DELAY_SAMPLES`` (576 encoder + 529 decoder)
    late.  Durations and chapter times are computed on that decoded timeline,
    from frame and sample counts, never from mutagen's bitrate estimate.
    Because each stream starts with an empty bit reservoir, CBR streams with
    the same parameters can be concatenated frame by frame; the episode is
    built that way from its section files (no second encode).
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

OUTPUT_RATE = 44100
TARGET_LUFS = -19.0  # mono; equals -16 LUFS for the same signal on two channels
CEILING_DBTP = -1.0
# The limiter aims lower than the ceiling: MP3 coding adds overshoot of its own.
LIMITER_CEILING_DBTP = -2.0
MP3_BITRATE_KBPS = 64
MP3_QUALITY = 7  # LAME -q: 2 best … 7 fastest; 7 halves encode time vs 5; fine for 64 kbps speech
MP3_FRAME_SAMPLES = 1152  # MPEG-1 Layer III
MP3_DELAY_SAMPLES = 576 + 529  # LAME encoder delay + decoder delay, measured (see tests)
# lameenc's mono streams decode 0.95x (-0.45 dB) as loud as their input, at every
# bitrate and quality (measured with libsndfile and ffmpeg; see tests).  Encoding
# pre-compensates so the published level is the measured one.
LAME_MONO_GAIN = 0.95

_BLOCK_S = 0.400
_HOP_S = 0.100
_ABSOLUTE_GATE = -70.0
_RELATIVE_GATE = -10.0
_OVERSAMPLE = 4


# -- basics -----------------------------------------------------------------------------


def silence(ms: float, rate: int) -> np.ndarray:
    return np.zeros(int(round(rate * ms / 1000.0)), dtype=np.float32)


def concat(parts: Iterable[np.ndarray]) -> np.ndarray:
    parts = [np.asarray(p, dtype=np.float32).reshape(-1) for p in parts]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Polyphase resampling (scipy.signal.resample_poly); exact length ceil(n*to/from)."""
    samples = np.asarray(samples, dtype=np.float32)
    if from_rate == to_rate or samples.size == 0:
        return samples
    from scipy.signal import resample_poly

    g = math.gcd(from_rate, to_rate)
    return resample_poly(samples, to_rate // g, from_rate // g).astype(np.float32)


def trim_silence(samples: np.ndarray, rate: int, threshold_db: float = -50.0, keep_ms: float = 30.0) -> np.ndarray:
    """Cut leading/trailing near-silence, keeping ``keep_ms`` around the sound.

    Engines differ in how much quiet they put around a sentence; pauses are
    ours to decide (Utterance.pause_after_ms), so edges are made uniform.
    """
    samples = np.asarray(samples, dtype=np.float32)
    if samples.size == 0:
        return samples
    loud = np.flatnonzero(np.abs(samples) > 10 ** (threshold_db / 20))
    if loud.size == 0:
        return samples[:0]
    keep = int(rate * keep_ms / 1000)
    return samples[max(0, loud[0] - keep): min(samples.size, loud[-1] + 1 + keep)]


def longest_silence_s(samples: np.ndarray, rate: int, threshold_db: float = -60.0) -> float:
    """Length of the longest run below ``threshold_db`` (sample magnitude)."""
    quiet = np.abs(np.asarray(samples)) <= 10 ** (threshold_db / 20)
    if not quiet.any():
        return 0.0
    edges = np.diff(np.concatenate(([0], quiet.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return float((ends - starts).max()) / rate


def to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32767.0), -32768, 32767).astype(np.int16)


# -- loudness and peaks -----------------------------------------------------------------


class LoudnessMeter:
    """BS.1770-4 integrated loudness (mono), K-weighting from pyloudnorm."""

    def __init__(self, rate: int) -> None:
        from pyloudnorm.iirfilter import IIRfilter

        self.rate = rate
        # The exact stages pyloudnorm.Meter uses for "K-weighting".
        self._stages = (
            IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
            IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
        )

    def block_powers(self, samples: np.ndarray) -> np.ndarray:
        """Mean square of the K-weighted signal in 400 ms blocks, 100 ms apart."""
        from scipy.signal import lfilter

        x = np.asarray(samples, dtype=np.float64).reshape(-1)
        block = int(round(_BLOCK_S * self.rate))
        if x.size < block:  # too short for one block: pad (silence is gated out anyway)
            x = np.concatenate([x, np.zeros(block - x.size)])
        for stage in self._stages:
            x = stage.passband_gain * lfilter(stage.b, stage.a, x)
        hop = int(round(_HOP_S * self.rate))
        per_block = block // hop  # 4: a block is four hops (exact at 16/22.05/24/44.1/48 kHz)
        hops = x.size // hop
        frames = x[: hops * hop].reshape(hops, hop)
        hop_energy = np.einsum("ij,ij->i", frames, frames)  # row-wise sum of squares, no temporary
        window = np.lib.stride_tricks.sliding_window_view(hop_energy, per_block).sum(axis=1)
        return window / block

    def integrated(self, samples: np.ndarray) -> float:
        return gated_loudness(self.block_powers(samples))


def gated_loudness(powers: np.ndarray) -> float:
    """Integrated loudness from block powers (absolute then relative gate)."""
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(powers)
    above = powers[levels >= _ABSOLUTE_GATE]
    if above.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(above.mean()) + _RELATIVE_GATE
    gated = powers[(levels >= _ABSOLUTE_GATE) & (levels > relative)]
    if gated.size == 0:
        return float("-inf")
    return float(-0.691 + 10 * np.log10(gated.mean()))


_meters: dict[int, LoudnessMeter] = {}


def _meter(rate: int) -> LoudnessMeter:
    return _meters.get(rate) or _meters.setdefault(rate, LoudnessMeter(rate))


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (mono); ``-inf`` for digital silence."""
    return _meter(rate).integrated(samples)


# Inter-sample peaks of real audio stay within a few dB of the nearby sample
# peaks (+3 dB is the textbook worst case, fs/4 at 45 degrees), so the
# oversampled values are only computed near samples within this margin of the
# level of interest; everywhere else the sample magnitude is the envelope.
_CANDIDATE_MARGIN_DB = 6.0
_TAPS_PER_PHASE = 24


def _polyphase_kernel() -> np.ndarray:
    """(taps, phases) interpolation matrix for the 3 in-between points of 4x oversampling."""
    from scipy.signal import firwin

    # Odd length -> integer group delay (half the taps); gain 4 restores the level.
    h = firwin(_OVERSAMPLE * _TAPS_PER_PHASE + 1, 1.0 / _OVERSAMPLE, window=("kaiser", 8.0)) * _OVERSAMPLE
    return np.stack([h[q::_OVERSAMPLE][:_TAPS_PER_PHASE + 1 - (q > 0)].tolist() + [0.0] * (q > 0)
                     for q in range(1, _OVERSAMPLE)], axis=1)


_KERNEL: np.ndarray | None = None


def peak_envelope(samples: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Per sample n: max magnitude of x[n] and the 4x-interpolated points just after it.

    Only samples whose own or next magnitude reaches ``floor`` get interpolated
    (0 = all of them); the result under-estimates nothing that matters above
    ``floor * 10**(-margin/20)``.
    """
    global _KERNEL
    if _KERNEL is None:
        _KERNEL = _polyphase_kernel()
    x = np.asarray(samples, dtype=np.float32).reshape(-1)
    env = np.abs(x)
    if x.size < 2:
        return env
    hot = env >= floor
    hot[:-1] |= hot[1:]  # a peak between n and n+1 may sit next to a loud n+1
    where = np.flatnonzero(hot)
    if where.size == 0:
        return env
    half = _TAPS_PER_PHASE // 2
    padded = np.concatenate([np.zeros(half, np.float32), x, np.zeros(half + 1, np.float32)])
    # Interpolated point at n + q/4 = sum_k h[4k+q] * x[n + half - k]  (k = 0..taps)
    offsets = half - np.arange(_KERNEL.shape[0])
    for chunk in np.array_split(where, max(1, where.size // 65536)):
        window = padded[chunk[:, None] + offsets[None, :] + half]
        between = np.abs(window @ _KERNEL).max(axis=1)
        env[chunk] = np.maximum(env[chunk], between)
    return env


def true_peak_dbtp(samples: np.ndarray) -> float:
    """True peak (4x oversampling, BS.1770-4 Annex 2 style) in dBTP."""
    x = np.asarray(samples, dtype=np.float32)
    if x.size == 0:
        return float("-inf")
    floor = float(np.abs(x).max()) * 10 ** (-_CANDIDATE_MARGIN_DB / 20)
    peak = float(peak_envelope(x, floor).max())
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def sample_peak_db(samples: np.ndarray) -> float:
    peak = float(np.abs(samples).max()) if np.size(samples) else 0.0
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def limit(samples: np.ndarray, rate: int, ceiling_dbtp: float = LIMITER_CEILING_DBTP,
          attack_ms: float = 5.0, hold_ms: float = 20.0) -> np.ndarray:
    """Look-ahead peak limiter: true peak of the result ≈ ≤ ``ceiling_dbtp``.

    gain[n] = mean over |k-n| ≤ A of (min over |j-k| ≤ H of need[j]), with H ≥ A,
    so every window averaged at a peak contains that peak's own need: the gain
    at the peak is at most what the peak requires.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    x = np.asarray(samples, dtype=np.float32)
    if x.size == 0:
        return x
    ceiling = 10 ** (ceiling_dbtp / 20)
    env = peak_envelope(x, ceiling * 10 ** (-_CANDIDATE_MARGIN_DB / 20))
    if env.max() <= ceiling:
        return x
    need = np.minimum(1.0, ceiling / np.maximum(env, 1e-12))
    attack = max(1, int(rate * attack_ms / 1000))
    hold = max(attack, int(rate * hold_ms / 1000))
    held = minimum_filter1d(need, size=2 * hold + 1, mode="nearest")
    gain = uniform_filter1d(held, size=2 * attack + 1, mode="nearest")
    # The moving average of values each ≤ need[p] is ≤ need[p]; float error aside.
    gain = np.minimum(gain, held)
    return (x * gain).astype(np.float32)


@dataclass(frozen=True)
class LoudnessResult:
    samples: np.ndarray
    loudness_lufs: float
    true_peak_dbtp: float
    block_powers: np.ndarray  # of ``samples``: lets callers gate several sections together


def normalize_loudness(samples: np.ndarray, rate: int, target_lufs: float = TARGET_LUFS,
                       ceiling_dbtp: float = LIMITER_CEILING_DBTP, tolerance_lu: float = 0.1,
                       headroom_db: float = 0.5) -> LoudnessResult:
    """Gain to ``target_lufs``, limiting peaks to ``ceiling_dbtp`` (true peak).

    Limiting lowers loudness a little.  The limiter therefore aims
    ``headroom_db`` below the ceiling, so the small make-up gain that follows
    stays under the ceiling without limiting again; only a larger shortfall
    costs another round.  Loudness is measured twice for typical speech.
    """
    x = np.asarray(samples, dtype=np.float32)
    meter = _meter(rate)
    powers = meter.block_powers(x)
    level = gated_loudness(powers)
    if not math.isfinite(level):
        return LoudnessResult(x, level, true_peak_dbtp(x), powers)
    gain_db = target_lufs - level
    y = x
    for _ in range(4):
        y = limit(x * np.float32(10 ** (gain_db / 20)), rate, ceiling_dbtp - headroom_db)
        powers = meter.block_powers(y)
        level = gated_loudness(powers)
        shortfall = target_lufs - level
        if abs(shortfall) <= tolerance_lu:
            break
        if 0 < shortfall <= headroom_db:
            y, powers, level = _gain(y, shortfall), powers * 10 ** (shortfall / 10), target_lufs
            break
        gain_db += shortfall
    peak = true_peak_dbtp(y)
    if peak > ceiling_dbtp:  # belt and braces: a final static trim of a fraction of a dB at most
        trim = ceiling_dbtp - peak
        y, powers, level, peak = _gain(y, trim), powers * 10 ** (trim / 10), level + trim, ceiling_dbtp
    return LoudnessResult(y, level, peak, powers)


def _gain(samples: np.ndarray, db: float) -> np.ndarray:
    return (samples * np.float32(10 ** (db / 20))).astype(np.float32)


# -- MP3 --------------------------------------------------------------------------------


def encode_mp3(samples: np.ndarray, rate: int = OUTPUT_RATE, bitrate_kbps: int = MP3_BITRATE_KBPS,
               quality: int = MP3_QUALITY) -> bytes:
    """CBR mono MP3 (no ID3, no Xing header)."""
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate_kbps)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(quality)
    data = encoder.encode(to_int16(np.asarray(samples, dtype=np.float32) / np.float32(LAME_MONO_GAIN)).tobytes())
    return bytes(data + encoder.flush())


_MPEG1_L3_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG1_RATES = (44100, 48000, 32000)


def mp3_frame_count(data: bytes) -> int:
    """Number of MPEG-1 Layer III frames (ID3v2 tag skipped); raises ValueError on garbage."""
    pos = id3_size(data)
    frames = 0
    while pos + 4 <= len(data):
        b1, b2 = data[pos + 1], data[pos + 2]
        if data[pos] != 0xFF or (b1 & 0xFE) != 0xFA:  # sync + MPEG-1 + Layer III
            if data[pos:pos + 3] == b"TAG":  # ID3v1 at the end
                break
            raise ValueError(f"not an MPEG-1 Layer III frame at byte {pos}")
        bitrate = _MPEG1_L3_KBPS[b2 >> 4] * 1000
        rate = _MPEG1_RATES[(b2 >> 2) & 0x3]
        pos += 144 * bitrate // rate + ((b2 >> 1) & 1)
        frames += 1
    return frames


def decoded_length(data: bytes) -> int:
    """How many samples every decoder plays for our MP3s (no gapless header to trim)."""
    return mp3_frame_count(data) * MP3_FRAME_SAMPLES


def id3_size(data: bytes) -> int:
    """Bytes taken by a leading ID3v2 tag (0 if none)."""
    if data[:3] != b"ID3" or len(data) < 10:
        return 0
    size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """Decode an MP3 (with or without ID3) to mono float32 via soundfile's libsndfile."""
    import soundfile

    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    return samples.mean(axis=1).astype(np.float32), rate


MAX_SOUND_SECONDS = 120.0  # an ident, not a programme: longer is a wrong file
MAX_SOUND_BYTES = 50_000_000


def read_sound(path) -> tuple[np.ndarray, int]:
    """A sound file (MP3, WAV, FLAC, Ogg) as mono float32 and its rate, via libsndfile.

    Raises ValueError with one readable reason: unreadable, too long, silent.
    """
    import soundfile

    data = open(path, "rb").read(MAX_SOUND_BYTES + 1)
    if len(data) > MAX_SOUND_BYTES:
        raise ValueError(f"larger than {MAX_SOUND_BYTES // 1_000_000} MB")
    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError) as exc:
        raise ValueError(f"not a readable MP3 or WAV file ({exc})") from None
    mono = samples.mean(axis=1).astype(np.float32)
    if mono.size == 0 or not math.isfinite(integrated_loudness(mono, rate)):
        raise ValueError("silent (nothing to bring to the episode's loudness)")
    if mono.size / rate > MAX_SOUND_SECONDS:
        raise ValueError(f"lasts {mono.size / rate:.0f} s; an ident may last at most {MAX_SOUND_SECONDS:.0f} s")
    return mono, int(rate)


# -- ID3 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str | None = None
    album: str | None = None
    cover: bytes | None = None  # PNG or JPEG bytes
    track: str | None = None  # e.g. "2/7" for section files


def image_mime(data: bytes) -> str:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    raise ValueError("cover art must be PNG or JPEG")


def id3_tag(tags: EpisodeTags, chapters: Sequence[ChapterMark] = ()) -> bytes:
    """An ID3v2.3 tag: TIT2/TPE1/TALB[/TRCK][/APIC] and, if given, CHAP frames under one CTOC.

    v2.3 because Apple Podcasts and older players read CHAP/CTOC there; v2.4 adds
    nothing we use.  The CTOC is top-level and ordered and lists every CHAP.
    """
    from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TIT2, TPE1, TRCK, CTOCFlags, PictureType

    tag = ID3()
    tag.add(TIT2(encoding=3, text=tags.title))
    if tags.artist:
        tag.add(TPE1(encoding=3, text=tags.artist))
    if tags.album:
        tag.add(TALB(encoding=3, text=tags.album))
    if tags.track:
        tag.add(TRCK(encoding=3, text=tags.track))
    if tags.cover:
        tag.add(APIC(encoding=3, mime=image_mime(tags.cover), type=PictureType.COVER_FRONT,
                     desc="Cover", data=tags.cover))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        for element_id, chapter in zip(ids, chapters):
            tag.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                         start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                         sub_frames=[TIT2(encoding=3, text=chapter.title)]))
        tag.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=tags.title)]))
    buffer = io.BytesIO()
    tag.save(buffer, v2_version=3, padding=lambda info: 0)
    return buffer.getvalue()


def contiguous_chapters(titles: Sequence[str], starts_samples: Sequence[int], total_samples: int,
                        rate: int) -> list[ChapterMark]:
    """Chapters from 0 to the end, each ending where the next starts (milliseconds)."""
    starts_ms = [0] + [int(round(s * 1000 / rate)) for s in starts_samples[1:]]
    end_ms = int(total_samples * 1000 // rate)  # floor: never past the real end
    ends = starts_ms[1:] + [end_ms]
    return [ChapterMark(t, s, e) for t, s, e in zip(titles, starts_ms, ends)]
