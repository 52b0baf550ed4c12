"""eSpeak NG through the ``espeakng-loader`` wheel (its own libespeak-ng.so + data).

Driven with ctypes in synchronous mode: ``espeak_Synth`` calls our callback
with blocks of 16-bit samples, which we collect.  Robotic but tiny, fast and
multilingual: the voice defaults to the utterance's language.
"""
from __future__ import annotations

import ctypes
import os
import struct
import threading

import numpy as np

from ...errors import EngineError
from ..types import SentenceAudio

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_INITIALIZE_DONT_EXIT = 0x8000
POS_CHARACTER = 1
ESPEAK_CHARS_UTF8 = 1
EE_OK = 0

# int callback(short *wav, int numsamples, espeak_EVENT *events)
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class EspeakEngine:
    name = "espeak"

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError:
            raise EngineError("espeak engine needs espeakng-loader: pip install espeakng-loader") from None
        self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self._lib.espeak_Initialize.restype = ctypes.c_int
        self._lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        self._lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self._lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        self._lib.espeak_Info.restype = ctypes.c_char_p
        self._lib.espeak_Info.argtypes = [ctypes.c_void_p]
        data = espeakng_loader.get_data_path().encode()
        rate = self._lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data, ESPEAK_INITIALIZE_DONT_EXIT)
        if rate <= 0:
            raise EngineError("eSpeak NG failed to initialize (espeakng-loader data missing?)")
        self.sample_rate = rate
        self.version = (self._lib.espeak_Info(None) or b"?").decode()
        self._blocks: list[np.ndarray] = []
        # Keep a reference: ctypes frees the trampoline when the Python object dies.
        self._callback = _SYNTH_CALLBACK(self._collect)
        self._lib.espeak_SetSynthCallback(self._callback)
        self._lock = threading.Lock()  # the library has one global synthesizer

    def _collect(self, wav, count, _events) -> int:
        if wav and count > 0:
            self._blocks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0 = continue synthesis

    def synthesize(self, text: str, voice: str | None, lang: str) -> SentenceAudio:
        name = (voice or lang or "en").encode()
        with self._lock:
            status, pcm = self._speak_in_pristine_child(name, text.encode("utf-8") + b"\0")
        if status == -1:
            raise EngineError(f"eSpeak NG has no voice {name.decode()!r}")
        if status != EE_OK:
            raise EngineError(f"eSpeak NG synthesis failed (status {status})")
        return SentenceAudio(samples=(pcm.astype(np.float32) / 32768.0), sample_rate=self.sample_rate)

    def _speak_in_pristine_child(self, name: bytes, payload: bytes) -> tuple[int, np.ndarray]:
        """Speak in a forked copy of this never-used library state.

        eSpeak keeps state from one utterance to the next in C statics (intonation,
        wave generator phase, its noise generator) that espeak_Terminate does not
        reset, so the same sentence came out different after different predecessors,
        and -j or resumed builds differed.  The parent only ever initializes; each
        utterance runs in a child forked from that pristine state (~ms per fork).
        """
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: speak, send (status, samples), leave without cleanup
            try:
                os.close(read_end)
                status = -1
                if self._lib.espeak_SetVoiceByName(name) == EE_OK:
                    self._blocks = []
                    status = self._lib.espeak_Synth(payload, len(payload), 0, POS_CHARACTER, 0,
                                                    ESPEAK_CHARS_UTF8, None, None)
                pcm = np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.int16)
                _write_all(write_end, struct.pack("<i", status) + pcm.astype("<i2").tobytes())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as reader:
            message = reader.read()
        os.waitpid(pid, 0)
        if len(message) < 4:
            raise EngineError("eSpeak NG child process died while speaking")
        (status,) = struct.unpack("<i", message[:4])
        return status, np.frombuffer(message[4:], dtype="<i2").astype(np.int16)

    def identity(self, voice: str | None) -> str:
        return f"espeak-ng/{self.version}|voice={voice}|rate={self.sample_rate}|defaults|pristine-state-per-utterance"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
