#!/usr/bin/env python
"""Ask a real, installed Olive what it thinks of workflow configs (dev-only; never imported by the product).

Run INSIDE one of the venvs made by setup_envs.sh:

    /tmp/olive-envs/0.13.0/bin/python tools/olive_verdicts/judge.py --out FILE [--timeout S] ARG...

Each ARG is a config file or a directory (searched recursively for *.json), optionally written PREFIX=PATH.
The recorded "path" of a file is: relative to the directory ARG (PREFIX/ prepended when given); for a file ARG,
the given path (or PREFIX/<file name>).

For every config, in a fresh child process (forked after Olive was imported once; per-config timeout; sockets
blocked; HF_HUB_OFFLINE=1; OLIVE_DISABLE_TELEMETRY=1; cwd = a private temp dir holding a copy of the config), we do
what `olive run --config` does before any model is loaded:

  stage "parse":  RunConfig.parse_file_or_obj(copy)                    (both versions)
  stage "engine": 0.7+  (0.13.0): RunEngineConfig.create_engine; per pass OlivePackageConfig.import_pass_module;
                        the AcceleratorSpec the config implies (Olive's own AcceleratorNormalizer, with the target
                        system pretending that the EPs the config names (+ CPU) are installed, so the spec follows the
                        config, not this machine's onnxruntime); then per pass
                        generate_config(acc, config, {}, disable_search=True)
                        + validate_config(config, acc) (a False there is Olive's "Invalid config, pruned") + the pass
                        constructor (user-module loading); with a search strategy, get_config_params(acc, config,
                        False) (the search-space build) instead.
                  0.6.x (0.6.2):  RunEngineConfig.create_engine; per pass import_pass_module + Pass.registry lookup;
                        create_accelerators (same EP pretence); per accelerator spec and pass
                        generate_search_space(acc, config, disable_search) + the pass constructor, then
                        validate_search_point({}, acc, with_fixed_value=True) when the pass has no search space;
                        pass_flows names must be registered passes.
  Not done (needs the model or a live system): building systems (Docker/AzureML/PythonEnvironment hosts),
  creating the input model handler, evaluating, loading data.

Missing user scripts (the corpus holds only the .json files): every relative `user_script` / `script_dir` value
in the config that does not exist next to the original config is created in the temp copy as a placeholder (an
empty module whose attributes are dummy functions, and which registers dummy data components for every data
component type name the config uses that Olive does not know). This lets Olive judge the rest of the config; each
placeholder is recorded in the verdict's "notes". Absolute paths are never created (-> an environment error).

Verdict record (one per file):
  {"path", "sha256", "verdict": "accept"|"reject"|"environment", "stage": "parse"|"engine"|null,
   "errors": [{"message", "loc", "kind"}], "notes": [...], "warnings": [...]}
  "kind" of an error (see classify_message): "config" | "environment" | "cascade".
  "warnings": Olive's WARNING+ log lines emitted while judging (e.g. "Keys {...} are not part of XConfig. Ignoring").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

# Olive messages print sets ("Keys {...} are not part of ..."): fix the hash seed so regenerated data is stable.
if os.environ.get("PYTHONHASHSEED") != "0" and __name__ == "__main__":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, *sys.argv])

# Environment for every import below and for all children: no network, no telemetry, no hub.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_EVALUATE_OFFLINE"] = "1"
os.environ["OLIVE_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ["PYTHONWARNINGS"] = "ignore"

import contextlib
import importlib.metadata as md
import logging
import warnings

warnings.filterwarnings("ignore")

OLIVE_VERSION = md.version("olive-ai")
NEW_OLIVE = tuple(int(x) for x in OLIVE_VERSION.split(".")[:2]) >= (0, 7)

PIN_PACKAGES = [
    "olive-ai",
    "torch",
    "pydantic",
    "numpy",
    "protobuf",
    "setuptools",
    "onnx",
    "onnxruntime",
    "transformers",
    "tokenizers",
    "huggingface-hub",
    "peft",
    "accelerate",
    "optimum",
    "datasets",
    "pyarrow",
    "evaluate",
    "torchmetrics",
    "optuna",
    "pandas",
    "scipy",
    "psutil",
    "requests",
    "pytorch-lightning",
]

PLACEHOLDER_MARK = "olive_verdicts placeholder"

# --------------------------------------------------------------------------------------------------------------
# Classification of one error message.  Order matters: the first matching rule wins.
#
#   cascade      - a follow-up of another failing field, never a cause of its own:
#                  C1 "Invalid engine" / "Invalid input model" / "Invalid systems|evaluators|data_configs_dict"
#                     (pydantic v2 runs the later validators without the failed field in info.data);
#                  C2 "<name> not found in {...}" when the section the name is looked up in (systems, evaluators,
#                     data_configs) itself has an error in the same report (a broken data config makes every
#                     reference say "... not found in {}"). Without such a section error it is a dangling
#                     name -> config.  (Decided in judge_errors, not here.)
#   environment  - not a fault of the config:
#                  E1 a missing file or folder: "... doesn't exist", "does not exist", "No such file or directory",
#                     FileNotFoundError, "Python executable not found in the path" (PythonEnvironment systems
#                     point at a venv of the author's machine);
#                  E2 a missing optional package: ModuleNotFoundError / "No module named" / ImportError /
#                     "is not installed" / "please install";
#                  E3 network or hub access (we block sockets and run offline): "network disabled by judge",
#                     offline-mode errors, "couldn't connect", "Connection", hub/local-entry-not-found, evaluate's
#                     "Couldn't find a module script";
#                  E4 something raised by or because of a placeholder user script (dummy function called, a
#                     name missing from it) - only when this config got a placeholder;
#                  E5 a timeout or crash of the judging child.
#   config       - P  the pass's run-time validate_config / validate_search_point returned False for the
#                     accelerator the config implies: Olive logs "Invalid config, pruned." and skips the pass, so
#                     the workflow produces no output model (e.g. OrtSessionParamsTuning on CUDA without io_bind);
#                  R  everything else (unknown key, bad value, unknown pass/model/system type, dangling name,
#                     SEARCHABLE_VALUES without search, KeyError 'config' of 0.6.2 on flat models, ...).
# Verdict: any config error -> "reject"; else any environment error -> "environment"; else only cascades ->
# "reject" (cannot happen in practice; a cascade without a cause is still a failed run); no error -> "accept".
# The stage is the stage of the first error (parse errors stop the run, so engine is reached only after a clean
# parse).
# --------------------------------------------------------------------------------------------------------------
CASCADE_RE = re.compile(r"^(Value error, )?Invalid (engine|input model|systems|evaluators|data_configs_dict)$")
NOT_FOUND_RE = re.compile(r"(\S+) not found in [\[{]")
ENV_RES = [
    (
        "E1",
        re.compile(
            r"doesn't exist|does not exist|No such file or directory|FileNotFoundError|"
            r"Python executable not found in the path",
            re.I,
        ),
    ),
    (
        "E2",
        re.compile(
            r"ModuleNotFoundError|No module named|ImportError|cannot import name|is not installed|"
            r"please install|requires the .* library",
            re.I,
        ),
    ),
    (
        "E3",
        re.compile(
            r"network disabled by judge|offline mode|HF_HUB_OFFLINE|couldn't connect|"
            r"ConnectionError|Connection refused|Max retries exceeded|LocalEntryNotFoundError|"
            r"Couldn't find a module script|Couldn't reach|OfflineModeIsEnabled|"
            r"Cannot find the requested files in the (disk )?cache",
            re.I,
        ),
    ),
]
PLACEHOLDER_RE = re.compile(r"placeholder", re.I)


def classify_message(message: str, had_placeholder: bool) -> tuple[str, str]:
    """Return (kind, rule) for one error message (cascades of kind C2 are decided by the caller)."""
    if CASCADE_RE.match(message.strip()):
        return "cascade", "C1"
    for rule, rx in ENV_RES:
        if rx.search(message):
            return "environment", rule
    if had_placeholder and PLACEHOLDER_RE.search(message):
        return "environment", "E4"
    if message.startswith("Invalid config, pruned."):
        return "config", "P"
    return "config", "R"


def _section_errored(errors: list[dict], section: str) -> bool:
    return any(e.get("loc") and e["loc"][0] == section and e["kind"] != "cascade" for e in errors)


def judge_errors(errors: list[dict], had_placeholder: bool) -> str:
    """Give every error a kind and return the verdict (rules documented above)."""
    for e in errors:
        e["kind"], e["rule"] = classify_message(e["message"], had_placeholder)
    # C2: "... not found in {...}" is a cascade when the looked-up section failed itself.
    for e in errors:
        if (
            e["kind"] == "config"
            and NOT_FOUND_RE.search(e["message"])
            and any(
                _section_errored([o for o in errors if o is not e], s)
                for s in ("data_configs", "systems", "evaluators")
            )
        ):
            e["kind"], e["rule"] = "cascade", "C2"
    kinds = {e["kind"] for e in errors}
    if not errors:
        return "accept"
    if "config" in kinds:
        return "reject"
    if "environment" in kinds:
        return "environment"
    return "reject"


# --------------------------------------------------------------------------------------------------------------
# Turning exceptions into {"message", "loc"} records.
# --------------------------------------------------------------------------------------------------------------
MAX_MESSAGE = 600


def first_line(text: str) -> str:
    """First non-empty line, trimmed, capped at MAX_MESSAGE characters (some Olive messages embed whole reprs)."""
    line = next((ln.strip() for ln in str(text).splitlines() if ln.strip()), str(text).strip())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _is_validation_error(exc) -> bool:
    return type(exc).__name__ == "ValidationError" and hasattr(exc, "errors")


def exc_records(exc, loc_prefix=None) -> list[dict]:
    """Flatten an exception (pydantic v1/v2 ValidationError, nested ones included) into records."""
    loc_prefix = list(loc_prefix or [])
    if _is_validation_error(exc):
        out = []
        try:
            errs = exc.errors()
        except Exception:
            errs = []
        for err in errs:
            loc = loc_prefix + [x for x in err.get("loc", ()) if x != "__root__"]
            inner = (err.get("ctx") or {}).get("error")
            if inner is not None and _is_validation_error(inner):
                out.extend(exc_records(inner, loc))
                continue
            out.append({"message": first_line(err.get("msg", "")), "loc": loc or None})
        if out:
            return out
    msg = str(exc)
    if isinstance(exc, KeyError):
        msg = repr(exc.args[0]) if exc.args else ""
    text = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    rec = {"message": first_line(text), "loc": loc_prefix or None}
    where = _olive_frame(exc)
    if where:
        rec["where"] = where
    return [rec]


def _olive_frame(exc) -> str | None:
    """'olive/<module path>:<function>' of the innermost traceback frame inside Olive (for non-pydantic errors,
    whose loc is unknown)."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename.replace(os.sep, "/")
        if "/site-packages/olive/" in fn:
            found = "olive/" + fn.split("/site-packages/olive/", 1)[1] + ":" + tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return found


