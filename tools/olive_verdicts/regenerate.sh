#!/usr/bin/env bash
# Regenerate tests/data/olive_verdicts/olive-<version>.json with real Olive (dev-only; needs setup_envs.sh first).
#   tools/olive_verdicts/regenerate.sh [0.13.0|0.6.2 ...]
# CORPUS (default /work/shared/olive/corpus) and SEED (default /work/shared/seed) may be overridden.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
ENVS_DIR="${OLIVE_ENVS_DIR:-/tmp/olive-envs}"
CORPUS="${CORPUS:-/work/shared/olive/corpus}"
SEED="${SEED:-/work/shared/seed}"
VERSIONS=("$@")
[ ${#VERSIONS[@]} -eq 0 ] && VERSIONS=(0.13.0 0.6.2)
mkdir -p "$repo/tests/data/olive_verdicts"
for v in "${VERSIONS[@]}"; do
  start=$(date +%s)
  "$ENVS_DIR/$v/bin/python" "$here/judge.py" --out "$repo/tests/data/olive_verdicts/olive-$v.json" \
    "$CORPUS" "seed=$SEED" "examples=$repo/examples" 2>"${TMPDIR:-/tmp}/olive-verdicts-$v.log"
  tail -n 1 "${TMPDIR:-/tmp}/olive-verdicts-$v.log"
  echo "[$v] wall $(( $(date +%s) - start )) s -> tests/data/olive_verdicts/olive-$v.json"
done
