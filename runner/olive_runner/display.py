"""The human view of a run, drawn from its events: a line per pass, a bar while training, a table at the end."""

from __future__ import annotations

from typing import IO, Any

from tqdm import tqdm


class ProgressDisplay:
    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.bar: tqdm[Any] | None = None
        self.metrics: dict[str, dict[str, Any]] = {}

    def on_event(self, event: dict[str, Any]) -> None:
        handler = getattr(self, "_" + str(event.get("type")), None)
        if handler is not None:
            handler(event)

    def _run_start(self, event: dict[str, Any]) -> None:
        names = " -> ".join(f"{p['name']} ({p['type']})" for p in event.get("passes", []))
        self._line(f"Olive Studio run: {names}")
        for step in event.get("migrated") or []:
            self._line(f"  migrated in memory: {step}")

    def _pass_start(self, event: dict[str, Any]) -> None:
        self._line(f"[{event['index'] + 1}/{event['total']}] {event['pass_name']} ({event['pass_type']}) ...")

    def _train_step(self, event: dict[str, Any]) -> None:
        if self.bar is None:
            self.bar = tqdm(
                total=event.get("max_steps") or None,
                file=self.out,
                desc="  training",
                unit="step",
                leave=False,
                dynamic_ncols=True,
            )
        self.bar.n = int(event.get("step", 0))
        if event.get("loss") is not None:
            self.bar.set_postfix(loss=f"{event['loss']:.4f}", lr=f"{event.get('learning_rate', 0):.2e}")
        self.bar.refresh()

    def _pass_end(self, event: dict[str, Any]) -> None:
        self._close_bar()
        self._line(f"    {event['status']} in {event.get('duration_s', 0):.1f} s")

    def _log(self, event: dict[str, Any]) -> None:
        if event.get("level") in ("warning", "error"):
            self._line(f"    {event['level']}: {event.get('message')}")

    def _error(self, event: dict[str, Any]) -> None:
        self._line(f"    error in {event.get('pass_name')}: {event.get('message')}")

    def _metrics(self, event: dict[str, Any]) -> None:
        self.metrics[str(event["stage"])] = event

    def _run_end(self, event: dict[str, Any]) -> None:
        self._close_bar()
        if self.metrics:
            self._table()
        self._line(f"Run {event['status']} in {event.get('duration_s', 0):.1f} s; summary: {event.get('summary')}")

    def _table(self) -> None:
        self._line(f"{'model':<18}{'accuracy':>10}{'size (MB)':>12}{'tokens/s':>10}")
        for stage, values in self.metrics.items():
            accuracy = values.get("accuracy")
            speed = values.get("gen_tokens_per_s")
            self._line(
                f"{stage:<18}{(f'{accuracy:.3f}' if accuracy is not None else '-'):>10}"
                f"{values.get('size_bytes', 0) / 1e6:>12.1f}{(f'{speed:.1f}' if speed else '-'):>10}"
            )

    def _close_bar(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None

    def _line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=self.out)
        else:
            print(text, file=self.out, flush=True)

    def close(self) -> None:
        self._close_bar()
