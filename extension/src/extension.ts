import * as vscode from 'vscode';
import { registerActiveDocumentCommands, trackActiveOliveConfig } from './commands';
import { whenOliveConfigOpens } from './detect';
import { onPythonExtensionInterpreterChange } from './interpreter';
import { log } from './log';
import { ResultsPanels } from './panel/panel';
import { RunTracker } from './runs';
import { OliveServer } from './server';
import { interpreterPathChanged } from './settings';

let server: OliveServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const oliveServer = new OliveServer();
    server = oliveServer;
    const panels = new ResultsPanels(context.extensionUri);
    const runs = new RunTracker((command, args) => oliveServer.executeCommand(command, args), panels);
    oliveServer.onRunEvent = (params) => runs.onRunEvent(params);
    context.subscriptions.push(
        runs,
        // Results panels open when the window reloads come back with their saved run.
        vscode.window.registerWebviewPanelSerializer(ResultsPanels.viewType, {
            deserializeWebviewPanel: async (panel, state) => panels.revive(panel, state),
        }),
        vscode.commands.registerCommand('oliveStudio.cancelRunActive', async (uri?: vscode.Uri) => {
            const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
            if (target) {
                await runs.cancel(target.toString());
            }
        }),
        // The server learns about trust at start (runs are refused without it): restart it once trust is granted.
        vscode.workspace.onDidGrantWorkspaceTrust(() => {
            if (oliveServer.wanted) {
                void oliveServer.restart();
            }
        }),
        log,
        vscode.commands.registerCommand('oliveStudio.restartServer', () => oliveServer.restart()),
        vscode.commands.registerCommand('oliveStudio.showLogs', () => log.show()),
        ...registerActiveDocumentCommands(oliveServer),
        trackActiveOliveConfig(),
        vscode.workspace.onDidChangeConfiguration((event) => {
            if (oliveServer.wanted && interpreterPathChanged(event)) {
                void oliveServer.restart();
            }
        }),
        // The server starts lazily: opening package.json must not spawn Python.
        whenOliveConfigOpens(async () => {
            await oliveServer.start();
            const folder = vscode.workspace.workspaceFolders?.[0];
            context.subscriptions.push(
                await onPythonExtensionInterpreterChange(folder, () => void oliveServer.restart()),
            );
        }),
    );
}

export function deactivate(): Promise<void> | undefined {
    return server?.stop();
}
