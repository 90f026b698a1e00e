// Editing features of the Olive Studio extension in a real VS Code (code-server in headless Chromium): the steps
// of a spec run in order in one window, each waits for the UI state it expects (up to --timeout seconds) and
// reports what it saw, so that the test can say what went wrong. A failed step does not stop the next ones.
//
//   node vscode_editing.mjs --spec SPEC.json
//
// SPEC: {codeServer, vsix, workspace, artifacts, timeout, steps: [{name, kind, ...}]} with the kinds
//   problem     {file, expect}                      the Problems panel lists a problem containing `expect`
//   completion  {file, line, column, expect: []}    Ctrl+Space at line:column lists every label in `expect`
//   hover       {file, line, column, token, expect} the mouse over `token` (on that line) shows a hover containing `expect`
//   quickfix    {file, line, column, action, expectText, gone}
//                                                   Ctrl+. at line:column, pick `action`; the editor then contains
//                                                   `expectText` and no problem contains `gone`
//   command     {file, title, expect}               the command palette offers `title`; running it shows a
//                                                   notification containing `expect`
//   noCommand   {file, title}                       the command palette does not offer `title`
//   setting     {file, settingsFile, settings, gone}
//                                                   with a problem containing `gone` listed, merge `settings` into the
//                                                   workspace file `settingsFile`; then no problem contains `gone`
// Prints one JSON object: {steps: {name: {ok, error?, seconds, screenshot, ...}}, problems, notifications,
// serverStarts, seconds, error?}. Exits 0 when every step passed. Screenshots (one per step, pass or fail) and,
// on failure, the logs go to `artifacts`.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CodeServer, EDITOR, until, waitFor } from './vscode_harness.mjs';

const { values: args } = parseArgs({ options: { spec: { type: 'string' } } });
const spec = JSON.parse(fs.readFileSync(args.spec, 'utf8'));
const vscode = new CodeServer({ ...spec, timeoutMs: (spec.timeout ?? 60) * 1000 });
const result = { steps: {}, problems: [], notifications: [], seconds: vscode.seconds };

const STEPS = { problem, completion, hover, quickfix, command, noCommand, setting };

/** Problems panel rows that contain `text`. */
async function problemsWith(text) {
    return (await vscode.readProblems()).filter((problem) => problem.text.includes(text));
}

async function waitForProblem(text) {
    await vscode.showProblems();
    await until(`the Problems panel lists a problem with "${text}"`, async () => (await problemsWith(text)).length > 0, vscode.timeoutMs);
}

async function waitForNoProblem(text) {
    await vscode.showProblems();
    await until(`the Problems panel lists no problem with "${text}"`, async () => (await problemsWith(text)).length === 0, vscode.timeoutMs);
}

async function problem(step, seen) {
    await vscode.openFile(step.file);
    await waitForProblem(step.expect).finally(async () => (seen.problems = await problemsWith(step.expect)));
}

/** Every label of the open suggest widget: it is virtualized, so page through it to the last row. */
async function suggestLabels() {
    const page = vscode.page;
    const labels = new Set();
    for (;;) {
        const rows = await page.locator('.suggest-widget .monaco-list-row').evaluateAll((elements) =>
            elements.map((element) => ({
                label: (element.querySelector('.label-name') ?? element).textContent?.trim() ?? '',
                position: Number(element.getAttribute('aria-posinset')),
                size: Number(element.getAttribute('aria-setsize')),
                focused: element.classList.contains('focused'),
            })),
        );
        rows.forEach((row) => labels.add(row.label));
        const focused = rows.find((row) => row.focused);
        if (!focused || !focused.size || focused.position >= focused.size) return [...labels];
        await page.keyboard.press('PageDown');
        await until('the suggest widget pages down', async () =>
            (await page.locator('.suggest-widget .monaco-list-row.focused').getAttribute('aria-posinset')) !== String(focused.position),
        5000);
    }
}

async function completion(step, seen) {
    const page = vscode.page;
    await vscode.openFile(step.file);
    const widget = page.locator('.suggest-widget');
    // The list can come back before the server answers (only VS Code's own JSON suggestions): ask again until
    // every expected label is there.
    await until(`the suggest widget lists ${step.expect.join(', ')}`, async () => {
        await page.keyboard.press('Escape');
        await vscode.goTo(step.line, step.column);
        await page.keyboard.press('Control+Space');
        const rows = widget.locator('.monaco-list-row');
        const message = widget.locator('.message');
        // Either suggestions or "No suggestions."; "Loading..." means wait.
        await until('the suggest widget answers', async () =>
            (await rows.count()) > 0 || /No suggestions/.test((await message.textContent()) ?? ''), 10_000);
        seen.message = ((await message.isVisible()) && (await message.textContent())) || undefined;
        seen.labels = (await rows.count()) > 0 ? await suggestLabels() : [];
        return step.expect.every((label) => seen.labels.includes(label));
    }, vscode.timeoutMs);
}

