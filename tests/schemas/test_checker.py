"""The checker on configs a user would write: each mistake found at the right place, with the right code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from olive_schema import Finding, Severity, check_text
from olive_schema.findings import Fix

from tests.conftest import EXAMPLES

BASE: dict[str, Any] = {
    "input_model": {"type": "HfModel", "model_path": "microsoft/Phi-3-mini-4k-instruct"},
    "systems": {"local": {"type": "LocalSystem", "accelerators": [{"device": "cpu"}]}},
    "data_configs": [
        {
            "name": "train",
            "type": "HuggingfaceContainer",
            "load_dataset_config": {"data_name": "json", "data_files": "d.jsonl", "split": "train"},
        }
    ],
    "evaluators": {
        "acc": {
            "metrics": [{"name": "latency", "type": "latency", "sub_types": [{"name": "avg"}], "data_config": "train"}]
        }
    },
    "passes": {
        "lora": {"type": "LoRA", "r": 16, "train_data_config": "train"},
        "merge": {"type": "MergeAdapterWeights"},
        "mb": {"type": "ModelBuilder", "precision": "int4"},
    },
    "host": "local",
    "target": "local",
    "evaluator": "acc",
}


def config(**changes: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(BASE))
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = out
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return out


DELETE = object()


def check(cfg: dict[str, Any]) -> tuple[str, list[Finding]]:
    text = json.dumps(cfg, indent=2)
    return text, check_text(text).findings


def only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def apply(text: str, fix: Fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


def test_the_base_config_is_clean() -> None:
    assert check(BASE)[1] == []


def test_the_current_format_example_is_clean() -> None:
    text = (EXAMPLES / "phrase-classification" / "olive-config.json").read_text(encoding="utf-8")
    assert check_text(text).findings == []


def test_misspelled_pass_type_is_an_error_naming_the_pass_with_a_fix() -> None:
    text, findings = check(config(passes__lora__type="LoRAA"))
    finding = only(findings, "OS110")
    assert finding.severity is Severity.ERROR
    assert finding.path == ("passes", "lora", "type")
    assert text[finding.start : finding.end] == '"LoRAA"'
    assert finding.message == 'Unknown pass type "LoRAA". Did you mean "LoRA"?'
    assert check_text(apply(text, finding.fixes[0])).findings == []
    assert len(findings) == 1  # no cascade: its parameters are not reported as unknown


def test_pass_type_in_another_case_is_accepted_like_olive_but_named_canonically() -> None:
    text, findings = check(config(passes__lora__type="LoRa"))
    finding = only(findings, "OS111")
    assert finding.severity is Severity.WARNING
    assert '"LoRA"' in finding.message
    assert check_text(apply(text, finding.fixes[0])).findings == []


def test_removed_top_level_key_is_an_error_on_the_key_itself() -> None:
    text, findings = check({"$schema": "https://example/schema.json", **BASE})
    finding = only(findings, "OS104")
    assert "removed in Olive 0.7.0" in finding.message
    assert finding.severity is Severity.ERROR
    assert text[finding.start : finding.end] == '"$schema"'
    assert "engine.$schema" in finding.message  # explains Olive's misleading report
    fixed = apply(text, finding.fixes[-1])
    assert json.loads(fixed) == BASE


@pytest.mark.parametrize(
    ("changes", "path", "code"),
    [
        ({"passes__lora__train_data_config": "trian"}, ("passes", "lora", "train_data_config"), "OS120"),
        ({"passes__lora__eval_data_config": "missing"}, ("passes", "lora", "eval_data_config"), "OS120"),
        (
            {"passes__lora": {"type": "LoRA", "config": {"train_data_config": "nope"}}},
            ("passes", "lora", "config", "train_data_config"),
            "OS120",
        ),
        (
            {"evaluators__acc__metrics__0__data_config": "nope"},
            ("evaluators", "acc", "metrics", 0, "data_config"),
            "OS120",
        ),
        ({"host": "remote"}, ("host",), "OS121"),
        ({"target": "locl"}, ("target",), "OS121"),
        ({"passes__merge__host": "gpu_box"}, ("passes", "merge", "host"), "OS121"),
        ({"evaluator": "accuracy"}, ("evaluator",), "OS122"),
    ],
)
def test_dangling_names_are_errors_at_the_reference(changes: dict[str, Any], path: tuple[Any, ...], code: str) -> None:
    text, findings = check(config(**changes))
    finding = only(findings, code)
    assert finding.severity is Severity.ERROR
    assert finding.path == path
    node_text = text[finding.start : finding.end]
    assert node_text.startswith('"') and node_text.endswith('"')
    assert len(findings) == 1, findings


def test_dangling_name_suggests_the_close_one_and_fixes_it() -> None:
    text, findings = check(config(passes__lora__train_data_config="trian"))
    finding = only(findings, "OS120")
    assert text[finding.start : finding.end] == '"trian"'
    assert 'Did you mean "train"?' in finding.message
    assert check_text(apply(text, finding.fixes[0])).findings == []


def test_engine_block_references_are_checked_too() -> None:
    cfg = config(host=DELETE, target=DELETE, evaluator=DELETE)
    cfg["engine"] = {"host": "local", "target": "nowhere", "cache_dir": "cache"}
    finding = only(check(cfg)[1], "OS121")
    assert finding.path == ("engine", "target")
    assert "`systems`" in finding.message


def test_renamed_lora_parameter_is_a_warning_that_names_the_new_key() -> None:
    text, findings = check(
        config(passes__lora={"type": "LoRA", "config": {"lora_r": 64, "train_data_config": "train"}})
    )
    finding = only(findings, "OS104")
    assert finding.severity is Severity.WARNING
    assert text[finding.start : finding.end] == '"lora_r"'
    assert '"r"' in finding.message and "0.8.0" in finding.message
    assert json.loads(apply(text, finding.fixes[0]))["passes"]["lora"]["config"]["r"] == 64


def test_misspelled_pass_parameter_is_a_warning_with_did_you_mean() -> None:
    _, findings = check(config(passes__lora__target_module=["q_proj"]))
    finding = only(findings, "OS103")
    assert 'Did you mean "target_modules"?' in finding.message
    assert finding.path == ("passes", "lora", "target_module")


def test_wrong_type_is_reported_on_the_value() -> None:
    text, findings = check(config(passes__lora__r="16"))
    finding = only(findings, "OS100")
    assert text[finding.start : finding.end] == '"16"'
    assert "integer" in finding.message


def test_bad_enum_value_lists_the_allowed_ones() -> None:
    text, findings = check(config(passes__mb__precision="int5"))
    finding = only(findings, "OS100")
    assert text[finding.start : finding.end] == '"int5"'
    assert '"int4"' in finding.message


def test_missing_required_pass_parameter_is_named() -> None:
    _, findings = check(config(passes__lora={"type": "LoRA", "r": 8}))
    finding = only(findings, "OS102")
    assert '"train_data_config"' in finding.message
    assert finding.path == ("passes", "lora")


def test_missing_input_model_is_reported() -> None:
    _, findings = check(config(input_model=DELETE))
    assert '"input_model"' in only(findings, "OS102").message


def test_data_config_names_follow_olives_pattern() -> None:
    cfg = config(data_configs__0__name="train.v2", passes__lora__train_data_config="train.v2")
    finding = only(check(cfg)[1], "OS100")
    assert finding.path == ("data_configs", 0, "name")


def test_old_dict_data_configs_is_one_finding_not_a_cascade() -> None:
    cfg = config()
    cfg["data_configs"] = {"train": cfg["data_configs"][0]}
    findings = check(cfg)[1]
    assert [f.path for f in findings] == [("data_configs",)]


def test_qlora_followed_by_int4_model_builder_is_flagged_at_the_precision() -> None:
    text, findings = check(config(passes__lora__type="QLoRA"))
    finding = only(findings, "OS130")
    assert text[finding.start : finding.end] == '"int4"'
    assert '"lora"' in finding.message
    assert check(config(passes__lora__type="QLoRA", passes__mb__precision="fp16"))[1] == []
    assert check(config(passes__mb__precision="int4"))[1] == []  # LoRA then int4 is fine


def test_old_format_example_gets_real_findings() -> None:
    text = (EXAMPLES / "phrase-classification" / "olive-config-0.6.json").read_text(encoding="utf-8")
    findings = check_text(text).findings
    by_key = {f.path[-1]: f for f in findings}
    # Olive 0.13 loads the config and fails only when it builds the model: a warning, with the rewrite
    assert by_key["hf_config"].severity is Severity.WARNING
    assert "olive-studio migrate" in by_key["hf_config"].message
    assert by_key["lora_r"].code == "OS104"
    assert by_key["eval_dataset_size"].code == "OS104"
    assert "params_config" in by_key


def test_every_finding_has_a_place_inside_the_document() -> None:
    path = Path(EXAMPLES / "phrase-classification" / "olive-config-0.6.json")
    text = path.read_text(encoding="utf-8")
    for finding in check_text(text).findings:
        assert 0 <= finding.start < finding.end <= len(text), finding


def test_a_wrong_value_is_one_finding_even_when_it_breaks_several_keywords() -> None:
    text, findings = check(config(log_severity_level="<place_holder>"))
    finding = only(findings, "OS100")
    assert text[finding.start : finding.end] == '"<place_holder>"'


@pytest.mark.parametrize(
    ("section", "value", "missing"),
    [
        ("input_model", {"type": "HfModel", "task": "text-generation"}, "model_path"),
        ("input_model", {"type": "HfModel", "config": {"task": "text-generation"}}, "model_path"),
        ("systems", {"box": {"type": "Docker", "image_name": "x"}}, "dockerfile"),
    ],
)
def test_missing_required_keys_of_a_typed_section_are_named(section: str, value: Any, missing: str) -> None:
    _, findings = check(config(**{section: value}))
    assert any(f.code == "OS102" and f'"{missing}"' in f.message for f in findings), findings


@pytest.mark.parametrize(
    "pass_entry",
    [{"type": "LoRA", "r": 8}, {"type": "LoRA", "config": {"r": 8}}, {"type": "LoRA"}],
)
def test_a_missing_required_parameter_comes_with_a_fix_that_adds_it(pass_entry: dict[str, Any]) -> None:
    text, findings = check(config(passes__lora=pass_entry))
    finding = only(findings, "OS102")
    fixed = apply(text, finding.fixes[0])
    assert finding.fixes[0].title == 'Add "train_data_config"'
    assert [f.code for f in check_text(fixed).findings] == ["OS120"]  # now present; its value is still to choose