# --------------------------------------------------------------------------------------------------------------
# Placeholders for missing user scripts.
# --------------------------------------------------------------------------------------------------------------
COMPONENT_KEYS = {
    "load_dataset_config": "load_dataset",
    "load_dataset": "load_dataset",
    "pre_process_data_config": "pre_process_data",
    "pre_process_data": "pre_process_data",
    "post_process_data_config": "post_process_data",
    "post_process_data": "post_process_data",
    "dataloader_config": "dataloader",
    "dataloader": "dataloader",
}


def _walk(obj, path=()):
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, (*path, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, (*path, i))


def referenced_scripts(config) -> tuple[set[str], set[str]]:
    files, dirs = set(), set()
    for path, value in _walk(config):
        if path and isinstance(value, str) and value.strip():
            if path[-1] == "user_script":
                files.add(value)
            elif path[-1] == "script_dir":
                dirs.add(value)
    return files, dirs


def referenced_components(config) -> dict[str, set[str]]:
    """Data component type names the config uses, by component kind (both the 0.6.2+ *_config and the older
    components{load_dataset: {type}} spellings)."""
    out: dict[str, set[str]] = {}
    for path, value in _walk(config):
        if len(path) >= 2 and path[-1] == "type" and isinstance(value, str):
            kind = COMPONENT_KEYS.get(path[-2]) if isinstance(path[-2], str) else None
            if kind:
                out.setdefault(kind, set()).add(value)
    return out


