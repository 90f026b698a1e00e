"""One click on "Run locally" in a real VS Code (code-server in headless Chromium), watched in the results panel.

The workspace holds a config in the example's shape (LoRA -> merge -> int4 ONNX, held-out evaluation) on a tiny
Phi-3 built at test time. The driver (tests/e2e/vscode_run.mjs) clicks the code lens and waits for the panel to
show the loss curve mid-run and the finished run; a training_args key made of HTML reaches the log tail through
the runner's own warning and must show as text. Screenshots: test-artifacts/e2e/vscode-run/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from olive_events.schema import check_stream
from olive_lsp.runs import EVENT_LOG_ENV

from tests.e2e.conftest import driver_spec
from tests.runner.conftest import example_workspace

pytestmark = [pytest.mark.e2e, pytest.mark.runner]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e" / "vscode-run"
UNSAFE = "<img src=x onerror=alert(1)>"  # a training_args key: the runner warns about it by name


@pytest.fixture(scope="module")
def watched(
    vsix: Path, run_driver: Any, tiny_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, str, Path]:
    pytest.importorskip("onnxruntime_genai")
    workspace = tmp_path_factory.mktemp("vscode-run") / "workspace"
    config = example_workspace(workspace, tiny_model, extra_training_args={UNSAFE: 1})
    passes_line = config.read_text(encoding="utf-8").splitlines().index('  "passes": {') + 1
    fields = {"timeout": 60, "runTimeout": 400, "file": "olive-config.json", "passesLine": passes_line}
    spec_file = driver_spec(workspace, vsix, ARTIFACTS, **fields, unsafeText=UNSAFE)
    relayed = workspace.parent / "relayed-events.jsonl"  # the language server records what it relays
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(EVENT_LOG_ENV, str(relayed))
        result, stderr = run_driver("vscode_run.mjs", ["--spec", str(spec_file)], 600)
    report = f"{json.dumps(result, indent=2)}\nartifacts: {ARTIFACTS}\n{stderr}"
    assert result["ok"], f"the run was not watched to its end: {result.get('error')}\n{report}"
    return result, report, relayed


def test_run_locally_from_the_code_lens_finishes_in_the_panel(watched: tuple[Any, str, Path]) -> None:
    result, report, _ = watched
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


def test_the_panel_draws_the_loss_curve_while_training(watched: tuple[Any, str, Path]) -> None:
    result, report, _ = watched
    assert result["midRun"]["badge"] == "Running", report
    assert "lora: loss" in result["chart"] and "at step 24" in result["chart"], report
    assert result["chartPixels"] > 500, report  # the canvas has a drawn curve, not just a label
    stages = [row[0] for row in result["metrics"]]
    assert len(stages) >= 3, report  # input, fine-tuned, int4


def test_html_in_a_log_line_shows_as_text(watched: tuple[Any, str, Path]) -> None:
    result, report, _ = watched
    assert any(UNSAFE in line for line in result["logs"]), report
    assert result["images"] == 0 and result["dialogs"] == [], report


def test_every_event_the_editor_received_matches_the_contract(watched: tuple[Any, str, Path]) -> None:
    _, report, relayed = watched
    events = [json.loads(line)["event"] for line in relayed.read_text(encoding="utf-8").splitlines()]
    assert check_stream(events) > 20, report
    assert events[-1]["type"] == "run_end" and events[-1]["progress"]["percentage"] == 100
