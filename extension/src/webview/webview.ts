/**
 * Entry point of the results webview (bundled by esbuild to dist/webview.js, an IIFE with Chart.js inside).
 * It wires the VS Code webview API, the window's message events and theme changes to the app; everything
 * else lives in app.ts, view.ts and ../shared/model.ts.
 */

import { ResultsApp, type WebviewApi } from './app';
import { createLossChart } from './chart';

declare function acquireVsCodeApi(): WebviewApi;

function start(): void {
    const root = document.getElementById('app');
    if (root === null) {
        return;
    }
    const api = acquireVsCodeApi();
    const app = new ResultsApp({ root, api, chart: createLossChart });
    window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
    // VS Code switches the body's class (vscode-dark, vscode-light, vscode-high-contrast) on a theme change.
    new MutationObserver(() => app.themeChanged()).observe(document.body, {
        attributes: true,
        attributeFilter: ['class'],
    });
    window.addEventListener('pagehide', () => app.dispose());
    api.postMessage({ type: 'ready' });
}

start();
