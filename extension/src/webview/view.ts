/**
 * Renders the panel's model into the webview DOM: header, pass timeline, training chart, metrics, artifacts,
 * log tail and past runs.
 *
 * The layout is built once; `render` then updates only the sections whose slice of the (immutably updated)
 * state changed, compared by reference: a `train_step` touches the chart and nothing else, a log line appends
 * one element. Every runner string goes in as text (dom.ts). The chart library is injected (`LossChartFactory`)
 * so that this module has no canvas dependency and tests can look at the data the chart receives.
 */

import { append, el, replaceChildren, setHidden, setText, table } from './dom';
import {
    formatClock,
    formatDateTime,
    formatDuration,
    formatMegabytes,
    formatNumber,
    formatPercent,
    formatRate,
} from '../shared/format';
import {
    artifactLinks,
    currentLearningRate,
    isRunning,
    passTimeline,
    progress,
    runElapsed,
    type LogLine,
    type MetricsRow,
    type PassState,
    type PassStatus,
    type PastRun,
    type Point,
    type RunState,
    type RunStatus,
    type TimelineRow,
    type TrainingState,
} from '../shared/model';
import type { ConfigRef, WebviewMessage } from '../shared/protocol';

/** One curve of the loss chart. */
export interface ChartSeries {
    readonly label: string;
    readonly kind: 'train' | 'eval';
    /** Index of the fine-tuning pass, so both curves of a pass share a colour family. */
    readonly group: number;
    readonly points: readonly Point[];
}

/** The loss chart as the view uses it: created once, then fed new series. */
export interface LossChart {
    setSeries(series: readonly ChartSeries[]): void;
    /** Re-reads the theme colours (the user switched between dark and light). */
    refreshTheme(): void;
    destroy(): void;
}

export type LossChartFactory = (canvas: HTMLCanvasElement) => LossChart;

export interface ViewModel {
    readonly config: ConfigRef | null;
    readonly run: RunState;
    readonly history: readonly PastRun[];
}

export interface ViewOptions {
    /** Sends a message to the host (`open`, `cancel`). */
    readonly post: (message: WebviewMessage) => void;
    readonly chart: LossChartFactory;
}

const STATUS_TEXT: Readonly<Record<RunStatus, string>> = {
    idle: 'Not started',
    running: 'Running',
    completed: 'Completed',
    failed: 'Failed',
    refused: 'Refused',
    cancelled: 'Cancelled',
};

/** Icons are decoration (aria-hidden); the status is also written out in words. */
const PASS_ICON: Readonly<Record<PassStatus, string>> = {
    pending: '○',
    running: '◐',
    cached: '↺',
    done: '✓',
    failed: '✗',
    cancelled: '⊘',
};

interface PassRow {
    readonly item: HTMLLIElement;
    readonly icon: HTMLSpanElement;
    readonly status: HTMLSpanElement;
    readonly duration: HTMLSpanElement;
}

export class RunView {
    private readonly doc: Document;
    private readonly title: HTMLHeadingElement;
    private readonly badge: HTMLSpanElement;
    private readonly elapsed: HTMLSpanElement;
    private readonly meta: HTMLParagraphElement;
    private readonly progressBar: HTMLProgressElement;
    private readonly progressLabel: HTMLSpanElement;
    private readonly progressRow: HTMLDivElement;
    private readonly cancelButton: HTMLButtonElement;
    private readonly banner: HTMLDivElement;
    private readonly empty: HTMLParagraphElement;
    private readonly passesSection: HTMLElement;
    private readonly timeline: HTMLOListElement;
    private readonly trainingSection: HTMLElement;
    private readonly trainingStats: HTMLDivElement;
    private readonly canvas: HTMLCanvasElement;
    private readonly metricsSection: HTMLElement;
    private readonly metricsNote: HTMLParagraphElement;
    private readonly metricsBody: HTMLDivElement;
    private readonly artifactsSection: HTMLElement;
    private readonly artifactList: HTMLUListElement;
    private readonly logSection: HTMLElement;
    private readonly logList: HTMLOListElement;
    private readonly historySection: HTMLElement;
    private readonly historyList: HTMLUListElement;

    private chart: LossChart | null = null;
    private passRows = new Map<string, PassRow>();
    private renderedLines = new Map<LogLine, HTMLLIElement>();
    private last: { model: ViewModel; second: number } | null = null;
    private artifactsKey = '';
    private bannerKey: readonly unknown[] | null = null;
    private cancelRequestedFor: string | null = null;
    private expandedRun: string | null = null;