PLACEHOLDER_TEMPLATE = """# {mark}: the config's user script is not available; judge.py wrote this stand-in.
_COMPONENTS = {components!r}


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)

    def _placeholder(*args, **kwargs):
        raise RuntimeError("placeholder user_script function " + name + " called")

    _placeholder.__name__ = name
    return _placeholder


def _register_unknown_components():
    try:
        from olive.data.constants import DataComponentType
        from olive.data.registry import Registry
    except Exception:
        return
    for kind, names in _COMPONENTS.items():
        table = Registry._REGISTRY.get(kind, {{}})
        for name in names:
            if name in table or name.lower() in table:
                continue

            def _component(*args, **kwargs):
                raise RuntimeError("placeholder data component called")

            Registry.register(DataComponentType(kind), name=name)(_component)
            _REGISTERED.append(kind + ":" + name)


_REGISTERED = []
_register_unknown_components()
"""


def _escape_depth(rel: str) -> int:
    """How many levels above the config folder a relative path reaches."""
    depth, lowest = 0, 0
    for part in Path(rel).parts:
        if part == "..":
            depth -= 1
        elif part not in (".", ""):
            depth += 1
        lowest = min(lowest, depth)
    return -lowest


def prepare_workdir(src: Path, config, tmp: Path) -> tuple[Path, list[str], bool]:
    """Copy the config into tmp (deep enough for '../' references), materialise its user scripts.

    Returns (copied config path, notes, had_placeholder)."""
    notes: list[str] = []
    files, dirs = referenced_scripts(config) if isinstance(config, dict) else (set(), set())
    depth = max([_escape_depth(p) for p in files | dirs if not os.path.isabs(p)] + [0])
    work = tmp.joinpath(*[f"d{i}" for i in range(depth)], "cfg")
    work.mkdir(parents=True)
    dst = work / src.name
    shutil.copyfile(src, dst)
    had_placeholder = False
    components = {k: sorted(v) for k, v in referenced_components(config).items()} if isinstance(config, dict) else {}
    for d in sorted(dirs):
        if os.path.isabs(d):
            continue
        orig = src.parent / d
        target = work / d
        if orig.is_dir():
            shutil.copytree(orig, target, dirs_exist_ok=True)
        elif not target.exists():
            target.mkdir(parents=True, exist_ok=True)
            notes.append(f"placeholder script_dir created: {d}")
    for f in sorted(files):
        if os.path.isabs(f):
            notes.append(f"user_script is an absolute path, not materialised: {f}")
            continue
        # Olive resolves user_script against the cwd, and also tries script_dir/user_script via sys.path.
        candidates = [f] + [str(Path(d) / f) for d in dirs if not os.path.isabs(d)]
        for rel in candidates:
            orig = src.parent / rel
            target = work / rel
            if orig.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(orig, target)
            elif orig.is_dir():
                shutil.copytree(orig, target, dirs_exist_ok=True)
            elif not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                if rel.endswith(".py") or "." not in Path(rel).name:
                    target.write_text(PLACEHOLDER_TEMPLATE.format(mark=PLACEHOLDER_MARK, components=components))
                    if rel == f:
                        notes.append(f"placeholder user_script created: {f}")
                        had_placeholder = True
                else:
                    # not a python file name: leave it missing (Olive's error is then an environment error)
                    notes.append(f"user_script with unexpected name left missing: {f}")
    if had_placeholder and components:
        notes.append(
            "placeholder user_script may register unknown data components: "
            + ", ".join(f"{k}:{n}" for k, names in components.items() for n in names)
        )
    return dst, notes, had_placeholder


