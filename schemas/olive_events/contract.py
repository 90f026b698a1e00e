"""The run-event contract: every event type a run may emit, declared once.

A run (native, through Olive, or remote on Azure ML) is a stream of JSON lines. Each line is an *envelope*
(``v``, ``type``, ``time``, ``run_id``, ``progress``) around the fields of one event type below. This module is
the single declaration of those types: producers build them (``EventSink.emit(PassStart(...))``, so mypy checks
every field), and the JSON Schema (``schema.py``), docs/events.md's tables and the extension's TypeScript types
(``render.py``) are generated from it. Adding an event type means adding a class here and to ``EVENT_TYPES``.

Versioning: ``v`` in the envelope is the major version (``MAJOR``); a reader skips events of a major it does not
know. Within a major, additions (a new type, a new optional field) raise ``MINOR`` and record it in ``since``;
readers ignore types and fields they do not know, so older readers keep working with newer streams.
"""

# ruff: noqa: RUF009 - every field is declared through required()/optional(), which only attach its docs

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

MAJOR = 1
MINOR = 1
VERSION = f"{MAJOR}.{MINOR}"

LogLevel = Literal["debug", "info", "warning", "error"]
PassStatus = Literal["done", "cached", "failed", "cancelled"]
RunStatus = Literal["completed", "failed", "refused", "cancelled"]
ModelKind = Literal["hf", "onnx"]


def required(doc: str) -> Any:
    """A field every event of its type carries."""
    return field(metadata={"doc": doc})


