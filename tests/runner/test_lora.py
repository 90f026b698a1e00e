"""The LoRA, QLoRA and MergeAdapterWeights passes on the tiny Phi-3 (a few seconds each on 2 CPU cores)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from olive_events.sink import EventSink
from olive_runner.passes import lora, merge
from olive_runner.passes.base import ModelArtifact, PassContext, PassError

from tests.runner.conftest import phrase_rows

pytestmark = pytest.mark.runner
torch = pytest.importorskip("torch")

TEMPLATE = "### Text: {phrase}\n### The tone is:\n{tone}"
DATA_CONFIG = {
    "name": "phrases",
    "type": "HuggingfaceContainer",
    "load_dataset_config": {"data_name": "json", "data_files": "phrases.jsonl", "split": "train"},
    "pre_process_data_config": {
        "text_template": TEMPLATE,
        "strategy": "line-by-line",
        "max_seq_len": 64,
        "pad_to_max_len": False,
    },
}
FAST_TRAINING = {
    "per_device_train_batch_size": 8,
    "learning_rate": 2e-3,
    "gradient_checkpointing": False,
    "logging_steps": 1,
    "seed": 0,
}


@dataclass
class Run:
    ctx: PassContext
    events: list[dict[str, Any]] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]

    def messages(self) -> list[str]:
        return [str(event["message"]) for event in self.of_type("log")]


def make_ctx(
    folder: Path,
    model: ModelArtifact,
    params: dict[str, Any],
    *,
    name: str = "lora",
    pass_type: str = "LoRA",
    output: str = "out",
    listener: Callable[[dict[str, Any]], None] | None = None,
) -> Run:
    """A PassContext over ``folder`` (the config folder, holding phrases.jsonl) that records its events."""
    (folder / "phrases.jsonl").write_text("".join(json.dumps(row) + "\n" for row in phrase_rows()))
    sink = EventSink()
    run = Run(
        ctx=PassContext(
            name=name,
            type=pass_type,
            params=params,
            input=model,
            output_dir=folder / output,
            checkpoint_dir=folder / "checkpoints",
            config_dir=folder,
            data_configs={"phrases": DATA_CONFIG},
            events=sink,
        )
    )
    sink.listeners.append(run.events.append)
    if listener is not None:
        sink.listeners.append(listener)
    run.ctx.output_dir.mkdir(parents=True, exist_ok=True)
    return run


def lora_params(**training: Any) -> dict[str, Any]:
    return {
        "r": 8,
        "alpha": 16,
        "lora_dropout": 0.0,
        "train_data_config": "phrases",
        "training_args": {**FAST_TRAINING, **training},
    }


def lm_loss(model: Any, tokenizer: Any) -> float:
    """Mean LM loss over the phrase rows, to compare a model with and without the adapter."""
    texts = [TEMPLATE.format(**row) for row in phrase_rows()]
    batch = tokenizer(texts, return_tensors="pt", padding=True)
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    with torch.no_grad():
        return float(model(**batch, labels=labels).loss)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread() -> Iterator[None]:
    """Train on one thread: on a shared 2-core machine two torch threads stall each other (5-10x slower)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def trained(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, ModelArtifact]:
    """One LoRA run of 24 steps shared by the tests that inspect its result."""
    run = make_ctx(
        tmp_path_factory.mktemp("lora"), ModelArtifact(kind="hf", path=tiny_model), lora_params(max_steps=24)
    )
    return run, lora.run(run.ctx)


# --------------------------------------------------------------------------------------------- LoRA


def test_lora_emits_train_steps_and_lowers_the_loss(trained: tuple[Run, ModelArtifact]) -> None:
    run, _ = trained
    steps = run.of_type("train_step")
    assert [event["step"] for event in steps] == list(range(1, 25))
    assert all(event["pass_name"] == "lora" and event["max_steps"] == 24 for event in steps)
    assert all(isinstance(event[key], float) for event in steps for key in ("loss", "learning_rate", "epoch"))
    first, last = steps[:4], steps[-4:]
    assert sum(e["loss"] for e in last) / 4 < 0.8 * sum(e["loss"] for e in first) / 4


def test_lora_writes_an_adapter_that_lowers_the_loss(trained: tuple[Run, ModelArtifact], tiny_model: Path) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    _, artifact = trained
    assert artifact.kind == "hf" and artifact.path == tiny_model
    assert artifact.adapter_path is not None and (artifact.adapter_path / "adapter_model.safetensors").is_file()
    adapter_config = json.loads((artifact.adapter_path / "adapter_config.json").read_text())
    assert adapter_config["r"] == 8 and adapter_config["lora_alpha"] == 16
    # no target_modules given: every linear layer but the LM head (peft has no default list for Phi-3)
    adapted = {name.rsplit(".", 1)[-1] for name in adapter_config["target_modules"]}
    assert adapted == {"qkv_proj", "o_proj", "gate_up_proj", "down_proj"}

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    before = lm_loss(base, tokenizer)
    after = lm_loss(PeftModel.from_pretrained(base, str(artifact.adapter_path)).eval(), tokenizer)
    assert after < 0.8 * before


