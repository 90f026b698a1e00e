"""Fixtures for the runner's tests: a tiny Phi-3 built once per session and a small phrase/tone dataset.

Runner tests need the ML stack (scripts/setup-runner.sh); each module says ``pytestmark = pytest.mark.runner``
and skips itself with ``pytest.importorskip("torch")`` where the stack is missing. No test may reach a model
hub, so HF_HUB_OFFLINE is set for the session.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "phrase-classification" / "olive-config.json"

TONES = ("sad", "joy", "fear", "surprise")

# Ten short phrases per tone, written for these tests; listed in tone order and interleaved by ``phrase_rows``.
PHRASES: dict[str, tuple[str, ...]] = {
    "sad": (
        "My old cat did not come home today.",
        "The house feels empty since you left.",
        "Nobody came to my birthday party.",
        "I lost the ring my grandmother gave me.",
        "The rain will not stop and I miss you.",
        "We said goodbye at the station for the last time.",
        "His chair at the table stays empty now.",
        "The letter said they could not keep me.",
        "I sat alone in the dark all evening.",
        "The garden we planted together has died.",
    ),
    "joy": (
        "We won the match in the last minute!",
        "The baby laughed for the first time today.",
        "I got the job I always wanted!",
        "The sun is out and we are going to the beach.",
        "My best friend is coming to visit tomorrow.",
        "We finally moved into our new home!",
        "The whole family sang and danced all night.",
        "I passed the exam with the top mark!",
        "The puppy ran to me wagging its tail.",
        "Our garden is full of flowers this spring.",
    ),
    "fear": (
        "Something is scratching at the window.",
        "I heard footsteps on the stairs but I live alone.",
        "The lights went out and the door creaked open.",
        "A stranger has followed me for three streets.",
        "The boat is filling with water far from the shore.",
        "Someone is breathing on the other end of the phone.",
        "The brakes do not work and the road is steep.",
        "I am lost in the forest and night is falling.",
        "The dog growls at the empty corner of the room.",
        "There is smoke under the door of my room.",
    ),
    "surprise": (
        "You flew all the way here just for me?",
        "The box was full of letters from my father!",
        "I opened the door and everyone shouted my name!",
        "Wait, the old car actually started?",
        "She is my sister and I never knew?",
        "The shy boy sang on stage tonight!",
        "We found a tiny kitten inside the mailbox!",
        "He proposed in the middle of the market?",
        "It snowed in the desert this morning!",
        "My plant grew a flower overnight?",
    ),
}


def phrase_rows() -> list[dict[str, str]]:
    """40 rows ``{"phrase", "tone"}``, tones interleaved so that any prefix or split holds every tone."""
    return [{"phrase": PHRASES[tone][index], "tone": tone} for index in range(len(PHRASES[TONES[0]])) for tone in TONES]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "runner: tests that need the runner's ML stack (torch, transformers, ...)")


@pytest.fixture
def phrase_dataset(tmp_path: Path) -> Path:
    """A JSONL phrase/tone dataset (40 rows, 4 tones) in a fresh folder; the file's path is returned."""
    path = tmp_path / "data" / "phrases.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in phrase_rows()), encoding="utf-8")
    return path


def example_workspace(folder: Path, model: Path, extra_training_args: dict[str, Any] | None = None) -> Path:
    """The example config (examples/phrase-classification), pointed at the tiny model and a small dataset,
    trained for a few logged steps, with the interpreter of these tests as the editor's Python."""
    config = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    config["input_model"]["model_path"] = str(model)
    args = config["passes"]["lora"]["training_args"]
    args.update({"max_steps": 24, "logging_steps": 2, "per_device_train_batch_size": 4, **(extra_training_args or {})})
    rows = phrase_rows()
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:32]), encoding="utf-8")
    (folder / "data" / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[32:]), encoding="utf-8")
    (folder / ".vscode").mkdir()
    settings = {"oliveStudio.python.interpreterPath": sys.executable}
    (folder / ".vscode" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    path = folder / "olive-config.json"
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path
