import * as vscode from 'vscode';

/** The one "Olive Studio" output channel: the extension's log and the language server's trace. */
export const log = vscode.window.createOutputChannel('Olive Studio', { log: true });
