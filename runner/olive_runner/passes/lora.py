"""LoRA and QLoRA fine-tuning with peft and the transformers Trainer, honoring Olive's pass parameters.

``run`` is the LoRA pass, ``run_qlora`` the QLoRA pass. Both read Olive's parameters (``r``, ``alpha``,
``lora_dropout``, ``target_modules``, ``modules_to_save``, ``torch_dtype``, ``training_args``...), train an
adapter on the input Hugging Face model, save it to ``output_dir/adapter`` and return the input model with
that ``adapter_path``.

Where Olive would silently do something surprising, the runner does the sensible thing and says so in a
``log`` event: old parameter names (``lora_r``, ``evaluation_strategy``) are mapped, CPU training runs in
float32, optimizers that need bitsandbytes on CUDA fall back to AdamW, and checkpoints are always written to
the engine's checkpoint folder so that an interrupted run resumes where it stopped.

Unless the config sets ``save_strategy`` or ``save_steps``, checkpoints are timed rather than counted: one
once ``CHECKPOINT_INTERVAL_S`` seconds of training have passed since the last (environment variable
``OLIVE_RUNNER_CHECKPOINT_SECONDS`` overrides it). A checkpoint (adapter, optimizer state, RNG state) costs the
same whatever the run's length, so a fixed "every tenth of the run" made short runs pay for ten of them while
an interruption of a long one could still lose a tenth of it; by time, a run that ends within the interval
writes none (restarting it costs less than the interval) and a long one never loses more than the interval.

Heavy libraries are imported inside the functions: importing this module must stay cheap.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import os
import re
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from olive_events.contract import LogLevel, TrainStep

from olive_runner import data
from olive_runner.passes import REGISTRY
from olive_runner.passes.base import ModelArtifact, PassContext, PassError
from olive_runner.passes.settings import LoraSettings

# Olive's own training defaults (HFTrainingArguments); every other field keeps the transformers default.
OLIVE_TRAINING_DEFAULTS: dict[str, Any] = {
    "gradient_checkpointing": True,
    "optim": "paged_adamw_32bit",
    "learning_rate": 2e-4,
    "lr_scheduler_type": "constant",
    "warmup_ratio": 0.03,
}
# Old TrainingArguments names -> current ones; applied where this transformers knows the new name.
TRAINING_ARG_RENAMES = {
    "evaluation_strategy": "eval_strategy",
    "warmup_ratio": "warmup_steps",  # transformers 5: a float warmup_steps below 1 is a ratio
    "gradient_checkpointing": "activation_checkpointing",
    "gradient_checkpointing_kwargs": "activation_checkpointing_kwargs",
}
CHECKPOINT_PATTERN = re.compile(r"^checkpoint-(\d+)$")
CHECKPOINT_INTERVAL_S = 60.0
CHECKPOINT_INTERVAL_ENV = "OLIVE_RUNNER_CHECKPOINT_SECONDS"
Emit = Callable[..., None]


@dataclasses.dataclass
class ResumePlan:
    """How this run relates to checkpoints: resume from one or start over, and (when the runner decides when
    to save) the seconds of training between two checkpoints."""

    checkpoint: Path | None = None
    overwrite: bool = False
    save_interval_s: float | None = None


# --------------------------------------------------------------------------------------------- entry points


def run(ctx: PassContext) -> ModelArtifact:
    """The LoRA pass: train an adapter on the input model and return the model with it."""
    settings = read_settings(ctx)
    return _train(ctx, settings, quantization=None)


def run_qlora(ctx: PassContext) -> ModelArtifact:
    """The QLoRA pass: like LoRA on a 4-bit (bitsandbytes) base model; refuses where 4-bit training cannot run."""
    settings = read_settings(ctx)
    return _train(ctx, settings, quantization=qlora_quantization(settings))


# --------------------------------------------------------------------------------------------- parameters


def log(ctx: PassContext, message: str, level: LogLevel = "info", **fields: Any) -> None:
    ctx.events.log(message, level=level, pass_name=ctx.name, **fields)


def read_settings(ctx: PassContext) -> LoraSettings:
    """Olive's parameters from ctx.params at the release's defaults (the registry's settings for the pass type),
    old names mapped and unknown ones reported (Olive only warns)."""
    settings: LoraSettings = REGISTRY[ctx.type].read_settings(ctx, lambda message, level: log(ctx, message, level))
    if settings.training_args is None:
        settings.training_args = {}
    if not isinstance(settings.training_args, Mapping):
        raise PassError(f"{ctx.name}: training_args must be an object of TrainingArguments fields.")
    settings.training_args = dict(settings.training_args)
    return settings


def qlora_quantization(settings: LoraSettings) -> dict[str, Any]:
    """BitsAndBytesConfig arguments for QLoRA, after checking that 4-bit training can run here."""
    import torch

    if not torch.cuda.is_available():
        raise PassError(f"{REGISTRY['QLoRA'].needs} (no CUDA device is visible to PyTorch).")
    if importlib.util.find_spec("bitsandbytes") is None:
        raise PassError(f"{REGISTRY['QLoRA'].needs}; the bitsandbytes package is missing: pip install bitsandbytes.")
    compute_dtype = settings.compute_dtype or settings.torch_dtype
    return {
        "load_in_4bit": True,
        "bnb_4bit_quant_type": settings.quant_type or "nf4",
        "bnb_4bit_use_double_quant": bool(settings.double_quant),
        "bnb_4bit_compute_dtype": compute_dtype,
    }


# --------------------------------------------------------------------------------------------- training args


def training_kwargs(
    user_args: Mapping[str, Any],
    *,
    checkpoint_dir: Path,
    n_train: int,
    has_eval: bool,
    device: str,
    torch_dtype: str,
    emit: Emit,
) -> tuple[dict[str, Any], ResumePlan]:
    """TrainingArguments keyword arguments from Olive's training_args, and how to treat old checkpoints.

    Olive drops what transformers does not know with a warning; here renamed fields are mapped first, so
    the seed's ``evaluation_strategy`` and ``group_by_length`` still take effect. The runner owns
    ``output_dir`` (the checkpoint folder), ``report_to`` (offline) and the precision flags (from
    ``torch_dtype``); it also picks defaults that make progress visible and runs resumable.
    """
    import transformers

    fields = {field.name for field in dataclasses.fields(transformers.TrainingArguments) if field.init}
    user = {**{k: v for k, v in user_args.items() if k != "extra_args"}, **(user_args.get("extra_args") or {})}
    resume = ResumePlan()
    if user.get("resume_from_checkpoint"):
        resume.checkpoint = Path(str(user["resume_from_checkpoint"]))
    resume.overwrite = bool(user.pop("overwrite_output_dir", False))
    user.pop("resume_from_checkpoint", None)

    args = {**OLIVE_TRAINING_DEFAULTS, **user}
    _rename_fields(args, user, fields, emit)
    _map_group_by_length(args, fields, emit)
    for key in ("fp16", "bf16"):
        if key in args:
            args.pop(key)
            emit(f"training_args.{key} is ignored: the pass's torch_dtype decides the precision.", "warning")
    for key in sorted(set(args) - fields):
        args.pop(key)
        emit(f"training_args.{key} is not a field of transformers.TrainingArguments; ignored.", "warning")

    _force_runner_fields(args, user, checkpoint_dir, device, torch_dtype, emit)
    _fit_optimizer(args, device, emit)
    _fit_evaluation(args, has_eval, emit)
    _fit_progress(args, estimate_total_steps(args, n_train), fields)
    resume.save_interval_s = _fit_saving(args, emit)
    _fit_checkpointing(args)
    return args, resume


def _rename_fields(args: dict[str, Any], user: Mapping[str, Any], fields: set[str], emit: Emit) -> None:
    for old, new in TRAINING_ARG_RENAMES.items():
        if old not in args or new not in fields:
            continue
        value = args.pop(old)
        if new in args:
            if old in user:
                emit(f"training_args.{old} is ignored: {new} is also set.", "warning")
            continue
        args[new] = value
        if old in user:
            emit(f"training_args.{old} is the old name of {new}; using {new}={value!r}.", "warning")


def _map_group_by_length(args: dict[str, Any], fields: set[str], emit: Emit) -> None:
    if "group_by_length" not in args or "group_by_length" in fields:
        return
    if args.pop("group_by_length") and "train_sampling_strategy" in fields and "train_sampling_strategy" not in args:
        args["train_sampling_strategy"] = "group_by_length"
        emit("training_args.group_by_length is now train_sampling_strategy='group_by_length'; using that.", "warning")


def _force_runner_fields(
    args: dict[str, Any], user: Mapping[str, Any], checkpoint_dir: Path, device: str, torch_dtype: str, emit: Emit
) -> None:
    if user.get("output_dir") and Path(str(user["output_dir"])) != checkpoint_dir:
        emit(f"training_args.output_dir is replaced by the run's checkpoint folder {checkpoint_dir}.", "warning")
    if user.get("report_to") not in (None, "none", [], ["none"]):
        emit("training_args.report_to is set to 'none': the runner reports through its own events.", "warning")
    args["output_dir"] = str(checkpoint_dir)
    args["report_to"] = "none"
    args["use_cpu"] = device == "cpu"
    args["bf16"] = torch_dtype == "bfloat16"
    args["fp16"] = torch_dtype == "float16"
    args.setdefault("disable_tqdm", True)  # the runner's own display shows progress from train_step events
    if device == "cpu":
        args.setdefault("dataloader_pin_memory", False)


def _fit_optimizer(args: dict[str, Any], device: str, emit: Emit) -> None:
    """Olive's default paged_adamw_32bit (and any bitsandbytes optimizer) needs bitsandbytes on CUDA."""
    optim = str(args.get("optim", ""))
    needs_bnb = optim.startswith("paged_") or "bnb" in optim or "8bit" in optim
    if needs_bnb and (device != "cuda" or importlib.util.find_spec("bitsandbytes") is None):
        why = "bitsandbytes is not installed" if device == "cuda" else "it needs bitsandbytes on a CUDA GPU"
        emit(f"optim {optim!r} cannot run here ({why}); using 'adamw_torch' instead.", "warning")
        args["optim"] = "adamw_torch"


def _fit_evaluation(args: dict[str, Any], has_eval: bool, emit: Emit) -> None:
    strategy = args.get("eval_strategy")
    if not has_eval:
        if strategy not in (None, "no"):
            emit("No evaluation data (eval_data_config): evaluation during training is off.", "warning")
        args["eval_strategy"] = "no"
        args.pop("eval_steps", None)
    elif strategy is None:
        args["eval_strategy"] = "steps"  # Olive: evaluate every eval_steps when there is evaluation data


def estimate_total_steps(args: Mapping[str, Any], n_train: int) -> int:
    """Optimizer steps the Trainer will run (max_steps, else epochs x batches / accumulation)."""
    max_steps = int(args.get("max_steps", -1) or -1)
    if max_steps > 0:
        return max_steps
    batches = math.ceil(n_train / int(args.get("per_device_train_batch_size", 8)))
    per_epoch = max(1, batches // int(args.get("gradient_accumulation_steps", 1)))
    return max(1, math.ceil(float(args.get("num_train_epochs", 3)) * per_epoch))


def _fit_progress(args: dict[str, Any], total: int, fields: set[str]) -> None:
    """Log often enough for a live display; evaluate ten times a run rather than at every (frequent) log."""
    args.setdefault("logging_strategy", "steps")
    args.setdefault("logging_steps", max(1, math.ceil(total / 100)))
    args.setdefault("logging_first_step", True)
    if "include_num_input_tokens_seen" in fields:
        args.setdefault("include_num_input_tokens_seen", "non_padding")
    if args.get("eval_strategy") == "steps":
        args.setdefault("eval_steps", max(1, math.ceil(total / 10)))


def _fit_saving(args: dict[str, Any], emit: Emit) -> float | None:
    """The config's own save schedule when it has one; else the Trainer's is off and the runner's timed one
    (see the module docstring) decides: returns its interval in seconds, or None."""
    if args.get("load_best_model_at_end") and "save_strategy" not in args:
        # transformers requires saving on the evaluation schedule to know which checkpoint was best
        args["save_strategy"] = args.get("eval_strategy", "steps")
        if args["save_strategy"] == "steps" and "eval_steps" in args:
            args.setdefault("save_steps", args["eval_steps"])
    if "save_strategy" in args or "save_steps" in args:
        if args.setdefault("save_strategy", "steps") == "no":
            emit("training_args.save_strategy is 'no': an interrupted run will start over.", "warning")
        else:
            args.setdefault("save_total_limit", 2)
        return None
    args["save_strategy"] = "no"  # the Trainer would also save a checkpoint after the last step: not needed
    args.setdefault("save_total_limit", 2)
    return checkpoint_interval_s()


def checkpoint_interval_s() -> float:
    """CHECKPOINT_INTERVAL_S, or the environment's override (0 saves after every step, as tests want)."""
    text = os.environ.get(CHECKPOINT_INTERVAL_ENV, "").strip()
    if not text:
        return CHECKPOINT_INTERVAL_S
    try:
        value = float(text)
    except ValueError as exc:
        raise PassError(f"{CHECKPOINT_INTERVAL_ENV} must be a number of seconds, got {text!r}.") from exc
    if not math.isfinite(value) or value < 0:
        raise PassError(f"{CHECKPOINT_INTERVAL_ENV} must be a number of seconds >= 0, got {text!r}.")
    return value


def _fit_checkpointing(args: dict[str, Any]) -> None:
    """Non-reentrant activation checkpointing works with frozen embeddings (no input-grad hook needed)."""
    for flag, kwargs in (
        ("activation_checkpointing", "activation_checkpointing_kwargs"),
        ("gradient_checkpointing", "gradient_checkpointing_kwargs"),
    ):
        if args.get(flag) and not args.get(kwargs):
            args[kwargs] = {"use_reentrant": False}


# --------------------------------------------------------------------------------------------- data


def resolve_data_config(ctx: PassContext, value: Any, param: str) -> dict[str, Any]:
    """A data config named by a pass parameter (or given inline, as old configs do)."""
    if isinstance(value, Mapping):
        return dict(value)
    if value in ctx.data_configs:
        return ctx.data_configs[value]
    available = ", ".join(sorted(ctx.data_configs)) or "none"
    raise PassError(f"{ctx.name}: {param} {value!r} names no entry of data_configs (available: {available}).")


def training_examples(
    ctx: PassContext, settings: LoraSettings, tokenizer: Any
) -> tuple[list[data.Example], list[data.Example]]:
    """(train, eval) examples; the old eval_dataset_size splits the training rows by distinct text."""
    if settings.train_data_config is None:
        raise PassError(f"{ctx.name}: {ctx.type} needs train_data_config, the name of a data_configs entry.")
    train_config = resolve_data_config(ctx, settings.train_data_config, "train_data_config")
    if settings.eval_data_config is not None:
        eval_config = resolve_data_config(ctx, settings.eval_data_config, "eval_data_config")
        train = data.build_examples(train_config, ctx.config_dir, tokenizer)
        return train, data.build_examples(eval_config, ctx.config_dir, tokenizer)
    if not settings.eval_dataset_size:
        return data.build_examples(train_config, ctx.config_dir, tokenizer), []
    rows = data.load_rows(train_config, ctx.config_dir)
    key_cols = data.pre_process_params(train_config).columns()
    seed = int(settings.training_args.get("data_seed", settings.training_args.get("seed", 42)))
    train_rows, eval_rows = data.split_by_distinct_text(rows, key_cols, settings.eval_dataset_size, seed)
    log(
        ctx,
        f"eval_dataset_size={settings.eval_dataset_size}: {len(train_rows)} training and {len(eval_rows)} "
        f"evaluation rows, split by distinct {'/'.join(key_cols)} so duplicates stay on one side "
        "(Olive 0.7+ ignores eval_dataset_size; eval_data_config is the current way).",
        "warning",
    )
    return (
        data.build_examples(train_config, ctx.config_dir, tokenizer, rows=train_rows),
        data.build_examples(train_config, ctx.config_dir, tokenizer, rows=eval_rows),
    )


class Collator:
    """Pads a batch of examples to its longest sequence: inputs with pad_id, labels with IGNORE_INDEX, mask 0.

    A class (not a closure) so that dataloader worker processes can pickle it.
    """

    def __init__(self, pad_id: int, pad_to_multiple_of: int | None = None) -> None:
        self.pad_id = pad_id
        self.pad_to_multiple_of = pad_to_multiple_of

    def __call__(self, batch: Sequence[Mapping[str, list[int]]]) -> dict[str, Any]:
        import torch

        length = max(len(example["input_ids"]) for example in batch)
        if self.pad_to_multiple_of:
            length = math.ceil(length / self.pad_to_multiple_of) * self.pad_to_multiple_of
        input_ids = torch.full((len(batch), length), self.pad_id, dtype=torch.long)
        labels = torch.full((len(batch), length), data.IGNORE_INDEX, dtype=torch.long)
        attention_mask = torch.zeros((len(batch), length), dtype=torch.long)
        for row, example in enumerate(batch):
            size = len(example["input_ids"])
            input_ids[row, :size] = torch.tensor(example["input_ids"], dtype=torch.long)
            labels[row, :size] = torch.tensor(example["labels"], dtype=torch.long)
            mask = example.get("attention_mask")
            attention_mask[row, :size] = torch.tensor(mask, dtype=torch.long) if mask is not None else 1
        return {"input_ids": input_ids, "labels": labels, "attention_mask": attention_mask}


# --------------------------------------------------------------------------------------------- model


def choose_device(ctx: PassContext, quantized: bool) -> str:
    """cuda or cpu: the config's accelerator when this machine has it (QLoRA always needs CUDA)."""
    import torch

    if quantized:
        if ctx.accelerator != "cuda":
            log(ctx, "QLoRA trains on the CUDA GPU although the run's accelerator is cpu.", "warning")
        return "cuda"
    if ctx.accelerator == "cuda" and not torch.cuda.is_available():
        log(ctx, "The run asks for CUDA but PyTorch sees no CUDA device; training on the CPU (slow).", "warning")
        return "cpu"
    return "cuda" if ctx.accelerator == "cuda" else "cpu"


def choose_dtype(ctx: PassContext, requested: str, device: str) -> str:
    """The training precision: float32 on CPU (bf16/fp16 training there is slow or unsupported)."""
    import torch

    if requested not in ("bfloat16", "float16", "float32"):
        raise PassError(f"{ctx.name}: torch_dtype must be bfloat16, float16 or float32, got {requested!r}.")
    if device == "cpu" and requested != "float32":
        log(ctx, f"torch_dtype {requested} on CPU: training in float32 instead.", "warning", torch_dtype="float32")
        return "float32"
    if device == "cuda" and requested == "bfloat16" and not torch.cuda.is_bf16_supported():
        log(ctx, "This GPU has no bfloat16: training with float16 mixed precision instead.", "warning")
        return "float16"
    return requested


def load_tokenizer(model: ModelArtifact, source: Path | None = None) -> Any:
    """The model's tokenizer, with a pad token (the eos token) when it has none, for batching."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(source or model.path), trust_remote_code=model.trust_remote_code)
    if tokenizer.pad_token is None and tokenizer.eos_token is not None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def base_load_kwargs(model: ModelArtifact) -> dict[str, Any]:
    """The input's load_kwargs less those the pass decides (precision, placement, quantization), as Olive does."""
    drop = {"torch_dtype", "dtype", "device_map", "quantization_config", "trust_remote_code"}
    return {key: value for key, value in model.load_kwargs.items() if key not in drop}


def load_base_model(
    ctx: PassContext, settings: LoraSettings, device: str, dtype_name: str, quantization: dict[str, Any] | None
) -> Any:
    import torch
    from transformers import AutoModelForCausalLM

    # float16 trains in mixed precision over float32 weights: pure fp16 training is unstable
    load_dtype = getattr(torch, "float32" if dtype_name == "float16" else dtype_name)
    kwargs = base_load_kwargs(ctx.input)
    if quantization is not None:
        from transformers import BitsAndBytesConfig

        compute = getattr(torch, quantization["bnb_4bit_compute_dtype"])
        kwargs["quantization_config"] = BitsAndBytesConfig(  # type: ignore[no-untyped-call]
            **{**quantization, "bnb_4bit_compute_dtype": compute}
        )
    if device == "cuda" and settings.device_map is not None:
        kwargs["device_map"] = {"": torch.cuda.current_device()}  # one device per run
        if settings.allow_tf32:
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
    try:
        model = AutoModelForCausalLM.from_pretrained(
            str(ctx.input.path), dtype=load_dtype, trust_remote_code=ctx.input.trust_remote_code, **kwargs
        )
    except OSError as error:
        raise PassError(
            f"{ctx.name}: cannot load the model {ctx.input.path}: {error}. The runner works offline: "
            "point input_model at a local folder with config.json and the weights."
        ) from error
    model.config.use_cache = False  # the KV cache is useless in training and conflicts with checkpointing
    return model


def default_target_modules(model: Any) -> list[str] | str:
    """peft's list for the architecture, else every linear layer except the output layer (peft's all-linear)."""
    from peft.utils.constants import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as PEFT_DEFAULTS

    defaults = PEFT_DEFAULTS.get(getattr(model.config, "model_type", ""))
    return list(defaults) if defaults else "all-linear"


def _int_if_whole(value: float) -> Any:
    """peft types lora_alpha as int, Olive as float: pass a whole number as int, anything else unchanged."""
    return int(value) if float(value).is_integer() else value


def linear_module_names(model: Any) -> list[str]:
    """Distinct names of the model's linear layers, to say what target_modules can name."""
    import torch

    names = {name.rsplit(".", 1)[-1] for name, module in model.named_modules() if isinstance(module, torch.nn.Linear)}
    return sorted(names)


def add_lora(ctx: PassContext, model: Any, settings: LoraSettings, quantized: bool, checkpointing: bool) -> Any:
    """Wrap the model with trainable LoRA adapters (base weights frozen) and report what was adapted."""
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
    from peft.tuners.lora import LoraLayer

    if quantized:
        model = prepare_model_for_kbit_training(  # type: ignore[no-untyped-call]
            model, use_gradient_checkpointing=checkpointing
        )
    targets = settings.target_modules or default_target_modules(model)
    config = LoraConfig(
        r=settings.r,
        lora_alpha=_int_if_whole(settings.alpha),
        lora_dropout=settings.lora_dropout,
        target_modules=targets,
        modules_to_save=settings.modules_to_save,
        bias="none",
        task_type="CAUSAL_LM",
    )
    if settings.ephemeral_gpu_offload:
        from peft import LoraRuntimeConfig

        config.runtime_config = LoraRuntimeConfig(ephemeral_gpu_offload=True)
    try:
        model = get_peft_model(model, config)
    except ValueError as error:
        raise PassError(
            f"{ctx.name}: target_modules {targets!r} do not fit this model ({error}). "
            f"Its linear layers are: {', '.join(linear_module_names(model))}."
        ) from error
    adapted = sorted(
        {name.rsplit(".", 1)[-1] for name, module in model.named_modules() if isinstance(module, LoraLayer)}
    )
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    log(
        ctx,
        f"LoRA r={settings.r} alpha={settings.alpha} on {', '.join(adapted)}"
        f"{' (default for the architecture)' if not settings.target_modules else ''}: "
        f"{trainable:,} trainable of {total:,} parameters.",
        target_modules=adapted,
        trainable_params=trainable,
    )
    return model


# --------------------------------------------------------------------------------------------- checkpoints


def checkpoint_step(path: Path) -> int:
    """The global step of a ``checkpoint-N`` folder (0 when the name has none)."""
    match = CHECKPOINT_PATTERN.match(path.name)
    return int(match.group(1)) if match else 0


def last_checkpoint(checkpoint_dir: Path) -> Path | None:
    """The newest complete checkpoint (its trainer_state.json written), skipping one cut off mid-save."""
    if not checkpoint_dir.is_dir():
        return None
    candidates = [child for child in checkpoint_dir.iterdir() if CHECKPOINT_PATTERN.match(child.name)]
    for child in sorted(candidates, key=checkpoint_step, reverse=True):
        if (child / "trainer_state.json").is_file():
            return child
    return None


def resume_point(ctx: PassContext, plan: ResumePlan) -> Path | None:
    """The checkpoint to resume from: an explicit resume_from_checkpoint, else the newest in the checkpoint folder."""
    if plan.checkpoint is not None:
        path = data.resolve_path(str(plan.checkpoint), ctx.config_dir)
        if not path.is_dir():
            raise PassError(f"{ctx.name}: training_args.resume_from_checkpoint {path} is not a folder.")
        log(ctx, f"Resuming from {path} (training_args.resume_from_checkpoint).", checkpoint=str(path))
        return path
    if plan.overwrite:
        for child in ctx.checkpoint_dir.glob("checkpoint-*"):
            shutil.rmtree(child, ignore_errors=True)
        log(ctx, "training_args.overwrite_output_dir: earlier checkpoints removed, training from the start.")
        return None
    found = last_checkpoint(ctx.checkpoint_dir)
    if found is not None:
        step = checkpoint_step(found)
        log(ctx, f"Resuming the interrupted training from step {step} ({found}).", checkpoint=str(found), step=step)
    return found


def timed_checkpoints(interval_s: float, clock: Callable[[], float] = time.monotonic) -> Any:
    """A TrainerCallback that asks for a checkpoint once ``interval_s`` seconds passed since the last one.

    The interval counts from the start of training (or of the resumed part) and from the end of each save, so
    the time spent saving is not counted as training. No checkpoint is asked for at the last step: the pass
    saves the adapter itself right after.
    """
    from transformers import TrainerCallback

    class TimedCheckpoints(TrainerCallback):
        def __init__(self) -> None:
            self.last = clock()

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.last = clock()

        def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            if state.global_step < state.max_steps and clock() - self.last >= interval_s:
                control.should_save = True

        def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.last = clock()

    return TimedCheckpoints()


# --------------------------------------------------------------------------------------------- events


def event_callback(ctx: PassContext) -> Any:
    """A TrainerCallback that turns the Trainer's logs into train_step / log events."""
    from transformers import TrainerCallback

    class EventCallback(TrainerCallback):
        def __init__(self) -> None:
            self.tokens_at_start = 0

        def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            self.tokens_at_start = int(state.num_input_tokens_seen or 0)

        def on_log(
            self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None, **kwargs: Any
        ) -> None:
            logs = logs or {}
            if "loss" in logs:
                ctx.events.emit(
                    TrainStep(
                        pass_name=ctx.name,
                        step=state.global_step,
                        max_steps=state.max_steps,
                        loss=logs["loss"],
                        learning_rate=logs.get("learning_rate"),
                        epoch=logs.get("epoch", state.epoch),
                        tokens_seen=state.num_input_tokens_seen,
                    )
                )
            if "eval_loss" in logs:  # docs/events.md: evaluation steps are train_step events with eval_loss
                ctx.events.emit(
                    TrainStep(
                        pass_name=ctx.name,
                        step=state.global_step,
                        max_steps=state.max_steps,
                        loss=None,
                        eval_loss=logs["eval_loss"],
                        epoch=logs.get("epoch", state.epoch),
                    )
                )
            if "train_loss" in logs:  # the summary at the end of train() (every log carries train_runtime)
                tokens = int(state.num_input_tokens_seen or 0) - self.tokens_at_start
                runtime = float(logs["train_runtime"])
                log(
                    ctx,
                    f"Training done at step {state.global_step} in {runtime:.1f} s "
                    f"({tokens / runtime if runtime else 0:.0f} tokens/s).",
                    step=state.global_step,
                    train_runtime=runtime,
                    train_loss=logs.get("train_loss"),
                    tokens=tokens,
                    tokens_per_second=tokens / runtime if runtime else None,
                )

        def on_save(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
            log(ctx, f"Checkpoint saved at step {state.global_step}.", "debug", step=state.global_step)

    return EventCallback()


# --------------------------------------------------------------------------------------------- the run


def _check_input(ctx: PassContext) -> None:
    if ctx.input.kind != "hf":
        raise PassError(f"{ctx.name}: {ctx.type} fine-tunes a Hugging Face model, but its input is an ONNX model.")
    if ctx.input.adapter_path is not None:
        raise PassError(
            f"{ctx.name}: the input model already carries an adapter ({ctx.input.adapter_path}); "
            "add a MergeAdapterWeights pass before this one to fold it in first."
        )


def _train(ctx: PassContext, settings: LoraSettings, quantization: dict[str, Any] | None) -> ModelArtifact:
    from transformers import PrinterCallback, Trainer, TrainingArguments

    _check_input(ctx)
    device = choose_device(ctx, quantized=quantization is not None)
    dtype_name = choose_dtype(ctx, settings.torch_dtype, device)
    tokenizer = load_tokenizer(ctx.input)
    train, evaluation = training_examples(ctx, settings, tokenizer)
    kwargs, plan = training_kwargs(
        settings.training_args,
        checkpoint_dir=ctx.checkpoint_dir,
        n_train=len(train),
        has_eval=bool(evaluation),
        device=device,
        torch_dtype=dtype_name,
        emit=lambda message, level="info", **fields: log(ctx, message, level, **fields),
    )
    model = load_base_model(ctx, settings, device, dtype_name, quantization)
    checkpointing = bool(kwargs.get("activation_checkpointing", kwargs.get("gradient_checkpointing")))
    model = add_lora(ctx, model, settings, quantized=quantization is not None, checkpointing=checkpointing)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    callbacks = [event_callback(ctx)]
    if plan.save_interval_s is not None:
        callbacks.append(timed_checkpoints(plan.save_interval_s))
    trainer = Trainer(
        model=model,
        args=TrainingArguments(**kwargs),
        train_dataset=train,
        eval_dataset=evaluation or None,
        data_collator=Collator(pad_id, pad_to_multiple_of=8 if device == "cuda" else None),
        callbacks=callbacks,
    )
    trainer.remove_callback(PrinterCallback)  # it prints raw log dicts to stdout, which may carry the event stream
    log(ctx, f"Training on {device} in {dtype_name}: {len(train)} training and {len(evaluation)} evaluation sequences.")
    checkpoint = resume_point(ctx, plan)
    trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    return _save(ctx, trainer.model, tokenizer, quantization, bool(settings.save_quant_config))


def _save(
    ctx: PassContext, model: Any, tokenizer: Any, quantization: dict[str, Any] | None, save_quant_config: bool
) -> ModelArtifact:
    """Write the adapter (and tokenizer) and describe the result: the input model plus the adapter.

    With QLoRA's save_quant_config the 4-bit loading settings travel in load_kwargs, so whoever loads the
    result (evaluation) sees the base the adapter was trained on; ``quantized`` tells ModelBuilder.
    """
    adapter_dir = ctx.output_dir / "adapter"
    model.save_pretrained(str(adapter_dir))
    tokenizer.save_pretrained(str(adapter_dir))
    log(ctx, f"Adapter saved to {adapter_dir}.", adapter_path=str(adapter_dir))
    load_kwargs = dict(ctx.input.load_kwargs)
    quantized = None
    if quantization is not None:
        quantized = str(quantization["bnb_4bit_quant_type"])
        if save_quant_config:
            load_kwargs["quantization_config"] = dict(quantization)
    return ModelArtifact(
        kind="hf",
        path=ctx.input.path,
        adapter_path=adapter_dir,
        trust_remote_code=ctx.input.trust_remote_code,
        load_kwargs=load_kwargs,
        quantized=quantized,
    )
