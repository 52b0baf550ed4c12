#!/usr/bin/env bash
# Command 2 of README.md (and exactly what .ci/run runs): set up everything the
# tests need — Python test extras, Debian's chromium and a Java runtime, axe-core
# and the W3C Nu checker — then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test,cluster,listen
bash scripts/install-test-tools.sh
.venv/bin/python -m pytest "$@"