    constructor(
        root: HTMLElement,
        private readonly options: ViewOptions,
    ) {
        const doc = root.ownerDocument;
        this.doc = doc;
        this.title = el(doc, 'h1', {}, 'Olive run');
        this.badge = el(doc, 'span', { class: 'badge status-idle', role: 'status' }, STATUS_TEXT.idle);
        this.elapsed = el(doc, 'span', { class: 'elapsed' });
        this.meta = el(doc, 'p', { class: 'meta' });
        this.progressBar = el(doc, 'progress', { max: '1', value: '0', 'aria-label': 'Run progress' });
        this.progressLabel = el(doc, 'span', { class: 'progress-label' });
        this.progressRow = el(doc, 'div', { class: 'progress-row' }, this.progressBar, this.progressLabel);
        this.cancelButton = el(doc, 'button', { type: 'button', class: 'cancel', hidden: true }, 'Cancel run');
        this.cancelButton.addEventListener('click', () => this.cancel());
        this.banner = el(doc, 'div', { class: 'banner', hidden: true });
        this.empty = el(
            doc,
            'p',
            { class: 'empty' },
            'No run yet. Run this config with “Olive Studio: Run Locally”; its progress, training loss, metrics and artifacts show here.',
        );
        const header = el(
            doc,
            'header',
            { class: 'run-header' },
            el(doc, 'div', { class: 'title-row' }, this.title, this.cancelButton),
            el(doc, 'p', { class: 'status-row' }, this.badge, this.elapsed),
            this.meta,
            this.progressRow,
            this.banner,
            this.empty,
        );

        this.timeline = el(doc, 'ol', { class: 'timeline' });
        this.passesSection = section(doc, 'passes', 'Passes', this.timeline);

        this.trainingStats = el(doc, 'div', { class: 'train-stats' });
        this.canvas = el(doc, 'canvas', { role: 'img', 'aria-label': 'Training loss by step' });
        this.trainingSection = section(
            doc,
            'training',
            'Training loss',
            this.trainingStats,
            el(doc, 'div', { class: 'chart-box' }, this.canvas),
        );

        this.metricsNote = el(doc, 'p', { class: 'note' });
        this.metricsBody = el(doc, 'div', { class: 'table-box' });
        this.metricsSection = section(doc, 'metrics', 'Evaluation and model sizes', this.metricsNote, this.metricsBody);

        this.artifactList = el(doc, 'ul', { class: 'artifacts' });
        this.artifactsSection = section(doc, 'artifacts', 'Artifacts', this.artifactList);

        // role=log would announce every line; the tail scrolls fast, so it stays silent for screen readers.
        this.logList = el(doc, 'ol', {
            class: 'log-lines',
            'aria-live': 'off',
            tabindex: '0',
            'aria-label': 'Log tail',
        });
        this.logSection = section(doc, 'log', 'Log', this.logList);

        this.historyList = el(doc, 'ul', { class: 'history' });
        this.historySection = section(doc, 'history', 'Past runs', this.historyList);

        replaceChildren(
            root,
            header,
            this.passesSection,
            this.trainingSection,
            this.metricsSection,
            this.artifactsSection,
            this.logSection,
            this.historySection,
        );
    }

    /** Brings the DOM in line with `model`; `now` (Unix s) drives the running clocks. */
    render(model: ViewModel, now: number): void {
        const previous = this.last;
        const second = Math.floor(now);
        const run = model.run;
        const prevRun = previous?.model.run;
        const ticked = previous === null || previous.second !== second;
        if (prevRun !== run || previous?.model.config !== model.config || (ticked && isRunning(run))) {
            this.renderHeader(model, now);
        }
        if (prevRun?.passes !== run.passes || (ticked && isRunning(run))) {
            this.renderTimeline(passTimeline(run, now));
        }
        if (prevRun?.training !== run.training) {
            this.renderTraining(run.training);
        }
        if (
            prevRun?.metrics !== run.metrics ||
            prevRun?.evalStages !== run.evalStages ||
            prevRun?.status !== run.status
        ) {
            this.renderMetrics(run);
        }
        if (prevRun !== run) {
            this.renderArtifacts(run);
        }
        if (prevRun?.logs !== run.logs) {
            this.renderLog(run.logs);
        }
        if (previous?.model.history !== model.history) {
            this.renderHistory(model.history);
        }
        setHidden(this.empty, run.status !== 'idle' || model.history.length > 0);
        this.last = { model, second };
    }

