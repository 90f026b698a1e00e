/**
 * The panel's progress for a stream of run events, one JSON line per input line: what the Python tests compare
 * with the language server's `$/progress` reports and the CLI's display, so that a difference between the
 * clients fails a test instead of showing up as two numbers on the user's screen.
 *
 *     npm run progress-cli                     # bundles this file to out/progress-cli.js
 *     node out/progress-cli.js < events.jsonl
 *
 * Each input line is an event (`{"v": 1, "type": ...}`, as `olive-studio run --events` writes it) or a relayed
 * notification's params (`{"uri": ..., "event": {...}}`, as `oliveStudio/runEvent` carries it); each config URI
 * has its own run, bare events share one. Every line is folded through the panel's reducer (src/shared/model.ts)
 * in order, and then `{"type": <event type>, "percentage": <int>, "message": <string>}` is printed: what the panel,
 * the status bar and the notification show after it. A line that is not JSON, or not an event, prints `"type":
 * null` and the unchanged numbers; blank lines are skipped.
 */

import { createInterface } from 'node:readline';
import { initialState, progress, reduce, type RunState } from '../src/shared/model';

interface Output {
    readonly type: string | null;
    readonly percentage: number;
    readonly message: string;
}

/** The event of an input line and the run (config URI, '' for a bare event) it belongs to. */
function parseLine(line: string): { readonly key: string; readonly event: unknown } {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return { key: '', event: undefined };
    }
    if (typeof value === 'object' && value !== null && 'event' in value && 'uri' in value) {
        const { uri, event } = value as { readonly uri: unknown; readonly event: unknown };
        return { key: typeof uri === 'string' ? uri : '', event };
    }
    return { key: '', event: value };
}

function eventType(event: unknown): string | null {
    const type = typeof event === 'object' && event !== null ? (event as { readonly type?: unknown }).type : undefined;
    return typeof type === 'string' ? type : null;
}

async function main(): Promise<void> {
    const runs = new Map<string, RunState>();
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
        if (line.trim() === '') {
            continue;
        }
        const { key, event } = parseLine(line);
        const state = reduce(runs.get(key) ?? initialState(), event);
        runs.set(key, state);
        const shown = progress(state);
        const output: Output = { type: eventType(event), percentage: shown.percentage, message: shown.current };
        process.stdout.write(`${JSON.stringify(output)}\n`);
    }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    process.exit(error.code === 'EPIPE' ? 0 : 1);
});

main().catch((error: unknown) => {
    process.stderr.write(`progress-cli: ${String(error)}\n`);
    process.exitCode = 1;
});
