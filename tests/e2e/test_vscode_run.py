"""One click on "Run locally" in a real VS Code (code-server in headless Chromium), watched in the results panel.

The workspace holds a config in the example's shape (LoRA -> merge -> int4 ONNX, held-out evaluation) on a tiny
Phi-3 built at test time. The driver (tests/e2e/vscode_run.mjs) clicks the code lens and waits for the panel to
show the loss curve mid-run and the finished run; a training_args key made of HTML reaches the log tail through
the runner's own warning and must show as text. Screenshots: test-artifacts/e2e/vscode-run/.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import driver_spec
from tests.runner.conftest import phrase_rows

pytestmark = [pytest.mark.e2e, pytest.mark.runner]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "phrase-classification" / "olive-config.json"
ARTIFACTS = ROOT / "test-artifacts" / "e2e" / "vscode-run"
UNSAFE = "<img src=x onerror=alert(1)>"


def example_workspace(folder: Path, model: Path) -> Path:
    """The example config, pointed at the tiny model and a small dataset, trained for a few logged steps."""
    config = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    config["input_model"]["model_path"] = str(model)
    args = config["passes"]["lora"]["training_args"]
    args.update({"max_steps": 24, "logging_steps": 2, "per_device_train_batch_size": 4, UNSAFE: 1})
    rows = phrase_rows()
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:32]), encoding="utf-8")
    (folder / "data" / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[32:]), encoding="utf-8")
    (folder / ".vscode").mkdir()
    settings = {"oliveStudio.python.interpreterPath": sys.executable}
    (folder / ".vscode" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    path = folder / "olive-config.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def watched(vsix: Path, run_driver: Any, tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    pytest.importorskip("onnxruntime_genai")
    workspace = tmp_path_factory.mktemp("vscode-run") / "workspace"
    config = example_workspace(workspace, tiny_model)
    passes_line = config.read_text(encoding="utf-8").splitlines().index('  "passes": {') + 1
    fields = {"timeout": 60, "runTimeout": 400, "file": "olive-config.json", "passesLine": passes_line}
    spec_file = driver_spec(workspace, vsix, ARTIFACTS, **fields, unsafeText=UNSAFE)
    result, stderr = run_driver("vscode_run.mjs", ["--spec", str(spec_file)], 600)
    report = f"{json.dumps(result, indent=2)}\nartifacts: {ARTIFACTS}\n{stderr}"
    assert result["ok"], f"the run was not watched to its end: {result.get('error')}\n{report}"
    return result, report


def test_run_locally_from_the_code_lens_finishes_in_the_panel(watched: tuple[Any, str]) -> None:
    result, report = watched
    assert result["badge"] == "Completed", report
    assert [(p["name"], p["status"]) for p in result["passes"]] == [
        ("lora", "done"),
        ("merge", "done"),
        ("builder", "done"),
    ], report
    assert all(p["duration"] for p in result["passes"]), report
    assert any("Olive: completed" in text for text in result["statusBar"]), report
    [past] = result["history"]  # this run, from its summary
    assert "completed" in past.lower(), report


def test_the_panel_draws_the_loss_curve_while_training(watched: tuple[Any, str]) -> None:
    result, report = watched
    assert result["midRun"]["badge"] == "Running", report
    assert "lora: loss" in result["chart"] and "at step 24" in result["chart"], report
    assert result["chartPixels"] > 500, report  # the canvas has a drawn curve, not just a label
    stages = [row[0] for row in result["metrics"]]
    assert len(stages) >= 3, report  # input, fine-tuned, int4


def test_html_in_a_log_line_shows_as_text(watched: tuple[Any, str]) -> None:
    result, report = watched
    assert any(UNSAFE in line for line in result["logs"]), report
    assert result["images"] == 0 and result["dialogs"] == [], report