    /** Forgets what was rendered, so the next render rebuilds every section (after a full replay). */
    reset(): void {
        this.last = null;
        this.artifactsKey = '';
        this.bannerKey = null;
        this.passRows.clear();
        this.timeline.replaceChildren();
        this.renderedLines.clear();
        this.logList.replaceChildren();
    }

    refreshTheme(): void {
        this.chart?.refreshTheme();
    }

    dispose(): void {
        this.chart?.destroy();
        this.chart = null;
    }

    // ------------------------------------------------------------------------------------------ header

    private renderHeader(model: ViewModel, now: number): void {
        const run = model.run;
        const name = model.config?.name ?? (run.config !== null ? baseName(run.config) : '');
        setText(this.title, name === '' ? 'Olive run' : `Olive run: ${name}`);
        setText(this.badge, STATUS_TEXT[run.status]);
        this.badge.className = `badge status-${run.status}`;
        const seconds = runElapsed(run, now);
        setText(
            this.elapsed,
            seconds === null ? '' : `${isRunning(run) ? 'elapsed' : 'took'} ${formatDuration(seconds)}`,
        );

        const facts: string[] = [];
        if (run.oliveVersion !== null) {
            facts.push(`Olive ${run.oliveVersion}`);
        }
        if (run.startedAt !== null) {
            facts.push(`started ${formatDateTime(run.startedAt)}`);
        }
        if (run.migrated.length > 0) {
            facts.push(`migrated in memory: ${run.migrated.join('; ')}`);
        }
        setText(this.meta, facts.join(' · '));
        setHidden(this.meta, facts.length === 0);

        // The runner's own numbers (carried by its events), so the bar agrees with the status bar and the CLI. A
        // refused run never started: its problems say why, a bar would say nothing.
        const p = progress(run);
        setHidden(this.progressRow, run.status === 'idle' || run.status === 'refused');
        this.progressBar.value = p.fraction;
        this.progressBar.setAttribute('aria-valuetext', `${p.percentage} %`);
        setText(this.progressLabel, `${p.percentage} %${p.current === '' ? '' : ` · ${p.current}`}`);

        if (!isRunning(run) || this.cancelRequestedFor !== run.runId) {
            this.cancelRequestedFor = null;
        }
        setHidden(this.cancelButton, !isRunning(run));
        this.cancelButton.disabled = this.cancelRequestedFor !== null;
        setText(this.cancelButton, this.cancelRequestedFor !== null ? 'Cancelling…' : 'Cancel run');

        this.renderBanner(run);
    }

    private renderBanner(run: RunState): void {
        const key = [run.status, run.error, run.problems, run.errors] as const;
        if (this.bannerKey !== null && key.every((part, i) => part === this.bannerKey?.[i])) {
            return; // unchanged: re-inserting an alert's text could announce it again
        }
        this.bannerKey = key;
        const children: (Node | string)[] = [];
        if (run.status === 'refused') {
            children.push(el(this.doc, 'p', {}, 'The config has errors; the run did not start:'));
            children.push(el(this.doc, 'ul', {}, ...run.problems.map((problem) => el(this.doc, 'li', {}, problem))));
        }
        if (run.error !== null) {
            children.push(el(this.doc, 'pre', {}, run.error));
        } else if (run.status === 'failed' && run.errors.length > 0) {
            const last = run.errors[run.errors.length - 1];
            children.push(
                el(this.doc, 'pre', {}, last.passName === null ? last.message : `${last.passName}: ${last.message}`),
            );
        }
        replaceChildren(this.banner, ...children);
        this.banner.className = `banner ${run.status === 'cancelled' ? 'info' : 'error'}`;
        // role=alert announces an error once, when it appears; a cancellation is the user's own doing.
        if (run.status === 'cancelled') {
            this.banner.removeAttribute('role');
        } else {
            this.banner.setAttribute('role', 'alert');
        }
        setHidden(this.banner, children.length === 0);
    }

    private cancel(): void {
        const run = this.last?.model.run;
        if (run === undefined || !isRunning(run)) {
            return;
        }
        this.cancelRequestedFor = run.runId;
        this.cancelButton.disabled = true;
        setText(this.cancelButton, 'Cancelling…');
        this.options.post({ type: 'cancel' });
    }

