"""Document formatting: re-indent a config, keeping its keys in order and every value as written.

The printer walks the tree and copies each key and scalar from the source text
(``1e-4`` stays ``1e-4``, escapes stay escapes, duplicate keys stay), so the
only changes are whitespace.  A document with syntax errors gets no edits:
guessing the structure of broken JSON could move the user's text around.
Edits cover only the lines that change, so the cursor and undo history of
untouched lines survive in clients that apply edits literally.
"""

from __future__ import annotations

from lsprotocol import types
from olive_schema.jsontree import Node

from olive_lsp.analysis import Analysis

BOM = "\ufeff"


def format_document(analysis: Analysis, options: types.FormattingOptions) -> list[types.TextEdit]:
    doc = analysis.tree
    if not analysis.is_olive or doc.problems or doc.root is None:
        return []
    text = analysis.text
    indent = " " * max(options.tab_size, 0) if options.insert_spaces else "\t"
    newline = "\r\n" if "\r\n" in text else "\n"
    out: list[str] = [BOM] if text.startswith(BOM) else []
    _render(doc.root, text, indent, newline, 0, out)
    if options.insert_final_newline or text.endswith(("\n", "\r")):
        out.append(newline)
    return replace_text(analysis, "".join(out))


def _render(node: Node, text: str, indent: str, newline: str, level: int, out: list[str]) -> None:
    """Append ``node`` pretty-printed; scalars and keys verbatim from the source."""
    if node.kind == "object" and node.properties:
        inner = newline + indent * (level + 1)
        out.append("{")
        for i, prop in enumerate(node.properties):
            out.append(("," if i else "") + inner + text[prop.key.start : prop.key.end] + ": ")
            if prop.value is not None:  # always set in a document without syntax problems
                _render(prop.value, text, indent, newline, level + 1, out)
        out.append(newline + indent * level + "}")
    elif node.kind == "array" and node.items:
        inner = newline + indent * (level + 1)
        out.append("[")
        for i, item in enumerate(node.items):
            out.append(("," if i else "") + inner)
            _render(item, text, indent, newline, level + 1, out)
        out.append(newline + indent * level + "]")
    elif node.kind in ("object", "array"):
        out.append("{}" if node.kind == "object" else "[]")
    else:
        out.append(text[node.start : node.end])


def replace_text(analysis: Analysis, new_text: str) -> list[types.TextEdit]:
    """One edit that turns the document into ``new_text``, spanning only the lines that differ."""
    old_text = analysis.text
    if new_text == old_text:
        return []
    old_lines = old_text.splitlines(keepends=True)
    new_lines = new_text.splitlines(keepends=True)
    head = 0
    while head < min(len(old_lines), len(new_lines)) and old_lines[head] == new_lines[head]:
        head += 1
    tail = 0
    limit = min(len(old_lines), len(new_lines)) - head
    while tail < limit and old_lines[-1 - tail] == new_lines[-1 - tail]:
        tail += 1
    start = sum(len(line) for line in old_lines[:head])
    old_end = len(old_text) - sum(len(line) for line in old_lines[len(old_lines) - tail :])
    new_end = len(new_text) - sum(len(line) for line in new_lines[len(new_lines) - tail :])
    return [types.TextEdit(analysis.range_of(start, old_end), new_text[start:new_end])]
