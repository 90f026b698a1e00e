"""What the checker reports: findings with a place, a stable code and their fixes.

A finding names a JSON path and whether it is about the key or the value
there; the checker turns that into exact offsets against the parsed document,
so the CLI, the editor and the runner show the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from olive_schema.jsontree import JsonPath

Target = Literal["key", "value"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace ``[start, end)`` of the document with ``new_text``."""

    start: int
    end: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    title: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    path: JsonPath
    start: int
    end: int
    fixes: tuple[Fix, ...] = field(default=())
    keyword: str = ""  # the JSON Schema keyword behind a schema finding, for the version rules

    @property
    def path_text(self) -> str:
        return format_path(self.path)


def format_path(path: JsonPath) -> str:
    """``passes.lora.config.r`` / ``data_configs[0].name``; ``$`` for the root."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "$"
