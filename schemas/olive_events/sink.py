"""The one place that turns an event into its envelope and writes it.

A producer hands ``EventSink.emit`` an event of ``contract.py``; the sink adds the envelope (version, type,
time, run id, and the run's progress after this event), writes one JSON line when it has a stream, and hands
the dict to its listeners (the CLI display, the language server's relay). Events that arrive already built,
from a runner subprocess or a remote job, go through ``forward``, which folds them into the same progress.

With ``OLIVE_STUDIO_CHECK_EVENTS=1`` (the test suite sets it) every envelope is checked against the contract
before it is written, so a producer that drifts from the declaration fails the tests that run it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

from olive_events.contract import MAJOR, Event, Log, LogLevel
from olive_events.progress import RunProgress

CHECK_ENV = "OLIVE_STUDIO_CHECK_EVENTS"

Listener = Callable[[dict[str, Any]], None]


def checking() -> bool:
    """Whether envelopes are checked against the contract (tests), not only written."""
    return os.environ.get(CHECK_ENV, "") not in ("", "0")


class EventSink:
    """Builds, checks and writes envelopes; tracks the run's progress across them."""

    def __init__(self, stream: IO[str] | None = None, run_id: str = "", check: bool | None = None) -> None:
        self.stream = stream
        self.run_id = run_id
        self.listeners: list[Listener] = []
        self.progress = RunProgress()
        self.check = checking() if check is None else check
        self._lock = threading.Lock()

    def emit(self, event: Event) -> dict[str, Any]:
        """Write ``event`` in its envelope; the envelope is returned."""
        envelope: dict[str, Any] = {
            "v": MAJOR,
            "type": event.TYPE,
            "time": round(time.time(), 3),
            "run_id": self.run_id,
        }
        envelope.update(fields_of(event))
        with self._lock:
            envelope["progress"] = dataclasses.asdict(self.progress.observe(envelope))
            self._publish(envelope)
        return envelope

    def log(self, message: str, level: LogLevel = "info", **context: Any) -> dict[str, Any]:
        """A ``log`` event; ``context`` holds its optional fields (``pass_name``, ``source``, ``step``...)."""
        return self.emit(Log(level=level, message=message, **context))

    def forward(self, envelope: Mapping[str, Any]) -> dict[str, Any]:
        """An event someone else built (a runner subprocess, a remote job): folded into the progress, given the
        progress only when it carries none, and handed to the listeners as it is otherwise."""
        event = dict(envelope)
        with self._lock:
            line = self.progress.observe(event)
            if not isinstance(event.get("progress"), Mapping):
                event["progress"] = dataclasses.asdict(line)
            if isinstance(event.get("run_id"), str) and event["run_id"]:
                self.run_id = event["run_id"]
            self._publish(event)
        return event

    def _publish(self, envelope: dict[str, Any]) -> None:
        if self.check:
            from olive_events.schema import check_event

            check_event(envelope)
        if self.stream is not None:
            self.stream.write(json.dumps(envelope, default=str) + "\n")
            self.stream.flush()
        for listener in self.listeners:
            listener(envelope)


def fields_of(event: Event) -> dict[str, Any]:
    """The event's fields as JSON values; optional fields left at None are left out (absent means null)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        if value is None and f.default is None:
            continue
        out[f.name] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
