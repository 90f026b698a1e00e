"""A read-only view of a config that hides the flat/nested and old/new spellings.

Olive accepts a pass's parameters beside ``type`` or under ``config``, a pass
entry as one object or a list of alternatives, and ``data_configs`` as a list
(or, before 0.6, an object).  Rules ask questions of this view and get back
the JSON path of what they found, so findings still point at the user's text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from olive_schema.jsontree import JsonPath

ENTRY_KEYS = frozenset({"type", "config", "host", "evaluator"})
ENGINE_REFERENCE_KEYS = ("host", "target", "evaluator")


@dataclass(frozen=True, slots=True)
class PassEntry:
    name: str
    path: JsonPath
    body: dict[str, Any]

    @property
    def type_name(self) -> str | None:
        value = self.body.get("type")
        return value if isinstance(value, str) else None

    def params(self) -> Iterator[tuple[JsonPath, str, Any]]:
        """(path, name, value) of every parameter, flat ones and those under ``config``."""
        for key, value in self.body.items():
            if key not in ENTRY_KEYS:
                yield (*self.path, key), key, value
        config = self.body.get("config")
        if isinstance(config, dict):
            for key, value in config.items():
                yield (*self.path, "config", key), key, value

    def param(self, name: str) -> tuple[JsonPath, Any] | None:
        """A parameter's effective value: Olive lets the nested one win over the flat one."""
        found = None
        for path, key, value in self.params():
            if key == name:
                found = (path, value)
        return found


def pass_entries(config: dict[str, Any]) -> Iterator[PassEntry]:
    """The pipeline in order; alternatives written as a list come one by one."""
    passes = config.get("passes")
    if not isinstance(passes, dict):
        return
    for name, value in passes.items():
        if isinstance(value, dict):
            yield PassEntry(name, ("passes", name), value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield PassEntry(name, ("passes", name, index), item)


def data_config_names(config: dict[str, Any]) -> set[str]:
    """Names defined by ``data_configs``, in the list form and in the old object form."""
    data_configs = config.get("data_configs")
    names: set[str] = set()
    if isinstance(data_configs, list):
        names.update(d["name"] for d in data_configs if isinstance(d, dict) and isinstance(d.get("name"), str))
    elif isinstance(data_configs, dict):
        for key, value in data_configs.items():
            names.add(key)
            if isinstance(value, dict) and isinstance(value.get("name"), str):
                names.add(value["name"])
    return names


def engine_values(config: dict[str, Any]) -> Iterator[tuple[JsonPath, str, Any]]:
    """Engine keys written at the top level and under ``engine``."""
    for key in ENGINE_REFERENCE_KEYS:
        if key in config:
            yield (key,), key, config[key]
    engine = config.get("engine")
    if isinstance(engine, dict):
        for key in ENGINE_REFERENCE_KEYS:
            if key in engine:
                yield ("engine", key), key, engine[key]


def inline_evaluators(config: dict[str, Any]) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    """Every evaluator object: the named ones and those written inline at the engine or a pass."""
    evaluators = config.get("evaluators")
    if isinstance(evaluators, dict):
        for name, value in evaluators.items():
            if isinstance(value, dict):
                yield ("evaluators", name), value
    for path, key, value in engine_values(config):
        if key == "evaluator" and isinstance(value, dict):
            yield path, value
    for entry in pass_entries(config):
        value = entry.body.get("evaluator")
        if isinstance(value, dict):
            yield (*entry.path, "evaluator"), value
