"""Issue 5's targets on the seed's real dataset: held-out accuracy of the example workflow, and int4 speed.

    python benchmarks/emotion_accuracy.py [--model DIR] [--steps N] [--eval-limit N]
                                          [--cache-dir DIR] [--builder KEY=VALUE ...]

Reads ../shared/data/emotion/dataset-classification.jsonl (third-party: read in place, never copied into the
repo), splits it 70/30 by distinct phrase (duplicates never cross the split), writes the two halves and a
config shaped like examples/phrase-classification/olive-config.json into a work folder, and runs it with the
runner. Prints held-out accuracy before and after fine-tuning and after int4 (target: >= 0.85 after
fine-tuning, int4 within 2 points of the merged fp32 model), model sizes, and generation tokens/s of the int4
ONNX model against PyTorch fp32 on the same prompts (the ratio, measured in the same run).

``--cache-dir DIR`` keeps the work folder (data halves, config, pass cache, measured stages) between runs, so
that trying ModelBuilder options (``--builder int4_block_size=64 --builder int4_accuracy_level=1``, values read
as JSON, ``--builder KEY=`` removes one) reuses the LoRA and merge results and the fp32 measurements: the pass
cache is content-addressed and the data files are only rewritten when their content changes (their fingerprint
includes the modification time). Without it everything runs in a temporary folder.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from olive_events.sink import EventSink
from olive_runner import report
from olive_runner.cache import fingerprint
from olive_runner.data import read_json_rows, split_by_distinct_text
from olive_runner.engine import Plan, RunOptions, execute, plan
from olive_runner.passes.base import ModelArtifact

REPO = Path(__file__).resolve().parents[1]
DATASET = REPO.parent / "shared" / "data" / "emotion" / "dataset-classification.jsonl"
EXAMPLE = REPO / "examples" / "phrase-classification"
# A measured stage is reused only while the code that measured it is unchanged.
MEASURING_CODE = [REPO / "runner" / "olive_runner" / name for name in ("evaluate.py", "report.py")]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=EXAMPLE / "models" / "smollm2-135m-instruct")
    parser.add_argument("--steps", type=int, default=None, help="override training_args.max_steps")
    parser.add_argument("--eval-limit", type=int, default=None, help="evaluate on the first N held-out rows")
    parser.add_argument("--cache-dir", type=Path, default=None, help="keep the work folder here and reuse it")
    parser.add_argument(
        "--builder",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a ModelBuilder parameter (JSON value; empty value removes it); repeatable",
    )
    parser.add_argument(
        "--bos",
        choices=("train", "tokenizer"),
        default="train",
        help="prompt BOS as the training data had it (the report's rule), or as the HF tokenizer adds it",
    )
    return parser.parse_args()


def builder_overrides(items: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings -> parameters; a value that is not JSON stays text, an empty one means remove."""
    overrides: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--builder expects KEY=VALUE, got {item!r}")
        try:
            overrides[key] = json.loads(text) if text else None
        except ValueError:
            overrides[key] = text
    return overrides


def write_if_changed(path: Path, text: str) -> None:
    """Rewrite only on a change: the pass cache keys data files by size and modification time."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def prepare(work: Path, args: argparse.Namespace) -> tuple[Path, int, int, int]:
    """The data halves and the config in ``work``; returns (config path, rows, train rows, held-out rows)."""
    rows = read_json_rows(DATASET)
    train, held_out = split_by_distinct_text(rows, ["phrase"], 0.3, 42)
    limit = held_out[: args.eval_limit] if args.eval_limit else held_out
    (work / "data").mkdir(parents=True, exist_ok=True)
    write_if_changed(work / "data" / "train.jsonl", "".join(json.dumps(r) + "\n" for r in train))
    write_if_changed(work / "data" / "eval.jsonl", "".join(json.dumps(r) + "\n" for r in limit))
    config = json.loads((EXAMPLE / "olive-config.json").read_text(encoding="utf-8"))
    config["input_model"]["model_path"] = str(args.model.resolve())
    if args.steps:
        config["passes"]["lora"]["training_args"]["max_steps"] = args.steps
    builder = config["passes"]["builder"]
    for key, value in builder_overrides(args.builder).items():
        if value is None:
            builder.pop(key, None)
        else:
            builder[key] = value
    config_path = work / "olive-config.json"
    write_if_changed(config_path, json.dumps(config, indent=2))
    return config_path, len(rows), len(train), len(limit)


@contextmanager
def work_folder(cache_dir: Path | None) -> Iterator[Path]:
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        yield cache_dir.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="emotion-") as folder:
        yield Path(folder)


def artifact_from_record(record: dict[str, Any]) -> ModelArtifact:
    """The ModelArtifact a run summary's pass record describes."""
    adapter = record.get("adapter_path")
    return ModelArtifact(
        kind=record["kind"],
        path=Path(record["path"]),
        adapter_path=Path(adapter) if adapter else None,
        trust_remote_code=bool(record.get("trust_remote_code")),
        load_kwargs=record.get("load_kwargs") or {},
        quantized=record.get("quantized"),
    )


