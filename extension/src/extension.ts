import * as vscode from 'vscode';
import { registerActiveDocumentCommands, trackActiveOliveConfig } from './commands';
import { whenOliveConfigOpens } from './detect';
import { onPythonExtensionInterpreterChange } from './interpreter';
import { log } from './log';
import { OliveServer } from './server';
import { interpreterPathChanged } from './settings';

let server: OliveServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const oliveServer = new OliveServer();
    server = oliveServer;
    context.subscriptions.push(
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
