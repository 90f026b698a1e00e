"""The evaluators: classification accuracy, generation speed and size, on the tiny Phi-3 and its fp32 ONNX build.

The ONNX model is built once for the module (about 5-10 s). On fp32 the PyTorch and ONNX Runtime GenAI paths must
pick the same greedy tokens for the same prompt: that is what makes accuracy before and after conversion
comparable, and it only holds when the ONNX prompt carries the BOS token that the HF tokenizer adds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from olive_events.sink import EventSink
from olive_runner import evaluate
from olive_runner.evaluate import (
    _HfRunner,
    _OnnxRunner,
    classification_accuracy,
    evaluate_classification,
    extract_label,
    fill_prompt,
    generation_speed,
    greedy_tokens,
    hf_tokenizer_adds_bos,
    model_size_bytes,
    prompt_template,
    with_bos,
)
from olive_runner.passes import model_builder
from olive_runner.passes.base import ModelArtifact, PassContext

from tests.runner.conftest import TONES, phrase_rows

pytestmark = pytest.mark.runner
pytest.importorskip("onnxruntime_genai")

TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"
PROMPTS = ["### Text: The lights went out.\n### The tone is:\n", "We finally moved into our new home!"]


@pytest.fixture(scope="module")
def hf_model(tiny_model: Path) -> ModelArtifact:
    return ModelArtifact(kind="hf", path=tiny_model)


@pytest.fixture(scope="module")
def onnx_fp32(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> ModelArtifact:
    tmp = tmp_path_factory.mktemp("onnx-fp32")
    (tmp / "out").mkdir()
    ctx = PassContext(
        name="builder",
        type="ModelBuilder",
        params={"precision": "fp32"},
        input=ModelArtifact(kind="hf", path=tiny_model),
        output_dir=tmp / "out",
        checkpoint_dir=tmp / "checkpoint",
        config_dir=tmp,
        data_configs={},
        events=EventSink(),
    )
    return model_builder.run(ctx)


# --- prompts and answers (no model) ------------------------------------------------------------------


def test_prompt_is_the_template_up_to_the_label() -> None:
    prefix = prompt_template(TEMPLATE, "tone")
    assert prefix == "### Text: {phrase}\n### The tone is:\n"
    assert fill_prompt(prefix, {"phrase": "Hi!", "tone": "joy"}) == "### Text: Hi!\n### The tone is:\n"


def test_template_without_the_label_or_row_without_a_column_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"no \{label\} placeholder"):
        prompt_template(TEMPLATE, "label")
    with pytest.raises(ValueError, match="'phrase'"):
        fill_prompt("### Text: {phrase}\n", {"text": "Hi"})


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        ("Joy\n### Text: more", None, "joy"),
        ("\n  sadness. It was", None, "sadness"),
        ("joyful day", ["joy", "sad"], "joyful"),  # a label must end at a word boundary
        ("very sad indeed", ["very sad", "sad"], "very sad"),  # multi-word labels, longest first
        ("SURPRISE!", ["surprise"], "surprise"),
        ("", ["joy"], ""),
    ],
)
def test_answer_is_the_first_line_s_label_or_word(text: str, labels: list[str] | None, expected: str) -> None:
    assert extract_label(text, labels) == expected


@pytest.mark.parametrize(
    ("ids", "add_bos", "expected"),
    [
        ([5, 6], True, [1, 5, 6]),
        ([1, 5, 6], True, [1, 5, 6]),
        ([1, 5, 6], False, [5, 6]),
        ([5, 6], False, [5, 6]),
        ([5, 6], None, [5, 6]),
        ([1, 5, 6], None, [1, 5, 6]),
    ],
)
def test_with_bos_puts_the_bos_first_or_removes_it(ids: list[int], add_bos: bool | None, expected: list[int]) -> None:
    assert with_bos(ids, 1, add_bos) == expected
    assert with_bos(ids, None, add_bos) == ids  # a tokenizer without BOS: nothing to add or remove


def test_model_size_counts_every_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.bin").write_bytes(b"x" * 10)
    (tmp_path / "sub" / "b.json").write_bytes(b"y" * 5)
    assert model_size_bytes(tmp_path) == 15
    assert model_size_bytes(tmp_path / "a.bin") == 10


# --- on the tiny model ---------------------------------------------------------------------------------


def test_hf_classification_accuracy_on_the_tiny_model(hf_model: ModelArtifact) -> None:
    rows = phrase_rows()[:8]
    result = classification_accuracy(hf_model, rows, TEMPLATE, "tone", labels=list(TONES), max_new_tokens=4)
    assert 0.0 <= result["accuracy"] <= 1.0
    assert result["total"] == len(rows)
    assert result["correct"] == round(result["accuracy"] * len(rows))
    assert len(result["examples"]) == 5
    first = result["examples"][0]
    assert first["prompt"] == f"### Text: {rows[0]['phrase']}\n### The tone is:\n"
    assert first["expected"] == rows[0]["tone"]


def test_onnx_classification_accuracy_on_the_tiny_model(onnx_fp32: ModelArtifact) -> None:
    rows = phrase_rows()[:8]
    result = classification_accuracy(onnx_fp32, rows, TEMPLATE, "tone", labels=list(TONES), max_new_tokens=4)
    assert 0.0 <= result["accuracy"] <= 1.0
    assert result["total"] == len(rows)


def test_onnx_prompt_gets_the_bos_token_the_hf_tokenizer_adds(onnx_fp32: ModelArtifact, tiny_model: Path) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    expected = tokenizer(PROMPTS[0])["input_ids"]
    assert expected[0] == tokenizer.bos_token_id  # the tiny model's tokenizer adds BOS, as Phi-3's does
    assert hf_tokenizer_adds_bos(onnx_fp32.path)
    assert _OnnxRunner(onnx_fp32.path).encode(PROMPTS[0]) == expected


@pytest.mark.parametrize("add_bos", [True, False])
def test_both_runners_encode_the_prompt_as_training_did(
    hf_model: ModelArtifact, onnx_fp32: ModelArtifact, tiny_model: Path, add_bos: bool
) -> None:
    """Training builds [bos] + text ids (add_special_tokens) or text ids alone: both kinds must prompt alike."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    text_ids = tokenizer(PROMPTS[0], add_special_tokens=False)["input_ids"]
    expected = [tokenizer.bos_token_id, *text_ids] if add_bos else text_ids
    assert _HfRunner(hf_model, add_bos).encode(PROMPTS[0]) == expected
    assert _OnnxRunner(onnx_fp32.path, add_bos).encode(PROMPTS[0]) == expected


