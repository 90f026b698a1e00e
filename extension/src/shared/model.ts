/**
 * The results panel's model: the state of one run, folded from the runner's event stream (docs/events.md,
 * version 1), and the past runs read from `run_summary.json` files.
 *
 * Pure on purpose (no DOM, no vscode, no Node): the webview folds events with it to render, the host (runs.ts)
 * folds the same events for the status bar and the notification, and the tests run it under Node. The event
 * types come from the runner's contract (events.generated.ts), but events come from another process through
 * the language server, so every field is still checked here; a malformed or unknown event leaves the state as
 * it was and never throws.
 */

import {
    EVENTS_MAJOR,
    type ArtifactEvent,
    type ErrorEvent,
    type EvalStartEvent,
    type EventEnvelope,
    type LogEvent,
    type LogLevel as EventLogLevel,
    type MetricsEvent,
    type PassEndEvent,
    type PassStartEvent,
    type PassStatus as EventPassStatus,
    type Progress,
    type RunEndEvent,
    type RunStartEvent,
    type RunStatus as EventRunStatus,
    type TrainStepEvent,
} from './events.generated';

/** The events format major version this reader understands; newer majors are ignored (docs/events.md). */
export { EVENTS_MAJOR };
export type { Progress };
/** How many log lines the panel keeps: a tail, because a model build can print thousands. */
export const LOG_TAIL = 200;
/**
 * The most points one loss curve keeps. Past it, every other point is dropped (the curve keeps its shape):
 * a long fine-tune that logs every step would otherwise make each chart update and each saved state slower.
 */
export const MAX_CURVE_POINTS = 2000;

/**
 * One runner event as it arrives: the envelope's fields (docs/events.md) plus whatever its type carries. Only
 * `type` is sure; the envelope's fields may be missing (an older runner has no `progress`, the relay's own lines
 * no `v`, `time` or `run_id`), and every field is checked before use.
 */
export interface RunEvent extends Partial<EventEnvelope> {
    readonly type: string;
    readonly [field: string]: unknown;
}

/** A `run_summary.json`, as the host reads it from the output folder (fields are checked before use). */
export interface RunSummary {
    readonly run_id?: string;
    readonly status?: string;
    readonly olive_version?: string;
    readonly passes?: readonly unknown[];
    readonly output_model?: unknown;
    readonly metrics?: unknown;
    readonly error?: string | null;
    readonly started?: number;
    readonly duration_s?: number;
    readonly migrated?: unknown;
    readonly config?: unknown;
    readonly [field: string]: unknown;
}

/** A run's state: before its first event, running, or how `run_end` said it ended. */
export type RunStatus = 'idle' | 'running' | EventRunStatus;
/** A pass's state: planned by `run_start`, started by `pass_start`, or how `pass_end` said it ended. */
export type PassStatus = 'pending' | 'running' | EventPassStatus;
export type LogLevel = EventLogLevel;

export interface PassState {
    readonly name: string;
    readonly type: string;
    readonly status: PassStatus;
    /** Event time (Unix s) of its `pass_start`; what a running pass's elapsed time counts from. */
    readonly startedAt: number | null;
    /** Seconds, once it ended (from `pass_end.duration_s`). */
    readonly durationS: number | null;
    /** The pass's output in the cache (from `pass_end.artifact`). */
    readonly artifact: string | null;
}

/** A point of a training curve: `x` is the optimizer step. */
export interface Point {
    readonly x: number;
    readonly y: number;
}

/** What a fine-tuning pass reported through its `train_step` events and its closing `log`. */
export interface TrainingState {
    readonly passName: string;
    readonly loss: readonly Point[];
    readonly evalLoss: readonly Point[];
    readonly learningRate: readonly Point[];
    readonly step: number | null;
    readonly maxSteps: number | null;
    readonly epoch: number | null;
    readonly tokensSeen: number | null;
    /** From the log at the end of `train()`: average loss, runtime and throughput. */
    readonly result: {
        readonly trainLoss: number | null;
        readonly runtimeS: number | null;
        readonly tokensPerSecond: number | null;
    } | null;
}

