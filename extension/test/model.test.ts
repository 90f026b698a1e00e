import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
    artifactLinks,
    initialState,
    LOG_TAIL,
    MAX_CURVE_POINTS,
    passTimeline,
    pastRuns,
    progress,
    reduce,
    replay,
    runElapsed,
    type RunEvent,
    type RunState,
} from '../src/shared/model';
import { cachedRun, completedRun, ofType, prefix, summaries } from './fixtures';

const runId = completedRun[0].run_id ?? '';
const timeOf = (event: RunEvent): number => event.time ?? NaN;
const ev = (type: string, fields: Record<string, unknown> = {}): RunEvent => ({ v: 1, type, run_id: runId, ...fields });

describe('pass timeline', () => {
    it('shows every pass of a completed run as done, with the durations the runner reported', () => {
        const state = replay(completedRun);
        assert.equal(state.status, 'completed');
        const rows = passTimeline(state, 0);
        assert.deepEqual(
            rows.map((r) => [r.name, r.type, r.status, r.seconds]),
            ofType(completedRun, 'pass_end').map((e, i) => [
                e.pass_name,
                ['LoRA', 'MergeAdapterWeights', 'ModelBuilder'][i],
                'done',
                e.duration_s,
            ]),
        );
        assert.equal(runElapsed(state, 0), completedRun[completedRun.length - 1].duration_s);
        assert.equal(progress(state).fraction, 1);
    });

    it('shows passes reused from the cache as cached', () => {
        const rows = passTimeline(replay(cachedRun), 0);
        assert.deepEqual(
            rows.map((r) => r.status),
            ['cached', 'cached', 'cached'],
        );
    });

    it('lists the planned passes as pending before they start, and times the running one from its pass_start', () => {
        const events = prefix(completedRun, (e) => e.type === 'train_step' && e.step === 4 && e.loss !== null);
        const state = replay(events);
        const started = timeOf(events[1]);
        const now = timeOf(events[events.length - 1]) + 12.5;
        const rows = passTimeline(state, now);
        assert.deepEqual(
            rows.map((r) => [r.name, r.status]),
            [
                ['lora', 'running'],
                ['merge', 'pending'],
                ['builder', 'pending'],
            ],
        );
        assert.ok(Math.abs((rows[0].seconds ?? 0) - (now - started)) < 1e-6);
        assert.equal(rows[1].seconds, null);
        assert.ok(Math.abs((runElapsed(state, now) ?? 0) - (now - timeOf(events[0]))) < 1e-6);
        // a webview clock behind the runner's counts from the newest event, never backwards
        assert.ok(
            Math.abs((passTimeline(state, 0)[0].seconds ?? 0) - (timeOf(events[events.length - 1]) - started)) < 1e-6,
        );
    });

    it('shows the progress the events carry: rising, naming the running pass, then the model being evaluated', () => {
        const until = prefix(completedRun, (e) => e.type === 'train_step' && e.step === 8 && e.loss !== null);
        const p = progress(replay(until));
        const carried = until[until.length - 1].progress;
        assert.ok(carried !== undefined);
        assert.equal(p.percentage, carried.percentage);
        assert.equal(p.fraction, carried.percentage / 100);
        assert.ok(p.percentage > 0 && p.percentage < 100, String(p.percentage));
        assert.equal(p.current, 'lora (LoRA) 1/3: step 8/16, loss 6.180');

        const q = progress(replay(prefix(completedRun, (e) => e.type === 'metrics')));
        assert.ok(q.percentage > p.percentage, `${q.percentage} after ${p.percentage}`);
        assert.equal(q.current, 'evaluating fine_tuned (2/3)');

        const percentages = completedRun.map((_, i) => progress(replay(completedRun.slice(0, i + 1))).percentage);
        assert.deepEqual(
            percentages,
            [...percentages].sort((a, b) => a - b),
            'never moves backwards',
        );
        assert.equal(progress(replay(completedRun)).percentage, 100);
    });

    it('marks the running pass cancelled when the run is cancelled, and keeps the later ones pending', () => {
        const events = prefix(completedRun, (e) => e.type === 'train_step');
        const end = timeOf(events[events.length - 1]) + 2;
        const state = replay([
            ...events,
            ev('run_end', { time: end, status: 'cancelled', error: 'cancelled by the user', duration_s: 30 }),
        ]);
        assert.equal(state.status, 'cancelled');
        assert.deepEqual(
            state.passes.map((p) => p.status),
            ['cancelled', 'pending', 'pending'],
        );
        assert.ok(Math.abs((state.passes[0].durationS ?? 0) - (end - timeOf(events[1]))) < 1e-6);
        assert.equal(state.error, 'cancelled by the user');
    });

    it('takes a pass_end that says cancelled', () => {
        const events = prefix(completedRun, (e) => e.type === 'pass_start');
        const state = replay([...events, ev('pass_end', { pass_name: 'lora', status: 'cancelled', duration_s: 3.2 })]);
        assert.equal(state.passes[0].status, 'cancelled');
        assert.equal(state.passes[0].durationS, 3.2);
    });

    it('fails the running pass when the relay reports that the runner died', () => {
        const events = prefix(completedRun, (e) => e.type === 'pass_start' && e.pass_name === 'merge');
        const state = replay([
            ...events,
            {
                v: 1,
                type: 'run_end',
                time: timeOf(events[events.length - 1]) + 1,
                run_id: runId,
                status: 'failed',
                error: 'the runner exited with code -9 before the run ended:\nKilled',
                synthesized: true,
            },
        ]);
        assert.equal(state.status, 'failed');
        assert.deepEqual(
            state.passes.map((p) => p.status),
            ['done', 'failed', 'pending'],
        );
        assert.match(state.error ?? '', /exited with code -9/);
    });

    it('shows a failed pass and its error', () => {
        const events = prefix(completedRun, (e) => e.type === 'pass_start' && e.pass_name === 'builder');
        const state = replay([
            ...events,
            ev('error', { pass_name: 'builder', message: 'onnxruntime_genai is not installed' }),
            ev('pass_end', { pass_name: 'builder', status: 'failed', duration_s: 0.4 }),
            ev('run_end', { status: 'failed', duration_s: 48, error: 'onnxruntime_genai is not installed' }),
        ]);
        assert.deepEqual(
            state.passes.map((p) => p.status),
            ['done', 'done', 'failed'],
        );
        assert.deepEqual(state.errors, [{ passName: 'builder', message: 'onnxruntime_genai is not installed' }]);
        const last = state.logs[state.logs.length - 1];
        assert.equal(last.level, 'error');
        assert.equal(last.passName, 'builder');
    });

    it('shows a refused run (only run_end) with its problems', () => {
        const state = reduce(initialState(), {
            v: 1,
            type: 'run_end',
            time: 1795861000,
            run_id: 'r1',
            status: 'refused',
            problems: ['olive-config.json:12:13: error OS101: unknown pass type "LoAR"'],
        });
        assert.equal(state.status, 'refused');
        assert.deepEqual(state.problems, ['olive-config.json:12:13: error OS101: unknown pass type "LoAR"']);
        assert.deepEqual(state.passes, []);
    });
});