    // ------------------------------------------------------------------------------------------ passes

    private renderTimeline(rows: readonly TimelineRow[]): void {
        setHidden(this.passesSection, rows.length === 0);
        const names = rows.map((r) => r.name);
        if (names.length !== this.passRows.size || names.some((name) => !this.passRows.has(name))) {
            this.passRows.clear();
            this.timeline.replaceChildren(...rows.map((row) => this.passRow(row).item));
        }
        for (const row of rows) {
            const parts = this.passRows.get(row.name);
            if (parts === undefined) {
                continue;
            }
            parts.item.className = `pass status-${row.status}`;
            setText(parts.icon, PASS_ICON[row.status]);
            setText(parts.status, row.status);
            setText(parts.duration, row.status === 'pending' ? '' : formatDuration(row.seconds));
        }
    }

    private passRow(row: TimelineRow): PassRow {
        const doc = this.doc;
        const icon = el(doc, 'span', { class: 'icon', 'aria-hidden': 'true' });
        const status = el(doc, 'span', { class: 'pass-status' });
        const duration = el(doc, 'span', { class: 'duration' });
        const item = el(
            doc,
            'li',
            { class: 'pass' },
            icon,
            el(doc, 'span', { class: 'pass-name' }, row.name),
            el(doc, 'span', { class: 'pass-type' }, row.type),
            status,
            duration,
        );
        const parts = { item, icon, status, duration };
        this.passRows.set(row.name, parts);
        return parts;
    }

    // ------------------------------------------------------------------------------------------ training

    private renderTraining(training: readonly TrainingState[]): void {
        const shown = training.filter((t) => t.loss.length + t.evalLoss.length > 0 || t.result !== null);
        setHidden(this.trainingSection, shown.length === 0);
        if (shown.length === 0) {
            this.chart?.setSeries([]);
            return;
        }
        replaceChildren(this.trainingStats, ...shown.map((t) => this.trainingFacts(t)));
        const series: ChartSeries[] = [];
        shown.forEach((t, group) => {
            const prefix = shown.length > 1 ? `${t.passName} ` : '';
            series.push({ label: `${prefix}training loss`, kind: 'train', group, points: t.loss });
            if (t.evalLoss.length > 0) {
                series.push({ label: `${prefix}eval loss`, kind: 'eval', group, points: t.evalLoss });
            }
        });
        // Created on first data, when the section is visible: the chart sizes itself from its box.
        this.chart ??= this.options.chart(this.canvas);
        this.chart.setSeries(series);
        this.canvas.setAttribute('aria-label', chartDescription(shown));
    }

    private trainingFacts(t: TrainingState): HTMLElement {
        const facts: [string, string][] = [];
        if (t.step !== null) {
            facts.push(['step', t.maxSteps !== null ? `${t.step}/${t.maxSteps}` : String(t.step)]);
        }
        if (t.epoch !== null) {
            facts.push(['epoch', formatNumber(t.epoch, 2)]);
        }
        const loss = lastY(t.loss);
        if (loss !== null) {
            facts.push(['loss', formatNumber(loss, 3)]);
        }
        const evalLoss = lastY(t.evalLoss);
        if (evalLoss !== null) {
            facts.push(['eval loss', formatNumber(evalLoss, 3)]);
        }
        const lr = currentLearningRate(t);
        if (lr !== null) {
            facts.push(['learning rate', formatRate(lr)]);
        }
        if (t.tokensSeen !== null) {
            facts.push(['tokens', formatNumber(t.tokensSeen, 0)]);
        }
        if (t.result?.tokensPerSecond != null) {
            facts.push(['tokens/s', formatNumber(t.result.tokensPerSecond, 0)]);
        }
        if (t.result?.runtimeS != null) {
            facts.push(['trained in', formatDuration(t.result.runtimeS)]);
        }
        return el(
            this.doc,
            'dl',
            { class: 'facts', 'aria-label': `Training of ${t.passName}` },
            el(
                this.doc,
                'div',
                { class: 'fact pass-label' },
                el(this.doc, 'dt', {}, 'pass'),
                el(this.doc, 'dd', {}, t.passName),
            ),
            ...facts.map(([term, value]) =>
                el(this.doc, 'div', { class: 'fact' }, el(this.doc, 'dt', {}, term), el(this.doc, 'dd', {}, value)),
            ),
        );
    }

