"""Training throughput of the runner's LoRA pass against a plain transformers Trainer + peft script.

    .venv/bin/python benchmarks/train_throughput.py [--model DIR] [--data FILE] [--steps N] [--repeat N]

Both sides train the same LoRA (r, alpha, and the pass's default target modules: peft's list for the
architecture, else all linear layers but the LM head) on the same model, rows, text
template, batch size, sequence length, learning rate, optimizer and seed, in the same process, alternating
and swapping the order in every other pair (plain, pass, pass, plain, ...) so that neither side always runs
second. Printed per side, median over the repeats:

- train tokens/s: non-padding tokens seen / ``train_runtime`` of ``Trainer.train()`` (the training loop;
  the pass's includes what it adds there: event callbacks and its checkpoints for resuming, which are timed,
  one per OLIVE_RUNNER_CHECKPOINT_SECONDS, default 60 s: a run shorter than that writes none);
- end-to-end s: load tokenizer + model, tokenize, train, save the adapter.

The ratio pass/plain says what the pass costs over the script a user would write by hand; the target is a
train tokens/s ratio of at least 1.0 (the pass no slower than the plain script), printed with its verdict.
The default model is the tiny Phi-3 (built in a temporary folder, seconds); ``--model`` takes any local
causal-LM folder.
Numbers move with machine load: on a shared machine run it while nothing else runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from olive_events.sink import EventSink
from olive_runner.passes import lora
from olive_runner.passes.base import ModelArtifact, PassContext

REPO = Path(__file__).resolve().parents[1]

DEFAULT_DATA = REPO.parent / "shared" / "data" / "emotion" / "dataset-classification.jsonl"
TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"
TARGET_RATIO = 1.0
FALLBACK_ROWS = [
    {"phrase": phrase, "tone": tone}
    for phrase, tone in (
        ("We won the match in the last minute!", "joy"),
        ("Something is scratching at the window.", "fear"),
        ("The house feels empty since you left.", "sadness"),
        ("You flew all the way here just for me?", "surprise"),
    )
] * 64


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="a local Hugging Face causal-LM folder (default: the tiny Phi-3)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL rows with phrase/tone")
    parser.add_argument("--steps", type=int, default=30, help="optimizer steps per run")
    parser.add_argument("--batch", type=int, default=8, help="per-device batch size")
    parser.add_argument("--max-seq-len", type=int, default=64)
    parser.add_argument("--r", type=int, default=16)
    parser.add_argument("--alpha", type=float, default=32)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (alternating)")
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--gradient-checkpointing", action="store_true", help="on for both sides")
    return parser.parse_args()


def load_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        print(f"({path} not found: using {len(FALLBACK_ROWS)} built-in rows)")
        return FALLBACK_ROWS
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def training_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The training arguments both sides share."""
    return {
        "max_steps": args.steps,
        "per_device_train_batch_size": args.batch,
        "learning_rate": 2e-4,
        "lr_scheduler_type": "constant",
        "optim": "adamw_torch",
        "logging_steps": 1,
        "seed": 0,
        "data_seed": 0,
        "gradient_checkpointing": args.gradient_checkpointing,
        "warmup_steps": 0,
    }


