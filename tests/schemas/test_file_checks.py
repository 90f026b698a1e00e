"""Checks that look at the disk: paths relative to the config, their own codes, and a switch to skip them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from olive_schema import check_text
from olive_schema.checker import CheckOptions


def config(tmp_path: Path) -> str:
    return json.dumps(
        {
            "input_model": {"type": "ONNXModel", "model_path": "models/model.onnx"},
            "systems": {"env": {"type": "PythonEnvironment", "python_environment_path": "venv/bin"}},
            "data_configs": [
                {
                    "name": "d",
                    "type": "HuggingfaceContainer",
                    "user_script": "user_script.py",
                    "load_dataset_config": {"data_name": "json", "data_files": "data/train.jsonl", "split": "train"},
                }
            ],
            "passes": {"conv": {"type": "OnnxConversion", "script_dir": "scripts"}},
        },
        indent=2,
    )


def codes_at(text: str, base: Path | None) -> dict[str, str]:
    findings = check_text(text, CheckOptions(base_dir=base)).findings
    return {f.code: f.path_text for f in findings}


def test_missing_files_are_found_relative_to_the_config(tmp_path: Path) -> None:
    found = codes_at(config(tmp_path), tmp_path)
    assert found == {
        "OS160": "data_configs[0].user_script",
        "OS161": "passes.conv.script_dir",
        "OS162": "data_configs[0].load_dataset_config.data_files",
        "OS163": "input_model.model_path",
        "OS164": "systems.env.python_environment_path",
    }


def test_present_files_are_fine(tmp_path: Path) -> None:
    for file in ("models/model.onnx", "data/train.jsonl", "user_script.py", "venv/bin/python"):
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / file).write_text("")
    (tmp_path / "scripts").mkdir()
    assert codes_at(config(tmp_path), tmp_path) == {}


def test_hub_ids_are_not_files(tmp_path: Path) -> None:
    text = json.dumps({"input_model": {"type": "HfModel", "model_path": "microsoft/Phi-3-mini-4k-instruct"}})
    assert codes_at(text, tmp_path) == {}
    local = json.dumps({"input_model": {"type": "HfModel", "model_path": "./models/phi"}})
    assert codes_at(local, tmp_path) == {"OS163": "input_model.model_path"}


def test_validate_no_file_checks_judges_the_config_alone(tmp_path: Path) -> None:
    path = tmp_path / "olive-config.json"
    path.write_text(config(tmp_path))
    cli = [sys.executable, "-m", "olive_studio", "validate", str(path)]
    with_checks = subprocess.run(cli, capture_output=True, text=True, timeout=60, check=False)
    assert with_checks.returncode == 1 and "OS162" in with_checks.stdout
    without = subprocess.run([*cli, "--no-file-checks"], capture_output=True, text=True, timeout=60, check=False)
    assert without.returncode == 0, without.stdout
