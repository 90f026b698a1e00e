"""Build the JSON Schema of olive-config.json from the catalog.

The schema is generated, not written by hand, because every pass appears in
two forms (flat and under ``config``) and every engine key at two places
(under ``engine`` and at the top level): writing those twice by hand is how
they drift.  ``olive-studio schema --write`` regenerates the committed file
``schemas/olive_schema/olive-config.schema.json``; a test keeps it in sync.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from olive_schema import catalog

JsonObject = dict[str, Any]

SCHEMA_ID = "https://olive-studio.dev/schemas/olive-config.schema.json"
SCHEMA_FILE = Path(__file__).with_name("olive-config.schema.json")


def case_insensitive_pattern(name: str) -> str:
    """``LoRA`` -> ``^[Ll][Oo][Rr][Aa]$``: ECMA-262 regexes have no inline (?i) flag."""
    parts = [f"[{c.upper()}{c.lower()}]" if c.isalpha() else _escape(c) for c in name]
    return "^" + "".join(parts) + "$"


def _escape(char: str) -> str:
    return "\\" + char if char in r".^$*+?()[]{}|\/" else char


def _with_docs(schema: JsonObject, description: str) -> JsonObject:
    out = copy.deepcopy(schema)
    if description:
        out.setdefault("markdownDescription", description)
        out.setdefault("description", description)
    return out


def param_schema(spec: JsonObject) -> JsonObject:
    """The schema of one pass parameter, with its docs and default."""
    schema = _with_docs(spec.get("schema", {}), spec.get("description", ""))
    if "default" in spec:
        schema.setdefault("default", spec["default"])
    if "enumDescriptions" in spec:
        schema.setdefault("enumDescriptions", spec["enumDescriptions"])
    return schema


def pass_type_schema(pass_docs: JsonObject) -> JsonObject:
    names = list(catalog.load("registry")["passes"])
    return {
        "type": "string",
        "markdownDescription": "The pass to run. Olive matches the name without regard to case.",
        "anyOf": [
            {"enum": names, "enumDescriptions": [pass_docs.get(n, {}).get("summary", "") for n in names]},
            {"pattern": "|".join(case_insensitive_pattern(n) for n in names)},
        ],
    }


def pass_schema(name: str, spec: JsonObject) -> JsonObject:
    """One pass type: its parameters flat beside ``type`` and nested under ``config``."""
    params = {p: param_schema(s) for p, s in spec.get("params", {}).items()}
    required = [p for p, s in spec.get("params", {}).items() if s.get("required")]
    config = {
        "type": "object",
        "markdownDescription": f"Parameters of the {name} pass (they may also be written beside `type`).",
        "properties": params,
        "additionalProperties": False,
        "x-unknown-keys": "warning",
    }
    schema: JsonObject = {
        "type": "object",
        "markdownDescription": spec.get("description", ""),
        "properties": {**_entry_properties(), "config": config, **params},
        "additionalProperties": False,
        "x-unknown-keys": "warning",
    }
    if required:
        schema["allOf"] = [_required_somewhere(p) for p in required]
    return schema


def _required_somewhere(param: str) -> JsonObject:
    """A required parameter may sit flat or under ``config``."""
    return {"anyOf": [{"required": [param]}, {"required": ["config"], "properties": {"config": {"required": [param]}}}]}


def _entry_properties() -> JsonObject:
    return {
        "type": {"$ref": "#/$defs/passType"},
        "host": {
            "markdownDescription": "Where this pass runs: a name from `systems`, or a system written inline.",
            "anyOf": [{"type": "string"}, {"$ref": "#/$defs/system"}],
        },
        "evaluator": {
            "markdownDescription": "The evaluator for this pass's output: a name from `evaluators`, or inline.",
            "anyOf": [{"type": "string"}, {"$ref": "#/$defs/evaluator"}],
        },
    }


def pass_entry_schema(pass_docs: JsonObject) -> JsonObject:
    """A ``passes`` entry: the parameters that apply are chosen by ``type``."""
    branches = [
        {
            "if": {"properties": {"type": {"pattern": case_insensitive_pattern(name)}}, "required": ["type"]},
            "then": {"$ref": f"#/$defs/pass.{name}"},
        }
        for name in pass_docs
    ]
    return {
        "type": "object",
        "markdownDescription": "One step of the pipeline. Passes run in the order they are written.",
        "required": ["type"],
        "properties": {
            **_entry_properties(),
            "config": {
                "type": "object",
                "markdownDescription": "The pass's parameters; they may also be written beside `type`.",
            },
        },
        "allOf": branches,
        "defaultSnippets": [{"label": "New pass", "body": {"type": "$1"}}],
    }


def build_schema() -> JsonObject:
    sections: JsonObject = copy.deepcopy(catalog.load("sections")["$defs"])
    pass_docs: JsonObject = catalog.load("passes")
    engine_properties: JsonObject = sections.pop("engineProperties")
    defs: JsonObject = {
        **sections,
        "engine": {
            "type": "object",
            "markdownDescription": (
                "How Olive runs the workflow: where, with which evaluator, and where outputs and cache go. "
                "Every key here may also be written at the top level of the config."
            ),
            "properties": engine_properties,
            "additionalProperties": False,
            "x-unknown-keys": "error",
        },
        "passType": pass_type_schema(pass_docs),
        "passEntry": pass_entry_schema(pass_docs),
        **{f"pass.{name}": pass_schema(name, spec) for name, spec in pass_docs.items()},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Olive workflow config (olive-config.json)",
        "markdownDescription": "A Microsoft Olive workflow: the model to start from, its data, and the passes to run.",
        "type": "object",
        "required": ["input_model"],
        "properties": {**engine_properties, **_top_level_properties()},
        "additionalProperties": False,
        "x-unknown-keys": "error",
        "$defs": defs,
    }


def _top_level_properties() -> JsonObject:
    return {
        "workflow_id": {
            "type": "string",
            "markdownDescription": "A name for this workflow; Olive keeps its cache under `<cache_dir>/<workflow_id>`.",
            "default": "default_workflow",
        },
        "input_model": {"$ref": "#/$defs/inputModel"},
        "systems": {
            "type": "object",
            "markdownDescription": "Named machines or environments that `host` and `target` refer to.",
            "additionalProperties": {"$ref": "#/$defs/system"},
        },
        "data_configs": {
            "type": "array",
            "markdownDescription": (
                "The datasets of the workflow, each with a unique `name` that passes and metrics refer to. "
                "A list since Olive 0.6 (older configs used an object keyed by name)."
            ),
            "items": {"$ref": "#/$defs/dataConfig"},
        },
        "evaluators": {
            "type": "object",
            "markdownDescription": "Named evaluators: the metrics to measure on a model, referred to by `evaluator`.",
            "additionalProperties": {"$ref": "#/$defs/evaluator"},
        },
        "passes": {
            "type": "object",
            "markdownDescription": "The pipeline: named passes, run in the order written here.",
            "additionalProperties": {"$ref": "#/$defs/passEntry"},
        },
        "engine": {"$ref": "#/$defs/engine"},
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path
