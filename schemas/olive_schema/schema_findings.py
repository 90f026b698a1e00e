"""Translate JSON Schema violations into findings with exact places and fixes.

``jsonschema`` reports where the instance failed and which keyword failed;
users need to know which key is wrong, what to write instead, and how bad it
is.  Severity for unknown keys comes from the schema itself (``x-unknown-keys``:
Olive rejects unknown keys in some objects and silently ignores them in others).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from olive_schema import codes, versions
from olive_schema.coercion import coercible
from olive_schema.edits import add_property, remove_property, replace_string
from olive_schema.findings import Finding, Fix, Severity, format_path
from olive_schema.jsontree import Document, JsonPath, Node
from olive_schema.locate import quoted, span
from olive_schema.schema_build import SCHEMA_FILE, build_schema
from olive_schema.suggest import closest

_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@lru_cache(maxsize=4)
def schema_for(version: str) -> dict[str, Any]:
    """The schema of a release; the newest one is read from the committed file."""
    if version == versions.newest() and SCHEMA_FILE.exists():
        schema: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
        return schema
    return build_schema(version)


@lru_cache(maxsize=4)
def validator(version: str) -> Draft202012Validator:
    """The Python validator: slow, but its errors carry what findings need (keyword, schema, context)."""
    return Draft202012Validator(schema_for(version))


@lru_cache(maxsize=4)
def fast_validator(version: str) -> Any:
    """jsonschema-rs (Rust): about 150 times faster; it answers "valid?" for the common case of a clean config."""
    return jsonschema_rs.validator_for(schema_for(version))


def schema_findings(doc: Document, instance: object, version: str) -> Iterator[Finding]:
    if fast_validator(version).is_valid(instance):
        return
    seen: set[tuple[str, JsonPath, str]] = set()
    bad_values: set[JsonPath] = set()
    for error in validator(version).iter_errors(instance):
        for finding in _translate(doc, error, version):
            key = (finding.code, finding.path, finding.message)
            if key in seen or (finding.code == codes.SCHEMA_VALUE and finding.path in bad_values):
                continue  # one value, one finding: a wrong type also fails its enum and pattern
            seen.add(key)
            if finding.code == codes.SCHEMA_VALUE:
                bad_values.add(finding.path)
            yield finding


def _translate(doc: Document, error: ValidationError, version: str) -> Iterator[Finding]:
    """The findings for one schema error, tagged with the keyword that failed."""
    for finding in _translate_error(doc, error, version):
        yield finding if finding.keyword else replace(finding, keyword=str(error.validator))


def _translate_error(doc: Document, error: ValidationError, version: str) -> Iterator[Finding]:
    path: JsonPath = tuple(error.absolute_path)
    if _is_pass_type(path):
        return  # the pass-type rule says this better, with "did you mean"
    keyword = error.validator
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_keys(doc, error, path)
    elif keyword == "required":
        yield from _missing(doc, error, path)
    elif keyword == "anyOf" and (param := _required_flat_or_nested(error)) is not None:
        yield _missing_param(doc, path, param)
    elif keyword == "enum":
        yield _bad_enum(doc, error, path)
    elif keyword == "type":
        yield _type_finding(doc, error, path, version)
    elif keyword == "anyOf" and isinstance(error.schema, dict) and error.schema.get("x-pass-param"):
        own = [e for e in error.context or [] if e.relative_schema_path and e.relative_schema_path[0] == 0]
        if own:
            yield from _translate(doc, best_match(own), version)
        else:
            yield _value_finding(doc, path, _alternatives_message(error, path))
    elif keyword in ("anyOf", "oneOf"):
        deeper = [e for e in error.context or [] if len(e.absolute_path) > len(path) or e.validator != "type"]
        if deeper:  # the value has the right shape; say what is wrong inside it
            yield from _translate(doc, best_match(deeper), version)
        else:
            yield _value_finding(doc, path, _alternatives_message(error, path))
    else:
        yield _value_finding(doc, path, f"{_where(path)}: {_plain(error.message)}")


def _listed(error: ValidationError) -> list[Any]:
    """The keyword's list value (``required``, ``enum``, ``anyOf``...)."""
    value = error.validator_value
    return list(value) if isinstance(value, list) else []


def _type_finding(doc: Document, error: ValidationError, path: JsonPath, version: str) -> Finding:
    expected = _expected_types(error.validator_value)
    message = f"{_where(path)} should be {expected}, not {_describe(error.instance)}."
    finding = _value_finding(doc, path, message)
    if coercible(error.instance, error.validator_value, version):
        message += f" Olive {version} converts it, but write it as {expected}."
        return replace(finding, severity=Severity.WARNING, message=message)
    return finding


def _is_pass_type(path: JsonPath) -> bool:
    return len(path) == 3 and path[0] == "passes" and path[2] == "type"


def _where(path: JsonPath) -> str:
    return f"`{format_path(path)}`"


def _value_finding(doc: Document, path: JsonPath, message: str, fixes: tuple[Fix, ...] = ()) -> Finding:
    start, end = span(doc, path, "value")
    return Finding(codes.SCHEMA_VALUE, Severity.ERROR, message, path, start, end, fixes)


