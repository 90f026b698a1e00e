"""ModelBuilder: a Hugging Face model -> an ONNX Runtime GenAI model, through onnxruntime-genai's builder.

The builder runs as a subprocess (``python -m onnxruntime_genai.models.builder``) rather than in-process:
importing it appends its own folder to ``sys.path`` (so modules named ``builders``, ``quantization``... become
importable globally), it loads the whole model with torch, and it prints progress instead of logging. A child
process keeps that memory and those side effects out of the runner, and its output is streamed line by line
into the event stream.

Olive's parameter names differ from the builder's: in onnxruntime-genai 0.18.0 the weight-only quantization
options are ``block_size``, ``accuracy_level``, ``is_symmetric``, ``algo_config``, ``op_types_to_quantize`` and
``nodes_to_exclude`` (its help calls the ``int4_``-prefixed names deprecated aliases, but no code reads them:
an ``int4_block_size=128`` extra option is silently ignored). ``build_extra_options`` does that mapping and is
unit-tested without running the builder.

Two builder behaviours are caught before the build, because they cost a model load or yield a model the runner
cannot use: int4 ``k_quant`` (and asymmetric ``rtn``) quantization crashes when a weight's input width splits
into an odd number of blocks (SmolLM2's 576 with ``block_size`` 64 or 128: its zero points are packed two per
byte), so that is refused with the block sizes that fit; and ``exclude_lm_head`` / ``exclude_embeds`` build a
graph without ``logits`` / ``input_ids``, a component for a larger pipeline that ONNX Runtime GenAI cannot
generate with on its own (nor the runner evaluate), which is said in a warning.
"""

from __future__ import annotations

import collections
import dataclasses
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from olive_events.contract import LogLevel
from olive_events.sink import EventSink
from olive_schema import rule_texts

from olive_runner.passes import REGISTRY
from olive_runner.passes.base import ModelArtifact, PassContext, PassError

BUILDER_MODULE = "onnxruntime_genai.models.builder"

PRECISIONS = ("int4", "int8", "fp16", "bf16", "fp32")

# What the builder itself prints as valid ("Valid precision + execution provider combinations are: ..."),
# restricted to the providers the runner targets. fp16/bf16 on CPU build without complaint, but Olive skips
# the pass for them and ONNX Runtime's CPU provider has no bf16 kernels (the model then fails to load).
VALID_PRECISIONS = {
    "cpu": ("int4", "int8", "fp32"),
    "cuda": ("int4", "int8", "fp16", "bf16", "fp32"),
}

# Olive's weight-only quantization parameters -> the builder's extra option names (0.18.0). They apply to
# int8 as well as int4 (both are MatMulNBits weight-only quantization).
QUANT_OPTIONS = {
    "int4_block_size": "block_size",
    "int4_accuracy_level": "accuracy_level",
    "int4_is_symmetric": "is_symmetric",
    "int4_algo_config": "algo_config",
    "int4_op_types_to_quantize": "op_types_to_quantize",
    "int4_nodes_to_exclude": "nodes_to_exclude",
}

# Olive boolean parameters that are builder extra options of the same name.
FLAG_OPTIONS = (
    "exclude_embeds",
    "exclude_lm_head",
    "enable_cuda_graph",
    "include_hidden_states",
    "use_qdq",
    "use_8bits_moe",
    "use_webgpu_fp32",
    "use_cuda_bf16",
)

BLOCK_SIZES = (16, 32, 64, 128, 256)
ACCURACY_LEVELS = (1, 2, 3, 4)

# How the builder separates list values inside one KEY=VALUE extra option.
LIST_SEPARATORS = {"op_types_to_quantize": "/", "nodes_to_exclude": ","}
# Extra options whose mapping value the builder parses as "key:value,key:value" rather than JSON.
PAIR_LIST_OPTIONS = ("matmul_mixed_precision",)
# Quantization methods whose int4 path packs zero points two per byte along the blocks of a row (rtn_quantize).
PACKED_ZERO_POINT_METHODS = ("k_quant",)
PACKED_ZERO_POINT_IF_ASYMMETRIC = ("rtn",)
# Options that take the generating part out of the graph: fine for a multi-model pipeline, not for generate().
COMPONENT_OPTIONS = {
    "exclude_lm_head": "its output is hidden_states instead of logits",
    "exclude_embeds": "its input is inputs_embeds instead of input_ids",
}