/** One measured model: a row of the metrics table (null where the runner could not measure it). */
export interface MetricsRow {
    readonly stage: string;
    readonly kind: string | null;
    readonly accuracy: number | null;
    readonly evalRows: number | null;
    readonly sizeBytes: number | null;
    readonly tokensPerS: number | null;
    readonly latencyMs: number | null;
}

export interface Artifact {
    readonly role: string;
    readonly kind: string | null;
    readonly path: string;
    readonly sizeBytes: number | null;
}

export interface LogLine {
    /** Increasing number of the line within the panel's life: lets the view append only new lines. */
    readonly seq: number;
    readonly time: number | null;
    readonly level: LogLevel;
    readonly message: string;
    readonly passName: string | null;
    readonly source: string | null;
}

/** The state of the current (or latest) run. Plain JSON, so the webview can save it with `setState`. */
export interface RunState {
    readonly runId: string;
    readonly status: RunStatus;
    readonly config: string | null;
    readonly oliveVersion: string | null;
    readonly outputDir: string | null;
    readonly cacheDir: string | null;
    readonly migrated: readonly string[];
    readonly startedAt: number | null;
    readonly endedAt: number | null;
    readonly durationS: number | null;
    /** Time of the newest event seen: a floor for "now", so a clock behind the runner's never shows negative time. */
    readonly lastTime: number | null;
    readonly passes: readonly PassState[];
    readonly training: readonly TrainingState[];
    /** The stages `eval_start` announced; null before evaluation starts (or when it is skipped). */
    readonly evalStages: readonly string[] | null;
    readonly metrics: readonly MetricsRow[];
    readonly artifacts: readonly Artifact[];
    readonly summaryPath: string | null;
    readonly errors: readonly { readonly passName: string | null; readonly message: string }[];
    readonly error: string | null;
    readonly problems: readonly string[];
    readonly logs: readonly LogLine[];
    readonly logSeq: number;
    /** `logSeq` when the run ended: lines after it (the next run's first output) survive the next `run_start`. */
    readonly endLogSeq: number | null;
    /**
     * The newest valid `progress` an event of this run carried: computed once by the runner's sink, so the panel,
     * the status bar, the CLI and `$/progress` show the same numbers. Null until an event carries one (a runner
     * older than events 1.1 never does).
     */
    readonly progress: Progress | null;
}

export function initialState(): RunState {
    return {
        runId: '',
        status: 'idle',
        config: null,
        oliveVersion: null,
        outputDir: null,
        cacheDir: null,
        migrated: [],
        startedAt: null,
        endedAt: null,
        durationS: null,
        lastTime: null,
        passes: [],
        training: [],
        evalStages: null,
        metrics: [],
        artifacts: [],
        summaryPath: null,
        errors: [],
        error: null,
        problems: [],
        logs: [],
        logSeq: 0,
        endLogSeq: null,
        progress: null,
    };
}

/** Folds a whole event list: what a replay from the host does. */
export function replay(events: readonly unknown[], state: RunState = initialState()): RunState {
    return events.reduce<RunState>(reduce, state);
}

/**
 * The state after one event. Returns `state` itself when the event changes nothing (unknown type, newer
 * major version, missing fields, or an event of an older run), so callers can compare by reference.
 */
export function reduce(state: RunState, event: unknown): RunState {
    try {
        return apply(state, event);
    } catch {
        return state; // the checks below should make this unreachable; a bad event must still not break the panel
    }
}

export function isRunning(state: RunState): boolean {
    return state.status === 'running';
}

export function isEnded(state: RunState): boolean {
    return state.status !== 'running' && state.status !== 'idle';
}

// ------------------------------------------------------------------------------------------------ reducer

type Fields = Readonly<Record<string, unknown>>;

/**
 * An event's fields under the names the contract gives its type, each still `unknown`: the compiler checks that
 * the reducer reads only fields the runner writes (a field renamed in contract.py breaks the build here), and
 * the reducer checks each value before use.
 */
