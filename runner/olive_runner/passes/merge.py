"""MergeAdapterWeights: fold a LoRA adapter into the base model's weights and save a plain Hugging Face model.

Exporters such as ModelBuilder take a single set of weights, so the adapter from LoRA/QLoRA is merged
(``merge_and_unload``) and the result written as safetensors with the tokenizer next to it.

After QLoRA the adapter was trained against a 4-bit base, but it is merged into the base loaded in its
normal precision: that is the usual practice, and the result is a plain model ModelBuilder can convert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from olive_events.contract import LogLevel

from olive_runner.passes.base import ModelArtifact, PassContext, PassError

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "tokenizer.model", "vocab.json")


def run(ctx: PassContext) -> ModelArtifact:
    """Load base + adapter, merge, save to ctx.output_dir; the output has no adapter."""
    adapter_path = _check_input(ctx)
    base = _load_base(ctx)
    merged = _merge(ctx, base, adapter_path)
    _save(ctx, merged, _tokenizer_source(ctx, adapter_path))
    load_kwargs = {key: value for key, value in ctx.input.load_kwargs.items() if key != "quantization_config"}
    return ModelArtifact(
        kind="hf", path=ctx.output_dir, trust_remote_code=ctx.input.trust_remote_code, load_kwargs=load_kwargs
    )


def _log(ctx: PassContext, message: str, level: LogLevel = "info", **fields: Any) -> None:
    ctx.events.log(message, level=level, pass_name=ctx.name, **fields)


def _check_input(ctx: PassContext) -> Path:
    if ctx.input.kind != "hf":
        raise PassError(f"{ctx.name}: MergeAdapterWeights takes a Hugging Face model, but its input is ONNX.")
    if ctx.input.adapter_path is None:
        raise PassError(
            f"{ctx.name}: the input model has no adapter to merge. MergeAdapterWeights needs a LoRA or QLoRA "
            "pass before it in the passes list (or remove this pass)."
        )
    adapter_path = Path(ctx.input.adapter_path)
    if not (adapter_path / "adapter_config.json").is_file():
        raise PassError(f"{ctx.name}: {adapter_path} is not a peft adapter folder (no adapter_config.json in it).")
    return adapter_path


def _load_base(ctx: PassContext) -> Any:
    """The base model in the precision it was saved in ("auto"), unless load_kwargs say otherwise."""
    from transformers import AutoModelForCausalLM

    kwargs = {k: v for k, v in ctx.input.load_kwargs.items() if k not in ("quantization_config", "device_map")}
    kwargs.setdefault("dtype", kwargs.pop("torch_dtype", "auto"))
    if ctx.input.quantized or "quantization_config" in ctx.input.load_kwargs:
        _log(ctx, "The adapter was trained on a 4-bit base; merging it into the full-precision base weights.")
    try:
        model = AutoModelForCausalLM.from_pretrained(
            str(ctx.input.path), trust_remote_code=ctx.input.trust_remote_code, **kwargs
        )
    except OSError as error:
        raise PassError(f"{ctx.name}: cannot load the base model {ctx.input.path}: {error}") from error
    return model


def _merge(ctx: PassContext, base: Any, adapter_path: Path) -> Any:
    from peft import PeftModel

    try:
        model = PeftModel.from_pretrained(base, str(adapter_path))
    except (ValueError, RuntimeError, KeyError) as error:
        raise PassError(
            f"{ctx.name}: the adapter {adapter_path} does not fit the base model {ctx.input.path}: {error}"
        ) from error
    merged = model.merge_and_unload()
    _log(ctx, f"Merged adapter {adapter_path} into {ctx.input.path}.", adapter_path=str(adapter_path))
    return merged


def _tokenizer_source(ctx: PassContext, adapter_path: Path) -> Path:
    """The adapter folder when the LoRA pass saved the tokenizer there (with its pad token), else the base."""
    if any((adapter_path / name).is_file() for name in TOKENIZER_FILES):
        return adapter_path
    return Path(ctx.input.path)


def _save(ctx: PassContext, model: Any, tokenizer_source: Path) -> None:
    from transformers import AutoTokenizer

    if not getattr(model.config, "architectures", None):
        model.config.architectures = [type(model).__name__]  # ModelBuilder reads architectures[0]
    model.save_pretrained(str(ctx.output_dir))  # safetensors (the only format in transformers 5)
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_source), trust_remote_code=ctx.input.trust_remote_code)
    tokenizer.save_pretrained(str(ctx.output_dir))
    _log(ctx, f"Merged model saved to {ctx.output_dir}.", path=str(ctx.output_dir))
