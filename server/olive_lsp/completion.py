"""Completion from the schema of the target release, in half-typed documents too.

Keys: every key the object may have that it does not have yet, with a snippet
for its value (an object's required keys filled in).  Values: enum values with
their docs (pass types among them), booleans, defaults, and the names a
reference may take (systems, evaluators, data configs).
"""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types
from olive_schema.config_view import data_config_names
from olive_schema.jsontree import JsonPath
from olive_schema.schema_walk import JsonObject, walker

from olive_lsp.analysis import Analysis
from olive_lsp.cursor import Cursor, locate

REFERENCE_KINDS = {"host": "systems", "target": "systems", "evaluator": "evaluators"}


def complete(analysis: Analysis, position: types.Position) -> types.CompletionList | None:
    if not analysis.is_olive or analysis.tree.root is None:
        return None
    cursor = locate(analysis.tree, analysis.offset_at(position))
    if cursor is None:
        return None
    config = analysis.tree.root.to_python()
    items = _keys(analysis, cursor, config) if cursor.kind == "key" else _values(analysis, cursor, config)
    return types.CompletionList(is_incomplete=False, items=items)


def _keys(analysis: Analysis, cursor: Cursor, config: Any) -> list[types.CompletionItem]:
    walk = walker(analysis.olive_version)
    properties = walk.properties(config, cursor.path)
    # "config" is only required as the nested alternative to writing a required parameter flat
    required = {r for s in walk.at(config, cursor.path) for r in s.get("required", []) if r != "config"}
    ordered = sorted(properties.items(), key=lambda item: item[0] not in required)  # required keys first
    edit_range = analysis.range_of(cursor.start, cursor.end)
    items = []
    for rank, (name, wrapped) in enumerate(ordered):
        if name in cursor.existing or name == "$schema":
            continue
        schema = own_schema(analysis.olive_version, wrapped)
        value = "" if cursor.node is not None and _has_value(analysis, cursor) else f": {_value_snippet(schema)}"
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Property,
                detail=_type_label(schema),
                documentation=_docs(schema),
                filter_text=json.dumps(name),
                sort_text=f"{rank:04d}",
                text_edit=types.TextEdit(edit_range, f"{json.dumps(name)}{value}"),
                insert_text_format=types.InsertTextFormat.Snippet,
            )
        )
    return items


def own_schema(version: str, schema: JsonObject) -> JsonObject:
    """A pass parameter's own schema, without the search values Olive accepts in place of any parameter."""
    if schema.get("x-pass-param") and schema.get("anyOf"):
        docs = {k: v for k, v in schema.items() if k in ("markdownDescription", "description", "default")}
        return {**walker(version).resolve(schema["anyOf"][0]), **docs}
    return schema


def _has_value(analysis: Analysis, cursor: Cursor) -> bool:
    """The key being edited already has its colon: replace only the key."""
    return analysis.text[cursor.end : cursor.end + 40].lstrip().startswith(":")


def _values(analysis: Analysis, cursor: Cursor, config: Any) -> list[types.CompletionItem]:
    edit_range = analysis.range_of(cursor.start, cursor.end)
    seen: set[str] = set()
    items: list[types.CompletionItem] = []

    def add(value: Any, doc: str = "", kind: types.CompletionItemKind = types.CompletionItemKind.Value) -> None:
        text = json.dumps(value, ensure_ascii=False)
        if text in seen:
            return
        seen.add(text)
        items.append(
            types.CompletionItem(
                label=str(value) if isinstance(value, str) else text,
                kind=kind,
                documentation=types.MarkupContent(types.MarkupKind.Markdown, doc) if doc else None,
                filter_text=text,
                sort_text=f"{len(items):04d}",
                text_edit=types.TextEdit(edit_range, text),
            )
        )

    for name, section in _references(cursor.path, config):
        add(name, f"Defined in `{section}`.", types.CompletionItemKind.Reference)
    for schema in walker(analysis.olive_version).at(config, cursor.path):
        for value, doc in _enum_values(schema):
            add(value, doc, types.CompletionItemKind.EnumMember)
        if schema.get("type") == "boolean" or "boolean" in (schema.get("type") or []):
            add(True)
            add(False)
        if "default" in schema and not isinstance(schema["default"], dict | list):
            add(schema["default"], "The default.")
    return items


def _references(path: JsonPath, config: Any) -> list[tuple[str, str]]:
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    if not isinstance(config, dict):
        return []
    if key in REFERENCE_KINDS:
        section = REFERENCE_KINDS[key]
        names = config.get(section)
        return [(name, section) for name in names] if isinstance(names, dict) else []
    if key.endswith("data_config") and "data_configs" not in path[:1]:
        return [(name, "data_configs") for name in sorted(data_config_names(config))]
    return []


def _enum_values(schema: JsonObject) -> list[tuple[Any, str]]:
    values = schema.get("enum") or []
    docs = schema.get("markdownEnumDescriptions") or schema.get("enumDescriptions") or []
    return [(value, docs[i] if i < len(docs) else "") for i, value in enumerate(values)]


def _value_snippet(schema: JsonObject) -> str:
    branches = [b for b in schema.get("anyOf", []) if isinstance(b, dict) and b.get("type") not in (None, "null")]
    if "type" not in schema and "enum" not in schema and branches:
        schema = branches[-1] if branches[-1].get("type") == "object" else branches[0]
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    if kind == "object" or "properties" in schema:
        required = schema.get("required") or []
        if not required:
            return "{$1}"
        inner = ",\n".join(f'\t"{name}": ${i + 1}' for i, name in enumerate(required))
        return "{\n" + inner + "\n}"
    if kind == "array":
        return "[$1]"
    if kind == "boolean":
        return "${1|true,false|}"
    if kind in ("integer", "number"):
        default = schema.get("default")
        return f"${{1:{default}}}" if isinstance(default, int | float) and not isinstance(default, bool) else "$1"
    if "enum" in schema:
        choices = [json.dumps(v) for v in schema["enum"][:20]]
        return "${1|" + ",".join(c.replace(",", "\\,").replace("|", "\\|") for c in choices) + "|}"
    return '"$1"'


def _type_label(schema: JsonObject) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(str(k) for k in kind)
    if kind:
        return str(kind)
    branches = [b.get("type") for b in schema.get("anyOf", []) if isinstance(b, dict) and b.get("type")]
    return " | ".join(str(b) for b in branches)


def _docs(schema: JsonObject) -> types.MarkupContent | None:
    text = schema.get("markdownDescription") or schema.get("description")
    return types.MarkupContent(types.MarkupKind.Markdown, str(text)) if text else None
