"""Where a config defines and uses the names Olive resolves: data configs, systems and evaluators.

Go to definition, find references and rename all ask the same question ("which
strings are this name?"), so the answer is one walk over the tree.  The places
are the ones the checker's reference rule (``olive_schema.rules.references``)
checks, so navigation and the "is not defined" diagnostics agree: ``host`` and
``target`` name systems, ``evaluator`` names an evaluator, and every pass
parameter ending in ``data_config`` (at any depth) and each metric's
``data_config`` name a data config.  The walk reads the error-tolerant tree, so
it keeps working on half-typed documents and knows every offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from olive_schema.config_view import ENTRY_KEYS
from olive_schema.jsontree import Document, Node, Property

NameKind = Literal["system", "evaluator", "data_config"]
SECTIONS: dict[NameKind, str] = {"system": "systems", "evaluator": "evaluators", "data_config": "data_configs"}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One string that is a name: its definition (a key or a ``name`` value) or a reference to it.

    ``start``/``end`` cover the characters between the quotes, which is what a
    rename replaces and what the client highlights.
    """

    kind: NameKind
    name: str
    start: int
    end: int
    node_start: int
    node_end: int
    is_definition: bool

    def touches(self, offset: int) -> bool:
        """Whether a cursor at ``offset`` is on this string (either edge counts, as editors expect)."""
        return self.node_start <= offset <= self.node_end


def occurrences(doc: Document) -> list[Occurrence]:
    """Every definition and reference in the document, in text order."""
    root = doc.root
    if root is None or root.kind != "object":
        return []
    found = [*_definitions(doc.text, root), *_references(doc.text, root)]
    found.sort(key=lambda o: o.start)
    return found


def occurrence_at(found: list[Occurrence], offset: int) -> Occurrence | None:
    return next((o for o in found if o.touches(offset)), None)


def same_name(found: list[Occurrence], target: Occurrence) -> list[Occurrence]:
    return [o for o in found if o.kind == target.kind and o.name == target.name]


def _name(text: str, node: Node | None, kind: NameKind, is_definition: bool) -> Iterator[Occurrence]:
    """The string ``node`` as a name; nothing when it is absent or not a string (half-typed, a number...)."""
    if node is None or node.kind != "string" or not isinstance(node.value, str):
        return
    start, end = node.start, node.end
    if text.startswith('"', start):
        start += 1
    if node.closed and end > start and text[end - 1] == '"':
        end -= 1
    yield Occurrence(kind, node.value, start, end, node.start, node.end, is_definition)


def _objects(node: Node | None) -> Iterator[Node]:
    """The node itself when it is an object, or the object items of an array (pass alternatives)."""
    if node is None:
        return
    if node.kind == "object":
        yield node
    elif node.kind == "array":
        yield from (item for item in node.items if item.kind == "object")


# -- definitions ---------------------------------------------------------------------------------


def _definitions(text: str, root: Node) -> Iterator[Occurrence]:
    for kind in ("system", "evaluator"):
        section = root.get(SECTIONS[kind])
        if section is not None and section.kind == "object":
            for prop in section.properties:
                yield from _name(text, prop.key, kind, True)
    yield from _data_config_definitions(text, root.get("data_configs"))


def _data_config_definitions(text: str, section: Node | None) -> Iterator[Occurrence]:
    """List form: each item's ``name``.  Old object form: each key, and an inner ``name`` (the checker accepts both)."""
    if section is None:
        return
    if section.kind == "array":
        for item in section.items:
            if item.kind == "object":
                yield from _name(text, item.get("name"), "data_config", True)
    elif section.kind == "object":
        for prop in section.properties:
            yield from _name(text, prop.key, "data_config", True)
            if prop.value is not None and prop.value.kind == "object":
                yield from _name(text, prop.value.get("name"), "data_config", True)


# -- references ----------------------------------------------------------------------------------


def _references(text: str, root: Node) -> Iterator[Occurrence]:
    engine = root.get("engine")
    for holder in (root, engine):
        if holder is not None and holder.kind == "object":
            yield from _engine_references(text, holder)
    evaluators = root.get("evaluators")
    if evaluators is not None and evaluators.kind == "object":
        for prop in evaluators.properties:
            yield from _metric_references(text, prop.value)
    passes = root.get("passes")
    if passes is not None and passes.kind == "object":
        for prop in passes.properties:
            for entry in _objects(prop.value):
                yield from _pass_references(text, entry)


def _engine_references(text: str, holder: Node) -> Iterator[Occurrence]:
    """``host``/``target``/``evaluator`` at the top level or under ``engine``; an inline evaluator's metrics."""
    for key in ("host", "target"):
        yield from _name_reference(text, holder.get(key), "system")
    yield from _evaluator_reference(text, holder.get("evaluator"))


def _pass_references(text: str, entry: Node) -> Iterator[Occurrence]:
    yield from _name_reference(text, entry.get("host"), "system")
    yield from _evaluator_reference(text, entry.get("evaluator"))
    for prop in entry.properties:
        if prop.key.value not in ENTRY_KEYS:
            yield from _data_config_params(text, prop)
    config = entry.get("config")
    if config is not None and config.kind == "object":
        for prop in config.properties:
            yield from _data_config_params(text, prop)


def _data_config_params(text: str, prop: Property) -> Iterator[Occurrence]:
    """Olive resolves every parameter whose name ends with ``data_config``, at any depth of objects."""
    key, value = prop.key.value, prop.value
    if value is None or not isinstance(key, str):
        return
    if key.endswith("data_config"):
        yield from _name_reference(text, value, "data_config")
    elif value.kind == "object":
        for sub in value.properties:
            yield from _data_config_params(text, sub)


def _evaluator_reference(text: str, value: Node | None) -> Iterator[Occurrence]:
    """An evaluator is named by a string or written inline, whose metrics name data configs."""
    yield from _name_reference(text, value, "evaluator")
    yield from _metric_references(text, value)


def _metric_references(text: str, evaluator: Node | None) -> Iterator[Occurrence]:
    metrics = evaluator.get("metrics") if evaluator is not None and evaluator.kind == "object" else None
    if metrics is None or metrics.kind != "array":
        return
    for metric in metrics.items:
        if metric.kind == "object":
            yield from _name_reference(text, metric.get("data_config"), "data_config")


def _name_reference(text: str, value: Node | None, kind: NameKind) -> Iterator[Occurrence]:
    return _name(text, value, kind, False)
