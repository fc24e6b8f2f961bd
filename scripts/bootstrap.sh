#!/usr/bin/env bash
# Set up secscreen in .venv and screen the bundled corpus (prints one verdict per document).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
export SECSCREEN_HOME="${SECSCREEN_HOME:-$PWD/.secscreen-home}"
status=0
.venv/bin/secscreen scan corpora/samples $( [ -d corpora/generated ] && echo corpora/generated ) || status=$?
case "$status" in
  0|1|3) echo "screening finished (exit status $status: 0 all passed, 1 something blocked, 3 something needs review)";;
  *) echo "screening failed with exit status $status" >&2; exit "$status";;
esac
