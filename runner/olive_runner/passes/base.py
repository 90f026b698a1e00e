"""What a pass gets and returns: the contract between the engine and each pass module.

A pass is ``run(ctx: PassContext) -> ModelArtifact``: it reads its input model
and parameters from the context, writes only under ``ctx.output_dir`` (the
engine moves that folder into the cache atomically when the pass returns),
reports progress through ``ctx.events``, and imports its heavy libraries inside
``run`` so that importing the runner stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from olive_events.sink import EventSink

ArtifactKind = Literal["hf", "onnx"]


@dataclass(frozen=True)
class ModelArtifact:
    """A model on disk: a Hugging Face folder (optionally with a LoRA adapter) or an ONNX Runtime GenAI folder."""

    kind: ArtifactKind
    path: Path
    adapter_path: Path | None = None
    trust_remote_code: bool = False
    load_kwargs: dict[str, Any] = field(default_factory=dict)
    quantized: str | None = None  # e.g. "nf4" after QLoRA (the model builder cannot take such a model to int4)


@dataclass
class PassContext:
    name: str  # the pass's key in the config, e.g. "lora"
    type: str  # canonical pass type, e.g. "LoRA"
    params: dict[str, Any]  # effective parameters (nested config merged over flat ones), defaults not filled in
    input: ModelArtifact
    output_dir: Path  # empty folder the pass writes to
    checkpoint_dir: Path  # kept across interrupted runs of the same pass (training checkpoints)
    config_dir: Path  # the config's folder: relative paths resolve from here
    data_configs: dict[str, dict[str, Any]]  # by name, in the current (0.13) form
    events: EventSink
    accelerator: str = "cpu"  # "cpu" or "cuda"
    olive_version: str | None = None  # the release the config was migrated to; None: the newest known
    extras: dict[str, Any] = field(default_factory=dict)


PassRun = Callable[[PassContext], ModelArtifact]


class PassError(RuntimeError):
    """A pass failed for a reason the user can act on; the message says what and how to fix it."""