describe('training', () => {
    it('collects each train_step loss as a point, and eval losses separately', () => {
        const state = replay(completedRun);
        const steps = ofType(completedRun, 'train_step');
        const lora = state.training.find((t) => t.passName === 'lora');
        assert.ok(lora !== undefined);
        assert.deepEqual(
            lora.loss,
            steps.filter((e) => typeof e.loss === 'number').map((e) => ({ x: e.step, y: e.loss })),
        );
        assert.deepEqual(
            lora.evalLoss,
            steps.filter((e) => typeof e.eval_loss === 'number').map((e) => ({ x: e.step, y: e.eval_loss })),
        );
        assert.equal(lora.learningRate[lora.learningRate.length - 1].y, 0.003);
        assert.equal(lora.maxSteps, 16);
        assert.equal(lora.step, 16);
        assert.ok(lora.result !== null && lora.result.tokensPerSecond !== null && lora.result.tokensPerSecond > 0);
    });

    it('replaces the steps a resumed training logs again, so the curve never runs backwards', () => {
        let state = replay(prefix(completedRun, (e) => e.type === 'train_step' && e.step === 4 && e.loss !== null));
        state = reduce(state, ev('train_step', { pass_name: 'lora', step: 3, max_steps: 16, loss: 1.5 }));
        const xs = state.training[0].loss.map((p) => p.x);
        assert.deepEqual(xs, [1, 2, 3]);
        assert.equal(state.training[0].loss[2].y, 1.5);
    });

    it(`keeps at most ${MAX_CURVE_POINTS} points per curve, first and last included`, () => {
        let state = replay(prefix(completedRun, (e) => e.type === 'pass_start'));
        for (let step = 1; step <= MAX_CURVE_POINTS * 3; step++) {
            state = reduce(state, ev('train_step', { pass_name: 'lora', step, max_steps: 10 ** 5, loss: 1 / step }));
        }
        const loss = state.training[0].loss;
        assert.ok(loss.length <= MAX_CURVE_POINTS, String(loss.length));
        assert.equal(loss[0].x, 1);
        assert.equal(loss[loss.length - 1].x, MAX_CURVE_POINTS * 3);
    });
});

