"""Text edits that the fixes of findings are made of, computed on the source text.

Fixes touch only the characters they must, so the user's formatting and key
order survive a quick fix.
"""

from __future__ import annotations

import re

from olive_schema.findings import Fix, TextEdit
from olive_schema.jsontree import Document, JsonPath, Node, Property
from olive_schema.locate import quoted

_SPACE_AND_COMMA = re.compile(r"\s*,[ \t]*(\r\n|\n)?")
_TRAILING_SPACE = re.compile(r"\s*$")


def replace_string(node: Node, new_value: str, title: str | None = None) -> Fix:
    """Replace a string key or value, quotes included."""
    title = title or f"Change to {quoted(new_value)}"
    return Fix(title, (TextEdit(node.start, node.end, quoted(new_value)),))


def remove_property(doc: Document, prop: Property, title: str) -> Fix:
    """Delete ``"key": value`` with the comma that separates it from a neighbour."""
    text = doc.text
    start, end = prop.start, prop.end
    after = _SPACE_AND_COMMA.match(text, end)
    if after is not None:
        end = after.end()
        line_start = text.rfind("\n", 0, start) + 1
        if text[line_start:start].strip() == "":
            start = line_start
    else:
        before = text[:start]
        trimmed = _TRAILING_SPACE.search(before)
        cut = trimmed.start() if trimmed else start
        if cut > 0 and text[cut - 1] == ",":
            start = cut - 1
    return Fix(title, (TextEdit(start, end, ""),))


def add_property(doc: Document, path: JsonPath, key: str, value_text: str = '""') -> Fix | None:
    """Insert ``"key": value`` as the last member of the object at ``path``, on its own line when it has lines."""
    node = doc.node_at_path(path)
    if node is None or node.kind != "object" or not node.closed:
        return None
    text = doc.text
    member = f"{quoted(key)}: {value_text}"
    if not node.properties:
        return Fix(f"Add {quoted(key)}", (TextEdit(node.start + 1, node.start + 1, member),))
    last = node.properties[-1]
    line_start = text.rfind("\n", 0, last.start) + 1
    indent = text[line_start : last.start]
    separator = f",\n{indent}" if indent.strip() == "" and line_start > node.start else ", "
    return Fix(f"Add {quoted(key)}", (TextEdit(last.end, last.end, separator + member),))
