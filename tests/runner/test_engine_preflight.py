"""The runner's pre-flight: a config that cannot run stops before anything is loaded or written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from olive_runner.engine import ConfigRefused, RunOptions, plan

from tests.conftest import shared_path


def write(tmp_path: Path, config: dict[str, object]) -> Path:
    path = tmp_path / "olive-config.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


def base(tmp_path: Path) -> dict[str, object]:
    (tmp_path / "model").mkdir()
    (tmp_path / "data.jsonl").write_text('{"phrase": "a", "tone": "joy"}\n', encoding="utf-8")
    return {
        "input_model": {"type": "HfModel", "model_path": "model"},
        "data_configs": [
            {
                "name": "train",
                "type": "HuggingfaceContainer",
                "load_dataset_config": {"data_name": "json", "data_files": "data.jsonl", "split": "train"},
            }
        ],
        "passes": {"lora": {"type": "LoRA", "train_data_config": "train"}, "merge": {"type": "MergeAdapterWeights"}},
        "output_dir": "out",
        "cache_dir": "cache",
    }


def run_cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "olive_studio", "run", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_config_with_errors_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    config = base(tmp_path)
    config["passes"] = {"lora": {"type": "LoRA", "train_data_config": "nowhere"}}
    path = write(tmp_path, config)
    result = run_cli(path, "--events", str(tmp_path / "events.jsonl"))
    assert result.returncode == 2
    assert f"{path}:" in result.stderr and "OS120" in result.stderr and '"nowhere"' in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()
    [event] = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    assert event["type"] == "run_end" and event["status"] == "refused" and event["v"] == 1


def test_a_missing_data_file_is_refused_with_its_path(tmp_path: Path) -> None:
    config = base(tmp_path)
    (tmp_path / "data.jsonl").unlink()
    result = run_cli(write(tmp_path, config))
    assert result.returncode == 2 and "OS162" in result.stderr and "data.jsonl" in result.stderr


def test_pass_types_the_runner_cannot_execute_are_refused_up_front(tmp_path: Path) -> None:
    config = base(tmp_path)
    config["passes"] = {"conv": {"type": "OnnxConversion"}}
    with pytest.raises(ConfigRefused) as refused:
        plan(RunOptions(write(tmp_path, config)))
    assert "OnnxConversion" in str(refused.value) and "LoRA, QLoRA, MergeAdapterWeights, ModelBuilder" in str(
        refused.value
    )


def test_an_old_format_config_is_migrated_in_memory(tmp_path: Path) -> None:
    (tmp_path / "dataset").mkdir()
    text = shared_path("seed", "cookbook-phrase-classification.json").read_text(encoding="utf-8")
    (tmp_path / "dataset" / "dataset-classification.json").write_text('{"phrase": "a", "tone": "joy"}\n')
    path = tmp_path / "olive-config.json"
    path.write_text(text, encoding="utf-8")
    run = plan(RunOptions(path))
    assert run.input.kind == "hf" and str(run.input.path) == "microsoft/Phi-3-mini-4k-instruct"
    assert run.input.trust_remote_code is True
    assert [(p.name, p.type) for p in run.passes] == [
        ("lora", "LoRA"),
        ("merge", "MergeAdapterWeights"),
        ("mb", "ModelBuilder"),
    ]
    assert run.passes[0].params["r"] == 64  # lora_r, renamed in memory
    assert any("hf_config" in step for step in run.migrated)
    assert path.read_text(encoding="utf-8") == text  # the user's file is untouched
    assert run.output_dir == tmp_path / "models" and run.cache_dir == tmp_path / "cache"
