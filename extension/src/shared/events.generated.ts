// Generated from schemas/olive_events/contract.py by `python -m olive_events.render --write`: do not edit.
// The run events as the runner declares them (docs/events.md). Readers still check every field at run time:
// events come from another process, and a newer runner may add types and optional fields.

export const EVENTS_MAJOR = 1;
export const EVENTS_VERSION = '1.1';
export const EVENT_TYPES = ['run_start', 'pass_start', 'train_step', 'log', 'pass_end', 'error', 'artifact', 'eval_start', 'metrics', 'run_end'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
export type ModelKind = 'hf' | 'onnx';
export type PassStatus = 'done' | 'cached' | 'failed' | 'cancelled';
export type RunStatus = 'completed' | 'failed' | 'refused' | 'cancelled';

/** A pass of the pipeline, as ``run_start`` lists them. */
export interface PassRef {
    /** the pass's key in the config's `passes` */
    readonly name: string;
    /** its canonical Olive pass type, e.g. `LoRA` */
    readonly type: string;
}

/** How far the run is; computed once (``olive_events.progress``) and carried on every event. */
export interface Progress {
    /** 0 to 100 */
    readonly percentage: number;
    /** one line, e.g. `lora (LoRA) 1/3: step 40/60, loss 1.234` */
    readonly message: string;
}

/** What every event carries. */
export interface EventEnvelope {
    /** the events format's major version, `1`; readers skip events of a major version they do not know */
    readonly v: number;
    /** one of the types below; readers ignore types they do not know */
    readonly type: string;
    /** Unix time in seconds (3 decimals) */
    readonly time: number;
    /** random id of the run */
    readonly run_id: string;
    /** `{percentage, message}`: how far the run is after this event (since 1.1; older runners leave it out) */
    readonly progress?: Progress;
}

/** `run_start`: once, after the pre-flight check. */
export interface RunStartEvent extends EventEnvelope {
    readonly type: 'run_start';
    /** path of the config file */
    readonly config: string;
    /** the Olive release the config was checked and migrated against */
    readonly olive_version: string;
    /** the passes in pipeline order */
    readonly passes: readonly PassRef[];
    /** where the final model and `run_summary.json` go */
    readonly output_dir: string;
    /** where pass outputs are cached */
    readonly cache_dir: string;
    /** the in-memory migration steps of an old-format config (empty when none) */
    readonly migrated: readonly string[];
}

/** `pass_start`: before each pass. */
export interface PassStartEvent extends EventEnvelope {
    readonly type: 'pass_start';
    /** the pass's key in the config */
    readonly pass_name: string;
    /** its canonical pass type */
    readonly pass_type: string;
    /** 0-based position in the pipeline */
    readonly index: number;
    /** number of passes */
    readonly total: number;
}

/** `train_step`: every logging step of a fine-tune; on evaluation steps `loss` is null and `eval_loss` is set. */
export interface TrainStepEvent extends EventEnvelope {
    readonly type: 'train_step';
    /** the fine-tuning pass */
    readonly pass_name: string;
    /** optimizer step */
    readonly step: number;
    /** steps of the whole fine-tune */
    readonly max_steps: number;
    /** training loss at this step (null on evaluation steps) */
    readonly loss: number | null;
    /** learning rate at this step */
    readonly learning_rate?: number | null;
    /** fractional epoch */
    readonly epoch?: number | null;
    /** input tokens trained on so far */
    readonly tokens_seen?: number | null;
    /** loss on the evaluation data (evaluation steps) */
    readonly eval_loss?: number | null;
}

/** `log`: notable decisions, warnings and tool output; the relay adds the runner's printed lines. */
export interface LogEvent extends EventEnvelope {
    readonly type: 'log';
    /** `debug`, `info`, `warning` or `error` */
    readonly level: LogLevel;
    /** the text */
    readonly message: string;
    /** the pass it is about */
    readonly pass_name?: string | null;
    /** who printed it: `model_builder` (the builder's output), `runner-output` (relay) */
    readonly source?: string | null;
    /** training step it refers to (checkpoints, resume) */
    readonly step?: number | null;
    /** a file or folder it refers to */
    readonly path?: string | null;
    /** checkpoint folder a fine-tune resumes from */
    readonly checkpoint?: string | null;
    /** adapter folder saved or merged */
    readonly adapter_path?: string | null;
    /** dtype training runs in, when the runner changed it */
    readonly torch_dtype?: string | null;
    /** layers a LoRA adapter was put on */
    readonly target_modules?: readonly string[] | null;
    /** parameters a fine-tune trains */
    readonly trainable_params?: number | null;
    /** end of a fine-tune: seconds of training */
    readonly train_runtime?: number | null;
    /** end of a fine-tune: average training loss */
    readonly train_loss?: number | null;
    /** end of a fine-tune: tokens trained on in this run */
    readonly tokens?: number | null;
    /** end of a fine-tune: training throughput */
    readonly tokens_per_second?: number | null;
}

/** `pass_end`: after each pass. */
export interface PassEndEvent extends EventEnvelope {
    readonly type: 'pass_end';
    /** the pass's key in the config */
    readonly pass_name: string;
    /** `done`, `cached` (reused from the cache), `failed` or `cancelled` */
    readonly status: PassStatus;
    /** seconds the pass took */
    readonly duration_s: number;
    /** path of its output (not for failed or cancelled passes) */
    readonly artifact?: string | null;
}

/** `error`: a pass failed (followed by its `pass_end` and the `run_end`). */
export interface ErrorEvent extends EventEnvelope {
    readonly type: 'error';
    /** the pass that failed */
    readonly pass_name: string;
    /** what went wrong and how to fix it */
    readonly message: string;
}

/** `artifact`: the final model was published under `output_dir/model`. */
export interface ArtifactEvent extends EventEnvelope {
    readonly type: 'artifact';
    /** `output_model` */
    readonly role: string;
    /** `hf` or `onnx` */
    readonly kind: ModelKind;
    /** where it is */
    readonly path: string;
    /** its size on disk */
    readonly size_bytes: number;
}

/** `eval_start`: once, after the final model is published, before its `metrics` events (not with `--no-eval`). */
export interface EvalStartEvent extends EventEnvelope {
    readonly type: 'eval_start';
    /** the models about to be measured, in order (`input`, `fine_tuned`, `onnx_int4`...) */
    readonly stages: readonly string[];
}

/** `metrics`: after the passes, per model measured. */
export interface MetricsEvent extends EventEnvelope {
    readonly type: 'metrics';
    /** `input`, `fine_tuned`, `onnx_int4`, ... */
    readonly stage: string;
    /** `hf` or `onnx` */
    readonly kind: ModelKind;
    /** size on disk */
    readonly size_bytes?: number | null;
    /** held-out accuracy, 0..1 */
    readonly accuracy?: number | null;
    /** held-out rows it was measured on */
    readonly eval_rows?: number | null;
    /** the runtime generation was timed with */
    readonly gen_kind?: ModelKind | null;
    /** generated tokens per second, prompt processing included */
    readonly gen_tokens_per_s?: number | null;
    /** tokens generated for the speed figure */
    readonly gen_generated_tokens?: number | null;
    /** seconds of generation for the speed figure */
    readonly gen_wall_s?: number | null;
    /** median milliseconds between two generated tokens */
    readonly gen_latency_per_token_ms_p50?: number | null;
    /** median milliseconds to the first token */
    readonly gen_time_to_first_token_ms_p50?: number | null;
    /** prompts timed */
    readonly gen_prompts?: number | null;
    /** tokens generated per prompt */
    readonly gen_max_new_tokens?: number | null;
    /** seconds to load the model */
    readonly gen_load_s?: number | null;
}

/** `run_end`: once, last. */
export interface RunEndEvent extends EventEnvelope {
    readonly type: 'run_end';
    /** `completed`, `failed`, `refused` (the config has errors) or `cancelled` */
    readonly status: RunStatus;
    /** seconds the run took */
    readonly duration_s?: number | null;
    /** path of `run_summary.json` */
    readonly summary?: string | null;
    /** what went wrong (failed, cancelled) */
    readonly error?: string | null;
    /** for `refused`: FILE:LINE:COL lines that say why */
    readonly problems?: readonly string[] | null;
    /** true when the relay wrote it because the runner exited without one */
    readonly synthesized?: boolean | null;
}

export type KnownRunEvent =
    | RunStartEvent
    | PassStartEvent
    | TrainStepEvent
    | LogEvent
    | PassEndEvent
    | ErrorEvent
    | ArtifactEvent
    | EvalStartEvent
    | MetricsEvent
    | RunEndEvent;
