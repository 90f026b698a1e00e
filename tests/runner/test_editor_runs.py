"""Runs started from the editor: the language server runs the real runner on the tiny Phi-3 and relays it.

A pytest-lsp client that shows work-done progress starts "Run locally" on a config saved on disk, then checks
what a user would see: ``$/progress`` naming the passes with a rising percentage, ``oliveStudio/runEvent``
carrying the runner's events (loss of each logged step, metrics, the end), one run per config at a time, and
Cancel (the command, or the progress notification's cancel) stopping the subprocess while the cache keeps the
passes that had finished.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from olive_events.schema import check_stream
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.runner.conftest import example_workspace
from tests.runner.test_pipeline import workspace

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.runner
pytest.importorskip("onnxruntime_genai")

RUN_EVENT = "oliveStudio/runEvent"
CAPABILITIES = types.ClientCapabilities(window=types.WindowClientCapabilities(work_done_progress=True))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "olive_lsp"]))
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    events: list[dict[str, Any]] = []
    seen: list[dict[str, Any]] = []  # every relayed event, also those a test clears from ``events``
    lsp_client.run_events = events  # type: ignore[attr-defined]

    @lsp_client.feature(RUN_EVENT)
    def on_run_event(params: Any) -> None:
        events.append(_plain(params))
        seen.append(events[-1])

    await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
    yield
    await lsp_client.shutdown_session()
    check_stream(entry["event"] for entry in seen)  # everything relayed matches the event contract


def _plain(value: Any) -> Any:
    """pygls hands custom notifications over as attribute objects; tests compare plain JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return [_plain(v) for v in value]
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    return value


def relayed(client: LanguageClient) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = client.run_events  # type: ignore[attr-defined]
    return events


async def open_config(client: LanguageClient, path: Path) -> str:
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="json", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def command(client: LanguageClient, name: str, uri: str) -> Any:
    return await client.workspace_execute_command_async(types.ExecuteCommandParams(command=name, arguments=[uri]))


