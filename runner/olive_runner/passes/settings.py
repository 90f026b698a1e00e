"""Typed settings of the native passes, filled from the config with Olive's own defaults.

Each settings class names the parameters its pass reads and their Python types, and nothing else: the
defaults, which parameters a pass has, and what an old parameter is called now all come from
``olive_schema``'s catalog for the release the run targets, so a default changed in a new Olive release is
picked up by regenerating the catalog, not by editing the runner. A field with a dataclass default is a
runner extension the catalog does not list for that release (an old parameter the runner still honours).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from olive_events.contract import LogLevel
from olive_schema import catalog, pass_catalog, versions

Warn = Callable[[str, LogLevel], object]
S = TypeVar("S")


@dataclasses.dataclass
class LoraSettings:
    """LoRA's and QLoRA's parameters (QLoRA's own four are None for a LoRA pass)."""

    r: int
    alpha: float
    lora_dropout: float
    target_modules: list[str] | None
    modules_to_save: list[str] | None
    torch_dtype: str
    device_map: str | None
    allow_tf32: bool
    ephemeral_gpu_offload: bool
    train_data_config: Any
    eval_data_config: Any
    training_args: dict[str, Any]
    double_quant: bool | None
    quant_type: str | None
    compute_dtype: str | None
    save_quant_config: bool | None
    # removed in Olive 0.7 (the split is now its own data config); old configs still use it
    eval_dataset_size: float | None = None


@dataclasses.dataclass
class ModelBuilderSettings:
    """ModelBuilder's parameters; None leaves the builder's own default."""

    precision: str | None
    metadata_only: bool | None
    search: dict[str, Any] | None
    extra_options: dict[str, Any] | None
    int4_block_size: int | None
    int4_accuracy_level: int | None
    int4_is_symmetric: bool | None
    int4_algo_config: Any
    int4_op_types_to_quantize: list[str] | None
    int4_nodes_to_exclude: list[str] | None
    exclude_embeds: bool | None
    exclude_lm_head: bool | None
    enable_cuda_graph: bool | None
    include_hidden_states: bool | None
    use_qdq: bool | None
    use_8bits_moe: bool | None
    use_webgpu_fp32: bool | None
    use_cuda_bf16: bool | None


@dataclasses.dataclass
class NoSettings:
    """A pass without parameters (MergeAdapterWeights)."""


def read(
    cls: type[S],
    pass_type: str,
    params: Mapping[str, Any],
    warn: Warn,
    version: str | None = None,
    siblings: Mapping[str, frozenset[str]] | None = None,
) -> S:
    """``params`` as ``cls``: old names mapped to the current ones, parameters the pass does not have reported
    and dropped (Olive only warns about them too), everything else at the release's default.

    ``siblings`` maps other runnable pass types to their parameters, so that a parameter of a related pass
    (QLoRA's ``double_quant`` on a LoRA pass) is named as such rather than as unknown.
    """
    release = version or versions.newest()
    spec = pass_catalog.spec_at(pass_type, release)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = _current_names(params, set(spec.params) | set(fields), release, warn)
    for key in sorted(set(values) - set(spec.params) - _extensions(fields)):
        value = values.pop(key)
        owner = next((t for t, names in (siblings or {}).items() if key in names and t != pass_type), None)
        if owner is not None:
            warn(f"{key} is a {owner} parameter; a {pass_type} pass ignores it ({key}={value!r}).", "warning")
        else:
            warn(f"Unknown {pass_type} parameter {key!r} is ignored.", "warning")
    filled: dict[str, Any] = {}
    for name, f in fields.items():
        if name in values:
            filled[name] = values[name]
        elif name in spec.params and spec.params[name].has_default:
            filled[name] = spec.params[name].default
        elif f.default is dataclasses.MISSING:
            filled[name] = None
    return cls(**filled)


def parameter_names(pass_type: str, version: str | None = None) -> frozenset[str]:
    """The parameters ``pass_type`` has in ``version`` (default: the newest release)."""
    return frozenset(pass_catalog.spec_at(pass_type, version or versions.newest()).params)


def _extensions(fields: Mapping[str, dataclasses.Field[Any]]) -> set[str]:
    return {name for name, f in fields.items() if f.default is not dataclasses.MISSING}


def _current_names(params: Mapping[str, Any], known: set[str], version: str, warn: Warn) -> dict[str, Any]:
    """Old parameter names (``lora_r``) under their current ones (``r``), with a warning saying so."""
    renames = catalog.load("changes")["pass_params"]
    values = dict(params)
    for old, change in renames.items():
        new = change.get("renamed_to")
        if old not in values or old in known or new not in known:
            continue
        value = values.pop(old)
        if new in values:
            warn(f"{old} is ignored: {new} is also set (rename {old} to {new}).", "warning")
        else:
            values[new] = value
            warn(f"{old} is the {_era(old)} name of {new}; using it as {new}={value!r}.", "warning")
    return values


def _era(param: str) -> str:
    """``pre-0.8`` for a parameter that releases before 0.8 had: from the catalog's ranges of any pass."""
    ends = [r[1] for spans in pass_catalog.facts().values() for r in _ranges(spans, param) if r[1]]
    if not ends:
        return "old"
    last = max(ends, key=versions.key)
    return "pre-" + ".".join(last.split(".")[:2])


def _ranges(fact: Mapping[str, Any], param: str) -> list[list[str | None]]:
    return [list(r) for span in fact.get("params", {}).get(param, []) for r in span["versions"]]
