"""Run a bench script under the project's environment (``.venv``, made by scripts/setup.sh).

Another Python lacks the reader's and the narrator's dependencies: a page it cannot read
would score as empty (a silent 0, not an error), and timings would be of another install.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
_MARK = "PUBLISHER_BENCH_REEXEC"  # set once: a broken .venv cannot loop


def python() -> str:
    """The interpreter bench commands run (and hand to their subprocesses)."""
    return str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable


def run_under_venv(script: str) -> None:
    """Re-execute ``script`` with the same arguments under ``.venv``'s Python, unless this
    already is it (or there is none)."""
    if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (REPO / ".venv").resolve() \
            and _MARK not in os.environ:
        os.environ[_MARK] = "1"
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), script, *sys.argv[1:]])
