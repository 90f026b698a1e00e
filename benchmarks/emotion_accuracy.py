"""Issue 5's targets on the seed's real dataset: held-out accuracy of the example workflow, and int4 speed.

    python benchmarks/emotion_accuracy.py [--model DIR] [--steps N]

Reads ../shared/data/emotion/dataset-classification.jsonl (third-party: read in place, never copied into the
repo), splits it 70/30 by distinct phrase (duplicates never cross the split), writes the two halves and a
config shaped like examples/phrase-classification/olive-config.json into a temporary folder, and runs it
with the runner. Prints held-out accuracy before and after fine-tuning and after int4 (target: >= 0.85 after
fine-tuning, int4 within 2 points of the merged fp32 model), model sizes, and generation tokens/s of the int4
ONNX model against PyTorch fp32 on the same prompts (the ratio, measured in the same run).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from olive_runner.data import read_json_rows, split_by_distinct_text
from olive_runner.engine import RunOptions, execute, plan
from olive_runner.events import EventSink

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO.parent / "shared" / "data" / "emotion" / "dataset-classification.jsonl"
EXAMPLE = REPO / "examples" / "phrase-classification"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=EXAMPLE / "models" / "smollm2-135m-instruct")
    parser.add_argument("--steps", type=int, default=None, help="override training_args.max_steps")
    parser.add_argument("--eval-limit", type=int, default=None, help="evaluate on the first N held-out rows")
    args = parser.parse_args()
    if not DATASET.exists() or not (args.model / "config.json").exists():
        print(f"needs {DATASET} and a model at {args.model} (olive-studio fetch-default-model)", file=sys.stderr)
        return 2
    rows = read_json_rows(DATASET)
    train, held_out = split_by_distinct_text(rows, ["phrase"], 0.3, 42)
    config = json.loads((EXAMPLE / "olive-config.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="emotion-") as folder:
        work = Path(folder)
        (work / "data").mkdir()
        (work / "data" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in train), encoding="utf-8")
        limit = held_out[: args.eval_limit] if args.eval_limit else held_out
        (work / "data" / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in limit), encoding="utf-8")
        config["input_model"]["model_path"] = str(args.model.resolve())
        if args.steps:
            config["passes"]["lora"]["training_args"]["max_steps"] = args.steps
        (work / "olive-config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        print(f"{len(rows)} rows, {len(train)} train / {len(limit)} held out (split by distinct phrase)")
        options = RunOptions(config=work / "olive-config.json")
        sink = EventSink(open(work / "events.jsonl", "w", encoding="utf-8"))  # noqa: SIM115
        summary = execute(plan(options), sink, options)
    print(
        f"status: {summary['status']}; passes: "
        + ", ".join(f"{p['name']} {p['duration_s']} s" for p in summary["passes"])
    )
    for stage, values in summary["metrics"].items():
        accuracy, speed = values.get("accuracy", float("nan")), values.get("gen_tokens_per_s", float("nan"))
        print(f"{stage:<12} accuracy {accuracy:.3f}  size {values['size_bytes'] / 1e6:8.1f} MB  {speed:7.1f} tokens/s")
    metrics = summary["metrics"]
    if "fine_tuned" in metrics and "onnx_int4" in metrics:
        ratio = metrics["onnx_int4"]["gen_tokens_per_s"] / metrics["fine_tuned"]["gen_tokens_per_s"]
        drop = metrics["fine_tuned"]["accuracy"] - metrics["onnx_int4"]["accuracy"]
        print(f"int4 ONNX / PyTorch fp32 tokens/s: {ratio:.1f}x; int4 accuracy drop: {drop * 100:.1f} points")
    return 0 if summary["status"] == "completed" else 1


if __name__ == "__main__":
    raise SystemExit(main())