LONGROPE_ARCHITECTURES = ("Phi3ForCausalLM", "Phi3SmallForCausalLM")


def run(ctx: PassContext) -> ModelArtifact:
    """Build the ONNX Runtime GenAI model for ``ctx.params`` into ``ctx.output_dir``."""
    settings = REGISTRY[ctx.type].read_settings(ctx, lambda message, level: ctx.events.log(message, level))
    params = {k: v for k, v in dataclasses.asdict(settings).items() if v is not None}
    ep = execution_provider(ctx.accelerator)
    precision = check_precision(params.get("precision"), ep)
    if params.get("metadata_only"):
        return _run_metadata_only(ctx, precision, ep)
    _check_input(ctx.input, precision)
    config = check_hf_config(ctx.input.path)
    options = build_extra_options(
        params,
        precision=precision,
        adapter_path=ctx.input.adapter_path,
        trust_remote_code=ctx.input.trust_remote_code,
    )
    check_block_layout(config, options, precision)
    _warn_about_options(ctx.events, params, precision, ep, ctx.input)
    _warn_about_components(ctx.events, options)
    cache_dir = ctx.checkpoint_dir / "model_builder_cache"
    command = builder_command(ctx.input.path, ctx.output_dir, cache_dir, precision, ep, options)
    ctx.events.log(f"ModelBuilder: {config['architectures'][0]} -> {precision} ONNX for the {ep} execution provider")
    run_builder(command, ctx.events)
    apply_search_options(ctx.output_dir, params.get("search"))
    copy_hf_metadata(ctx.input.path, ctx.output_dir)
    shutil.rmtree(cache_dir, ignore_errors=True)
    return ModelArtifact(kind="onnx", path=ctx.output_dir)


def execution_provider(accelerator: str) -> str:
    """The builder's ``-e`` value for the runner's accelerator."""
    providers = {"cpu": "cpu", "cuda": "cuda", "gpu": "cuda"}
    if accelerator.lower() not in providers:
        raise PassError(
            f"ModelBuilder: the runner targets CPU or CUDA, not {accelerator!r}; "
            "set the target system's accelerator device to cpu or gpu (CUDAExecutionProvider)."
        )
    return providers[accelerator.lower()]


def check_precision(precision: Any, ep: str) -> str:
    """The precision as the builder spells it, refusing the combinations that do not work for ``ep``."""
    value = str(getattr(precision, "value", precision) or "").lower()
    if value not in PRECISIONS:
        raise PassError(
            f"ModelBuilder: precision must be one of {', '.join(PRECISIONS)}, got {precision!r}. "
            "int4 is the usual choice for on-device CPU models."
        )
    if value not in VALID_PRECISIONS[ep]:
        raise PassError(
            f"ModelBuilder: precision {value} is not available for the {ep} execution provider "
            f"(valid there: {', '.join(VALID_PRECISIONS[ep])}). Olive skips this pass for such a combination; "
            + (
                "ONNX Runtime's CPU provider has no bf16 kernels. "
                if value == "bf16"
                else "fp16 models are meant for GPU targets. "
            )
            + "Use int4 (small, fast) or fp32 (reference quality) on CPU, or target a CUDA system."
        )
    return value


def _check_input(model: ModelArtifact, precision: str) -> None:
    """Refuse inputs the builder cannot take, before spending a minute loading the model."""
    if model.kind != "hf":
        raise PassError(
            "ModelBuilder: builds from a Hugging Face model, but its input is already an ONNX model "
            f"({model.path}). To only (re)write genai_config.json next to an ONNX model, set metadata_only: true."
        )
    if model.quantized and precision == "int4":
        raise PassError(f"ModelBuilder: {rule_texts.qlora_then_int4(None, model.quantized)}")


