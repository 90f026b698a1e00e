"""One declaration per runnable pass: the registry is what the docs, the pre-flight and the evaluation read.

Runs without the ML stack: declaring and reading settings loads no model.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from olive_events.sink import EventSink
from olive_runner.passes import REGISTRY
from olive_runner.passes.base import ModelArtifact, PassContext
from olive_runner.passes.settings import LoraSettings, ModelBuilderSettings
from olive_schema import pass_catalog, versions

DOCS = Path(__file__).resolve().parents[2] / "docs" / "runner.md"


def docs_rows() -> list[list[str]]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("<!-- native passes: start -->")[1].split("<!-- native passes: end -->")[0]
    rows = [line.strip("|").split("|") for line in table.strip().splitlines()[2:]]
    return [[cell.strip().strip("`") for cell in row] for row in rows]


def test_docs_list_exactly_the_registered_passes() -> None:
    expected = [
        [p.pass_type, ", ".join(p.accelerators), "yes" if p.trains else "no", p.output, p.summary]
        for p in REGISTRY.values()
    ]
    assert docs_rows() == expected


def context(pass_type: str, params: dict[str, object], tmp_path: Path, version: str | None = None) -> PassContext:
    return PassContext(
        name="p",
        type=pass_type,
        params=params,
        input=ModelArtifact(kind="hf", path=tmp_path),
        output_dir=tmp_path / "out",
        checkpoint_dir=tmp_path / "ck",
        config_dir=tmp_path,
        data_configs={},
        events=EventSink(),
        olive_version=version,
    )


@pytest.mark.parametrize("pass_type", ["LoRA", "QLoRA"])
def test_settings_take_their_defaults_from_the_catalog_of_the_release(pass_type: str, tmp_path: Path) -> None:
    warnings: list[str] = []
    settings = REGISTRY[pass_type].read_settings(context(pass_type, {}, tmp_path), lambda m, level: warnings.append(m))
    spec = pass_catalog.spec_at(pass_type, versions.newest())
    assert isinstance(settings, LoraSettings) and not warnings
    for name in ("r", "alpha", "lora_dropout", "torch_dtype", "device_map", "allow_tf32"):
        assert getattr(settings, name) == spec.params[name].default
    assert (settings.quant_type is None) == (pass_type == "LoRA")


def test_an_older_release_gives_its_own_defaults(tmp_path: Path) -> None:
    """LoRA's dropout was 0.0 before Olive 0.7 and 0.05 since: the release decides, not the runner."""
    old = REGISTRY["LoRA"].read_settings(context("LoRA", {}, tmp_path, "0.6.2"), lambda m, level: None)
    new = REGISTRY["LoRA"].read_settings(context("LoRA", {}, tmp_path), lambda m, level: None)
    assert (old.lora_dropout, new.lora_dropout) == (0.0, 0.05)


def test_model_builder_settings_leave_unset_options_to_the_builder(tmp_path: Path) -> None:
    warnings: list[str] = []
    ctx = context("ModelBuilder", {"precision": "int4", "int4_block_size": 32, "blocksize": 8}, tmp_path)
    settings = REGISTRY["ModelBuilder"].read_settings(ctx, lambda m, level: warnings.append(m))
    assert isinstance(settings, ModelBuilderSettings)
    assert (settings.precision, settings.int4_block_size, settings.exclude_lm_head) == ("int4", 32, None)
    assert settings.metadata_only is False  # Olive's default for the release
    assert warnings == ["Unknown ModelBuilder parameter 'blocksize' is ignored."]


def test_every_entry_loads_its_run_function_and_declares_its_hardware() -> None:
    for declared in REGISTRY.values():
        assert callable(declared.load())
        assert set(declared.accelerators) <= {"cpu", "cuda"} and declared.accelerators
        assert "cpu" in declared.accelerators or re.search(r"needs", declared.needs)
