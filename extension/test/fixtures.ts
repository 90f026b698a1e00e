/**
 * Event streams and summaries recorded from real runs of the runner on the tiny Phi-3 of tests/runner
 * (LoRA 16 steps -> merge -> ModelBuilder int4, then evaluation), trimmed to stay small: training steps 9-15
 * and most of the model builder's quantization lines are left out, and paths were rewritten to /home/dev.
 */

import type { RunEvent, RunSummary } from '../src/shared/model';
import cachedText from './fixtures/run-cached.jsonl';
import completedText from './fixtures/run-completed.jsonl';
import summaryList from './fixtures/summaries.json';

function parseJsonl(text: string): RunEvent[] {
    return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as RunEvent);
}

/** A full run: every pass runs (`done`), LoRA logs train_step events, then eval_start and three metrics. */
export const completedRun: readonly RunEvent[] = parseJsonl(completedText);

/** The same config run again: every pass is `cached`, then evaluation. */
export const cachedRun: readonly RunEvent[] = parseJsonl(cachedText);

/** The two runs' run_summary.json, oldest first (the panel must sort them). */
export const summaries: readonly RunSummary[] = summaryList as unknown as RunSummary[];

/** The events of `run` of one type. */
export function ofType(run: readonly RunEvent[], type: string): RunEvent[] {
    return run.filter((e) => e.type === type);
}

/** The events of `run` up to and including the first one that `until` accepts. */
export function prefix(run: readonly RunEvent[], until: (event: RunEvent) => boolean): RunEvent[] {
    const index = run.findIndex(until);
    if (index < 0) {
        throw new Error('prefix: no such event');
    }
    return run.slice(0, index + 1);
}
