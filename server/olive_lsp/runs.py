"""Runs started from the editor: one ``olive-studio run`` subprocess per config, its events relayed to the client.

The server never imports the ML stack, so a run is a child process of the
same interpreter (``python -m olive_studio run CONFIG --events-fd N``).
Its event stream arrives on a pipe of its own; what it prints on stdout and
stderr (library warnings, a traceback) is relayed as ``log`` events so nothing
is lost.  Every event passes through an ``EventSink`` of the relay's own
(``forward`` for the runner's, ``emit`` for what the relay adds), so each one
carries the run's progress, and goes to the client twice: raw, in the custom
``oliveStudio/runEvent`` notification for rich clients (the VS Code results
panel), and as LSP work-done progress, with the same numbers, for any client.

Cancel sends SIGTERM to the run's process group (the runner records the run
as cancelled and finished passes stay in its cache; the model builder's child
process goes too) and SIGKILL if it is still there after a grace period.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import os
import signal
import sys
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from olive_events.contract import RunEnd
from olive_events.sink import EventSink

RUN_EVENT = "oliveStudio/runEvent"
RUNNER_MODULE = "olive_studio"
RUNNER_PACKAGES = ("torch", "transformers", "peft", "onnxruntime_genai")
CANCEL_GRACE_S = 10.0
OUTPUT_TAIL = 20
EVENT_LINE_LIMIT = 4 * 1024 * 1024
OUTPUT_CHUNK = 64 * 1024
EVENT_LOG_ENV = "OLIVE_STUDIO_EVENT_LOG"  # tests: a file that receives every relayed event, to check them afterwards

Notify = Callable[[str, dict[str, Any]], None]


class RunRefused(Exception):
    """The run cannot start; the message says why and how to fix it."""


class ProgressSink:
    """Where work-done progress goes; the server's implementation sends ``$/progress``, tests record it."""

    async def begin(self, title: str) -> str | None:
        return None

    def report(self, token: str, message: str, percentage: int) -> None:
        return None

    def end(self, token: str, message: str) -> None:
        return None


