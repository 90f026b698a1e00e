"""The published JSON Schema: valid, in sync with the catalog, documented, and usable on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator
from olive_schema import pass_catalog, schema_build, versions

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


def test_every_pass_of_every_release_is_documented_with_every_parameter() -> None:
    for version in versions.releases():
        for name in pass_catalog.names_at(version):
            spec = pass_catalog.spec_at(name, version)
            assert spec.summary, f"{name} ({version})"
            if version == versions.newest():
                assert all(p.description for p in spec.params.values()), f"{name} ({version})"


def test_pass_types_resolve_like_the_release_does() -> None:
    newest = versions.newest()
    assert pass_catalog.resolve_at("lora", newest) == "LoRA"
    assert pass_catalog.resolve_at("olive.passes.pytorch.lora.LoRA", newest) == "LoRA"
    assert pass_catalog.resolve_at("LoRAA", newest) is None
    assert pass_catalog.resolve_at("OnnxConversion", "0.6.2") == "OnnxConversion"
    assert pass_catalog.resolve_at("onnxconversion", "0.6.2") is None  # 0.5.1-0.6.2 match exactly


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
