"""Passes that Olive would skip on the workflow's accelerator, leaving nothing to run.

Olive asks each pass whether its settings make sense for the target's
execution provider and silently drops the ones that do not ("Invalid config,
pruned"), so the run ends with no output model.  Only the checks that depend
on nothing but the config are mirrored here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from olive_schema import codes, pass_catalog, versions
from olive_schema.config_view import PassEntry, engine_values, pass_entries
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document
from olive_schema.locate import quoted, span

DEVICE_DEFAULT_EP = {"gpu": "CUDAExecutionProvider", "cpu": "CPUExecutionProvider", "npu": "QNNExecutionProvider"}
CUDA_GRAPH_CHECK_SINCE = "0.11.0"


def target_execution_providers(config: dict[str, Any]) -> list[str]:
    """Every execution provider the target system gives the passes (CPU when there is no target)."""
    target: Any = None
    for _, key, value in engine_values(config):
        if key == "target":
            target = value
    if isinstance(target, str):
        target = (config.get("systems") or {}).get(target) if isinstance(config.get("systems"), dict) else None
    holder = target.get("config", target) if isinstance(target, dict) else None
    accelerators = holder.get("accelerators") if isinstance(holder, dict) else None
    providers: list[str] = []
    for accelerator in accelerators if isinstance(accelerators, list) else []:
        if isinstance(accelerator, dict):
            eps = accelerator.get("execution_providers") or [DEVICE_DEFAULT_EP.get(str(accelerator.get("device")), "")]
            providers.extend(str(ep) for ep in eps if isinstance(ep, str) and ep)
        elif isinstance(accelerator, str):
            providers.append(DEVICE_DEFAULT_EP.get(accelerator, ""))
    engine = config.get("engine")
    legacy = engine.get("execution_providers") if isinstance(engine, dict) else None
    if isinstance(legacy, list) and legacy:  # before 0.5.1 the engine listed the execution providers
        providers = [str(p) for p in legacy]
    return [p for p in providers if p] or ["CPUExecutionProvider"]


def pruned_passes(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    providers = target_execution_providers(config)
    for entry in pass_entries(config):
        canonical = pass_catalog.resolve_at(entry.type_name or "", version)
        check = CHECKS.get(canonical or "")
        if check is None:
            continue
        reasons = [check(entry, provider, version) for provider in providers]
        if all(reasons):  # Olive keeps the pass if any accelerator can run it
            path = (*entry.path, "type")
            start, end = span(doc, path, "value")
            message = (
                f"Olive skips pass {quoted(entry.name)} on {', '.join(providers)}: {reasons[0]} "
                f"The workflow would produce no model."
            )
            yield Finding(codes.PASS_PRUNED, Severity.ERROR, message, path, start, end)


def _value(entry: PassEntry, name: str, default: Any) -> Any:
    found = entry.param(name)
    return default if found is None else found[1]


def transformers_optimization(entry: PassEntry, provider: str, version: str) -> str:
    float16, use_gpu = _value(entry, "float16", False), _value(entry, "use_gpu", False)
    if float16 is True and provider == "TensorrtExecutionProvider":
        return "TensorRT does its own fp16; set `float16` to false (and `trt_fp16_enable` in session tuning)."
    if float16 is True and provider == "CPUExecutionProvider":
        return "`float16` needs a GPU execution provider."
    if _value(entry, "use_gqa", False) is True and float16 is False:
        return "`use_gqa` needs `float16`."
    if use_gpu is True and provider == "CPUExecutionProvider":
        return "`use_gpu` needs a GPU execution provider."
    return ""


def session_params_tuning(entry: PassEntry, provider: str, version: str) -> str:
    if versions.key(version) < versions.key(CUDA_GRAPH_CHECK_SINCE):
        return ""
    chosen = _value(entry, "providers_list", None) or provider
    if chosen == "CUDAExecutionProvider" and _value(entry, "io_bind", False) is not True:
        return "on CUDA it needs `io_bind: true`."
    return ""


CHECKS = {
    "OrtTransformersOptimization": transformers_optimization,
    "OrtSessionParamsTuning": session_params_tuning,
}