# --------------------------------------------------------------------------------------------------------------
# Child side.
# --------------------------------------------------------------------------------------------------------------
class _WarnCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record):
        try:
            line = first_line(record.getMessage())
        except Exception:
            return
        if line and line not in self.lines and len(self.lines) < 50:
            self.lines.append(line)


def _block_network():
    import socket

    def _refuse(*args, **kwargs):
        raise OSError("network disabled by judge")

    socket.socket.connect = _refuse
    socket.socket.connect_ex = _refuse
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse


class _ConfigEpSystem:
    """Stands in for the target system while Olive normalises accelerators (Olive asks the target which EPs its
    onnxruntime has). We answer: the EPs the config names for that system, plus CPUExecutionProvider (what a plain
    CPU onnxruntime has), so the AcceleratorSpec follows the config, not this machine's onnxruntime build."""

    def __init__(self, system_config):
        eps = []
        try:
            for acc in system_config.config.accelerators or []:
                for ep in getattr(acc, "execution_providers", None) or []:
                    name = ep[0] if isinstance(ep, (list, tuple)) else ep
                    if name not in eps:
                        eps.append(str(name))
        except Exception:
            pass
        # a device named without EPs: Olive picks the device's EPs from the installed ones, so "install" the
        # device's usual EP (gpu -> CUDA as Olive 0.13's _fill_accelerators does; others: Olive's first EP for it)
        try:
            for acc in system_config.config.accelerators or []:
                device = str(getattr(acc, "device", None) or "").lower()
                if not device or getattr(acc, "execution_providers", None):
                    continue
                ep = {"cpu": "CPUExecutionProvider", "gpu": "CUDAExecutionProvider"}.get(device)
                if ep is None:
                    from olive.hardware.accelerator import AcceleratorLookup, Device

                    managed = AcceleratorLookup.get_managed_supported_execution_providers(Device(device))
                    ep = managed[0] if managed else None
                if ep and ep not in eps:
                    eps.append(ep)
        except Exception:
            pass
        if "CPUExecutionProvider" not in eps:
            eps.append("CPUExecutionProvider")
        self.eps = eps

    def get_supported_execution_providers(self):
        return list(self.eps)


