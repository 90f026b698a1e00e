import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import type { RunEvent, RunSummary } from '../src/shared/model';
import { ResultsPanels, resolvePath } from '../src/panel/panel';
import { fake, FakePanel, FileType } from './fake-vscode';
import { cachedRun, completedRun, summaries } from './fixtures';

const EXTENSION = vscode.Uri.file('/ext');
const CONFIG = vscode.Uri.file('/home/dev/tone/olive-config.json');
const KEY = CONFIG.toString();

/** Lets the promise callbacks (history request, postMessage) run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function only(): FakePanel {
    assert.equal(fake.panels.length, 1);
    return fake.panels[0];
}

function messages(panel: FakePanel, type?: string): { type: string; [key: string]: unknown }[] {
    const all = panel.webview.posted as { type: string }[];
    return type === undefined ? all : all.filter((m) => m.type === type);
}

describe('ResultsPanels', () => {
    beforeEach(() => fake.reset());

    it('opens one panel per config with scripts on, no retained context, and only dist/ and media/ readable', () => {
        const panels = new ResultsPanels(EXTENSION);
        panels.show(CONFIG);
        panels.show(CONFIG, true);
        const panel = only();
        assert.equal(panel.title, 'Olive run: olive-config.json');
        assert.equal(panel.options.enableScripts, true);
        assert.equal(panel.options.retainContextWhenHidden, false);
        assert.deepEqual(
            (panel.options.localResourceRoots as vscode.Uri[]).map((u) => u.path),
            ['/ext/dist', '/ext/media'],
        );
        assert.deepEqual(panel.reveals, [{ column: undefined, preserveFocus: true }]);
        const html = panel.webview.html;
        const nonce = /script-src 'nonce-([^']+)'/.exec(html)?.[1];
        assert.ok(
            nonce !== undefined &&
                html.includes(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net/ext/dist/webview.js">`),
        );
        assert.ok(html.includes('href="https://fake.vscode-cdn.net/ext/media/panel.css"'));
        panels.dispose();
        assert.ok(panel.disposed);
    });

    it('takes back a panel restored after a window reload, and closes one it cannot place', async () => {
        const panels = new ResultsPanels(EXTENSION, { requestHistory: () => Promise.resolve([...summaries]) });
        const restored = new FakePanel(ResultsPanels.viewType, 'Olive run: olive-config.json', undefined, {});
        panels.revive(restored as unknown as vscode.WebviewPanel, { version: 1, config: { uri: KEY, name: 'x' } });
        assert.ok(restored.webview.html.includes('dist/webview.js'), 'the restored panel gets the page again');
        assert.deepEqual((restored.webview.options as { enableScripts?: boolean }).enableScripts, true);
        restored.webview.send({ type: 'ready' });
        await settle();
        assert.deepEqual(messages(restored, 'history').at(-1)?.history, summaries);
        panels.show(CONFIG);
        assert.equal(fake.panels.length, 0, 'show() reveals the restored panel instead of opening another');
        assert.equal(restored.reveals.length, 1);

        const twin = new FakePanel(ResultsPanels.viewType, 'Olive run: olive-config.json', undefined, {});
        panels.revive(twin as unknown as vscode.WebviewPanel, { version: 1, config: { uri: KEY, name: 'x' } });
        const stranger = new FakePanel(ResultsPanels.viewType, 'Olive run', undefined, {});
        panels.revive(stranger as unknown as vscode.WebviewPanel, undefined);
        assert.ok(twin.disposed && stranger.disposed);
    });

    it('replays the buffered run when the webview is ready, then streams new events', async () => {
        const panels = new ResultsPanels(EXTENSION);
        const [first, ...rest] = completedRun;
        panels.onEvent(KEY, first);
        panels.show(CONFIG);
        const panel = only();
        panels.onEvent(KEY, rest[0]);
        assert.equal(messages(panel).length, 0, 'nothing is posted before the webview is ready');

        panel.webview.send({ type: 'ready' });
        const [state] = messages(panel, 'state');
        assert.deepEqual(state, {
            type: 'state',
            config: { uri: KEY, name: 'olive-config.json' },
            events: [first, rest[0]],
            history: [],
        });

        rest.slice(1).forEach((e) => panels.onEvent(KEY, e));
        assert.deepEqual(
            messages(panel, 'event').map((m) => m.event),
            rest.slice(1),
        );
        await settle();
        panels.dispose();
    });

    it('replays again after the panel was hidden (its webview is destroyed) and shown', () => {
        const panels = new ResultsPanels(EXTENSION);
        panels.show(CONFIG);
        const panel = only();
        panel.webview.send({ type: 'ready' });
        panels.onEvent(KEY, completedRun[0]);
        panel.setVisible(false);
        completedRun.slice(1).forEach((e) => panels.onEvent(KEY, e));
        assert.equal(messages(panel, 'event').length, 1, 'a hidden panel gets no events');
        panels.show(CONFIG);
        panel.webview.send({ type: 'ready' });
        const states = messages(panel, 'state');
        assert.deepEqual(states[states.length - 1].events, completedRun);
        panels.dispose();
    });

    it('keeps the run for a panel closed and opened again, and starts over at the next run_start', () => {
        const panels = new ResultsPanels(EXTENSION);
        completedRun.forEach((e) => panels.onEvent(KEY, e));
        panels.show(CONFIG);
        only().dispose();
        panels.show(CONFIG);
        const reopened = fake.panels[1];
        reopened.webview.send({ type: 'ready' });
        assert.deepEqual(messages(reopened, 'state')[0].events, completedRun);

        cachedRun.forEach((e) => panels.onEvent(KEY, e));
        reopened.webview.send({ type: 'ready' });
        const states = messages(reopened, 'state');
        assert.deepEqual(states[states.length - 1].events, cachedRun);
        panels.dispose();
    });

    it('asks for the past runs when a panel loads and after a run ends, and sends them', async () => {
        const asked: string[] = [];
        const panels = new ResultsPanels(EXTENSION, {
            requestHistory: (uri: string): Promise<RunSummary[]> => {
                asked.push(uri);
                return Promise.resolve([...summaries]);
            },
        });
        panels.show(CONFIG);
        const panel = only();
        panel.webview.send({ type: 'ready' });
        await settle();
        assert.deepEqual(asked, [KEY]);
        assert.deepEqual(messages(panel, 'history'), [
            { type: 'history', history: JSON.parse(JSON.stringify(summaries)) },
        ]);

        completedRun.forEach((e) => panels.onEvent(KEY, e));
        await settle();
        assert.deepEqual(asked, [KEY, KEY]);

        panels.setHistory(KEY, []);
        assert.deepEqual(messages(panel, 'history').at(-1), { type: 'history', history: [] });
        panel.webview.send({ type: 'ready' });
        assert.deepEqual(messages(panel, 'state').at(-1)?.history, []);
        panels.dispose();
    });

    it('logs a failed history request instead of throwing', async () => {
        const panels = new ResultsPanels(EXTENSION, { requestHistory: () => Promise.reject(new Error('no server')) });
        panels.show(CONFIG);
        only().webview.send({ type: 'ready' });
        await settle();
        assert.ok(fake.logs.some((line) => line.includes('no server')));
        panels.dispose();
    });

    it('tells the host when the user presses Cancel', () => {
        const viaOption: string[] = [];
        const viaEvent: string[] = [];
        const panels = new ResultsPanels(EXTENSION, { onCancel: (uri) => viaOption.push(uri) });
        panels.onCancel((uri) => viaEvent.push(uri));
        panels.show(CONFIG);
        only().webview.send({ type: 'cancel' });
        assert.deepEqual(viaOption, [KEY]);
        assert.deepEqual(viaEvent, [KEY]);
        panels.dispose();
    });

    it('opens a file in the editor, reveals a folder, and refuses a path that does not exist', async () => {
        fake.workspaceFolders.push('/home/dev/tone');
        fake.files.set('/home/dev/tone/out/run_summary.json', FileType.File);
        fake.files.set('/home/dev/tone/out/model', FileType.Directory);
        fake.files.set('/home/dev/models/tiny-phi3', FileType.Directory);
        const panels = new ResultsPanels(EXTENSION);
        panels.show(CONFIG);
        const panel = only();
        for (const path of [
            '/home/dev/tone/out/run_summary.json',
            '/home/dev/tone/out/model',
            '/home/dev/models/tiny-phi3',
            'out/model',
            '/gone',
        ]) {
            panel.webview.send({ type: 'open', path });
        }
        panel.webview.send({ type: 'open', path: 42 });
        panel.webview.send({ type: 'run', command: 'rm -rf /' });
        await settle();
        assert.deepEqual(
            fake.commands.map((c) => [c.command, (c.args[0] as vscode.Uri).path]),
            [
                ['vscode.open', '/home/dev/tone/out/run_summary.json'],
                ['revealInExplorer', '/home/dev/tone/out/model'],
                ['revealFileInOS', '/home/dev/models/tiny-phi3'],
                ['revealInExplorer', '/home/dev/tone/out/model'],
            ],
        );
        assert.deepEqual(fake.warnings, ['Olive Studio: /gone does not exist (any more).']);
        panels.dispose();
    });

    it('ignores events that are not objects with a type', () => {
        const panels = new ResultsPanels(EXTENSION);
        panels.show(CONFIG);
        const panel = only();
        panel.webview.send({ type: 'ready' });
        panels.onEvent(KEY, null as unknown as RunEvent);
        panels.onEvent(KEY, { kind: 'log' } as unknown as RunEvent);
        assert.equal(messages(panel, 'event').length, 0);
        panels.dispose();
    });
});

describe('resolvePath', () => {
    it('resolves a relative runner path against the config folder, in the config scheme', () => {
        assert.equal(resolvePath(CONFIG, 'out/model').path, '/home/dev/tone/out/model');
        const remote = vscode.Uri.parse('vscode-remote://ssh-remote+box/home/dev/tone/olive-config.json');
        assert.equal(
            resolvePath(remote, '/home/dev/tone/out').toString(),
            'vscode-remote://ssh-remote+box/home/dev/tone/out',
        );
        assert.equal(resolvePath(remote, 'out').toString(), 'vscode-remote://ssh-remote+box/home/dev/tone/out');
    });
});
