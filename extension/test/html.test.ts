import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSDOM } from 'jsdom';
import { newNonce, panelHtml } from '../src/panel/html';

const args = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'bm9uY2Utb2YtdGhpcy1wYWdl',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
    title: 'Olive run: olive-config.json',
};

function parse(html: string): Document {
    return new JSDOM(html).window.document;
}

function policy(doc: Document): Map<string, string[]> {
    const meta = doc.querySelector('meta[http-equiv="Content-Security-Policy"]');
    const content = meta?.getAttribute('content') ?? '';
    const directives = new Map<string, string[]>();
    for (const part of content
        .split(';')
        .map((p) => p.trim())
        .filter((p) => p !== '')) {
        const [name, ...sources] = part.split(/\s+/);
        directives.set(name, sources);
    }
    return directives;
}

describe('panelHtml', () => {
    it('has a CSP whose only script source is the nonce', () => {
        const doc = parse(panelHtml(args));
        const csp = policy(doc);
        assert.deepEqual(csp.get('default-src'), ["'none'"]);
        assert.deepEqual(csp.get('script-src'), [`'nonce-${args.nonce}'`]);
        assert.deepEqual(csp.get('style-src'), [args.cspSource]);
        assert.deepEqual(csp.get('img-src'), [args.cspSource, 'data:']);
        assert.deepEqual(csp.get('font-src'), [args.cspSource]);
        const all = [...csp.values()].flat();
        assert.ok(!all.includes("'unsafe-inline'") && !all.includes("'unsafe-eval'"));
    });

    it('loads one script, with the nonce, and the stylesheet; no inline script or style', () => {
        const doc = parse(panelHtml(args));
        const scripts = [...doc.querySelectorAll('script')];
        assert.equal(scripts.length, 1);
        assert.equal(scripts[0].getAttribute('nonce'), args.nonce);
        assert.equal(scripts[0].getAttribute('src'), args.scriptUri);
        assert.equal(scripts[0].textContent, '');
        assert.equal(doc.querySelectorAll('style, [style]').length, 0);
        assert.equal(doc.querySelector('link[rel="stylesheet"]')?.getAttribute('href'), args.styleUri);
        assert.ok(doc.getElementById('app') !== null);
    });

    it('escapes the title (a file name is user data)', () => {
        const doc = parse(panelHtml({ ...args, title: 'Olive run: </title><script>alert(1)</script>.json' }));
        assert.equal(doc.querySelectorAll('script').length, 1);
        assert.equal(doc.title, 'Olive run: </title><script>alert(1)</script>.json');
    });

    it('makes a fresh, unguessable nonce each time', () => {
        const nonces = new Set(Array.from({ length: 50 }, () => newNonce()));
        assert.equal(nonces.size, 50);
        for (const nonce of nonces) {
            assert.ok(Buffer.from(nonce, 'base64').length >= 16);
        }
    });
});
