"""Values of the wrong JSON type that Olive's pydantic models convert anyway.

Olive parses configs with pydantic in its lax mode: ``"16"`` becomes 16 for an
integer field and ``"true"`` becomes True for a boolean one.  Such a config
runs, so calling it an error would be a false alarm; it is still worth a
warning, because the same string breaks other tools and hides typos.
"""

from __future__ import annotations

import re

from olive_schema import versions

PYDANTIC_V2_SINCE = "0.11.0"  # before, Olive used pydantic's v1 API, which also turns numbers into strings
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_BOOLEAN_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0", "t", "f", "y", "n"})


def coercible(value: object, expected: object, version: str) -> bool:
    """Whether pydantic (as the ``version`` of Olive uses it) converts ``value`` to one of the expected types."""
    kinds = expected if isinstance(expected, list) else [expected]
    return any(_converts(value, str(kind), version) for kind in kinds)


def _converts(value: object, kind: str, version: str) -> bool:
    if isinstance(value, bool):
        return kind in ("integer", "number")
    if kind == "integer":
        return (isinstance(value, float) and value.is_integer()) or (
            isinstance(value, str) and _INTEGER.fullmatch(value) is not None
        )
    if kind == "number":
        return isinstance(value, str) and _is_float(value)
    if kind == "boolean":
        return (isinstance(value, str) and value.strip().lower() in _BOOLEAN_WORDS) or value in (0, 1)
    if kind == "string":
        return isinstance(value, int | float) and versions.key(version) < versions.key(PYDANTIC_V2_SINCE)
    return False


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