def check_hf_config(model_dir: Path) -> dict[str, Any]:
    """Read ``config.json`` and refuse what the builder would fail on: no architecture, an unsupported one,
    or a Phi-3 config that silently takes the LongRoPE path without LongRoPE factors."""
    config_path = Path(model_dir) / "config.json"
    if not config_path.is_file():
        raise PassError(
            f"ModelBuilder: {model_dir} has no config.json; the builder needs a Hugging Face model folder "
            "(config.json, weights, tokenizer), e.g. the output of MergeAdapterWeights or save_pretrained."
        )
    try:
        config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PassError(f"ModelBuilder: cannot read {config_path}: {exc}") from exc
    architectures = config.get("architectures") or []
    if not architectures or not isinstance(architectures[0], str):
        raise PassError(
            f'ModelBuilder: {config_path} does not name the model\'s architecture ("architectures": '
            '["LlamaForCausalLM"] for example); the builder chooses its exporter from architectures[0]. '
            "Set config.architectures before save_pretrained, or add the key to config.json."
        )
    architecture = architectures[0]
    supported = supported_architectures()
    if supported and architecture not in supported:
        raise PassError(
            f"ModelBuilder: the ONNX Runtime GenAI builder does not support the architecture {architecture} "
            f"(from {config_path}). Supported: {', '.join(sorted(supported))}."
        )
    _check_longrope(config, config_path)
    _check_vocab_size(config, config_path)
    return config


