"""Dependencies point one way (docs/architecture.md): an import that breaks the layers fails the suite.

The contract is in pyproject.toml (``[tool.importlinter]``): the CLI (olive_studio) over the language server
(olive_lsp) and the runner (olive_runner), which never import each other, over the run-event contract
(olive_events) and the config core (olive_schema), which import nothing of ours.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 kept, 0 broken" in result.stdout
