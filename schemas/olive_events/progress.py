"""How far a run is: a percentage and a one-line message, from its event stream. Computed here only.

``EventSink`` folds every event it emits through a ``RunProgress`` and writes the result into the event's
``progress`` field, so every reader shows the same numbers: the CLI, the language server's ``$/progress`` (VS Code
in its status bar, Neovim in its statusline plugins) and the results panel. The line is what a user glances at:
which pass of how many, the fine-tune's step and loss, which model is being evaluated. Pure: tests feed it
recorded streams.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ProgressLine:
    message: str
    percentage: int


@dataclass
class RunProgress:
    """The state of one run as far as its progress line needs it.

    Each pass counts as one unit of work and the end of the run (publishing
    and evaluating the models) as one more; a fine-tune fills its unit step
    by step, evaluation stage by stage.
    """

    passes: list[str] = field(default_factory=list)
    finished: int = 0
    current: str = ""
    current_type: str = ""
    fraction: float = 0.0
    detail: str = ""
    eval_stages: list[str] = field(default_factory=list)
    eval_done: int = 0
    ended: str = ""
    stopped_at: int = 0
    last: ProgressLine | None = None

    def update(self, event: Mapping[str, Any]) -> ProgressLine | None:
        """The new progress line after ``event``; None when it would say the same as the last one."""
        before = self.last
        line = self.observe(event)
        return None if line == before else line

    def observe(self, event: Mapping[str, Any]) -> ProgressLine:
        """Fold ``event`` in and return the line as it stands now (changed or not)."""
        handler = _HANDLERS.get(str(event.get("type")))
        if handler is not None:
            handler(self, event)
        self.last = ProgressLine(self.message(), self.percentage())
        return self.last

    def percentage(self) -> int:
        if self.ended:
            return 100 if self.ended == "completed" else self.stopped_at
        units = len(self.passes) + 1  # the last unit: publishing the model and evaluating it
        done = self.finished + self.fraction
        if self.eval_stages:
            done = len(self.passes) + self.eval_done / len(self.eval_stages)
        return max(0, min(100, int(100 * done / units)))

    def message(self) -> str:
        if self.ended:
            return f"run {self.ended}"
        if self.eval_stages:
            stage = self.eval_stages[min(self.eval_done, len(self.eval_stages) - 1)]
            return f"evaluating {stage} ({min(self.eval_done + 1, len(self.eval_stages))}/{len(self.eval_stages)})"
        if not self.current:
            return "starting"
        position = f"{min(self.finished + 1, len(self.passes))}/{len(self.passes)}" if self.passes else ""
        kind = f" ({self.current_type})" if self.current_type and self.current_type != self.current else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.current}{kind} {position}{detail}".replace("  ", " ").strip()


def _on_run_start(progress: RunProgress, event: Mapping[str, Any]) -> None:
    fresh = RunProgress()  # a run_start begins a new run: nothing of an earlier one counts
    for name in ("finished", "current", "current_type", "fraction", "detail", "eval_stages", "eval_done", "ended"):
        setattr(progress, name, getattr(fresh, name))
    passes = event.get("passes")
    entries = passes if isinstance(passes, list) else []
    progress.passes = [str(p.get("name", "?")) for p in entries if isinstance(p, dict)]


def _on_pass_start(progress: RunProgress, event: Mapping[str, Any]) -> None:
    progress.current = str(event.get("pass_name") or "")
    progress.current_type = str(event.get("pass_type") or "")
    progress.fraction = 0.0
    progress.detail = ""
    index = event.get("index")
    if isinstance(index, int) and index >= 0:
        progress.finished = index


def _on_train_step(progress: RunProgress, event: Mapping[str, Any]) -> None:
    step, total, loss = event.get("step"), event.get("max_steps"), event.get("loss")
    if not isinstance(step, int | float) or not isinstance(total, int | float) or total <= 0:
        return
    progress.fraction = max(0.0, min(1.0, step / total))
    progress.detail = f"step {int(step)}/{int(total)}"
    if isinstance(loss, int | float):
        progress.detail += f", loss {loss:.3f}"


def _on_pass_end(progress: RunProgress, event: Mapping[str, Any]) -> None:
    if event.get("status") in ("done", "cached"):
        progress.finished += 1
        progress.fraction = 0.0
        progress.detail = str(event["status"]) if event.get("status") == "cached" else ""


def _on_eval_start(progress: RunProgress, event: Mapping[str, Any]) -> None:
    stages = event.get("stages")
    progress.eval_stages = [str(s) for s in stages] if isinstance(stages, list) and stages else ["models"]
    progress.finished = len(progress.passes)
    progress.eval_done = 0


def _on_metrics(progress: RunProgress, event: Mapping[str, Any]) -> None:
    if progress.eval_stages:
        progress.eval_done = min(progress.eval_done + 1, len(progress.eval_stages))


def _on_run_end(progress: RunProgress, event: Mapping[str, Any]) -> None:
    progress.stopped_at = progress.percentage()
    progress.ended = str(event.get("status") or "ended")


_HANDLERS = {
    "run_start": _on_run_start,
    "pass_start": _on_pass_start,
    "train_step": _on_train_step,
    "pass_end": _on_pass_end,
    "eval_start": _on_eval_start,
    "metrics": _on_metrics,
    "run_end": _on_run_end,
}
