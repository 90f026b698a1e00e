"""What the VS Code end-to-end tests share: the packaged extension, and running a driver script (*.mjs)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / ".tools"
CODE_SERVER = TOOLS / "code-server"
EXTENSION = ROOT / "extension"

Driver = Callable[[str, list[str], float], tuple[dict[str, Any], str]]


@pytest.fixture(scope="session")
def vsix() -> Path:
    """The .vsix of the extension as it is now (repackaged once per session: a few seconds)."""
    if not (CODE_SERVER / "node_modules" / "code-server" / "package.json").exists():
        reason = f"code-server is not installed in {CODE_SERVER}: run scripts/setup-e2e.sh"
        if os.environ.get("OLIVE_STUDIO_REQUIRE_E2E") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    subprocess.run(
        [TOOLS / "bin" / "npm", "run", "--silent", "package"], cwd=EXTENSION, check=True, capture_output=True
    )
    return EXTENSION / "olive-studio.vsix"


@pytest.fixture(scope="session")
def run_driver() -> Driver:
    """Runs a tests/e2e/*.mjs driver with Node from .tools; gives its JSON result and the tail of its stderr."""

    def run(script: str, args: list[str], timeout: float) -> tuple[dict[str, Any], str]:
        command = [str(TOOLS / "bin" / "node"), str(Path(__file__).parent / script), *args]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:
            try:
                stdout, stderr = process.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.terminate()  # the script then stops code-server and Chromium
                stdout, stderr = process.communicate()
        assert stdout, f"no result from {script} (timed out?):\n{stderr}"
        return json.loads(stdout), stderr[-3000:]

    return run


def driver_spec(workspace: Path, vsix: Path, artifacts: Path, **fields: Any) -> Path:
    """The spec file a VS Code driver reads (code-server, the .vsix, the workspace, ``artifacts`` emptied for this
    session, and the driver's own ``fields``), written beside the workspace."""
    shutil.rmtree(artifacts, ignore_errors=True)
    spec = {"codeServer": str(CODE_SERVER), "vsix": str(vsix), "workspace": str(workspace), "artifacts": str(artifacts)}
    path = workspace.parent / "spec.json"
    path.write_text(json.dumps({**spec, **fields}, indent=2))
    return path
