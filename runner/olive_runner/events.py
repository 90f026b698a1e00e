"""The run's event stream: versioned JSON lines that every display reads.

The CLI's progress bars, the language server's relay and the editor panel all
consume the same events (docs/events.md), so a new event type is added here,
documented there, and every reader ignores types it does not know.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import IO, Any

EVENTS_VERSION = 1

Listener = Callable[[dict[str, Any]], None]


class EventSink:
    """Writes each event as one JSON line (when given a stream) and hands it to listeners (the CLI display)."""

    def __init__(self, stream: IO[str] | None = None, run_id: str = "") -> None:
        self.stream = stream
        self.run_id = run_id
        self.listeners: list[Listener] = []
        self._lock = threading.Lock()

    def emit(self, event_type: str, /, **fields: Any) -> dict[str, Any]:
        event = {
            "v": EVENTS_VERSION,
            "type": event_type,
            "time": round(time.time(), 3),
            "run_id": self.run_id,
            **fields,
        }
        with self._lock:
            if self.stream is not None:
                self.stream.write(json.dumps(event, default=str) + "\n")
                self.stream.flush()
            for listener in self.listeners:
                listener(event)
        return event

    def log(self, message: str, level: str = "info", **fields: Any) -> None:
        self.emit("log", level=level, message=message, **fields)
