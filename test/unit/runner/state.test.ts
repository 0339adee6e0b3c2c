import { describe, expect, it } from 'vitest';
import type { CogPredictionResponse } from '../../../src/main/core/cog/protocol';
import { fullest } from '../../../src/main/core/runner/state';

const state = (s: Partial<CogPredictionResponse>): CogPredictionResponse => ({ status: 'processing', logs: '', output: null, ...s });

describe('fullest: webhooks arrive out of order, the fullest state wins', () => {
  it('keeps the longer logs and the longer iterator output when an older webhook arrives late', () => {
    const newer = state({ logs: 'token 0\ntoken 1\n', output: ['a', 'b'] });
    const older = state({ logs: 'token 0\n', output: ['a'] });
    expect(fullest(newer, older)).toEqual(newer);
    expect(fullest(older, newer)).toEqual(newer);
  });

  it('never goes back from a final status to processing', () => {
    const done = state({ status: 'succeeded', output: ['a', 'b', 'c'], completed_at: 't', metrics: { predict_time: 1 } });
    expect(fullest(done, state({ status: 'processing', output: ['a'] }))).toBe(done);
    expect(fullest(state({ status: 'processing', output: ['a'] }), done)).toBe(done);
  });

  it('keeps the logs collected so far when the terminal answer has shorter or empty ones (a coglet sync failure answers logs: "")', () => {
    const live = state({ logs: 'loading\nstep 1\nTraceback: boom\n' });
    const failed = fullest(live, state({ status: 'failed', logs: '', error: 'boom' }));
    expect(failed).toMatchObject({ status: 'failed', error: 'boom', logs: 'loading\nstep 1\nTraceback: boom\n' });
    expect(fullest(live, state({ status: 'succeeded', logs: 'loading\n', output: 'x' }))).toMatchObject({ status: 'succeeded', output: 'x', logs: live.logs });
    // Longer terminal logs are taken as they are.
    expect(fullest(live, state({ status: 'succeeded', logs: `${live.logs}done\n` })).logs).toBe(`${live.logs}done\n`);
  });

  it('takes the first state as it is and fills error, times and metrics when they appear', () => {
    const first = state({ logs: 'x\n' });
    expect(fullest(null, first)).toBe(first);
    const merged = fullest(state({ status: 'failed', logs: 'x\n' }), state({ status: 'failed', logs: 'x\n', error: 'boom', completed_at: 't' }));
    expect(merged).toMatchObject({ error: 'boom', completed_at: 't' });
  });
});
