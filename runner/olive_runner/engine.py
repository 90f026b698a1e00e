"""Run a workflow config: check it whole first, then each pass in order, reusing the cache.

Pre-flight uses the same checker as the editor: a config with errors stops
before any model is loaded, and nothing is written.  Old-format configs are
migrated in memory to the current form, so passes see one shape only.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from olive_events import history
from olive_events.contract import (
    Artifact,
    ErrorEvent,
    PassEnd,
    PassRef,
    PassStart,
    PassStatus,
    RunEnd,
    RunStart,
    RunStatus,
)
from olive_events.sink import EventSink
from olive_schema import versions
from olive_schema.checker import CheckOptions, check_text
from olive_schema.config_view import pass_entries
from olive_schema.findings import Finding, Severity
from olive_schema.jsontree import LineIndex
from olive_schema.migrate import MigrationError, migrate_text
from olive_schema.pass_catalog import resolve_at

from olive_runner import passes
from olive_runner.cache import PassCache, fingerprint, pass_key
from olive_runner.passes.base import ModelArtifact, PassContext, PassError


class ConfigRefused(Exception):
    """The config cannot run; ``problems`` are FILE:LINE:COL lines that say why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RunOptions:
    config: Path
    output_dir: Path | None = None
    cache_dir: Path | None = None
    evaluate: bool = True
    accelerator: str = "cpu"


@dataclass(frozen=True)
class PlannedPass:
    name: str
    type: str
    params: dict[str, Any]


@dataclass
class Plan:
    config: dict[str, Any]
    config_dir: Path
    olive_version: str
    input: ModelArtifact
    data_configs: dict[str, dict[str, Any]]
    passes: list[PlannedPass]
    output_dir: Path
    cache_dir: Path
    migrated: list[str] = field(default_factory=list)
    config_path: Path | None = None


def plan(options: RunOptions) -> Plan:
    """Everything the run needs, checked; raises ConfigRefused before anything is loaded or written."""
    path = options.config
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ConfigRefused([f"{path}: error: cannot read the config: {exc.strerror or exc}"]) from exc
    newest = versions.newest()
    base_dir = path.resolve().parent
    original = check_text(text, CheckOptions(olive_version=newest, base_dir=base_dir))
    try:
        migration = migrate_text(text, newest)
    except MigrationError:
        raise ConfigRefused(_problems(path, text, original.findings)) from None
    migrated = check_text(migration.text, CheckOptions(olive_version=newest, base_dir=base_dir))
    if migrated.has_errors:
        shown = original.findings if original.has_errors else migrated.findings
        raise ConfigRefused(_problems(path, text if original.has_errors else migration.text, shown))
    config = json.loads(migration.text)
    return Plan(
        config=config,
        config_dir=base_dir,
        olive_version=newest,
        input=_input_model(config, base_dir),
        data_configs={d["name"]: d for d in config.get("data_configs") or [] if isinstance(d, dict)},
        passes=_passes(config, newest, options.accelerator),
        output_dir=options.output_dir or history.output_dir(config, base_dir),
        cache_dir=options.cache_dir or history.cache_dir(config, base_dir),
        migrated=migration.steps,
        config_path=path.resolve(),
    )


def _problems(path: Path, text: str, findings: list[Finding]) -> list[str]:
    index = LineIndex(text)
    lines = []
    for finding in findings:
        if finding.severity is Severity.ERROR:
            line, col = index.position(finding.start)
            lines.append(f"{path}:{line + 1}:{col + 1}: error {finding.code} {finding.message}")
    return lines


def _input_model(config: dict[str, Any], base_dir: Path) -> ModelArtifact:
    model = config.get("input_model") or {}
    params = {**{k: v for k, v in model.items() if k not in ("type", "config")}, **(model.get("config") or {})}
    if str(model.get("type", "")).lower() != "hfmodel":
        raise ConfigRefused(
            [f"input_model: the runner starts from Hugging Face models (HfModel), not {model.get('type')!r}."]
        )
    model_path = str(params.get("model_path", ""))
    local = base_dir / model_path
    load_kwargs = dict(params.get("load_kwargs") or {})
    return ModelArtifact(
        kind="hf",
        path=local if local.exists() else Path(model_path),
        trust_remote_code=bool(load_kwargs.pop("trust_remote_code", False)),
        load_kwargs=load_kwargs,
    )


