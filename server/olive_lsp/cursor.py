"""Where the cursor is in a (possibly half-typed) config: writing a key or a value, and of what.

Completion and hover share this reading of the tree, so both understand
``{"passes": {"lora": {"type": "Lo|`` as "the value of ``passes.lora.type``".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from olive_schema.jsontree import Document, JsonPath, Node

Kind = Literal["key", "value"]


@dataclass(frozen=True, slots=True)
class Cursor:
    kind: Kind
    path: JsonPath  # key: the object's path; value: the value's path
    start: int  # what a completion replaces
    end: int
    prefix: str  # what the user typed there, without quotes
    node: Node | None = None  # the key or value node under the cursor, if any
    existing: frozenset[str] = field(default_factory=frozenset)  # keys already in the object


def locate(doc: Document, offset: int) -> Cursor | None:
    node = doc.root
    if node is None or not _inside_container(node, offset):
        return None
    path: JsonPath = ()
    while True:
        step = _descend(doc, node, path, offset)
        if isinstance(step, Cursor):
            return step
        if step is None:
            return None
        node, path = step


def _inside_container(node: Node, offset: int) -> bool:
    return node.kind in ("object", "array") and node.start < offset <= (node.end if not node.closed else node.end - 1)


def _descend(doc: Document, node: Node, path: JsonPath, offset: int) -> Cursor | tuple[Node, JsonPath] | None:
    if node.kind == "object":
        return _in_object(doc, node, path, offset)
    if node.kind == "array":
        return _in_array(doc, node, path, offset)
    return None


def _in_object(doc: Document, node: Node, path: JsonPath, offset: int) -> Cursor | tuple[Node, JsonPath] | None:
    existing = frozenset(str(p.key.value) for p in node.properties)
    for prop in node.properties:
        key = prop.key
        if _in_token(key, offset):
            return _token_cursor("key", path, key, offset, existing - {str(key.value)})
        value = prop.value
        here = (*path, str(key.value))
        if value is not None and value.start <= offset <= value.end:
            if value.kind in ("object", "array") and _inside_container(value, offset):
                return value, here
            if _in_token(value, offset) or value.kind == "invalid" or offset == value.start:
                return _token_cursor("value", here, value, offset, frozenset())
        after_colon = prop.colon is not None and prop.colon < offset and (value is None or offset < value.start)
        if after_colon and prop.colon is not None and _only_space(doc.text, prop.colon + 1, offset):
            return Cursor("value", here, offset, offset, "")
    if _after_colon(doc.text, node.start, offset):
        return None
    return Cursor("key", path, offset, offset, "", existing=existing)


def _in_array(doc: Document, node: Node, path: JsonPath, offset: int) -> Cursor | tuple[Node, JsonPath] | None:
    index = 0
    for item in node.items:
        if item.start <= offset <= item.end:
            here = (*path, index)
            if item.kind in ("object", "array") and _inside_container(item, offset):
                return item, here
            if _in_token(item, offset) or item.kind == "invalid":
                return _token_cursor("value", here, item, offset, frozenset())
        if item.end <= offset:
            index += 1
    return Cursor("value", (*path, index), offset, offset, "")


def _in_token(node: Node, offset: int) -> bool:
    """Inside a string's quotes (or anywhere in an unterminated one), or on a bare word."""
    if node.kind == "string":
        return node.start < offset < node.end or (not node.closed and node.start < offset <= node.end)
    return node.kind in ("invalid", "number", "boolean", "null") and node.start <= offset <= node.end


def _token_cursor(kind: Kind, path: JsonPath, node: Node, offset: int, existing: frozenset[str]) -> Cursor:
    text_start = node.start + 1 if node.kind == "string" else node.start
    prefix = str(node.value)[: max(0, offset - text_start)] if node.kind in ("string", "invalid") else ""
    return Cursor(kind, path, node.start, node.end, prefix, node, existing)


def _only_space(text: str, start: int, end: int) -> bool:
    return text[start:end].strip() == ""


def _after_colon(text: str, floor: int, offset: int) -> bool:
    """``"key": |`` with the value not written yet, seen from the text (the tree has no node there)."""
    before = text[floor:offset].rstrip()
    return before.endswith(":")
