#!/usr/bin/env bash
# The project's test command (README, .ci/run): set up, then the whole suite,
# unit + property + integration against real Dovecot, PostgreSQL and SMTP
# servers that the tests start on 127.0.0.1 themselves.
#   scripts/test.sh                    # everything
#   scripts/test.sh tests/unit -k foo  # extra arguments go to pytest
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/setup.sh

# Tesseract's OpenMP threads fight each other on 2 cores: one thread is
# 5x faster per page (notes: 0.6 s instead of 3 s).
export OMP_THREAD_LIMIT=1

# -p no:cacheprovider: CI clones are fresh and the cache dir would only dirty
# the tree. pytest's own exit code is the script's (set -e + exec).
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
