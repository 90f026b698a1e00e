"""Run locally, Cancel run and Run history: LSP wiring for runs started from the editor.

Run locally validates first (the same findings as the Problems panel), then
starts the runner (``runs.Runs``) and answers at once; the run reports through
``$/progress`` (cancellable) and ``oliveStudio/runEvent`` notifications until
it ends.  docs/events.md describes both.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from olive_events import history
from pygls.uris import to_fs_path

from olive_lsp import commands
from olive_lsp.handlers_actions import check
from olive_lsp.runs import ActiveRun, ProgressSink, RunRefused, Runs, new_token
from olive_lsp.server import OliveServer, guarded, guarded_async, server

log = logging.getLogger(__name__)

UNTRUSTED = (
    "Runs are disabled because this workspace is not trusted (a config can point at scripts that a run would "
    "execute). Trust the workspace to run it; checking and editing keep working."
)


class LspProgress(ProgressSink):
    """Work-done progress created by the server, for clients that say they show it."""

    def __init__(self, ls: OliveServer) -> None:
        self.ls = ls

    async def begin(self, title: str) -> str | None:
        window = self.ls.client_capabilities.window
        if window is None or not window.work_done_progress:
            return None
        token = new_token()
        try:
            await self.ls.work_done_progress.create_async(token)
        except Exception as exc:  # the client refused the token: the run goes on without progress
            log.warning("work done progress refused: %s", exc)
            return None
        begin = types.WorkDoneProgressBegin(title=title, cancellable=True, message="starting", percentage=0)
        self.ls.work_done_progress.begin(token, begin)
        return token

    def report(self, token: str, message: str, percentage: int) -> None:
        self.ls.work_done_progress.report(token, types.WorkDoneProgressReport(message=message, percentage=percentage))

    def end(self, token: str, message: str) -> None:
        self.ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))


def _tell_user(run: ActiveRun) -> None:
    """Clients without a results panel learn how the run ended from a message."""
    if server.client_facts.run_panel:
        return
    end = run.ended or {}
    status = str(end.get("status", "ended"))
    error = str(end.get("error") or "").strip().splitlines()
    text = f"{run.config.name}: run {status}" + (f": {error[0]}" if error and status != "completed" else "")
    if status == "completed" and end.get("summary"):
        text += f"; summary: {end['summary']}"
    kind = types.MessageType.Info if status in ("completed", "cancelled") else types.MessageType.Error
    server.window_show_message(types.ShowMessageParams(type=kind, message=text))


RUNS = Runs(
    notify=lambda method, params: server.protocol.notify(method, params),
    progress=LspProgress(server),
    on_end=_tell_user,
)


@server.command(commands.RUN_LOCALLY)
@guarded_async
async def run_locally(ls: OliveServer, *args: Any) -> dict[str, Any]:
    outcome = check(ls, commands.RUN_LOCALLY, args)
    uri = commands.uri_argument(args)
    if not outcome.result.get("ok") or uri is None:
        return _answer(ls, outcome.result, outcome.message, outcome.message_type)
    try:
        run = await RUNS.start(uri, runnable_file(ls, uri))
    except RunRefused as refused:
        return _answer(ls, {"ok": False, "reason": str(refused)}, str(refused), types.MessageType.Error)
    ls.window_log_message(
        types.LogMessageParams(types.MessageType.Info, f"run of {run.config} started (pid {run.process.pid})")
    )
    return {**outcome.result, "pid": run.process.pid, "progressToken": run.token}


@server.command(commands.CANCEL_RUN)
@guarded
def cancel_run(ls: OliveServer, *args: Any) -> dict[str, Any]:
    uri = commands.uri_argument(args)
    if uri is None or not RUNS.cancel(uri):
        return {"ok": False, "reason": "no run of this config is in progress"}
    return {"ok": True}


@server.command(commands.RUN_HISTORY)
@guarded
def run_history(ls: OliveServer, *args: Any) -> dict[str, Any]:
    """The config's past runs (their summaries, newest first) and whether one is running now."""
    uri = commands.uri_argument(args)
    if uri is None or not uri.startswith("file:"):
        return {"ok": False, "reason": "Run history needs the file URI of an Olive config."}
    path = Path(to_fs_path(uri) or "")
    output = history.output_dir(_config_object(ls, uri, path), path.parent)
    active = RUNS.running(uri)
    running = active is not None and active.ended is None  # after run_end the process may take a moment to exit
    return {"ok": True, "outputDir": str(output), "runs": history.past_runs(output), "running": running}


@server.feature(types.WINDOW_WORK_DONE_PROGRESS_CANCEL)
@guarded
def progress_cancelled(ls: OliveServer, params: types.WorkDoneProgressCancelParams) -> None:
    RUNS.cancel_token(str(params.token))


@server.feature(types.SHUTDOWN)
@guarded
def shutdown(ls: OliveServer, *args: Any) -> None:
    RUNS.stop_all()


def runnable_file(ls: OliveServer, uri: str) -> Path:
    """The config file the runner will read; refuses what it would not run as the user sees it."""
    if not ls.client_facts.runs_allowed:
        raise RunRefused(UNTRUSTED)
    name = commands.file_name(uri)
    if not uri.startswith("file:"):
        raise RunRefused(f"{name} is not saved to a file yet: save it, then run it.")
    path = Path(to_fs_path(uri) or "")
    try:
        on_disk = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise RunRefused(f"{name} is not saved on disk ({path}): save it, then run it.") from exc
    except OSError as exc:
        raise RunRefused(f"cannot read {path}: {exc.strerror or exc}") from exc
    if uri in ls.workspace.text_documents and ls.workspace.get_text_document(uri).source != on_disk:
        raise RunRefused(f"{name} has unsaved changes, and a run reads the file on disk: save it, then run it.")
    return path


def _config_object(ls: OliveServer, uri: str, path: Path) -> dict[str, Any]:
    """The config as JSON: the open document's analysed tree (already parsed), else the file; {} when neither
    gives an object (defaults apply)."""
    if uri in ls.workspace.text_documents:
        root = ls.analysis(uri).tree.root
        value = root.to_python() if root is not None else None
    else:
        try:
            value = json.loads(path.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            return {}
    return value if isinstance(value, dict) else {}


def _answer(ls: OliveServer, result: dict[str, Any], message: str, kind: types.MessageType) -> dict[str, Any]:
    if message:
        ls.window_show_message(types.ShowMessageParams(type=kind, message=message))
    return result
