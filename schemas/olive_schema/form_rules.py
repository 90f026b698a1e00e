"""Rules that depend on the target release's config layout.

Before Olive 0.7 every section was nested: a model's, system's or pass's
parameters lived under ``config`` and engine options under ``engine``; keys
written beside them were dropped without a word (and a flat model crashed
0.6.2 with ``KeyError: 'config'``).  Azure ML systems left Olive in 0.9.3 but
still run with Olive Studio's own runner.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from olive_schema import catalog, codes, versions
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document, JsonPath
from olive_schema.locate import quoted, span

NESTED_ONLY_BEFORE = "0.7.0"
AZUREML_REMOVED_IN = "0.9.3"
ENGINE_KEYS = frozenset(catalog.load("sections")["$defs"]["engineProperties"])


def azureml_systems(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    if versions.key(version) < versions.key(AZUREML_REMOVED_IN):
        return
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        if isinstance(system, dict) and str(system.get("type", "")).lower() == "azureml":
            path: JsonPath = ("systems", name, "type")
            start, end = span(doc, path, "value")
            message = (
                f"Olive dropped Azure ML systems in {AZUREML_REMOVED_IN}; Olive Studio's runner submits "
                f"this workflow to Azure ML itself (Run > Submit to Azure ML)."
            )
            yield Finding(codes.RUNS_WITH_OLIVE_STUDIO, Severity.INFO, message, path, start, end)


def nested_layout(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    """Flat keys that a pre-0.7 release ignores or chokes on."""
    if versions.key(version) >= versions.key(NESTED_ONLY_BEFORE):
        return
    model = config.get("input_model")
    if isinstance(model, dict) and _flat_keys(model, {"type", "config"}):
        yield _finding(
            doc,
            ("input_model",),
            Severity.ERROR,
            f"Olive {version} reads a model's parameters only under `config` (it fails on this model "
            f"with KeyError: 'config'): move {_names(_flat_keys(model, {'type', 'config'}))} into "
            f"`config`, or target Olive 0.7 or later.",
        )
    for key in sorted(ENGINE_KEYS & set(config)):
        yield _finding(
            doc,
            (key,),
            Severity.WARNING,
            f"Olive {version} reads {quoted(key)} only under `engine` and ignores it here.",
            "key",
        )
    systems = config.get("systems")
    for name, system in systems.items() if isinstance(systems, dict) else []:
        if isinstance(system, dict) and (flat := _flat_keys(system, {"type", "config"})):
            yield _finding(
                doc,
                ("systems", name),
                Severity.WARNING,
                f"Olive {version} ignores {_names(flat)} outside `config`.",
                "key",
            )


def _flat_keys(section: dict[str, Any], allowed: set[str]) -> list[str]:
    return [k for k in section if k not in allowed]


def _names(keys: list[str]) -> str:
    return ", ".join(quoted(k) for k in keys)


def _finding(doc: Document, path: JsonPath, severity: Severity, message: str, target: str = "key") -> Finding:
    start, end = span(doc, path, "key" if target == "key" else "value")
    return Finding(codes.KEY_NOT_IN_VERSION, severity, message, path, start, end)
