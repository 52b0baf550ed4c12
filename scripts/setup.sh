#!/usr/bin/env bash
# Create .venv and install publisher into it (from the package registries only).
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PYTHON="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    # Debian's python3 ships venv separately.
    rm -rf .venv
    if [ "$(id -u)" = 0 ]; then
      apt-get update -q && apt-get install -y -q --no-install-recommends python3-venv
    else
      sudo apt-get update -q && sudo apt-get install -y -q --no-install-recommends python3-venv
    fi
    "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
