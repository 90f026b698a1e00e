/**
 * Runs started from the editor, as VS Code shows them: the results panel, a notification with progress and
 * Cancel, and a status bar item with the state of the latest run.
 *
 * The server starts the runner and relays each of its events in an `oliveStudio/runEvent` notification
 * (docs/events.md); the code lens, the palette and Neovim all start runs the same way, so everything here is
 * driven by those notifications, not by who pressed Run.
 */

import * as vscode from 'vscode';
import { formatDuration } from './shared/format';
import { initialState, progress, reduce, type RunState } from './shared/model';
import { fileName as panelFileName, ResultsPanels, type RunEvent, type RunSummary } from './panel/panel';

export const RUN_EVENT = 'oliveStudio/runEvent';
export const RUN_COMMAND = 'oliveStudio.runLocally';
export const CANCEL_COMMAND = 'oliveStudio.cancelRun';
export const HISTORY_COMMAND = 'oliveStudio.runHistory';
export const SHOW_RESULTS_COMMAND = 'oliveStudio.showResults';

/** Runs a server command (starting the server if needed); `server.ts` provides it. */
export type ServerCommand = (command: string, args: unknown[]) => Promise<unknown>;

interface RunEventParams {
    readonly uri: string;
    readonly event: RunEvent;
}

interface Notification {
    readonly progress: vscode.Progress<{ message?: string; increment?: number }>;
    readonly resolve: () => void;
    reported: number;
}

export class RunTracker implements vscode.Disposable {
    private readonly states = new Map<string, RunState>();
    private readonly notifications = new Map<string, Notification>();
    private readonly statusBar = vscode.window.createStatusBarItem('oliveStudio.run', vscode.StatusBarAlignment.Left, 10);
    private readonly subscriptions: vscode.Disposable[] = [this.statusBar];
    private latest: string | undefined;

    constructor(
        private readonly runCommand: ServerCommand,
        readonly panels: ResultsPanels,
    ) {
        this.statusBar.name = 'Olive Studio run';
        this.subscriptions.push(
            panels,
            panels.onCancel((uri) => void this.cancel(uri)),
            vscode.commands.registerCommand(SHOW_RESULTS_COMMAND, (uri?: vscode.Uri | string) => this.showResults(uri)),
        );
        panels.requestHistory = (uri) => this.history(uri);
    }

    /** One relayed runner event: to the panel, the notification and the status bar. */
    onRunEvent(params: unknown): void {
        if (!isRunEventParams(params)) {
            return;
        }
        const { uri, event } = params;
        const previous = event.type === 'run_start' ? initialState() : this.states.get(uri) ?? initialState();
        const state = reduce(previous, event);
        this.states.set(uri, state);
        this.latest = uri;
        if (event.type === 'run_start') {
            this.panels.show(vscode.Uri.parse(uri), true);
            this.openNotification(uri);
        }
        this.panels.onEvent(uri, event);
        this.updateNotification(uri, state);
        this.updateStatusBar(uri, state);
        if (event.type === 'run_end') {
            this.closeNotification(uri);
            this.announceEnd(uri, state);
        }
    }

    async cancel(uri: string): Promise<void> {
        try {
            const result = (await this.runCommand(CANCEL_COMMAND, [uri])) as { ok?: boolean; reason?: string } | null;
            if (result?.ok !== true) {
                void vscode.window.showInformationMessage(`Olive Studio: ${result?.reason ?? 'no run to cancel'}.`);
            }
        } catch (error) {
            void vscode.window.showErrorMessage(`Olive Studio: Cancel failed: ${String(error)}`);
        }
    }

    dispose(): void {
        for (const notification of this.notifications.values()) {
            notification.resolve();
        }
        this.notifications.clear();
        vscode.Disposable.from(...this.subscriptions).dispose();
    }

    private async history(uri: string): Promise<RunSummary[]> {
        const result = (await this.runCommand(HISTORY_COMMAND, [uri])) as { ok?: boolean; runs?: unknown } | null;
        return result?.ok === true && Array.isArray(result.runs) ? (result.runs as RunSummary[]) : [];
    }

