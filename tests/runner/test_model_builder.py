"""ModelBuilder: Olive's parameters -> the onnxruntime-genai builder, its refusals, and real builds of the tiny Phi-3.

The mapping and the refusals are checked without running the builder (milliseconds). The builds (int4, fp32,
and fp32 with an unmerged LoRA adapter) run the real builder in a subprocess, about 10-15 s each on 2 cores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from olive_events.sink import EventSink
from olive_runner.passes import model_builder
from olive_runner.passes.base import ModelArtifact, PassContext, PassError
from olive_runner.passes.model_builder import (
    build_extra_options,
    builder_command,
    check_hf_config,
    check_precision,
    execution_provider,
    explain_failure,
    supported_architectures,
)

pytestmark = pytest.mark.runner
pytest.importorskip("onnxruntime_genai")

PROMPT = "### Text: We won the match in the last minute!\n### The tone is:\n"


# --- helpers ---------------------------------------------------------------------------------------


def make_ctx(
    tmp_path: Path, model: ModelArtifact, params: dict[str, Any], accelerator: str = "cpu"
) -> tuple[PassContext, list[dict[str, Any]]]:
    """A pass context writing under ``tmp_path``, and the list its events are collected into."""
    events = EventSink()
    seen: list[dict[str, Any]] = []
    events.listeners.append(seen.append)
    output = tmp_path / "output"
    output.mkdir(parents=True)
    ctx = PassContext(
        name="builder",
        type="ModelBuilder",
        params=params,
        input=model,
        output_dir=output,
        checkpoint_dir=tmp_path / "checkpoint",
        config_dir=tmp_path,
        data_configs={},
        events=events,
        accelerator=accelerator,
    )
    return ctx, seen


def write_config(folder: Path, **config: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def phi3_config(**overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "architectures": ["Phi3ForCausalLM"],
        "vocab_size": 2048,
        "hidden_size": 256,
        "intermediate_size": 512,
        "num_attention_heads": 4,
        "max_position_embeddings": 512,
        "original_max_position_embeddings": 512,
    }
    config.update(overrides)
    return config


def graph_nodes(folder: Path) -> list[Any]:
    import onnx

    return list(onnx.load(str(folder / "model.onnx"), load_external_data=False).graph.node)


def og_generate(folder: Path, prompt: str, new_tokens: int) -> list[int]:
    """Generate with ONNX Runtime GenAI directly (not through the evaluator under test elsewhere)."""
    import onnxruntime_genai as og

    model = og.Model(str(folder))
    tokenizer = og.Tokenizer(model)
    ids = [int(t) for t in tokenizer.encode(prompt)]
    params = og.GeneratorParams(model)
    params.set_search_options(max_length=len(ids) + new_tokens, do_sample=False)
    generator = og.Generator(model, params)
    generator.append_tokens(ids)
    while not generator.is_done():
        generator.generate_next_token()
    return [int(t) for t in generator.get_sequence(0)[len(ids) :]]


# --- the parameter mapping (no builder run) --------------------------------------------------------


def test_int4_parameters_map_to_the_builder_option_names() -> None:
    params = {
        "precision": "int4",
        "int4_block_size": 64,
        "int4_accuracy_level": 4,
        "int4_is_symmetric": False,
        "int4_algo_config": "k_quant_mixed",
        "int4_op_types_to_quantize": ["MatMul", "Gather"],
        "int4_nodes_to_exclude": ["/lm_head/MatMul", "/model/embed_tokens/Gather"],
        "exclude_embeds": False,
        "exclude_lm_head": True,
        "enable_cuda_graph": True,
    }
    assert build_extra_options(params, precision="int4") == {
        "block_size": "64",
        "accuracy_level": "4",
        "is_symmetric": "false",
        "algo_config": "k_quant_mixed",
        "op_types_to_quantize": "MatMul/Gather",
        "nodes_to_exclude": "/lm_head/MatMul,/model/embed_tokens/Gather",
        "exclude_embeds": "false",
        "exclude_lm_head": "true",
        "enable_cuda_graph": "true",
    }


def test_unset_parameters_leave_the_builder_defaults() -> None:
    assert build_extra_options({"precision": "int4"}, precision="int4") == {}
    assert build_extra_options({"int4_block_size": None, "exclude_embeds": None}, precision="int4") == {}


def test_quantization_options_are_dropped_for_float_precisions() -> None:
    params = {"int4_block_size": 64, "int4_accuracy_level": 4, "exclude_lm_head": True}
    assert build_extra_options(params, precision="fp32") == {"exclude_lm_head": "true"}
    assert build_extra_options(params, precision="int8") == {
        "block_size": "64",
        "accuracy_level": "4",
        "exclude_lm_head": "true",
    }


def test_extra_options_win_and_adapter_and_remote_code_are_passed(tmp_path: Path) -> None:
    params = {
        "int4_block_size": 32,
        "extra_options": {"block_size": 128, "shared_embeddings": True, "filename": "m.onnx"},
    }
    options = build_extra_options(params, precision="int4", adapter_path=tmp_path, trust_remote_code=True)
    assert options == {
        "block_size": "128",
        "adapter_path": str(tmp_path),
        "hf_remote": "true",
        "shared_embeddings": "true",
        "filename": "m.onnx",
    }


def test_int4_prefixed_extra_options_are_renamed_because_the_builder_ignores_them() -> None:
    """onnxruntime-genai 0.18.0 documents int4_block_size=... as a deprecated alias, but never reads it."""
    params = {"extra_options": {"int4_block_size": 128, "int4_op_types_to_quantize": ["MatMul", "Gather"]}}
    assert build_extra_options(params, precision="int4") == {
        "block_size": "128",
        "op_types_to_quantize": "MatMul/Gather",
    }


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [("int4_block_size", 48, "int4_block_size must be one of"), ("int4_accuracy_level", 7, "int4_accuracy_level")],
)
def test_out_of_range_quantization_values_are_refused(param: str, value: int, message: str) -> None:
    with pytest.raises(PassError, match=message):
        build_extra_options({param: value}, precision="int4")


def test_builder_command_uses_a_local_folder_and_key_value_options(tmp_path: Path) -> None:
    command = builder_command(tmp_path / "in", tmp_path / "out", tmp_path / "c", "int4", "cpu", {"block_size": "32"})
    assert command[1:3] == ["-m", "onnxruntime_genai.models.builder"]
    assert command[3:] == [
        "-i",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "-p",
        "int4",
        "-e",
        "cpu",
        "-c",
        str(tmp_path / "c"),
        "--extra_options",
        "block_size=32",
    ]
    assert "--extra_options" not in builder_command(tmp_path, tmp_path, tmp_path, "fp32", "cpu", {})


def test_accelerator_maps_to_the_execution_provider() -> None:
    assert execution_provider("cpu") == "cpu"
    assert execution_provider("cuda") == "cuda"
    with pytest.raises(PassError, match="CPU or CUDA"):
        execution_provider("npu")


@pytest.mark.parametrize("precision", ["int4", "int8", "fp32"])
def test_cpu_precisions(precision: str) -> None:
    assert check_precision(precision, "cpu") == precision


@pytest.mark.parametrize(("precision", "why"), [("fp16", "GPU targets"), ("bf16", "no bf16 kernels")])
def test_half_precisions_are_refused_on_cpu_and_allowed_on_cuda(precision: str, why: str) -> None:
    with pytest.raises(PassError, match=why) as error:
        check_precision(precision, "cpu")
    assert "Olive skips this pass" in str(error.value)
    assert check_precision(precision.upper(), "cuda") == precision


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(PassError, match="precision must be one of"):
        check_precision("int2", "cpu")
    with pytest.raises(PassError, match="precision must be one of"):
        check_precision(None, "cpu")


# --- input checks (no builder run) -----------------------------------------------------------------


def test_supported_architectures_are_read_from_the_installed_builder() -> None:
    supported = supported_architectures()
    assert {"Phi3ForCausalLM", "LlamaForCausalLM", "Qwen2ForCausalLM", "MistralForCausalLM"} <= supported


def test_missing_config_json_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PassError, match=r"has no config\.json"):
        check_hf_config(tmp_path)


def test_missing_architectures_is_explained(tmp_path: Path) -> None:
    folder = write_config(tmp_path / "m", **{k: v for k, v in phi3_config().items() if k != "architectures"})
    with pytest.raises(PassError, match=r"does not name the model's architecture.*architectures"):
        check_hf_config(folder)


def test_unsupported_architecture_is_named_with_the_supported_ones(tmp_path: Path) -> None:
    folder = write_config(tmp_path / "m", **phi3_config(architectures=["BertForMaskedLM"]))
    with pytest.raises(PassError, match="does not support the architecture BertForMaskedLM") as error:
        check_hf_config(folder)
    assert "LlamaForCausalLM" in str(error.value)


def test_phi3_longrope_without_factors_is_explained(tmp_path: Path) -> None:
    folder = write_config(tmp_path / "m", **phi3_config(original_max_position_embeddings=4096))
    with pytest.raises(PassError, match="LongRoPE") as error:
        check_hf_config(folder)
    assert "original_max_position_embeddings equal to" in str(error.value)


def test_phi3_longrope_with_factors_is_accepted(tmp_path: Path) -> None:
    rope = {"rope_type": "longrope", "short_factor": [1.0], "long_factor": [2.0]}
    folder = write_config(tmp_path / "m", **phi3_config(original_max_position_embeddings=256, rope_scaling=rope))
    assert check_hf_config(folder)["architectures"] == ["Phi3ForCausalLM"]


def test_vocab_as_wide_as_a_projection_is_refused(tmp_path: Path) -> None:
    folder = write_config(tmp_path / "m", **phi3_config(vocab_size=512))
    with pytest.raises(PassError, match="intermediate_size"):
        check_hf_config(folder)


def test_qlora_model_to_int4_is_refused_before_building(tmp_path: Path, tiny_model: Path) -> None:
    model = ModelArtifact(kind="hf", path=tiny_model, quantized="nf4")
    ctx, _ = make_ctx(tmp_path, model, {"precision": "int4"})
    with pytest.raises(PassError, match=r"QLoRA.*cannot convert such a model to int4"):
        model_builder.run(ctx)
    assert list(ctx.output_dir.iterdir()) == []


def test_onnx_input_without_metadata_only_is_refused(tmp_path: Path) -> None:
    ctx, _ = make_ctx(tmp_path, ModelArtifact(kind="onnx", path=tmp_path), {"precision": "int4"})
    with pytest.raises(PassError, match="already an ONNX model"):
        model_builder.run(ctx)


def test_metadata_only_needs_an_onnx_input(tmp_path: Path, tiny_model: Path) -> None:
    ctx, _ = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), {"precision": "int4", "metadata_only": True})
    with pytest.raises(PassError, match="metadata_only needs an ONNX model"):
        model_builder.run(ctx)


def test_matmul_mixed_precision_given_as_an_object_is_passed_as_the_builder_s_pairs() -> None:
    params = {"extra_options": {"matmul_mixed_precision": {"last_matmul": "int8", "mixed_layers": "int8"}}}
    assert build_extra_options(params, precision="int4") == {
        "matmul_mixed_precision": "last_matmul:int8,mixed_layers:int8"
    }


SMOLLM2_WIDTHS = {"hidden_size": 576, "intermediate_size": 1536, "num_attention_heads": 9, "head_dim": 64}


@pytest.mark.parametrize(
    ("options", "refused"),
    [
        ({"algo_config": "k_quant_mixed", "block_size": "64"}, True),  # 576 / 64 = 9 blocks
        ({"algo_config": "k_quant", "block_size": "128"}, True),  # 4.5 -> 5 blocks
        ({"algo_config": "rtn", "block_size": "64", "is_symmetric": "false"}, True),
        ({"algo_config": "k_quant_mixed"}, False),  # block_size 32: 18 and 48 blocks
        ({"algo_config": "k_quant_last", "block_size": "16"}, False),
        ({"algo_config": "rtn", "block_size": "64"}, False),  # symmetric rtn stores no zero points
        ({"block_size": "64", "is_symmetric": "false"}, False),  # the default quantizer pads
    ],
)
def test_int4_block_sizes_the_zero_point_packing_cannot_handle_are_refused(
    options: dict[str, str], refused: bool
) -> None:
    if refused:
        with pytest.raises(PassError, match=r"width 576 into an odd number of blocks.*int4_block_size 16 or 32"):
            model_builder.check_block_layout(SMOLLM2_WIDTHS, options, "int4")
    else:
        model_builder.check_block_layout(SMOLLM2_WIDTHS, options, "int4")
    model_builder.check_block_layout(SMOLLM2_WIDTHS, options, "int8")  # 8-bit zero points are not packed


def test_excluding_the_lm_head_or_embeddings_warns_that_generate_cannot_use_the_model() -> None:
    events = EventSink()
    seen: list[dict[str, Any]] = []
    events.listeners.append(seen.append)
    model_builder._warn_about_components(events, {"exclude_lm_head": "true", "exclude_embeds": "false"})
    [warning] = seen
    assert warning["level"] == "warning" and "exclude_lm_head" in warning["message"]
    assert "hidden_states instead of logits" in warning["message"]


def test_builder_failures_carry_a_hint_and_the_last_lines() -> None:
    message = explain_failure(
        1, ["Traceback (most recent call last):", "ModuleNotFoundError: No module named 'onnx_ir'"]
    )
    assert "pip install onnx-ir" in message
    assert "| ModuleNotFoundError" in message
    assert "out of memory" in explain_failure(-9, ["Reading layer 3"])
    reshape = "ValueError: cannot reshape array of size 4320 into shape (960,newaxis)"
    assert "odd number of blocks" in explain_failure(1, [reshape])


# --- real builds -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def int4_build(
    tmp_path_factory: pytest.TempPathFactory, tiny_model: Path
) -> tuple[ModelArtifact, list[dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("int4")
    params = {
        "precision": "int4",
        "int4_block_size": 64,
        "int4_accuracy_level": 4,
        "int4_is_symmetric": False,
        "search": {"max_length": 256, "repetition_penalty": 1.1},
    }
    ctx, events = make_ctx(tmp, ModelArtifact(kind="hf", path=tiny_model), params)
    return model_builder.run(ctx), events


def test_int4_build_is_a_loadable_genai_model_that_generates(
    int4_build: tuple[ModelArtifact, list[dict[str, Any]]],
) -> None:
    artifact, events = int4_build
    assert artifact.kind == "onnx"
    for name in ("model.onnx", "genai_config.json", "tokenizer.json", "config.json"):
        assert (artifact.path / name).is_file(), name
    tokens = og_generate(artifact.path, PROMPT, 8)
    assert len(tokens) >= 1
    assert any(e["type"] == "log" and e.get("source") == "model_builder" for e in events)
    assert not (artifact.path.parent.parent / "checkpoint" / "model_builder_cache").exists()


def test_int4_parameters_reach_the_graph(int4_build: tuple[ModelArtifact, list[dict[str, Any]]]) -> None:
    nbits = [n for n in graph_nodes(int4_build[0].path) if n.op_type == "MatMulNBits"]
    assert nbits, "no MatMulNBits node: the model was not quantized"
    attributes = {a.name: a.i for a in nbits[0].attribute}
    assert attributes["block_size"] == 64
    assert attributes["accuracy_level"] == 4
    assert attributes["bits"] == 4
    assert all(len(n.input) >= 4 and n.input[3] for n in nbits), "asymmetric int4 has zero points"


def test_search_options_are_merged_into_genai_config(int4_build: tuple[ModelArtifact, list[dict[str, Any]]]) -> None:
    search = json.loads((int4_build[0].path / "genai_config.json").read_text())["search"]
    assert search["max_length"] == 256
    assert search["repetition_penalty"] == 1.1
    assert search["do_sample"] is False  # the builder's default kept


def test_metadata_only_rewrites_genai_config_next_to_an_onnx_model(
    tmp_path: Path, int4_build: tuple[ModelArtifact, list[dict[str, Any]]]
) -> None:
    params = {"precision": "int4", "metadata_only": True, "search": {"max_length": 128}}
    ctx, _ = make_ctx(tmp_path, int4_build[0], params)
    artifact = model_builder.run(ctx)
    search = json.loads((artifact.path / "genai_config.json").read_text())["search"]
    assert search["max_length"] == 128
    assert (artifact.path / "model.onnx").is_file()
    assert len(og_generate(artifact.path, PROMPT, 4)) >= 1


def test_fp32_build_keeps_float_weights_and_generates(tmp_path: Path, tiny_model: Path) -> None:
    ctx, _ = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), {"precision": "fp32"})
    artifact = model_builder.run(ctx)
    assert not [n for n in graph_nodes(artifact.path) if n.op_type == "MatMulNBits"]
    assert len(og_generate(artifact.path, PROMPT, 8)) >= 1


def test_cuda_target_builds_without_a_gpu_and_records_its_provider(tmp_path: Path, tiny_model: Path) -> None:
    """Building is graph construction only: an fp16 CUDA model can be made (not run) on a CPU machine."""
    params = {"precision": "fp16", "enable_cuda_graph": True}
    ctx, _ = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), params, accelerator="cuda")
    artifact = model_builder.run(ctx)
    session = json.loads((artifact.path / "genai_config.json").read_text())["model"]["decoder"]["session_options"]
    assert session["provider_options"] == [{"cuda": {"enable_cuda_graph": "1"}}]


def test_unmerged_adapter_is_built_into_the_model(tmp_path: Path, tiny_model: Path) -> None:
    """The builder takes ``adapter_path`` (LoRA branches beside each adapted MatMul): the ONNX model then
    generates what PyTorch with the adapter generates."""
    torch = pytest.importorskip("torch")
    peft = pytest.importorskip("peft")
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    torch.manual_seed(0)
    lora = peft.get_peft_model(
        base, peft.LoraConfig(r=4, lora_alpha=8, target_modules=["qkv_proj", "o_proj"], init_lora_weights=False)
    )
    adapter = tmp_path / "adapter"
    lora.save_pretrained(adapter)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    encoded = tokenizer(PROMPT, return_tensors="pt")
    with torch.inference_mode():
        expected = lora.generate(**encoded, max_new_tokens=8, min_new_tokens=8, do_sample=False)
    expected_tokens = [int(t) for t in expected[0, encoded["input_ids"].shape[1] :]]

    model = ModelArtifact(kind="hf", path=tiny_model, adapter_path=adapter)
    ctx, events = make_ctx(tmp_path / "build", model, {"precision": "fp32"})
    artifact = model_builder.run(ctx)
    assert any("MergeAdapterWeights" in e.get("message", "") for e in events)
    assert any("lora" in n.name.lower() for n in graph_nodes(artifact.path))
    prompt_ids = [int(t) for t in encoded["input_ids"][0]]
    assert _og_generate_ids(artifact.path, prompt_ids, 8) == expected_tokens


def _og_generate_ids(folder: Path, ids: list[int], new_tokens: int) -> list[int]:
    """Greedy from exact prompt ids (the HF tokenizer's, BOS included), never stopping early."""
    import onnxruntime_genai as og

    model = og.Model(str(folder))
    params = og.GeneratorParams(model)
    length = len(ids) + new_tokens
    params.set_search_options(max_length=length, min_length=length, do_sample=False)
    generator = og.Generator(model, params)
    generator.append_tokens(ids)
    while not generator.is_done():
        generator.generate_next_token()
    return [int(t) for t in generator.get_sequence(0)[len(ids) :]]


def test_builder_error_becomes_a_pass_error(tmp_path: Path, tiny_model: Path) -> None:
    """A builder that fails (here: an option value it rejects) surfaces as a PassError with its last lines."""
    params = {"precision": "int4", "extra_options": {"kv_cache_rotation": "spin"}}
    ctx, _ = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), params)
    with pytest.raises(PassError, match=r"builder failed \(exit 1\)") as error:
        model_builder.run(ctx)
    assert "kv_cache_rotation must be none or hadamard" in str(error.value)
