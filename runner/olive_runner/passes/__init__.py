"""The native passes: one declaration per pass type, read by the engine, the evaluation, the pre-flight and docs.

To add a pass, write its module (``run(ctx) -> ModelArtifact``, see ``base.py``), give it a settings class in
``settings.py`` if it has parameters, and add one ``RunnablePass`` to ``REGISTRY``. Nothing else lists pass
types: the engine looks passes up here, the evaluation asks ``trains`` which model is the fine-tuned one, the
pre-flight asks ``accelerators`` whether a pass can run on this machine, and docs/runner.md's table is
checked against ``REGISTRY`` by a test.

Modules are imported only when a pass runs, so importing the runner stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from olive_runner.passes.base import PassContext, PassRun
from olive_runner.passes.settings import LoraSettings, ModelBuilderSettings, NoSettings, Warn, parameter_names, read

Output = Literal["adapter", "hf", "onnx"]


@dataclass(frozen=True)
class RunnablePass:
    """A pass type the native runner executes."""

    pass_type: str  # canonical Olive pass type
    entry: str  # "module:function" that runs it
    settings: type  # typed parameters, defaults from the catalog (settings.py)
    trains: bool  # fine-tunes a model: the evaluation measures the model after it, events carry train_step
    output: Output  # adapter (the input model plus a LoRA adapter), hf (a Hugging Face folder), onnx
    accelerators: tuple[str, ...]  # where it can run: "cpu", "cuda"
    summary: str  # one line for docs
    needs: str = ""  # what to tell a user whose machine lacks the hardware (when accelerators has no "cpu")

    def load(self) -> PassRun:
        module, function = self.entry.split(":")
        run: PassRun = getattr(importlib.import_module(module), function)
        return run

    def read_settings(self, ctx: PassContext, warn: Warn) -> Any:
        """The pass's parameters from ``ctx`` as its settings class, at the run's release."""
        siblings = {name: parameter_names(name, ctx.olive_version) for name in REGISTRY}
        return read(self.settings, self.pass_type, ctx.params, warn, ctx.olive_version, siblings=siblings)


REGISTRY: Mapping[str, RunnablePass] = {
    p.pass_type: p
    for p in (
        RunnablePass(
            pass_type="LoRA",
            entry="olive_runner.passes.lora:run",
            settings=LoraSettings,
            trains=True,
            output="adapter",
            accelerators=("cpu", "cuda"),
            summary="trains a LoRA adapter with peft and the transformers Trainer (resumable)",
        ),
        RunnablePass(
            pass_type="QLoRA",
            entry="olive_runner.passes.lora:run_qlora",
            settings=LoraSettings,
            trains=True,
            output="adapter",
            accelerators=("cuda",),
            summary="LoRA on a 4-bit (bitsandbytes) base model; needs a CUDA GPU",
            needs="QLoRA needs a CUDA GPU for 4-bit training; use LoRA on this machine, or run on a GPU/Azure ML",
        ),
        RunnablePass(
            pass_type="MergeAdapterWeights",
            entry="olive_runner.passes.merge:run",
            settings=NoSettings,
            trains=False,
            output="hf",
            accelerators=("cpu", "cuda"),
            summary="folds the adapter into the base weights",
        ),
        RunnablePass(
            pass_type="ModelBuilder",
            entry="olive_runner.passes.model_builder:run",
            settings=ModelBuilderSettings,
            trains=False,
            output="onnx",
            accelerators=("cpu", "cuda"),
            summary="builds an ONNX Runtime GenAI model (int4/int8/fp32 on CPU, also fp16/bf16 on CUDA)",
        ),
    )
}


def runnable() -> list[str]:
    return list(REGISTRY)


def find(pass_type: str) -> RunnablePass | None:
    return REGISTRY.get(pass_type)
