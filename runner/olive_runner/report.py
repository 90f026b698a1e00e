"""After the passes: held-out accuracy, speed and size of the model before and after each stage.

For the seed's classification template (``... {phrase} ... {tone}``, the label
last) the model is prompted with everything before the label and its greedy
answer is compared with the label, on rows the fine-tune did not train on:
the ``eval_data_config`` of the LoRA pass, or the split ``eval_dataset_size``
asked for (by distinct text, so duplicates do not leak).

The prompt starts with the BOS token exactly when training put one there (the data config's
``add_special_tokens``, on by default), for every stage alike, and each stage's model is loaded once for
its accuracy and its speed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from olive_events.contract import EvalStart, Metrics
from olive_events.sink import EventSink

from olive_runner import passes
from olive_runner.passes.base import ModelArtifact

if TYPE_CHECKING:
    from olive_runner.engine import Plan

PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
SPEED_PROMPTS = 4


@dataclass(frozen=True)
class EvalSetup:
    """What every stage is judged on: held-out rows, the training template, its label column, the BOS rule."""

    rows: list[dict[str, Any]]
    template: str
    label: str
    add_bos: bool | None  # None: as the model's Hugging Face tokenizer does


def evaluate_stages(run: Plan, stages: dict[str, ModelArtifact], sink: EventSink) -> dict[str, Any]:
    setup = eval_setup(run)
    if setup is None:
        sink.log("no held-out classification data: accuracy not measured")
    metrics: dict[str, Any] = {}
    measured = stages_to_measure(run, stages)
    sink.emit(EvalStart(stages=list(measured)))
    for stage, artifact in measured.items():
        values = measure_or_warn(stage, artifact, setup, sink)
        metrics[stage] = values
        sink.emit(Metrics(stage=stage, kind=artifact.kind, **values))
    return metrics


def measure_or_warn(stage: str, artifact: ModelArtifact, setup: EvalSetup | None, sink: EventSink) -> dict[str, Any]:
    """``measure_stage``, or only the size with a warning when the model cannot be run (e.g. a ModelBuilder
    component without logits): one stage that cannot generate must not cost the others their figures."""
    try:
        return measure_stage(artifact, setup)
    except Exception as exc:  # a report: say what failed, keep the rest
        from olive_runner import evaluate

        sink.log(f"{stage}: not evaluated: {type(exc).__name__}: {exc}", "warning")
        return {"size_bytes": evaluate.model_size_bytes(artifact.path)}


def measure_stage(artifact: ModelArtifact, setup: EvalSetup | None) -> dict[str, Any]:
    """Size, and with held-out data accuracy and ``gen_*`` speed figures from a single load of the model."""
    from olive_runner import evaluate

    values: dict[str, Any] = {"size_bytes": evaluate.model_size_bytes(artifact.path)}
    if setup is None:
        return values
    result = evaluate.evaluate_classification(
        artifact, setup.rows, setup.template, setup.label, speed_prompts=SPEED_PROMPTS, add_bos=setup.add_bos
    )
    values["accuracy"] = result["accuracy"]["accuracy"]
    values["eval_rows"] = result["accuracy"]["total"]
    values.update({f"gen_{k}": v for k, v in result["speed"].items()})
    return values


def stages_to_measure(run: Plan, stages: dict[str, ModelArtifact]) -> dict[str, ModelArtifact]:
    """The input model, the model after fine-tuning (merged when a merge pass ran), and the final model."""
    chosen = {"input": stages["input"]}
    for planned in run.passes:
        artifact = stages.get(planned.name)
        if artifact is None:
            continue
        declared = passes.find(planned.type)
        if (
            artifact.kind == "hf"
            and artifact.adapter_path is None
            and declared is not None
            and declared.output != "onnx"
        ):
            chosen["fine_tuned"] = artifact
        if artifact.kind == "onnx":
            chosen[f"onnx_{planned.params.get('precision', 'model')}"] = artifact
    return chosen


def _trains(pass_type: str) -> bool:
    declared = passes.find(pass_type)
    return declared is not None and declared.trains


def eval_setup(run: Plan) -> EvalSetup | None:
    """Held-out rows, the template, its label column and the BOS rule, from the first fine-tuning pass."""
    from olive_runner import data

    training = next((p for p in run.passes if _trains(p.type)), None)
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
    add_bos = data.pre_process_params(train_config).add_special_tokens
    return EvalSetup(rows=rows, template=template, label=fields[-1], add_bos=add_bos)
