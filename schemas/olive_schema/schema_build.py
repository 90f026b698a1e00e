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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from olive_schema import catalog, pass_catalog, versions
from olive_schema.pass_catalog import ParamSpec, PassSpec
from olive_schema.patterns import any_of_names, case_insensitive

JsonObject = dict[str, Any]

SCHEMA_ID = "https://olive-studio.dev/schemas/olive-config.schema.json"
SCHEMA_FILE = Path(__file__).with_name("olive-config.schema.json")


FLAT_FORM_SINCE = "0.7.0"  # NestedConfig: parameters may be written beside `type`
CASE_INSENSITIVE_SYSTEMS_SINCE = "0.7.0"
SPELLING = {"HFModel": "HfModel"}  # the registry's name and the one the docs use match without case
ALWAYS_RUNNABLE = {"system_types": ("AzureML",)}  # Olive Studio's runner runs them after Olive dropped them
SEARCH_VALUE: JsonObject = {
    "markdownDescription": (
        'Instead of a value: `"DEFAULT_VALUE"` (the pass\'s default), `"SEARCHABLE_VALUES"` (let the search '
        "try the pass's candidate values), or a search parameter such as "
        '`{"type": "Categorical", "support": [16, 32, 64]}`.'
    ),
    "anyOf": [
        {"enum": ["DEFAULT_VALUE", "SEARCHABLE_VALUES"]},
        {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": ["Categorical", "Boolean", "Conditional", "ConditionalDefault"]}},
        },
    ],
}


def param_schema(spec: ParamSpec) -> JsonObject:
    """One pass parameter: its own schema, or one of the values Olive accepts in place of any parameter."""
    own = copy.deepcopy(spec.schema)
    schema: JsonObject = {"anyOf": [own, {"$ref": "#/$defs/searchValue"}], "x-pass-param": True} if own else {}
    if spec.description:
        schema["markdownDescription"] = spec.description
        schema["description"] = spec.description
    if spec.has_default:
        schema["default"] = spec.default
    return schema


def pass_type_schema(names: Sequence[str], version: str) -> JsonObject:
    return {
        "type": "string",
        "markdownDescription": "The pass to run. Olive matches the name without regard to case.",
        "anyOf": [
            {"enum": list(names), "enumDescriptions": [pass_catalog.spec_at(n, version).summary for n in names]},
            {"pattern": any_of_names(names)},
        ],
    }


def pass_schema(spec: PassSpec, flat: bool) -> JsonObject:
    """One pass type: its parameters under ``config`` and, since Olive 0.7, also beside ``type``."""
    params = {name: param_schema(p) for name, p in spec.params.items()}
    required = [name for name, p in spec.params.items() if p.required]
    config = {
        "type": "object",
        "markdownDescription": f"Parameters of the {spec.name} pass.",
        "properties": params,
        "additionalProperties": False,
        "x-unknown-keys": "warning",
    }
    schema: JsonObject = {
        "type": "object",
        "markdownDescription": spec.description or spec.summary,
        "properties": {**_entry_properties(), "config": config, **(_flat_refs(spec.name, params) if flat else {})},
        "additionalProperties": False,
        "x-unknown-keys": "warning",
    }
    if required:
        schema["allOf"] = [_required_somewhere(p) if flat else _required_nested(p) for p in required]
    return schema


def _flat_refs(pass_name: str, params: JsonObject) -> JsonObject:
    """Flat parameters point at their nested twins: one definition, half the schema."""
    base = f"#/$defs/pass.{pass_name}/properties/config/properties"
    return {name: {"$ref": f"{base}/{name.replace('~', '~0').replace('/', '~1')}"} for name in params}


def _required_nested(param: str) -> JsonObject:
    return {"required": ["config"], "properties": {"config": {"required": [param]}}}


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


def pass_entry_schema(names: Sequence[str]) -> JsonObject:
    """A ``passes`` entry: the parameters that apply are chosen by ``type``."""
    branches = [
        {
            "if": {"properties": {"type": {"pattern": case_insensitive(name)}}, "required": ["type"]},
            "then": {"$ref": f"#/$defs/pass.{name}"},
        }
        for name in names
    ]
    entry = {
        "type": "object",
        "markdownDescription": "One step of the pipeline. Passes run in the order they are written.",
        "required": ["type"],
        "properties": {
            **_entry_properties(),
            "config": {
                "type": "object",
                "markdownDescription": "The pass's parameters; since Olive 0.7 they may also be written beside `type`.",
            },
        },
        "allOf": branches,
        "defaultSnippets": [{"label": "New pass", "body": {"type": "$1"}}],
    }
    return entry


def _types_at(section: JsonObject, fact: str, version: str, case_insensitive: bool) -> None:
    """Narrow a section's ``type`` to the names registered in ``version``."""
    names = [n for n, ranges in catalog.load("olive_versions")[fact].items() if versions.holds(ranges, version)]
    names = [SPELLING.get(n, n) for n in names] + [n for n in ALWAYS_RUNNABLE.get(fact, ()) if n not in names]
    if fact == "system_types":
        aliases = catalog.load("changes")["system_aliases"]
        names += aliases["names"] if versions.holds(aliases["valid"], version) else []
    prop = section["properties"]["type"]
    described = dict(zip(prop["anyOf"][0]["enum"], prop["anyOf"][0].get("enumDescriptions", []), strict=False))
    choice: JsonObject = {"enum": names, "enumDescriptions": [described.get(n, "") for n in names]}
    if case_insensitive:
        prop["anyOf"] = [choice, {"pattern": any_of_names(names)}]
    else:
        prop.pop("anyOf")
        prop.update(choice)


def pass_slot_schema() -> JsonObject:
    """A value in ``passes``: one pass, or (since Olive 0.8) a list of alternatives for the search."""
    return {
        "markdownDescription": "One pass, or a list of alternative passes for the search to choose from.",
        "if": {"type": "array"},
        "then": {"type": "array", "items": {"$ref": "#/$defs/passEntry"}},
        "else": {"$ref": "#/$defs/passEntry"},
    }


def build_schema(version: str | None = None) -> JsonObject:
    """The schema for an Olive release (the newest by default)."""
    version = version or versions.newest()
    sections: JsonObject = copy.deepcopy(catalog.load("sections")["$defs"])
    names = pass_catalog.names_at(version)
    flat = versions.key(version) >= versions.key(FLAT_FORM_SINCE)
    engine_properties: JsonObject = sections.pop("engineProperties")
    _types_at(sections["inputModel"], "input_model_types", version, case_insensitive=True)
    _types_at(
        sections["system"],
        "system_types",
        version,
        case_insensitive=versions.key(version) >= versions.key(CASE_INSENSITIVE_SYSTEMS_SINCE),
    )
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
        "searchValue": SEARCH_VALUE,
        "passType": pass_type_schema(names, version),
        "passEntry": pass_entry_schema(names),
        "passSlot": pass_slot_schema(),
        **{f"pass.{name}": pass_schema(pass_catalog.spec_at(name, version), flat) for name in names},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Olive workflow config (olive-config.json), Olive {version}",
        "markdownDescription": "A Microsoft Olive workflow: the model to start from, its data, and the passes to run.",
        "type": "object",
        "required": ["input_model"],
        "properties": {**engine_properties, **_top_level_properties()},
        "additionalProperties": False,
        "x-unknown-keys": "error",
        "x-olive-version": version,
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
            "additionalProperties": {"$ref": "#/$defs/passSlot"},
        },
        "engine": {"$ref": "#/$defs/engine"},
    }


def render() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


def write(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path