    // ------------------------------------------------------------------------------------------ metrics

    private renderMetrics(run: RunState): void {
        const waiting = run.evalStages?.filter((stage) => !run.metrics.some((m) => m.stage === stage)) ?? [];
        setHidden(
            this.metricsSection,
            run.metrics.length === 0 && (run.evalStages === null || run.evalStages.length === 0),
        );
        setText(
            this.metricsNote,
            waiting.length > 0 && isRunning(run) ? `Evaluating: ${waiting.join(', ')} still to measure.` : '',
        );
        setHidden(this.metricsNote, this.metricsNote.textContent === '');
        replaceChildren(this.metricsBody, run.metrics.length > 0 ? metricsTable(this.doc, run.metrics) : null);
    }

    // ------------------------------------------------------------------------------------------ artifacts

    private renderArtifacts(run: RunState): void {
        const links = artifactLinks(run);
        const key = JSON.stringify(links);
        if (key === this.artifactsKey) {
            return; // unchanged: keep the elements (and the keyboard focus on them)
        }
        this.artifactsKey = key;
        setHidden(this.artifactsSection, links.length === 0);
        replaceChildren(
            this.artifactList,
            ...links.map((link) =>
                el(
                    this.doc,
                    'li',
                    {},
                    el(
                        this.doc,
                        'span',
                        { class: 'artifact-label' },
                        link.detail === null ? link.label : `${link.label} (${link.detail})`,
                    ),
                    this.pathLink(link.path, `Open ${link.label}`),
                ),
            ),
        );
    }

    /** A path the user can click: a button (it acts in the editor, it navigates nowhere) styled as a link. */
    private pathLink(path: string, label: string): HTMLButtonElement {
        const button = el(this.doc, 'button', { type: 'button', class: 'link path', title: `${label}: ${path}` }, path);
        button.addEventListener('click', () => this.options.post({ type: 'open', path }));
        return button;
    }

    // ------------------------------------------------------------------------------------------ log

    /** Appends new lines and drops the ones that left the tail, keyed by line object (see model.appendLog). */
    private renderLog(logs: readonly LogLine[]): void {
        setHidden(this.logSection, logs.length === 0);
        const keep = new Set(logs);
        for (const [line, item] of this.renderedLines) {
            if (!keep.has(line)) {
                item.remove();
                this.renderedLines.delete(line);
            }
        }
        const atBottom = this.logList.scrollTop + this.logList.clientHeight >= this.logList.scrollHeight - 4;
        const fresh = logs.filter((line) => !this.renderedLines.has(line));
        for (const line of fresh) {
            const item = this.logItem(line);
            this.renderedLines.set(line, item);
            this.logList.append(item);
        }
        if (fresh.length > 0 && atBottom) {
            this.logList.scrollTop = this.logList.scrollHeight;
        }
    }

    private logItem(line: LogLine): HTMLLIElement {
        const doc = this.doc;
        const origin = line.passName ?? line.source;
        return el(
            doc,
            'li',
            { class: `log-line level-${line.level}` },
            el(doc, 'span', { class: 'log-time' }, formatClock(line.time)),
            line.level === 'warning' || line.level === 'error'
                ? el(doc, 'span', { class: 'log-level' }, line.level)
                : null,
            origin !== null ? el(doc, 'span', { class: 'log-origin' }, origin) : null,
            el(doc, 'span', { class: 'log-message' }, line.message),
        );
    }

    // ------------------------------------------------------------------------------------------ past runs

    private renderHistory(history: readonly PastRun[]): void {
        setHidden(this.historySection, history.length === 0);
        if (this.expandedRun !== null && !history.some((r) => r.id === this.expandedRun)) {
            this.expandedRun = null;
        }
        replaceChildren(this.historyList, ...history.map((run, index) => this.historyItem(run, index)));
    }

