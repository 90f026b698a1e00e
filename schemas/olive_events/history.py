"""Where a config's runs write: its output folder, its cache and the summaries of its past runs.

Both the runner (which writes them) and the language server (which lists past runs for the results panel)
resolve folders here, so neither imports the other and both agree on every path.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

DEFAULT_CACHE = ".olive-cache"
DEFAULT_OUTPUT = "output"
SUMMARY_FILE = "run_summary.json"
HISTORY_FOLDER = "runs"
HISTORY_LIMIT = 50


def engine_value(config: dict[str, Any], key: str) -> Any:
    """A setting Olive accepts both at the top level and (older releases) under ``engine``; engine's wins."""
    engine = config.get("engine")
    if isinstance(engine, dict) and key in engine:
        return engine[key]
    return config.get(key)


def output_dir(config: dict[str, Any], base_dir: Path) -> Path:
    value = engine_value(config, "output_dir")
    return base_dir / (value if isinstance(value, str) and value else DEFAULT_OUTPUT)


def cache_dir(config: dict[str, Any], base_dir: Path) -> Path:
    value = engine_value(config, "cache_dir")
    if isinstance(value, list) and value:
        value = value[0]
    return base_dir / (value if isinstance(value, str) and value else DEFAULT_CACHE)


def history_path(output: Path, started: float, run_id: str) -> Path:
    """``<output>/runs/<UTC start time>-<run id>.json``: names sort by start time."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(started))
    return output / HISTORY_FOLDER / f"{stamp}-{run_id or 'run'}.json"


def past_runs(output: Path, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """The summaries of the newest ``limit`` runs, newest first; unreadable files are skipped, not fatal."""
    folder = output / HISTORY_FOLDER
    files = sorted(folder.glob("*.json"), reverse=True)[:limit] if folder.is_dir() else []
    runs = []
    for path in files:
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(summary, dict):
            runs.append({**summary, "summary_path": str(path)})
    return runs
