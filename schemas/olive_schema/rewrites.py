"""Structural rewrites from old Olive config forms to current ones, as edits of the user's text.

Each rewrite looks at the config value and returns the values to put at some
paths (``hf_config`` to ``HfModel``, ``data_configs`` object to list, ...).
``value_edit`` turns each into a text edit in the document's own indentation,
so the findings can offer a rewrite as a quick fix and ``migrate`` can chain
them.  The id of a rewrite is the id of its entry in ``changes.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from olive_schema import catalog, versions
from olive_schema.config_view import pass_entries
from olive_schema.findings import Fix, TextEdit
from olive_schema.jsontree import Document, JsonPath
from olive_schema.search_rules import search_enabled

Config = dict[str, Any]
Change = tuple[JsonPath, Any]
Rewrite = Callable[[Config], "tuple[list[Change], str] | None"]


def hf_config_to_hf_model(config: Config) -> tuple[list[Change], str] | None:
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
    return [(("input_model",), new)], "input_model: PyTorchModel with hf_config -> HfModel"


def data_configs_object_to_list(config: Config) -> tuple[list[Change], str] | None:
    data_configs = config.get("data_configs")
    if not isinstance(data_configs, dict):
        return None
    items = [{**value, "name": key} if isinstance(value, dict) else value for key, value in data_configs.items()]
    items = [{"name": item.pop("name"), **item} if isinstance(item, dict) else item for item in items]
    return [(("data_configs",), items)], "data_configs: object keyed by name -> list"


_LOAD_KEYS = ("data_name", "subset", "split", "data_files", "data_dir", "col_filters", "trust_remote_code")
_PRE_KEYS = ("model_name", "task", "input_cols", "label_cols", "max_samples")
_COMPONENT_SECTIONS = {
    "load_dataset": "load_dataset_config",
    "pre_process_data": "pre_process_data_config",
    "post_process_data": "post_process_data_config",
    "dataloader": "dataloader_config",
}


def params_config_to_components(config: Config) -> tuple[list[Change], str] | None:
    data_configs = config.get("data_configs")
    if not isinstance(data_configs, list):
        return None
    for index, data_config in enumerate(data_configs):
        if isinstance(data_config, dict) and ("params_config" in data_config or "components" in data_config):
            step = f"data_configs[{index}]: params_config/components -> load_dataset_config, pre_process_data_config..."
            return [(("data_configs", index), _split_params_config(data_config))], step
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


def accelerator_strings_to_objects(config: Config) -> tuple[list[Change], str] | None:
    systems = config.get("systems")
    for name, system in [*_inline_systems(config), *(systems.items() if isinstance(systems, dict) else [])]:
        holder = system.get("config") if isinstance(system, dict) and isinstance(system.get("config"), dict) else system
        accelerators = holder.get("accelerators") if isinstance(holder, dict) else None
        if isinstance(accelerators, list) and any(isinstance(a, str) for a in accelerators):
            where: JsonPath = tuple(name.split(".")) if "." in name or name in ("host", "target") else ("systems", name)
            path: JsonPath = (*where, *(("config",) if holder is not system else ()), "accelerators")
            new = [{"device": a} if isinstance(a, str) else a for a in accelerators]
            return [(path, new)], f"systems.{name}: accelerators as device names -> objects"
    return None


def _inline_systems(config: Config) -> list[tuple[str, Any]]:
    """Systems written inline as ``host``/``target`` (top level or under ``engine``), named by their path."""
    found = [(key, config[key]) for key in ("host", "target") if isinstance(config.get(key), dict)]
    engine = config.get("engine")
    if isinstance(engine, dict):
        found += [(f"engine.{key}", engine[key]) for key in ("host", "target") if isinstance(engine.get(key), dict)]
    return found


def execution_providers_to_systems(config: Config) -> tuple[list[Change], str] | None:
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
    return [((), new_config)], "engine.execution_providers -> the systems' accelerators"


def search_algorithm_to_sampler(config: Config) -> tuple[list[Change], str] | None:
    for path in (("search_strategy",), ("engine", "search_strategy")):
        strategy = _get(config, path)
        if isinstance(strategy, dict) and ("search_algorithm" in strategy or "search_algorithm_config" in strategy):
            new = {k: v for k, v in strategy.items() if k not in ("search_algorithm", "search_algorithm_config")}
            algorithm = strategy.get("search_algorithm")
            if algorithm is not None:
                new["sampler"] = {"exhaustive": "sequential"}.get(str(algorithm), algorithm)
            for key, value in (strategy.get("search_algorithm_config") or {}).items():
                new["max_samples" if key == "num_samples" else key] = value
            return [(path, new)], f"{'.'.join(path)}: search_algorithm -> sampler"
    return None


_QTYPES = {
    "QInt8": "int8",
    "QUInt8": "uint8",
    "QInt16": "int16",
    "QUInt16": "uint16",
    "QInt4": "int4",
    "QUInt4": "uint4",
    "QFLOAT8E4M3FN": "fp8",
}
_QTYPE_PARAMS = ("precision", "weight_type", "activation_type")


def quantization_type_names(config: Config) -> tuple[list[Change], str] | None:
    """ONNX Runtime's ``QUInt8``-style names became Olive precisions (``uint8``) in 0.9.0."""
    changes = [
        (path, _QTYPES[value])
        for entry in pass_entries(config)
        for path, key, value in entry.params()
        if key in _QTYPE_PARAMS and isinstance(value, str) and value in _QTYPES
    ]
    return (changes, "quantization types: QUInt8-style names -> precisions (uint8, int8, ...)") if changes else None


