"""Turn a JSON path into the offsets a finding should underline."""

from __future__ import annotations

import json

from olive_schema.findings import Target
from olive_schema.jsontree import Document, JsonPath, Node


def span(doc: Document, path: JsonPath, target: Target = "value") -> tuple[int, int]:
    """The key or value at ``path``; the nearest existing ancestor's key when ``path`` is not written out."""
    for depth in range(len(path), -1, -1):
        sub = path[:depth]
        prop = doc.property_at_path(sub)
        if prop is not None and (target == "key" or depth < len(path) or prop.value is None):
            return prop.key.start, prop.key.end
        node = doc.node_at_path(sub)
        if node is not None:
            return _value_span(node)
    return 0, 0


def _value_span(node: Node) -> tuple[int, int]:
    """Containers underline their first character only: a whole-object squiggle hides everything else."""
    if node.kind in ("object", "array"):
        return node.start, node.start + 1
    return node.start, node.end


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