def test_lora_on_cpu_trains_in_float32_and_says_so(trained: tuple[Run, ModelArtifact]) -> None:
    run, _ = trained
    messages = run.messages()
    assert any("torch_dtype bfloat16 on CPU: training in float32" in message for message in messages)
    assert any("'paged_adamw_32bit' cannot run here" in message for message in messages)


def test_merge_gives_the_logits_of_base_plus_adapter(
    trained: tuple[Run, ModelArtifact], tiny_model: Path, tmp_path: Path
) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    _, artifact = trained
    run = make_ctx(tmp_path, artifact, {}, name="merge", pass_type="MergeAdapterWeights")
    merged = merge.run(run.ctx)
    assert merged == ModelArtifact(kind="hf", path=run.ctx.output_dir)
    assert (merged.path / "model.safetensors").is_file() and (merged.path / "tokenizer.json").is_file()
    assert json.loads((merged.path / "config.json").read_text())["architectures"] == ["Phi3ForCausalLM"]

    ids = torch.tensor([[1, 40, 41, 42, 43, 44, 45, 46]])
    with torch.no_grad():
        with_adapter = PeftModel.from_pretrained(
            AutoModelForCausalLM.from_pretrained(tiny_model), str(artifact.adapter_path)
        )
        expected = with_adapter.eval()(ids).logits
        actual = AutoModelForCausalLM.from_pretrained(merged.path).eval()(ids).logits
        base = AutoModelForCausalLM.from_pretrained(tiny_model).eval()(ids).logits
    assert torch.allclose(actual, expected, atol=1e-4)
    assert not torch.allclose(actual, base, atol=1e-3)  # the adapter did change something


def test_merge_without_an_adapter_says_what_is_missing(tiny_model: Path, tmp_path: Path) -> None:
    run = make_ctx(
        tmp_path, ModelArtifact(kind="hf", path=tiny_model), {}, name="merge", pass_type="MergeAdapterWeights"
    )
    with pytest.raises(PassError, match="needs a LoRA or QLoRA pass before it"):
        merge.run(run.ctx)


def test_resume_continues_from_the_checkpoint(tiny_model: Path, tmp_path: Path) -> None:
    model = ModelArtifact(kind="hf", path=tiny_model)
    first = make_ctx(tmp_path, model, lora_params(max_steps=4, save_steps=2))
    lora.run(first.ctx)
    assert (tmp_path / "checkpoints" / "checkpoint-4").is_dir()

    second = make_ctx(tmp_path, model, lora_params(max_steps=8, save_steps=2), output="out2")
    lora.run(second.ctx)
    assert any("Resuming the interrupted training from step 4" in message for message in second.messages())
    assert [event["step"] for event in second.of_type("train_step")] == [5, 6, 7, 8]
    state = json.loads((tmp_path / "checkpoints" / "checkpoint-8" / "trainer_state.json").read_text())
    assert state["global_step"] == 8


def test_an_interrupted_run_resumes_from_its_last_checkpoint(tiny_model: Path, tmp_path: Path) -> None:
    class Interrupted(Exception):
        pass

    def interrupt_at_step_5(event: dict[str, Any]) -> None:
        if event["type"] == "train_step" and event["step"] == 5:
            raise Interrupted

    model = ModelArtifact(kind="hf", path=tiny_model)
    first = make_ctx(tmp_path, model, lora_params(max_steps=6, save_steps=2), listener=interrupt_at_step_5)
    with pytest.raises(Interrupted):
        lora.run(first.ctx)
    assert not (first.ctx.output_dir / "adapter").exists()

    second = make_ctx(tmp_path, model, lora_params(max_steps=6, save_steps=2), output="out2")
    artifact = lora.run(second.ctx)
    assert [event["step"] for event in second.of_type("train_step")] == [5, 6]
    assert artifact.adapter_path is not None and artifact.adapter_path.is_dir()


def test_unknown_target_module_lists_the_linear_layers(tiny_model: Path, tmp_path: Path) -> None:
    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), {**lora_params(), "target_modules": ["q_proj"]})
    with pytest.raises(
        PassError, match=r"target_modules \['q_proj'\].*down_proj, gate_up_proj, lm_head, o_proj, qkv_proj"
    ):
        lora.run(run.ctx)


