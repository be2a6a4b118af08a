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
# the tree.
PYTEST=(.venv/bin/pytest -q -p no:cacheprovider)
if [ "$#" -gt 0 ]; then
    exec "${PYTEST[@]}" "$@"  # a chosen subset: pytest's own exit code is the script's
fi
# The whole suite in two runs: the tests that need no server on both cores
# (pytest-xdist), then the real-server tests one at a time, as their servers and
# timings expect. Both always run; the script fails if either does.
status=0
"${PYTEST[@]}" -n 2 -m "not integration" || status=$?
"${PYTEST[@]}" -m integration || status=$((status ? status : $?))
exit "$status"