type Unchecked<T> = { readonly [K in keyof T]?: unknown };

function apply(state: RunState, raw: unknown): RunState {
    if (!isRecord(raw) || typeof raw.type !== 'string' || !knownVersion(raw.v)) {
        return state;
    }
    const envelope: Unchecked<EventEnvelope> = raw;
    const runId = str(envelope.run_id) ?? '';
    const time = num(envelope.time);
    const carried = carriedProgress(envelope.progress);
    if (raw.type === 'run_start') {
        return withProgress(runStart(state, raw, runId, time), carried);
    }
    let current = state;
    if (runId !== '' && state.runId !== '' && runId !== state.runId) {
        if (!isEnded(state)) {
            return state; // a late event of an older run
        }
        current = freshRun(state, runId, time); // a run that began without run_start, e.g. a refused one
    }
    const next = applyToRun(current, raw, time);
    if (next === current) {
        return state;
    }
    const withId = next.runId === '' && runId !== '' ? { ...next, runId } : next;
    const withTime =
        time === null || (withId.lastTime !== null && withId.lastTime >= time) ? withId : { ...withId, lastTime: time };
    // Once the run has ended its progress stays as run_end left it: what follows (the next run's first output
    // lines) belongs to a run that has not started yet.
    return isEnded(current) ? withTime : withProgress(withTime, carried);
}

/** The event's `progress` field, or null when it has none or a malformed one (then the previous one stays). */
function carriedProgress(value: unknown): Progress | null {
    if (!isRecord(value)) {
        return null;
    }
    const fields: Unchecked<Progress> = value;
    const { percentage, message } = fields;
    return typeof percentage === 'number' &&
        Number.isInteger(percentage) &&
        percentage >= 0 &&
        percentage <= 100 &&
        typeof message === 'string'
        ? { percentage, message } // a copy: fields a newer minor version adds to `progress` stay out of the state
        : null;
}

function withProgress(state: RunState, carried: Progress | null): RunState {
    if (carried === null) {
        return state;
    }
    const current = state.progress;
    return current !== null && current.percentage === carried.percentage && current.message === carried.message
        ? state
        : { ...state, progress: carried };
}

function applyToRun(state: RunState, e: Fields, time: number | null): RunState {
    switch (e.type) {
        case 'pass_start':
            return passStart(state, e, time);
        case 'train_step':
            return trainStep(state, e);
        case 'log':
            return logLine(state, e, time);
        case 'pass_end':
            return passEnd(state, e, time);
        case 'error':
            return passError(state, e, time);
        case 'artifact':
            return artifact(state, e);
        case 'eval_start':
            return evalStart(state, e);
        case 'metrics':
            return metrics(state, e);
        case 'run_end':
            return runEnd(state, e, time);
        default:
            return state; // a type this reader does not know (docs/events.md: readers ignore them)
    }
}

/** A new run; the log lines printed after the previous run ended belong to it (the runner's first output). */
function freshRun(state: RunState, runId: string, time: number | null): RunState {
    const carried = state.status === 'running' ? [] : state.logs.filter((line) => line.seq > (state.endLogSeq ?? -1));
    return {
        ...initialState(),
        runId,
        status: 'running',
        startedAt: time,
        lastTime: time,
        logs: carried,
        logSeq: state.logSeq,
    };
}

function runStart(state: RunState, e: Unchecked<RunStartEvent>, runId: string, time: number | null): RunState {
    const passes: PassState[] = [];
    for (const item of list(e.passes)) {
        const name = isRecord(item) ? str(item.name) : undefined;
        if (name !== undefined && !passes.some((p) => p.name === name)) {
            passes.push(pendingPass(name, isRecord(item) ? (str(item.type) ?? '') : ''));
        }
    }
    return {
        ...freshRun(state, runId, time),
        config: str(e.config) ?? null,
        oliveVersion: str(e.olive_version) ?? null,
        outputDir: str(e.output_dir) ?? null,
        cacheDir: str(e.cache_dir) ?? null,
        migrated: strings(e.migrated),
        passes,
    };
}

