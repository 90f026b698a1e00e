"""Migration: old configs rewritten for a newer Olive, formatting kept, clean for that release."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from olive_schema import pass_catalog, versions
from olive_schema.config_view import pass_entries
from olive_schema.findings import Severity
from olive_schema.migrate import MigrationError, migrate_text

from tests.conftest import EXAMPLES, REPO, shared_path

NEWEST = versions.newest()


def errors(findings: list) -> list[str]:  # type: ignore[type-arg]
    return [f"{f.code} {f.path_text}" for f in findings if f.severity is Severity.ERROR]


def test_the_cookbook_config_migrates_to_a_clean_current_config() -> None:
    text = shared_path("seed", "cookbook-phrase-classification.json").read_text(encoding="utf-8")
    migration = migrate_text(text, NEWEST)
    assert errors(migration.findings) == []
    config = json.loads(migration.text)
    assert "$schema" not in config
    assert config["input_model"] == {
        "type": "HfModel",
        "model_path": "microsoft/Phi-3-mini-4k-instruct",
        "task": "text-generation",
        "load_kwargs": {"trust_remote_code": True},
    }
    lora = config["passes"]["lora"]["config"]
    assert (lora["r"], lora["alpha"]) == (64, 64) and "lora_r" not in lora
    assert "eval_strategy" in lora["training_args"]
    data = config["data_configs"][0]
    assert data["load_dataset_config"]["data_files"] == "dataset/dataset-classification.json"
    assert data["pre_process_data_config"]["strategy"] == "join"
    assert data["pre_process_data_config"]["max_seq_len"] == 1024
    assert list(config) == ["input_model", "systems", "data_configs", "passes", "engine"]  # key order kept


def test_untouched_lines_keep_their_formatting() -> None:
    text = shared_path("seed", "cookbook-phrase-classification.json").read_text(encoding="utf-8")
    migrated = migrate_text(text, NEWEST).text
    for line in ('                    "gradient_accumulation_steps": 4,', '        "merge": {', '    "engine": {'):
        assert line in text and line in migrated


def test_the_qlora_seed_migrates_its_dict_data_configs_and_old_exporter() -> None:
    text = shared_path("seed", "phi-ft-olive_config.json").read_text(encoding="utf-8")
    migration = migrate_text(text, NEWEST)
    config = json.loads(migration.text)
    assert isinstance(config["data_configs"], list)
    assert config["data_configs"][0]["name"] == "dataset_default_train"
    assert config["passes"]["genai_export"]["type"] == "ModelBuilder"
    assert errors(migration.findings) == []


def test_the_old_example_migrates_and_matches_the_current_one() -> None:
    old = migrate_text((EXAMPLES / "phrase-classification" / "olive-config-0.6.json").read_text(), NEWEST)
    assert errors(old.findings) == []
    new = json.loads((EXAMPLES / "phrase-classification" / "olive-config.json").read_text())
    migrated = json.loads(old.text)
    assert migrated["input_model"]["type"] == new["input_model"]["type"]
    assert migrated["data_configs"][0]["pre_process_data_config"]["strategy"] == "join"


def test_migrating_to_the_release_a_config_was_written_for_changes_nothing() -> None:
    text = (EXAMPLES / "phrase-classification" / "olive-config-0.6.json").read_text()
    migration = migrate_text(text, "0.6.1")
    assert migration.text == text and migration.steps == []


def test_a_broken_file_is_refused_not_mangled() -> None:
    with pytest.raises(MigrationError, match="syntax errors"):
        migrate_text('{"input_model": {', NEWEST)


def test_configs_olive_0_6_2_accepts_migrate_to_the_newest_release() -> None:
    """Every pre-0.7 corpus config that Olive 0.6.2 accepts and whose passes still exist migrates with no
    error left, except the listed manual steps (data the old form did not have, a choice the user must make)."""
    corpus = shared_path("olive", "corpus")
    verdicts = json.loads((REPO / "tests" / "data" / "olive_verdicts" / "olive-0.6.2.json").read_text())["verdicts"]
    manual = json.loads((REPO / "tests" / "data" / "migration_manual_steps.json").read_text())
    checked, leftovers = 0, {}
    for verdict in verdicts:
        path = verdict["path"]
        if verdict["verdict"] != "accept" or path.split("/")[0] not in ("v0.4.0", "v0.5.0", "v0.6.0", "v0.6.2"):
            continue
        text = (corpus / path).read_text(encoding="utf-8")
        if any(_gone(entry.type_name or "") for entry in pass_entries(json.loads(text))):
            continue
        checked += 1
        left = sorted(e.split(" ")[0] for e in errors(migrate_text(text, NEWEST).findings))
        if left != manual.get(path, {}).get("codes", []):
            leftovers[path] = left
    assert checked > 100
    assert leftovers == {}


def _gone(pass_type: str) -> bool:
    """A pass type the newest release has neither under this name nor under a replacement."""
    return pass_catalog.resolve_at(pass_type, NEWEST) is None and pass_type not in (
        "GenAIModelExporter",
        "OnnxMatMul4Quantizer",
        "OrtPerfTuning",
        "OnnxModelOptimizer",
        "OnnxIOFloat16ToFloat32",
    )


def test_migrate_command_shows_a_diff_and_writes_on_request(tmp_path: Path) -> None:
    config = tmp_path / "olive-config.json"
    config.write_text((EXAMPLES / "phrase-classification" / "olive-config-0.6.json").read_text(), encoding="utf-8")
    before = config.read_text()
    run = [sys.executable, "-m", "olive_studio", "migrate", str(config), "--to", "0.13"]
    shown = subprocess.run(run, capture_output=True, text=True, timeout=60, check=False)
    assert shown.returncode == 0, shown.stderr
    assert '-        "lora_r": 16,' in shown.stdout and '+        "r": 16,' in shown.stdout
    assert config.read_text() == before  # nothing written without --write
    written = subprocess.run([*run, "--write"], capture_output=True, text=True, timeout=60, check=False)
    assert written.returncode == 0 and f"wrote {config}" in written.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "olive_studio",
            "validate",
            "--no-file-checks",
            "--olive-version",
            "0.13",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stdout