    private historyItem(run: PastRun, index: number): HTMLLIElement {
        const doc = this.doc;
        const expanded = this.expandedRun === run.id;
        const detailsId = `past-run-${index}`;
        const summary = [
            formatDateTime(run.started),
            run.status,
            formatDuration(run.durationS),
            `${run.passes.length} ${run.passes.length === 1 ? 'pass' : 'passes'}`,
        ].join(' · ');
        const toggle = el(
            doc,
            'button',
            {
                type: 'button',
                class: `history-toggle status-${run.status}`,
                'aria-expanded': String(expanded),
                'aria-controls': detailsId,
            },
            summary,
        );
        const details = el(doc, 'div', { class: 'history-details', id: detailsId, hidden: !expanded });
        if (expanded) {
            append(details, this.pastRunDetails(run));
        }
        toggle.addEventListener('click', () => {
            this.expandedRun = this.expandedRun === run.id ? null : run.id;
            const history = this.last?.model.history ?? [];
            this.renderHistory(history);
            // the list was rebuilt: give the keyboard focus back to the same run's button
            this.historyList.querySelector<HTMLButtonElement>(`button[aria-controls="${detailsId}"]`)?.focus();
        });
        return el(doc, 'li', {}, toggle, details);
    }

    private pastRunDetails(run: PastRun): (Node | string)[] {
        const doc = this.doc;
        const parts: (Node | string)[] = [];
        const facts = [`run ${run.id}`];
        if (run.oliveVersion !== null) {
            facts.push(`Olive ${run.oliveVersion}`);
        }
        if (run.migrated.length > 0) {
            facts.push(`migrated in memory: ${run.migrated.join('; ')}`);
        }
        parts.push(el(doc, 'p', { class: 'meta' }, facts.join(' · ')));
        if (run.error !== null) {
            parts.push(el(doc, 'pre', { class: 'banner error' }, run.error));
        }
        if (run.passes.length > 0) {
            parts.push(el(doc, 'h3', {}, 'Passes'), passesTable(doc, run.passes));
        }
        if (run.metrics.length > 0) {
            parts.push(el(doc, 'h3', {}, 'Evaluation and model sizes'), metricsTable(doc, run.metrics));
        }
        if (run.outputModel !== null) {
            const kind = run.outputModel.kind === null ? '' : ` (${run.outputModel.kind})`;
            parts.push(
                el(doc, 'h3', {}, 'Output model'),
                el(
                    doc,
                    'p',
                    {},
                    el(doc, 'span', { class: 'artifact-label' }, `Output model${kind}`),
                    this.pathLink(run.outputModel.path, 'Open output model'),
                ),
            );
        }
        return parts;
    }
}

// ------------------------------------------------------------------------------------------------ helpers

function section(doc: Document, id: string, heading: string, ...body: Node[]): HTMLElement {
    const headingId = `${id}-heading`;
    return el(
        doc,
        'section',
        { id, 'aria-labelledby': headingId, hidden: true },
        el(doc, 'h2', { id: headingId }, heading),
        ...body,
    );
}

function metricsTable(doc: Document, rows: readonly MetricsRow[]): HTMLTableElement {
    return table(
        doc,
        'Metrics per measured model',
        [
            { label: 'Model' },
            { label: 'Format' },
            { label: 'Accuracy', numeric: true },
            { label: 'Eval rows', numeric: true },
            { label: 'Size (MB)', numeric: true },
            { label: 'Tokens/s', numeric: true },
            { label: 'Latency (ms/token, p50)', numeric: true },
        ],
        rows.map((m) => [
            m.stage,
            m.kind ?? '—',
            formatPercent(m.accuracy),
            formatNumber(m.evalRows, 0),
            formatMegabytes(m.sizeBytes),
            formatNumber(m.tokensPerS, 1),
            formatNumber(m.latencyMs, 2),
        ]),
        'metrics',
    );
}

function passesTable(doc: Document, passes: readonly PassState[]): HTMLTableElement {
    return table(
        doc,
        'Passes of this run',
        [{ label: 'Pass' }, { label: 'Type' }, { label: 'Status' }, { label: 'Duration', numeric: true }],
        passes.map((p) => [p.name, p.type, p.status, formatDuration(p.durationS)]),
        'passes',
    );
}

function chartDescription(training: readonly TrainingState[]): string {
    const parts = training.map((t) => {
        const first = t.loss[0];
        const last = t.loss[t.loss.length - 1];
        return first === undefined
            ? `${t.passName}: no training loss yet`
            : `${t.passName}: loss ${first.y.toFixed(3)} at step ${first.x} to ${last.y.toFixed(3)} at step ${last.x}`;
    });
    return `Training loss by step. ${parts.join('; ')}`;
}

function lastY(points: readonly Point[]): number | null {
    return points.length === 0 ? null : points[points.length - 1].y;
}

function baseName(path: string): string {
    const parts = path.split(/[\\/]/);
    return parts[parts.length - 1] ?? path;
}
