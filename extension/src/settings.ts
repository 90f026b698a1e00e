import * as os from 'os';
import * as vscode from 'vscode';

/** The settings section; vscode-languageclient sends it whole, nested under this name, on every change. */
export const SECTION = 'oliveStudio';
const INTERPRETER_PATH = 'python.interpreterPath';

/** What the server reads from `initializationOptions` and `workspace/didChangeConfiguration` (server/olive_lsp/settings.py). */
export interface ServerSettings {
    /** The target Olive release ("0.13", "0.6.2"); empty: the olive-ai beside the server, else the newest known. */
    oliveVersion: string;
    /** Finding code -> "error" | "warning" | "information" | "hint" | "off". */
    severity: Record<string, string>;
}

/** The settings the server applies, as they are now (a change needs no restart). */
export function serverSettings(): ServerSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    return {
        oliveVersion: config.get<string>('oliveVersion', '').trim(),
        severity: { ...config.get<Record<string, string>>('severity', {}) },
    };
}

/**
 * The interpreter named by `oliveStudio.python.interpreterPath`, with `${workspaceFolder}` and a leading `~`
 * expanded; undefined when the setting is empty.
 */
export function interpreterPathSetting(folder: vscode.WorkspaceFolder | undefined): string | undefined {
    const value = vscode.workspace.getConfiguration(SECTION, folder).get<string>(INTERPRETER_PATH, '').trim();
    if (!value) {
        return undefined;
    }
    const expanded = value.replace(/^~(?=$|[\\/])/, os.homedir());
    return folder ? expanded.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath) : expanded;
}

export function interpreterPathChanged(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration(`${SECTION}.${INTERPRETER_PATH}`);
}

export function openInterpreterPathSetting(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${INTERPRETER_PATH}`);
}
