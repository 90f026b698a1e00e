"""Python type annotations of Olive pass parameters, as JSON Schema.

Olive declares each pass parameter with a Python annotation (``int``,
``Optional[list[str]]``, ``Union[DataConfig, dict]``, an Enum class...).  The
facts we keep per Olive version carry those annotations as strings; this
module turns one into the schema of the JSON value a config may hold there.
Anything it cannot read becomes "any value": an unknown annotation must never
turn into a false alarm.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from typing import Any

from olive_schema.patterns import any_of_names

JsonObject = dict[str, Any]

ANY: JsonObject = {}
_SCALARS: dict[str, JsonObject] = {
    "bool": {"type": "boolean"},
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "dict": {"type": "object"},
    "list": {"type": "array"},
    "tuple": {"type": "array"},
    "Path": {"type": "string"},
    "Callable": {"type": "string"},
    "Any": ANY,
    "None": ANY,  # parameters declared as None accept anything
    "NoneType": {"type": "null"},
}
_REFS: dict[str, str] = {
    "DataConfig": "#/$defs/dataConfig_ref",
    "HFTrainingArguments": "#/$defs/trainingArgs",
    "QLoRATrainingArguments": "#/$defs/trainingArgs",
}
_OBJECTS = frozenset({"Metric", "FusionOptions", "DiffusionTrainingArguments", "BaseModel"})


def to_schema(annotation: str, enums: Mapping[str, list[Any]] | None = None) -> JsonObject:
    """The schema of a value for ``annotation``; "any value" where the annotation is not understood."""
    if annotation.strip() in ("", "None"):
        return dict(ANY)  # declared without a type: Olive accepts anything
    try:
        tree = ast.parse(annotation.strip(), mode="eval").body
    except SyntaxError:
        return dict(ANY)
    return _Converter(enums or {}).convert(tree)


class _Converter:
    def __init__(self, enums: Mapping[str, list[Any]]) -> None:
        self.enums = enums

    def convert(self, node: ast.expr) -> JsonObject:
        if isinstance(node, ast.Constant) and node.value is None:
            return {"type": "null"}
        if isinstance(node, ast.Name | ast.Attribute):
            return self.named(_dotted(node))
        if isinstance(node, ast.Subscript):
            return self.generic(_dotted(node.value), _arguments(node.slice))
        return dict(ANY)

    def named(self, name: str) -> JsonObject:
        short = name.rsplit(".", 1)[-1]
        if short in _SCALARS:
            return dict(_SCALARS[short])
        if short in _REFS:
            return {"$ref": _REFS[short]}
        if short in _OBJECTS:
            return {"type": "object"}
        values = self.enums.get(name) or self.enums.get(short)
        if values:
            return _enum(values)
        return dict(ANY)

    def generic(self, name: str, args: list[ast.expr]) -> JsonObject:
        short = name.rsplit(".", 1)[-1]
        handlers: dict[str, Callable[[list[ast.expr]], JsonObject]] = {
            "Optional": lambda a: self.union([*a, ast.Constant(None)]),
            "Union": self.union,
            "list": self.array,
            "List": self.array,
            "tuple": lambda a: {"type": "array"},
            "Tuple": lambda a: {"type": "array"},
            "set": self.array,
            "dict": self.mapping,
            "Dict": self.mapping,
            "Literal": lambda a: _enum([x.value for x in a if isinstance(x, ast.Constant)]),
        }
        handler = handlers.get(short)
        return handler(args) if handler else dict(ANY)

    def union(self, args: list[ast.expr]) -> JsonObject:
        branches: list[JsonObject] = []
        for arg in args:
            schema = self.convert(arg)
            if schema == ANY:
                return dict(ANY)
            for branch in schema.get("anyOf", [schema]):
                if branch not in branches:
                    branches.append(branch)
        branches = _fold_dict_with_ref(branches)
        return branches[0] if len(branches) == 1 else {"anyOf": branches}

    def array(self, args: list[ast.expr]) -> JsonObject:
        items = self.convert(args[0]) if args else ANY
        return {"type": "array", "items": items} if items != ANY else {"type": "array"}

    def mapping(self, args: list[ast.expr]) -> JsonObject:
        values = self.convert(args[1]) if len(args) == 2 else ANY
        return {"type": "object", "additionalProperties": values} if values != ANY else {"type": "object"}


def _fold_dict_with_ref(branches: list[JsonObject]) -> list[JsonObject]:
    """``Union[DataConfig, dict]``: the reference schema already accepts objects; a bare dict adds nothing."""
    if any("$ref" in b for b in branches) and {"type": "object"} in branches:
        return [b for b in branches if b != {"type": "object"}]
    return branches


def _enum(values: list[Any]) -> JsonObject:
    schema: JsonObject = {"enum": list(values)}
    kinds = {type(v) for v in values}
    if kinds == {str}:
        # Olive's string enums match without regard to case ("AWQ" is "awq")
        return {"type": "string", "anyOf": [schema, {"pattern": any_of_names(values)}]}
    elif kinds <= {int, bool} and bool not in kinds:
        schema["type"] = "integer"
    return schema


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _arguments(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, ast.Tuple) else [node]


def default_value(text: str | None, enums: Mapping[str, list[Any]] | None = None) -> tuple[bool, Any]:
    """Olive's default (a Python repr) as JSON, when it is a plain literal or a member of one of ``enums``
    (``DeviceMap.AUTO`` is the value ``"auto"``): (known, value)."""
    if text is None or text == "None":
        return False, None
    member = re.fullmatch(r"(\w+)\.(\w+)", text)
    if member and enums and member.group(1) in enums:
        values = [v for v in enums[member.group(1)] if str(v).upper() == member.group(2).upper()]
        return (True, values[0]) if values else (False, None)
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return False, None
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, str | int | float | bool | list | dict):
        return True, value
    return False, None
