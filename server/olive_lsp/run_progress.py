"""What a run's work-done progress says: a percentage and a one-line message, from its event stream.

Every LSP client can show ``$/progress`` (VS Code in its status bar, Neovim in
its statusline plugins), so this turns the runner's events into the one line a
user glances at: which pass of how many, the fine-tune's step and loss, which
model is being evaluated.  Pure: the relay feeds it events and sends what it
returns; tests feed it recorded streams.
"""

from __future__ import annotations

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
    last: ProgressLine | None = None

    def update(self, event: dict[str, Any]) -> ProgressLine | None:
        """The new progress line after ``event``; None when it would say the same as the last one."""
        handler = _HANDLERS.get(str(event.get("type")))
        if handler is None:
            return None
        handler(self, event)
        line = ProgressLine(self.message(), self.percentage())
        if line == self.last:
            return None
        self.last = line
        return line

    def percentage(self) -> int:
        units = len(self.passes) + 1  # the last unit: publishing the model and evaluating it
        done = self.finished + self.fraction
        if self.eval_stages:
            done = len(self.passes) + self.eval_done / len(self.eval_stages)
        return max(0, min(100, int(100 * done / units)))

    def message(self) -> str:
        if self.eval_stages:
            stage = self.eval_stages[min(self.eval_done, len(self.eval_stages) - 1)]
            return f"evaluating {stage} ({min(self.eval_done + 1, len(self.eval_stages))}/{len(self.eval_stages)})"
        if not self.current:
            return "starting"
        position = f"{min(self.finished + 1, len(self.passes))}/{len(self.passes)}" if self.passes else ""
        kind = f" ({self.current_type})" if self.current_type and self.current_type != self.current else ""
        detail = f": {self.detail}" if self.detail else ""
        return f"{self.current}{kind} {position}{detail}".replace("  ", " ").strip()


def _on_run_start(progress: RunProgress, event: dict[str, Any]) -> None:
    passes = event.get("passes")
    entries = passes if isinstance(passes, list) else []
    progress.passes = [str(p.get("name", "?")) for p in entries if isinstance(p, dict)]


def _on_pass_start(progress: RunProgress, event: dict[str, Any]) -> None:
    progress.current = str(event.get("pass_name") or "")
    progress.current_type = str(event.get("pass_type") or "")
    progress.fraction = 0.0
    progress.detail = ""
    index = event.get("index")
    if isinstance(index, int) and index >= 0:
        progress.finished = index


def _on_train_step(progress: RunProgress, event: dict[str, Any]) -> None:
    step, total, loss = event.get("step"), event.get("max_steps"), event.get("loss")
    if not isinstance(step, int | float) or not isinstance(total, int | float) or total <= 0:
        return
    progress.fraction = max(0.0, min(1.0, step / total))
    progress.detail = f"step {int(step)}/{int(total)}"
    if isinstance(loss, int | float):
        progress.detail += f", loss {loss:.3f}"


def _on_pass_end(progress: RunProgress, event: dict[str, Any]) -> None:
    if event.get("status") in ("done", "cached"):
        progress.finished += 1
        progress.fraction = 0.0
        progress.detail = str(event["status"]) if event.get("status") == "cached" else ""


def _on_eval_start(progress: RunProgress, event: dict[str, Any]) -> None:
    stages = event.get("stages")
    progress.eval_stages = [str(s) for s in stages] if isinstance(stages, list) and stages else ["models"]
    progress.finished = len(progress.passes)
    progress.eval_done = 0


def _on_metrics(progress: RunProgress, event: dict[str, Any]) -> None:
    if progress.eval_stages:
        progress.eval_done = min(progress.eval_done + 1, len(progress.eval_stages))


_HANDLERS = {
    "run_start": _on_run_start,
    "pass_start": _on_pass_start,
    "train_step": _on_train_step,
    "pass_end": _on_pass_end,
    "eval_start": _on_eval_start,
    "metrics": _on_metrics,
}
