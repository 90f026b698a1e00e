"""Case-insensitive name patterns in the regex dialect JSON Schema uses (ECMA-262, no inline flags)."""

from __future__ import annotations

from collections.abc import Iterable

_SPECIAL = frozenset(r".^$*+?()[]{}|\/")


def case_insensitive(name: str) -> str:
    """``LoRA`` -> ``^[Ll][Oo][Rr][Aa]$``."""
    parts = [f"[{c.upper()}{c.lower()}]" if c.isalpha() else ("\\" + c if c in _SPECIAL else c) for c in name]
    return "^" + "".join(parts) + "$"


def any_of_names(names: Iterable[str]) -> str:
    return "|".join(case_insensitive(n) for n in names)
