"""Editing an Olive config in a real VS Code (code-server in headless Chromium) with the packaged extension.

One window runs every step in order (tests/e2e/vscode_editing.mjs): the OS111 warning in the Problems panel,
completion of pass types, hover over a pass type, the quick fix for a pass type's case, and the severity
setting, which must apply without restarting the server. Each test below checks one step's report; a
screenshot of each step lands in test-artifacts/e2e/vscode-editing/, with the logs when a step failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import driver_spec

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e" / "vscode-editing"
Driver = Callable[[str, list[str], float], tuple[dict[str, Any], str]]  # the run_driver fixture (conftest.py)
STEP_TIMEOUT_S = 60

TEMPLATE = """\
{
    "input_model": {
        "type": "HfModel",
        "model_path": "microsoft/Phi-3.5-mini-instruct"
    },
    "data_configs": [
        {
            "name": "tiny_codes_train",
            "type": "HuggingfaceContainer",
            "load_dataset_config": { "data_name": "nampdn-ai/tiny-codes", "split": "train[:70%]" }
        }
    ],
    "passes": {
        "lora": {
            "type": "PASS_TYPE",
            "r": 16,
            "alpha": 32,
            "train_data_config": "tiny_codes_train"
        }
    },
    "output_dir": "models/phi3.5-lora"
}
"""
TYPE_LINE = next(n for n, line in enumerate(TEMPLATE.splitlines(), 1) if "PASS_TYPE" in line)
TYPE_COLUMN = TEMPLATE.splitlines()[TYPE_LINE - 1].index("PASS_TYPE") + 1  # 1-based: just after the opening quote
HOVER_TEXT = "LoRA adapter"  # in LoRA's summary and description (schemas/olive_schema/catalog/passes.json)
FILES = {
    "olive-config.json": "LoRa",  # OS111 warning, fixed by the quick fix
    "completion.json": "",  # the cursor goes between the quotes
    "hover.json": "LoRA",
    "severity.json": "LoRa",  # OS111 again, turned off by the setting
}
STEPS: list[dict[str, Any]] = [
    {"name": "problem", "kind": "problem", "file": "olive-config.json", "expect": "OS111"},
    {
        "name": "completion",
        "kind": "completion",
        "file": "completion.json",
        "line": TYPE_LINE,
        "column": TYPE_COLUMN,
        "expect": ["LoRA", "ModelBuilder"],
    },
    {
        "name": "hover",
        "kind": "hover",
        "file": "hover.json",
        "line": TYPE_LINE,
        "column": TYPE_COLUMN + 1,
        "token": "LoRA",
        "expect": HOVER_TEXT,
    },
    {
        "name": "validate",
        "kind": "command",
        "file": "hover.json",
        "title": "Olive Studio: Validate",
        "expect": "hover.json is valid for Olive",
    },
    {"name": "no-command", "kind": "noCommand", "file": "package.json", "title": "Olive Studio: Validate"},
    {
        "name": "quickfix",
        "kind": "quickfix",
        "file": "olive-config.json",
        "line": TYPE_LINE,
        "column": TYPE_COLUMN + 1,
        "action": 'Change to "LoRA"',
        "expectText": '"type": "LoRA"',
        "gone": "OS111",
    },
    {
        "name": "severity",
        "kind": "setting",
        "file": "severity.json",
        "settingsFile": ".vscode/settings.json",
        "settings": {"oliveStudio.severity": {"OS111": "off"}},
        "gone": "OS111",
    },
]


@pytest.fixture(scope="module")
def session(vsix: Path, run_driver: Driver, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """Runs every step in one code-server window; gives the driver's report and a text to show on failure."""
    workspace = tmp_path_factory.mktemp("vscode-editing") / "workspace"
    (workspace / ".vscode").mkdir(parents=True)
    (workspace / ".vscode" / "settings.json").write_text(
        json.dumps({"oliveStudio.python.interpreterPath": sys.executable}, indent=4)
    )
    for name, pass_type in FILES.items():
        (workspace / name).write_text(TEMPLATE.replace("PASS_TYPE", pass_type))
    (workspace / "package.json").write_text('{"name": "not-an-olive-config", "version": "1.0.0"}\n')
    spec_file = driver_spec(workspace, vsix, ARTIFACTS, timeout=STEP_TIMEOUT_S, steps=STEPS)
    result, stderr = run_driver("vscode_editing.mjs", ["--spec", str(spec_file)], 60 + STEP_TIMEOUT_S * 2 * len(STEPS))
    assert "error" not in result, f"the e2e driver failed before its steps: {result['error']}\n{stderr}"
    return result, f"{json.dumps(result, indent=2)}\nartifacts: {ARTIFACTS}\n{stderr}"


def step(session: tuple[dict[str, Any], str], name: str) -> tuple[dict[str, Any], str]:
    result, report = session
    seen = result["steps"][name]
    assert seen["ok"], f"step {name}: {seen.get('error')}\n{report}"
    return seen, report


def test_pass_type_in_another_case_is_a_warning(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "problem")
    [problem] = seen["problems"]
    assert problem["severity"] == "warning", report
    assert (problem["line"], problem["column"]) == (TYPE_LINE, TYPE_COLUMN - 1), report
    assert "LoRA" in problem["text"] and "olive-studio" in problem["text"], report


def test_completion_lists_pass_types(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "completion")
    assert {"LoRA", "ModelBuilder"} <= set(seen["labels"]), report


def test_hover_over_pass_type_shows_its_doc(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "hover")
    assert HOVER_TEXT in seen["hover"], report


def test_validate_command_in_palette_reports_on_active_config(session: tuple[dict[str, Any], str]) -> None:
    step(session, "validate")


def test_palette_commands_hidden_for_other_json(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "no-command")
    assert not any("Olive Studio: Validate" in row for row in seen["offered"]), report


def test_quick_fix_changes_pass_type_to_canonical_case(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "quickfix")
    assert any('Change to "LoRA"' in action for action in seen["actions"]), report
    assert '"type": "LoRA"' in seen["text"] and '"LoRa"' not in seen["text"], report
    assert seen["problems"] == [], report


def test_severity_setting_applies_without_restart(session: tuple[dict[str, Any], str]) -> None:
    seen, report = step(session, "severity")
    assert seen["before"] and seen["after"] == [], report
    result, _ = session
    assert result["serverStarts"] == 1, f"the language server started {result['serverStarts']} times\n{report}"