describe('metrics and artifacts', () => {
    it('makes one metrics row per measured model', () => {
        const state = replay(completedRun);
        const events = ofType(completedRun, 'metrics');
        assert.deepEqual(
            state.metrics.map((m) => m.stage),
            ['input', 'fine_tuned', 'onnx_int4'],
        );
        const int4 = state.metrics[2];
        const source = events[2];
        assert.equal(int4.kind, 'onnx');
        assert.equal(int4.sizeBytes, source.size_bytes);
        assert.equal(int4.accuracy, source.accuracy);
        assert.equal(int4.evalRows, 8);
        assert.equal(int4.tokensPerS, source.gen_tokens_per_s);
        assert.equal(int4.latencyMs, source.gen_latency_per_token_ms_p50);
    });

    it('shows null for what was not measured', () => {
        const state = replay([
            ...completedRun.slice(0, 1),
            ev('metrics', { stage: 'input', kind: 'hf', size_bytes: 10, gen_latency_per_token_ms_p50: 4.5 }),
        ]);
        assert.deepEqual(state.metrics[0], {
            stage: 'input',
            kind: 'hf',
            accuracy: null,
            evalRows: null,
            sizeBytes: 10,
            tokensPerS: null,
            latencyMs: 4.5,
        });
    });

    it('links the final model, each pass output, the summary and the output folder', () => {
        const links = artifactLinks(replay(completedRun));
        assert.deepEqual(
            links.map((l) => [l.label, l.path]),
            [
                ['Output model', '/home/dev/tone/out/model'],
                ['Pass lora', '/home/dev/models/tiny-phi3'],
                ['Pass merge', '/home/dev/tone/cache/passes/febd45ea5be92a0e560bc5e8'],
                ['Pass builder', '/home/dev/tone/cache/passes/efa51701b2d5c9140e1f127d'],
                ['Run summary', '/home/dev/tone/out/run_summary.json'],
                ['Output folder', '/home/dev/tone/out'],
            ],
        );
    });
});

