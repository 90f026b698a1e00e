"""Olive's rules that a JSON Schema cannot say: pass types, name references, pipeline order.

Each rule is a function ``(doc, config) -> findings`` and reports one finding
per cause, at the place the user has to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from olive_schema import catalog, codes, pass_catalog, rule_texts, versions
from olive_schema.config_view import (
    PassEntry,
    data_config_names,
    engine_values,
    inline_evaluators,
    pass_entries,
)
from olive_schema.edits import replace_string
from olive_schema.findings import Finding, Fix, Severity
from olive_schema.form_rules import azureml_systems, nested_layout
from olive_schema.jsontree import Document, JsonPath
from olive_schema.locate import quoted, span
from olive_schema.pruning_rules import pruned_passes
from olive_schema.search_rules import search_needs_evaluator, searchable_values_need_search
from olive_schema.suggest import closest
from olive_schema.version_rules import changed_keys

Config = dict[str, Any]
Rule = Callable[[Document, Config, str], Iterable[Finding]]


def pass_types(doc: Document, config: Config, version: str) -> Iterator[Finding]:
    """Every pass names a type the target release has; a case-only difference is worth a nudge, not an error."""
    for entry in pass_entries(config):
        written = entry.type_name
        if written is None:
            continue
        path = (*entry.path, "type")
        canonical = pass_catalog.resolve_at(written, version)
        if not written.strip():
            message = (
                f"Pass {quoted(entry.name)} needs a type: the completion menu lists the passes of Olive {version}."
            )
            yield _at_value(doc, path, codes.MISSING_REQUIRED, Severity.ERROR, message, None)
        elif canonical is None:
            yield _pass_type_elsewhere(doc, path, written, version)
        elif canonical != written and "." not in written:
            message = (
                f"Pass type {quoted(written)} is spelled {quoted(canonical)}; Olive matches it "
                f"without regard to case, but the canonical spelling is clearer."
            )
            yield _at_value(doc, path, codes.PASS_TYPE_CASE, Severity.WARNING, message, canonical)


def _pass_type_elsewhere(doc: Document, path: JsonPath, written: str, version: str) -> Finding:
    """An unknown pass type: renamed, removed, newer than the target, or a typo."""
    renamed = catalog.load("changes")["pass_types"]
    other = pass_catalog.resolve_anywhere(written)
    if other is not None:
        ranges = pass_catalog.facts()[other]["versions"]
        first = versions.first_with(ranges)
        if first is not None and versions.key(version) < versions.key(first):
            message = f"Pass type {quoted(other)} was added in Olive {first}; Olive {version} does not have it."
            return _at_value(doc, path, codes.PASS_TYPE_NOT_IN_VERSION, Severity.ERROR, message, None)
        until = versions.last_end(ranges)
        new = renamed.get(other, {}).get("renamed_to")
        if new and pass_catalog.resolve_at(new, version):
            message = f"Pass type {quoted(other)} was replaced by {quoted(new)} in Olive {until}."
            return _at_value(doc, path, codes.PASS_TYPE_NOT_IN_VERSION, Severity.ERROR, message, new)
        message = f"Pass type {quoted(other)} was removed in Olive {until}; Olive {version} does not have it."
        return _at_value(doc, path, codes.PASS_TYPE_NOT_IN_VERSION, Severity.ERROR, message, None)
    guess = closest(written, pass_catalog.names_at(version))
    hint = f' Did you mean "{guess}"?' if guess else " See the list of passes in the completion menu."
    return _at_value(
        doc, path, codes.UNKNOWN_PASS_TYPE, Severity.ERROR, f"Unknown pass type {quoted(written)}.{hint}", guess
    )


def references(doc: Document, config: Config, version: str) -> Iterator[Finding]:
    """Names used by host, target, evaluator and every ``*data_config`` exist."""
    systems = _keys(config.get("systems"))
    evaluators = _keys(config.get("evaluators"))
    data_configs = data_config_names(config) | _magic_names(version)
    for path, key, value in engine_values(config):
        if key in ("host", "target"):
            yield from _check_name(doc, path, value, systems, "systems", codes.UNDEFINED_SYSTEM)
        else:
            yield from _check_name(doc, path, value, evaluators, "evaluators", codes.UNDEFINED_EVALUATOR)
    for entry in pass_entries(config):
        yield from _check_name(
            doc, (*entry.path, "host"), entry.body.get("host"), systems, "systems", codes.UNDEFINED_SYSTEM
        )
        yield from _check_name(
            doc,
            (*entry.path, "evaluator"),
            entry.body.get("evaluator"),
            evaluators,
            "evaluators",
            codes.UNDEFINED_EVALUATOR,
        )
        for path, value in _data_config_params(entry):
            yield from _check_name(doc, path, value, data_configs, "data_configs", codes.UNDEFINED_DATA_CONFIG)
    for eval_path, evaluator in inline_evaluators(config):
        metrics = evaluator.get("metrics")
        for index, metric in enumerate(metrics if isinstance(metrics, list) else []):
            if isinstance(metric, dict):
                yield from _check_name(
                    doc,
                    (*eval_path, "metrics", index, "data_config"),
                    metric.get("data_config"),
                    data_configs,
                    "data_configs",
                    codes.UNDEFINED_DATA_CONFIG,
                )


def qlora_then_int4_builder(doc: Document, config: Config, version: str) -> Iterator[Finding]:
    """The model builder cannot make an int4 model from a QLoRA-tuned one (the seed says so)."""
    qlora: PassEntry | None = None
    for entry in pass_entries(config):
        canonical = pass_catalog.resolve_at(entry.type_name or "", version)
        if canonical == "QLoRA":
            qlora = entry
        elif canonical == "ModelBuilder" and qlora is not None:
            precision = entry.param("precision")
            if precision is not None and str(precision[1]).lower() == "int4":
                message = rule_texts.qlora_then_int4(qlora.name)
                yield _at_value(doc, precision[0], codes.QLORA_INT4_BUILDER, Severity.WARNING, message, None)


RULES: tuple[Rule, ...] = (
    pass_types,
    references,
    qlora_then_int4_builder,
    searchable_values_need_search,
    search_needs_evaluator,
    azureml_systems,
    nested_layout,
    changed_keys,
    pruned_passes,
)


def _magic_names(version: str) -> set[str]:
    """Reference values that the target release resolves itself (e.g. ``__input_model_data_config__``)."""
    magic = catalog.load("changes")["magic_names"]
    return {name for name, fact in magic.items() if name != "_about" and versions.holds(fact["valid"], version)}


def _keys(value: object) -> set[str]:
    return set(value) if isinstance(value, dict) else set()


def _data_config_params(entry: PassEntry) -> Iterator[tuple[JsonPath, Any]]:
    """Olive resolves every parameter whose name ends with ``data_config``, at any depth."""
    for path, key, value in entry.params():
        yield from _walk_data_configs(path, key, value)


def _walk_data_configs(path: JsonPath, key: str, value: Any) -> Iterator[tuple[JsonPath, Any]]:
    if key.endswith("data_config"):
        yield path, value
    elif isinstance(value, dict):
        for sub_key, sub_value in value.items():
            yield from _walk_data_configs((*path, sub_key), sub_key, sub_value)


def _check_name(
    doc: Document, path: JsonPath, value: object, defined: set[str], section: str, code: str
) -> Iterator[Finding]:
    if not isinstance(value, str) or value in defined:
        return
    guess = closest(value, defined)
    if guess:
        hint = f' Did you mean "{guess}"?'
    elif defined:
        hint = " Defined: " + ", ".join(quoted(n) for n in sorted(defined)) + "."
    else:
        hint = f" `{section}` defines none: add one named {quoted(value)}."
    message = f"{quoted(value)} is not defined in `{section}`.{hint}"
    yield _at_value(doc, path, code, Severity.ERROR, message, guess)


def _at_value(
    doc: Document, path: JsonPath, code: str, severity: Severity, message: str, replacement: str | None
) -> Finding:
    start, end = span(doc, path, "value")
    node = doc.node_at_path(path)
    fixes: tuple[Fix, ...] = ()
    if replacement is not None and node is not None and node.kind == "string":
        fixes = (replace_string(node, replacement),)
    return Finding(code, severity, message, path, start, end, fixes)
