import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import { log } from './log';
import { interpreterPathSetting } from './settings';

export interface Interpreter {
    path: string;
    /** Where the path came from, for messages. */
    source: string;
}

/**
 * The Python that runs the language server: the setting `oliveStudio.python.interpreterPath`, else the
 * interpreter selected in the Python extension (when it is installed), else `python3` from PATH.
 */
export async function findInterpreter(folder: vscode.WorkspaceFolder | undefined): Promise<Interpreter> {
    const fromSetting = interpreterPathSetting(folder);
    if (fromSetting) {
        return { path: fromSetting, source: 'setting oliveStudio.python.interpreterPath' };
    }
    const fromPythonExtension = await pythonExtensionInterpreter(folder);
    if (fromPythonExtension) {
        return { path: fromPythonExtension, source: 'Python extension' };
    }
    return { path: process.platform === 'win32' ? 'python' : 'python3', source: 'PATH' };
}

/** Calls back when the Python extension's selected interpreter changes and the setting does not override it. */
export async function onPythonExtensionInterpreterChange(
    folder: vscode.WorkspaceFolder | undefined,
    callback: () => void,
): Promise<vscode.Disposable> {
    const api = await pythonExtensionApi();
    return (
        api?.environments.onDidChangeActiveEnvironmentPath(() => {
            if (!interpreterPathSetting(folder)) {
                callback();
            }
        }) ?? new vscode.Disposable(() => undefined)
    );
}

async function pythonExtensionInterpreter(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
    const api = await pythonExtensionApi();
    if (!api) {
        return undefined;
    }
    const active = api.environments.getActiveEnvironmentPath(folder?.uri);
    const environment = await api.environments.resolveEnvironment(active);
    return environment?.executable.uri?.fsPath;
}

/** The Python extension's API, or undefined when it is not installed (it is optional) or fails. */
async function pythonExtensionApi(): Promise<PythonExtension | undefined> {
    if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
        return undefined;
    }
    try {
        return await PythonExtension.api();
    } catch (error) {
        log.warn(`The Python extension did not answer: ${error}`);
        return undefined;
    }
}
