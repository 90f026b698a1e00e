/**
 * The host side of the run results panel: one webview panel per config URI, fed the run's events.
 *
 * Webviews are not kept alive while hidden (`retainContextWhenHidden: false`, which costs memory for every
 * open panel); instead the host keeps each config's current run (buffer.ts) and replays it whenever a webview
 * (re)loads and says `ready`. Events that arrive while a panel is hidden or loading are only buffered.
 * docs/panel.md describes the messages.
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import { log } from '../log';
import { RunBuffer } from './buffer';
import { newNonce, panelHtml } from './html';
import type { RunEvent, RunSummary } from '../shared/model';
import { parseWebviewMessage, type HostMessage } from '../shared/protocol';

export type { RunEvent, RunSummary } from '../shared/model';
export { panelHtml } from './html';

export interface ResultsPanelsOptions {
    /** Called when the user presses Cancel in the panel of `uri` (also available as the `onCancel` event). */
    readonly onCancel?: (uri: string) => void;
    /** Reads the past runs (`run_summary.json` files) of `uri`; called each time its panel (re)loads. */
    readonly requestHistory?: (uri: string) => Promise<RunSummary[]>;
}

interface OpenPanel {
    readonly key: string;
    readonly uri: vscode.Uri;
    readonly panel: vscode.WebviewPanel;
    /** The webview has said `ready` since it last (re)loaded: it can take incremental events. */
    ready: boolean;
    readonly disposables: vscode.Disposable[];
}

export class ResultsPanels implements vscode.Disposable {
    static readonly viewType = 'oliveStudio.runResults';

    /** Fires with the config URI (a string) when the user presses Cancel in its panel. */
    readonly onCancel: vscode.Event<string>;
    /** See `ResultsPanelsOptions.requestHistory`; may be set after construction. */
    requestHistory: ((uri: string) => Promise<RunSummary[]>) | undefined;

    private readonly cancelEmitter = new vscode.EventEmitter<string>();
    private readonly panels = new Map<string, OpenPanel>();
    private readonly buffers = new Map<string, RunBuffer>();
    private readonly histories = new Map<string, readonly RunSummary[]>();
    private readonly subscriptions: vscode.Disposable[] = [this.cancelEmitter];

    constructor(
        private readonly extensionUri: vscode.Uri,
        options: ResultsPanelsOptions = {},
    ) {
        this.onCancel = this.cancelEmitter.event;
        this.requestHistory = options.requestHistory;
        if (options.onCancel !== undefined) {
            this.subscriptions.push(this.onCancel(options.onCancel));
        }
    }

