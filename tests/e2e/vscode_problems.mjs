// Opens a file in a real VS Code (code-server in headless Chromium) with the Olive Studio .vsix installed and
// reports the problems that the Problems panel shows once one of them contains the expected text.
//
//   node vscode_problems.mjs --code-server DIR --vsix FILE --workspace DIR --file NAME --expect TEXT --artifacts DIR
//
// Prints one JSON object: {problems: [{text, severity, line, column}], notifications: [...], seconds: {...}, error?}.
// Exits 0 when a problem contains the expected text, else 1. Screenshot (and, on failure, logs) go to --artifacts.
import { parseArgs } from 'node:util';
import { CodeServer } from './vscode_harness.mjs';

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
const vscode = new CodeServer({
    codeServer: args['code-server'],
    vsix: args.vsix,
    workspace: args.workspace,
    artifacts: args.artifacts,
    timeoutMs: Number(args.timeout) * 1000,
});
const result = { problems: [], notifications: [], seconds: vscode.seconds };

try {
    const page = await vscode.start();
    await vscode.openFile(args.file);
    vscode.mark('file_open');
    await vscode.showProblems();
    await page.locator('.markers-panel .monaco-list-row').filter({ hasText: args.expect }).first().waitFor({ timeout: vscode.timeoutMs });
    vscode.mark('problem_shown');
} catch (error) {
    result.error = String(error.message ?? error).split('\n')[0];
} finally {
    if (vscode.page) {
        result.problems = await vscode.readProblems().catch(() => []);
        result.notifications = await vscode.notifications();
        result.screenshot = await vscode.screenshot('vscode-problems');
        if (!result.screenshot) delete result.screenshot;
    }
    if (result.error) vscode.keepLogs();
    await vscode.close();
    vscode.mark('total');
}
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.error ? 1 : 0;
