"""Rules about search: values that ask for it, and what it needs to run.

Olive refuses ``"SEARCHABLE_VALUES"`` (and search parameters) when the workflow
has no search strategy, and refuses a search strategy without an evaluator to
rank the candidates; both at parse time, with messages far from the cause.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from olive_schema import codes
from olive_schema.config_view import engine_values, pass_entries
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import Document, JsonPath
from olive_schema.locate import span

SEARCH_PARAMETER_TYPES = frozenset({"Categorical", "Boolean", "Conditional", "ConditionalDefault"})


def search_enabled(config: dict[str, Any]) -> tuple[JsonPath, Any] | None:
    """Where ``search_strategy`` is set to something that turns search on."""
    for path, value in _engine_key(config, "search_strategy"):
        if value not in (None, False):
            return path, value
    return None


def _engine_key(config: dict[str, Any], key: str) -> Iterator[tuple[JsonPath, Any]]:
    engine = config.get("engine")
    if isinstance(engine, dict) and key in engine:
        yield ("engine", key), engine[key]
    if key in config:
        yield (key,), config[key]


def searchable_values_need_search(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    searching = search_enabled(config) is not None
    for entry in pass_entries(config):
        disabled = entry.param("disable_search")
        pass_disabled = disabled is not None and disabled[1] is True
        if searching and not pass_disabled:
            continue
        why = "this pass sets `disable_search`" if pass_disabled else "the workflow has no `search_strategy`"
        for path, _, value in entry.params():
            if _asks_for_search(value):
                start, end = span(doc, path, "value")
                message = (
                    f"This value asks the search to choose, but {why}. Write a single value, or enable search: "
                    '`"search_strategy": {"execution_order": "joint", "sampler": "sequential"}` with an `evaluator`.'
                )
                yield Finding(codes.SEARCHABLE_WITHOUT_SEARCH, Severity.ERROR, message, path, start, end)


def _asks_for_search(value: Any) -> bool:
    if value == "SEARCHABLE_VALUES":
        return True
    return isinstance(value, dict) and value.get("type") in SEARCH_PARAMETER_TYPES and len(value) > 1


def search_needs_evaluator(doc: Document, config: dict[str, Any], version: str) -> Iterator[Finding]:
    enabled = search_enabled(config)
    if enabled is None:
        return
    if any(key == "evaluator" and value for _, key, value in engine_values(config)):
        return
    path = enabled[0]
    start, end = span(doc, path, "key")
    message = (
        "Search compares candidate models, so it needs an `evaluator` (a name from `evaluators`) "
        "at the top level or under `engine`. Add one, or set `search_strategy` to false."
    )
    yield Finding(codes.SEARCH_WITHOUT_EVALUATOR, Severity.ERROR, message, path, start, end)