def test_no_loadable_hf_tokenizer_means_no_bos_added(tmp_path: Path) -> None:
    assert not hf_tokenizer_adds_bos(tmp_path)


@pytest.mark.parametrize("prompt", PROMPTS)
def test_hf_and_onnx_fp32_pick_the_same_greedy_tokens(
    hf_model: ModelArtifact, onnx_fp32: ModelArtifact, prompt: str
) -> None:
    assert greedy_tokens(onnx_fp32, prompt, 12) == greedy_tokens(hf_model, prompt, 12)


@pytest.mark.parametrize("kind", ["hf", "onnx"])
def test_generation_speed_counts_every_token(kind: str, hf_model: ModelArtifact, onnx_fp32: ModelArtifact) -> None:
    model = hf_model if kind == "hf" else onnx_fp32
    result = generation_speed(model, PROMPTS, max_new_tokens=6)
    assert result["kind"] == kind
    assert result["generated_tokens"] == 6 * len(PROMPTS)
    assert result["tokens_per_s"] > 0
    assert result["latency_per_token_ms_p50"] > 0
    assert result["time_to_first_token_ms_p50"] > 0


def test_onnx_model_is_measured_on_disk(onnx_fp32: ModelArtifact, tiny_model: Path) -> None:
    weights = (onnx_fp32.path / "model.onnx").stat().st_size + (onnx_fp32.path / "model.onnx.data").stat().st_size
    assert model_size_bytes(onnx_fp32.path) > weights
    assert model_size_bytes(tiny_model) > 0


def test_accuracy_and_speed_come_from_one_load(onnx_fp32: ModelArtifact, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[ModelArtifact] = []
    real = evaluate.load_runner

    def counting(model: ModelArtifact, add_bos: bool | None = None) -> object:
        loads.append(model)
        return real(model, add_bos)

    monkeypatch.setattr(evaluate, "load_runner", counting)
    rows = phrase_rows()[:3]
    result = evaluate_classification(onnx_fp32, rows, TEMPLATE, "tone", speed_prompts=2, add_bos=True)
    assert len(loads) == 1
    assert result["accuracy"]["total"] == 3 and 0.0 <= result["accuracy"]["accuracy"] <= 1.0
    speed = result["speed"]
    assert speed["kind"] == "onnx" and speed["prompts"] == 2 and speed["generated_tokens"] == 2 * 32
    assert speed["tokens_per_s"] > 0 and speed["load_s"] >= 0


def test_a_stage_that_cannot_run_keeps_its_size_and_warns(tmp_path: Path) -> None:
    from olive_runner.report import EvalSetup, measure_or_warn

    (tmp_path / "model.onnx").write_bytes(b"not a model")
    sink = EventSink()
    seen: list[dict[str, object]] = []
    sink.listeners.append(seen.append)
    setup = EvalSetup(rows=phrase_rows()[:2], template=TEMPLATE, label="tone", add_bos=True)
    values = measure_or_warn("onnx_int4", ModelArtifact(kind="onnx", path=tmp_path), setup, sink)
    assert values == {"size_bytes": len(b"not a model")}
    [warning] = seen
    assert warning["level"] == "warning" and str(warning["message"]).startswith("onnx_int4: not evaluated")