def _passes(config: dict[str, Any], version: str, accelerator: str) -> list[PlannedPass]:
    """The config's passes in order, each one the native runner executes on this machine; else refused."""
    planned = []
    problems = []
    for entry in pass_entries(config):
        canonical = resolve_at(entry.type_name or "", version) or str(entry.type_name)
        declared = passes.find(canonical)
        if declared is None:
            problems.append(f"the runner cannot execute passes.{entry.name}: {canonical}; it runs {_runnable()}.")
            continue
        reason = _hardware_missing(declared, accelerator)
        if reason:
            problems.append(f"passes.{entry.name}: {reason}")
        flat = {k: v for k, v in entry.body.items() if k not in ("type", "config", "host", "evaluator")}
        params = {**flat, **(entry.body.get("config") or {})}  # Olive lets the nested value win
        planned.append(PlannedPass(entry.name, canonical, params))
    if problems:
        raise ConfigRefused(problems)
    return planned


def _runnable() -> str:
    return ", ".join(passes.runnable())


def _hardware_missing(declared: passes.RunnablePass, accelerator: str) -> str:
    """Why ``declared`` cannot run here ("" when it can): a CUDA-only pass without a visible CUDA device."""
    if "cpu" in declared.accelerators:
        return ""
    try:
        import torch
    except ImportError:
        return f"{declared.needs} (PyTorch is not installed in {sys.executable})."
    if not torch.cuda.is_available():
        return f"{declared.needs} (no CUDA device is visible to PyTorch)."
    return ""


CANCELLED = "cancelled by the user"


class _PassFailed(Exception):
    """A pass failed; its error and pass_end events are already out."""


def execute(run: Plan, sink: EventSink, options: RunOptions) -> dict[str, Any]:
    """Run the passes in order; return the run summary (also written to the output folder).

    A KeyboardInterrupt (Ctrl+C, or SIGTERM from the editor's Cancel) ends the run as ``cancelled``:
    finished passes stay in the cache, the summary says where it stopped.
    """
    started = time.time()
    sink.emit(
        RunStart(
            config=str(options.config),
            olive_version=run.olive_version,
            passes=[PassRef(name=p.name, type=p.type) for p in run.passes],
            output_dir=str(run.output_dir),
            cache_dir=str(run.cache_dir),
            migrated=run.migrated,
        )
    )
    records: list[dict[str, Any]] = []
    try:
        stages = _run_passes(run, sink, options, records)
        final = _publish(stages[run.passes[-1].name] if run.passes else run.input, run.output_dir, sink)
        metrics = _evaluate(run, stages, sink) if options.evaluate else {}
    except _PassFailed as failed:
        return _finish(run, sink, records, started, "failed", None, {}, str(failed))
    except KeyboardInterrupt:
        return _finish(run, sink, records, started, "cancelled", None, {}, CANCELLED)
    return _finish(run, sink, records, started, "completed", final, metrics, None)


def _run_passes(
    run: Plan, sink: EventSink, options: RunOptions, records: list[dict[str, Any]]
) -> dict[str, ModelArtifact]:
    """Each pass in order, from the cache when its key is there; the model after each stage, by pass name."""
    cache = PassCache(run.cache_dir)
    artifact, input_key = run.input, _model_key(run.input)
    stages = {"input": run.input}
    for index, planned in enumerate(run.passes):
        key = pass_key(planned.type, planned.params, input_key, _data_keys(planned.params, run))
        sink.emit(PassStart(pass_name=planned.name, pass_type=planned.type, index=index, total=len(run.passes)))
        begin = time.time()
        cached = cache.done(key)
        status: PassStatus = "cached" if cached is not None else "done"
        try:
            artifact = cached or _run_pass(planned, artifact, key, cache, run, sink, options)
        except KeyboardInterrupt:
            sink.emit(PassEnd(pass_name=planned.name, status="cancelled", duration_s=round(time.time() - begin, 2)))
            raise
        except Exception as exc:
            message = str(exc) if isinstance(exc, PassError | ConfigRefused) else f"{type(exc).__name__}: {exc}"
            sink.emit(ErrorEvent(pass_name=planned.name, message=message))
            sink.emit(PassEnd(pass_name=planned.name, status="failed", duration_s=round(time.time() - begin, 2)))
            raise _PassFailed(message) from exc
        duration = round(time.time() - begin, 2)
        sink.emit(PassEnd(pass_name=planned.name, status=status, duration_s=duration, artifact=str(artifact.path)))
        records.append(
            {
                "name": planned.name,
                "type": planned.type,
                "status": status,
                "duration_s": duration,
                "key": key,
                "artifact": _artifact_record(artifact),
            }
        )
        stages[planned.name] = artifact
        input_key = key
    return stages