def _pass_items(passes):
    """(label loc, RunPassConfig) for every pass entry (0.13: name -> list; 0.6: name -> config)."""
    for name, entry in (passes or {}).items():
        if isinstance(entry, list):
            for i, pc in enumerate(entry):
                yield (["passes", name] if len(entry) == 1 else ["passes", name, i]), name, pc
        else:
            yield ["passes", name], name, entry


def _patch_metric_serializers():
    """Olive 0.13.0 bug: for "custom" metrics Metric.validate_backend returns None and SubMetric.metric_config stays
    None, but their field serializers call .model_dump() unconditionally, so RunConfig.to_json() and
    RunEngineConfig.create_engine() (and a pass config holding such a metric) raise PydanticSerializationError
    "... 'NoneType' object has no attribute 'model_dump'": `olive run` 0.13.0 dies on every config with a custom
    metric before doing anything. That says nothing about the config. We give the two serializer functions a
    None-tolerant body (their code objects are swapped in place, since pydantic compiled references to them) and
    record each config that needed it in notes as "olive-bug: ..."."""
    try:
        from olive.evaluator import metric as metric_mod
    except Exception:
        return []
    hits: list[str] = []
    metric_mod._OLIVE_VERDICTS_HITS = hits

    def serialize_metric_config(self, metric_config):
        if metric_config is None:
            _OLIVE_VERDICTS_HITS.append("SubMetric.metric_config")  # noqa: F821
            return None
        return metric_config.model_dump()

    def serialize_backend(self, backend):
        if backend is None:
            _OLIVE_VERDICTS_HITS.append("Metric.backend")  # noqa: F821
            return None
        return backend if isinstance(backend, str) else backend.model_dump()

    for cls_name, fn in (("SubMetric", serialize_metric_config), ("Metric", serialize_backend)):
        cls = getattr(metric_mod, cls_name, None)
        target = getattr(cls, fn.__name__, None) if cls is not None else None
        target = getattr(target, "__func__", target)
        if target is not None and hasattr(target, "__code__"):
            target.__code__ = fn.__code__
    return hits


