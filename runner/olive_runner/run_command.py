"""``olive-studio run CONFIG``: run a workflow, show its progress, write its events.

Exit status: 0 the run completed, 1 a pass failed, 2 the config cannot run
(nothing was loaded or written; the findings say why), 130 the run was cancelled
(Ctrl+C, or SIGTERM: what the editor sends when the user presses Cancel).
"""

from __future__ import annotations

import os
import signal
import sys
import warnings
from pathlib import Path
from typing import IO, Any

from olive_events.contract import RunEnd
from olive_events.sink import EventSink

from olive_runner.display import ProgressDisplay
from olive_runner.engine import ConfigRefused, RunOptions, execute, plan

EXIT_OK, EXIT_FAILED, EXIT_REFUSED, EXIT_CANCELLED = 0, 1, 2, 130
EXIT_CODES = {"completed": EXIT_OK, "cancelled": EXIT_CANCELLED}


def run_run(
    config: str,
    output_dir: str | None = None,
    cache_dir: str | None = None,
    events: str | None = None,
    events_fd: int | None = None,
    evaluate: bool = True,
    accelerator: str = "cpu",
    quiet: bool = False,
) -> int:
    options = RunOptions(
        config=Path(config),
        output_dir=Path(output_dir).resolve() if output_dir else None,
        cache_dir=Path(cache_dir).resolve() if cache_dir else None,
        evaluate=evaluate,
        accelerator=accelerator,
    )
    _quiet_libraries()
    signal.signal(signal.SIGTERM, _interrupt)
    stream = _event_stream(events, events_fd)
    human = sys.stderr if stream is sys.stdout else sys.stdout
    sink = EventSink(stream, run_id=os.urandom(4).hex())
    try:
        run = plan(options)
    except ConfigRefused as refused:
        sink.emit(RunEnd(status="refused", problems=refused.problems))
        for problem in refused.problems:
            print(problem, file=sys.stderr)
        return EXIT_REFUSED
    display = None if quiet else ProgressDisplay(human)
    if display is not None:
        sink.listeners.append(display.on_event)
    try:
        summary = execute(run, sink, options)
    finally:
        if display is not None:
            display.close()
        if stream not in (None, sys.stdout):
            stream.close()
    return EXIT_CODES.get(summary["status"], EXIT_FAILED)


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends the run the way Ctrl+C does: the engine records it as cancelled and exits cleanly."""
    raise KeyboardInterrupt


def _quiet_libraries() -> None:
    """The ML libraries' own progress bars and advisories would drown the run's display; events say what matters."""
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="torch")


def _event_stream(path: str | None, fd: int | None) -> IO[str] | Any:
    if fd is not None:
        return os.fdopen(fd, "w", buffering=1)
    if path == "-":
        return sys.stdout
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return open(path, "w", encoding="utf-8", buffering=1)
    return None
