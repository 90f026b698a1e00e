"""The JSON Schema of run events, generated from ``contract.py``, and the validator built on it.

Producers are checked against this schema in the test suite (every stream a test produces goes through
``check_stream``) and, when ``OLIVE_STUDIO_CHECK_EVENTS`` is set, by ``EventSink`` itself before an event is
written. ``events.schema.json`` beside this module is the committed rendering, for tools outside Python.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import jsonschema

from olive_events import contract

SCHEMA_FILE = Path(__file__).with_name("events.schema.json")
JsonObject = dict[str, Any]


class ContractError(ValueError):
    """An event that does not match its declaration; the message names the event and the field."""


def type_schema(annotation: Any) -> JsonObject:
    """The JSON Schema of one field's Python annotation (the subset contract.py uses)."""
    origin = get_origin(annotation)
    if origin is Literal:
        return {"enum": list(get_args(annotation))}
    if origin in (types.UnionType, typing.Union):
        members = [a for a in get_args(annotation) if a is not type(None)]
        inner = type_schema(members[0]) if len(members) == 1 else {"anyOf": [type_schema(m) for m in members]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        return {"type": "array", "items": type_schema(get_args(annotation)[0])}
    if dataclasses.is_dataclass(annotation):
        return object_schema(annotation)
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if annotation in simple:
        return {"type": simple[annotation]}
    raise TypeError(f"contract.py uses a type the schema builder does not know: {annotation!r}")


def declared_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """The dataclass fields of ``cls`` with their resolved annotations, in declaration order."""
    hints = typing.get_type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls)]


def is_required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def object_schema(cls: Any) -> JsonObject:
    fields = declared_fields(cls)
    properties = {f.name: {**type_schema(hint), "description": f.metadata.get("doc", "")} for f, hint in fields}
    return {
        "type": "object",
        "properties": properties,
        "required": [f.name for f, _ in fields if is_required(f)],
        "additionalProperties": False,
    }


def event_schema(cls: type[contract.Event]) -> JsonObject:
    """One event type with its envelope."""
    body = object_schema(cls)
    envelope: JsonObject = {
        "v": {"const": contract.MAJOR, "description": contract.ENVELOPE["v"]},
        "type": {"const": cls.TYPE, "description": contract.ENVELOPE["type"]},
        "time": {"type": "number", "description": contract.ENVELOPE["time"]},
        "run_id": {"type": "string", "description": contract.ENVELOPE["run_id"]},
        "progress": {**object_schema(contract.Progress), "description": contract.ENVELOPE["progress"]},
    }
    return {
        "title": cls.TYPE,
        "description": cls.WHEN,
        "type": "object",
        "properties": {**envelope, **body["properties"]},
        "required": ["v", "type", "time", "run_id", *body["required"]],
        "additionalProperties": False,
    }


@cache
def document() -> JsonObject:
    """The whole schema: one definition per event type, an event is one of them (chosen by ``type``)."""
    definitions = {cls.TYPE: event_schema(cls) for cls in contract.EVENT_TYPES}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://olive-studio.dev/schemas/run-events.schema.json",
        "title": f"Olive Studio run event (version {contract.VERSION})",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"enum": list(definitions)}},
        "allOf": [
            {"if": {"properties": {"type": {"const": name}}}, "then": {"$ref": f"#/$defs/{name}"}}
            for name in definitions
        ],
        "$defs": definitions,
    }


def render() -> str:
    return json.dumps(document(), indent=2) + "\n"


@cache
def _validators() -> dict[str, jsonschema.protocols.Validator]:
    cls = jsonschema.validators.validator_for(document())
    return {name: cls(definition) for name, definition in document()["$defs"].items()}


def problems(event: Any) -> list[str]:
    """What is wrong with one event, as readable lines; empty when it matches the contract."""
    if not isinstance(event, Mapping):
        return [f"an event must be a JSON object, not {type(event).__name__}"]
    kind = event.get("type")
    validator = _validators().get(kind) if isinstance(kind, str) else None
    if validator is None:
        return [f"unknown event type {kind!r} (declared: {', '.join(contract.BY_TYPE)})"]
    return [
        f"{kind}: {'.'.join(str(p) for p in error.absolute_path) or '(event)'}: {error.message}"
        for error in sorted(validator.iter_errors(dict(event)), key=lambda e: list(map(str, e.absolute_path)))
    ]


def check_event(event: Any) -> None:
    """Raise ContractError when ``event`` does not match its declared type."""
    found = problems(event)
    if found:
        raise ContractError("; ".join(found) + f" in {json.dumps(event, default=str)[:300]}")


def check_stream(events: Iterable[Any]) -> int:
    """Check every event of a stream (a list of dicts); the count checked. Raises on the first bad one."""
    count = 0
    for count, event in enumerate(events, start=1):
        try:
            check_event(event)
        except ContractError as error:
            raise ContractError(f"event {count}: {error}") from None
    return count
