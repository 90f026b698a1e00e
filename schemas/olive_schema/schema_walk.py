"""Which parts of the schema apply at a place in a config: what completion and hover need.

Validation asks "is this valid?"; an editor asks "what may be written here, and
what does this key mean?".  The walker follows the instance down the schema of
the target release: ``$ref``, ``properties``/``additionalProperties``, ``items``,
``allOf``, the ``if``/``then`` branches that the actual value selects (a pass's
``type`` picks its parameters), and the ``anyOf`` branches of the value's shape.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from olive_schema.jsontree import JsonPath
from olive_schema.schema_findings import validator

JsonObject = dict[str, Any]
MISSING = object()
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "null": (type(None),),
}


class SchemaWalker:
    def __init__(self, version: str) -> None:
        self.validator: Draft202012Validator = validator(version)
        self.root: JsonObject = self.validator.schema  # type: ignore[assignment]

    def resolve(self, schema: Any) -> JsonObject:
        """Follow local ``$ref`` pointers; anything unusable becomes an empty schema."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            target = self._pointer(str(schema["$ref"]))
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **extra} if extra else target
            seen += 1
        return schema if isinstance(schema, dict) else {}

    def _pointer(self, ref: str) -> Any:
        node: Any = self.root
        for part in ref.removeprefix("#/").split("/") if ref.startswith("#/") else []:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    def expand(self, schema: Any, instance: Any = MISSING) -> list[JsonObject]:
        """The schema and every subschema that applies to ``instance`` (all candidates when it is missing)."""
        out: list[JsonObject] = []
        self._expand(self.resolve(schema), instance, out, depth=0)
        return out

    def _expand(self, schema: JsonObject, instance: Any, out: list[JsonObject], depth: int) -> None:
        if depth > 24 or any(s is schema for s in out):
            return
        out.append(schema)
        for sub in schema.get("allOf", []):
            self._expand(self.resolve(sub), instance, out, depth + 1)
        for key in ("anyOf", "oneOf"):
            for sub in schema.get(key, []):
                resolved = self.resolve(sub)
                if instance is MISSING or _shape_fits(resolved, instance):
                    self._expand(resolved, instance, out, depth + 1)
        if "if" in schema and instance is not MISSING:
            matches = self.validator.evolve(schema=schema["if"]).is_valid(instance)
            branch = schema.get("then") if matches else schema.get("else")
            if branch is not None:
                self._expand(self.resolve(branch), instance, out, depth + 1)

    def at(self, config: Any, path: JsonPath) -> list[JsonObject]:
        """Every schema that applies to the value at ``path`` (which need not exist yet)."""
        schemas = [self.root]
        instance: Any = config
        for part in path:
            expanded = [e for s in schemas for e in self.expand(s, instance)]
            schemas = [child for s in expanded if (child := _child(s, part)) is not None]
            instance = _step(instance, part)
            if not schemas:
                return []
        return [e for s in schemas for e in self.expand(s, instance)]

    def properties(self, config: Any, path: JsonPath) -> dict[str, JsonObject]:
        """The keys an object at ``path`` may have, each with its (resolved, merged) schema."""
        instance = _value_at(config, path)
        out: dict[str, JsonObject] = {}
        for schema in self.at(config, path):
            for name, sub in schema.get("properties", {}).items():
                resolved = self.resolve(sub)
                out[name] = {**resolved, **out.get(name, {})} if name in out else resolved
        return out if instance is MISSING or isinstance(instance, dict) else {}


def _child(schema: JsonObject, part: str | int) -> Any:
    if isinstance(part, int):
        items = schema.get("items")
        return items if isinstance(items, dict) else None
    properties = schema.get("properties", {})
    if part in properties:
        return properties[part]
    additional = schema.get("additionalProperties")
    return additional if isinstance(additional, dict) else None


def _step(instance: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return instance[part] if isinstance(instance, list) and 0 <= part < len(instance) else MISSING
    return instance.get(part, MISSING) if isinstance(instance, dict) else MISSING


def _value_at(config: Any, path: JsonPath) -> Any:
    for part in path:
        config = _step(config, part)
    return config


def _shape_fits(schema: JsonObject, instance: Any) -> bool:
    """Whether a branch could describe ``instance``: by its declared type, else yes."""
    kind = schema.get("type")
    if kind is None:
        return True
    kinds = kind if isinstance(kind, list) else [kind]
    if isinstance(instance, bool):
        return "boolean" in kinds
    return any(isinstance(instance, _JSON_TYPES.get(str(k), ())) for k in kinds)


@lru_cache(maxsize=4)
def walker(version: str) -> SchemaWalker:
    return SchemaWalker(version)
