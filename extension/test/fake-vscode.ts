/**
 * The few parts of the `vscode` module that src/panel/panel.ts and src/runs.ts use, faked for unit tests (esbuild
 * aliases `vscode` to this file when it bundles the tests). `fake` records what the code under test did: the
 * panels it created, the messages it posted, the commands it ran, the warnings it showed, its status bar items
 * and progress notifications.
 */

type Listener<T> = (value: T) => void;

export class Disposable {
    constructor(private readonly callback: () => void) {}

    static from(...items: { dispose(): unknown }[]): Disposable {
        return new Disposable(() => items.forEach((item) => item.dispose()));
    }

    dispose(): void {
        this.callback();
    }
}

export class EventEmitter<T> {
    private listeners: Listener<T>[] = [];

    readonly event = (listener: Listener<T>): Disposable => {
        this.listeners.push(listener);
        return new Disposable(() => {
            this.listeners = this.listeners.filter((l) => l !== listener);
        });
    };

    fire(value: T): void {
        for (const listener of [...this.listeners]) {
            listener(value);
        }
    }

    dispose(): void {
        this.listeners = [];
    }
}

/** POSIX-only URIs: enough for the tests' `file:` paths. */
export class Uri {
    private constructor(
        readonly scheme: string,
        readonly authority: string,
        readonly path: string,
    ) {}

    static file(fsPath: string): Uri {
        return new Uri('file', '', fsPath);
    }

    static parse(value: string): Uri {
        const match = /^([a-z][\w+.-]*):\/\/([^/]*)(.*)$/i.exec(value);
        if (match === null) {
            throw new Error(`not a URI: ${value}`);
        }
        return new Uri(match[1], match[2], decodeURIComponent(match[3]));
    }

    static joinPath(base: Uri, ...segments: string[]): Uri {
        const parts: string[] = [];
        for (const part of [base.path, ...segments].join('/').split('/')) {
            if (part === '..') {
                parts.pop();
            } else if (part !== '' && part !== '.') {
                parts.push(part);
            }
        }
        return new Uri(base.scheme, base.authority, `/${parts.join('/')}`);
    }

    get fsPath(): string {
        return this.path;
    }

    with(change: { path?: string }): Uri {
        return new Uri(this.scheme, this.authority, change.path ?? this.path);
    }

    toString(): string {
        return `${this.scheme}://${this.authority}${this.path}`;
    }
}

export enum ViewColumn {
    Active = -1,
    Beside = -2,
    One = 1,
}

export enum FileType {
    Unknown = 0,
    File = 1,
    Directory = 2,
}

export enum StatusBarAlignment {
    Left = 1,
    Right = 2,
}

export enum ProgressLocation {
    SourceControl = 1,
    Window = 10,
    Notification = 15,
}

export class ThemeColor {
    constructor(readonly id: string) {}
}

export class FakeStatusBarItem {
    name = '';
    text = '';
    tooltip: unknown = undefined;
    command: unknown = undefined;
    backgroundColor: unknown = undefined;
    visible = false;

    constructor(
        readonly id: string,
        readonly alignment: unknown,
        readonly priority: unknown,
    ) {}

    show(): void {
        this.visible = true;
    }

    hide(): void {
        this.visible = false;
    }

    dispose(): void {
        this.visible = false;
    }
}

/** One `withProgress` call: what was reported to it, and whether its task has finished. */
export interface FakeProgress {
    readonly options: { readonly location?: unknown; readonly title?: string; readonly cancellable?: boolean };
    readonly reports: { readonly message?: string; readonly increment?: number }[];
    done: boolean;
    /** What clicking the notification's Cancel would do. */
    cancel(): void;
}

export class FakeWebview {
    html = '';
    /** Set by createWebviewPanel, or by the code under test on a restored panel. */
    options: Record<string, unknown>;
    readonly cspSource = 'https://fake.vscode-cdn.net';
    readonly posted: unknown[] = [];
    private readonly received = new EventEmitter<unknown>();
    readonly onDidReceiveMessage = this.received.event;

    constructor(options: Record<string, unknown>) {
        this.options = options;
    }

    postMessage(message: unknown): Promise<boolean> {
        this.posted.push(JSON.parse(JSON.stringify(message)));
        return Promise.resolve(true);
    }

    asWebviewUri(uri: Uri): Uri {
        return Uri.parse(`https://fake.vscode-cdn.net${uri.path}`);
    }

    /** What the webview's script would send. */
    send(message: unknown): void {
        this.received.fire(message);
    }
}

