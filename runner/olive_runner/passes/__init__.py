"""The passes the runner can execute, by canonical Olive pass type.

Modules are imported only when a pass runs; the engine refuses other pass
types up front, naming these.
"""

from __future__ import annotations

import importlib

from olive_runner.passes.base import PassRun

MODULES = {
    "LoRA": "olive_runner.passes.lora",
    "QLoRA": "olive_runner.passes.lora",
    "MergeAdapterWeights": "olive_runner.passes.merge",
    "ModelBuilder": "olive_runner.passes.model_builder",
}


def runnable() -> list[str]:
    return list(MODULES)


def load(pass_type: str) -> PassRun:
    """The ``run`` function of a pass module (``run_qlora`` for QLoRA, which shares LoRA's module)."""
    module = importlib.import_module(MODULES[pass_type])
    function: PassRun = getattr(module, "run_qlora" if pass_type == "QLoRA" else "run")
    return function
