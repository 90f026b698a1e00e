"""A second real LSP client: headless Neovim shows the server's diagnostics, and a run's $/progress."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROBE = Path(__file__).with_name("neovim_probe.lua")
RUN_PROBE = Path(__file__).with_name("neovim_run_probe.lua")
CONFIG = """{
  "input_model": {"type": "HfModel", "model_path": "microsoft/Phi-3-mini-4k-instruct"},
  "data_configs": [{"name": "train", "type": "HuggingfaceContainer"}],
  "passes": {
    "lora": {"type": "LoAR", "train_data_config": "train"}
  }
}
"""


def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("OLIVE_STUDIO_REQUIRE_E2E") == "1":
            pytest.fail("nvim is not installed: run scripts/setup-e2e.sh")
        pytest.skip("nvim is not installed (scripts/setup-e2e.sh installs it)")
    return found


def probe(script: Path, config: Path, folder: Path, timeout: float) -> Any:
    """Runs a Lua probe in headless Neovim on ``config`` with the server attached; gives the JSON it wrote."""
    out = folder / f"{script.stem}.json"
    env = {
        **os.environ,
        "PROBE_FILE": str(config),
        "PROBE_OUT": str(out),
        "PROBE_CMD": json.dumps([sys.executable, "-m", "olive_lsp"]),
        "XDG_STATE_HOME": str(folder / "state"),
        "XDG_DATA_HOME": str(folder / "data"),
    }
    command = [nvim(), "--headless", "--clean", "-n", "-u", "NONE", "-c", f"luafile {script}"]
    subprocess.run(command, env=env, timeout=timeout, check=True, capture_output=True)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_neovim_shows_the_unknown_pass_type_on_its_line(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text(CONFIG, encoding="utf-8")
    result = probe(PROBE, config, tmp_path, timeout=60)
    assert result["got"] is True
    [diag] = [d for d in result["diagnostics"] if d["code"] == "OS110"]
    assert diag["lnum"] == 4
    assert diag["col"] == CONFIG.splitlines()[4].index('"LoAR"')
    assert 'Did you mean "LoRA"?' in diag["message"]


@pytest.mark.e2e
@pytest.mark.runner
def test_neovim_shows_the_progress_of_a_run(tmp_path: Path, tiny_model: Path) -> None:
    pytest.importorskip("onnxruntime_genai")
    from tests.runner.test_pipeline import workspace

    config = workspace(tmp_path, tiny_model, steps=8)
    result = probe(RUN_PROBE, config, tmp_path, timeout=400)
    assert result["ended"] is True, result
    assert result["result"]["ok"] is True, result
    kinds = [value["kind"] for value in result["progress"]]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
    assert result["progress"][0]["title"] == "Olive run: olive-config.json"
    messages = [value.get("message", "") for value in result["progress"] if value["kind"] == "report"]
    assert any(m.startswith("lora (LoRA) 1/3: step") for m in messages), messages
    assert any(m.startswith("builder (ModelBuilder) 3/3") for m in messages), messages
    assert "run completed" in result["progress"][-1]["message"]
    assert any("olive-config.json: run completed" in m for m in result["messages"]), result["messages"]