def test_missing_data_config_names_the_available_ones(tiny_model: Path, tmp_path: Path) -> None:
    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), {**lora_params(), "train_data_config": "train"})
    with pytest.raises(PassError, match=r"train_data_config 'train' names no entry of data_configs.*phrases"):
        lora.run(run.ctx)


def test_eval_dataset_size_splits_by_distinct_text(tiny_model: Path, tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), {**lora_params(), "eval_dataset_size": 0.25})
    settings = lora.read_settings(run.ctx)
    train, evaluation = lora.training_examples(run.ctx, settings, AutoTokenizer.from_pretrained(tiny_model))
    assert (len(train), len(evaluation)) == (30, 10)
    assert not {tuple(e["input_ids"]) for e in train} & {tuple(e["input_ids"]) for e in evaluation}
    assert any("eval_dataset_size=0.25" in message for message in run.messages())


def test_seed_style_parameters_train_and_evaluate(tiny_model: Path, tmp_path: Path) -> None:
    """The cookbook's block: lora_r/lora_alpha, eval_dataset_size, evaluation_strategy (all pre-0.8 names)."""
    params = {
        "lora_r": 4,
        "lora_alpha": 8,
        "train_data_config": "phrases",
        "eval_dataset_size": 0.25,
        "training_args": {**FAST_TRAINING, "max_steps": 4, "evaluation_strategy": "steps", "eval_steps": 2},
    }
    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), params)
    artifact = lora.run(run.ctx)
    evaluations = [event for event in run.of_type("train_step") if event.get("eval_loss") is not None]
    assert [event["step"] for event in evaluations] == [2, 4]
    assert evaluations[1]["eval_loss"] < evaluations[0]["eval_loss"]
    assert artifact.adapter_path is not None
    assert json.loads((artifact.adapter_path / "adapter_config.json").read_text())["r"] == 4


# --------------------------------------------------------------------------------------------- parameters


def test_old_and_misplaced_parameters_are_mapped_or_reported(tiny_model: Path, tmp_path: Path) -> None:
    params = {"lora_r": 4, "lora_alpha": 8, "double_quant": True, "bogus": 1, "train_data_config": "phrases"}
    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), params)
    settings = lora.read_settings(run.ctx)
    assert (settings.r, settings.alpha) == (4, 8)
    text = "\n".join(run.messages())
    assert "lora_r is the pre-0.8 name of r" in text
    assert "double_quant is a QLoRA parameter; a LoRA pass ignores it" in text
    assert "Unknown LoRA parameter 'bogus'" in text


def test_training_args_are_mapped_to_what_transformers_knows(tmp_path: Path) -> None:
    messages: list[str] = []
    user = {
        "evaluation_strategy": "steps",
        "warmup_ratio": 0.1,
        "group_by_length": True,
        "fp16": True,
        "output_dir": "elsewhere",
        "report_to": "wandb",
        "not_a_field": 3,
        "extra_args": {"max_steps": 50},
    }
    kwargs, plan = lora.training_kwargs(
        user,
        checkpoint_dir=tmp_path,
        n_train=100,
        has_eval=True,
        device="cpu",
        torch_dtype="float32",
        emit=lambda message, *a, **k: messages.append(message),
    )
    assert kwargs["eval_strategy"] == "steps" and "evaluation_strategy" not in kwargs
    assert kwargs["warmup_steps"] == 0.1 and kwargs["train_sampling_strategy"] == "group_by_length"
    assert kwargs["output_dir"] == str(tmp_path) and kwargs["report_to"] == "none"
    assert kwargs["fp16"] is False and kwargs["max_steps"] == 50 and "not_a_field" not in kwargs
    assert kwargs["save_strategy"] == "no" and "save_steps" not in kwargs and kwargs["eval_steps"] == 5
    assert kwargs["optim"] == "adamw_torch" and kwargs["use_cpu"] is True
    assert kwargs["activation_checkpointing"] is True  # Olive's default, under its current name
    assert plan == lora.ResumePlan(save_interval_s=lora.CHECKPOINT_INTERVAL_S)  # timed checkpoints
    text = "\n".join(messages)
    for needle in (
        "evaluation_strategy is the old name",
        "fp16 is ignored",
        "output_dir is replaced",
        "report_to is set to 'none'",
        "not_a_field is not a field",
    ):
        assert needle in text
    import transformers

    transformers.TrainingArguments(**kwargs)  # and transformers accepts the result


def saving_kwargs(user: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any], lora.ResumePlan, list[str]]:
    messages: list[str] = []
    kwargs, plan = lora.training_kwargs(
        user,
        checkpoint_dir=tmp_path,
        n_train=100,
        has_eval=False,
        device="cpu",
        torch_dtype="float32",
        emit=lambda message, *a, **k: messages.append(message),
    )
    return kwargs, plan, messages


