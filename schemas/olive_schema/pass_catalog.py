"""Passes as a given Olive release knows them: names, parameters, their schemas and docs.

Three sources meet here: the per-release facts (``olive_versions.json``: which
passes and parameters exist, with Python types and defaults), our words
(``passes.json`` and ``pass_docs/*.json``), and hand-tuned schemas for the passes
users touch most (``passes.json``), which win where the parameter has not
changed since.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from olive_schema import catalog, pytypes, versions

JsonObject = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str
    schema: JsonObject
    description: str
    required: bool
    has_default: bool
    default: Any


@dataclass(frozen=True, slots=True)
class PassSpec:
    name: str
    summary: str
    description: str
    params: dict[str, ParamSpec]


@cache
def docs() -> dict[str, JsonObject]:
    """Our words for every pass: ``passes.json`` and every file under ``pass_docs/``."""
    out: dict[str, JsonObject] = {}
    folder = resources.files("olive_schema").joinpath("catalog", "pass_docs")
    if folder.is_dir():
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".json"):
                out.update(json.loads(entry.read_text(encoding="utf-8")))
    for name, curated in catalog.load("passes").items():
        out[name] = {
            "summary": curated.get("summary", ""),
            "description": curated.get("description", ""),
            "params": {p: s.get("description", "") for p, s in curated.get("params", {}).items()},
        }
    return out


def facts() -> JsonObject:
    passes: JsonObject = catalog.load("olive_versions")["passes"]
    return passes


@cache
def enums_at(version: str) -> dict[str, list[Any]]:
    """Enum classes used in parameter types, with the values they have in ``version``."""
    out: dict[str, list[Any]] = {}
    for name, spans in catalog.load("olive_versions").get("enums", {}).items():
        for span in spans:
            if versions.holds(span["versions"], version):
                out[name] = span["values"]
    return out


@cache
def names_at(version: str) -> tuple[str, ...]:
    return tuple(name for name, fact in facts().items() if versions.holds(fact["versions"], version))


@cache
def lower_names_at(version: str) -> dict[str, str]:
    return {name.lower(): name for name in names_at(version)}


def resolve_at(type_name: str, version: str) -> str | None:
    """The canonical name Olive ``version`` resolves ``type_name`` to (module paths allowed).

    Most releases match without regard to case; 0.5.1 to 0.6.2 need the exact spelling."""
    short = type_name.rsplit(".", 1)[-1]
    if versions.holds(catalog.load("changes")["pass_type_case_sensitive"]["valid"], version):
        return short if short in names_at(version) else None
    return lower_names_at(version).get(short.lower())


def resolve_anywhere(type_name: str) -> str | None:
    short = type_name.rsplit(".", 1)[-1].lower()
    return next((name for name in facts() if name.lower() == short), None)


def param_fact_at(pass_name: str, param: str, version: str) -> JsonObject | None:
    for span in facts().get(pass_name, {}).get("params", {}).get(param, []):
        if versions.holds(span["versions"], version):
            return dict(span)
    return None


def param_ranges(pass_name: str, param: str) -> list[list[str | None]]:
    spans = facts().get(pass_name, {}).get("params", {}).get(param, [])
    return [list(r) for span in spans for r in span["versions"]]


@cache
def spec_at(pass_name: str, version: str) -> PassSpec:
    """The pass as ``version`` has it, documented, with a schema per parameter."""
    words = docs().get(pass_name, {})
    curated = catalog.load("passes").get(pass_name, {}).get("params", {})
    newest = versions.newest()
    params: dict[str, ParamSpec] = {}
    for param, spans in facts().get(pass_name, {}).get("params", {}).items():
        span = next((s for s in spans if versions.holds(s["versions"], version)), None)
        if span is None:
            continue
        newest_span = param_fact_at(pass_name, param, newest)
        unchanged = newest_span is not None and newest_span.get("type") == span.get("type")
        if param in curated and unchanged:
            schema = dict(curated[param].get("schema", {}))
        else:
            schema = pytypes.to_schema(str(span.get("type", "")), enums_at(version))
        known, default = pytypes.default_value(span.get("default"), enums_at(version))
        if span.get("default") == "None" and schema:
            schema = _nullable(schema)
        params[param] = ParamSpec(
            name=param,
            schema=schema,
            description=str(words.get("params", {}).get(param, "")),
            required=bool(span.get("required")),
            has_default=known,
            default=default,
        )
    return PassSpec(pass_name, str(words.get("summary", "")), str(words.get("description", "")), params)


def _nullable(schema: JsonObject) -> JsonObject:
    """Olive lets a parameter whose default is None be written as null."""
    if schema.get("type") == "null" or {"type": "null"} in schema.get("anyOf", []):
        return schema
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "$ref" in schema or "enum" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return schema