def _unknown_keys(doc: Document, error: ValidationError, path: JsonPath) -> Iterator[Finding]:
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    known = list(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    in_pass = len(path) >= 2 and path[0] == "passes"
    severity = Severity(schema.get("x-unknown-keys", "error"))
    for key in instance:
        if key in known:
            continue
        key_path = (*path, key)
        guess = closest(key, known)
        message = _unknown_key_message(key, path, in_pass, doc)
        if guess:
            message += f' Did you mean "{guess}"?'
        yield Finding(
            codes.UNKNOWN_PASS_PARAM if in_pass else codes.UNKNOWN_KEY,
            severity,
            message,
            key_path,
            *span(doc, key_path, "key"),
            _key_fixes(doc, key_path, guess),
        )


def _unknown_key_message(key: str, path: JsonPath, in_pass: bool, doc: Document) -> str:
    if in_pass:
        pass_type = _pass_type_at(doc, path)
        return f"{quoted(key)} is not a parameter of {pass_type}; Olive ignores it and uses the default."
    if not path:
        return (
            f"Unknown top-level key {quoted(key)}: Olive rejects the config "
            f"(its message misleadingly says `engine.{key}`)."
        )
    if path[0] == "input_model":
        return (
            f"Unknown key {quoted(key)} in {_where(path)}: Olive loads the config but fails when it builds "
            f"the model (unexpected keyword argument)."
        )
    return f"Unknown key {quoted(key)} in {_where(path)}."


def _pass_type_at(doc: Document, path: JsonPath) -> str:
    entry = doc.node_at_path(path[:2])
    type_node = entry.get("type") if entry is not None and entry.kind == "object" else None
    return str(type_node.value) if type_node is not None else "this pass"


def _key_fixes(doc: Document, key_path: JsonPath, guess: str | None) -> tuple[Fix, ...]:
    prop = doc.property_at_path(key_path)
    if prop is None:
        return ()
    fixes = [replace_string(prop.key, guess, f"Rename to {quoted(guess)}")] if guess else []
    fixes.append(remove_property(doc, prop, f"Remove {quoted(str(prop.key.value))}"))
    return tuple(fixes)


def _missing(doc: Document, error: ValidationError, path: JsonPath) -> Iterator[Finding]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    node = doc.node_at_path(path)
    for key in _listed(error):
        if key not in instance and not _half_written(node, key):
            where = "The config" if not path else _where(path)
            start, end = span(doc, path, "key")
            fix = add_property(doc, path, key, _placeholder(error, key))
            yield Finding(
                codes.MISSING_REQUIRED,
                Severity.ERROR,
                f"{where} needs {quoted(key)}.",
                path,
                start,
                end,
                (fix,) if fix else (),
            )


def _placeholder(error: ValidationError, key: str) -> str:
    """A value to start from for a missing key: ``{}`` for objects, ``[]`` for arrays, else ``""``."""
    schema = error.schema.get("properties", {}).get(key, {}) if isinstance(error.schema, dict) else {}
    kind = schema.get("type") if isinstance(schema, dict) else None
    return {"object": "{}", "array": "[]"}.get(str(kind), '""')


def _half_written(node: Node | None, key: str) -> bool:
    """The key is there but its value is not typed yet: the syntax error already says so."""
    prop = node.prop(key) if node is not None and node.kind == "object" else None
    return prop is not None and (prop.value is None or prop.value.kind == "invalid")


def _required_flat_or_nested(error: ValidationError) -> str | None:
    """The key of ``anyOf: [{required: [k]}, {properties: {config: {required: [k]}}}]``: required, flat or nested."""
    branches = _listed(error)
    if len(branches) != 2 or not all(isinstance(b, dict) for b in branches):
        return None
    flat, nested = branches
    key = flat.get("required", [None])[0] if set(flat) == {"required"} else None
    inner = nested.get("properties", {}).get("config", {}).get("required", [])
    return key if isinstance(key, str) and inner == [key] else None


def _missing_param(doc: Document, path: JsonPath, param: str) -> Finding:
    start, end = span(doc, path, "key")
    if len(path) >= 2 and path[0] == "passes":
        owner = f"Pass {quoted(str(path[1]))} ({_pass_type_at(doc, path)})"
    else:
        owner = _where(path)
    message = f"{owner} needs {quoted(param)} (beside `type` or under `config`)."
    node = doc.node_at_path(path)
    nested = node is not None and node.kind == "object" and node.get("config") is not None
    fix = add_property(doc, (*path, "config") if nested else path, param)
    return Finding(codes.MISSING_REQUIRED, Severity.ERROR, message, path, start, end, (fix,) if fix else ())


def _bad_enum(doc: Document, error: ValidationError, path: JsonPath) -> Finding:
    allowed = _listed(error)
    shown = ", ".join(quoted(v) if isinstance(v, str) else str(v) for v in allowed)
    message = f"{_where(path)} is {_describe(error.instance)}; allowed values: {shown}."
    fixes: tuple[Fix, ...] = ()
    node = doc.node_at_path(path)
    if isinstance(error.instance, str) and node is not None and node.kind == "string":
        guess = closest(error.instance, [v for v in allowed if isinstance(v, str)])
        if guess:
            message += f' Did you mean "{guess}"?'
            fixes = (replace_string(node, guess),)
    return _value_finding(doc, path, message, fixes)


def _alternatives_message(error: ValidationError, path: JsonPath) -> str:
    types: list[str] = []
    for branch in _listed(error):
        if isinstance(branch, dict) and "type" in branch:
            types.append(_expected_types(branch["type"]))
        elif isinstance(branch, dict) and "$ref" in branch:
            types.append("an object")
        elif isinstance(branch, dict) and "enum" in branch:
            types.append("one of " + ", ".join(quoted(str(v)) for v in branch["enum"][:8]))
    expected = " or ".join(dict.fromkeys(types)) or "a different value"
    return f"{_where(path)} should be {expected}, not {_describe(error.instance)}."


def _expected_types(value: object) -> str:
    names = value if isinstance(value, list) else [value]
    words = {
        "object": "an object",
        "array": "an array",
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
        "null": "null",
    }
    return " or ".join(words.get(str(n), str(n)) for n in names)


def _describe(value: object) -> str:
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value}"
    return _JSON_TYPES.get(type(value), "a value")


def _plain(message: str) -> str:
    return message.replace("'", '"')