function pendingPass(name: string, type: string): PassState {
    return { name, type, status: 'pending', startedAt: null, durationS: null, artifact: null };
}

function passStart(state: RunState, e: Unchecked<PassStartEvent>, time: number | null): RunState {
    const name = str(e.pass_name);
    if (name === undefined) {
        return state;
    }
    const passes = upsertPass(state.passes, name, str(e.pass_type), (p) => ({
        ...p,
        status: 'running',
        startedAt: time,
        durationS: null,
    }));
    return { ...state, status: state.status === 'idle' ? 'running' : state.status, passes };
}

function passEnd(state: RunState, e: Unchecked<PassEndEvent>, time: number | null): RunState {
    const name = str(e.pass_name);
    if (name === undefined) {
        return state;
    }
    const status = passStatus(e.status);
    // pass_end has no pass_type: a pass that ends without having been announced keeps an empty type
    const passes = upsertPass(state.passes, name, undefined, (p) => ({
        ...p,
        status,
        durationS: num(e.duration_s) ?? since(p.startedAt, time),
        artifact: str(e.artifact) ?? p.artifact,
    }));
    return { ...state, passes };
}

function passStatus(value: unknown): PassStatus {
    switch (value) {
        case 'done':
        case 'cached':
        case 'failed':
        case 'cancelled':
            return value;
        default:
            return 'done'; // a status newer than this reader: the pass has ended, which is what matters here
    }
}

function upsertPass(
    passes: readonly PassState[],
    name: string,
    type: string | undefined,
    update: (pass: PassState) => PassState,
): PassState[] {
    const index = passes.findIndex((p) => p.name === name);
    if (index < 0) {
        return [...passes, update(pendingPass(name, type ?? ''))];
    }
    const current = passes[index];
    const updated = update(type !== undefined && current.type === '' ? { ...current, type } : current);
    return passes.map((p, i) => (i === index ? updated : p));
}

function trainStep(state: RunState, e: Unchecked<TrainStepEvent>): RunState {
    const passName = str(e.pass_name) ?? '';
    const step = num(e.step);
    if (step === null) {
        return state;
    }
    const loss = num(e.loss);
    const evalLoss = num(e.eval_loss);
    const lr = num(e.learning_rate);
    const previous = state.training.find((t) => t.passName === passName) ?? emptyTraining(passName);
    const updated: TrainingState = {
        ...previous,
        loss: loss === null ? previous.loss : addPoint(previous.loss, step, loss),
        evalLoss: evalLoss === null ? previous.evalLoss : addPoint(previous.evalLoss, step, evalLoss),
        learningRate: lr === null ? previous.learningRate : addPoint(previous.learningRate, step, lr),
        step,
        maxSteps: num(e.max_steps) ?? previous.maxSteps,
        epoch: num(e.epoch) ?? previous.epoch,
        tokensSeen: num(e.tokens_seen) ?? previous.tokensSeen,
    };
    return { ...state, training: replaceTraining(state.training, updated) };
}

function emptyTraining(passName: string): TrainingState {
    const none: Point[] = [];
    return {
        passName,
        loss: none,
        evalLoss: none,
        learningRate: none,
        step: null,
        maxSteps: null,
        epoch: null,
        tokensSeen: null,
        result: null,
    };
}

function replaceTraining(training: readonly TrainingState[], updated: TrainingState): TrainingState[] {
    const index = training.findIndex((t) => t.passName === updated.passName);
    return index < 0 ? [...training, updated] : training.map((t, i) => (i === index ? updated : t));
}

/**
 * Appends a point. A training resumed from a checkpoint logs its steps again from there: points at or after
 * the new step are replaced, so the curve never runs backwards.
 */
