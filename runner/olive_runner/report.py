"""After the passes: held-out accuracy, speed and size of the model before and after each stage.

For the seed's classification template (``... {phrase} ... {tone}``, the label
last) the model is prompted with everything before the label and its greedy
answer is compared with the label, on rows the fine-tune did not train on:
the ``eval_data_config`` of the LoRA pass, or the split ``eval_dataset_size``
asked for (by distinct text, so duplicates do not leak).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from olive_runner.events import EventSink
from olive_runner.passes.base import ModelArtifact

if TYPE_CHECKING:
    from olive_runner.engine import Plan

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
TRAINING_PASSES = ("LoRA", "QLoRA")
SPEED_PROMPTS = 4


def evaluate_stages(run: Plan, stages: dict[str, ModelArtifact], sink: EventSink) -> dict[str, Any]:
    from olive_runner import evaluate

    setup = _eval_setup(run)
    if setup is None:
        sink.emit("log", level="info", message="no held-out classification data: accuracy not measured")
    metrics: dict[str, Any] = {}
    for stage, artifact in _stages_to_measure(run, stages).items():
        values: dict[str, Any] = {"size_bytes": evaluate.model_size_bytes(artifact.path)}
        if setup is not None:
            rows, template, label = setup
            accuracy = evaluate.classification_accuracy(artifact, rows, template, label)
            values["accuracy"] = accuracy["accuracy"]
            values["eval_rows"] = accuracy["total"]
            prefix = evaluate.prompt_template(template, label)
            prompts = [evaluate.fill_prompt(prefix, row) for row in rows[:SPEED_PROMPTS]]
            values.update({f"gen_{k}": v for k, v in evaluate.generation_speed(artifact, prompts).items()})
        metrics[stage] = values
        sink.emit("metrics", stage=stage, kind=artifact.kind, **values)
    return metrics


def _stages_to_measure(run: Plan, stages: dict[str, ModelArtifact]) -> dict[str, ModelArtifact]:
    """The input model, the model after fine-tuning (merged when a merge pass ran), and the final model."""
    chosen = {"input": stages["input"]}
    for planned in run.passes:
        artifact = stages.get(planned.name)
        if artifact is None:
            continue
        if artifact.kind == "hf" and artifact.adapter_path is None and planned.type != "ModelBuilder":
            chosen["fine_tuned"] = artifact
        if artifact.kind == "onnx":
            chosen[f"onnx_{planned.params.get('precision', 'model')}"] = artifact
    return chosen


def _eval_setup(run: Plan) -> tuple[list[dict[str, Any]], str, str] | None:
    """Held-out rows, the template and its label column, from the first fine-tuning pass."""
    from olive_runner import data

    training = next((p for p in run.passes if p.type in TRAINING_PASSES), None)
    if training is None:
        return None
    train_config = run.data_configs.get(str(training.params.get("train_data_config")))
    if train_config is None:
        return None
    pre = train_config.get("pre_process_data_config") or {}
    template = str((pre.get("params") or pre).get("text_template") or "")
    fields = PLACEHOLDER.findall(template)
    if not fields or not template.rstrip().endswith("{" + fields[-1] + "}"):
        return None
    eval_name = training.params.get("eval_data_config")
    if isinstance(eval_name, str) and eval_name in run.data_configs:
        rows = data.load_rows(run.data_configs[eval_name], run.config_dir)
    elif isinstance(training.params.get("eval_dataset_size"), int | float):
        seed = int((training.params.get("training_args") or {}).get("data_seed", 42))
        all_rows = data.load_rows(train_config, run.config_dir)
        _, rows = data.split_by_distinct_text(all_rows, fields[:-1], float(training.params["eval_dataset_size"]), seed)
    else:
        return None
    return rows, template, fields[-1]