describe('log tail', () => {
    it(`keeps the last ${LOG_TAIL} lines`, () => {
        let state = replay(completedRun.slice(0, 1));
        for (let i = 0; i < LOG_TAIL + 50; i++) {
            state = reduce(state, ev('log', { level: 'info', message: `line ${i}`, source: 'runner-output' }));
        }
        assert.equal(state.logs.length, LOG_TAIL);
        assert.equal(state.logs[0].message, 'line 50');
        assert.equal(state.logs[LOG_TAIL - 1].message, `line ${LOG_TAIL + 49}`);
        assert.equal(state.logs[0].source, 'runner-output');
    });

    it("keeps the runner's output printed before run_start, and drops the previous run", () => {
        let state = replay(completedRun);
        state = reduce(state, {
            v: 1,
            type: 'log',
            run_id: '',
            level: 'info',
            message: 'Loading olive...',
            source: 'runner-output',
        });
        state = replay(cachedRun, state);
        assert.equal(state.runId, cachedRun[0].run_id);
        assert.deepEqual(
            state.logs.map((l) => l.message),
            ['Loading olive...'],
        );
        assert.equal(state.training.length, 0);
    });
});

describe('progress', () => {
    const start = completedRun[0];
    const withProgress = (percentage: unknown, message: unknown): RunEvent =>
        ev('log', { level: 'info', message: 'x', progress: { percentage, message } });

    for (const [name, run] of [
        ['completed', completedRun],
        ['cached', cachedRun],
    ] as const) {
        it(`shows after each event of the ${name} run exactly the progress that event carries`, () => {
            let state = initialState();
            for (const [i, event] of run.entries()) {
                state = reduce(state, event);
                const carried = event.progress;
                assert.ok(carried !== undefined, `event ${i} (${event.type}) carries progress`);
                const shown = progress(state);
                assert.deepEqual(
                    { percentage: shown.percentage, message: shown.current, fraction: shown.fraction },
                    { percentage: carried.percentage, message: carried.message, fraction: carried.percentage / 100 },
                    `after event ${i} (${event.type})`,
                );
            }
        });
    }

    it('shows 0 and no message before any event carried progress (a runner older than events 1.1)', () => {
        assert.deepEqual(progress(initialState()), { fraction: 0, percentage: 0, current: '' });
        const { progress: _dropped, ...old } = start;
        const state = reduce(initialState(), old);
        assert.equal(state.status, 'running');
        assert.deepEqual(progress(state), { fraction: 0, percentage: 0, current: '' });
    });

    it('keeps the previous progress through an event without one or with a malformed one', () => {
        const state = replay(prefix(completedRun, (e) => e.type === 'train_step'));
        const before = progress(state);
        assert.ok(before.percentage > 0);
        const malformed: unknown[] = [
            undefined,
            null,
            'half',
            42,
            [],
            {},
            { percentage: 50 },
            { message: 'x' },
            { percentage: '50', message: 'x' },
            { percentage: 50.5, message: 'x' },
            { percentage: -1, message: 'x' },
            { percentage: 101, message: 'x' },
            { percentage: Number.NaN, message: 'x' },
            { percentage: 50, message: 7 },
        ];
        for (const value of malformed) {
            const next = reduce(state, ev('log', { level: 'info', message: 'x', progress: value }));
            assert.notEqual(next, state, 'the log line itself is applied');
            assert.deepEqual(progress(next), before, JSON.stringify(value) ?? String(value));
        }
        const next = reduce(state, withProgress(40, 'lora (LoRA) 1/3: step 9/16'));
        assert.deepEqual(progress(next), { fraction: 0.4, percentage: 40, current: 'lora (LoRA) 1/3: step 9/16' });
    });

    it('starts again from the new run_start', () => {
        const ended = replay(completedRun);
        assert.equal(progress(ended).percentage, 100);
        const { progress: _dropped, ...old } = cachedRun[0];
        assert.deepEqual(progress(reduce(ended, old)), { fraction: 0, percentage: 0, current: '' });
        assert.deepEqual(progress(reduce(ended, cachedRun[0])), { fraction: 0, percentage: 0, current: 'starting' });
    });

    it('keeps the ended run at its final progress while the next run prints its first lines', () => {
        const ended = replay(completedRun);
        const next = reduce(ended, {
            type: 'log',
            level: 'info',
            message: 'Loading olive...',
            source: 'runner-output',
            progress: { percentage: 0, message: 'starting' },
        });
        assert.notEqual(next, ended);
        assert.deepEqual(progress(next), { fraction: 1, percentage: 100, current: 'run completed' });
    });

    it('ignores the progress of an event it ignores', () => {
        const state = replay(prefix(completedRun, (e) => e.type === 'train_step'));
        const carrying = { percentage: 99, message: 'from elsewhere' };
        for (const event of [
            { v: 1, type: 'from_the_future', run_id: runId, progress: carrying },
            { v: 2, type: 'log', run_id: runId, level: 'info', message: 'x', progress: carrying },
            { v: 1, type: 'pass_start', run_id: runId, progress: carrying },
            { v: 1, type: 'log', run_id: 'an-older-run', level: 'info', message: 'x', progress: carrying },
        ]) {
            assert.equal(reduce(state, event), state, event.type);
        }
    });
});

