"""What a key means to the target Olive release: accepted there, renamed, removed, or not there yet.

The schema says "unknown key"; users adapting an example from another Olive
release need to hear "renamed to X in 0.8.0" with the rename as a fix, or
nothing at all when their target release accepts the old form.  Facts come
from ``changes.json`` (keys outside passes) and ``olive_versions.json`` (pass
parameters and pass types).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from olive_schema import catalog, codes, pass_catalog, versions
from olive_schema.edits import remove_property, replace_string
from olive_schema.findings import Finding, Fix, Severity
from olive_schema.jsontree import Document, JsonPath
from olive_schema.locate import quoted, span
from olive_schema.rewrites import rewrite_fix

RUNCONFIG_IGNORES_EXTRAS_BEFORE = "0.7.0"  # before NestedConfig, unknown top-level keys were dropped silently


@dataclass(frozen=True, slots=True)
class KeyChange:
    id: str
    patterns: tuple[str, ...]
    valid: tuple[tuple[str | None, str | None], ...]
    instead: str
    renamed_to: str | None
    fix: str
    olive_studio_runs: bool
    severity: Severity

    def matches(self, path: JsonPath) -> bool:
        return any(_pattern(p).fullmatch(_dotted(path)) for p in self.patterns)


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """``passes.*.lora_r``: ``*`` stands for exactly one key or index."""
    return re.compile(r"\.".join("[^.]+" if part == "*" else re.escape(part) for part in pattern.split(".")))


def _dotted(path: JsonPath) -> str:
    return ".".join(str(p) for p in path)


@cache
def key_changes() -> tuple[KeyChange, ...]:
    return tuple(
        KeyChange(
            id=entry["id"],
            patterns=tuple(entry["paths"]),
            valid=tuple((r[0], r[1]) for r in entry["valid"]),
            instead=entry.get("instead", ""),
            renamed_to=entry.get("renamed_to"),
            fix=entry.get("fix", "none"),
            olive_studio_runs=bool(entry.get("olive_studio_runs")),
            severity=Severity.ERROR if entry.get("olive") == "rejects" else Severity.WARNING,
        )
        for entry in catalog.load("changes")["keys"]
    )


@dataclass(frozen=True, slots=True)
class FormChange:
    """A value written in a shape that some releases accept (e.g. ``data_configs`` as an object before 0.6)."""

    id: str
    patterns: tuple[str, ...]
    keywords: frozenset[str]
    valid: tuple[tuple[str | None, str | None], ...]
    instead: str
    fix: str

    def matches(self, finding: Finding) -> bool:
        return finding.keyword in self.keywords and any(
            _pattern(p).fullmatch(_dotted(finding.path)) for p in self.patterns
        )


def change_for(path: JsonPath) -> KeyChange | None:
    if not path:
        return None
    return next((c for c in _changes_by_key().get(str(path[-1]), ()) if c.matches(path)), None)


@cache
def _changes_by_key() -> dict[str, tuple[KeyChange, ...]]:
    """Key changes indexed by the key they are about (the last part of every pattern is a literal key)."""
    index: dict[str, list[KeyChange]] = {}
    for change in key_changes():
        for key in {pattern.rsplit(".", 1)[-1] for pattern in change.patterns}:
            index.setdefault(key, []).append(change)
    return {key: tuple(changes) for key, changes in index.items()}


@cache
def form_changes() -> tuple[FormChange, ...]:
    return tuple(
        FormChange(
            id=entry["id"],
            patterns=tuple(entry["paths"]),
            keywords=frozenset(entry["keywords"]),
            valid=tuple((r[0], r[1]) for r in entry["valid"]),
            instead=entry.get("instead", ""),
            fix=entry.get("fix", "none"),
        )
        for entry in catalog.load("changes")["forms"]
    )


def adjust(doc: Document, findings: Iterable[Finding], version: str) -> Iterator[Finding]:
    """Drop what ``version`` accepts; explain in release terms what it renamed or removed."""
    for finding in findings:
        if finding.code == codes.UNKNOWN_KEY:
            adjusted = _unknown_key(doc, finding, version)
        elif finding.code == codes.UNKNOWN_PASS_PARAM:
            adjusted = _unknown_pass_param(doc, finding, version)
        elif finding.code in (codes.SCHEMA_VALUE, codes.MISSING_REQUIRED):
            adjusted = _old_form(doc, finding, version)
        else:
            adjusted = finding
        if adjusted is not None:
            yield adjusted


def _unknown_key(doc: Document, finding: Finding, version: str) -> Finding | None:
    if change_for(finding.path) is not None:
        return None  # changed_keys reports it in release terms
    if _model_param_at(doc, finding.path, version):
        return None
    if len(finding.path) == 1 and _before(version, RUNCONFIG_IGNORES_EXTRAS_BEFORE):
        key = quoted(str(finding.path[0]))
        return replace(
            finding, severity=Severity.WARNING, message=f"Unknown top-level key {key}: Olive {version} ignores it."
        )
    return finding


def _model_param_at(doc: Document, path: JsonPath, version: str) -> bool:
    """A constructor parameter that the input model's type takes in ``version`` (e.g. ``generative``)."""
    if len(path) not in (2, 3) or path[0] != "input_model" or (len(path) == 3 and path[1] != "config"):
        return False
    model = doc.node_at_path(("input_model",))
    type_node = model.get("type") if model is not None and model.kind == "object" else None
    if type_node is None or not isinstance(type_node.value, str):
        return False
    params = catalog.load("olive_versions")["input_model_params"]
    by_lower = {name.lower(): facts for name, facts in params.items()}
    spans = by_lower.get(type_node.value.lower(), {}).get(str(path[-1]), [])
    return any(versions.holds(span["versions"], version) for span in spans)


