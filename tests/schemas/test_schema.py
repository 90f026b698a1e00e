"""The published JSON Schema: valid, in sync with the catalog, documented, and usable on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from olive_schema import catalog, schema_build

from tests.conftest import EXAMPLES


def committed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_build.SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def test_committed_schema_is_what_the_catalog_generates() -> None:
    assert committed() == schema_build.build_schema(), "run: olive-studio schema --write"


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(committed())


def declared_properties(node: object, where: str = "$") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            if isinstance(sub, dict):
                yield f"{where}.{name}", sub
        for key, value in node.items():
            yield from declared_properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from declared_properties(value, f"{where}[{index}]")


def test_every_declared_key_is_documented() -> None:
    undocumented = [
        where
        for where, sub in declared_properties(committed())
        if not sub.get("markdownDescription")
        and "$ref" not in sub
        and set(sub) != {"required"}  # a constraint on a declared key, not a declaration
        and where.rsplit(".", 1)[-1] != "type"
    ]
    assert undocumented == []


def test_the_seed_passes_are_documented_with_every_parameter() -> None:
    for name in ("LoRA", "QLoRA", "MergeAdapterWeights", "ModelBuilder"):
        info = catalog.passes()[name]
        assert info.summary
        for param, spec in info.params.items():
            assert spec.get("description"), f"{name}.{param}"


def test_pass_types_resolve_case_insensitively_like_olive() -> None:
    assert catalog.resolve_pass_type("lora") == "LoRA"
    assert catalog.resolve_pass_type("olive.passes.pytorch.lora.LoRA") == "LoRA"
    assert catalog.resolve_pass_type("LoRAA") is None


def test_plain_json_schema_tools_accept_both_examples_forms_of_a_pass() -> None:
    validator = Draft202012Validator(committed())
    flat = json.loads((EXAMPLES / "phrase-classification" / "olive-config.json").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(flat)) == []
    nested = json.loads(json.dumps(flat))
    lora = nested["passes"]["lora"]
    nested["passes"]["lora"] = {"type": "LoRA", "config": {k: v for k, v in lora.items() if k != "type"}}
    assert list(validator.iter_errors(nested)) == []
    nested["passes"]["lora"]["config"]["r"] = "sixteen"
    assert [list(e.absolute_path) for e in validator.iter_errors(nested)] == [["passes", "lora", "config", "r"]]
