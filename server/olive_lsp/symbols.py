"""The outline of a config (``textDocument/documentSymbol``): what the workflow is made of, in order.

A config is read as "this model, with these data, on these systems, through
these passes"; the outline says exactly that rather than listing raw JSON keys:
the input model with its type and path, data configs by name, systems and
evaluators, the passes in pipeline order with their types, and the engine's
keys.  Ranges come from the tree, so the outline follows the text even while a
value is half-typed.
"""

from __future__ import annotations

from collections.abc import Callable

from lsprotocol import types
from olive_schema.jsontree import Node, Property

from olive_lsp.analysis import Analysis

SymbolKind = types.SymbolKind
_PREVIEW = 40


def document_symbols(analysis: Analysis) -> list[types.DocumentSymbol]:
    """One symbol per top-level key, the named sections with their members as children."""
    root = analysis.tree.root
    if not analysis.is_olive or root is None or root.kind != "object":
        return []
    return [_top_level(analysis, prop) for prop in root.properties]


def _top_level(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    key = prop.key.value if isinstance(prop.key.value, str) else ""
    section = _SECTIONS.get(key)
    if section is not None:
        return section(analysis, prop)
    if key == "input_model":
        return _symbol(analysis, prop, SymbolKind.Class, _model_detail(prop.value))
    return _value_symbol(analysis, prop, SymbolKind.Property)


def _members(
    analysis: Analysis, prop: Property, kind: types.SymbolKind, detail: Callable[[Node | None], str | None]
) -> types.DocumentSymbol:
    """A section whose keys are names (systems, evaluators, passes, old-form data configs)."""
    value = prop.value
    children = [
        _symbol(analysis, member, kind, detail(member.value))
        for member in (value.properties if value is not None and value.kind == "object" else [])
    ]
    return _symbol(analysis, prop, SymbolKind.Namespace, None, children)


def _data_configs(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    value = prop.value
    if value is None or value.kind != "array":
        return _members(analysis, prop, SymbolKind.Struct, _type_detail)
    children = []
    for index, item in enumerate(value.items):
        name = item.get("name") if item.kind == "object" else None
        label = name.value if name is not None and isinstance(name.value, str) else f"[{index}]"
        selection = (name.start, name.end) if name is not None else (item.start, item.start + 1)
        children.append(_node_symbol(analysis, label, item, selection, SymbolKind.Struct, _type_detail(item)))
    return _symbol(analysis, prop, SymbolKind.Namespace, None, children)


def _systems(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    return _members(analysis, prop, SymbolKind.Object, _type_detail)


def _evaluators(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    return _members(analysis, prop, SymbolKind.Function, _metrics_detail)


def _passes(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    return _members(analysis, prop, SymbolKind.Method, _pass_detail)


def _engine(analysis: Analysis, prop: Property) -> types.DocumentSymbol:
    value = prop.value
    children = [
        _value_symbol(analysis, member, SymbolKind.Property)
        for member in (value.properties if value is not None and value.kind == "object" else [])
    ]
    return _symbol(analysis, prop, SymbolKind.Namespace, None, children)


_SECTIONS: dict[str, Callable[[Analysis, Property], types.DocumentSymbol]] = {
    "data_configs": _data_configs,
    "systems": _systems,
    "evaluators": _evaluators,
    "passes": _passes,
    "engine": _engine,
}


# -- details -------------------------------------------------------------------------------------


def _string(node: Node | None, *path: str) -> str | None:
    for key in path:
        node = node.get(key) if node is not None and node.kind == "object" else None
    return node.value if node is not None and isinstance(node.value, str) else None


def _type_detail(node: Node | None) -> str | None:
    return _string(node, "type")


def _model_detail(node: Node | None) -> str | None:
    """Type and where the model comes from, in the current and the pre-0.7 spellings."""
    path = (
        _string(node, "model_path")
        or _string(node, "config", "model_path")
        or _string(node, "config", "hf_config", "model_name")
        or _string(node, "hf_config", "model_name")
    )
    return _join(_type_detail(node), path)


def _pass_detail(node: Node | None) -> str | None:
    """The pass type; alternatives written as a list show every type."""
    if node is not None and node.kind == "array":
        return " | ".join(t for t in (_type_detail(item) for item in node.items) if t) or None
    return _type_detail(node)


def _metrics_detail(node: Node | None) -> str | None:
    metrics = node.get("metrics") if node is not None and node.kind == "object" else None
    if metrics is None or metrics.kind != "array":
        return None
    return ", ".join(n for n in (_string(m, "name") for m in metrics.items) if n) or None


def _join(*parts: str | None) -> str | None:
    return " · ".join(p for p in parts if p) or None


def _preview(analysis: Analysis, node: Node | None) -> str | None:
    """A scalar's source text, shortened; containers have children or nothing to say."""
    if node is None or node.kind in ("object", "array"):
        return None
    raw = analysis.text[node.start : node.end]
    return raw if len(raw) <= _PREVIEW else raw[: _PREVIEW - 1] + "…"


# -- symbols -------------------------------------------------------------------------------------


def _value_symbol(analysis: Analysis, prop: Property, kind: types.SymbolKind) -> types.DocumentSymbol:
    value = prop.value
    if value is not None and value.kind in ("object", "array"):
        kind = SymbolKind.Object if value.kind == "object" else SymbolKind.Array
    return _symbol(analysis, prop, kind, _preview(analysis, value))


def _symbol(
    analysis: Analysis,
    prop: Property,
    kind: types.SymbolKind,
    detail: str | None,
    children: list[types.DocumentSymbol] | None = None,
) -> types.DocumentSymbol:
    """A key's symbol: the whole property as its range, the key as what the editor selects."""
    name = prop.key.value if isinstance(prop.key.value, str) else ""
    return types.DocumentSymbol(
        name=name or '""',  # clients reject empty names
        kind=kind,
        range=analysis.range_of(prop.start, prop.end),
        selection_range=analysis.range_of(prop.key.start, prop.key.end),
        detail=detail,
        children=children,
    )


def _node_symbol(
    analysis: Analysis,
    name: str,
    node: Node,
    selection: tuple[int, int],
    kind: types.SymbolKind,
    detail: str | None,
) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=name or '""',
        kind=kind,
        range=analysis.range_of(node.start, node.end),
        selection_range=analysis.range_of(*selection),
        detail=detail,
    )