def changed_keys(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    """Every key that the target release renamed, removed or does not have yet, wherever it is written."""
    reported: list[JsonPath] = []
    for path in _paths(config, ()):
        change = change_for(path)
        if change is None or versions.holds(change.valid, version):
            continue
        if any(path[: len(done)] == done for done in reported):
            continue  # inside a key already reported: one cause, one finding
        reported.append(path)
        key = str(path[-1])
        start, end = span(doc, path, "key")
        if change.olive_studio_runs:
            message = f"{quoted(key)}: {change.instead}"
            yield Finding(codes.RUNS_WITH_OLIVE_STUDIO, Severity.INFO, message, path, start, end)
            continue
        first = versions.first_with(change.valid)
        if first is not None and _before(version, first):
            message = f"{quoted(key)} was added in Olive {first}; Olive {version} does not know it."
            yield Finding(
                codes.KEY_NEWER_THAN_VERSION, change.severity, message, path, start, end, _remove_fix(doc, path)
            )
            continue
        message = _removed_message(key, change, version)
        if len(path) == 1 and change.severity is Severity.ERROR:
            message += f" Olive rejects the config, misleadingly naming `engine.{key}`."
        yield Finding(
            codes.KEY_NOT_IN_VERSION, change.severity, message, path, start, end, _change_fixes(doc, path, change)
        )


def _paths(node: Any, path: JsonPath) -> Iterator[JsonPath]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            yield here
            yield from _paths(value, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _paths(item, (*path, index))


def _old_form(doc: Document, finding: Finding, version: str) -> Finding | None:
    form = next((f for f in form_changes() if f.matches(finding)), None)
    if form is None:
        return finding
    if versions.holds(form.valid, version):
        return None
    start, until = versions.first_with(form.valid), versions.last_end(form.valid)
    if (start is not None and _before(version, start)) or not form.instead:
        return finding
    migrate = " `olive-studio migrate` rewrites it." if form.fix == "migrate" else ""
    message = f"{finding.message} This form was valid until Olive {until}: {form.instead}{migrate}"
    fix = rewrite_fix(form.id, doc) if form.fix == "migrate" else None
    return replace(finding, code=codes.KEY_NOT_IN_VERSION, message=message, fixes=(fix,) if fix else ())


def _removed_message(key: str, change: KeyChange, version: str) -> str:
    until = versions.last_end(change.valid)
    when = f"in Olive {until}" if until else "after this release"
    if change.renamed_to:
        return f"{quoted(key)} was renamed to {quoted(change.renamed_to)} {when} (target: Olive {version})."
    migrate = " `olive-studio migrate` rewrites it." if change.fix == "migrate" else ""
    return f"{quoted(key)} was removed {when} (target: Olive {version}): {change.instead}{migrate}"


def _change_fixes(doc: Document, path: JsonPath, change: KeyChange) -> tuple[Fix, ...]:
    prop = doc.property_at_path(path)
    if prop is None:
        return ()
    if change.fix == "migrate":
        fix = rewrite_fix(change.id, doc)
        return (fix,) if fix is not None else ()
    if change.renamed_to and change.fix == "rename":
        return (replace_string(prop.key, change.renamed_to, f"Rename to {quoted(change.renamed_to)}"),)
    if change.fix == "remove":
        return _remove_fix(doc, path)
    return ()


def _remove_fix(doc: Document, path: JsonPath) -> tuple[Fix, ...]:
    prop = doc.property_at_path(path)
    return (remove_property(doc, prop, f"Remove {quoted(str(prop.key.value))}"),) if prop is not None else ()


def _unknown_pass_param(doc: Document, finding: Finding, version: str) -> Finding | None:
    """A parameter the pass lacks in ``version``: renamed, removed, added later, or a typo."""
    key = str(finding.path[-1])
    if change_for(finding.path) is not None:
        return None  # changed_keys reports it in release terms
    pass_name = _pass_name(doc, finding.path, version)
    if pass_name is None:
        return finding
    ranges = pass_catalog.param_ranges(pass_name, key)
    if not ranges:
        return finding
    rename = catalog.load("changes")["pass_params"].get(key, {})
    first = versions.first_with(ranges)
    if first is not None and _before(version, first):
        message = (
            f"{quoted(key)} was added to {pass_name} in Olive {first}; Olive {version} ignores it "
            f"and uses its own default."
        )
        return replace(finding, code=codes.KEY_NEWER_THAN_VERSION, message=message)
    until = versions.last_end(ranges) or "a later release"
    if "renamed_to" in rename:
        new = rename["renamed_to"]
        message = (
            f"{quoted(key)} was renamed to {quoted(new)} in Olive {until}; {pass_name} in Olive {version} "
            f"ignores the old name and uses the default."
        )
        prop = doc.property_at_path(finding.path)
        fixes = (replace_string(prop.key, new, f"Rename to {quoted(new)}"),) if prop is not None else ()
        return replace(finding, code=codes.KEY_NOT_IN_VERSION, message=message, fixes=fixes)
    instead = f": {rename['instead']}" if "instead" in rename else "."
    message = f"{quoted(key)} was removed from {pass_name} in Olive {until} and is ignored{instead}"
    return replace(finding, code=codes.KEY_NOT_IN_VERSION, message=message, fixes=_remove_fix(doc, finding.path))


def _pass_name(doc: Document, path: JsonPath, version: str) -> str | None:
    """The canonical type of the pass entry that ``path`` is in (``passes.x[.i]...``)."""
    entry_path: JsonPath = path[:3] if len(path) > 2 and isinstance(path[2], int) else path[:2]
    entry = doc.node_at_path(entry_path)
    type_node = entry.get("type") if entry is not None and entry.kind == "object" else None
    if type_node is None or not isinstance(type_node.value, str):
        return None
    return pass_catalog.resolve_at(type_node.value, version) or pass_catalog.resolve_anywhere(type_node.value)


def _before(version: str, other: str) -> bool:
    return versions.key(version) < versions.key(other)
