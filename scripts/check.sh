#!/usr/bin/env bash
# All the project's checks in one command: lint, types, tests (pass pytest options through, e.g. -m "not slow").
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check src tests benchmarks corpora
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
