"""The whole pipeline on a tiny Phi-3 built at test time: run, reuse, resume, both config formats, bad inputs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from olive_events.schema import check_stream

from tests.runner.conftest import phrase_rows

pytestmark = pytest.mark.runner
pytest.importorskip("onnxruntime_genai")

TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"
PRE = {"text_cols": ["phrase", "tone"], "text_template": TEMPLATE, "strategy": "line-by-line", "max_seq_len": 48}


def workspace(tmp_path: Path, model: Path, steps: int = 16) -> Path:
    rows = phrase_rows()
    (tmp_path / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:32]), encoding="utf-8")
    (tmp_path / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[32:]), encoding="utf-8")
    config = {
        "input_model": {"type": "HfModel", "model_path": str(model)},
        "data_configs": [
            {
                "name": "train",
                "type": "HuggingfaceContainer",
                "pre_process_data_config": PRE,
                "load_dataset_config": {"data_name": "json", "data_files": "train.jsonl", "split": "train"},
            },
            {
                "name": "held_out",
                "type": "HuggingfaceContainer",
                "pre_process_data_config": PRE,
                "load_dataset_config": {"data_name": "json", "data_files": "eval.jsonl", "split": "train"},
            },
        ],
        "passes": {
            "lora": {
                "type": "LoRA",
                "r": 8,
                "alpha": 16,
                "train_data_config": "train",
                "eval_data_config": "held_out",
                "training_args": {
                    "max_steps": steps,
                    "per_device_train_batch_size": 4,
                    "learning_rate": 0.003,
                    "seed": 0,
                    "gradient_checkpointing": False,
                },
            },
            "merge": {"type": "MergeAdapterWeights"},
            "builder": {"type": "ModelBuilder", "precision": "int4"},
        },
        "output_dir": "out",
        "cache_dir": "cache",
    }
    path = tmp_path / "olive-config.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def run(config: Path, *args: str, timeout: int = 600) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    events = config.parent / f"events-{time.monotonic_ns()}.jsonl"
    result = subprocess.run(
        [sys.executable, "-m", "olive_studio", "run", str(config), "--events", str(events), "--quiet", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = events.read_text(encoding="utf-8").splitlines() if events.exists() else []
    stream = [json.loads(line) for line in lines]
    check_stream(stream)
    return result, stream


def of_type(events: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == kind]


def test_the_pipeline_runs_end_to_end_and_the_int4_model_answers(tmp_path: Path, tiny_model: Path) -> None:
    from olive_runner.evaluate import greedy_tokens
    from olive_runner.passes.base import ModelArtifact

    config = workspace(tmp_path, tiny_model)
    result, events = run(config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert events[0]["type"] == "run_start" and events[-1]["type"] == "run_end"
    assert events[-1]["status"] == "completed"
    assert [e["status"] for e in of_type(events, "pass_end")] == ["done", "done", "done"]
    losses = [e["loss"] for e in of_type(events, "train_step") if e.get("loss") is not None]
    assert len(losses) >= 2 and losses[-1] < losses[0]
    stages = {e["stage"]: e for e in of_type(events, "metrics")}
    assert set(stages) == {"input", "fine_tuned", "onnx_int4"}
    assert 0.0 <= stages["onnx_int4"]["accuracy"] <= 1.0 and stages["onnx_int4"]["eval_rows"] == 8
    assert stages["onnx_int4"]["size_bytes"] < stages["fine_tuned"]["size_bytes"]
    model = tmp_path / "out" / "model"
    assert (model / "genai_config.json").is_file()
    assert greedy_tokens(ModelArtifact(kind="onnx", path=model), "### Text: hello\n### The tone is:\n", 4)
    summary = json.loads((tmp_path / "out" / "run_summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "completed" and [p["type"] for p in summary["passes"]] == [
        "LoRA",
        "MergeAdapterWeights",
        "ModelBuilder",
    ]

    rerun, again = run(config, "--no-eval")
    assert rerun.returncode == 0
    assert [e["status"] for e in of_type(again, "pass_end")] == ["cached", "cached", "cached"]


def test_old_and_new_formats_give_the_same_run(tmp_path: Path, tiny_model: Path) -> None:
    """The Olive 0.6 spelling of the same workflow maps onto the same passes, so it reuses the same cache."""
    new = workspace(tmp_path, tiny_model, steps=4)
    first, _ = run(new, "--no-eval")
    assert first.returncode == 0, first.stderr[-2000:]
    config = json.loads(new.read_text(encoding="utf-8"))
    lora = config["passes"]["lora"]
    old = {
        "input_model": {
            "type": "PyTorchModel",
            "config": {"hf_config": {"model_name": str(tiny_model), "task": "text-generation"}},
        },
        "data_configs": [
            {
                "name": d["name"],
                "type": "HuggingfaceContainer",
                "params_config": {**d["load_dataset_config"], "component_kwargs": {"pre_process_data": PRE}},
            }
            for d in config["data_configs"]
        ],
        "passes": {
            "lora": {
                "type": "LoRA",
                "config": {
                    "lora_r": 8,
                    "lora_alpha": 16,
                    "train_data_config": "train",
                    "eval_data_config": "held_out",
                    "training_args": lora["training_args"],
                },
            },
            "merge": {"type": "MergeAdapterWeights"},
            "builder": {"type": "ModelBuilder", "config": {"precision": "int4"}},
        },
        "engine": {"output_dir": "out_old", "cache_dir": "cache"},
    }
    old_path = tmp_path / "olive-config-0.6.json"
    old_path.write_text(json.dumps(old, indent=2), encoding="utf-8")
    second, events = run(old_path, "--no-eval")
    assert second.returncode == 0, second.stderr[-2000:]
    assert [e["status"] for e in of_type(events, "pass_end")] == ["cached", "cached", "cached"]
    assert any("hf_config" in step for step in events[0]["migrated"])


def test_an_interrupted_fine_tune_resumes_from_its_checkpoint(tmp_path: Path, tiny_model: Path) -> None:
    """The default, timed checkpoints (every 0.2 s here instead of 60 s): killed after one, the rerun resumes."""
    config = workspace(tmp_path, tiny_model, steps=40)
    events_path = tmp_path / "killed.jsonl"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "olive_studio",
            "run",
            str(config),
            "--events",
            str(events_path),
            "--quiet",
            "--no-eval",
        ],
        start_new_session=True,
        env={**os.environ, "OLIVE_RUNNER_CHECKPOINT_SECONDS": "0.2"},
    )
    saved: list[int] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None:
            steps = [json.loads(x) for x in events_path.read_text().splitlines()] if events_path.exists() else []
            saved = [e["step"] for e in steps if "Checkpoint saved" in str(e.get("message", ""))]
            if saved and any(e["type"] == "train_step" and (e.get("step") or 0) >= 16 for e in steps):
                break
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert saved, "no checkpoint was written before the kill"
    assert not (tmp_path / "cache" / "passes").exists() or not any((tmp_path / "cache" / "passes").iterdir())
    result, events = run(config, "--no-eval")
    assert result.returncode == 0, result.stderr[-2000:]
    first_step = next(e["step"] for e in of_type(events, "train_step"))
    assert first_step > 1  # continued from a checkpoint, not from step 1
    resumed = f"resuming the interrupted training from step {first_step - 1}"
    assert any(resumed in str(e.get("message", "")).lower() for e in of_type(events, "log"))


def test_a_template_column_the_data_lacks_fails_with_its_name(tmp_path: Path, tiny_model: Path) -> None:
    config_path = workspace(tmp_path, tiny_model, steps=2)
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["data_configs"][0]["pre_process_data_config"] = {**PRE, "text_template": "{sentence} -> {tone}"}
    config_path.write_text(json.dumps(config), encoding="utf-8")
    result, events = run(config_path, "--no-eval")
    assert result.returncode == 1
    [error] = of_type(events, "error")
    assert "sentence" in error["message"] and "phrase" in error["message"]


def test_an_unreadable_model_fails_with_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    result, events = run(workspace(tmp_path, broken, steps=2), "--no-eval")
    assert result.returncode == 1
    [error] = of_type(events, "error")
    assert str(broken) in error["message"] or "broken-model" in error["message"]