export class FakePanel {
    visible = true;
    disposed = false;
    readonly reveals: { column: unknown; preserveFocus: unknown }[] = [];
    readonly webview: FakeWebview;
    private readonly disposeEmitter = new EventEmitter<void>();
    private readonly viewStateEmitter = new EventEmitter<{ webviewPanel: FakePanel }>();
    readonly onDidDispose = this.disposeEmitter.event;
    readonly onDidChangeViewState = this.viewStateEmitter.event;

    constructor(
        readonly viewType: string,
        readonly title: string,
        readonly showOptions: unknown,
        readonly options: Record<string, unknown>,
    ) {
        this.webview = new FakeWebview(options);
    }

    reveal(column?: unknown, preserveFocus?: unknown): void {
        this.reveals.push({ column, preserveFocus });
        this.setVisible(true);
    }

    /** The user switched tabs: VS Code destroys a hidden webview (no retainContextWhenHidden). */
    setVisible(visible: boolean): void {
        if (this.visible !== visible) {
            this.visible = visible;
            this.viewStateEmitter.fire({ webviewPanel: this });
        }
    }

    dispose(): void {
        if (!this.disposed) {
            this.disposed = true;
            this.disposeEmitter.fire();
        }
    }
}

/** What the code under test did, and the file system and workspace it sees. */
export const fake = {
    panels: [] as FakePanel[],
    warnings: [] as string[],
    commands: [] as { command: string; args: unknown[] }[],
    logs: [] as string[],
    errors: [] as string[],
    infos: [] as string[],
    statusBarItems: [] as FakeStatusBarItem[],
    progress: [] as FakeProgress[],
    registered: new Map<string, (...args: unknown[]) => unknown>(),
    /** path -> type; anything else does not exist */
    files: new Map<string, FileType>(),
    workspaceFolders: [] as string[],
    reset(): void {
        this.panels.length = 0;
        this.warnings.length = 0;
        this.commands.length = 0;
        this.logs.length = 0;
        this.errors.length = 0;
        this.infos.length = 0;
        this.statusBarItems.length = 0;
        this.progress.length = 0;
        this.registered.clear();
        this.files.clear();
        this.workspaceFolders.length = 0;
    },
};

export const window = {
    createWebviewPanel(
        viewType: string,
        title: string,
        showOptions: unknown,
        options: Record<string, unknown>,
    ): FakePanel {
        const panel = new FakePanel(viewType, title, showOptions, options);
        fake.panels.push(panel);
        return panel;
    },
    activeTextEditor: undefined,
    showWarningMessage(message: string): Promise<undefined> {
        fake.warnings.push(message);
        return Promise.resolve(undefined);
    },
    showErrorMessage(message: string): Promise<undefined> {
        fake.errors.push(message);
        return Promise.resolve(undefined);
    },
    showInformationMessage(message: string): Promise<undefined> {
        fake.infos.push(message);
        return Promise.resolve(undefined);
    },
    createStatusBarItem(id: string, alignment: unknown, priority: unknown): FakeStatusBarItem {
        const item = new FakeStatusBarItem(id, alignment, priority);
        fake.statusBarItems.push(item);
        return item;
    },
    withProgress<R>(
        options: FakeProgress['options'],
        task: (
            progress: { report(value: { message?: string; increment?: number }): void },
            token: { onCancellationRequested(listener: () => void): Disposable },
        ) => Promise<R>,
    ): Promise<R> {
        const cancelled = new EventEmitter<void>();
        const record: FakeProgress = { options, reports: [], done: false, cancel: () => cancelled.fire() };
        fake.progress.push(record);
        const result = task(
            { report: (value) => record.reports.push(value) },
            { onCancellationRequested: cancelled.event },
        );
        return result.finally(() => {
            record.done = true;
        });
    },
    createOutputChannel(): Record<string, (message: string) => void> {
        const record = (message: string): void => {
            fake.logs.push(message);
        };
        return { info: record, warn: record, error: record, debug: record, trace: record, appendLine: record };
    },
};

export const workspace = {
    fs: {
        stat(uri: Uri): Promise<{ type: FileType }> {
            const type = fake.files.get(uri.path);
            return type === undefined ? Promise.reject(new Error(`ENOENT ${uri.path}`)) : Promise.resolve({ type });
        },
    },
    getWorkspaceFolder(uri: Uri): { uri: Uri } | undefined {
        const folder = fake.workspaceFolders.find((f) => uri.path === f || uri.path.startsWith(`${f}/`));
        return folder === undefined ? undefined : { uri: Uri.file(folder) };
    },
};

export const commands = {
    registerCommand(command: string, callback: (...args: unknown[]) => unknown): Disposable {
        fake.registered.set(command, callback);
        return new Disposable(() => fake.registered.delete(command));
    },
    executeCommand(command: string, ...args: unknown[]): Promise<undefined> {
        fake.commands.push({ command, args });
        return Promise.resolve(undefined);
    },
};
