import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOG_EVENTS_KEPT, RunBuffer } from '../src/panel/buffer';
import { replay, type RunEvent, type RunState } from '../src/shared/model';
import { cachedRun, completedRun } from './fixtures';

const log = (message: string): RunEvent => ({ v: 1, type: 'log', level: 'info', message, source: 'runner-output' });

/** The state less the line counters, which count lines since the panel opened. */
function visible(state: RunState): unknown {
    return { ...state, logs: state.logs.map((line) => ({ ...line, seq: 0 })), logSeq: 0, endLogSeq: null };
}

describe('RunBuffer', () => {
    it('keeps every event of the current run', () => {
        const buffer = new RunBuffer();
        completedRun.forEach((e) => buffer.push(e));
        assert.deepEqual(buffer.events(), completedRun);
    });

    it("drops the previous run at run_start, but not the new run's earlier output", () => {
        const buffer = new RunBuffer();
        completedRun.forEach((e) => buffer.push(e));
        buffer.push(log('Loading olive...'));
        cachedRun.forEach((e) => buffer.push(e));
        assert.deepEqual(buffer.events(), [log('Loading olive...'), ...cachedRun]);
        // and the panel's model agrees with what the buffer replays
        const live = replay([...completedRun, log('Loading olive...'), ...cachedRun]);
        assert.deepEqual(visible(replay(buffer.events())), visible(live));
    });

    it('keeps only the newest log lines of a chatty run, and every other event', () => {
        const buffer = new RunBuffer();
        buffer.push(completedRun[0]);
        for (let i = 0; i < LOG_EVENTS_KEPT * 3; i++) {
            buffer.push(log(`line ${i}`));
        }
        buffer.push(completedRun[completedRun.length - 1]);
        const events = buffer.events();
        assert.equal(events.length, LOG_EVENTS_KEPT + 2);
        assert.equal(events[0], completedRun[0]);
        assert.equal(events[1].message, `line ${LOG_EVENTS_KEPT * 2}`);
        assert.equal(events[events.length - 1].type, 'run_end');
    });
});
