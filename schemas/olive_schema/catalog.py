"""Access to the config-language data in ``catalog/``, read once per process.

Everything the editor, ``validate`` and the runner know about Olive (its passes
in every release, sections, changes) comes from these JSON files; the passes
are reached through ``pass_catalog``.
"""

from __future__ import annotations

import json
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
