// A real VS Code for end-to-end tests: code-server with the Olive Studio .vsix installed, in headless Chromium.
// Everything it writes goes under one fresh temp dir, removed by close(). Waits are for UI states, never fixed sleeps.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const USER_SETTINGS = {
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
};

/** The active editor (not the Output or settings editors of the panel). */
export const EDITOR = '.part.editor .editor-group-container.active .monaco-editor';

export class CodeServer {
    /** @param {{codeServer: string, vsix: string, workspace: string, artifacts: string, timeoutMs: number}} options */
    constructor(options) {
        this.options = options;
        this.timeoutMs = options.timeoutMs;
        this.base = fs.mkdtempSync(path.join(os.tmpdir(), 'olive-e2e-'));
        this.dirs = Object.fromEntries(
            ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache'].map((name) => [name, path.join(this.base, name)]),
        );
        Object.values(this.dirs).forEach((dir) => fs.mkdirSync(dir, { recursive: true }));
        this.env = {
            ...process.env,
            XDG_CONFIG_HOME: this.dirs['xdg-config'],
            XDG_DATA_HOME: this.dirs['xdg-data'],
            XDG_CACHE_HOME: this.dirs['xdg-cache'],
        };
        this.log = path.join(this.base, 'code-server.log');
        this.entry = path.join(options.codeServer, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
        this.common = ['--user-data-dir', this.dirs['user-data'], '--extensions-dir', this.dirs.extensions];
        this.seconds = {};
        this.started = Date.now();
        fs.mkdirSync(options.artifacts, { recursive: true });
        for (const signal of ['SIGINT', 'SIGTERM']) {
            process.once(signal, () => this.close().finally(() => process.exit(1)));
        }
    }

    mark(name) {
        this.seconds[name] = (Date.now() - this.started) / 1000;
    }

    /** Installs the extension, starts code-server and Chromium, and opens the workspace; resolves once the workbench shows. */
    async start() {
        fs.mkdirSync(path.join(this.dirs['user-data'], 'User'), { recursive: true });
        fs.writeFileSync(path.join(this.dirs['user-data'], 'User', 'settings.json'), JSON.stringify(USER_SETTINGS));
        const configFile = path.join(this.base, 'config.yaml');
        fs.writeFileSync(configFile, 'auth: none\n');
        execFileSync(process.execPath, [this.entry, ...this.common, '--install-extension', path.resolve(this.options.vsix)], {
            env: this.env,
        });
        this.mark('extension_installed');

        const port = await freePort();
        const out = fs.openSync(this.log, 'w');
        this.process = spawn(
            process.execPath,
            [this.entry, ...this.common, '--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
                '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', this.options.workspace],
            { env: this.env, detached: true, stdio: ['ignore', out, out] }, // detached: its own process group, killed at the end
        );
        const url = `http://127.0.0.1:${port}`;
        await until('code-server answers', async () => (await fetch(`${url}/healthz`)).ok, this.timeoutMs);
        this.mark('code_server_ready');

        this.browser = await chromium.launch({
            executablePath: '/usr/bin/chromium',
            env: this.env,
            args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync'],
        });
        this.page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
        await this.page.goto(`${url}/?folder=${encodeURIComponent(this.options.workspace)}`);
        await this.page.locator('.monaco-workbench').waitFor({ timeout: this.timeoutMs });
        await this.page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
        this.mark('workbench_loaded');
        return this.page;
    }

    /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its tab and editor. */
    async openFile(name) {
        const page = this.page;
        await page.keyboard.press('Control+P');
        const input = page.locator('.quick-input-widget input');
        await waitFor(input, 'Quick Open', this.timeoutMs);
        await input.fill(name);
        // The list first shows the recently opened files: wait until the filtered list has the file on top.
        const focused = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name });
        await waitFor(focused, `${name} first in Quick Open`, this.timeoutMs);
        await page.keyboard.press('Enter');
        await waitFor(page.locator(`.tab.active[aria-label*="${name}"]`), `the active tab ${name}`, this.timeoutMs);
        await waitFor(page.locator(EDITOR), 'the editor', this.timeoutMs);
    }

    /** Puts the cursor at a 1-based line and column (Quick Open ":line:column") and waits for the status bar to say so. */
    async goTo(line, column) {
        const page = this.page;
        await page.keyboard.press('Control+P');
        const input = page.locator('.quick-input-widget input');
        await waitFor(input, 'Quick Open', this.timeoutMs);
        await input.fill(`:${line}:${column}`);
        await page.keyboard.press('Enter');
        await waitFor(page.locator('.quick-input-widget'), 'Quick Open to close', this.timeoutMs, 'hidden');
        const status = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col ${column}\\b`) }).first();
        await waitFor(status, `the status bar to say Ln ${line}, Col ${column}`, this.timeoutMs);
    }

    /** The text of the active editor, line by line (all of it when it fits the viewport). */
    async editorText() {
        const lines = await this.page.locator(`${EDITOR} .view-lines .view-line`).evaluateAll((elements) =>
            elements
                .map((element) => ({ top: parseFloat(element.style.top) || 0, text: element.textContent ?? '' }))
                .sort((a, b) => a.top - b.top)
                .map(({ text }) => text.replace(/\u00a0/g, ' ')),
        );
        return lines.join('\n');
    }

    /** Shows the Problems panel (Ctrl+Shift+M) unless it is showing. */
    async showProblems() {
        if (!(await this.page.locator('.markers-panel').isVisible())) {
            await this.page.keyboard.press('Control+Shift+M');
        }
        await waitFor(this.page.locator('.markers-panel'), 'the Problems panel', this.timeoutMs);
    }

    /** Each Problems panel row that is a problem (not a file header): its text, severity icon and [Ln N, Col M]. */
    async readProblems() {
        const rows = await this.page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
            elements.map((element) => ({
                text: element.textContent ?? '',
                severity: ['error', 'warning', 'info'].find((kind) => element.querySelector(`.codicon-${kind}`)) ?? 'other',
            })),
        );
        return rows.flatMap(({ text, severity }) => {
            const at = text.match(/\[Ln (\d+), Col (\d+)\]/);
            return at ? [{ text, severity, line: Number(at[1]), column: Number(at[2]) }] : [];
        });
    }

    async notifications() {
        return this.page
            .locator('.notifications-toasts .notification-list-item-message')
            .allTextContents()
            .catch(() => []);
    }

    /** A screenshot into the artifacts folder; returns its path, or undefined when the page is gone. */
    async screenshot(name) {
        if (!this.page) return undefined;
        const file = path.join(this.options.artifacts, `${name}.png`);
        return (await this.page.screenshot({ path: file }).then(() => file, () => undefined));
    }

    /** The extension's "Olive Studio" output channel as written to disk so far ('' when not yet flushed). */
    oliveStudioLog() {
        const logs = path.join(this.dirs['user-data'], 'logs');
        const names = fs.existsSync(logs) ? fs.readdirSync(logs, { recursive: true }) : [];
        return names
            .filter((name) => String(name).endsWith('Olive Studio.log'))
            .map((name) => fs.readFileSync(path.join(logs, String(name)), 'utf8'))
            .join('\n');
    }

    /** Keeps what explains a run: code-server's log and the extension's "Olive Studio" log. */
    keepLogs() {
        if (fs.existsSync(this.log)) fs.copyFileSync(this.log, path.join(this.options.artifacts, 'code-server.log'));
        const olive = this.oliveStudioLog();
        if (olive) fs.writeFileSync(path.join(this.options.artifacts, 'olive-studio.log'), olive);
    }

    async close() {
        await this.browser?.close().catch(() => undefined);
        this.browser = undefined;
        await this.stopCodeServer();
        fs.rmSync(this.base, { recursive: true, force: true });
    }

    /** Stops code-server (its whole process group, so the extension host and the language server too). */
    async stopCodeServer() {
        const child = this.process;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-child.pid, 'SIGTERM');
        const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
    }
}

/** Waits for a locator's state, failing with what was awaited (Playwright's own message names only the timeout). */
export async function waitFor(locator, what, timeout, state = 'visible') {
    try {
        await locator.waitFor({ state, timeout });
    } catch (error) {
        const timedOut = error?.name === 'TimeoutError';
        throw new Error(timedOut ? `timed out after ${timeout / 1000} s waiting for ${what}` : `waiting for ${what}: ${error}`);
    }
}

/** Polls check() every 250 ms until it returns a truthy value (which it returns); throws after ms. */
export async function until(what, check, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
        try {
            const value = await check();
            if (value) return value;
        } catch {
            // not yet
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
}

function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}
