import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { ResultsPanels } from '../src/panel/panel';
import { RunTracker } from '../src/runs';
import type { RunEvent } from '../src/shared/model';
import { fake, type FakeProgress, type FakeStatusBarItem } from './fake-vscode';
import { cachedRun, completedRun } from './fixtures';

const CONFIG = vscode.Uri.file('/home/dev/tone/olive-config.json').toString();

function tracker(): RunTracker {
    return new RunTracker(() => Promise.resolve({ ok: true, runs: [] }), new ResultsPanels(vscode.Uri.file('/ext')));
}

function statusBar(): FakeStatusBarItem {
    assert.equal(fake.statusBarItems.length, 1);
    return fake.statusBarItems[0];
}

function notification(): FakeProgress {
    assert.equal(fake.progress.length, 1);
    return fake.progress[0];
}

/** What the notification's bar shows: VS Code adds up the increments. */
function reported(progress: FakeProgress): number {
    return progress.reports.reduce((sum, r) => sum + (r.increment ?? 0), 0);
}

describe('RunTracker', () => {
    beforeEach(() => fake.reset());

    for (const [name, run] of [
        ['completed', completedRun],
        ['cached', cachedRun],
    ] as const) {
        it(`shows in the status bar and the notification the progress each event of the ${name} run carries`, () => {
            const runs = tracker();
            for (const [i, event] of run.entries()) {
                runs.onRunEvent({ uri: CONFIG, event });
                const carried = event.progress;
                assert.ok(carried !== undefined);
                const bar = notification();
                assert.equal(reported(bar), carried.percentage, `notification after event ${i} (${event.type})`);
                assert.equal(bar.reports.at(-1)?.message, carried.message || undefined);
                if (event.type !== 'run_end') {
                    assert.equal(
                        statusBar().text,
                        `$(sync~spin) Olive: ${carried.message} ${carried.percentage}%`,
                        `status bar after event ${i} (${event.type})`,
                    );
                }
            }
            assert.equal(statusBar().text, `$(check) Olive: completed in ${name === 'completed' ? '56.0' : '21.0'} s`);
            runs.dispose();
        });
    }

    it('says "starting" and 0% while no event carried progress (a runner older than events 1.1)', () => {
        const runs = tracker();
        const old = (event: RunEvent): RunEvent => {
            const { progress: _dropped, ...rest } = event;
            return rest;
        };
        runs.onRunEvent({ uri: CONFIG, event: old(completedRun[0]) });
        runs.onRunEvent({ uri: CONFIG, event: old(completedRun[1]) });
        assert.equal(statusBar().text, '$(sync~spin) Olive: starting 0%');
        assert.equal(reported(notification()), 0);
        runs.dispose();
    });

    it('closes the notification when the run ends', async () => {
        const runs = tracker();
        for (const event of cachedRun) {
            runs.onRunEvent({ uri: CONFIG, event });
        }
        await new Promise((resolve) => setImmediate(resolve));
        assert.ok(notification().done);
        runs.dispose();
    });
});