def _run_pass(
    planned: PlannedPass,
    artifact: ModelArtifact,
    key: str,
    cache: PassCache,
    run: Plan,
    sink: EventSink,
    options: RunOptions,
) -> ModelArtifact:
    workspace = cache.workspace(key)
    context = PassContext(
        name=planned.name,
        type=planned.type,
        params=planned.params,
        input=artifact,
        output_dir=workspace,
        checkpoint_dir=cache.checkpoints(key),
        config_dir=run.config_dir,
        data_configs=run.data_configs,
        events=sink,
        accelerator=options.accelerator,
        olive_version=run.olive_version,
    )
    produced = passes.REGISTRY[planned.type].load()(context)
    return cache.commit(key, workspace, produced)


def _model_key(artifact: ModelArtifact) -> str:
    return fingerprint(artifact.path) if artifact.path.exists() else f"id:{artifact.path}"


def _data_keys(params: dict[str, Any], run: Plan) -> dict[str, str]:
    """Fingerprints of the local files behind every data config the pass names."""
    keys = {}
    for param, value in params.items():
        if param.endswith("data_config") and isinstance(value, str) and value in run.data_configs:
            load = run.data_configs[value].get("load_dataset_config") or {}
            files = (load.get("params") or load).get("data_files")
            paths = files if isinstance(files, list) else [files] if isinstance(files, str) else []
            keys[value] = ",".join(fingerprint(run.config_dir / p) for p in paths if (run.config_dir / p).exists())
            keys[value] += json.dumps(run.data_configs[value], sort_keys=True)
    return keys


def _artifact_record(artifact: ModelArtifact) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(artifact).items()}


def _publish(artifact: ModelArtifact, output_dir: Path, sink: EventSink) -> ModelArtifact:
    """Copy the final model into ``<output_dir>/model`` (and its adapter into ``adapter``)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / "model"
    if artifact.path.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(artifact.path, target, ignore=shutil.ignore_patterns("artifact.json", "adapter"))
    adapter = None
    if artifact.adapter_path is not None:
        adapter = output_dir / "adapter"
        shutil.rmtree(adapter, ignore_errors=True)
        shutil.copytree(artifact.adapter_path, adapter)
    published = ModelArtifact(
        artifact.kind,
        target if artifact.path.is_dir() else artifact.path,
        adapter,
        artifact.trust_remote_code,
        artifact.load_kwargs,
        artifact.quantized,
    )
    sink.emit(
        Artifact(role="output_model", kind=published.kind, path=str(published.path), size_bytes=_size(published.path))
    )
    return published


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def _evaluate(run: Plan, stages: dict[str, ModelArtifact], sink: EventSink) -> dict[str, Any]:
    from olive_runner.report import evaluate_stages

    try:
        return evaluate_stages(run, stages, sink)
    except Exception as exc:  # evaluation is a report: its failure must not lose the run
        sink.log(f"evaluation skipped: {type(exc).__name__}: {exc}", "warning")
        return {}


def _finish(
    run: Plan,
    sink: EventSink,
    records: list[dict[str, Any]],
    started: float,
    status: RunStatus,
    final: ModelArtifact | None,
    metrics: dict[str, Any],
    error: str | None,
) -> dict[str, Any]:
    duration = round(time.time() - started, 2)
    summary = {
        "run_id": sink.run_id,
        "config": str(run.config_path or ""),
        "status": status,
        "olive_version": run.olive_version,
        "passes": records,
        "output_model": _artifact_record(final) if final else None,
        "metrics": metrics,
        "error": error,
        "started": started,
        "duration_s": duration,
        "migrated": run.migrated,
    }
    run.output_dir.mkdir(parents=True, exist_ok=True)
    summary_path = run.output_dir / "run_summary.json"
    text = json.dumps(summary, indent=2, default=str)
    summary_path.write_text(text, encoding="utf-8")
    past = history.history_path(run.output_dir, started, sink.run_id)
    past.parent.mkdir(parents=True, exist_ok=True)
    past.write_text(text, encoding="utf-8")
    sink.emit(RunEnd(status=status, duration_s=duration, summary=str(summary_path), error=error))
    return summary