def engine_stage_new(run_config, errors: list[dict], notes: list[str]):
    """Olive 0.7+ (0.13.0): what run()/run_engine()/Engine do before the first model load."""
    from olive.package_config import OlivePackageConfig
    from olive.systems.accelerator_creator import create_accelerator
    from olive.systems.system_config import SystemConfig

    package_config = OlivePackageConfig.parse_file_or_obj(OlivePackageConfig.get_default_config_path())
    try:
        engine = run_config.engine.create_engine(package_config, run_config.workflow_id)
    except Exception as exc:
        errors.extend(exc_records(exc, ["engine"]))
        return

    items = list(_pass_items(run_config.passes))
    classes = {}
    is_onnx, run_on_target = False, False
    for loc, _name, pc in items:
        try:
            classes[id(pc)] = package_config.import_pass_module(pc.type)
            mod = package_config.get_pass_module_config(pc.type)
            is_onnx = is_onnx or package_config.is_onnx_module(pc.type)
            run_on_target = run_on_target or bool(getattr(mod, "run_on_target", False))
        except Exception as exc:
            errors.extend(exc_records(exc, [*loc, "type"]))

    ev = run_config.engine.evaluator
    is_ep_required = bool(
        (ev and run_config.engine.evaluate_input_model and run_config.input_model.type.lower() == "onnxmodel")
        or is_onnx
    )
    target_not_used = (
        engine.evaluator_config is None and all(pc.evaluator is None for _, _, pc in items) and not run_on_target
    )
    SystemConfig.create_system = lambda self: _ConfigEpSystem(self)  # child only: see _ConfigEpSystem
    try:
        acc = create_accelerator(
            engine.target_config, skip_supported_eps_check=target_not_used, is_ep_required=is_ep_required
        )
    except Exception as exc:
        errors.extend(exc_records(exc, ["engine", "target"]))
        return

    search = bool(engine.search_strategy)
    host_device = engine.get_host_device()
    for loc, _name, pc in items:
        cls = classes.get(id(pc))
        if cls is None:
            continue
        try:
            if search:
                cls.get_config_params(acc, pc.config, False)
                continue
            cfg = cls.generate_config(acc, pc.config, {}, True)
            if not cls.validate_config(cfg, acc):
                errors.append(
                    {
                        "message": f"Invalid config, pruned. (validate_config returned False for {pc.type} on {acc})",
                        "loc": loc,
                    }
                )
                continue
            cls(acc, cfg, host_device)
        except Exception as exc:
            errors.extend(exc_records(exc, loc))


def engine_stage_old(run_config, errors: list[dict], notes: list[str]):
    """Olive 0.6.x: what run()/run_engine()/Engine.setup_passes do before the first model load."""
    from olive.package_config import OlivePackageConfig
    from olive.passes import Pass
    from olive.systems.accelerator_creator import create_accelerators
    from olive.systems.system_config import SystemConfig

    package_config = OlivePackageConfig.parse_file_or_obj(OlivePackageConfig.get_default_config_path())
    try:
        engine = run_config.engine.create_engine(run_config.azureml_client, run_config.workflow_id)
    except Exception as exc:
        errors.extend(exc_records(exc, ["engine"]))
        return

    items = list(_pass_items(run_config.passes))
    auto_opt = (
        not run_config.passes
        and run_config.auto_optimizer_config is not None
        and not run_config.auto_optimizer_config.disable_auto_optimizer
    )
    classes = {}
    is_onnx = False
    for loc, _name, pc in items:
        try:
            package_config.import_pass_module(pc.type)
            classes[id(pc)] = Pass.registry[pc.type.lower()]
            is_onnx = (
                is_onnx or package_config.passes[pc.type].module_path.startswith("olive.passes.onnx")
                if pc.type in package_config.passes
                else is_onnx
            )
        except Exception as exc:
            errors.extend(exc_records(exc, [*loc, "type"]))
    if not is_onnx:
        try:
            from olive.workflows.run.run import is_execution_provider_required

            is_onnx = is_execution_provider_required(run_config, package_config)
        except Exception:
            pass
    is_ep_required = True if auto_opt else is_onnx
    target_not_used = (
        engine.evaluator_config is None
        and bool(items)
        and all(
            pc.evaluator is None and getattr(classes.get(id(pc)), "run_on_target", False) is False for _, _, pc in items
        )
    )
    SystemConfig.create_system = lambda self: _ConfigEpSystem(self)  # child only: see _ConfigEpSystem
    try:
        specs = create_accelerators(
            engine.target_config, skip_supported_eps_check=target_not_used, is_ep_required=is_ep_required
        )
    except Exception as exc:
        errors.extend(exc_records(exc, ["engine", "target"]))
        return

    host_device = engine.get_host_device() if hasattr(engine, "get_host_device") else None
    seen = set()
    pruned: dict[int, list[str]] = {}  # id(pass config) -> specs on which it is pruned
    for acc in specs:
        for loc, _name, pc in items:
            cls = classes.get(id(pc))
            if cls is None:
                continue
            try:
                cfg = cls.generate_search_space(acc, pc.config, pc.disable_search)
                p = cls(acc, cfg, pc.disable_search, host_device)
                if not p.search_space and not p.validate_search_point({}, acc, with_fixed_value=True):
                    pruned.setdefault(id(pc), []).append(str(acc))
            except Exception as exc:
                for rec in exc_records(exc, loc):
                    key = (rec["message"], tuple(rec["loc"] or ()))
                    if key not in seen:
                        seen.add(key)
                        errors.append(rec)
    # 0.6 runs the passes once per accelerator spec: a pass pruned on some specs still runs on the others, so it is
    # only a failure when it is pruned on every spec.
    for loc, _name, pc in items:
        if len(pruned.get(id(pc), [])) == len(specs):
            errors.append(
                {
                    "message": "Invalid config, pruned. (validate_search_point returned False for "
                    f"{pc.type} on {', '.join(pruned[id(pc)])})",
                    "loc": loc,
                }
            )
    names = set((run_config.passes or {}).keys())
    for i, flow in enumerate(run_config.pass_flows or []):
        for pname in flow:
            if pname not in names:
                errors.append({"message": f"KeyError: '{pname}'", "loc": ["pass_flows", i]})


