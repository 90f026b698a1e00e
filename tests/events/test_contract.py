"""The run-event contract: one declaration, its renderings in sync, producers checked, readers tolerant.

The declaration is ``schemas/olive_events/contract.py``; docs/events.md's tables, the JSON Schema and the
extension's TypeScript types are generated from it and must not drift. The sink is the only builder of
envelopes: what it writes matches the schema, carries the run's progress, and a producer that leaves the
contract is stopped. Readers (the progress tracker, the relay) ignore what a newer runner adds.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from olive_events import contract, render, schema
from olive_events.contract import Log, PassEnd, PassRef, PassStart, RunEnd, RunStart, TrainStep
from olive_events.progress import RunProgress
from olive_events.schema import ContractError, check_event, check_stream, problems
from olive_events.sink import EventSink


def start(sink: EventSink, passes: tuple[str, ...] = ("lora", "merge")) -> None:
    sink.emit(
        RunStart(
            config="olive-config.json",
            olive_version="0.13.0",
            passes=[PassRef(name=name, type=name.upper()) for name in passes],
            output_dir="out",
            cache_dir="cache",
            migrated=[],
        )
    )


def test_generated_docs_schema_and_typescript_match_the_declaration() -> None:
    stale = render.stale()
    assert not stale, f"regenerate with: python -m olive_events.render --write ({', '.join(map(str, stale))})"


def test_every_declared_type_is_documented_and_typed_for_the_extension() -> None:
    docs = render.DOCS_FILE.read_text(encoding="utf-8")
    typescript = render.TS_FILE.read_text(encoding="utf-8")
    for cls in contract.EVENT_TYPES:
        assert f"### {cls.TYPE}\n" in docs
        assert f"readonly type: '{cls.TYPE}';" in typescript
        for name in (f.name for f, _ in schema.declared_fields(cls)):
            assert f"| `{name}` |" in docs and f"readonly {name}" in typescript


def test_the_sink_writes_envelopes_that_match_the_schema_with_progress() -> None:
    stream = io.StringIO()
    sink = EventSink(stream, run_id="abc", check=True)
    start(sink)
    sink.emit(PassStart(pass_name="lora", pass_type="LoRA", index=0, total=2))
    sink.emit(TrainStep(pass_name="lora", step=5, max_steps=10, loss=1.5, learning_rate=1e-3))
    sink.log("checkpoint saved", "debug", pass_name="lora", step=5)
    sink.emit(PassEnd(pass_name="lora", status="done", duration_s=1.0, artifact="cache/x"))
    sink.emit(RunEnd(status="completed", duration_s=2.0))
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert check_stream(events) == 6
    assert {e["v"] for e in events} == {contract.MAJOR} and {e["run_id"] for e in events} == {"abc"}
    assert [e["progress"]["percentage"] for e in events] == [0, 0, 16, 16, 33, 100]
    assert events[2]["progress"]["message"] == "lora (LoRA) 1/2: step 5/10, loss 1.500"
    assert "error" not in events[-1]  # optional fields left at None are absent, which readers take as null


@pytest.mark.parametrize(
    ("event", "complaint"),
    [
        ({"v": 1, "type": "pass_end", "time": 1.0, "run_id": "r", "status": "done", "duration_s": 1}, "pass_name"),
        (
            {"v": 1, "type": "pass_end", "time": 1.0, "run_id": "r", "pass_name": "x", "status": "ok", "duration_s": 1},
            "'ok' is not one of",
        ),
        ({"v": 1, "type": "log", "time": 1.0, "run_id": "r", "level": "info", "message": "m", "colour": 1}, "colour"),
        ({"v": 1, "type": "eval_start", "time": 1.0, "run_id": "r", "stages": "input"}, "stages"),
        ({"v": 2, "type": "eval_start", "time": 1.0, "run_id": "r", "stages": []}, "v"),
        ({"v": 1, "type": "hello", "time": 1.0, "run_id": "r"}, "unknown event type 'hello'"),
        ("not an object", "JSON object"),
    ],
)
def test_the_validator_names_what_is_wrong(event: Any, complaint: str) -> None:
    found = problems(event)
    assert found and complaint in " ".join(found)
    with pytest.raises(ContractError):
        check_event(event)


def test_a_producer_that_leaves_the_contract_is_stopped_before_anything_is_written() -> None:
    stream = io.StringIO()
    sink = EventSink(stream, check=True)
    with pytest.raises(TypeError):  # an undeclared field cannot even be built
        sink.emit(Log(level="info", message="m", colour="red"))  # type: ignore[call-arg]
    with pytest.raises(ContractError, match="status"):
        sink.emit(PassEnd(pass_name="x", status="finished", duration_s=1.0))  # type: ignore[arg-type]
    assert stream.getvalue() == ""


def test_forward_keeps_the_producers_progress_and_fills_it_for_older_runners() -> None:
    relayed: list[dict[str, Any]] = []
    sink = EventSink(check=True)
    sink.listeners.append(relayed.append)
    runner = EventSink(check=True)
    runner.listeners.append(sink.forward)
    start(runner, ("lora",))
    old = {"v": 1, "type": "pass_start", "time": 1.0, "run_id": "r1", "pass_name": "lora", "pass_type": "LoRA"}
    sink.forward({**old, "index": 0, "total": 1})
    sink.log("printed by the runner", source="runner-output")
    assert relayed[0]["progress"] == {"percentage": 0, "message": "starting"}
    assert relayed[1]["progress"]["message"] == "lora (LoRA) 1/1"  # computed by the relay: the runner sent none
    assert relayed[2]["progress"] == relayed[1]["progress"] and relayed[2]["run_id"] == "r1"
    check_stream(relayed)


def test_readers_ignore_unknown_types_and_fields_of_newer_minor_versions() -> None:
    progress = RunProgress()
    progress.update({"v": 1, "type": "run_start", "passes": [{"name": "lora", "type": "LoRA"}]})
    before = progress.percentage(), progress.message()
    assert progress.update({"v": 1, "type": "gpu_temperature", "celsius": 71}) is None
    assert (progress.percentage(), progress.message()) == before
    newer = {"v": 1, "type": "pass_start", "pass_name": "lora", "pass_type": "LoRA", "index": 0, "total": 1}
    line = progress.update({**newer, "backend": "olive", "why": "a field of a later minor version"})
    assert line is not None and line.message == "lora (LoRA) 1/1"


def test_a_run_start_begins_a_new_run_in_the_progress() -> None:
    progress = RunProgress()
    progress.update({"type": "run_start", "passes": [{"name": "a", "type": "A"}]})
    progress.update({"type": "run_end", "status": "completed"})
    assert progress.percentage() == 100
    progress.update({"type": "run_start", "passes": [{"name": "a", "type": "A"}, {"name": "b", "type": "B"}]})
    assert (progress.percentage(), progress.message()) == (0, "starting")
