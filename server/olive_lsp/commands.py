"""The server's commands: validate a config, and run it locally or on Azure ML once it is valid.

Running a workflow takes minutes to hours, so a config Olive would reject must
be refused before anything starts, with the same findings the Problems panel
shows (settings' severity overrides included).  Each command returns a plain
JSON result for the client and a message for the user.  A valid config's run
is started by handlers_runs (``runs.Runs``); submitting to Azure ML is not
available yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from lsprotocol import types

from olive_lsp.analysis import Analysis
from olive_lsp.diagnostics import diagnostics_for
from olive_lsp.settings import Settings

RUN_LOCALLY = "oliveStudio.runLocally"
SUBMIT_AZURE_ML = "oliveStudio.submitAzureML"
VALIDATE = "oliveStudio.validate"
CANCEL_RUN = "oliveStudio.cancelRun"
RUN_HISTORY = "oliveStudio.runHistory"
TITLES = {
    RUN_LOCALLY: "Run locally",
    SUBMIT_AZURE_ML: "Submit to Azure ML",
    VALIDATE: "Validate",
    CANCEL_RUN: "Cancel run",
    RUN_HISTORY: "Run history",
}
SHOWN_FINDINGS = 3
_SEVERITY_WORDS = {
    types.DiagnosticSeverity.Error: "error",
    types.DiagnosticSeverity.Warning: "warning",
    types.DiagnosticSeverity.Information: "information",
    types.DiagnosticSeverity.Hint: "hint",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command returns to the client and what it tells the user."""

    result: dict[str, Any]
    message: str
    message_type: types.MessageType


def uri_argument(arguments: tuple[Any, ...]) -> str | None:
    """The document URI: the first argument, as a string or as ``{"uri": ...}``."""
    first = arguments[0] if arguments else None
    if isinstance(first, dict):
        first = first.get("uri")
    return first if isinstance(first, str) and first else None


def refused(reason: str) -> Outcome:
    return Outcome({"ok": False, "reason": reason}, reason, types.MessageType.Error)


def execute(command: str, analysis: Analysis, settings: Settings) -> Outcome:
    """Validate, refuse on errors, then do what ``command`` asks.

    For a valid config, Run locally answers ``ok`` with an empty message: the caller starts the run.
    """
    name = file_name(analysis.uri)
    if not analysis.is_olive:
        return refused(f"{name} is not an Olive workflow config (no input_model or passes).")
    findings = [_finding(d) for d in diagnostics_for(analysis, settings)]
    errors = [f for f in findings if f["severity"] == "error"]
    if errors:
        return Outcome({"ok": False, "findings": findings}, _refusal(name, command, errors), types.MessageType.Error)
    if command == VALIDATE:
        return Outcome({"ok": True, "findings": findings}, _summary(name, analysis, findings), types.MessageType.Info)
    if command == RUN_LOCALLY:
        return Outcome({"ok": True, "findings": findings}, "", types.MessageType.Info)
    message = f"{name} is valid for Olive {analysis.olive_version}; submitting to Azure ML from the editor is not "
    message += "available yet."
    return Outcome(
        {"ok": False, "reason": "runner not available", "findings": findings}, message, types.MessageType.Info
    )


def file_name(uri: str) -> str:
    return PurePosixPath(unquote(urlparse(uri).path)).name or uri


def _finding(diagnostic: types.Diagnostic) -> dict[str, Any]:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    start, end = diagnostic.range.start, diagnostic.range.end
    return {
        "code": diagnostic.code,
        "severity": _SEVERITY_WORDS.get(diagnostic.severity or types.DiagnosticSeverity.Error, "error"),
        "message": diagnostic.message,
        "path": data.get("path", ""),
        "line": start.line + 1,
        "range": {
            "start": {"line": start.line, "character": start.character},
            "end": {"line": end.line, "character": end.character},
        },
    }


def _refusal(name: str, command: str, errors: list[dict[str, Any]]) -> str:
    """``olive-config.json has 2 errors; fix them before ...: line 5: ...; line 9: ...``"""
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    action = {RUN_LOCALLY: "; fix them before running it", SUBMIT_AZURE_ML: "; fix them before submitting it"}
    shown = "; ".join(f"line {e['line']}: {e['message'].rstrip('.')}" for e in errors[:SHOWN_FINDINGS])
    more = f"; and {len(errors) - SHOWN_FINDINGS} more" if len(errors) > SHOWN_FINDINGS else ""
    return f"{name} has {count}{action.get(command, '')}: {shown}{more}."


def _summary(name: str, analysis: Analysis, findings: list[dict[str, Any]]) -> str:
    warnings = sum(1 for f in findings if f["severity"] == "warning")
    notes = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
    return f"{name} is valid for Olive {analysis.olive_version}: no errors{notes}."