_NAME = re.compile(r"[^A-Za-z0-9_]")


def data_config_names(config: Config) -> tuple[list[Change], str] | None:
    """Data config names may hold only letters, digits and underscores: rename them and every reference."""
    data_configs = config.get("data_configs")
    if not isinstance(data_configs, list):
        return None
    renames = {
        d["name"]: _NAME.sub("_", d["name"])
        for d in data_configs
        if isinstance(d, dict) and isinstance(d.get("name"), str) and _NAME.search(d["name"])
    }
    if not renames:
        return None
    changes: list[Change] = [
        (("data_configs", i, "name"), renames[d["name"]])
        for i, d in enumerate(data_configs)
        if isinstance(d, dict) and d.get("name") in renames
    ]
    changes += [(path, renames[value]) for path, value in _references(config) if value in renames]
    shown = ", ".join(f"{old} -> {new}" for old, new in renames.items())
    return changes, f"data config names with characters Olive refuses: {shown}"


def _references(node: Any, path: JsonPath = ()) -> list[tuple[JsonPath, Any]]:
    """Every ``*data_config`` value in the config, with its path."""
    found: list[tuple[JsonPath, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("data_config") and isinstance(value, str):
                found.append(((*path, key), value))
            else:
                found += _references(value, (*path, key))
    elif isinstance(node, list) and path[:1] != ("data_configs",):
        for index, item in enumerate(node):
            found += _references(item, (*path, index))
    return found


_TUNING_LISTS = (
    "providers_list",
    "execution_mode_list",
    "opt_level_list",
    "intra_thread_num_list",
    "inter_thread_num_list",
    "provider_options_list",
)


def tuning_lists_to_search(config: Config) -> tuple[list[Change], str] | None:
    """Session tuning took lists of candidates; since 0.7.1 each is one value or a search parameter.

    Only with search on: without it, which candidate to keep is the user's call (the finding stays)."""
    if search_enabled(config) is None:
        return None
    changes: list[Change] = [
        (path, {"type": "Categorical", "support": value})
        for entry in pass_entries(config)
        if str(entry.type_name).lower() in ("ortsessionparamstuning", "ortperftuning")
        for path, key, value in entry.params()
        if key in _TUNING_LISTS and isinstance(value, list)
    ]
    return (changes, "session tuning candidate lists -> Categorical search parameters") if changes else None


def one_execution_provider(config: Config) -> tuple[list[Change], str] | None:
    """Since 0.10 an accelerator takes one execution provider: keep the first, say which were dropped."""
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        holder = system.get("config") if isinstance(system, dict) and isinstance(system.get("config"), dict) else system
        accelerators = holder.get("accelerators") if isinstance(holder, dict) else None
        for index, accelerator in enumerate(accelerators if isinstance(accelerators, list) else []):
            providers = accelerator.get("execution_providers") if isinstance(accelerator, dict) else None
            if isinstance(providers, list) and len(providers) > 1:
                base: JsonPath = ("systems", name, *(("config",) if holder is not system else ()))
                path = (*base, "accelerators", index, "execution_providers")
                dropped = ", ".join(str(p) for p in providers[1:])
                return [
                    (path, providers[:1])
                ], f"systems.{name}: one execution provider per accelerator (dropped {dropped})"
    return None


def docker_local_config(config: Config) -> tuple[list[Change], str] | None:
    """A Docker system's ``local_docker_config`` settings moved next to ``type``."""
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        holder = system.get("config") if isinstance(system, dict) and isinstance(system.get("config"), dict) else None
        local = holder.get("local_docker_config") if holder is not None else None
        if isinstance(local, dict):
            assert holder is not None
            flat = {k: v for k, v in holder.items() if k != "local_docker_config"}
            new = {**{k: v for k, v in system.items() if k != "config"}, **flat, **local}
            return [(("systems", name), new)], f"systems.{name}: local_docker_config -> Docker settings beside type"
    return None


def cuda_tuning_io_bind(config: Config) -> tuple[list[Change], str] | None:
    """Session tuning on CUDA needs ``io_bind`` since 0.11 (Olive skips the pass otherwise)."""
    from olive_schema.pruning_rules import target_execution_providers

    if "CUDAExecutionProvider" not in target_execution_providers(config):
        return None
    for entry in pass_entries(config):
        if (
            str(entry.type_name).lower() in ("ortsessionparamstuning", "ortperftuning")
            and entry.param("io_bind") is None
        ):
            nested = isinstance(entry.body.get("config"), dict)
            body = json.loads(json.dumps(entry.body))
            (body["config"] if nested else body)["io_bind"] = True
            return [(entry.path, body)], f"passes.{entry.name}: io_bind true, which session tuning on CUDA needs"
    return None


def input_model_dataset(config: Config) -> tuple[list[Change], str] | None:
    """``hf_config.dataset`` and the magic ``__input_model_data_config__`` become a named data config."""
    model = config.get("input_model")
    inner = model.get("config") if isinstance(model, dict) else None
    hf_config = inner.get("hf_config") if isinstance(inner, dict) else None
    dataset = hf_config.get("dataset") if isinstance(hf_config, dict) else None
    if not isinstance(dataset, dict):
        return None
    name = "input_model_data_config"
    data_config: Config = {"name": name, "type": "HuggingfaceContainer"}
    sections = {
        "load_dataset_config": ("data_name", "subset", "split", "data_files"),
        "pre_process_data_config": ("input_cols", "label_cols", "max_samples"),
        "dataloader_config": ("batch_size",),
    }
    for section, keys in sections.items():
        picked = {k: dataset[k] for k in keys if k in dataset}
        if picked:
            data_config[section] = picked
    new = json.loads(json.dumps(config))
    del new["input_model"]["config"]["hf_config"]["dataset"]
    existing = new.get("data_configs")
    new["data_configs"] = [*(existing if isinstance(existing, list) else []), data_config]
    _replace_references(new, "__input_model_data_config__", name)
    return [((), new)], f"input_model.config.hf_config.dataset -> data_configs entry {name!r}"


def _replace_references(node: Any, old: str, new: str) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in list(items):
        if value == old and isinstance(key, str) and key.endswith("data_config"):
            node[key] = new
        else:
            _replace_references(value, old, new)


def _get(config: Config, path: JsonPath) -> Any:
    node: Any = config
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node


REWRITES: tuple[tuple[str, Rewrite], ...] = (
    ("hf-config-dataset", input_model_dataset),
    ("hf-config", hf_config_to_hf_model),
    ("data-configs-object", data_configs_object_to_list),
    ("data-params-config", params_config_to_components),
    ("accelerator-strings", accelerator_strings_to_objects),
    ("engine-execution-providers", execution_providers_to_systems),
    ("search-algorithm", search_algorithm_to_sampler),
    ("quantization-type-names", quantization_type_names),
    ("", data_config_names),
    ("session-tuning-lists", tuning_lists_to_search),
    ("several-execution-providers", one_execution_provider),
    ("docker-local-config", docker_local_config),
    ("cuda-tuning-io-bind", cuda_tuning_io_bind),
)


def value_edit(doc: Document, path: JsonPath, value: Any) -> TextEdit:
    """Replace the value at ``path``, serialized in the indentation of its surroundings."""
    node = doc.node_at_path(path)
    assert node is not None
    text = doc.text
    line_start = text.rfind("\n", 0, node.start) + 1
    base = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
    rendered = json.dumps(value, indent=indent_unit(text), ensure_ascii=False).replace("\n", "\n" + base)
    return TextEdit(node.start, node.end, rendered)


def indent_unit(text: str) -> int:
    """The document's indentation step (2 when it cannot tell)."""
    widths = [len(m.group(1)) for m in re.finditer(r"\n( +)\S", text)]
    return min((w for w in widths if w > 0), default=2)


def apply_edits(text: str, edits: list[TextEdit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


def old_form_valid(change_id: str, version: str) -> bool:
    """Whether the target release still accepts the form a rewrite would remove (then it is left alone)."""
    changes = catalog.load("changes")
    entry = next(e for e in [*changes["keys"], *changes["forms"]] if e["id"] == change_id)
    return versions.holds(entry["valid"], version)


# -- writing values back in the document's style ------------------------------------------------


def rewrite_fix(change_id: str, doc: Document) -> Fix | None:
    """The rewrite for a change as a quick fix on this document, when it applies."""
    rewrite = dict(REWRITES).get(change_id)
    config = doc.root.to_python() if doc.root is not None else None
    found = rewrite(config) if rewrite is not None and isinstance(config, dict) else None
    if found is None:
        return None
    changes, step = found
    return Fix(f"Migrate: {step}", tuple(value_edit(doc, path, value) for path, value in changes))