    /** Opens the panel of `uri` beside the editor, or reveals it if it is open. */
    show(uri: vscode.Uri, preserveFocus = false): void {
        const open = this.panels.get(uriKey(uri.toString()));
        if (open !== undefined) {
            open.panel.reveal(undefined, preserveFocus);
            return;
        }
        const panel = vscode.window.createWebviewPanel(
            ResultsPanels.viewType,
            `Olive run: ${fileName(uri)}`,
            { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
            this.webviewOptions(),
        );
        this.adopt(panel, uri);
    }

    /**
     * Takes back a panel VS Code restored after a window reload (`registerWebviewPanelSerializer`): the webview
     * saved its config with `setState`; its run is drawn from that saved state, and the past runs are reloaded.
     * A state without a config (from another release) closes the panel.
     */
    revive(panel: vscode.WebviewPanel, state: unknown): void {
        const config = (state as { config?: { uri?: unknown } } | undefined)?.config;
        if (typeof config?.uri !== 'string' || this.panels.has(uriKey(config.uri))) {
            panel.dispose();
            return;
        }
        panel.webview.options = this.webviewOptions();
        this.adopt(panel, vscode.Uri.parse(config.uri));
    }

    private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
        const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
        return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: roots, enableFindWidget: true };
    }

    private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri): void {
        const key = uriKey(uri.toString());
        const record: OpenPanel = { key, uri, panel, ready: false, disposables: [] };
        this.panels.set(key, record);
        const webview = panel.webview;
        webview.html = panelHtml({
            cspSource: webview.cspSource,
            nonce: newNonce(),
            scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js')).toString(),
            styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'panel.css')).toString(),
            title: `Olive run: ${fileName(uri)}`,
        });
        record.disposables.push(
            webview.onDidReceiveMessage((message: unknown) => this.receive(record, message)),
            // a hidden webview is destroyed; when shown again it reloads and says `ready`
            panel.onDidChangeViewState((event) => {
                if (!event.webviewPanel.visible) {
                    record.ready = false;
                }
            }),
            panel.onDidDispose(() => this.forget(record)),
        );
    }

    /**
     * One relayed runner event (`oliveStudio/runEvent`) of the config `uri`: buffered for replays, and sent to
     * its panel when one is showing. A `run_end` also reloads the past runs, which now include this one.
     */
    onEvent(uri: string, event: RunEvent): void {
        if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
            return; // the webview ignores such an event; the buffer need not keep it
        }
        const key = uriKey(uri);
        let buffer = this.buffers.get(key);
        if (buffer === undefined) {
            buffer = new RunBuffer();
            this.buffers.set(key, buffer);
        }
        buffer.push(event);
        const open = this.panels.get(key);
        if (open?.ready === true) {
            this.post(open, { type: 'event', event });
        }
        if (event.type === 'run_end' && open !== undefined) {
            void this.loadHistory(open);
        }
    }

    /** The past runs of `uri`'s config (summaries, any order: the panel sorts them newest first). */
    setHistory(uri: string, history: RunSummary[]): void {
        const key = uriKey(uri);
        this.histories.set(key, history);
        const open = this.panels.get(key);
        if (open?.ready === true) {
            this.post(open, { type: 'history', history });
        }
    }

    dispose(): void {
        for (const open of [...this.panels.values()]) {
            open.panel.dispose(); // fires onDidDispose -> forget
        }
        this.panels.clear();
        this.buffers.clear();
        this.histories.clear();
        vscode.Disposable.from(...this.subscriptions).dispose();
    }

    private receive(open: OpenPanel, data: unknown): void {
        const message = parseWebviewMessage(data);
        switch (message?.type) {
            case 'ready':
                open.ready = true;
                this.post(open, {
                    type: 'state',
                    config: { uri: open.key, name: fileName(open.uri) },
                    events: this.buffers.get(open.key)?.events() ?? [],
                    history: this.histories.get(open.key) ?? [],
                });
                void this.loadHistory(open);
                break;
            case 'cancel':
                this.cancelEmitter.fire(open.key);
                break;
            case 'open':
                void openPath(open.uri, message.path);
                break;
            default:
                break;
        }
    }

    private async loadHistory(open: OpenPanel): Promise<void> {
        const request = this.requestHistory;
        if (request === undefined) {
            return;
        }
        try {
            const history = await request(open.key);
            if (this.panels.get(open.key) === open) {
                this.setHistory(open.key, history);
            }
        } catch (error) {
            log.warn(`Could not read the past runs of ${open.key}: ${String(error)}`);
        }
    }

    private post(open: OpenPanel, message: HostMessage): void {
        open.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
            log.warn(`Could not update the run panel of ${open.key}: ${String(error)}`);
        });
    }

    private forget(open: OpenPanel): void {
        if (this.panels.get(open.key) === open) {
            this.panels.delete(open.key);
        }
        vscode.Disposable.from(...open.disposables).dispose();
    }
}

/**
 * Opens what the user clicked: a folder is revealed (in the Explorer when it is in the workspace, else in the
 * OS file manager), a file opens in the editor VS Code picks for it. A path that no longer exists (a cleaned
 * cache) is refused with a message.
 */
async function openPath(config: vscode.Uri, target: string): Promise<void> {
    const uri = resolvePath(config, target);
    let stat: vscode.FileStat;
    try {
        stat = await vscode.workspace.fs.stat(uri);
    } catch {
        void vscode.window.showWarningMessage(`Olive Studio: ${target} does not exist (any more).`);
        return;
    }
    try {
        if ((stat.type & vscode.FileType.Directory) !== 0) {
            const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
            await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
        } else {
            await vscode.commands.executeCommand('vscode.open', uri);
        }
    } catch (error) {
        void vscode.window.showWarningMessage(`Olive Studio: could not open ${target}: ${String(error)}`);
    }
}

/** Runner paths are absolute, or relative to the config's folder; they live where the config lives. */
export function resolvePath(config: vscode.Uri, target: string): vscode.Uri {
    const absolute = target.startsWith('/') || target.startsWith('\\\\') || /^[A-Za-z]:[\\/]/.test(target);
    if (config.scheme === 'file') {
        return vscode.Uri.file(absolute ? target : path.resolve(path.dirname(config.fsPath), target));
    }
    // a remote or virtual workspace: keep the config's scheme and authority, paths are POSIX there
    const posix = target.replace(/\\/g, '/');
    return absolute ? config.with({ path: posix }) : vscode.Uri.joinPath(config, '..', posix);
}

/** Map key of a config: the URI as VS Code writes it, so `file:///c%3A/x` and `file:///c:/x` meet. */
function uriKey(uri: string): string {
    try {
        return vscode.Uri.parse(uri, true).toString();
    } catch {
        return uri;
    }
}

/** The last segment of the URI's path: the config file's name in titles and messages. */
export function fileName(uri: vscode.Uri): string {
    const parts = uri.path.split('/');
    return parts[parts.length - 1] || uri.toString();
}
