import * as path from 'path';
import * as vscode from 'vscode';

export const CONFIG_FILE_NAME = 'olive-config.json';
const LANGUAGES = ['json', 'jsonc'];
const SCHEMES = ['file', 'untitled'];

/** The documents the language client sends to the server; the server decides which are Olive workflows. */
export const documentSelector = SCHEMES.flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language })));

/**
 * A cheap sniff, so that opening package.json does not start Python: the file is named olive-config.json, or
 * its text mentions "input_model" or "passes". The server applies the exact rule.
 */
export function mayBeOliveConfig(document: vscode.TextDocument): boolean {
    if (!LANGUAGES.includes(document.languageId) || !SCHEMES.includes(document.uri.scheme)) {
        return false;
    }
    if (path.basename(document.uri.fsPath) === CONFIG_FILE_NAME) {
        return true;
    }
    const text = document.getText();
    return text.includes('"input_model"') || text.includes('"passes"');
}

/** Calls back once, as soon as a document that may be an Olive config is open (now or later). */
export function whenOliveConfigOpens(callback: () => void): vscode.Disposable {
    const listeners: vscode.Disposable[] = [];
    const stop = () => listeners.splice(0).forEach((listener) => listener.dispose());
    const check = (document: vscode.TextDocument) => {
        if (listeners.length > 0 && mayBeOliveConfig(document)) {
            stop();
            callback();
        }
    };
    listeners.push(
        vscode.workspace.onDidOpenTextDocument(check),
        vscode.workspace.onDidChangeTextDocument((event) => check(event.document)),
    );
    vscode.workspace.textDocuments.forEach(check);
    return new vscode.Disposable(stop);
}