def run_pass(model: Path, rows: list[dict[str, Any]], args: argparse.Namespace) -> tuple[float, float]:
    """(train tokens/s, end-to-end seconds) of olive_runner.passes.lora.run."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        data_config = {
            "name": "rows",
            "type": "HuggingfaceContainer",
            "load_dataset_config": {"data_name": "json", "data_files": "rows.jsonl", "split": "train"},
            "pre_process_data_config": {
                "text_template": TEMPLATE,
                "strategy": "line-by-line",
                "max_seq_len": args.max_seq_len,
                "pad_to_max_len": False,
            },
        }
        sink = EventSink()
        events: list[dict[str, Any]] = []
        sink.listeners.append(events.append)
        params = {
            "r": args.r,
            "alpha": args.alpha,
            "lora_dropout": 0.0,
            "torch_dtype": "float32",
            "train_data_config": "rows",
            "training_args": training_settings(args),
        }
        ctx = PassContext(
            name="lora",
            type="LoRA",
            params=params,
            input=ModelArtifact(kind="hf", path=model),
            output_dir=folder / "out",
            checkpoint_dir=folder / "checkpoints",
            config_dir=folder,
            data_configs={"rows": data_config},
            events=sink,
        )
        ctx.output_dir.mkdir()
        start = time.perf_counter()
        lora.run(ctx)
        end_to_end = time.perf_counter() - start
    done = next(event for event in events if event.get("tokens_per_second") is not None)
    return float(done["tokens_per_second"]), end_to_end


def run_plain(model: Path, rows: list[dict[str, Any]], args: argparse.Namespace) -> tuple[float, float]:
    """(train tokens/s, end-to-end seconds) of the script one would write with transformers + peft alone."""
    from peft import LoraConfig, get_peft_model
    from transformers import (
        AutoModelForCausalLM,
        AutoTokenizer,
        DataCollatorForLanguageModeling,
        Trainer,
        TrainingArguments,
    )

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        tokenizer = AutoTokenizer.from_pretrained(model)
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token
        texts = [TEMPLATE.format(**row) for row in rows]
        ids = tokenizer(texts, add_special_tokens=False)["input_ids"]
        bos, eos = tokenizer.bos_token_id, tokenizer.eos_token_id
        dataset = [
            {"input_ids": ([bos] if bos is not None else []) + seq + ([eos] if eos is not None else [])} for seq in ids
        ]
        dataset = [{"input_ids": example["input_ids"][: args.max_seq_len]} for example in dataset]
        base = AutoModelForCausalLM.from_pretrained(model, dtype="float32")
        peft_model = get_peft_model(
            base,
            LoraConfig(
                r=args.r,
                lora_alpha=int(args.alpha),
                lora_dropout=0.0,
                target_modules=lora.default_target_modules(base),
                task_type="CAUSAL_LM",
            ),
        )
        training = training_settings(args)
        trainer = Trainer(
            model=peft_model,
            args=TrainingArguments(
                output_dir=tmp,
                report_to="none",
                use_cpu=True,
                disable_tqdm=True,
                include_num_input_tokens_seen="non_padding",
                **training,
            ),
            train_dataset=dataset,
            data_collator=DataCollatorForLanguageModeling(tokenizer, mlm=False),
        )
        metrics = trainer.train().metrics
        peft_model.save_pretrained(str(Path(tmp) / "adapter"))
        end_to_end = time.perf_counter() - start
    return trainer.state.num_input_tokens_seen / metrics["train_runtime"], end_to_end


def main() -> int:
    args = parse_args()
    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    if args.threads:
        torch.set_num_threads(args.threads)
    rows = load_rows(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        model = args.model
        if model is None:
            from olive_runner.tiny_models import build_tiny_phi3

            model = build_tiny_phi3(Path(tmp) / "tiny-phi3", seed=0)
        results: dict[str, list[tuple[float, float]]] = {"plain": [], "pass": []}
        sides = {"plain": run_plain, "pass": run_pass}
        for repeat in range(args.repeat):
            for side in ("plain", "pass") if repeat % 2 == 0 else ("pass", "plain"):
                gc.collect()  # the previous run's model must not linger (Trainer holds reference cycles)
                results[side].append(sides[side](model, rows, args))
    print(
        f"model {args.model or 'tiny Phi-3'}, {len(rows)} rows, {args.steps} steps x batch {args.batch}, "
        f"max_seq_len {args.max_seq_len}, r {args.r}, torch threads {torch.get_num_threads()}, "
        f"median of {args.repeat}"
    )
    medians = {
        side: (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        for side, runs in results.items()
    }
    print(f"{'side':<8}{'train tokens/s':>16}{'end-to-end s':>14}   runs (tokens/s)")
    for side, (rate, seconds) in medians.items():
        runs = ", ".join(f"{r[0]:.0f}" for r in results[side])
        print(f"{side:<8}{rate:>16.0f}{seconds:>14.2f}   {runs}")
    ratio = medians["pass"][0] / medians["plain"][0]
    pairs = [p[0] / q[0] for p, q in zip(results["pass"], results["plain"], strict=True)]
    print(
        f"ratio pass/plain: train tokens/s {ratio:.3f} (per alternating pair: "
        f"{', '.join(f'{r:.3f}' for r in pairs)}), end-to-end time {medians['pass'][1] / medians['plain'][1]:.3f}"
    )
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"target train tokens/s ratio >= {TARGET_RATIO:.1f}: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