describe('newer runners', () => {
    const state = replay(prefix(completedRun, (e) => e.type === 'pass_start'));

    it('ignores an event of a type it does not know: the same state object comes back', () => {
        const event = {
            v: 1,
            type: 'from_the_future',
            time: timeOf(completedRun[1]) + 1,
            run_id: runId,
            pass_name: 'lora',
            message: 'a type added by a newer minor version',
            progress: { percentage: 10, message: 'lora (LoRA) 1/3: warming up' },
        };
        assert.equal(reduce(state, event), state);
        assert.equal(reduce(state, JSON.parse(JSON.stringify(event))), state);
    });

    it('applies a known event that carries fields it does not know (a newer minor version)', () => {
        const step = ofType(completedRun, 'train_step')[0];
        const event = {
            ...step,
            gradient_norm: 0.42,
            gpu: { name: 'H200', memory_gb: 139 },
            progress: { percentage: 1, message: 'lora (LoRA) 1/3: step 1/16, loss 7.863', eta_s: 480 },
        };
        const next = reduce(state, event);
        assert.notEqual(next, state);
        assert.deepEqual(next.training[0].loss, [{ x: step.step, y: step.loss }]);
        assert.deepEqual(next.progress, { percentage: 1, message: 'lora (LoRA) 1/3: step 1/16, loss 7.863' });
        assert.equal(JSON.stringify(next).includes('gradient_norm'), false, 'unknown fields stay out of the state');
    });

    it('applies a pass_end with an unknown extra field and an extra progress field', () => {
        const end = ofType(completedRun, 'pass_end')[0];
        const next = reduce(state, { ...end, peak_memory_bytes: 123, progress: { ...end.progress, unit: 'pass' } });
        assert.equal(next.passes[0].status, 'done');
        assert.equal(next.passes[0].durationS, end.duration_s);
    });

    it('ignores every event of a newer major version, whatever it carries', () => {
        for (const v of [2, '2', '2.0', 3]) {
            for (const event of [
                {
                    v,
                    type: 'run_end',
                    run_id: runId,
                    status: 'completed',
                    progress: { percentage: 100, message: 'done' },
                },
                { v, type: 'log', run_id: runId, level: 'info', message: 'new' },
                { v, type: 'run_start', run_id: 'next', passes: [] },
            ]) {
                assert.equal(reduce(state, event), state, JSON.stringify(event));
            }
        }
    });
});

