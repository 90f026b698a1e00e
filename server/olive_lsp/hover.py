"""Hover: what a key, pass type, value or name means, in markdown, with its history across Olive releases."""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types
from olive_schema import catalog, pass_catalog, versions
from olive_schema.config_view import PassEntry, pass_entries
from olive_schema.jsontree import JsonPath
from olive_schema.schema_walk import JsonObject, walker
from olive_schema.version_rules import change_for

from olive_lsp.analysis import Analysis
from olive_lsp.completion import REFERENCE_KINDS, own_schema
from olive_lsp.cursor import Cursor, locate


def hover(analysis: Analysis, position: types.Position) -> types.Hover | None:
    if not analysis.is_olive or analysis.tree.root is None:
        return None
    cursor = locate(analysis.tree, analysis.offset_at(position))
    if cursor is None or cursor.node is None:
        return None
    config = analysis.tree.root.to_python()
    if cursor.kind == "key":
        text = _key(analysis, (*cursor.path, str(cursor.node.value)), config)
    else:
        text = _value(analysis, cursor, config)
    if not text:
        return None
    return types.Hover(
        contents=types.MarkupContent(types.MarkupKind.Markdown, text),
        range=analysis.range_of(cursor.node.start, cursor.node.end),
    )


def _key(analysis: Analysis, path: JsonPath, config: Any) -> str:
    version = analysis.olive_version
    schemas = [own_schema(version, s) for s in walker(version).at(config, path)]
    described = next((s for s in schemas if s.get("markdownDescription") or s.get("description")), {})
    lines = [f"**{path[-1]}**" + (f" · `{_type_label(schemas)}`" if _type_label(schemas) else "")]
    if described:
        lines.append(str(described.get("markdownDescription") or described.get("description")))
    default = next((s["default"] for s in schemas if "default" in s), None)
    if default is not None:
        lines.append(f"Default: `{json.dumps(default)}`")
    allowed = _allowed(schemas)
    if allowed:
        lines.append("Allowed: " + ", ".join(f"`{json.dumps(v)}`" for v in allowed[:24]))
    history = _history(analysis, path, config)
    if history:
        lines.append(history)
    return "\n\n".join(lines) if len(lines) > 1 else ""


def _value(analysis: Analysis, cursor: Cursor, config: Any) -> str:
    assert cursor.node is not None
    value = cursor.node.value
    key = next((p for p in reversed(cursor.path) if isinstance(p, str)), "")
    if key == "type" and cursor.path[:1] == ("passes",) and isinstance(value, str):
        return _pass_type(value, analysis.olive_version)
    if isinstance(value, str) and (key in REFERENCE_KINDS or key.endswith("data_config")):
        return _reference(key, value, config)
    for schema in walker(analysis.olive_version).at(config, cursor.path):
        docs = schema.get("markdownEnumDescriptions") or schema.get("enumDescriptions") or []
        if value in (schema.get("enum") or []):
            index = schema["enum"].index(value)
            if index < len(docs) and docs[index]:
                return f"**{json.dumps(value)}**\n\n{docs[index]}"
    return _key(analysis, cursor.path, config) if cursor.path and isinstance(cursor.path[-1], str) else ""


def _pass_type(written: str, version: str) -> str:
    name = pass_catalog.resolve_at(written, version) or pass_catalog.resolve_anywhere(written)
    if name is None:
        return ""
    spec = pass_catalog.spec_at(name, version) if pass_catalog.resolve_at(written, version) else None
    facts = pass_catalog.facts()[name]
    summary = spec.summary if spec else _summary(name)
    lines = [f"**{name}** (pass)" + (f": {summary}" if summary else ""), spec.description if spec else ""]
    lines.append(f"Releases: {_ranges(facts['versions'])}. Module: `{facts.get('module', '')}`.")
    if spec and spec.params:
        required = [p for p, s in spec.params.items() if s.required]
        lines.append(
            f"{len(spec.params)} parameters" + (f"; required: {', '.join(required)}" if required else "") + "."
        )
    return "\n\n".join(line for line in lines if line)


def _summary(name: str) -> str:
    latest = versions.releases()[-1]
    return pass_catalog.spec_at(name, latest).summary if pass_catalog.resolve_at(name, latest) else ""


def _reference(key: str, name: str, config: Any) -> str:
    section = REFERENCE_KINDS.get(key, "data_configs")
    target = _definition(section, name, config)
    if target is None:
        return f"`{name}`: not defined in `{section}`."
    kind = target.get("type", "") if isinstance(target, dict) else ""
    shown = json.dumps(target, indent=2)
    if len(shown) > 600:
        shown = shown[:600] + "\n..."
    return f"**{name}** → `{section}`" + (f" ({kind})" if kind else "") + f"\n\n```json\n{shown}\n```"


def _definition(section: str, name: str, config: Any) -> Any:
    entries = config.get(section) if isinstance(config, dict) else None
    if isinstance(entries, dict):
        return entries.get(name)
    if isinstance(entries, list):
        return next((e for e in entries if isinstance(e, dict) and e.get("name") == name), None)
    return None


def _history(analysis: Analysis, path: JsonPath, config: Any) -> str:
    """Added, renamed or removed: from the pass facts for pass parameters, from the changes for other keys."""
    change = change_for(path)
    if change is not None:
        until = versions.last_end(change.valid)
        new = f"; renamed to `{change.renamed_to}`" if change.renamed_to else ""
        return f"Valid in Olive {_ranges([list(r) for r in change.valid])}{new}." + (
            f" Removed in {until}." if until else ""
        )
    entry = _pass_entry(path, config)
    if entry is None:
        return ""
    name = pass_catalog.resolve_anywhere(entry.type_name or "")
    ranges = pass_catalog.param_ranges(name, str(path[-1])) if name else []
    renamed = catalog.load("changes")["pass_params"].get(str(path[-1]), {}).get("renamed_to")
    later = f" Renamed to `{renamed}` afterwards." if renamed and versions.last_end(ranges) else ""
    return f"In {name}: Olive {_ranges(ranges)}.{later}" if ranges else ""


def _pass_entry(path: JsonPath, config: Any) -> PassEntry | None:
    if len(path) < 3 or path[0] != "passes":
        return None
    return next((e for e in pass_entries(config) if path[: len(e.path)] == e.path), None)


def _ranges(ranges: list[list[str | None]]) -> str:
    """``[[0.4.0, 0.7.0], [0.7.0, 0.8.0]]`` -> ``0.4.0 to before 0.8.0`` (adjacent spans joined)."""
    merged: list[list[str | None]] = []
    for start, end in ranges:
        if merged and merged[-1][1] == start:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return ", ".join(f"{start} and later" if end is None else f"{start} to before {end}" for start, end in merged)


def _type_label(schemas: list[JsonObject]) -> str:
    kinds: list[str] = []
    for schema in schemas:
        kind = schema.get("type")
        for k in kind if isinstance(kind, list) else [kind] if kind else []:
            if str(k) not in kinds:
                kinds.append(str(k))
    return " | ".join(kinds)


def _allowed(schemas: list[JsonObject]) -> list[Any]:
    values: list[Any] = []
    for schema in schemas:
        for value in schema.get("enum") or []:
            if value not in values:
                values.append(value)
    return values