def optional(doc: str, since: str = "1.0") -> Any:
    """A field that may be absent (absent and null mean the same); ``since`` is the version that added it."""
    return field(default=None, metadata={"doc": doc, "since": since})


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event type: ``TYPE`` is its ``type`` on the wire, ``WHEN`` says when it is emitted."""

    TYPE: ClassVar[str] = ""
    WHEN: ClassVar[str] = ""
    SINCE: ClassVar[str] = "1.0"


@dataclass(frozen=True, kw_only=True)
class PassRef:
    """A pass of the pipeline, as ``run_start`` lists them."""

    name: str = required("the pass's key in the config's `passes`")
    type: str = required("its canonical Olive pass type, e.g. `LoRA`")


@dataclass(frozen=True, kw_only=True)
class Progress:
    """How far the run is; computed once (``olive_events.progress``) and carried on every event."""

    percentage: int = required("0 to 100")
    message: str = required("one line, e.g. `lora (LoRA) 1/3: step 40/60, loss 1.234`")


@dataclass(frozen=True, kw_only=True)
class RunStart(Event):
    TYPE = "run_start"
    WHEN = "once, after the pre-flight check"
    config: str = required("path of the config file")
    olive_version: str = required("the Olive release the config was checked and migrated against")
    passes: list[PassRef] = required("the passes in pipeline order")
    output_dir: str = required("where the final model and `run_summary.json` go")
    cache_dir: str = required("where pass outputs are cached")
    migrated: list[str] = required("the in-memory migration steps of an old-format config (empty when none)")


@dataclass(frozen=True, kw_only=True)
class PassStart(Event):
    TYPE = "pass_start"
    WHEN = "before each pass"
    pass_name: str = required("the pass's key in the config")
    pass_type: str = required("its canonical pass type")
    index: int = required("0-based position in the pipeline")
    total: int = required("number of passes")


@dataclass(frozen=True, kw_only=True)
class TrainStep(Event):
    TYPE = "train_step"
    WHEN = "every logging step of a fine-tune; on evaluation steps `loss` is null and `eval_loss` is set"
    pass_name: str = required("the fine-tuning pass")
    step: int = required("optimizer step")
    max_steps: int = required("steps of the whole fine-tune")
    loss: float | None = required("training loss at this step (null on evaluation steps)")
    learning_rate: float | None = optional("learning rate at this step")
    epoch: float | None = optional("fractional epoch")
    tokens_seen: int | None = optional("input tokens trained on so far")
    eval_loss: float | None = optional("loss on the evaluation data (evaluation steps)")


@dataclass(frozen=True, kw_only=True)
class Log(Event):
    TYPE = "log"
    WHEN = "notable decisions, warnings and tool output; the relay adds the runner's printed lines"
    level: LogLevel = required("`debug`, `info`, `warning` or `error`")
    message: str = required("the text")
    pass_name: str | None = optional("the pass it is about")
    source: str | None = optional("who printed it: `model_builder` (the builder's output), `runner-output` (relay)")
    step: int | None = optional("training step it refers to (checkpoints, resume)")
    path: str | None = optional("a file or folder it refers to")
    checkpoint: str | None = optional("checkpoint folder a fine-tune resumes from")
    adapter_path: str | None = optional("adapter folder saved or merged")
    torch_dtype: str | None = optional("dtype training runs in, when the runner changed it")
    target_modules: list[str] | None = optional("layers a LoRA adapter was put on")
    trainable_params: int | None = optional("parameters a fine-tune trains")
    train_runtime: float | None = optional("end of a fine-tune: seconds of training")
    train_loss: float | None = optional("end of a fine-tune: average training loss")
    tokens: int | None = optional("end of a fine-tune: tokens trained on in this run")
    tokens_per_second: float | None = optional("end of a fine-tune: training throughput")


@dataclass(frozen=True, kw_only=True)
class PassEnd(Event):
    TYPE = "pass_end"
    WHEN = "after each pass"
    pass_name: str = required("the pass's key in the config")
    status: PassStatus = required("`done`, `cached` (reused from the cache), `failed` or `cancelled`")
    duration_s: float = required("seconds the pass took")
    artifact: str | None = optional("path of its output (not for failed or cancelled passes)")


@dataclass(frozen=True, kw_only=True)
class ErrorEvent(Event):
    TYPE = "error"
    WHEN = "a pass failed (followed by its `pass_end` and the `run_end`)"
    pass_name: str = required("the pass that failed")
    message: str = required("what went wrong and how to fix it")


@dataclass(frozen=True, kw_only=True)
class Artifact(Event):
    TYPE = "artifact"
    WHEN = "the final model was published under `output_dir/model`"
    role: str = required("`output_model`")
    kind: ModelKind = required("`hf` or `onnx`")
    path: str = required("where it is")
    size_bytes: int = required("its size on disk")


@dataclass(frozen=True, kw_only=True)
class EvalStart(Event):
    TYPE = "eval_start"
    WHEN = "once, after the final model is published, before its `metrics` events (not with `--no-eval`)"
    stages: list[str] = required("the models about to be measured, in order (`input`, `fine_tuned`, `onnx_int4`...)")


@dataclass(frozen=True, kw_only=True)
class Metrics(Event):
    TYPE = "metrics"
    WHEN = "after the passes, per model measured"
    stage: str = required("`input`, `fine_tuned`, `onnx_int4`, ...")
    kind: ModelKind = required("`hf` or `onnx`")
    size_bytes: int | None = optional("size on disk")
    accuracy: float | None = optional("held-out accuracy, 0..1")
    eval_rows: int | None = optional("held-out rows it was measured on")
    gen_kind: ModelKind | None = optional("the runtime generation was timed with")
    gen_tokens_per_s: float | None = optional("generated tokens per second, prompt processing included")
    gen_generated_tokens: int | None = optional("tokens generated for the speed figure")
    gen_wall_s: float | None = optional("seconds of generation for the speed figure")
    gen_latency_per_token_ms_p50: float | None = optional("median milliseconds between two generated tokens")
    gen_time_to_first_token_ms_p50: float | None = optional("median milliseconds to the first token")
    gen_prompts: int | None = optional("prompts timed")
    gen_max_new_tokens: int | None = optional("tokens generated per prompt")
    gen_load_s: float | None = optional("seconds to load the model")


@dataclass(frozen=True, kw_only=True)
class RunEnd(Event):
    TYPE = "run_end"
    WHEN = "once, last"
    status: RunStatus = required("`completed`, `failed`, `refused` (the config has errors) or `cancelled`")
    duration_s: float | None = optional("seconds the run took")
    summary: str | None = optional("path of `run_summary.json`")
    error: str | None = optional("what went wrong (failed, cancelled)")
    problems: list[str] | None = optional("for `refused`: FILE:LINE:COL lines that say why")
    synthesized: bool | None = optional("true when the relay wrote it because the runner exited without one")


EVENT_TYPES: tuple[type[Event], ...] = (
    RunStart,
    PassStart,
    TrainStep,
    Log,
    PassEnd,
    ErrorEvent,
    Artifact,
    EvalStart,
    Metrics,
    RunEnd,
)
BY_TYPE: dict[str, type[Event]] = {cls.TYPE: cls for cls in EVENT_TYPES}

ENVELOPE: dict[str, str] = {
    "v": f"the events format's major version, `{MAJOR}`; readers skip events of a major version they do not know",
    "type": "one of the types below; readers ignore types they do not know",
    "time": "Unix time in seconds (3 decimals)",
    "run_id": "random id of the run",
    "progress": "`{percentage, message}`: how far the run is after this event (since 1.1; older runners leave it out)",
}