@dataclass
class ActiveRun:
    uri: str
    config: Path
    process: asyncio.subprocess.Process
    token: str | None
    started: float = field(default_factory=time.time)
    sink: EventSink = field(default_factory=lambda: EventSink(check=False))
    cancelled: bool = False
    ended: dict[str, Any] | None = None
    reported: tuple[str, int] | None = None
    output: deque[str] = field(default_factory=lambda: deque(maxlen=OUTPUT_TAIL))
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Runs:
    """The runs in progress, by document URI: at most one per config."""

    def __init__(
        self,
        notify: Notify,
        progress: ProgressSink,
        on_end: Callable[[ActiveRun], None] | None = None,
        python: str = sys.executable,
    ) -> None:
        self.notify = notify
        self.progress = progress
        self.on_end = on_end
        self.python = python
        self.active: dict[str, ActiveRun] = {}
        self.event_log = os.environ.get(EVENT_LOG_ENV) or None
        self._tasks: set[asyncio.Task[None]] = set()

    def running(self, uri: str) -> ActiveRun | None:
        return self.active.get(uri)

    async def start(self, uri: str, config: Path) -> ActiveRun:
        """Start the runner on ``config``; raises RunRefused when a run of it is already going or cannot start."""
        await self._settle(uri)
        if uri in self.active:
            raise RunRefused(f"{config.name} is already running: cancel that run first, or wait for it to finish.")
        missing_runner(self.python)
        read_fd, write_fd = os.pipe()
        try:
            process = await asyncio.create_subprocess_exec(
                *self.command(config, write_fd),
                cwd=str(config.parent),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
                pass_fds=(write_fd,),
                start_new_session=True,  # its own process group: Cancel reaches the model builder's child too
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        except OSError as exc:
            os.close(read_fd)
            raise RunRefused(f"could not start {self.python} -m {RUNNER_MODULE}: {exc.strerror or exc}") from exc
        finally:
            os.close(write_fd)
        token = await self.progress.begin(f"Olive run: {config.name}")
        run = ActiveRun(uri=uri, config=config, process=process, token=token)
        run.sink.listeners.append(lambda event: self._deliver(run, event))
        self.active[uri] = run
        self._spawn(self._relay(run, read_fd))
        return run

    async def _settle(self, uri: str) -> None:
        """A run that has ended or is being cancelled may take a moment to exit: wait for it, not refuse."""
        previous = self.active.get(uri)
        if previous is not None and (previous.ended is not None or previous.cancelled):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(previous.done.wait(), CANCEL_GRACE_S + 5)

    def command(self, config: Path, events_fd: int) -> list[str]:
        return [self.python, "-m", RUNNER_MODULE, "run", str(config), "--events-fd", str(events_fd), "--quiet"]

    def cancel(self, uri: str) -> bool:
        """Ask the run of ``uri`` to stop; False when none is running."""
        run = self.active.get(uri)
        if run is None or run.cancelled or run.ended is not None or run.process.returncode is not None:
            return False
        run.cancelled = True
        _signal_group(run.process, signal.SIGTERM)
        self._spawn(self._kill_after_grace(run))
        return True

    def cancel_token(self, token: str) -> bool:
        """Cancel the run whose work-done progress the user cancelled."""
        for run in self.active.values():
            if run.token == token:
                return self.cancel(run.uri)
        return False

    def stop_all(self) -> None:
        """On server shutdown: no run may outlive the editor that started it."""
        for run in list(self.active.values()):
            if run.process.returncode is None:
                run.cancelled = True
                _signal_group(run.process, signal.SIGKILL)

    # ---------------------------------------------------------------------------------------------- relay

    async def _relay(self, run: ActiveRun, read_fd: int) -> None:
        try:
            try:
                await asyncio.gather(self._pump_events(run, read_fd), self._pump_output(run))
            except Exception as exc:  # a relay bug must not leave the run without an end
                run.sink.log(f"the relay stopped reading the run: {exc!r}", "error")
            code = await run.process.wait()
        except asyncio.CancelledError:  # the server is exiting: the client is gone, so is the run
            self.active.pop(run.uri, None)
            _signal_group(run.process, signal.SIGKILL)
            run.done.set()
            raise
        if run.ended is None:
            run.sink.emit(_synthesized_end(run, code))
        self.active.pop(run.uri, None)
        run.done.set()
        if self.on_end is not None:
            self.on_end(run)

    async def _pump_events(self, run: ActiveRun, read_fd: int) -> None:
        async for line in _lines_of_fd(read_fd):
            try:
                event = json.loads(line)
            except ValueError:
                event = None
            if isinstance(event, dict) and isinstance(event.get("type"), str):
                run.sink.forward(event)
            else:
                run.sink.log(f"unreadable event from the runner: {line[:200]}", "warning")

    async def _pump_output(self, run: ActiveRun) -> None:
        """What the runner prints, line by line; a carriage return (a bar redrawn in place) ends a line too."""
        stream = run.process.stdout
        if stream is None:
            return
        pending = b""
        while chunk := await stream.read(OUTPUT_CHUNK):
            *complete, pending = (pending + chunk).replace(b"\r", b"\n").split(b"\n")
            if len(pending) > OUTPUT_CHUNK:  # no line end in sight: relay what there is
                complete.append(pending)
                pending = b""
            for raw in complete:
                self._relay_output(run, raw)
        self._relay_output(run, pending)

    def _relay_output(self, run: ActiveRun, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace").rstrip()
        if text:
            run.output.append(text)
            run.sink.log(text, "info", source="runner-output")

    def _deliver(self, run: ActiveRun, event: dict[str, Any]) -> None:
        """Every event of the run, to the client: raw, and as work-done progress with the event's own numbers."""
        if event.get("type") == "run_end":
            run.ended = event
        if self.event_log is not None:
            with open(self.event_log, "a", encoding="utf-8") as record:
                record.write(json.dumps({"uri": run.uri, "event": event}, default=str) + "\n")
        self.notify(RUN_EVENT, {"uri": run.uri, "event": event})
        if run.token is None:
            return
        if run.ended is not None:  # the progress ends with the run, not later when the process has exited
            self.progress.end(run.token, _end_message(run))
            run.token = None
            return
        progress = event.get("progress")
        if not isinstance(progress, dict):
            return
        line = (str(progress.get("message", "")), int(progress.get("percentage") or 0))
        if line != run.reported:
            run.reported = line
            self.progress.report(run.token, *line)

    async def _kill_after_grace(self, run: ActiveRun) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(run.process.wait()), CANCEL_GRACE_S)
            return
        _signal_group(run.process, signal.SIGKILL)

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def missing_runner(python: str) -> None:
    """Refuse early, with the fix, when this interpreter lacks the runner's ML stack (it would fail minutes later)."""
    if python != sys.executable:
        return  # another interpreter: the runner itself reports what it lacks
    missing = [name for name in RUNNER_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        raise RunRefused(
            f"the Python that runs Olive Studio ({python}) lacks {', '.join(missing)}, which runs need. "
            f'Install them with: "{python}" -m pip install "olive-studio[runner]" torch==2.13.0'
        )


async def _lines_of_fd(fd: int) -> AsyncIterator[str]:
    """The lines written to a pipe, until its writer closes it."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=EVENT_LINE_LIMIT)
    pipe = os.fdopen(fd, "rb", buffering=0)
    transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
    try:
        while raw := await reader.readline():
            text = raw.decode("utf-8", "replace").strip()
            if text:
                yield text
    finally:
        transport.close()


def _signal_group(process: asyncio.subprocess.Process, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _synthesized_end(run: ActiveRun, code: int) -> RunEnd:
    """The runner died before saying how its run ended (killed, or crashed outside the engine)."""
    duration = round(time.time() - run.started, 2)
    if run.cancelled:
        return RunEnd(status="cancelled", duration_s=duration, error="cancelled by the user", synthesized=True)
    tail = "\n".join(run.output) or "no output"
    error = f"the runner exited with code {code} before the run ended:\n{tail}"
    return RunEnd(status="failed", duration_s=duration, error=error, synthesized=True)


def _end_message(run: ActiveRun) -> str:
    end = run.ended or {}
    status = str(end.get("status", "ended"))
    duration = end.get("duration_s")
    took = f" in {duration:.0f} s" if isinstance(duration, int | float) else ""
    return f"{run.config.name}: run {status}{took}"


def new_token() -> str:
    return f"olive-run-{uuid.uuid4().hex[:12]}"
