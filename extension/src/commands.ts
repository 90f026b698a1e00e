import * as vscode from 'vscode';
import { mayBeOliveConfig } from './detect';
import { log } from './log';
import { prepareRun, RUN_COMMAND } from './runs';
import { OliveServer } from './server';

/** Set while the active editor holds what looks like an Olive config; the palette commands show only then. */
export const IS_OLIVE_CONFIG_CONTEXT = 'oliveStudio.isOliveConfig';

/**
 * The palette commands on the active document. Their ids differ from the server's command ids, which
 * vscode-languageclient registers itself (for the code lens) when the server offers them.
 */
const ACTIVE_DOCUMENT_COMMANDS = [
    { id: 'oliveStudio.runLocallyActive', serverCommand: 'oliveStudio.runLocally', title: 'Run Locally' },
    { id: 'oliveStudio.submitAzureMLActive', serverCommand: 'oliveStudio.submitAzureML', title: 'Submit to Azure ML' },
    { id: 'oliveStudio.validateActive', serverCommand: 'oliveStudio.validate', title: 'Validate' },
];

export function registerActiveDocumentCommands(server: OliveServer): vscode.Disposable[] {
    return ACTIVE_DOCUMENT_COMMANDS.map(({ id, serverCommand, title }) =>
        vscode.commands.registerCommand(id, async (uri?: vscode.Uri) => {
            const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
            if (!target) {
                void vscode.window.showWarningMessage(`Olive Studio: ${title} needs an open Olive config.`);
                return;
            }
            try {
                const refused = serverCommand === RUN_COMMAND ? await prepareRun(target.toString()) : undefined;
                if (refused !== undefined) {
                    log.info(`${serverCommand} ${target.toString()}: not started (${refused})`);
                    return;
                }
                const result = await server.executeCommand(serverCommand, [target.toString()]);
                log.info(`${serverCommand} ${target.toString()}: ${JSON.stringify(result) ?? 'no result'}`);
            } catch (error) {
                const reason = error instanceof Error ? error.message : String(error);
                log.error(`${serverCommand} ${target.toString()} failed: ${reason}`);
                void vscode.window.showErrorMessage(`Olive Studio: ${title} failed: ${reason}`);
            }
        }),
    );
}

/** Keeps the context key `oliveStudio.isOliveConfig` in step with the active editor and its text. */
export function trackActiveOliveConfig(): vscode.Disposable {
    let current: boolean | undefined;
    const update = () => {
        const document = vscode.window.activeTextEditor?.document;
        const value = document !== undefined && mayBeOliveConfig(document);
        if (value !== current) {
            current = value;
            void vscode.commands.executeCommand('setContext', IS_OLIVE_CONFIG_CONTEXT, value);
        }
    };
    update();
    return vscode.Disposable.from(
        vscode.window.onDidChangeActiveTextEditor(update),
        vscode.workspace.onDidChangeTextDocument((event) => {
            if (event.document === vscode.window.activeTextEditor?.document) {
                update();
            }
        }),
    );
}
