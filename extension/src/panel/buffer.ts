/**
 * The host's copy of the current run's events, per config: what a panel replays when it is opened, shown
 * again (webviews are not kept alive while hidden), or re-created.
 *
 * A `run_start` drops the previous run, except the lines printed after that run ended (the new run's first
 * output, relayed before its `run_start`); shared/model.ts keeps the same lines, so a replay equals the live view.
 * Log events are the only unbounded kind (a model build prints thousands of lines) and the panel shows only a
 * tail, so only the newest LOG_EVENTS_KEPT of them are kept.
 */

import { LOG_TAIL, type RunEvent } from '../shared/model';

/** Comfortably more than the panel's tail, so that a replay shows the same lines as the live panel did. */
export const LOG_EVENTS_KEPT = LOG_TAIL * 5;

export class RunBuffer {
    private items: RunEvent[] = [];
    private logs = 0;
    /** Index just after the last `run_end` in `items`, or -1. */
    private endedAt = -1;

    push(event: RunEvent): void {
        if (event.type === 'run_start') {
            // keep the new run's output that came before its run_start; drop the rest
            const kept = this.endedAt >= 0 ? this.items.slice(this.endedAt).filter((e) => e.type === 'log') : [];
            this.items = kept;
            this.logs = kept.length;
            this.endedAt = -1;
        }
        this.items.push(event);
        if (event.type === 'run_end') {
            this.endedAt = this.items.length;
        }
        if (event.type === 'log') {
            this.logs += 1;
            if (this.logs > LOG_EVENTS_KEPT * 2) {
                this.trimLogs(); // amortised: one pass per LOG_EVENTS_KEPT new lines
            }
        }
    }

    /** The buffered events, oldest first. */
    events(): readonly RunEvent[] {
        if (this.logs > LOG_EVENTS_KEPT) {
            this.trimLogs();
        }
        return this.items;
    }

    private trimLogs(): void {
        let drop = this.logs - LOG_EVENTS_KEPT;
        const kept: RunEvent[] = [];
        let endedAt = -1;
        for (const event of this.items) {
            if (event.type === 'log' && drop > 0) {
                drop -= 1;
                continue;
            }
            kept.push(event);
            if (event.type === 'run_end') {
                endedAt = kept.length;
            }
        }
        this.items = kept;
        this.logs = LOG_EVENTS_KEPT;
        this.endedAt = endedAt;
    }
}