function addPoint(points: readonly Point[], x: number, y: number): readonly Point[] {
    let kept = points;
    if (points.length > 0 && points[points.length - 1].x >= x) {
        kept = points.filter((p) => p.x < x);
    }
    const next = [...kept, { x, y }];
    if (next.length <= MAX_CURVE_POINTS) {
        return next;
    }
    const last = next[next.length - 1];
    const thinned = next.filter((_, i) => i % 2 === 0);
    return thinned[thinned.length - 1] === last ? thinned : [...thinned, last];
}

function logLine(state: RunState, e: Unchecked<LogEvent>, time: number | null): RunState {
    const message = str(e.message);
    if (message === undefined) {
        return state;
    }
    const passName = str(e.pass_name) ?? null;
    let next = appendLog(state, {
        time,
        level: logLevel(e.level),
        message,
        passName,
        source: str(e.source) ?? null,
    });
    if (passName !== null && (num(e.train_loss) !== null || num(e.train_runtime) !== null)) {
        const previous = next.training.find((t) => t.passName === passName) ?? emptyTraining(passName);
        const result = {
            trainLoss: num(e.train_loss),
            runtimeS: num(e.train_runtime),
            tokensPerSecond: num(e.tokens_per_second),
        };
        next = { ...next, training: replaceTraining(next.training, { ...previous, result }) };
    }
    return next;
}

function logLevel(value: unknown): LogLevel {
    switch (value) {
        case 'debug':
        case 'info':
        case 'warning':
        case 'error':
            return value;
        case 'warn':
            return 'warning';
        case 'critical':
        case 'fatal':
            return 'error';
        default:
            return 'info';
    }
}

function appendLog(state: RunState, line: Omit<LogLine, 'seq'>): RunState {
    const seq = state.logSeq + 1;
    const logs = [...state.logs, { seq, ...line }];
    return { ...state, logSeq: seq, logs: logs.length > LOG_TAIL ? logs.slice(logs.length - LOG_TAIL) : logs };
}

function passError(state: RunState, e: Unchecked<ErrorEvent>, time: number | null): RunState {
    const message = str(e.message);
    if (message === undefined) {
        return state;
    }
    const passName = str(e.pass_name) ?? null;
    const withLog = appendLog(state, { time, level: 'error', message, passName, source: null });
    return { ...withLog, errors: [...state.errors, { passName, message }] };
}

function artifact(state: RunState, e: Unchecked<ArtifactEvent>): RunState {
    const path = str(e.path);
    if (path === undefined) {
        return state;
    }
    const item: Artifact = {
        role: str(e.role) ?? 'output_model',
        kind: str(e.kind) ?? null,
        path,
        sizeBytes: num(e.size_bytes),
    };
    const others = state.artifacts.filter((a) => a.role !== item.role);
    return { ...state, artifacts: [...others, item] };
}

function evalStart(state: RunState, e: Unchecked<EvalStartEvent>): RunState {
    const stages = strings(e.stages);
    return { ...state, evalStages: stages };
}

function metrics(state: RunState, e: Unchecked<MetricsEvent>): RunState {
    const row = metricsRow(str(e.stage), e);
    if (row === null) {
        return state;
    }
    const index = state.metrics.findIndex((m) => m.stage === row.stage);
    const rows = index < 0 ? [...state.metrics, row] : state.metrics.map((m, i) => (i === index ? row : m));
    return { ...state, metrics: rows };
}

/** A metrics row from a `metrics` event or a summary's `metrics[stage]` (the same fields, docs/events.md). */
function metricsRow(stage: string | undefined, m: Unchecked<MetricsEvent>): MetricsRow | null {
    if (stage === undefined) {
        return null;
    }
    return {
        stage,
        kind: str(m.kind) ?? str(m.gen_kind) ?? null,
        accuracy: num(m.accuracy),
        evalRows: num(m.eval_rows),
        sizeBytes: num(m.size_bytes),
        tokensPerS: num(m.gen_tokens_per_s),
        latencyMs: num(m.gen_latency_per_token_ms_p50),
    };
}