def _check_vocab_size(config: Mapping[str, Any], config_path: Path) -> None:
    """The builder takes *every* Linear whose out_features equals vocab_size for the LM head.

    A (test) model whose vocabulary is as wide as another projection then gets a silently wrong graph: its
    logits no longer match PyTorch. Real checkpoints never hit this; tiny ones made for tests can.
    """
    vocab = config.get("vocab_size")
    hidden = config.get("hidden_size")
    heads = config.get("num_attention_heads")
    if not isinstance(vocab, int) or not isinstance(hidden, int):
        return
    head_dim = config.get("head_dim") or (hidden // heads if isinstance(heads, int) and heads else None)
    kv_heads = config.get("num_key_value_heads") or heads
    widths = {"hidden_size": hidden, "intermediate_size": config.get("intermediate_size")}
    if isinstance(head_dim, int) and isinstance(heads, int) and isinstance(kv_heads, int):
        widths["the query projection"] = heads * head_dim
        widths["the key/value projections"] = kv_heads * head_dim
    clashes = [name for name, width in widths.items() if width == vocab]
    if clashes:
        raise PassError(
            f"ModelBuilder: vocab_size {vocab} in {config_path} equals the width of {' and '.join(clashes)}. "
            "The builder recognises the LM head as any linear layer with vocab_size outputs, so it would export "
            "a wrong model without an error. Give the model (a test model, surely) a different vocabulary size."
        )


def _check_longrope(config: Mapping[str, Any], config_path: Path) -> None:
    """Phi-3 configs whose context was changed without LongRoPE factors would crash deep in the builder."""
    if config["architectures"][0] not in LONGROPE_ARCHITECTURES:
        return
    default = 4096  # transformers' Phi3Config default for both values
    longest = config.get("max_position_embeddings", default)
    original = config.get("original_max_position_embeddings", default)
    if longest == original:
        return
    rope = config.get("rope_scaling") or config.get("rope_parameters") or {}
    if isinstance(rope, dict) and "short_factor" in rope and "long_factor" in rope:
        return
    raise PassError(
        f"ModelBuilder: {config_path} has max_position_embeddings={longest} but "
        f"original_max_position_embeddings={original}. For Phi-3 the builder then exports the LongRoPE variant "
        "(as for Phi-3-mini-128k), which needs rope_scaling with short_factor and long_factor, and this config "
        "has none. If the model does not use LongRoPE, set original_max_position_embeddings equal to "
        "max_position_embeddings in config.json."
    )


@lru_cache(maxsize=1)
def supported_architectures() -> frozenset[str]:
    """The architectures the installed builder dispatches on, read from its source.

    The builder exposes no list: ``create_model`` is a chain of ``config.architectures[0] == "..."`` tests.
    Reading the source (without importing it, which would load torch and patch ``sys.path``) keeps the list in
    step with the installed version; an empty set means "unknown", and the builder's own error applies.
    """
    try:
        spec = importlib.util.find_spec(BUILDER_MODULE)
    except (ImportError, ValueError):
        spec = None
    if spec is None or spec.origin is None:
        return frozenset()
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(re.findall(r"config\.architectures\[0\]\s*==\s*\"([A-Za-z0-9_]+)\"", source))


def build_extra_options(
    params: Mapping[str, Any],
    *,
    precision: str,
    adapter_path: Path | None = None,
    trust_remote_code: bool = False,
) -> dict[str, str]:
    """The builder's ``--extra_options`` (KEY -> VALUE text) for Olive's ModelBuilder parameters.

    Quantization options are passed for int4 and int8 only (the builder ignores them for float precisions).
    ``extra_options`` from the config go last, so they win over the dedicated parameters, as in Olive; their
    ``int4_``-prefixed names are renamed to the ones the builder reads.
    """
    options: dict[str, str] = {}
    if precision in ("int4", "int8"):
        _check_quant_values(params)
        for olive_name, builder_name in QUANT_OPTIONS.items():
            value = params.get(olive_name)
            if value is not None:
                options[builder_name] = option_text(builder_name, value)
    for name in FLAG_OPTIONS:
        value = params.get(name)
        if value is not None:
            options[name] = option_text(name, bool(value))
    if adapter_path is not None:
        options["adapter_path"] = str(adapter_path)
    if trust_remote_code:
        options["hf_remote"] = "true"
    for key, value in (params.get("extra_options") or {}).items():
        # Old docs (and Olive's own pass) spell them int4_block_size...: 0.18.0 reads only the short names.
        name = QUANT_OPTIONS.get(str(key), str(key))
        options[name] = option_text(name, value)
    return options


def _check_quant_values(params: Mapping[str, Any]) -> None:
    """Olive validates these two against fixed sets; the builder would accept a wrong one and fail later."""
    block_size = params.get("int4_block_size")
    if block_size is not None and _enum_value(block_size) not in BLOCK_SIZES:
        raise PassError(
            f"ModelBuilder: int4_block_size must be one of {', '.join(map(str, BLOCK_SIZES))}, got {block_size!r}."
        )
    level = params.get("int4_accuracy_level")
    if level is not None and _enum_value(level) not in ACCURACY_LEVELS:
        raise PassError(
            f"ModelBuilder: int4_accuracy_level must be 1 (fp32), 2 (fp16), 3 (bf16) or 4 (int8), got {level!r}."
        )


def _enum_value(value: Any) -> Any:
    """Olive writes enum members in some configs (e.g. ``"ModelBuilder.BlockSize.B32"`` stays a string here)."""
    value = getattr(value, "value", value)
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def option_text(key: str, value: Any) -> str:
    """One extra option value as the builder's KEY=VALUE parser expects it."""
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATORS.get(key, ",").join(str(item) for item in value)
    if isinstance(value, dict):
        if key in PAIR_LIST_OPTIONS:
            return ",".join(f"{name}:{item}" for name, item in value.items())
        return json.dumps(value)
    return str(value)


def check_block_layout(config: Mapping[str, Any], options: Mapping[str, str], precision: str) -> None:
    """Refuse an int4 block size that the builder's zero-point packing cannot handle for this model.

    onnxruntime's ``rtn_quantize`` (behind ``k_quant*`` and ``rtn*``) packs two 4-bit zero points per byte along
    the blocks of a weight's input dimension and reshapes without padding: an odd block count (576 / 64 = 9)
    ends the build with "cannot reshape array" after the model was loaded and half quantized.
    """
    if precision != "int4" or not _packs_zero_points(options):
        return
    block_size = int(options.get("block_size", "32"))
    widths = _input_widths(config)
    odd = sorted(width for width in widths if math.ceil(width / block_size) % 2)
    if not odd:
        return
    fitting = [str(size) for size in BLOCK_SIZES if all(math.ceil(w / size) % 2 == 0 for w in widths)]
    raise PassError(
        f"ModelBuilder: int4_block_size {block_size} splits this model's weight rows of width "
        f"{', '.join(map(str, odd))} into an odd number of blocks, which the builder's "
        f"{options.get('algo_config')} quantizer cannot pack (it fails with 'cannot reshape array'). "
        + (f"Use int4_block_size {' or '.join(fitting)}" if fitting else "Use another int4_algo_config")
        + " for this model, or int4_algo_config default (or a symmetric rtn), which stores no packed zero points."
    )


def _packs_zero_points(options: Mapping[str, str]) -> bool:
    """Whether the chosen int4 method goes through rtn_quantize with zero points."""
    method = str(options.get("algo_config", "default"))
    symmetric = str(options.get("is_symmetric", "true")).lower() in ("true", "1")
    if method.startswith(PACKED_ZERO_POINT_METHODS):
        return True
    return method.startswith(PACKED_ZERO_POINT_IF_ASYMMETRIC) and not symmetric


def _input_widths(config: Mapping[str, Any]) -> set[int]:
    """The input widths of the model's quantized MatMuls: hidden, attention output and MLP intermediate."""
    hidden, heads = config.get("hidden_size"), config.get("num_attention_heads")
    widths = {value for value in (hidden, config.get("intermediate_size")) if isinstance(value, int)}
    if isinstance(hidden, int) and isinstance(heads, int) and heads:
        head_dim = config.get("head_dim") or hidden // heads
        if isinstance(head_dim, int):
            widths.add(heads * head_dim)
    return widths


def builder_command(
    input_dir: Path,
    output_dir: Path,
    cache_dir: Path,
    precision: str,
    ep: str,
    extra_options: Mapping[str, str],
) -> list[str]:
    """The builder's command line; ``-i`` (a local folder) rather than ``-m`` keeps it off the hub."""
    command = [
        sys.executable,
        "-m",
        BUILDER_MODULE,
        "-i",
        str(input_dir),
        "-o",
        str(output_dir),
        "-p",
        precision,
        "-e",
        ep,
        "-c",
        str(cache_dir),
    ]
    if extra_options:
        command += ["--extra_options", *(f"{key}={value}" for key, value in extra_options.items())]
    return command


def run_builder(command: list[str], events: EventSink, tail_lines: int = 30) -> None:
    """Run the builder, streaming its output as log events; a failure becomes a PassError with its last lines."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TQDM_DISABLE": "1"}
    tail: collections.deque[str] = collections.deque(maxlen=tail_lines)
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            env=env,
        )
    except OSError as exc:
        raise PassError(f"ModelBuilder: cannot start the builder ({command[0]}): {exc}") from exc
    assert process.stdout is not None
    with process:
        for line in _lines(process.stdout):
            tail.append(line)
            events.log(line, level=_level(line), source="model_builder")
    if process.returncode != 0:
        raise PassError(explain_failure(process.returncode, list(tail)))


def _lines(stream: Iterable[str]) -> Iterable[str]:
    """Non-empty lines; progress bars redraw with carriage returns, which text mode turns into newlines."""
    for raw in stream:
        line = raw.rstrip()
        if line:
            yield line


def _level(line: str) -> LogLevel:
    """The quantizer logs one INFO line per graph node: keep those out of the default view."""
    if "WARNING" in line or "[WARN" in line:
        return "warning"
    if "ERROR" in line or line.startswith("Traceback") or re.match(r"^\w+(Error|Exception)\b", line):
        return "error"
    if re.match(r"^\d{4}-\d\d-\d\d .*\[(INFO|DEBUG)\]", line):
        return "debug"
    return "info"


def explain_failure(returncode: int, tail: list[str]) -> str:
    """A message for a failed build: the likely cause where one is recognised, then the builder's last lines."""
    text = "\n".join(tail)
    hints = [
        (
            "No module named 'onnx_ir'",
            "The builder needs the onnx-ir package, which it does not declare: pip install onnx-ir.",
        ),
        ("No module named 'onnxruntime_genai'", "Install onnxruntime-genai (onnxruntime-genai-cuda for CUDA)."),
        (
            "No module named 'peft'",
            "Building a model with an unmerged adapter needs peft: pip install peft, "
            "or merge it first with MergeAdapterWeights.",
        ),
        ("is not currently supported", "The builder does not support this model's architecture."),
        (
            "Could not find an implementation for",
            "ONNX Runtime has no kernel for this precision on this execution provider.",
        ),
        (
            "cannot reshape array",
            "The int4 quantizer could not pack zero points for a weight whose row splits into an odd number of "
            "blocks: try another int4_block_size (16 or 32), or int4_algo_config default.",
        ),
    ]
    reason = next((hint for marker, hint in hints if marker in text), "")
    if returncode < 0 or returncode == 137:
        reason = reason or "It was killed (signal); the machine may have run out of memory while loading the model."
    last = "\n".join(f"  | {line}" for line in tail[-15:])
    return f"ModelBuilder: the ONNX Runtime GenAI builder failed (exit {returncode}). {reason}\n{last}".rstrip()


def apply_search_options(output_dir: Path, search: Mapping[str, Any] | None) -> None:
    """Merge the pass's ``search`` over the builder's defaults in genai_config.json, as Olive does."""
    if not search:
        return
    path = Path(output_dir) / "genai_config.json"
    try:
        genai_config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PassError(f"ModelBuilder: cannot apply search options, {path} is unreadable: {exc}") from exc
    genai_config["search"] = {**(genai_config.get("search") or {}), **search}
    context = genai_config.get("model", {}).get("context_length")
    max_length = genai_config["search"].get("max_length")
    if isinstance(context, int) and isinstance(max_length, int) and max_length > context:
        raise PassError(f"ModelBuilder: search.max_length {max_length} exceeds the model's context length {context}.")
    path.write_text(json.dumps(genai_config, indent=4) + "\n", encoding="utf-8")


def copy_hf_metadata(input_dir: Path, output_dir: Path) -> None:
    """Keep config.json / generation_config.json beside the ONNX model, as Olive does: a later
    ``metadata_only`` run and the evaluators read them."""
    for name in ("config.json", "generation_config.json"):
        source, target = Path(input_dir) / name, Path(output_dir) / name
        if source.is_file() and not target.exists():
            shutil.copy2(source, target)


def _warn_about_options(
    events: EventSink, params: Mapping[str, Any], precision: str, ep: str, model: ModelArtifact
) -> None:
    """Say what will not do what the config suggests, without failing the run."""
    if precision not in ("int4", "int8"):
        ignored = [name for name in QUANT_OPTIONS if params.get(name) is not None]
        if ignored:
            events.log(
                f"ModelBuilder: {', '.join(ignored)} only apply to int4/int8; ignored for {precision}", level="warning"
            )
    if params.get("enable_cuda_graph") and ep != "cuda":
        events.log("ModelBuilder: enable_cuda_graph only has an effect on CUDA targets", level="warning")
    if model.adapter_path is not None:
        events.log(
            f"ModelBuilder: the input still carries an adapter ({model.adapter_path}); the builder adds it as "
            "separate LoRA MatMul branches. Run MergeAdapterWeights before ModelBuilder for one plain model "
            "(smaller and faster).",
            level="warning",
        )
    if model.quantized:
        events.log(
            f"ModelBuilder: the input model is {model.quantized}-quantized (QLoRA); the builder may not load it.",
            level="warning",
        )


def _warn_about_components(events: EventSink, options: Mapping[str, str]) -> None:
    """exclude_lm_head / exclude_embeds build a pipeline component, not a model generate() can run."""
    for name, why in COMPONENT_OPTIONS.items():
        if options.get(name) == "true":
            events.log(
                f"ModelBuilder: {name} builds a component for a larger pipeline ({why}): ONNX Runtime GenAI "
                "cannot generate text with it alone and the runner cannot evaluate it. It does not keep the "
                "LM head or embeddings in higher precision; for that use int4_algo_config k_quant_last or "
                "k_quant_mixed (int8 LM head), or int4_nodes_to_exclude.",
                level="warning",
            )


def _run_metadata_only(ctx: PassContext, precision: str, ep: str) -> ModelArtifact:
    """Write genai_config.json and tokenizer files next to an existing ONNX model (the builder's config_only).

    The builder still needs the Hugging Face config and tokenizer, so the ONNX folder must hold them (the
    output of this pass does: config.json is copied there).
    """
    model = ctx.input
    if model.kind != "onnx":
        raise PassError(
            "ModelBuilder: metadata_only needs an ONNX model as input (it only writes genai_config.json); "
            "for a Hugging Face model, remove metadata_only to build the ONNX model."
        )
    source = Path(model.path)
    onnx_files = sorted(source.glob("*.onnx")) if source.is_dir() else [source]
    if len(onnx_files) != 1:
        raise PassError(f"ModelBuilder: metadata_only expects one .onnx file in {source}, found {len(onnx_files)}.")
    folder = onnx_files[0].parent
    check_hf_config(folder)
    options = build_extra_options(ctx.params, precision=precision)
    options.update(config_only="true", filename=onnx_files[0].name)
    cache_dir = ctx.checkpoint_dir / "model_builder_cache"
    run_builder(builder_command(folder, ctx.output_dir, cache_dir, precision, ep, options), ctx.events)
    for item in folder.iterdir():
        target = ctx.output_dir / item.name
        if item.is_file() and not target.exists():
            shutil.copy2(item, target)
    apply_search_options(ctx.output_dir, ctx.params.get("search"))
    shutil.rmtree(cache_dir, ignore_errors=True)
    return ModelArtifact(kind="onnx", path=ctx.output_dir)
