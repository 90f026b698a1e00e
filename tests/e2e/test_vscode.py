"""End to end in a real VS Code: code-server in headless Chromium, with the packaged extension installed.

The extension starts `python -m olive_lsp` with this test's interpreter (sys.executable, which must have the
server installed: pip install -e ".[server]"), and the Problems panel must show the server's diagnostic for a
misspelled pass type on the line where it is. Install what it needs once with scripts/setup-e2e.sh.
"""

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
CODE_SERVER = ROOT / ".tools" / "code-server"
ARTIFACTS = ROOT / "test-artifacts" / "e2e" / "vscode"
Driver = Callable[[str, list[str], float], tuple[dict[str, Any], str]]  # the run_driver fixture (conftest.py)

CONFIG = """\
{
    "input_model": {
        "type": "HfModel",
        "model_path": "microsoft/Phi-3.5-mini-instruct"
    },
    "data_configs": [
        {
            "name": "tiny_codes_train",
            "type": "HuggingfaceContainer",
            "load_dataset_config": { "data_name": "nampdn-ai/tiny-codes", "split": "train[:70%]" },
            "pre_process_data_config": { "text_template": "### Question: {prompt}\\n### Answer: {response}" }
        }
    ],
    "passes": {
        "lora": {
            "type": "LoAR",
            "r": 16,
            "alpha": 32,
            "train_data_config": "tiny_codes_train",
            "training_args": { "max_steps": 150 }
        }
    },
    "output_dir": "models/phi3.5-lora"
}
"""
MISSPELLED_LINE, MISSPELLED_COLUMN = next(
    (n, line.index('"LoAR"') + 1) for n, line in enumerate(CONFIG.splitlines(), 1) if '"type": "LoAR"' in line
)


def test_problems_panel_shows_misspelled_pass_type_on_its_line(vsix: Path, run_driver: Driver, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / ".vscode").mkdir(parents=True)
    (workspace / ".vscode" / "settings.json").write_text(
        json.dumps({"oliveStudio.python.interpreterPath": sys.executable})
    )
    (workspace / "olive-config.json").write_text(CONFIG)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)

    options = {
        "code-server": CODE_SERVER,
        "vsix": vsix,
        "workspace": workspace,
        "file": "olive-config.json",
        "expect": "LoRA",
        "artifacts": ARTIFACTS,
        "timeout": 90,
    }
    result, stderr = run_driver(
        "vscode_problems.mjs", [arg for name, value in options.items() for arg in (f"--{name}", str(value))], 300
    )
    report = f"{json.dumps(result, indent=2)}\nartifacts: {ARTIFACTS}\n{stderr[-3000:]}"

    lora = [problem for problem in result["problems"] if "LoRA" in problem["text"]]
    assert lora, f"no problem mentions LoRA in the Problems panel:\n{report}"
    assert all("olive-studio" in problem["text"] for problem in lora), report
    assert [(problem["line"], problem["column"]) for problem in lora] == [(MISSPELLED_LINE, MISSPELLED_COLUMN)], report
    assert [problem["severity"] for problem in lora] == ["error"], report
    assert 'Unknown pass type "LoAR". Did you mean "LoRA"?' in lora[0]["text"], report
