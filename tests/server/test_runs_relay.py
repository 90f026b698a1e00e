"""The run relay without the ML stack: progress lines from event streams, and a runner that dies mid-run.

The real runner is exercised in tests/runner/test_editor_runs.py; here a fake "python" (a shell script that
ignores its arguments) stands in for it, so the relay's own duties are checked in milliseconds: output is
relayed as log events, and a run that ends without ``run_end`` still ends, with the reason and the output's
tail, its progress closed and its slot free for the next run.
"""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from typing import Any

from olive_events.progress import RunProgress
from olive_events.schema import check_stream
from olive_lsp.runs import ProgressSink, RunRefused, Runs

PASSES = [{"name": "lora", "type": "LoRA"}, {"name": "merge", "type": "MergeAdapterWeights"}]


def lines(events: list[dict[str, Any]]) -> list[tuple[str, int]]:
    progress = RunProgress()
    return [(line.message, line.percentage) for event in events if (line := progress.update(event)) is not None]


def test_progress_names_the_pass_its_step_and_loss_and_rises_to_the_end() -> None:
    events = [
        {"type": "run_start", "passes": PASSES},
        {"type": "pass_start", "pass_name": "lora", "pass_type": "LoRA", "index": 0, "total": 2},
        {"type": "train_step", "pass_name": "lora", "step": 5, "max_steps": 10, "loss": 2.5},
        {"type": "train_step", "pass_name": "lora", "step": 10, "max_steps": 10, "loss": 1.25},
        {"type": "pass_end", "pass_name": "lora", "status": "done"},
        {"type": "pass_start", "pass_name": "merge", "pass_type": "MergeAdapterWeights", "index": 1, "total": 2},
        {"type": "pass_end", "pass_name": "merge", "status": "cached"},
        {"type": "eval_start", "stages": ["input", "fine_tuned"]},
        {"type": "metrics", "stage": "input"},
        {"type": "metrics", "stage": "fine_tuned"},
    ]
    assert lines(events) == [
        ("starting", 0),
        ("lora (LoRA) 1/2", 0),
        ("lora (LoRA) 1/2: step 5/10, loss 2.500", 16),
        ("lora (LoRA) 1/2: step 10/10, loss 1.250", 33),
        ("lora (LoRA) 2/2", 33),
        ("merge (MergeAdapterWeights) 2/2", 33),
        ("merge (MergeAdapterWeights) 2/2: cached", 66),
        ("evaluating input (1/2)", 66),
        ("evaluating fine_tuned (2/2)", 83),
        ("evaluating fine_tuned (2/2)", 100),
    ]


def test_malformed_and_unknown_events_change_nothing() -> None:
    progress = RunProgress()
    progress.update({"type": "run_start", "passes": PASSES})
    for junk in (
        {},
        {"type": None},
        {"type": "from_the_future", "x": 1},
        {"type": "run_start", "passes": "not a list"},
        {"type": "pass_start", "index": "one"},
        {"type": "train_step", "step": "5", "max_steps": 0},
        {"type": "eval_start", "stages": 7},
    ):
        progress.update(junk)
    assert 0 <= progress.percentage() <= 100


class Recorder(ProgressSink):
    def __init__(self) -> None:
        self.values: list[tuple[str, ...]] = []

    async def begin(self, title: str) -> str | None:
        self.values.append(("begin", title))
        return "token-1"

    def report(self, token: str, message: str, percentage: int) -> None:
        self.values.append(("report", message, str(percentage)))

    def end(self, token: str, message: str) -> None:
        self.values.append(("end", message))


def fake_python(folder: Path, body: str) -> str:
    script = folder / "fake-python"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


async def test_a_runner_that_dies_without_run_end_still_ends_the_run(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text("{}", encoding="utf-8")
    python = fake_python(tmp_path, 'echo "loading the model"\necho "Traceback: out of memory" >&2\nexit 3')
    sent: list[dict[str, Any]] = []
    recorder = Recorder()
    runs = Runs(notify=lambda method, params: sent.append(params), progress=recorder, python=python)
    run = await runs.start("file:///x/olive-config.json", config)
    await asyncio.wait_for(run.done.wait(), 10)

    events = [entry["event"] for entry in sent]
    check_stream(events)
    assert [(e["type"], e.get("source")) for e in events[:2]] == [("log", "runner-output"), ("log", "runner-output")]
    end = events[-1]
    assert end["type"] == "run_end" and end["status"] == "failed" and end["synthesized"] is True
    assert "exited with code 3" in end["error"] and "Traceback: out of memory" in end["error"]
    assert recorder.values[0] == ("begin", "Olive run: olive-config.json")
    assert recorder.values[-1] == ("end", "olive-config.json: run failed in 0 s")
    assert runs.running("file:///x/olive-config.json") is None


async def test_one_run_per_config_and_cancel_ends_it(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text("{}", encoding="utf-8")
    runs = Runs(notify=lambda method, params: None, progress=ProgressSink(), python=fake_python(tmp_path, "sleep 30"))
    uri = "file:///x/olive-config.json"
    run = await runs.start(uri, config)
    try:
        await runs.start(uri, config)
        raise AssertionError("a second run of the same config started")
    except RunRefused as refused:
        assert "already running" in str(refused)
    assert runs.cancel(uri) is True
    await asyncio.wait_for(run.done.wait(), 15)
    assert run.ended is not None and run.ended["status"] == "cancelled"
    assert runs.cancel(uri) is False


async def test_output_without_line_ends_is_relayed_in_pieces(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text("{}", encoding="utf-8")
    body = "printf 'step 1\\rstep 2\\r'\nyes x | tr -d '\\n' | head -c 200000\nexit 1"
    sent: list[dict[str, Any]] = []
    runs = Runs(notify=lambda m, p: sent.append(p), progress=ProgressSink(), python=fake_python(tmp_path, body))
    run = await runs.start("file:///x/olive-config.json", config)
    await asyncio.wait_for(run.done.wait(), 10)
    check_stream(e["event"] for e in sent)
    logs = [e["event"]["message"] for e in sent if e["event"]["type"] == "log"]
    assert logs[:2] == ["step 1", "step 2"]
    assert sum(len(m) for m in logs[2:]) == 200_000 and all(set(m) == {"x"} for m in logs[2:])
    assert sent[-1]["event"]["type"] == "run_end"
