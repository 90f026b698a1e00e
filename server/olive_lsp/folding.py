"""Folding ranges for every object and array that spans lines.

Configs are long (a pass's ``training_args``, a data config's pre-processing),
and folding is how one reads the pipeline at a glance.  Like VS Code's own JSON
support, a range ends on the line before the closing bracket, so the bracket
stays visible; an unclosed container (while typing) folds to its last line.
"""

from __future__ import annotations

from collections.abc import Iterator

from lsprotocol import types
from olive_schema.jsontree import Node

from olive_lsp.analysis import Analysis


def folding_ranges(analysis: Analysis) -> list[types.FoldingRange]:
    root = analysis.tree.root
    if not analysis.is_olive or root is None:
        return []
    return [types.FoldingRange(start_line=start, end_line=end) for start, end in _ranges(analysis, root)]


def _ranges(analysis: Analysis, root: Node) -> Iterator[tuple[int, int]]:
    """(first line, last line) of each foldable container, outermost first, without recursion limits."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind not in ("object", "array"):
            continue
        start = analysis.index.line_of(node.start)
        if node.closed:
            end = analysis.index.line_of(node.end) - 1  # keep the closing bracket's line visible
        else:
            end = analysis.index.line_of(len(analysis.text[: node.end].rstrip()))
        if end > start:
            yield start, end
        children = [p.value for p in node.properties if p.value is not None] if node.kind == "object" else node.items
        stack.extend(reversed(children))
