"""Shared test helpers: where the repo, the shared material and the examples are; the tiny test model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Every EventSink in this process and in every runner it starts checks each event against the contract
# (schemas/olive_events/contract.py) before writing it: a producer that drifts from the declaration fails.
os.environ["OLIVE_STUDIO_CHECK_EVENTS"] = "1"

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLES = REPO / "examples"


def shared_path(*parts: str) -> Path:
    """A file under ../shared, skipping the test where the checkout has none (outside this workplace)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared is only beside the workplace checkout)")
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-initialised tiny Phi-3 and its tokenizer, built once per session (a few seconds).

    Shared by the runner's tests and the editor's end-to-end run; skips where the ML stack is missing.
    """
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from olive_runner.tiny_models import build_tiny_phi3

    return build_tiny_phi3(tmp_path_factory.mktemp("tiny-phi3") / "model", seed=0)
