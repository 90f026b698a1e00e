"""Rewrite a config written for an older Olive release into the format of a newer one.

Two kinds of steps, repeated until nothing changes:
- the fixes that the findings for the target release carry (renames, removals),
  applied as text edits, so untouched lines keep their formatting;
- structural rewrites that no single rename expresses (``hf_config`` to
  ``HfModel``, ``data_configs`` object to list, ``params_config`` to components,
  execution providers to system accelerators, old search keys), each replacing
  one value, serialized in the document's own indentation.
Whatever cannot be rewritten safely (e.g. ``eval_dataset_size``, which needs a
new data split) stays, and the checker's findings on the result say so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from olive_schema import catalog, codes, versions
from olive_schema.checker import check_document
from olive_schema.findings import Finding, TextEdit
from olive_schema.jsontree import Document, JsonPath, parse

MAX_ROUNDS = 8
AUTOMATIC_FIX_CODES = frozenset({codes.KEY_NOT_IN_VERSION, codes.PASS_TYPE_NOT_IN_VERSION, codes.PASS_TYPE_CASE})

Config = dict[str, Any]


@dataclass
class Migration:
    text: str
    steps: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class MigrationError(ValueError):
    """The text is not a JSON object that can be migrated (e.g. it has syntax errors)."""


def migrate_text(text: str, to_version: str) -> Migration:
    doc = parse(text)
    if doc.problems or doc.root is None or doc.root.kind != "object":
        raise MigrationError("the file has JSON syntax errors: fix them first (olive-studio validate shows where)")
    result = Migration(text)
    for _ in range(MAX_ROUNDS):
        doc = parse(result.text)
        changed = _rewrite_structure(doc, to_version, result) or _apply_fixes(doc, to_version, result)
        if not changed:
            break
    result.findings = check_document(parse(result.text), to_version)
    return result


def _apply_fixes(doc: Document, version: str, result: Migration) -> bool:
    """Apply the first fix of every finding that has one, where the fixes do not overlap."""
    edits: list[TextEdit] = []
    for finding in check_document(doc, version):
        if finding.code not in AUTOMATIC_FIX_CODES or not finding.fixes:
            continue
        fix = finding.fixes[0]
        if any(_overlaps(e, other) for e in fix.edits for other in edits):
            continue
        edits.extend(fix.edits)
        result.steps.append(f"{finding.path_text}: {fix.title}")
    if not edits:
        return False
    result.text = apply_edits(result.text, edits)
    return True


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


# -- structural rewrites -------------------------------------------------------------------------

Rewrite = Callable[[Config], "tuple[JsonPath, Any, str] | None"]


def _rewrite_structure(doc: Document, version: str, result: Migration) -> bool:
    config = doc.root.to_python() if doc.root is not None else {}
    assert isinstance(config, dict)
    for change_id, rewrite in REWRITES:
        if _old_form_valid(change_id, version):
            continue
        change = rewrite(config)
        if change is not None:
            path, value, step = change
            result.text = replace_value(doc, path, value)
            result.steps.append(step)
            return True
    return False


def hf_config_to_hf_model(config: Config) -> tuple[JsonPath, Any, str] | None:
    model = config.get("input_model")
    inner = model.get("config") if isinstance(model, dict) else None
    hf_config = inner.get("hf_config") if isinstance(inner, dict) else None
    if not isinstance(model, dict) or not isinstance(hf_config, dict):
        return None
    assert isinstance(inner, dict)
    new: Config = {"type": "HfModel"}
    model_path = inner.get("model_path", hf_config.get("model_name"))
    if model_path is not None:
        new["model_path"] = model_path
    if "task" in hf_config:
        new["task"] = hf_config["task"]
    load_kwargs = hf_config.get("from_pretrained_args", hf_config.get("model_loading_args"))
    if isinstance(load_kwargs, dict) and load_kwargs:
        new["load_kwargs"] = load_kwargs
    for key in ("io_config", "adapter_path", "model_attributes"):
        if key in inner:
            new[key] = inner[key]
    return ("input_model",), new, "input_model: PyTorchModel with hf_config -> HfModel"


def data_configs_object_to_list(config: Config) -> tuple[JsonPath, Any, str] | None:
    data_configs = config.get("data_configs")
    if not isinstance(data_configs, dict):
        return None
    items = [{**value, "name": key} if isinstance(value, dict) else value for key, value in data_configs.items()]
    items = [{"name": item.pop("name"), **item} if isinstance(item, dict) else item for item in items]
    return ("data_configs",), items, "data_configs: object keyed by name -> list"


_LOAD_KEYS = ("data_name", "subset", "split", "data_files", "data_dir", "col_filters", "trust_remote_code")
_PRE_KEYS = ("model_name", "task", "input_cols", "label_cols", "max_samples")
_COMPONENT_SECTIONS = {
    "load_dataset": "load_dataset_config",
    "pre_process_data": "pre_process_data_config",
    "post_process_data": "post_process_data_config",
    "dataloader": "dataloader_config",
}


def params_config_to_components(config: Config) -> tuple[JsonPath, Any, str] | None:
    data_configs = config.get("data_configs")
    if not isinstance(data_configs, list):
        return None
    for index, data_config in enumerate(data_configs):
        if isinstance(data_config, dict) and ("params_config" in data_config or "components" in data_config):
            return (
                ("data_configs", index),
                _split_params_config(data_config),
                (
                    f"data_configs[{index}]: params_config/components -> load_dataset_config, "
                    "pre_process_data_config, ..."
                ),
            )
    return None


def _split_params_config(data_config: Config) -> Config:
    params = dict(data_config.get("params_config") or {})
    kwargs = params.pop("component_kwargs", {}) or {}
    sections: dict[str, Config] = {}
    for key in _LOAD_KEYS:
        if key in params:
            sections.setdefault("load_dataset_config", {})[key] = params.pop(key)
    for key in _PRE_KEYS:
        if key in params:
            sections.setdefault("pre_process_data_config", {})[key] = params.pop(key)
    if "batch_size" in params:
        sections.setdefault("dataloader_config", {})["batch_size"] = params.pop("batch_size")
    if params:
        sections.setdefault("load_dataset_config", {}).update(params)
    for component, section in _COMPONENT_SECTIONS.items():
        old = (data_config.get("components") or {}).get(component)
        if isinstance(old, dict):
            typed = {"type": old["type"]} if "type" in old else {}
            sections[section] = {**typed, **sections.get(section, {}), **(old.get("params") or {})}
        if isinstance(kwargs.get(component), dict):
            sections.setdefault(section, {}).update(kwargs[component])
    kept = {k: v for k, v in data_config.items() if k not in ("params_config", "components")}
    return {**kept, **{s: sections[s] for s in _COMPONENT_SECTIONS.values() if s in sections}}


_EP_DEVICES = {
    "CPUExecutionProvider": "cpu",
    "OpenVINOExecutionProvider": "cpu",
    "QNNExecutionProvider": "npu",
    "VitisAIExecutionProvider": "npu",
}


def accelerator_strings_to_objects(config: Config) -> tuple[JsonPath, Any, str] | None:
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        holder = system.get("config") if isinstance(system, dict) and isinstance(system.get("config"), dict) else system
        accelerators = holder.get("accelerators") if isinstance(holder, dict) else None
        if isinstance(accelerators, list) and any(isinstance(a, str) for a in accelerators):
            path: JsonPath = ("systems", name, *(("config",) if holder is not system else ()), "accelerators")
            new = [{"device": a} if isinstance(a, str) else a for a in accelerators]
            return path, new, f"systems.{name}: accelerators as device names -> objects"
    return None


def execution_providers_to_systems(config: Config) -> tuple[JsonPath, Any, str] | None:
    """``engine.execution_providers`` moves onto the accelerators of the systems (a local one if none)."""
    engine = config.get("engine")
    if not isinstance(engine, dict) or "execution_providers" not in engine:
        return None
    providers = list(engine["execution_providers"] or [])
    systems = json.loads(json.dumps(config.get("systems") or {}))
    if not systems:
        device = _EP_DEVICES.get(providers[0], "gpu") if providers else "cpu"
        systems = {"local_system": {"type": "LocalSystem", "accelerators": [{"device": device}]}}
    for system in systems.values():
        holder = system.get("config", system) if isinstance(system, dict) else None
        for accelerator in holder.get("accelerators", []) if isinstance(holder, dict) else []:
            if isinstance(accelerator, dict) and "execution_providers" not in accelerator:
                accelerator["execution_providers"] = providers
    new_config = {
        **config,
        "systems": systems,
        "engine": {k: v for k, v in engine.items() if k != "execution_providers"},
    }
    if "host" not in new_config["engine"] and "target" not in new_config["engine"] and "systems" not in config:
        new_config["engine"] = {**new_config["engine"], "target": "local_system"}
    return (), new_config, "engine.execution_providers -> the systems' accelerators"


def search_algorithm_to_sampler(config: Config) -> tuple[JsonPath, Any, str] | None:
    for path in (("search_strategy",), ("engine", "search_strategy")):
        strategy = _get(config, path)
        if isinstance(strategy, dict) and ("search_algorithm" in strategy or "search_algorithm_config" in strategy):
            new = {k: v for k, v in strategy.items() if k not in ("search_algorithm", "search_algorithm_config")}
            algorithm = strategy.get("search_algorithm")
            if algorithm is not None:
                new["sampler"] = {"exhaustive": "sequential"}.get(str(algorithm), algorithm)
            for key, value in (strategy.get("search_algorithm_config") or {}).items():
                new["max_samples" if key == "num_samples" else key] = value
            return path, new, f"{'.'.join(path)}: search_algorithm -> sampler"
    return None


def _get(config: Config, path: JsonPath) -> Any:
    node: Any = config
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


REWRITES: tuple[tuple[str, Rewrite], ...] = (
    ("hf-config", hf_config_to_hf_model),
    ("data-configs-object", data_configs_object_to_list),
    ("data-params-config", params_config_to_components),
    ("accelerator-strings", accelerator_strings_to_objects),
    ("engine-execution-providers", execution_providers_to_systems),
    ("search-algorithm", search_algorithm_to_sampler),
)


def _old_form_valid(change_id: str, version: str) -> bool:
    """Whether the target release still accepts the form a rewrite would remove (then it is left alone)."""
    changes = catalog.load("changes")
    entry = next(e for e in [*changes["keys"], *changes["forms"]] if e["id"] == change_id)
    return versions.holds(entry["valid"], version)


# -- writing values back in the document's style ------------------------------------------------


def replace_value(doc: Document, path: JsonPath, value: Any) -> str:
    """The text with the value at ``path`` replaced, indented like its surroundings."""
    node = doc.node_at_path(path)
    assert node is not None
    text = doc.text
    line_start = text.rfind("\n", 0, node.start) + 1
    base = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
    rendered = json.dumps(value, indent=indent_unit(text), ensure_ascii=False).replace("\n", "\n" + base)
    return text[: node.start] + rendered + text[node.end :]


def indent_unit(text: str) -> int:
    """The document's indentation step (2 when it cannot tell)."""
    widths = [len(m.group(1)) for m in re.finditer(r"\n( +)\S", text)]
    return min((w for w in widths if w > 0), default=2)
