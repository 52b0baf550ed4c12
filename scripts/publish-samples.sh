#!/usr/bin/env bash
# Command 1 of README.md: set up, then build the shipped samples in input/ into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/publisher build input/ -o output/ "$@"
echo "Open output/index.html, or run: .venv/bin/publisher serve output/  (then http://localhost:8000/)"
