"""Access to the config-language data in ``catalog/``: the only list of passes.

Everything the editor, ``validate`` and the runner know about Olive's passes and
sections comes from these JSON files, read once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

JsonObject = dict[str, Any]


@cache
def load(name: str) -> JsonObject:
    """Read ``catalog/<name>.json`` from the package."""
    text = resources.files("olive_schema").joinpath("catalog", f"{name}.json").read_text(encoding="utf-8")
    data: JsonObject = json.loads(text)
    return data


@dataclass(frozen=True, slots=True)
class PassInfo:
    name: str
    module: str
    summary: str
    params: JsonObject  # parameter name -> {"schema", "default"?, "required"?, "description"}


@cache
def passes() -> dict[str, PassInfo]:
    """Every pass type Olive registers, canonical spelling -> info."""
    registry: JsonObject = load("registry")["passes"]
    documented: JsonObject = load("passes")
    out: dict[str, PassInfo] = {}
    for name, facts in registry.items():
        doc = documented.get(name, {})
        out[name] = PassInfo(name, facts["module"], doc.get("summary", ""), doc.get("params", {}))
    return out


@cache
def pass_names_by_lower() -> dict[str, str]:
    """Olive looks pass types up case-insensitively; this maps lower case to the canonical name."""
    return {name.lower(): name for name in passes()}


def resolve_pass_type(type_name: str) -> str | None:
    """The canonical pass name for ``type_name`` as Olive resolves it, or None if it has none."""
    return pass_names_by_lower().get(type_name.rsplit(".", 1)[-1].lower())