async function hover(step, seen) {
    const page = vscode.page;
    await vscode.openFile(step.file);
    await vscode.goTo(step.line, step.column); // scrolls the line into view
    const token = page
        .locator(`${EDITOR} .view-line span span`)
        .filter({ hasText: new RegExp(`^"?${step.token}"?$`) })
        .first();
    const widget = page.locator('.monaco-hover:not(.hidden)');
    await until(`the hover over ${step.token} shows "${step.expect}"`, async () => {
        await page.mouse.move(0, 0);
        await token.hover();
        await waitFor(widget.first(), 'a hover', 10_000);
        seen.hover = (await widget.allTextContents()).join('\n');
        return seen.hover.includes(step.expect);
    }, vscode.timeoutMs);
}

async function quickfix(step, seen) {
    const page = vscode.page;
    await vscode.openFile(step.file);
    await waitForProblem(step.gone);
    await vscode.goTo(step.line, step.column);
    const menu = page.locator('.action-widget');
    const action = menu.locator('.monaco-list-row', { hasText: step.action }).first();
    await until(`the quick fix menu offers ${step.action}`, async () => {
        await page.keyboard.press('Escape');
        await vscode.goTo(step.line, step.column);
        await page.keyboard.press('Control+.');
        await waitFor(menu.locator('.monaco-list-row').first(), 'the quick fix menu', 10_000);
        seen.actions = (await menu.locator('.monaco-list-row').allTextContents()).map((text) => text.trim());
        return action.isVisible();
    }, vscode.timeoutMs);
    await action.click();
    await waitFor(menu.locator('.monaco-list-row').first(), 'the quick fix menu to close', vscode.timeoutMs, 'hidden');
    await until(`the editor contains ${step.expectText}`, async () => (await vscode.editorText()).includes(step.expectText), vscode.timeoutMs)
        .finally(async () => (seen.text = await vscode.editorText()));
    await waitForNoProblem(step.gone).finally(async () => (seen.problems = await problemsWith(step.gone)));
}

/**
 * Opens the command palette on `title` until `offered(rows matching title)` holds: the palette computes its
 * list when it opens, and the context key that shows the Olive Studio commands follows the active editor a
 * moment later (the extension host sets it). Leaves the palette open; returns the matching rows.
 */
async function paletteUntil(title, what, offered, seen) {
    const page = vscode.page;
    const input = page.locator('.quick-input-widget input');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    const none = page.locator('.quick-input-widget', { hasText: 'No matching commands' });
    const matching = rows.filter({ hasText: title });
    await until(what, async () => {
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Shift+P');
        await waitFor(input, 'the command palette', 10_000);
        await input.fill(`>${title}`);
        await until('the command palette lists matches or none', async () => (await rows.count()) > 0 || none.isVisible(), 10_000);
        seen.offered = (await rows.allTextContents()).map((text) => text.trim());
        return offered(await matching.count());
    }, vscode.timeoutMs);
    return matching;
}

async function command(step, seen) {
    const page = vscode.page;
    await vscode.openFile(step.file);
    const row = await paletteUntil(step.title, `the command palette offers ${step.title}`, (count) => count > 0, seen);
    await row.first().click();
    const message = page.locator('.notifications-toasts .notification-list-item-message', { hasText: step.expect });
    await waitFor(message.first(), `a notification with "${step.expect}"`, vscode.timeoutMs).finally(
        async () => (seen.notifications = await vscode.notifications()),
    );
}

async function noCommand(step, seen) {
    await vscode.openFile(step.file);
    await paletteUntil(step.title, `the command palette does not offer ${step.title}`, (count) => count === 0, seen);
}

async function setting(step, seen) {
    await vscode.openFile(step.file);
    await waitForProblem(step.gone).finally(async () => (seen.before = await problemsWith(step.gone)));
    const file = path.join(spec.workspace, step.settingsFile);
    const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    fs.writeFileSync(file, JSON.stringify({ ...current, ...step.settings }, null, 4));
    await waitForNoProblem(step.gone).finally(async () => (seen.after = await problemsWith(step.gone)));
}

/** Runs one step; records what it saw, its time and a screenshot, pass or fail. */
async function run(step) {
    const started = Date.now();
    const seen = { ok: false };
    result.steps[step.name] = seen;
    try {
        await STEPS[step.kind](step, seen);
        seen.ok = true;
    } catch (error) {
        seen.error = String(error.message ?? error).split('\n')[0];
    }
    seen.seconds = (Date.now() - started) / 1000;
    seen.screenshot = await vscode.screenshot(step.name);
    await vscode.page.keyboard.press('Escape').catch(() => undefined);
}

try {
    await vscode.start();
    for (const step of spec.steps) {
        await run(step);
        vscode.mark(step.name);
    }
} catch (error) {
    result.error = String(error.message ?? error).split('\n')[0];
} finally {
    if (vscode.page) {
        result.problems = await vscode.readProblems().catch(() => []);
        result.notifications = await vscode.notifications();
        result.screenshot = await vscode.screenshot('final');
    }
    result.serverStarts = (vscode.oliveStudioLog().match(/Language server started/g) ?? []).length;
    const failed = result.error || Object.values(result.steps).some((step) => !step.ok);
    if (failed) vscode.keepLogs();
    await vscode.close();
    vscode.mark('total');
    process.exitCode = failed ? 1 : 0;
}
console.log(JSON.stringify(result, null, 2));
