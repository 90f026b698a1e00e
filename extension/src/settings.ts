import * as os from 'os';
import * as vscode from 'vscode';

const SECTION = 'oliveStudio';
const INTERPRETER_PATH = 'python.interpreterPath';

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