    private showResults(target: vscode.Uri | string | undefined): void {
        const uri =
            target instanceof vscode.Uri
                ? target
                : typeof target === 'string'
                  ? vscode.Uri.parse(target)
                  : (vscode.window.activeTextEditor?.document.uri ?? (this.latest ? vscode.Uri.parse(this.latest) : undefined));
        if (uri === undefined) {
            void vscode.window.showInformationMessage('Olive Studio: open an Olive config to see its runs.');
            return;
        }
        this.panels.show(uri);
    }

    private openNotification(uri: string): void {
        this.closeNotification(uri);
        void vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `Olive run: ${fileName(uri)}`, cancellable: true },
            (report, token) =>
                new Promise<void>((resolve) => {
                    this.notifications.set(uri, { progress: report, resolve, reported: 0 });
                    token.onCancellationRequested(() => void this.cancel(uri));
                }),
        );
    }

    private updateNotification(uri: string, state: RunState): void {
        const notification = this.notifications.get(uri);
        if (notification === undefined) {
            return;
        }
        const now = progress(state); // the runner's numbers, as `$/progress` and the panel show them
        const increment = Math.max(0, now.percentage - notification.reported);
        notification.reported += increment;
        notification.progress.report({ increment, message: now.current || undefined });
    }

    private closeNotification(uri: string): void {
        this.notifications.get(uri)?.resolve();
        this.notifications.delete(uri);
    }

    private updateStatusBar(uri: string, state: RunState): void {
        const name = fileName(uri);
        const now = progress(state);
        const duration = formatDuration(state.durationS);
        const text: Record<RunState['status'], string> = {
            idle: `$(beaker) Olive: ${name}`,
            running: `$(sync~spin) Olive: ${now.current || 'starting'} ${now.percentage}%`,
            completed: `$(check) Olive: completed in ${duration}`,
            failed: '$(error) Olive: run failed',
            refused: '$(error) Olive: run refused',
            cancelled: '$(circle-slash) Olive: run cancelled',
        };
        this.statusBar.text = text[state.status];
        this.statusBar.tooltip = `Olive Studio: ${state.status} run of ${name}. Click to show its results.`;
        this.statusBar.command = { title: 'Show Run Results', command: SHOW_RESULTS_COMMAND, arguments: [uri] };
        this.statusBar.backgroundColor =
            state.status === 'failed' || state.status === 'refused'
                ? new vscode.ThemeColor('statusBarItem.errorBackground')
                : undefined;
        this.statusBar.show();
    }

    private announceEnd(uri: string, state: RunState): void {
        if (state.status === 'failed' || state.status === 'refused') {
            const reason = (state.error ?? 'see the results panel').split('\n')[0];
            void vscode.window
                .showErrorMessage(`Olive Studio: the run of ${fileName(uri)} ${state.status}: ${reason}`, 'Show Results')
                .then((choice) => choice && this.panels.show(vscode.Uri.parse(uri)));
        }
    }
}

function isRunEventParams(value: unknown): value is RunEventParams {
    if (typeof value !== 'object' || value === null) {
        return false;
    }
    const { uri, event } = value as { uri?: unknown; event?: unknown };
    return typeof uri === 'string' && typeof event === 'object' && event !== null && typeof (event as RunEvent).type === 'string';
}

function fileName(uri: string): string {
    return panelFileName(vscode.Uri.parse(uri));
}

/**
 * What must hold before the server is asked to run `uri`: the workspace is trusted (a config can name scripts
 * that a run executes) and the file on disk is what the editor shows (the runner reads the file). Returns a
 * reason to refuse, or undefined.
 */
export async function prepareRun(uri: string): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
        const choice = await vscode.window.showWarningMessage(
            'Olive Studio: runs are disabled because this workspace is not trusted (a config can point at scripts ' +
                'that a run executes). Checking and editing keep working.',
            'Manage Workspace Trust',
        );
        if (choice) {
            await vscode.commands.executeCommand('workbench.trust.manage');
        }
        return 'the workspace is not trusted';
    }
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (document?.isDirty && !(await document.save())) {
        return `${fileName(uri)} could not be saved`;
    }
    return undefined;
}
