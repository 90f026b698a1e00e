// A run from the editor in a real VS Code (code-server in headless Chromium): open the config, click the
// "Run locally" code lens, and watch the results panel until the run ends.
//
//   node vscode_run.mjs --spec SPEC.json
//
// SPEC: {codeServer, vsix, workspace, artifacts, timeout (UI waits, s), runTimeout (the run, s), file, passesLine
//        (where the code lens sits: it only renders in view), unsafeText}
// Prints one JSON object: {ok, error?, seconds, midRun: {badge, chart}, badge, passes: [{name, status, duration}],
// chart, chartPixels, metrics: [[cells]], logs: [lines containing unsafeText], images, history, dialogs, statusBar,
// notifications, screenshots}. Screenshots go to `artifacts`: run-progress.png (mid-run), run-finished.png.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CodeServer, EDITOR, until, waitFor } from './vscode_harness.mjs';

const { values: args } = parseArgs({ options: { spec: { type: 'string' } } });
const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));
const vscode = new CodeServer({ ...spec, timeoutMs: (spec.timeout ?? 60) * 1000 });
const runTimeoutMs = (spec.runTimeout ?? 300) * 1000;
const result = { ok: false, seconds: vscode.seconds, dialogs: [], screenshots: [] };

/** The results panel's document: VS Code puts each webview in an iframe holding another iframe. */
function panel(page) {
    return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function badge(frame) {
    return (await frame.locator('.badge').first().textContent())?.trim() ?? '';
}

async function main() {
    const page = await vscode.start();
    page.on('dialog', (dialog) => {
        result.dialogs.push(dialog.message()); // an alert() from the page would mean injected HTML ran
        void dialog.dismiss();
    });
    await vscode.openFile(spec.file);
    await vscode.goTo(spec.passesLine, 1);
    const lens = page.locator(`${EDITOR} .codelens-decoration a`, { hasText: 'Run locally' });
    await waitFor(lens, 'the "Run locally" code lens', vscode.timeoutMs);
    await lens.click();
    vscode.mark('run_clicked');

    await waitFor(page.locator('.tab', { hasText: `Olive run: ${spec.file}` }), 'the results panel tab', vscode.timeoutMs);
    const frame = panel(page);
    await waitFor(frame.locator('.badge'), 'the results panel content', vscode.timeoutMs);
    vscode.mark('panel_shown');

    // Mid-run: a training step has been drawn while the run goes on.
    await until('the loss chart shows a training step', async () => /to [\d.]+ at step/.test(
        (await frame.locator('canvas').getAttribute('aria-label')) ?? ''), runTimeoutMs);
    result.midRun = { badge: await badge(frame), chart: await frame.locator('canvas').getAttribute('aria-label') };
    result.screenshots.push(await vscode.screenshot('run-progress'));

    await until('the run ends', async () => ['Completed', 'Failed', 'Cancelled', 'Refused'].includes(await badge(frame)),
        runTimeoutMs);
    vscode.mark('run_ended');
    result.badge = await badge(frame);
    result.passes = await frame.locator('.timeline li.pass').evaluateAll((items) => items.map((item) => ({
        name: item.querySelector('.pass-name')?.textContent ?? '',
        status: [...item.classList].find((c) => c.startsWith('status-'))?.slice('status-'.length) ?? '',
        duration: item.querySelector('.duration')?.textContent ?? '',
    })));
    result.chart = await frame.locator('canvas').getAttribute('aria-label');
    result.chartPixels = await frame.locator('canvas').evaluate((canvas) => {
        const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) painted += data[i] > 0 ? 1 : 0;
        return painted;
    });
    await until('the metrics table fills in', async () => (await frame.locator('table tbody tr').count()) > 0,
        vscode.timeoutMs);
    result.metrics = await frame.locator('table tbody tr').evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')));
    result.logs = await frame.locator('.log-message').evaluateAll(
        (lines, unsafe) => lines.map((line) => line.textContent ?? '').filter((text) => text.includes(unsafe)),
        spec.unsafeText,
    );
    result.images = await frame.locator('img').count();
    await until('the past runs list this run', async () => (await frame.locator('.history > li').count()) > 0,
        vscode.timeoutMs).catch(() => undefined);
    result.history = await frame.locator('.history > li').allTextContents();
    result.statusBar = await page.locator('.statusbar-item', { hasText: 'Olive:' }).allTextContents();
    result.notifications = await vscode.notifications();
    result.screenshots.push(await vscode.screenshot('run-finished'));
    result.ok = true;
}

try {
    await main();
} catch (error) {
    result.error = String(error?.stack ?? error);
    result.screenshots.push(await vscode.screenshot('run-failure'));
    vscode.keepLogs();
} finally {
    await vscode.close();
    process.stdout.write(JSON.stringify(result));
}
