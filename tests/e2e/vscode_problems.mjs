// Opens a file in a real VS Code (code-server in headless Chromium) with the Olive Studio .vsix installed and
// reports the problems that the Problems panel shows once one of them contains the expected text.
//
//   node vscode_problems.mjs --code-server DIR --vsix FILE --workspace DIR --file NAME --expect TEXT --artifacts DIR
//
// Prints one JSON object: {problems: [{text, severity, line, column}], notifications: [...], seconds: {...}, error?}.
// Exits 0 when a problem contains the expected text, else 1. Screenshot (and, on failure, logs) go to --artifacts.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values: args } = parseArgs({
    options: {
        'code-server': { type: 'string' },
        vsix: { type: 'string' },
        workspace: { type: 'string' },
        file: { type: 'string' },
        expect: { type: 'string' },
        artifacts: { type: 'string' },
        timeout: { type: 'string', default: '90' },
    },
});
for (const name of ['code-server', 'vsix', 'workspace', 'file', 'expect', 'artifacts']) {
    if (!args[name]) throw new Error(`missing --${name}`);
}
const timeoutMs = Number(args.timeout) * 1000;
const started = Date.now();
const seconds = {};
const mark = (name) => (seconds[name] = (Date.now() - started) / 1000);

// Everything code-server and Chromium write goes under one fresh temp dir.
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'olive-e2e-'));
const dirs = Object.fromEntries(
    ['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache'].map((name) => [name, path.join(base, name)]),
);
Object.values(dirs).forEach((dir) => fs.mkdirSync(dir, { recursive: true }));
const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
};
fs.mkdirSync(path.join(dirs['user-data'], 'User'));
fs.writeFileSync(
    path.join(dirs['user-data'], 'User', 'settings.json'),
    JSON.stringify({
        'workbench.startupEditor': 'none',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'chat.disableAIFeatures': true,
        'workbench.tips.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
    }),
);
const configFile = path.join(base, 'config.yaml');
fs.writeFileSync(configFile, 'auth: none\n');
const codeServerLog = path.join(base, 'code-server.log');
fs.mkdirSync(args.artifacts, { recursive: true });

const entry = path.join(args['code-server'], 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const common = ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions];

let codeServer;
let browser;
let page;
const result = { problems: [], notifications: [], seconds };

async function main() {
    execFileSync(process.execPath, [entry, ...common, '--install-extension', path.resolve(args.vsix)], { env });
    mark('extension_installed');

    const port = await freePort();
    const out = fs.openSync(codeServerLog, 'w');
    codeServer = spawn(
        process.execPath,
        [entry, ...common, '--config', configFile, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
            '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', args.workspace],
        { env, detached: true, stdio: ['ignore', out, out] }, // detached: its own process group, killed at the end
    );
    const url = `http://127.0.0.1:${port}`;
    await until('code-server answers', async () => (await fetch(`${url}/healthz`)).ok);
    mark('code_server_ready');

    browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        env,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(args.workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    mark('workbench_loaded');

    // Quick Open (Ctrl+P) the file, then show the Problems panel (Ctrl+Shift+M).
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor({ timeout: timeoutMs });
    await quickOpen.fill(args.file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: args.file }).first().waitFor({ timeout: timeoutMs });
    await page.keyboard.press('Enter');
    await page.locator(`.tab[aria-label*="${args.file}"]`).waitFor({ timeout: timeoutMs });
    mark('file_open');
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: args.expect }).first().waitFor({ timeout: timeoutMs });
    mark('problem_shown');
}

/** Each Problems panel row that is a problem (not a file header): its text, severity icon and [Ln N, Col M]. */
async function readProblems() {
    const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((elements) =>
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

async function until(what, check, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
        try {
            if (await check()) return;
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

/** On failure, keep what explains it: code-server's log and the extension's "Olive Studio" log. */
function keepLogs() {
    const logs = path.join(dirs['user-data'], 'logs');
    const oliveLogs = fs.existsSync(logs) ? fs.readdirSync(logs, { recursive: true }) : [];
    const keep = [[codeServerLog, 'code-server.log']];
    for (const name of oliveLogs.filter((name) => name.endsWith('Olive Studio.log'))) {
        keep.push([path.join(logs, name), 'olive-studio.log']);
    }
    for (const [from, to] of keep.filter(([from]) => fs.existsSync(from))) {
        fs.copyFileSync(from, path.join(args.artifacts, to));
    }
}

async function stopCodeServer() {
    if (!codeServer || codeServer.exitCode !== null || codeServer.signalCode !== null) return;
    const exited = new Promise((resolve) => codeServer.once('exit', resolve));
    process.kill(-codeServer.pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-codeServer.pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
}

async function cleanup() {
    await browser?.close();
    await stopCodeServer();
    fs.rmSync(base, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanup().finally(() => process.exit(1)));
}

try {
    await main();
} catch (error) {
    result.error = String(error.message ?? error).split('\n')[0];
} finally {
    if (page) {
        result.problems = await readProblems().catch(() => []);
        result.notifications = await page
            .locator('.notifications-toasts .notification-list-item-message')
            .allTextContents()
            .catch(() => []);
        result.screenshot = path.join(args.artifacts, 'vscode-problems.png');
        await page.screenshot({ path: result.screenshot }).catch(() => delete result.screenshot);
    }
    if (result.error) keepLogs();
    await cleanup();
    mark('total');
}
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.error ? 1 : 0;