def measurement_key(stage_key: str, setup: report.EvalSetup | None) -> str:
    """What a stage's figures depend on: its model, the held-out rows and prompt rule, the measuring code."""
    digest = hashlib.sha256(stage_key.encode())
    digest.update(json.dumps(setup.__dict__ if setup else None, sort_keys=True, default=str).encode())
    for path in MEASURING_CODE:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def measure(run: Plan, summary: dict[str, Any], memo_dir: Path | None, bos: str = "train") -> dict[str, dict[str, Any]]:
    """Every stage the report measures; with ``memo_dir``, figures of unchanged stages are read back."""
    stages = {"input": run.input}
    keys = {"input": "input:" + fingerprint(run.input.path)}
    for record in summary["passes"]:
        stages[record["name"]] = artifact_from_record(record["artifact"])
        keys[record["name"]] = record["key"]
    by_path = {str(artifact.path) + str(artifact.adapter_path): keys[name] for name, artifact in stages.items()}
    setup = report.eval_setup(run)
    if setup is not None and bos == "tokenizer":
        setup = dataclasses.replace(setup, add_bos=None)
    metrics: dict[str, dict[str, Any]] = {}
    for stage, artifact in report.stages_to_measure(run, stages).items():
        key = measurement_key(by_path[str(artifact.path) + str(artifact.adapter_path)], setup)
        memo = memo_dir / f"{key}.json" if memo_dir else None
        if memo is not None and memo.is_file():
            metrics[stage] = {**json.loads(memo.read_text(encoding="utf-8")), "reused": True}
            continue
        metrics[stage] = report.measure_stage(artifact, setup)
        if memo is not None:
            memo.parent.mkdir(parents=True, exist_ok=True)
            memo.write_text(json.dumps(metrics[stage], default=str), encoding="utf-8")
    return metrics


def print_results(summary: dict[str, Any], metrics: dict[str, dict[str, Any]], builder: dict[str, Any]) -> None:
    print(
        f"status: {summary['status']}; passes: "
        + ", ".join(f"{p['name']} {p['duration_s']} s ({p['status']})" for p in summary["passes"])
    )
    print(f"ModelBuilder: {json.dumps({k: v for k, v in builder.items() if k != 'type'})}")
    for stage, values in metrics.items():
        accuracy, speed = values.get("accuracy", float("nan")), values.get("gen_tokens_per_s", float("nan"))
        reused = "  (measured earlier)" if values.get("reused") else ""
        print(
            f"{stage:<12} accuracy {accuracy:.3f}  size {values['size_bytes'] / 1e6:8.1f} MB  "
            f"{speed:7.1f} tokens/s{reused}"
        )
    fp32 = metrics.get("fine_tuned")
    for stage, onnx in metrics.items():
        if fp32 is None or not stage.startswith("onnx_"):
            continue
        ratio = onnx["gen_tokens_per_s"] / fp32["gen_tokens_per_s"]
        drop = (fp32["accuracy"] - onnx["accuracy"]) * 100
        verdict = "met" if round(drop, 6) <= 2.0 else "NOT met"
        print(f"{stage} ONNX / PyTorch fp32 tokens/s: {ratio:.1f}x; accuracy drop: {drop:.1f} points")
        print(f"target {stage} within 2 points of the fine-tuned fp32 model: {verdict}")


def main() -> int:
    args = parse_args()
    if not DATASET.exists() or not (args.model / "config.json").exists():
        print(f"needs {DATASET} and a model at {args.model} (olive-studio fetch-default-model)", file=sys.stderr)
        return 2
    with work_folder(args.cache_dir) as work:
        config_path, n_rows, n_train, n_eval = prepare(work, args)
        print(f"{n_rows} rows, {n_train} train / {n_eval} held out (split by distinct phrase); work folder {work}")
        options = RunOptions(config=config_path, output_dir=work / "output", cache_dir=work / "cache", evaluate=False)
        run = plan(options)
        with open(work / "events.jsonl", "w", encoding="utf-8") as stream:
            summary = execute(run, EventSink(stream), options)
        if summary["status"] != "completed":
            print(f"status: {summary['status']}: {summary['error']}")
            return 1
        metrics = measure(run, summary, work / "metrics" if args.cache_dir else None, args.bos)
        builder = next(p.params for p in run.passes if p.type == "ModelBuilder")
        print_results(summary, metrics, builder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
