import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { cachedRun, completedRun } from './fixtures';

/** Built by `npm run progress-cli`, which `npm test` runs first; this bundle is out/test/progress-cli.test.js. */
const CLI = path.join(__dirname, '..', 'progress-cli.js');

function run(input: string): { type: string | null; percentage: number; message: string }[] {
    const output = execFileSync(process.execPath, [CLI], { input, encoding: 'utf8' });
    return output
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { type: string | null; percentage: number; message: string });
}

describe('progress-cli', () => {
    it("prints after each event the progress that event carries (the runner's numbers)", () => {
        const input = completedRun.map((event) => JSON.stringify(event)).join('\n');
        assert.deepEqual(
            run(`${input}\n`),
            completedRun.map((event) => ({
                type: event.type,
                percentage: event.progress?.percentage,
                message: event.progress?.message,
            })),
        );
    });

    it('reads relayed notifications, one run per config, and answers every non-blank line', () => {
        const lines = [
            ...cachedRun.slice(0, 3).map((event) => JSON.stringify({ uri: 'file:///a/olive-config.json', event })),
            '',
            'not json',
            JSON.stringify({ uri: 'file:///b/olive-config.json', event: cachedRun[0] }),
            JSON.stringify({ v: 1, type: 'from_the_future', run_id: cachedRun[0].run_id }),
            JSON.stringify({ uri: 'file:///a/olive-config.json', event: cachedRun[3] }),
        ];
        assert.deepEqual(run(lines.join('\r\n')), [
            { type: 'run_start', percentage: 0, message: 'starting' },
            { type: 'pass_start', percentage: 0, message: 'lora (LoRA) 1/3' },
            { type: 'pass_end', percentage: 25, message: 'lora (LoRA) 2/3: cached' },
            { type: null, percentage: 0, message: '' },
            { type: 'run_start', percentage: 0, message: 'starting' },
            { type: 'from_the_future', percentage: 0, message: '' },
            { type: 'pass_start', percentage: 25, message: 'merge (MergeAdapterWeights) 2/3' },
        ]);
    });
});
