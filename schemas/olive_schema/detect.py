"""Decide whether a JSON document is an Olive workflow config.

Editors open many JSON files; only Olive workflows get diagnostics.  The rule
is the one that selected the real-config corpus: the file is named
``olive-config.json``, or its top-level object has ``input_model``, or a
``passes`` object whose entries carry ``type``.
"""

from __future__ import annotations

from pathlib import PurePath

from olive_schema.jsontree import Node

CONFIG_FILE_NAMES = frozenset({"olive-config.json"})


def is_olive_config(root: Node | None, filename: str | None = None) -> bool:
    if filename is not None and PurePath(filename).name.lower() in CONFIG_FILE_NAMES:
        return True
    if root is None or root.kind != "object":
        return False
    if root.get("input_model") is not None:
        return True
    passes = root.get("passes")
    if passes is None or passes.kind != "object":
        return False
    return any(_has_type(prop.value) for prop in passes.properties)


def _has_type(entry: Node | None) -> bool:
    if entry is None:
        return False
    if entry.kind == "array":
        return any(_has_type(item) for item in entry.items)
    return entry.kind == "object" and entry.get("type") is not None
