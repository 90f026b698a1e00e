"""Checking against a chosen Olive release: what it accepts is clean, what it lacks is named in release terms."""

from __future__ import annotations

import json
from typing import Any

import pytest
from olive_schema import Severity, check_text, versions
from olive_schema.checker import CheckOptions
from olive_schema.findings import Finding

from tests.conftest import EXAMPLES

OLD_EXAMPLE = EXAMPLES / "phrase-classification" / "olive-config-0.6.json"
NEW_EXAMPLE = EXAMPLES / "phrase-classification" / "olive-config.json"


def findings_at(version: str, text: str) -> list[Finding]:
    return check_text(text, CheckOptions(olive_version=version)).findings


def lora_config(**lora: Any) -> str:
    return json.dumps(
        {
            "input_model": {
                "type": "PyTorchModel",
                "config": {"hf_config": {"model_name": "m", "task": "text-generation"}},
            },
            "data_configs": [{"name": "train", "type": "HuggingfaceContainer"}],
            "passes": {"lora": {"type": "LoRA", "config": {"train_data_config": "train", **lora}}},
            "engine": {"output_dir": "out"},
        },
        indent=2,
    )


def test_the_old_example_is_clean_for_the_release_it_was_written_for() -> None:
    assert findings_at("0.6.1", OLD_EXAMPLE.read_text(encoding="utf-8")) == []


def test_the_current_example_is_clean_for_the_newest_release() -> None:
    assert findings_at(versions.newest(), NEW_EXAMPLE.read_text(encoding="utf-8")) == []


def test_a_release_line_means_its_newest_patch() -> None:
    assert versions.resolve("0.6") == "0.6.2"
    assert versions.resolve("v0.13") == versions.resolve("0.13.0")
    with pytest.raises(versions.UnknownVersionError, match="known releases"):
        versions.resolve("0.99")


def test_lora_r_is_fine_before_0_8_and_renamed_after() -> None:
    assert not [f for f in findings_at("0.7.1.1", lora_config(lora_r=16)) if f.path[-1] == "lora_r"]
    [finding] = [f for f in findings_at("0.8.0", lora_config(lora_r=16)) if f.path[-1] == "lora_r"]
    assert finding.code == "OS104" and finding.severity is Severity.WARNING
    assert 'renamed to "r" in Olive 0.8.0' in finding.message
    assert finding.fixes[0].edits[0].new_text == '"r"'


def test_a_parameter_newer_than_the_target_is_named_with_its_release() -> None:
    [finding] = [f for f in findings_at("0.7.1.1", lora_config(r=16)) if f.path[-1] == "r"]
    assert finding.code == "OS105"
    assert "added to LoRA in Olive 0.8.0" in finding.message


def test_hf_config_is_valid_before_0_7_and_a_migration_after() -> None:
    old = lora_config()
    assert not [f for f in findings_at("0.6.2", old) if "hf_config" in f.path]
    [finding] = [f for f in findings_at("0.7.0", old) if "hf_config" in f.path]
    assert "removed in Olive 0.7.0" in finding.message and "olive-studio migrate" in finding.message


def test_a_pass_type_the_target_lacks_says_what_replaced_it() -> None:
    text = (
        lora_config()
        .replace('"LoRA"', '"OnnxMatMul4Quantizer"')
        .replace('"train_data_config": "train"', '"block_size": 32')
    )
    assert not [f for f in findings_at("0.6.2", text) if f.code.startswith("OS11")]
    [finding] = [f for f in findings_at(versions.newest(), text) if f.code == "OS112"]
    assert '"OnnxBlockWiseRtnQuantization"' in finding.message
    assert finding.fixes[0].edits[0].new_text == '"OnnxBlockWiseRtnQuantization"'


def test_old_releases_ignore_unknown_top_level_keys_and_new_ones_reject_them() -> None:
    text = json.dumps({"$schema": "x", "input_model": {"type": "ONNXModel", "config": {"model_path": "m.onnx"}}})
    assert findings_at("0.6.2", text) == []
    [finding] = findings_at("0.7.0", text)
    assert finding.severity is Severity.ERROR and "engine.$schema" in finding.message


