#!/usr/bin/env bash
# Creates .venv (if missing) and installs Olive Studio with the extras named in $1 (default: server,dev).
# Idempotent and quick when everything is already installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXTRAS="${1:-server,dev}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$ROOT/.venv/bin/python" ]; then
    echo "==> creating $ROOT/.venv with $($PYTHON --version)"
    "$PYTHON" -m venv "$ROOT/.venv"
fi
echo "==> installing olive-studio[$EXTRAS] into .venv"
"$ROOT/.venv/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[$EXTRAS]"
