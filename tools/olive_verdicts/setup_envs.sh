#!/usr/bin/env bash
# Create the two Olive virtual environments used by judge.py (dev-only tooling).
#
#   tools/olive_verdicts/setup_envs.sh [0.13.0|0.6.2 ...]
#
# Environments live OUTSIDE the repo: $OLIVE_ENVS_DIR/<version> (default /tmp/olive-envs/<version>).
# Idempotent: a venv whose pins already import fine is left alone (set OLIVE_ENVS_FORCE=1 to rebuild).
#
# Torch rule of this machine: install torch==2.13.0 FIRST (pip takes the CPU build from local disk), then
# everything else with a constraints file pinning torch==2.13.0, and check torch.__version__ afterwards.
# An unpinned torch would download a multi-GB CUDA build.
set -euo pipefail

ENVS_DIR="${OLIVE_ENVS_DIR:-/tmp/olive-envs}"
PYTHON="${PYTHON:-python3}"
TORCH_VERSION="2.13.0"
VERSIONS=("$@")
[ ${#VERSIONS[@]} -eq 0 ] && VERSIONS=(0.13.0 0.6.2)

# Pins per Olive version (/work/shared/guides/olive-reference.md, "Environments").
# 0.13.0: the releases current when it was verified (exact versions as installed for the committed data).
# Olive imports `requests` without declaring it.
PINS_0_13_0=(
  olive-ai==0.13.0
  pydantic==2.14.4
  numpy==2.4.6
  onnx==1.23.2
  onnxruntime==1.32.0
  transformers==5.24.0
  peft==0.21.2
  accelerate==1.15.0
  optimum==2.3.0
  datasets==5.2.0
  evaluate==0.4.6
  torchmetrics==1.9.0
  optuna==5.0.0
  pandas==3.1.1
  scipy==1.17.1
  psutil==7.2.2
  requests==2.34.2
)
# 0.6.2: mid-2024 pins. setuptools <80 because 0.6.2 imports pkg_resources; pytorch-lightning because one
# pass module imports it at module level.
PINS_0_6_2=(
  olive-ai==0.6.2
  pydantic==2.7.4
  numpy==1.26.4
  protobuf==3.20.3
  "setuptools>=77.0.3,<80"
  onnx==1.16.1
  onnxruntime==1.18.0
  transformers==4.41.2
  tokenizers==0.19.1
  huggingface-hub==0.23.4
  peft==0.11.1
  accelerate==0.31.0
  optimum==1.20.0
  datasets==2.19.2
  pyarrow==16.1.0
  evaluate==0.4.2
  torchmetrics==1.4.0
  optuna==3.6.1
  pandas==2.2.2
  scipy==1.13.1
  pytorch-lightning==2.3.0
  psutil==7.2.2
  requests==2.34.2
)

check_env() {  # $1 = venv dir, $2 = olive version
  "$1/bin/python" - "$2" "$TORCH_VERSION" <<'EOF'
import sys, importlib.metadata as md
want_olive, want_torch = sys.argv[1], sys.argv[2]
import torch
assert torch.__version__.split("+")[0] == want_torch, f"torch {torch.__version__} != {want_torch}"
assert md.version("olive-ai") == want_olive, f"olive-ai {md.version('olive-ai')} != {want_olive}"
import olive.workflows.run.config  # noqa: F401  (RunConfig imports cleanly)
print(f"ok: olive-ai {want_olive}, torch {torch.__version__}")
EOF
}

for v in "${VERSIONS[@]}"; do
  case "$v" in
    0.13.0) pins=("${PINS_0_13_0[@]}") ;;
    0.6.2) pins=("${PINS_0_6_2[@]}") ;;
    *) echo "unknown Olive version $v (known: 0.13.0 0.6.2)" >&2; exit 2 ;;
  esac
  venv="$ENVS_DIR/$v"
  if [ -z "${OLIVE_ENVS_FORCE:-}" ] && [ -x "$venv/bin/python" ] && check_env "$venv" "$v" >/dev/null 2>&1; then
    echo "[$v] $venv already set up: $(check_env "$venv" "$v")"
    continue
  fi
  [ -n "${OLIVE_ENVS_FORCE:-}" ] && rm -rf "$venv"
  echo "[$v] creating $venv"
  mkdir -p "$ENVS_DIR"
  [ -x "$venv/bin/python" ] || "$PYTHON" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade "pip<26.2"
  # 1. torch first, alone, exact version: pip takes the local CPU wheel.
  "$venv/bin/python" -m pip install -q "torch==$TORCH_VERSION"
  # 2. everything else with torch pinned by a constraints file.
  cons="$(mktemp)"
  echo "torch==$TORCH_VERSION" >"$cons"
  "$venv/bin/python" -m pip install -q -c "$cons" "${pins[@]}"
  rm -f "$cons"
  check_env "$venv" "$v"
  "$venv/bin/python" -m pip freeze >"$venv/pip-freeze.txt"
done
