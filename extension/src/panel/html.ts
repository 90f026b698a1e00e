/**
 * The results webview's HTML page. Pure (no vscode import), so the Content-Security-Policy can be unit-tested.
 *
 * The policy allows nothing by default; styles, images and fonts only from the extension's own files
 * (`webview.cspSource`), and scripts only with this page's nonce. No 'unsafe-inline', no 'unsafe-eval': even
 * if runner text reached the DOM as markup, no injected script or style could run.
 */

import { randomBytes } from 'node:crypto';

export interface PanelHtmlArgs {
    /** `webview.cspSource`: the origin the webview serves the extension's files from. */
    readonly cspSource: string;
    /** A fresh random value per page (see `newNonce`). */
    readonly nonce: string;
    /** `webview.asWebviewUri(dist/webview.js)`, as a string. */
    readonly scriptUri: string;
    /** `webview.asWebviewUri(media/panel.css)`, as a string. */
    readonly styleUri: string;
    /** The page title (the config's file name is user data: it is escaped). */
    readonly title: string;
}

/** 128 random bits, base64: a nonce a page's attacker cannot guess. */
export function newNonce(): string {
    return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
    return (
        [
            "default-src 'none'",
            `img-src ${cspSource} data:`,
            `style-src ${cspSource}`,
            `script-src 'nonce-${nonce}'`,
            `font-src ${cspSource}`,
        ].join('; ') + ';'
    );
}

export function panelHtml(args: PanelHtmlArgs): string {
    const csp = contentSecurityPolicy(args.cspSource, args.nonce);
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(args.styleUri)}">
<title>${escapeHtml(args.title)}</title>
</head>
<body>
<main id="app" aria-label="${escapeHtml(args.title)}"></main>
<script nonce="${escapeHtml(args.nonce)}" src="${escapeHtml(args.scriptUri)}"></script>
</body>
</html>
`;
}

/** Escapes text for HTML text and for the double-quoted attribute values above (so `'` can stay as is). */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
