#!/usr/bin/env bash
# Installs Olive Studio with the runner's ML stack (olive-studio[server,dev,runner]) into .venv.
#
# Why a script of its own: peft and accelerate depend on torch, and an unpinned torch pulls a multi-GB CUDA
# build. So torch==$TORCH_VERSION goes in first, then the rest with a constraints file that holds torch at that
# version. Set TORCH_INDEX_URL (e.g. https://download.pytorch.org/whl/cpu) to take torch from another index.
#
# Idempotent and quick when done: a stamp in .venv records the pyproject.toml it installed; while it matches and
# the stack imports, nothing is reinstalled. Pass --force to reinstall anyway.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
TORCH_VERSION="${TORCH_VERSION:-2.13.0}"
EXTRAS="server,dev,runner"
VENV_PY="$ROOT/.venv/bin/python"
STAMP="$ROOT/.venv/.olive-studio-runner-stamp"
MODULES="torch transformers peft accelerate datasets onnx onnxruntime onnxruntime_genai onnx_ir gguf"
CHECK_IMPORTS="import ${MODULES// /, }"
# Finding the modules (without importing them: torch alone takes seconds) is enough to trust the stamp.
CHECK_PRESENT="import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in '$MODULES'.split()))"
FORCE=0
[ "${1:-}" = "--force" ] && FORCE=1

pip_install() {
    "$VENV_PY" -m pip install -q --disable-pip-version-check "$@"
}

torch_version() {
    "$VENV_PY" -c "import torch; print(torch.__version__)" 2>/dev/null || true
}

stamp_value() {
    echo "torch==$TORCH_VERSION [$EXTRAS] $(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
}

if [ ! -x "$VENV_PY" ]; then
    echo "==> creating $ROOT/.venv with $($PYTHON --version)"
    "$PYTHON" -m venv "$ROOT/.venv"
fi

if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_value)" ] \
    && "$VENV_PY" -c "$CHECK_PRESENT" 2>/dev/null; then
    echo "==> olive-studio[$EXTRAS] is already installed in .venv for this pyproject.toml (--force to reinstall)"
    exit 0
fi

current="$(torch_version)"
if [ "${current%%+*}" = "$TORCH_VERSION" ]; then
    echo "==> torch $current already installed"
else
    echo "==> installing torch==$TORCH_VERSION first (an unpinned torch would pull a multi-GB CUDA build)"
    if [ -n "${TORCH_INDEX_URL:-}" ]; then
        pip_install "torch==$TORCH_VERSION" --index-url "$TORCH_INDEX_URL"
    else
        pip_install "torch==$TORCH_VERSION"
    fi
fi

CONSTRAINTS="$(mktemp)"
trap 'rm -f "$CONSTRAINTS"' EXIT
echo "torch==$TORCH_VERSION" >"$CONSTRAINTS"
echo "==> installing olive-studio[$EXTRAS] into .venv with torch held at $TORCH_VERSION"
pip_install -c "$CONSTRAINTS" -e "$ROOT[$EXTRAS]"

installed="$(torch_version)"
if [ "${installed%%+*}" != "$TORCH_VERSION" ]; then
    echo "error: torch is $installed after the install, expected $TORCH_VERSION" >&2
    exit 1
fi
echo "==> checking that the stack imports"
"$VENV_PY" -c "$CHECK_IMPORTS"
stamp_value >"$STAMP"
echo "==> done: torch $installed; fetch the example's model with: .venv/bin/olive-studio fetch-default-model"