function runEnd(state: RunState, e: Unchecked<RunEndEvent>, time: number | null): RunState {
    if (isEnded(state)) {
        return state; // the run already said how it ended; a second end (relayed after the real one) changes nothing
    }
    const status = runStatus(e.status, e.error);
    const ending: PassStatus = status === 'cancelled' ? 'cancelled' : 'failed';
    const passes = state.passes.map((p) =>
        p.status === 'running' ? { ...p, status: ending, durationS: since(p.startedAt, time) } : p,
    );
    return {
        ...state,
        status,
        passes,
        endedAt: time,
        durationS: num(e.duration_s) ?? since(state.startedAt, time),
        summaryPath: str(e.summary) ?? null,
        error: str(e.error) ?? null,
        problems: strings(e.problems),
        endLogSeq: state.logSeq,
    };
}

function runStatus(value: unknown, error: unknown): RunStatus {
    switch (value) {
        case 'completed':
        case 'failed':
        case 'refused':
        case 'cancelled':
            return value;
        default:
            return typeof error === 'string' && error !== '' ? 'failed' : 'completed';
    }
}

// ------------------------------------------------------------------------------------------------ views of the state

/** A pass as the timeline shows it: `seconds` is its duration, or for a running pass the time since it started. */
export interface TimelineRow extends PassState {
    readonly index: number;
    readonly seconds: number | null;
}

/** The passes in pipeline order with their durations; `now` is Unix seconds (the running pass's clock). */
export function passTimeline(state: RunState, now: number): TimelineRow[] {
    const clock = effectiveNow(state, now);
    return state.passes.map((pass, index) => ({
        ...pass,
        index,
        seconds: pass.status === 'running' ? since(pass.startedAt, clock) : pass.durationS,
    }));
}

/** Seconds the run has taken: its reported duration once ended, else the time since `run_start`. */
export function runElapsed(state: RunState, now: number): number | null {
    if (isEnded(state)) {
        return state.durationS ?? since(state.startedAt, state.endedAt);
    }
    return state.status === 'running' ? since(state.startedAt, effectiveNow(state, now)) : null;
}

/** `now`, but never before the newest event: the webview's clock may be behind the runner's (remote hosts). */
function effectiveNow(state: RunState, now: number): number {
    return state.lastTime !== null && state.lastTime > now ? state.lastTime : now;
}

/** How far the run is, as the panel's bar, the status bar and the notification show it. */
export interface ProgressView {
    /** 0..1: `percentage / 100`, for a progress element. */
    readonly fraction: number;
    /** 0..100, an integer: the number to show, exactly as the runner computed it. */
    readonly percentage: number;
    /** The runner's line: "lora (LoRA) 1/3: step 8/16, loss 6.180", "evaluating fine_tuned (2/3)"; '' when none. */
    readonly current: string;
}

/**
 * The progress the run's events carried (docs/events.md): not computed here, so that every client shows the
 * runner's numbers. 0 and '' until an event carries one.
 */
export function progress(state: RunState): ProgressView {
    const carried = state.progress;
    return carried === null
        ? { fraction: 0, percentage: 0, current: '' }
        : { fraction: carried.percentage / 100, percentage: carried.percentage, current: carried.message };
}

/** The newest learning rate of a fine-tune (the runner logs it with each training step). */
export function currentLearningRate(training: TrainingState): number | null {
    const points = training.learningRate;
    return points.length === 0 ? null : points[points.length - 1].y;
}

/** One link of the artifacts section. */
export interface ArtifactLink {
    readonly label: string;
    readonly path: string;
    readonly detail: string | null;
}

/** Final model first, then each pass's output in the cache, then the summary and the output folder. */
export function artifactLinks(state: RunState): ArtifactLink[] {
    const links: ArtifactLink[] = [];
    for (const a of state.artifacts) {
        const label = a.role === 'output_model' ? 'Output model' : a.role.replace(/_/g, ' ');
        links.push({ label, path: a.path, detail: a.kind });
    }
    for (const pass of state.passes) {
        if (pass.artifact !== null) {
            links.push({
                label: `Pass ${pass.name}`,
                path: pass.artifact,
                detail: pass.status === 'cached' ? 'cached' : null,
            });
        }
    }
    if (state.summaryPath !== null) {
        links.push({ label: 'Run summary', path: state.summaryPath, detail: null });
    }
    if (state.outputDir !== null) {
        links.push({ label: 'Output folder', path: state.outputDir, detail: null });
    }
    return links;
}

