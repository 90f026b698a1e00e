"""The server's settings (``oliveStudio.*``), applied without a restart.

Clients send them in ``initializationOptions`` and on
``workspace/didChangeConfiguration``; docs/settings.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types
from olive_schema import versions

SEVERITIES: dict[str, types.DiagnosticSeverity | None] = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
    "off": None,
}


@dataclass(frozen=True, slots=True)
class Settings:
    olive_version: str = ""  # empty: the olive-ai installed beside the server, else the newest
    severity: dict[str, str] = field(default_factory=dict)  # finding code -> error|warning|information|hint|off
    problems: list[str] = field(default_factory=list)  # what was wrong with the settings, for the log

    def target_version(self) -> str:
        try:
            return versions.resolve(self.olive_version or None)
        except versions.UnknownVersionError:
            return versions.resolve(None)


def parse_settings(raw: Any) -> Settings:
    """Read ``{"oliveVersion": ..., "severity": {...}}`` (or the same under ``oliveStudio``), tolerating junk."""
    if isinstance(raw, dict) and isinstance(raw.get("oliveStudio"), dict):
        raw = raw["oliveStudio"]
    if not isinstance(raw, dict):
        return Settings()
    problems: list[str] = []
    version = raw.get("oliveVersion") or ""
    if not isinstance(version, str):
        problems.append(f'oliveStudio.oliveVersion should be a string like "0.13", not {version!r}')
        version = ""
    elif version:
        try:
            versions.resolve(version)
        except versions.UnknownVersionError as exc:
            problems.append(f"oliveStudio.oliveVersion: {exc}")
    severity: dict[str, str] = {}
    overrides = raw.get("severity") or {}
    for code, level in overrides.items() if isinstance(overrides, dict) else []:
        if isinstance(level, str) and level.lower() in SEVERITIES:
            severity[str(code)] = level.lower()
        else:
            problems.append(f"oliveStudio.severity.{code}: use one of {', '.join(SEVERITIES)}, not {level!r}")
    return Settings(olive_version=version, severity=severity, problems=problems)


@dataclass(frozen=True, slots=True)
class ClientFacts:
    """What the client says about itself at start (``initializationOptions``), not user settings: a settings
    change cannot turn runs back on in a workspace the editor does not trust."""

    runs_allowed: bool = True  # False in an untrusted workspace: configs can name scripts that a run executes
    run_panel: bool = False  # the client shows runs itself (VS Code's results panel): no end-of-run message


def parse_client_facts(raw: Any) -> ClientFacts:
    if not isinstance(raw, dict):
        return ClientFacts()
    return ClientFacts(runs_allowed=raw.get("runsAllowed") is not False, run_panel=raw.get("runPanel") is True)
