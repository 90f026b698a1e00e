"""``olive-studio validate`` as a user runs it: FILE:LINE:COL lines and meaningful exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES, shared_path

LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) (?P<code>OS\d{3}) (?P<message>.+)$"
)


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "olive_studio", "validate", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def findings(stdout: str) -> list[dict[str, str]]:
    parsed = []
    for line in stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not FILE:LINE:COL: severity code message: {line!r}"
        parsed.append(match.groupdict())
    return parsed


def write(tmp_path: Path, text: str, name: str = "olive-config.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_config_exits_zero_with_no_findings() -> None:
    result = validate(str(EXAMPLES / "phrase-classification" / "olive-config.json"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "no findings in 1 file" in result.stderr


def test_misspelled_pass_type_exits_one_with_the_place(tmp_path: Path) -> None:
    text = (
        '{\n  "input_model": {"type": "HfModel", "model_path": "m"},\n'
        '  "passes": {\n    "merge": {"type": "MergeAdapterWeight"}\n  }\n}\n'
    )
    path = write(tmp_path, text)
    result = validate(str(path))
    assert result.returncode == 1
    [finding] = findings(result.stdout)
    assert finding["file"] == str(path)
    assert (finding["line"], finding["col"]) == ("4", str(text.splitlines()[3].index('"MergeAdapterWeight"') + 1))
    assert finding["code"] == "OS110"
    assert 'Did you mean "MergeAdapterWeights"?' in finding["message"]


def test_case_variant_of_a_pass_type_is_named_canonically(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{"input_model": {"type": "HfModel", "model_path": "m"}, "data_configs": [{"name": "d"}], '
        '"passes": {"l": {"type": "LoRa", "train_data_config": "d"}}}',
    )
    result = validate(str(path))
    [finding] = findings(result.stdout)
    assert finding["code"] == "OS111" and '"LoRA"' in finding["message"]


def test_syntax_error_exits_two_at_its_exact_position(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "input_model": {"type": "HfModel"}\n  "passes": {}\n}\n')
    result = validate(str(path))
    assert result.returncode == 2
    syntax = [f for f in findings(result.stdout) if f["code"] == "OS001"]
    assert [(f["line"], f["col"], f["message"]) for f in syntax] == [("3", "3", "Missing comma between properties.")]


def test_unreadable_file_exits_two_and_says_why(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = validate(str(missing))
    assert result.returncode == 2
    assert f"{missing}: error: cannot read the file: No such file or directory" in result.stderr


def test_worst_file_decides_the_exit_status(tmp_path: Path) -> None:
    good = EXAMPLES / "phrase-classification" / "olive-config.json"
    bad = write(tmp_path, '{"input_model": {"type": "HfModel", "model_path": "m"}, "host": "nowhere"}')
    assert validate(str(good), str(bad)).returncode == 1


def test_json_output_carries_path_and_position(tmp_path: Path) -> None:
    path = write(tmp_path, '{"input_model": {"type": "HfModel", "model_path": "m"}, "host": "nowhere"}')
    result = validate("--format", "json", str(path))
    [record] = json.loads(result.stdout)
    assert record["path"] == "host" and record["code"] == "OS121" and record["line"] == 1


def test_the_seed_cookbook_config_gets_real_findings_with_positions() -> None:
    seed = shared_path("seed", "cookbook-phrase-classification.json")
    result = validate(str(seed))
    assert result.returncode == 1
    found = findings(result.stdout)
    lines = seed.read_text(encoding="utf-8").splitlines()
    by_code: dict[str, list[dict[str, str]]] = {}
    for f in found:
        by_code.setdefault(f["code"], []).append(f)
        # every finding points at text that mentions what it talks about
        assert 0 < int(f["line"]) <= len(lines)
    schema_line = next(f for f in by_code["OS104"] if '"$schema"' in f["message"])
    assert schema_line["line"] == "2" and schema_line["severity"] == "error"
    assert any('"hf_config"' in f["message"] for f in by_code["OS104"])
    renamed = {f["message"].split()[0] for f in by_code["OS104"]}
    assert {'"lora_r"', '"lora_alpha"', '"eval_dataset_size"'} <= renamed
