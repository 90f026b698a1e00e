import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { RunEvent } from '../src/shared/model';
import { mount, type Mounted } from './dom-harness';
import { cachedRun, completedRun, ofType, prefix, summaries } from './fixtures';

const runId = completedRun[0].run_id ?? '';
const ev = (type: string, fields: Record<string, unknown> = {}): RunEvent => ({ v: 1, type, run_id: runId, ...fields });
const XSS = '<img src=x onerror=alert(1)>';

let open: Mounted[] = [];
function page(options: { now?: number; saved?: unknown } = {}): Mounted {
    const mounted = mount(options);
    open.push(mounted);
    return mounted;
}
afterEach(() => {
    open.forEach((m) => m.close());
    open = [];
});

function cells(m: Mounted, selector: string): string[][] {
    return [...m.root.querySelectorAll(`${selector} tbody tr`)].map((row) =>
        [...row.children].map((c) => c.textContent ?? ''),
    );
}

describe('run results view', () => {
    it('shows a completed run: header, timeline, metrics, artifacts', () => {
        const m = page();
        m.replay(completedRun);
        assert.deepEqual(m.text('h1'), ['Olive run: olive-config.json']);
        assert.deepEqual(m.text('.badge'), ['Completed']);
        assert.deepEqual(m.text('.elapsed'), ['took 56.0 s']);
        assert.deepEqual(
            [...m.root.querySelectorAll('.timeline li')].map((li) => [
                li.querySelector('.pass-name')?.textContent,
                li.querySelector('.pass-status')?.textContent,
                li.querySelector('.duration')?.textContent,
            ]),
            [
                ['lora', 'done', '39.7 s'],
                ['merge', 'done', '0.6 s'],
                ['builder', 'done', '6.8 s'],
            ],
        );
        const button = m.root.querySelector<HTMLButtonElement>('button.cancel');
        assert.ok(button?.hidden, 'no Cancel once the run ended');

        assert.deepEqual(m.text('#metrics thead th'), [
            'Model',
            'Format',
            'Accuracy',
            'Eval rows',
            'Size (MB)',
            'Tokens/s',
            'Latency (ms/token, p50)',
        ]);
        const rows = cells(m, '#metrics');
        assert.deepEqual(
            rows.map((r) => [r[0], r[1], r[2], r[3], r[4]]),
            [
                ['input', 'hf', '0.0 %', '8', '12.2'],
                ['fine_tuned', 'hf', '0.0 %', '8', '12.2'],
                ['onnx_int4', 'onnx', '0.0 %', '8', '2.8'],
            ],
        );
        const int4 = ofType(completedRun, 'metrics')[2];
        assert.equal(
            rows[2][5],
            Number(int4.gen_tokens_per_s).toLocaleString('en-US', {
                minimumFractionDigits: 1,
                maximumFractionDigits: 1,
            }),
        );
        assert.equal(m.root.querySelectorAll('#metrics tbody th[scope="row"]').length, 3);

        assert.deepEqual(m.text('.artifacts .artifact-label').slice(0, 2), ['Output model (onnx)', 'Pass lora']);
        assert.deepEqual(m.text('.artifacts button').slice(0, 1), ['/home/dev/tone/out/model']);
    });

    it('posts open with the path when an artifact is clicked', () => {
        const m = page();
        m.replay(completedRun);
        const link = [...m.root.querySelectorAll<HTMLButtonElement>('.artifacts button')].find(
            (b) => b.textContent === '/home/dev/tone/out/model',
        );
        link?.click();
        assert.deepEqual(m.posted, [{ type: 'open', path: '/home/dev/tone/out/model' }]);
    });

    it('shows cached passes as cached', () => {
        const m = page();
        m.replay(cachedRun);
        assert.deepEqual(m.text('.timeline .pass-status'), ['cached', 'cached', 'cached']);
        assert.equal(m.root.querySelectorAll('.timeline li.status-cached').length, 3);
        assert.ok(
            m.root.querySelector<HTMLElement>('#training')?.hidden,
            'no training section without train_step events',
        );
    });

    it('ticks the running pass and the run clock, and offers Cancel while running', () => {
        const events = prefix(completedRun, (e) => e.type === 'train_step');
        const passStart = events[1].time ?? 0;
        const m = page({ now: passStart + 75 });
        m.replay(events);
        assert.deepEqual(m.text('.badge'), ['Running']);
        assert.deepEqual(m.text('.timeline .pass-status'), ['running', 'pending', 'pending']);
        assert.deepEqual(m.text('.timeline .duration'), ['1 min 15 s', '', '']);
        const button = m.root.querySelector<HTMLButtonElement>('button.cancel');
        assert.ok(button !== null && !button.hidden);
        assert.equal(button.textContent, 'Cancel run');
        button.click();
        assert.deepEqual(m.posted, [{ type: 'cancel' }]);
        assert.equal(button.textContent, 'Cancelling…');
        assert.ok(button.disabled);

        m.stream([ev('run_end', { status: 'cancelled', error: 'cancelled by the user', duration_s: 80 })]);
        assert.ok(button.hidden);
        assert.deepEqual(m.text('.badge'), ['Cancelled']);
        assert.deepEqual(m.text('.timeline .pass-status'), ['cancelled', 'pending', 'pending']);
        assert.deepEqual(m.text('.banner pre'), ['cancelled by the user']);
    });

    it('feeds the train_step points to one chart, updated in place', () => {
        const m = page();
        const steps = ofType(completedRun, 'train_step');
        const firstStep = completedRun.indexOf(steps[0]);
        m.replay(completedRun.slice(0, firstStep + 1));
        m.stream(completedRun.slice(firstStep + 1));
        assert.equal(m.charts.length, 1, 'the chart is created once');
        const chart = m.charts[0];
        assert.ok(chart.updates.length > 1);
        const train = chart.series.find((s) => s.kind === 'train');
        const evalSeries = chart.series.find((s) => s.kind === 'eval');
        assert.deepEqual(
            train?.points,
            steps.filter((e) => typeof e.loss === 'number').map((e) => ({ x: e.step, y: e.loss })),
        );
        assert.deepEqual(
            evalSeries?.points.map((p) => p.x),
            [2, 4, 6, 8, 16],
        );
        assert.match(chart.canvas.getAttribute('aria-label') ?? '', /lora: loss 7\.\d+ at step 1 to 4\.\d+ at step 16/);
        // events after training (logs, metrics) do not touch the chart
        const updates = chart.updates.length;
        m.stream([ev('log', { level: 'info', message: 'after' })]);
        assert.equal(chart.updates.length, updates);
        assert.ok(m.text('#training dd').includes('3.0e-3'), 'the learning rate is shown');
    });

    it('renders runner strings as text, never as markup', () => {
        const m = page();
        m.replay(
            [
                { ...completedRun[0], passes: [{ name: XSS, type: XSS }], config: XSS, olive_version: XSS },
                ev('pass_start', { pass_name: XSS, pass_type: XSS, index: 0, total: 1 }),
                ev('log', { level: 'error', message: XSS, pass_name: XSS, source: XSS }),
                ev('train_step', { pass_name: XSS, step: 1, max_steps: 2, loss: 1 }),
                ev('error', { pass_name: XSS, message: XSS }),
                ev('pass_end', { pass_name: XSS, status: 'failed', duration_s: 1, artifact: XSS }),
                ev('metrics', { stage: XSS, kind: XSS, size_bytes: 1 }),
                ev('artifact', { role: 'output_model', kind: XSS, path: XSS, size_bytes: 1 }),
                ev('run_end', { status: 'failed', error: XSS, summary: XSS }),
            ],
            [
                {
                    run_id: XSS,
                    status: XSS,
                    error: XSS,
                    started: 1,
                    passes: [{ name: XSS, type: XSS, status: 'done' }],
                    metrics: { [XSS]: { size_bytes: 1 } },
                },
            ],
        );
        m.root.querySelector<HTMLButtonElement>('.history-toggle')?.click();
        assert.equal(m.doc.querySelectorAll('img').length, 0);
        assert.equal(m.doc.querySelectorAll('[onerror]').length, 0);
        const line = m.root.querySelector('.log-line.level-error .log-message');
        assert.equal(line?.textContent, XSS);
        assert.ok((m.root.querySelector('.history-details')?.textContent ?? '').includes(XSS));
        assert.ok(m.text('.banner pre').includes(XSS));
    });

    it('marks error lines and keeps the log to its tail', () => {
        const m = page();
        m.replay(completedRun.slice(0, 2));
        m.stream([
            ev('log', { level: 'warning', message: 'optim paged_adamw_32bit cannot run here' }),
            ev('log', { level: 'error', message: 'CUDA out of memory', pass_name: 'lora' }),
            ...Array.from({ length: 250 }, (_, i) =>
                ev('log', { level: 'info', message: `line ${i}`, source: 'runner-output' }),
            ),
        ]);
        assert.equal(m.root.querySelectorAll('.log-line').length, 200);
        assert.equal(m.text('.log-line .log-message').at(-1), 'line 249');
        m.replay(completedRun.slice(0, 2));
        m.stream([ev('log', { level: 'error', message: 'CUDA out of memory', pass_name: 'lora' })]);
        const error = m.root.querySelector('.log-line.level-error');
        assert.equal(error?.querySelector('.log-level')?.textContent, 'error');
        assert.equal(error?.querySelector('.log-origin')?.textContent, 'lora');
    });

    it('ignores malformed messages and events', () => {
        const m = page();
        m.replay(completedRun);
        const before = m.root.innerHTML;
        m.send(null, 'state', { type: 'state' }, { type: 'event' }, { type: 'event', event: 'x' }, { type: 'nope' });
        m.stream([{ type: 'mystery' } as RunEvent, { v: 3, type: 'run_end', status: 'failed' } as RunEvent]);
        assert.equal(m.root.innerHTML, before);
    });

    it('gives the same DOM for a live stream and for a replay of the same events', () => {
        const live = page();
        live.replay([]);
        live.stream(completedRun);
        const replayed = page();
        replayed.replay(completedRun);
        assert.equal(replayed.root.innerHTML, live.root.innerHTML);
        replayed.replay(completedRun);
        assert.equal(replayed.root.innerHTML, live.root.innerHTML, 'a second replay changes nothing');
    });

    it('lists past runs newest first and shows one read-only when clicked', () => {
        const m = page();
        m.replay([], summaries);
        const toggles = [...m.root.querySelectorAll<HTMLButtonElement>('.history-toggle')];
        assert.equal(toggles.length, 2);
        assert.match(toggles[0].textContent ?? '', /completed · 56\.0 s · 3 passes$/);
        assert.match(toggles[1].textContent ?? '', /completed · 21\.0 s · 3 passes$/);
        assert.equal(toggles[0].getAttribute('aria-expanded'), 'false');
        assert.equal(m.root.querySelector<HTMLElement>('.empty')?.hidden, true);

        toggles[1].click();
        const opened = m.root.querySelector<HTMLButtonElement>('.history-toggle[aria-expanded="true"]');
        assert.ok(opened?.textContent?.includes('21.0 s'));
        const details = m.root.querySelector<HTMLElement>('.history-details:not([hidden])');
        assert.ok(details !== null);
        assert.deepEqual(
            [...details.querySelectorAll('table.passes tbody tr')].map((r) => r.children[2].textContent),
            ['cached', 'cached', 'cached'],
        );
        assert.deepEqual(
            [...details.querySelectorAll('table.metrics tbody th')].map((c) => c.textContent),
            ['input', 'fine_tuned', 'onnx_int4'],
        );
        assert.equal(details.querySelectorAll('input, textarea, [contenteditable]').length, 0);
    });

    it('shows the empty state before any run, and history sent later', () => {
        const m = page();
        m.replay([]);
        assert.equal(m.root.querySelector<HTMLElement>('.empty')?.hidden, false);
        m.send({ type: 'history', history: summaries });
        assert.equal(m.root.querySelectorAll('.history-toggle').length, 2);
        assert.equal(m.root.querySelector<HTMLElement>('.empty')?.hidden, true);
    });

    it('draws from the saved state before the host replays', () => {
        const first = page();
        first.replay(completedRun, summaries);
        const saved = first.saved;
        assert.ok(saved !== undefined);
        const second = page({ saved });
        assert.equal(second.root.innerHTML, first.root.innerHTML);
        second.send({ type: 'state', config: saved.config ?? { uri: '', name: '' }, events: [], history: [] });
        assert.deepEqual(second.text('.badge'), ['Completed']); // a host without events (after a reload) keeps it
        second.send({ type: 'state', config: { uri: 'file:///other/olive-config.json', name: 'x' }, events: [], history: [] });
        assert.deepEqual(second.text('.badge'), ['Not started']);
        const broken = page({ saved: { version: 1, config: null, run: { passes: 'x' }, history: [] } });
        assert.deepEqual(broken.text('.badge'), ['Not started']);
    });

    it('shows the progress the events carry in the bar and its label', () => {
        const m = page();
        const events = prefix(completedRun, (e) => e.type === 'train_step' && e.step === 8 && e.loss !== null);
        m.replay(events);
        const carried = events[events.length - 1].progress;
        assert.ok(carried !== undefined);
        const bar = m.root.querySelector<HTMLProgressElement>('progress');
        const row = m.root.querySelector<HTMLElement>('.progress-row');
        assert.ok(bar !== null && row !== null && !row.hidden);
        assert.equal(bar.value, carried.percentage / 100);
        assert.equal(bar.getAttribute('aria-valuetext'), `${carried.percentage} %`);
        assert.deepEqual(m.text('.progress-label'), [`${carried.percentage} % · ${carried.message}`]);

        m.stream(completedRun.slice(events.length));
        assert.equal(bar.value, 1);
        assert.deepEqual(m.text('.progress-label'), ['100 % · run completed']);

        const refused = page();
        refused.replay([ev('run_end', { run_id: 'r1', status: 'refused', problems: ['x:1:1: error OS101: no'] })]);
        const refusedRow = refused.root.querySelector<HTMLElement>('.progress-row');
        assert.ok(refusedRow?.hidden, 'no bar for a run that never started');
    });

    it('uses headings, labelled sections and table headers', () => {
        const m = page();
        m.replay(completedRun, summaries);
        assert.equal(m.root.querySelectorAll('h1').length, 1);
        for (const section of m.root.querySelectorAll('section')) {
            const id = section.getAttribute('aria-labelledby');
            assert.ok(id !== null && m.doc.getElementById(id)?.tagName === 'H2', section.id);
        }
        for (const button of m.root.querySelectorAll('button')) {
            assert.ok((button.textContent ?? '').trim() !== '' || button.hasAttribute('aria-label'));
        }
        assert.equal(m.root.querySelector('progress')?.getAttribute('aria-label'), 'Run progress');
    });
});
