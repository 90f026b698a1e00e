/**
 * Mounts the webview's app in jsdom with a fake VS Code API and a fake chart, as the webview page would
 * (the same markup panelHtml serves: `<main id="app">`).
 */

import { JSDOM } from 'jsdom';
import { ResultsApp, type PersistedState, type WebviewApi } from '../src/webview/app';
import type { RunEvent, RunSummary } from '../src/shared/model';
import type { ConfigRef, WebviewMessage } from '../src/shared/protocol';
import type { ChartSeries, LossChart } from '../src/webview/view';

export const CONFIG: ConfigRef = { uri: 'file:///home/dev/tone/olive-config.json', name: 'olive-config.json' };

/** Records what the view gives the chart: how many charts it made and each series update. */
export class FakeChart implements LossChart {
    static created = 0;
    updates: (readonly ChartSeries[])[] = [];
    destroyed = false;

    constructor(readonly canvas: HTMLCanvasElement) {
        FakeChart.created += 1;
    }

    get series(): readonly ChartSeries[] {
        return this.updates[this.updates.length - 1] ?? [];
    }

    setSeries(series: readonly ChartSeries[]): void {
        this.updates.push(series);
    }

    refreshTheme(): void {}

    destroy(): void {
        this.destroyed = true;
    }
}

export interface Mounted {
    readonly dom: JSDOM;
    readonly doc: Document;
    readonly root: HTMLElement;
    readonly app: ResultsApp;
    readonly posted: WebviewMessage[];
    readonly charts: FakeChart[];
    readonly saved: PersistedState | undefined;
    /** Sends host messages, then renders and saves (as the next animation frame would). */
    send(...messages: unknown[]): void;
    replay(events: readonly RunEvent[], history?: readonly RunSummary[]): void;
    stream(events: readonly RunEvent[]): void;
    text(selector: string): string[];
    close(): void;
}

export function mount(options: { now?: number; saved?: unknown } = {}): Mounted {
    const dom = new JSDOM('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
    const doc = dom.window.document;
    const root = doc.getElementById('app');
    if (root === null) {
        throw new Error('no #app');
    }
    const posted: WebviewMessage[] = [];
    const charts: FakeChart[] = [];
    let saved: PersistedState | undefined;
    const api: WebviewApi = {
        postMessage: (message) => posted.push(message),
        getState: () => options.saved,
        setState: (state) => {
            saved = JSON.parse(JSON.stringify(state)) as PersistedState;
        },
    };
    const now = options.now;
    const app = new ResultsApp({
        root,
        api,
        chart: (canvas) => {
            const chart = new FakeChart(canvas);
            charts.push(chart);
            return chart;
        },
        now: now === undefined ? undefined : () => now,
        schedule: (task) => task(),
    });
    const send = (...messages: unknown[]): void => {
        for (const message of messages) {
            app.receive(message);
        }
        app.flush();
    };
    return {
        dom,
        doc,
        root,
        app,
        posted,
        charts,
        get saved() {
            return saved;
        },
        send,
        replay: (events, history = []) => send({ type: 'state', config: CONFIG, events, history }),
        stream: (events) => send(...events.map((event) => ({ type: 'event', event }))),
        text: (selector) => [...root.querySelectorAll(selector)].map((e) => e.textContent ?? ''),
        close: () => {
            app.dispose();
            dom.window.close();
        },
    };
}