def _stub_evaluate_load(notes: list[str]):
    """Olive validates huggingface_metrics names with evaluate.load(name), which needs the hub (offline here it
    always fails: "could not load metric X from huggingface/evaluate"). We stub evaluate.load so the rest of the
    config is judged, and note each metric name that could not be verified."""
    try:
        import evaluate
    except Exception:
        return

    def _load(path, *args, **kwargs):
        notes.append(f"huggingface metric not verified offline (evaluate.load stubbed): {path}")
        return object()

    evaluate.load = _load


def judge_in_child(src: Path, tmp: Path) -> dict:
    notes: list[str] = []
    try:
        config = json.loads(src.read_text(encoding="utf-8"))
    except Exception as exc:
        config = None
        notes.append(f"not readable as JSON: {first_line(exc)}")
    copied, more_notes, had_placeholder = prepare_workdir(src, config, tmp)
    notes.extend(more_notes)
    os.chdir(copied.parent)
    if str(copied.parent) not in sys.path:
        sys.path.insert(0, str(copied.parent))
    collector = _WarnCollector()
    logging.getLogger().addHandler(collector)
    logging.getLogger("olive").addHandler(collector)

    _stub_evaluate_load(notes)
    serializer_hits = _patch_metric_serializers() if NEW_OLIVE else []
    from olive.workflows.run.config import RunConfig

    errors: list[dict] = []
    stage = None
    try:
        run_config = RunConfig.parse_file_or_obj(str(copied))
    except BaseException as exc:
        errors = exc_records(exc)
        stage = "parse"
    else:
        try:
            (engine_stage_new if NEW_OLIVE else engine_stage_old)(run_config, errors, notes)
        except BaseException as exc:
            errors.extend(exc_records(exc))
            notes.append("judge: unexpected exception in engine stage: " + first_line(traceback.format_exc(-1)))
        if errors:
            stage = "engine"
    if serializer_hits:
        notes.append(
            "olive-bug: None " + "/".join(sorted(set(serializer_hits))) + " of a custom metric is not "
            "serializable in this Olive version (olive run crashes in RunConfig.to_json); worked around"
        )
    tmp_str = str(tmp)
    for e in errors:  # temp paths would make the data unstable
        e["message"] = e["message"].replace(str(copied.parent), "<config-dir>").replace(tmp_str, "<tmp>")
        if e["loc"] is not None:
            e["loc"] = [x if isinstance(x, int) else str(x) for x in e["loc"]]
    verdict = judge_errors(errors, had_placeholder)
    warn = [w.replace(str(copied.parent), "<config-dir>").replace(tmp_str, "<tmp>") for w in collector.lines]
    return {
        "verdict": verdict,
        "stage": stage if verdict != "accept" else None,
        "errors": errors,
        "notes": notes,
        "warnings": warn,
    }


# --------------------------------------------------------------------------------------------------------------
# Parent side.
# --------------------------------------------------------------------------------------------------------------
def preload():
    """Import what most children need once, before forking."""
    import olive.workflows.run.config
    import olive.workflows.run.run  # noqa: F401
    from olive.package_config import OlivePackageConfig

    for mod in (
        "torch",
        "transformers",
        "onnx",
        "onnxruntime",
        "evaluate",
        "datasets",
        "olive.passes",
        "olive.data.registry",
        "olive.evaluator.metric_backend",
        "olive.evaluator.olive_evaluator",
        "olive.systems.accelerator_creator",
        "olive.engine",
    ):
        with contextlib.suppress(Exception):
            __import__(mod)
    # Import every pass module that imports cleanly (speeds children up; registration is the same as on demand).
    try:
        pc = OlivePackageConfig.parse_file_or_obj(OlivePackageConfig.get_default_config_path())
        for name in list(pc.passes):
            with contextlib.suppress(Exception):
                pc.import_pass_module(name)
    except Exception:
        pass
    logging.getLogger().handlers.clear()
    logging.disable(logging.NOTSET)


