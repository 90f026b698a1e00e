/**
 * The messages between the extension host (src/panel/panel.ts) and the results webview (src/webview). docs/panel.md
 * describes them. Both sides check what they receive: a webview message is user-driven input to the host, and
 * the host's messages carry strings from the runner.
 */

import type { RunEvent, RunSummary } from './model';

/** Which config a panel belongs to: the document URI (a string) and the file name shown in the title. */
export interface ConfigRef {
    readonly uri: string;
    readonly name: string;
}

/** Host -> webview. */
export type HostMessage =
    /** The whole current run, replayed from its first event: sent on every `ready`. */
    | {
          readonly type: 'state';
          readonly config: ConfigRef;
          readonly events: readonly RunEvent[];
          readonly history: readonly RunSummary[];
      }
    /** One new event of the current run. */
    | { readonly type: 'event'; readonly event: RunEvent }
    /** The past runs (summaries), after the host has read them. */
    | { readonly type: 'history'; readonly history: readonly RunSummary[] };

/** Webview -> host. */
export type WebviewMessage =
    /** The script has loaded and listens: the host answers with `state`. */
    | { readonly type: 'ready' }
    /** The user clicked a path: the host opens a file, or reveals a folder. */
    | { readonly type: 'open'; readonly path: string }
    /** The user clicked Cancel on the running run. */
    | { readonly type: 'cancel' };

/** A webview message, or null when the value is not one (the host ignores it). */
export function parseWebviewMessage(value: unknown): WebviewMessage | null {
    if (typeof value !== 'object' || value === null) {
        return null;
    }
    const message = value as { readonly type?: unknown; readonly path?: unknown };
    switch (message.type) {
        case 'ready':
            return { type: 'ready' };
        case 'cancel':
            return { type: 'cancel' };
        case 'open':
            return typeof message.path === 'string' && message.path !== ''
                ? { type: 'open', path: message.path }
                : null;
        default:
            return null;
    }
}

/** A host message, or null when the value is not one (the webview ignores it). */
export function parseHostMessage(value: unknown): HostMessage | null {
    if (typeof value !== 'object' || value === null) {
        return null;
    }
    const message = value as {
        readonly type?: unknown;
        readonly config?: unknown;
        readonly events?: unknown;
        readonly event?: unknown;
        readonly history?: unknown;
    };
    switch (message.type) {
        case 'state': {
            const config = configRef(message.config);
            if (config === null || !Array.isArray(message.events)) {
                return null;
            }
            const history = Array.isArray(message.history) ? (message.history as RunSummary[]) : [];
            return { type: 'state', config, events: message.events as RunEvent[], history };
        }
        case 'event':
            return typeof message.event === 'object' && message.event !== null
                ? { type: 'event', event: message.event as RunEvent }
                : null;
        case 'history':
            return Array.isArray(message.history)
                ? { type: 'history', history: message.history as RunSummary[] }
                : null;
        default:
            return null;
    }
}

function configRef(value: unknown): ConfigRef | null {
    if (typeof value !== 'object' || value === null) {
        return null;
    }
    const { uri, name } = value as { readonly uri?: unknown; readonly name?: unknown };
    return typeof uri === 'string' && typeof name === 'string' ? { uri, name } : null;
}