def test_a_config_s_own_save_schedule_is_kept(tmp_path: Path) -> None:
    kwargs, plan, _ = saving_kwargs({"save_steps": 7}, tmp_path)
    assert (kwargs["save_strategy"], kwargs["save_steps"], kwargs["save_total_limit"]) == ("steps", 7, 2)
    assert plan.save_interval_s is None
    kwargs, plan, messages = saving_kwargs({"save_strategy": "no"}, tmp_path)
    assert kwargs["save_strategy"] == "no" and plan.save_interval_s is None
    assert any("an interrupted run will start over" in message for message in messages)


def test_load_best_model_at_end_saves_on_the_evaluation_schedule(tmp_path: Path) -> None:
    import transformers

    messages: list[str] = []
    kwargs, plan = lora.training_kwargs(
        {"load_best_model_at_end": True, "max_steps": 40},
        checkpoint_dir=tmp_path,
        n_train=100,
        has_eval=True,
        device="cpu",
        torch_dtype="float32",
        emit=lambda message, *a, **k: messages.append(message),
    )
    assert (kwargs["save_strategy"], kwargs["save_steps"]) == ("steps", kwargs["eval_steps"])
    assert plan.save_interval_s is None
    transformers.TrainingArguments(**kwargs)  # transformers refuses mismatched save and eval schedules


def test_checkpoint_interval_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(lora.CHECKPOINT_INTERVAL_ENV, "2.5")
    assert saving_kwargs({}, tmp_path)[1].save_interval_s == 2.5
    monkeypatch.setenv(lora.CHECKPOINT_INTERVAL_ENV, "soon")
    with pytest.raises(PassError, match="must be a number of seconds"):
        lora.checkpoint_interval_s()
    monkeypatch.delenv(lora.CHECKPOINT_INTERVAL_ENV)
    assert lora.checkpoint_interval_s() == lora.CHECKPOINT_INTERVAL_S


def test_timed_checkpoints_ask_for_a_save_once_the_interval_has_passed() -> None:
    from transformers import TrainerControl, TrainerState

    now = [100.0]
    callback = lora.timed_checkpoints(60.0, clock=lambda: now[0])
    state, control = TrainerState(max_steps=10), TrainerControl()
    callback.on_train_begin(None, state, control)

    def step(at: float, global_step: int) -> bool:
        now[0], state.global_step, control.should_save = at, global_step, False
        callback.on_step_end(None, state, control)
        return bool(control.should_save)

    assert not step(159.0, 1)
    assert step(160.0, 2)
    callback.on_save(None, state, control)  # the interval restarts after the save
    assert not step(200.0, 3)
    assert step(221.0, 4)
    assert not step(999.0, 10)  # not at the last step: the pass saves the adapter next


def test_default_checkpoints_are_timed_and_resumable(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(lora.CHECKPOINT_INTERVAL_ENV, "0")  # a checkpoint after every step but the last
    model = ModelArtifact(kind="hf", path=tiny_model)
    first = make_ctx(tmp_path, model, lora_params(max_steps=3))
    lora.run(first.ctx)
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["checkpoint-1", "checkpoint-2"]

    monkeypatch.setenv(lora.CHECKPOINT_INTERVAL_ENV, "3600")
    second = make_ctx(tmp_path, model, lora_params(max_steps=5), output="out2")
    lora.run(second.ctx)
    assert [event["step"] for event in second.of_type("train_step")] == [3, 4, 5]
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["checkpoint-1", "checkpoint-2"]


def test_without_eval_data_evaluation_is_off(tmp_path: Path) -> None:
    messages: list[str] = []
    kwargs, _ = lora.training_kwargs(
        {"eval_strategy": "steps", "eval_steps": 10},
        checkpoint_dir=tmp_path,
        n_train=10,
        has_eval=False,
        device="cpu",
        torch_dtype="float32",
        emit=lambda message, *a, **k: messages.append(message),
    )
    assert kwargs["eval_strategy"] == "no" and "eval_steps" not in kwargs
    assert any("No evaluation data" in message for message in messages)


def test_qlora_refuses_without_cuda(tiny_model: Path, tmp_path: Path) -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA: QLoRA may run")
    run = make_ctx(tmp_path, ModelArtifact(kind="hf", path=tiny_model), lora_params(), name="qlora", pass_type="QLoRA")
    with pytest.raises(PassError, match="QLoRA needs a CUDA GPU for 4-bit training; use LoRA on this machine"):
        lora.run_qlora(run.ctx)
