import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { documentSelector } from './detect';
import { findInterpreter, Interpreter } from './interpreter';
import { log } from './log';
import { prepareRun, RUN_COMMAND, RUN_EVENT } from './runs';
import { openInterpreterPathSetting, SECTION, serverSettings } from './settings';

const SERVER_MODULE = 'olive_lsp';

/** The language server process (`<python> -m olive_lsp` over stdio) and its client; starts and restarts run one at a time. */
export class OliveServer {
    private client: LanguageClient | undefined;
    private queue: Promise<void> = Promise.resolve();
    /** Whether the server was asked for, so that a settings change (re)starts it only then. */
    wanted = false;
    /** Receives each `oliveStudio/runEvent` notification (the relayed events of runs). */
    onRunEvent: (params: unknown) => void = () => undefined;

    start(): Promise<void> {
        this.wanted = true;
        return this.enqueue(async () => {
            if (!this.client) {
                await this.launch();
            }
        });
    }

    restart(): Promise<void> {
        this.wanted = true;
        return this.enqueue(async () => {
            await this.shutdown();
            await this.launch();
        });
    }

    /**
     * Runs one of the server's `workspace/executeCommand` commands, starting the server first if needed.
     * Rejects with a message for the user when the server is not running or does not offer the command.
     */
    async executeCommand(command: string, args: unknown[]): Promise<unknown> {
        await this.start();
        const client = this.client;
        if (!client?.isRunning()) {
            throw new Error('the language server is not running (see Olive Studio: Show Logs)');
        }
        const offered = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
        if (!offered.includes(command)) {
            throw new Error(`this version of the language server does not offer ${command}`);
        }
        return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    }

    stop(): Promise<void> {
        return this.enqueue(() => this.shutdown());
    }

    private enqueue(task: () => Promise<void>): Promise<void> {
        this.queue = this.queue.then(task, task);
        return this.queue;
    }

    private async launch(): Promise<void> {
        const folder = vscode.workspace.workspaceFolders?.[0];
        const python = await findInterpreter(folder);
        log.info(`Python interpreter: ${python.path} (from ${python.source})`);
        if (!(await hasServer(python))) {
            return;
        }
        const client = new LanguageClient(
            'oliveStudio',
            'Olive Studio',
            { command: python.path, args: ['-m', SERVER_MODULE], options: { cwd: folder?.uri.fsPath } },
            {
                documentSelector,
                outputChannel: log,
                // The settings at start; afterwards each change of the section is sent as
                // workspace/didChangeConfiguration {settings: {oliveStudio: {...}}} and applies without a restart.
                // runsAllowed and runPanel are facts about this client, read once: granting trust restarts the server.
                initializationOptions: () => ({ ...serverSettings(), runsAllowed: vscode.workspace.isTrusted, runPanel: true }),
                synchronize: { configurationSection: SECTION },
                middleware: {
                    // The code lens calls the server's command directly: check trust and save the file first.
                    executeCommand: async (command, args, next) => {
                        if (command === RUN_COMMAND && typeof args[0] === 'string') {
                            const refused = await prepareRun(args[0]);
                            if (refused !== undefined) {
                                return { ok: false, reason: refused };
                            }
                        }
                        return next(command, args);
                    },
                },
            },
        );
        client.onNotification(RUN_EVENT, (params: unknown) => this.onRunEvent(params));
        this.client = client;
        try {
            await client.start();
            log.info(`Language server started: ${python.path} -m ${SERVER_MODULE}`);
        } catch (error) {
            log.error(`The language server did not start: ${error}`);
            void showError(`Olive Studio: the language server did not start (${python.path} -m ${SERVER_MODULE}).`);
        }
    }

    private async shutdown(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client) {
            try {
                await client.dispose();
            } catch (error) {
                log.warn(`Stopping the language server: ${error}`);
            }
        }
    }
}

/** Whether the interpreter can import the server; tells the user how to fix it when not. */
function hasServer(python: Interpreter): Promise<boolean> {
    return new Promise((resolve) => {
        execFile(python.path, ['-c', `import ${SERVER_MODULE}.server`], { timeout: 30_000 }, (error, _stdout, stderr) => {
            if (!error) {
                resolve(true);
                return;
            }
            const reason =
                (error as NodeJS.ErrnoException).code === 'ENOENT'
                    ? 'it was not found'
                    : stderr.trim().split('\n').pop() || error.message;
            const fix = `"${python.path}" -m pip install "olive-studio[server]"`;
            log.error(`${python.path} (from ${python.source}) cannot run the language server: ${reason}. Fix: ${fix}`);
            void showError(
                `Olive Studio: the Python interpreter ${python.path} (from ${python.source}) cannot run the ` +
                    `language server: ${reason}. Install it with ${fix}, or choose another interpreter.`,
                'Choose Interpreter',
            );
            resolve(false);
        });
    });
}

async function showError(message: string, ...actions: string[]): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, ...actions, 'Show Logs');
    if (choice === 'Show Logs') {
        log.show();
    } else if (choice === 'Choose Interpreter') {
        await openInterpreterPathSetting();
    }
}