// ------------------------------------------------------------------------------------------------ past runs

/** A finished run as its `run_summary.json` tells it (shown read-only). */
export interface PastRun {
    /** Stable key: the run id, else the start time. */
    readonly id: string;
    readonly status: string;
    readonly oliveVersion: string | null;
    readonly started: number | null;
    readonly durationS: number | null;
    readonly passes: readonly PassState[];
    readonly outputModel: { readonly path: string; readonly kind: string | null } | null;
    readonly metrics: readonly MetricsRow[];
    readonly error: string | null;
    readonly migrated: readonly string[];
}

/** The valid summaries, newest first; anything that is not a summary object is skipped. */
export function pastRuns(history: unknown): PastRun[] {
    const runs: PastRun[] = [];
    for (const item of list(history)) {
        const run = isRecord(item) ? pastRun(item, runs.length) : null;
        if (run !== null) {
            runs.push(run);
        }
    }
    return runs
        .map((run, order) => ({ run, order }))
        .sort((a, b) => (b.run.started ?? -Infinity) - (a.run.started ?? -Infinity) || a.order - b.order)
        .map(({ run }) => run);
}

function pastRun(s: Fields, position: number): PastRun | null {
    const status = str(s.status);
    if (status === undefined) {
        return null;
    }
    const started = num(s.started);
    const passes: PassState[] = [];
    for (const item of list(s.passes)) {
        const name = isRecord(item) ? str(item.name) : undefined;
        if (isRecord(item) && name !== undefined) {
            const art = isRecord(item.artifact) ? str(item.artifact.path) : str(item.artifact);
            passes.push({
                name,
                type: str(item.type) ?? '',
                status: passStatus(item.status),
                startedAt: null,
                durationS: num(item.duration_s),
                artifact: art ?? null,
            });
        }
    }
    const model = isRecord(s.output_model) ? s.output_model : null;
    const modelPath = model === null ? undefined : str(model.path);
    const rows: MetricsRow[] = [];
    if (isRecord(s.metrics)) {
        for (const [stage, values] of Object.entries(s.metrics)) {
            const row = isRecord(values) ? metricsRow(stage, values) : null;
            if (row !== null) {
                rows.push(row);
            }
        }
    }
    return {
        id: str(s.run_id) ?? (started !== null ? `started-${started}` : `run-${position}`),
        status,
        oliveVersion: str(s.olive_version) ?? null,
        started,
        durationS: num(s.duration_s),
        passes,
        outputModel:
            model !== null && modelPath !== undefined ? { path: modelPath, kind: str(model.kind) ?? null } : null,
        metrics: rows,
        error: str(s.error) ?? null,
        migrated: strings(s.migrated),
    };
}

// ------------------------------------------------------------------------------------------------ checks

function isRecord(value: unknown): value is Fields {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `v` absent (a relay's own event), or a number/string whose major version this reader knows. */
function knownVersion(v: unknown): boolean {
    if (v === undefined) {
        return true;
    }
    const major = typeof v === 'number' ? Math.trunc(v) : typeof v === 'string' ? Number.parseInt(v, 10) : NaN;
    return Number.isFinite(major) && major >= 1 && major <= EVENTS_MAJOR;
}

function str(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function list(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** A list of strings; other items (a migration step as an object) are shown as their JSON. */
function strings(value: unknown): string[] {
    return list(value).map((item) => (typeof item === 'string' ? item : (JSON.stringify(item) ?? String(item))));
}

function since(start: number | null, end: number | null): number | null {
    return start === null || end === null ? null : Math.max(0, end - start);
}
