#!/usr/bin/env bash
# Set up a machine for mailbot: system packages (real mail servers for the
# integration tests, OCR, office converters) and the Python virtualenv.
#
#   scripts/setup.sh              # everything (apt needs root; otherwise it only reports)
#   scripts/setup.sh --no-system  # Python side only (enough for `mailbot demo`)
#
# Idempotent: a second run does no apt work when every package is already
# there (fast path) and pip only checks the installed requirements.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WITH_SYSTEM=1
for arg in "$@"; do
    case "$arg" in
        --no-system) WITH_SYSTEM=0 ;;
        -h | --help)
            sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "setup.sh: unknown option: $arg (try --help)" >&2
            exit 2
            ;;
    esac
done

log() { printf '[setup] %s\n' "$*"; }

# --- System packages ---------------------------------------------------------
# Each package is paired with a file it installs: probing files is instant and
# works without dpkg state quirks, so a provisioned machine never touches apt.
# Debian 12's "postgresql" is version 15; tests start their own clusters.
declare -A PROBE=(
    [dovecot-imapd]=/usr/lib/dovecot/imap
    [postfix]=/usr/sbin/postfix
    [postgresql]=/usr/lib/postgresql/15/bin/initdb
    [tesseract-ocr]=/usr/bin/tesseract
    [tesseract-ocr-fra]="/usr/share/tesseract-ocr/*/tessdata/fra.traineddata"
    [poppler-utils]=/usr/bin/pdftoppm
    [libreoffice-writer-nogui]=/usr/lib/libreoffice/program/libswlo.so
    [libreoffice-calc-nogui]=/usr/lib/libreoffice/program/libsclo.so
    [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
    [chromium]=/usr/bin/chromium
    # weasyprint (invoice PDFs, from pip) loads these with ctypes
    [libpango-1.0-0]="/usr/lib/*/libpango-1.0.so.0"
    [libpangoft2-1.0-0]="/usr/lib/*/libpangoft2-1.0.so.0"
    [libharfbuzz-subset0]="/usr/lib/*/libharfbuzz-subset.so.0"
)

missing_packages() {
    local pkg pattern f found
    for pkg in "${!PROBE[@]}"; do
        pattern="${PROBE[$pkg]}"
        found=0
        # The probe may be a glob (tesseract's data dir carries its major version).
        for f in $pattern; do
            [[ -e "$f" ]] && found=1
        done
        ((found)) || printf '%s\n' "$pkg"
    done | sort
}

install_system() {
    local missing
    missing="$(missing_packages)"
    if [[ -z "$missing" ]]; then
        log "system packages: all present (apt skipped)"
        return 0
    fi
    # shellcheck disable=SC2086  # word splitting of the package list is wanted
    set -- $missing
    if [[ "$(id -u)" -ne 0 ]]; then
        # Developers without root still get a working Python side (`mailbot demo`
        # needs nothing else); the integration tests will say what is missing.
        log "not root: skipping apt. Missing packages (integration tests need them):"
        log "  sudo apt-get install -y --no-install-recommends $*"
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        log "no apt-get on this machine; install these yourself: $*"
        return 0
    fi
    log "installing: $*"
    export DEBIAN_FRONTEND=noninteractive
    # Without this preseed postfix's postinst asks which mail setup to create;
    # the tests run their own private instance, so no system config is wanted.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    apt-get update -q
    apt-get install -y -q --no-install-recommends "$@"
    # Packages install but never start services on these machines (policy-rc.d),
    # which is what we want: the tests start private instances on loopback.
    local still
    still="$(missing_packages)"
    if [[ -n "$still" ]]; then
        echo "setup.sh: apt finished but these are still missing: $still" >&2
        exit 1
    fi
}

if ((WITH_SYSTEM)); then
    install_system
else
    log "system packages: skipped (--no-system)"
fi

# --- Python virtualenv -------------------------------------------------------
PYTHON="${PYTHON:-python3}"
if [[ ! -x .venv/bin/python ]]; then
    log "creating .venv with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv .venv
fi

log "pip install -e .[test]"
# Quiet on success, but keep the whole output so a failure is shown in full
# instead of a bare exit code.
PIP_LOG="$(mktemp)"
trap 'rm -f "$PIP_LOG"' EXIT
if ! .venv/bin/python -m pip install --disable-pip-version-check -q -e ".[test]" >"$PIP_LOG" 2>&1; then
    cat "$PIP_LOG" >&2
    echo "setup.sh: pip install failed (output above)" >&2
    exit 1
fi
log "done ($(.venv/bin/python --version), $(.venv/bin/pip --version | cut -d' ' -f1-2))"
