"""Smoke test in a second real LSP client: headless Neovim shows the server's diagnostics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("neovim_probe.lua")
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


@pytest.mark.e2e
def test_neovim_shows_the_unknown_pass_type_on_its_line(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = {
        **os.environ,
        "PROBE_FILE": str(config),
        "PROBE_OUT": str(out),
        "PROBE_CMD": json.dumps([sys.executable, "-m", "olive_lsp"]),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    subprocess.run(
        [nvim(), "--headless", "--clean", "-n", "-u", "NONE", "-c", f"luafile {PROBE}"],
        env=env,
        timeout=60,
        check=True,
        capture_output=True,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["got"] is True
    [diag] = [d for d in result["diagnostics"] if d["code"] == "OS110"]
    assert diag["lnum"] == 4
    assert diag["col"] == CONFIG.splitlines()[4].index('"LoAR"')
    assert 'Did you mean "LoRA"?' in diag["message"]
