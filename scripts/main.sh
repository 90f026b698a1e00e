#!/usr/bin/env bash
# The main job: set up, then check the project's example configs and print the findings.
# The current-format example is clean; the Olive 0.6-era example shows what changed since.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh" server || exit 1
status=0
for config in "$ROOT"/examples/*/olive-config*.json; do
    echo
    echo "==> olive-studio validate ${config#"$ROOT"/}"
    (cd "$ROOT" && .venv/bin/olive-studio validate "${config#"$ROOT"/}") || status=$?
done
echo
echo "==> the same old config checked against the release it was written for (Olive 0.6.1)"
(cd "$ROOT" && .venv/bin/olive-studio validate --olive-version 0.6.1 examples/phrase-classification/olive-config-0.6.json) || status=$?
echo
echo "==> olive-studio migrate examples/phrase-classification/olive-config-0.6.json --to 0.13 (a diff; nothing is written)"
(cd "$ROOT" && .venv/bin/olive-studio migrate examples/phrase-classification/olive-config-0.6.json --to 0.13) || status=$?
echo
echo "(exit status of the last failing step: $status; 0 = clean, 1 = errors, 2 = unreadable)"
