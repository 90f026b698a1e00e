/**
 * The webview's controller: applies the host's messages to the model, renders (at most once per animation
 * frame, however fast events arrive), keeps the running clocks ticking, and saves the state with
 * `setState` so a hidden-then-shown panel draws at once, before the host's replay arrives.
 *
 * Separate from webview.ts (which only wires `acquireVsCodeApi`, the window and Chart.js) so that tests can
 * drive it in jsdom with a fake API and a fake chart.
 */

import { initialState, isRunning, pastRuns, reduce, replay, type PastRun, type RunState } from '../shared/model';
import { parseHostMessage, type ConfigRef, type WebviewMessage } from '../shared/protocol';
import { RunView, type LossChartFactory, type ViewModel } from './view';

/** The part of the object `acquireVsCodeApi()` returns that the panel uses. */
export interface WebviewApi {
    postMessage(message: WebviewMessage): void;
    getState(): unknown;
    setState(state: PersistedState): void;
}

/** What `setState` keeps. The version guards against a state saved by another release of the extension. */
export interface PersistedState {
    readonly version: typeof PERSIST_VERSION;
    readonly config: ConfigRef | null;
    readonly run: RunState;
    readonly history: readonly PastRun[];
}

/** 2: the run state carries the events' `progress` (a state saved by version 1 has none, so it is not drawn). */
const PERSIST_VERSION = 2;
/** Saving serialises the whole state: at most this often while events stream in. */
const PERSIST_DELAY_MS = 1000;

export interface AppOptions {
    readonly root: HTMLElement;
    readonly api: WebviewApi;
    readonly chart: LossChartFactory;
    /** Unix seconds; tests pin it. */
    readonly now?: () => number;
    /** Runs a render soon; requestAnimationFrame in the webview, immediate in tests. */
    readonly schedule?: (task: () => void) => void;
}

export class ResultsApp {
    private model: ViewModel;
    private readonly view: RunView;
    private readonly now: () => number;
    private readonly schedule: (task: () => void) => void;
    private renderPending = false;
    private persistTimer: ReturnType<typeof setTimeout> | undefined;
    private clock: ReturnType<typeof setInterval> | undefined;

    constructor(private readonly options: AppOptions) {
        this.now = options.now ?? (() => Date.now() / 1000);
        this.schedule = options.schedule ?? ((task) => requestAnimationFrame(task));
        this.view = new RunView(options.root, {
            post: (message) => options.api.postMessage(message),
            chart: options.chart,
        });
        this.model = restore(options.api.getState()) ?? emptyModel();
        try {
            this.flush();
        } catch {
            // a saved state this code cannot draw: start empty, the host's replay follows the `ready` message
            this.model = emptyModel();
            this.view.reset();
            this.flush();
        }
    }

    /** Handles one message from the host; anything that is not a host message is ignored. */
    receive(data: unknown): void {
        const message = parseHostMessage(data);
        if (message === null) {
            return;
        }
        switch (message.type) {
            case 'state': {
                // No events from the host while this panel saved a run of the same config: the host has just
                // restarted (a window reload) and knows nothing newer, so the saved run stays.
                const keep = message.events.length === 0 && this.model.config?.uri === message.config.uri;
                this.view.reset();
                this.model = {
                    config: message.config,
                    run: keep ? this.model.run : replay(message.events),
                    history: pastRuns(message.history),
                };
                break;
            }
            case 'event': {
                const run = reduce(this.model.run, message.event);
                if (run === this.model.run) {
                    return;
                }
                this.model = { ...this.model, run };
                break;
            }
            case 'history':
                this.model = { ...this.model, history: pastRuns(message.history) };
                break;
        }
        this.requestRender();
        this.persistSoon();
    }

    /** Renders and saves now. */
    flush(): void {
        this.renderPending = false;
        this.render();
        this.persist();
    }

    /** Current model (read-only), for tests and debugging. */
    get state(): ViewModel {
        return this.model;
    }

    themeChanged(): void {
        this.view.refreshTheme();
    }

    dispose(): void {
        clearTimeout(this.persistTimer);
        clearInterval(this.clock);
        this.clock = undefined;
        this.view.dispose();
    }

    private requestRender(): void {
        if (!this.renderPending) {
            this.renderPending = true;
            this.schedule(() => {
                if (this.renderPending) {
                    this.renderPending = false;
                    this.render();
                }
            });
        }
    }

    private render(): void {
        this.view.render(this.model, this.now());
        // The header's elapsed time and the running pass's duration move every second, events or not.
        if (isRunning(this.model.run) && this.clock === undefined) {
            this.clock = setInterval(() => this.view.render(this.model, this.now()), 1000);
        } else if (!isRunning(this.model.run) && this.clock !== undefined) {
            clearInterval(this.clock);
            this.clock = undefined;
        }
    }

    private persistSoon(): void {
        if (this.persistTimer === undefined) {
            this.persistTimer = setTimeout(() => this.persist(), PERSIST_DELAY_MS);
        }
    }

    private persist(): void {
        clearTimeout(this.persistTimer);
        this.persistTimer = undefined;
        this.options.api.setState({ version: PERSIST_VERSION, ...this.model });
    }
}

function emptyModel(): ViewModel {
    return { config: null, run: initialState(), history: [] };
}

/** The saved state, if it is one this release wrote. */
function restore(saved: unknown): ViewModel | null {
    if (typeof saved !== 'object' || saved === null) {
        return null;
    }
    const state = saved as Partial<PersistedState>;
    if (
        state.version !== PERSIST_VERSION ||
        typeof state.run !== 'object' ||
        state.run === null ||
        !Array.isArray(state.history)
    ) {
        return null;
    }
    return { config: state.config ?? null, run: state.run, history: state.history };
}