def test_flat_model_before_0_7_is_an_error_that_says_to_nest_it() -> None:
    text = json.dumps({"input_model": {"type": "ONNXModel", "model_path": "m.onnx"}})
    [finding] = findings_at("0.6.2", text)
    assert finding.severity is Severity.ERROR and "under `config`" in finding.message
    assert findings_at("0.7.0", text) == []


def test_data_configs_as_an_object_is_valid_until_0_6() -> None:
    text = json.dumps(
        {
            "input_model": {"type": "ONNXModel", "config": {"model_path": "m.onnx"}},
            "data_configs": {"d": {"name": "d", "type": "HuggingfaceContainer"}},
        }
    )
    assert findings_at("0.5.2", text) == []
    [finding] = findings_at("0.6.0", text)
    assert "valid until Olive 0.6.0" in finding.message


def test_several_execution_providers_are_valid_until_0_10() -> None:
    system = {
        "type": "LocalSystem",
        "accelerators": [{"device": "gpu", "execution_providers": ["CUDAExecutionProvider", "CPUExecutionProvider"]}],
    }
    text = json.dumps({"input_model": {"type": "ONNXModel", "model_path": "m.onnx"}, "systems": {"local": system}})
    assert findings_at("0.9.2", text) == []
    assert [f.code for f in findings_at("0.10.0", text)] == ["OS104"]


def test_azure_ml_systems_run_with_olive_studio_after_olive_dropped_them() -> None:
    system = {"type": "AzureML", "aml_compute": "gpu-cluster", "accelerators": [{"device": "gpu"}]}
    text = json.dumps({"input_model": {"type": "HfModel", "model_path": "m"}, "systems": {"aml": system}})
    assert findings_at("0.9.2", text) == []
    [finding] = findings_at(versions.newest(), text)
    assert finding.severity is Severity.INFO and "Olive Studio's runner" in finding.message


def test_searchable_values_need_a_search_strategy_and_search_needs_an_evaluator() -> None:
    base = {
        "input_model": {"type": "HfModel", "model_path": "m"},
        "passes": {"q": {"type": "OnnxDynamicQuantization", "per_channel": "SEARCHABLE_VALUES"}},
    }
    [finding] = findings_at(versions.newest(), json.dumps(base))
    assert finding.code == "OS140" and finding.path == ("passes", "q", "per_channel")
    with_search = {**base, "search_strategy": {"execution_order": "joint", "sampler": "sequential"}}
    [finding] = findings_at(versions.newest(), json.dumps(with_search))
    assert finding.code == "OS141"
    evaluator = {
        "evaluators": {"e": {"metrics": [{"name": "l", "type": "latency", "sub_types": [{"name": "avg"}]}]}},
        "evaluator": "e",
    }
    assert findings_at(versions.newest(), json.dumps({**with_search, **evaluator})) == []


def test_numbers_in_strings_are_a_warning_because_olive_converts_them() -> None:
    text = lora_config().replace('"train_data_config": "train"', '"train_data_config": "train", "r": "16"')
    [finding] = [f for f in findings_at(versions.newest(), text.replace("hf_config", "x")) if f.path[-1] == "r"]
    assert finding.severity is Severity.WARNING and "converts it" in finding.message


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (lora_config(), ("input_model", "config", "hf_config")),
        (
            json.dumps(
                {
                    "input_model": {"type": "ONNXModel", "model_path": "m.onnx"},
                    "data_configs": {"d": {"type": "HuggingfaceContainer"}},
                },
                indent=2,
            ),
            ("data_configs",),
        ),
    ],
)
def test_structural_changes_carry_their_rewrite_as_a_quick_fix(config: str, path: tuple[str, ...]) -> None:
    [finding] = [f for f in findings_at(versions.newest(), config) if f.path == path]
    assert finding.fixes and finding.fixes[0].title.startswith("Migrate:")
    fixed = config
    for edit in sorted(finding.fixes[0].edits, key=lambda e: e.start, reverse=True):
        fixed = fixed[: edit.start] + edit.new_text + fixed[edit.end :]
    assert not [f for f in findings_at(versions.newest(), fixed) if f.path == path]