async def wait_for(client: LanguageClient, predicate: Any, timeout: float = 300) -> dict[str, Any]:
    """The first relayed event that satisfies ``predicate``, waiting for it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for entry in relayed(client):
            if predicate(entry["event"]):
                return entry
        await asyncio.sleep(0.1)
    kinds = [e["event"]["type"] for e in relayed(client)]
    raise AssertionError(f"no such event within {timeout} s; got {kinds[-30:]}")


async def until(condition: Any, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


def of_type(client: LanguageClient, kind: str) -> list[dict[str, Any]]:
    return [e["event"] for e in relayed(client) if e["event"]["type"] == kind]


async def test_run_locally_streams_progress_and_events_until_the_run_ends(
    client: LanguageClient, tmp_path: Path, tiny_model: Path
) -> None:
    config = workspace(tmp_path, tiny_model, steps=12)
    uri = await open_config(client, config)
    result = await command(client, "oliveStudio.runLocally", uri)
    assert result["ok"] is True, result
    token = result["progressToken"]

    again = await command(client, "oliveStudio.runLocally", uri)
    assert again["ok"] is False and "already running" in again["reason"]

    end = await wait_for(client, lambda e: e["type"] == "run_end")
    await until(lambda: isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd))
    assert end["uri"] == uri
    assert end["event"]["status"] == "completed", end["event"].get("error")

    assert [e["pass_name"] for e in of_type(client, "pass_end")] == ["lora", "merge", "builder"]
    steps = of_type(client, "train_step")
    assert steps and all(isinstance(s["loss"], float) for s in steps if s.get("loss") is not None)
    assert [m["stage"] for m in of_type(client, "metrics")] == of_type(client, "eval_start")[0]["stages"]

    reports = client.progress_reports[token]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable is True
    assert reports[0].title == "Olive run: olive-config.json"
    middle = [r for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    percentages = [r.percentage for r in middle if r.percentage is not None]
    assert percentages == sorted(percentages) and percentages[-1] >= 75
    messages = " | ".join(r.message or "" for r in middle)
    assert "lora (LoRA) 1/3: step" in messages and "loss" in messages
    assert "builder (ModelBuilder) 3/3" in messages and "evaluating" in messages
    assert isinstance(reports[-1], types.WorkDoneProgressEnd) and "run completed" in (reports[-1].message or "")

    history = await command(client, "oliveStudio.runHistory", uri)
    assert history["running"] is False
    assert [run["status"] for run in history["runs"]] == ["completed"]
    assert history["runs"][0]["run_id"] == end["event"]["run_id"]

    relayed(client).clear()
    result = await command(client, "oliveStudio.runLocally", uri)
    assert result["ok"] is True
    await wait_for(client, lambda e: e["type"] == "run_end")
    assert [e["status"] for e in of_type(client, "pass_end")] == ["cached", "cached", "cached"]
    history = await command(client, "oliveStudio.runHistory", uri)
    assert len(history["runs"]) == 2


def long_run(tmp_path: Path, model: Path) -> Path:
    """lora (a few steps) -> merge -> a second, long fine-tune that a test cancels while it trains."""
    config_path = workspace(tmp_path, model, steps=4)
    config = json.loads(config_path.read_text(encoding="utf-8"))
    long = {**config["passes"]["lora"], "training_args": {**config["passes"]["lora"]["training_args"]}}
    long["training_args"]["max_steps"] = 100_000
    config["passes"] = {"lora": config["passes"]["lora"], "merge": config["passes"]["merge"], "long_tune": long}
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return config_path


@pytest.mark.parametrize("how", ["command", "progress"])
async def test_cancel_stops_the_run_and_the_cache_keeps_finished_passes(
    client: LanguageClient, tmp_path: Path, tiny_model: Path, how: str
) -> None:
    config = long_run(tmp_path, tiny_model)
    uri = await open_config(client, config)
    result = await command(client, "oliveStudio.runLocally", uri)
    assert result["ok"] is True, result
    await wait_for(client, lambda e: e["type"] == "train_step" and e["pass_name"] == "long_tune")

    if how == "command":
        assert (await command(client, "oliveStudio.cancelRun", uri)) == {"ok": True}
    else:
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=result["progressToken"]))
    end = await wait_for(client, lambda e: e["type"] == "run_end", timeout=60)
    assert end["event"]["status"] == "cancelled"
    assert of_type(client, "pass_end")[-1] == {**of_type(client, "pass_end")[-1], "status": "cancelled"}
    assert (await command(client, "oliveStudio.cancelRun", uri))["ok"] is False  # nothing left to cancel

    summary = json.loads((tmp_path / "out" / "run_summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "cancelled"
    assert [(p["name"], p["status"]) for p in summary["passes"]] == [("lora", "done"), ("merge", "done")]

    relayed(client).clear()
    assert (await command(client, "oliveStudio.runLocally", uri))["ok"] is True
    await wait_for(client, lambda e: e["type"] == "pass_start" and e["pass_name"] == "long_tune")
    assert [e["status"] for e in of_type(client, "pass_end")][:2] == ["cached", "cached"]
    await command(client, "oliveStudio.cancelRun", uri)
    await wait_for(client, lambda e: e["type"] == "run_end", timeout=60)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[sys.executable, "-m", "olive_lsp"]))
async def untrusted(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    """A client in an untrusted workspace: it says so at start, as the VS Code extension does."""
    events: list[dict[str, Any]] = []
    lsp_client.run_events = events  # type: ignore[attr-defined]
    lsp_client.feature(RUN_EVENT)(lambda params: events.append(_plain(params)))
    options = {"runsAllowed": False, "runPanel": True}
    params = types.InitializeParams(capabilities=CAPABILITIES, initialization_options=options)
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def test_an_untrusted_workspace_gets_no_runs_but_keeps_validation(
    untrusted: LanguageClient, tmp_path: Path, tiny_model: Path
) -> None:
    client = untrusted
    client.workspace_did_change_configuration(  # a settings change must not turn runs back on
        types.DidChangeConfigurationParams(settings={"oliveStudio": {"runsAllowed": True, "oliveVersion": "0.13"}})
    )
    config = workspace(tmp_path, tiny_model, steps=2)
    uri = await open_config(client, config)
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri))
    )
    assert [lens.command.command for lens in lenses or [] if lens.command] == ["oliveStudio.validate"]
    result = await command(client, "oliveStudio.runLocally", uri)
    assert result["ok"] is False and "not trusted" in result["reason"]
    assert (await command(client, "oliveStudio.validate", uri))["ok"] is True
    assert relayed(client) == []


def panel_numbers(events: list[dict[str, Any]], tmp_path: Path) -> list[tuple[int, str]]:
    """What the results panel shows after each event: the extension's own model (extension/src/shared/model.ts)
    folded over the events by extension/test/progress-cli.ts under Node."""
    tools = REPO / ".tools" / "bin"
    if not (tools / "node").exists() or not (REPO / "extension" / "node_modules").exists():
        reason = "Node and the extension's node_modules are needed: run scripts/setup-e2e.sh"
        if os.environ.get("OLIVE_STUDIO_REQUIRE_E2E") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}"}
    subprocess.run([tools / "npm", "run", "--silent", "progress-cli"], cwd=REPO / "extension", env=env, check=True)
    stream = tmp_path / "relayed.jsonl"
    stream.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    with stream.open(encoding="utf-8") as stdin:
        shown = subprocess.run(
            [tools / "node", REPO / "extension" / "out" / "progress-cli.js"],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=True,
        )
    return [(line["percentage"], line["message"]) for line in map(json.loads, shown.stdout.splitlines())]


async def test_the_panel_and_progress_show_the_same_numbers_at_every_event_of_the_example(
    client: LanguageClient, tmp_path: Path, tiny_model: Path
) -> None:
    config = example_workspace(tmp_path / "example", tiny_model)
    uri = await open_config(client, config)
    result = await command(client, "oliveStudio.runLocally", uri)
    assert result["ok"] is True, result
    token = result["progressToken"]
    end = await wait_for(client, lambda e: e["type"] == "run_end")
    assert end["event"]["status"] == "completed", end["event"].get("error")
    await until(lambda: isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd))

    events = [entry["event"] for entry in relayed(client)]
    carried = [(e["progress"]["percentage"], e["progress"]["message"]) for e in events]
    assert panel_numbers(events, tmp_path) == carried  # the panel shows each event's own numbers

    # $/progress reports each change of those numbers, in order, until run_end ends the progress
    changes: list[tuple[int, str]] = []
    for event, numbers in zip(events, carried, strict=True):
        if event["type"] != "run_end" and (not changes or changes[-1] != numbers):
            changes.append(numbers)
    reports = client.progress_reports[token]
    sent = [(r.percentage, r.message) for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert sent == changes
    assert carried[-1] == (100, "run completed") and [p for p, _ in carried] == sorted(p for p, _ in carried)