describe('robustness', () => {
    it('ignores malformed, unknown and newer-version events without throwing', () => {
        const state = replay(prefix(completedRun, (e) => e.type === 'train_step'));
        const junk: unknown[] = [
            null,
            undefined,
            42,
            'run_end',
            [],
            {},
            { type: 5 },
            { v: 1, type: 'pass_start' },
            { v: 1, type: 'pass_start', pass_name: 7 },
            { v: 1, type: 'train_step', pass_name: 'lora', step: 'ten', loss: 1 },
            { v: 1, type: 'train_step', pass_name: 'lora', step: Number.NaN, loss: 1 },
            { v: 1, type: 'metrics', stage: { name: 'x' } },
            { v: 1, type: 'artifact', path: null },
            { v: 1, type: 'log', message: { text: 'x' } },
            { v: 1, type: 'error', pass_name: 'lora' },
            { v: 1, type: 'checkpoint_saved', step: 4 },
            { v: 2, type: 'run_end', status: 'completed' },
            { v: '2.0', type: 'run_end', status: 'completed' },
            { v: 'one', type: 'run_end', status: 'completed' },
            { v: 1, type: 'run_end', run_id: 'an-older-run', status: 'failed', error: 'old' },
        ];
        for (const event of junk) {
            assert.equal(reduce(state, event), state, JSON.stringify(event) ?? String(event));
        }
    });

    it('reads odd field types as missing', () => {
        const state = reduce(initialState(), {
            v: 1,
            type: 'run_start',
            run_id: 'x',
            passes: 'lora, merge',
            migrated: [{ from: '0.6' }],
            config: 3,
        });
        assert.equal(state.status, 'running');
        assert.deepEqual(state.passes, []);
        assert.deepEqual(state.migrated, ['{"from":"0.6"}']);
        assert.equal(state.config, null);
    });

    it('accepts an event without v, run_id or time (the relay writes its own)', () => {
        const state = replay(prefix(completedRun, (e) => e.type === 'pass_start'));
        const next = reduce(state, {
            type: 'log',
            level: 'warning',
            message: 'unreadable event from the runner: {oops',
        });
        assert.equal(next.logs[next.logs.length - 1].message, 'unreadable event from the runner: {oops');
        assert.equal(next.logs[next.logs.length - 1].level, 'warning');
    });

    it('ignores a second run_end of the same run', () => {
        const state = replay(completedRun);
        assert.equal(reduce(state, ev('run_end', { status: 'failed', error: 'late' })), state);
    });

    it('gives the same state for the same events (a replay equals the live panel)', () => {
        let live: RunState = initialState();
        for (const event of completedRun) {
            live = reduce(live, JSON.parse(JSON.stringify(event)));
        }
        assert.deepEqual(replay(completedRun), live);
    });
});

describe('past runs', () => {
    it('lists the summaries newest first with their passes and metrics', () => {
        const runs = pastRuns(summaries);
        assert.deepEqual(
            runs.map((r) => r.id),
            ['a3560218', '8edb5ebc'],
        );
        const [full, cached] = runs;
        assert.deepEqual(
            full.passes.map((p) => [p.name, p.status]),
            [
                ['lora', 'done'],
                ['merge', 'done'],
                ['builder', 'done'],
            ],
        );
        assert.deepEqual(
            cached.passes.map((p) => p.status),
            ['cached', 'cached', 'cached'],
        );
        assert.deepEqual(
            full.metrics.map((m) => m.stage),
            ['input', 'fine_tuned', 'onnx_int4'],
        );
        assert.equal(full.metrics[2].kind, 'onnx'); // the summary has gen_kind, not kind
        assert.equal(full.outputModel?.path, '/home/dev/tone/out/model');
    });

    it('skips what is not a summary', () => {
        assert.deepEqual(pastRuns('nope'), []);
        const runs = pastRuns([
            null,
            3,
            { passes: [] },
            { status: 'failed', error: 'x', passes: [{ name: 5 }, 'lora'] },
        ]);
        assert.equal(runs.length, 1);
        assert.equal(runs[0].status, 'failed');
        assert.deepEqual(runs[0].passes, []);
    });
});