def run_one(src: Path, timeout: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="olive-judge-"))
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        try:
            os.setsid()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            _block_network()
            res = judge_in_child(src, tmp)
            data = json.dumps(res).encode()
        except BaseException:
            data = json.dumps({"crash": traceback.format_exc()}).encode()
        with os.fdopen(wfd, "wb") as f:
            f.write(data)
        os._exit(0)
    os.close(wfd)
    chunks, deadline = [], time.monotonic() + timeout
    timed_out = False
    with os.fdopen(rfd, "rb") as f:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([f], [], [], left)
            if ready:
                chunk = os.read(f.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    if timed_out:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(tmp, ignore_errors=True)
    if timed_out:
        return {
            "verdict": "environment",
            "stage": None,
            "notes": ["rule E5"],
            "errors": [
                {"message": f"judge: timed out after {timeout:g} s", "loc": None, "kind": "environment", "rule": "E5"}
            ],
            "warnings": [],
        }
    try:
        res = json.loads(b"".join(chunks) or b"null")
    except ValueError:
        res = None
    if not isinstance(res, dict) or "crash" in res:
        detail = (
            first_line((res or {}).get("crash", "").strip().splitlines()[-1:] or [f"status {status}"])
            if isinstance(res, dict)
            else f"child ended with status {status}"
        )
        return {
            "verdict": "environment",
            "stage": None,
            "notes": ["rule E5"],
            "errors": [
                {"message": f"judge: child crashed: {detail}", "loc": None, "kind": "environment", "rule": "E5"}
            ],
            "warnings": [],
        }
    return res


def collect(args: list[str]) -> list[tuple[Path, str]]:
    out = []
    for arg in args:
        prefix, _, p = arg.rpartition("=") if "=" in arg else ("", "", arg)
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*.json")):
                rel = f.relative_to(path).as_posix()
                out.append((f, f"{prefix}/{rel}" if prefix else rel))
        else:
            out.append((path, f"{prefix}/{path.name}" if prefix else p))
    return out


def pins() -> dict:
    res = {}
    for name in PIN_PACKAGES:
        with contextlib.suppress(md.PackageNotFoundError):
            res[name] = md.version(name)
    res["python"] = sys.version.split()[0]
    return res


def write_out(out: Path, verdicts: list[dict], meta: dict):
    data = {
        "olive_version": OLIVE_VERSION,
        "generated_with": pins(),
        **meta,
        "verdicts": sorted(verdicts, key=lambda v: v["path"]),
    }
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--timeout", type=float, default=90.0, help="seconds per config")
    ap.add_argument("--limit", type=int, default=0, help="judge only the first N files (debugging)")
    ap.add_argument("paths", nargs="+", help="config files or folders, optionally PREFIX=PATH")
    ns = ap.parse_args(argv)

    files = collect(ns.paths)
    if ns.limit:
        files = files[: ns.limit]
    t0 = time.monotonic()
    preload()
    t_preload = time.monotonic() - t0
    verdicts = []
    for i, (src, rel) in enumerate(files, 1):
        t1 = time.monotonic()
        res = run_one(src, ns.timeout)
        rec = {"path": rel, "sha256": hashlib.sha256(src.read_bytes()).hexdigest(), **res}
        verdicts.append(rec)
        dt = time.monotonic() - t1
        print(
            f"[{i}/{len(files)}] {rec['verdict']:<11} {rec['stage'] or '-':<6} {dt:5.2f}s {rel}",
            file=sys.stderr,
            flush=True,
        )
        if i % 50 == 0:
            write_out(ns.out, verdicts, {"partial": True})
    total = time.monotonic() - t0
    write_out(ns.out, verdicts, {})
    print(f"done: {len(files)} configs in {total:.1f} s (preload {t_preload:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
