import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import { WebhookDispatcher } from '../../../src/main/core/api-server/webhooks';

const base: Prediction = {
  id: 'p1', modelId: 'm', versionId: 'v', status: 'starting', input: {}, output: null, logs: '', error: null, source: 'api',
  createdAt: '2025-01-01T00:00:00.000Z', startedAt: null, completedAt: null, metrics: null, containerId: null, runOn: 'local', remote: null,
};
const state = (patch: Partial<Prediction>): Prediction => ({ ...base, ...patch });

/** A dispatcher whose deliveries are recorded (status, output length) instead of sent. */
function recording(o: { throttleMs?: number; answers?: number[] } = {}) {
  const sent: Array<{ status: string; outputs: number; id: string }> = [];
  const attempts: string[] = [];
  const answers = [...(o.answers ?? [])];
  let settle!: () => void;
  let completed = new Promise<void>((r) => (settle = r));
  const d = new WebhookDispatcher({
    secret: 'whsec_' + Buffer.alloc(32, 1).toString('base64'),
    throttleMs: o.throttleMs ?? 0,
    retryDelaysMs: [1, 1],
    fetch: (async (_url: string, init: RequestInit) => {
      const status = answers.shift() ?? 200;
      attempts.push((init.headers as Record<string, string>)['webhook-id']);
      const body = JSON.parse(String(init.body)) as { status: string; output: unknown };
      if (status === 200) {
        sent.push({ status: body.status, outputs: Array.isArray(body.output) ? body.output.length : 0, id: (init.headers as Record<string, string>)['webhook-id'] });
        if (['succeeded', 'failed', 'canceled'].includes(body.status)) settle();
      }
      return new Response(null, { status });
    }) as typeof fetch,
  });
  const render = async (p: Prediction) => ({ status: p.status, output: p.output });
  return { d, sent, attempts, render, completed: () => completed, reset: () => (completed = new Promise<void>((r) => (settle = r))) };
}

/** Resolves once `check` holds (each delivery is a few event-loop turns away). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((res) => setImmediate(res));
}

describe('webhook dispatch', () => {
  it('sends start at once, output as it grows, and completed last, in order', async () => {
    const r = recording();
    r.d.watch(base, 'http://127.0.0.1:1/hook', ['start', 'output', 'logs', 'completed'], r.render);
    r.d.update(state({ status: 'processing', output: ['a'] }));
    await until(() => r.sent.length === 2);
    r.d.update(state({ status: 'processing', output: ['a', 'b'] }));
    await until(() => r.sent.length === 3);
    r.d.update(state({ status: 'succeeded', output: ['a', 'b', 'c'] }));
    await r.completed();
    expect(r.sent.map((s) => [s.status, s.outputs])).toEqual([
      ['starting', 0],
      ['processing', 1],
      ['processing', 2],
      ['succeeded', 3],
    ]);
    r.d.update(state({ status: 'succeeded', output: ['a', 'b', 'c'] }));
    expect(r.sent).toHaveLength(4);
  });

  it('keeps to the filter, and sends nothing for a state with nothing new', async () => {
    const r = recording();
    r.d.watch(base, 'http://127.0.0.1:1/hook', ['logs', 'completed'], r.render);
    r.d.update(state({ status: 'processing', output: ['a'] })); // output changed, but output is not asked for
    r.d.update(state({ status: 'processing', output: ['a'], logs: 'x\n' }));
    r.d.update(state({ status: 'processing', output: ['a'], logs: 'x\n' }));
    await until(() => r.sent.length === 1);
    r.d.update(state({ status: 'failed', output: ['a'], logs: 'x\n', error: 'e' }));
    await r.completed();
    expect(r.sent.map((s) => s.status)).toEqual(['processing', 'failed']);
  });

  it('sends output and logs at most once per throttle interval, with the latest state', async () => {
    const r = recording({ throttleMs: 60_000 });
    r.d.watch(base, 'http://127.0.0.1:1/hook', ['output', 'completed'], r.render);
    r.d.update(state({ status: 'processing', output: ['a'] })); // the first goes out at once
    await until(() => r.sent.length === 1);
    r.d.update(state({ status: 'processing', output: ['a', 'b'] })); // within the interval: held
    r.d.update(state({ status: 'processing', output: ['a', 'b', 'c'] }));
    r.d.update(state({ status: 'succeeded', output: ['a', 'b', 'c', 'd'] })); // completed is never held back
    await r.completed();
    expect(r.sent.map((s) => [s.status, s.outputs])).toEqual([
      ['processing', 1],
      ['succeeded', 4],
    ]);
  });

  it('tries a refused delivery again, with the same webhook-id, and gives up after the last retry', async () => {
    const r = recording({ answers: [500, 503, 200] });
    r.d.watch(base, 'http://127.0.0.1:1/hook', ['completed'], r.render);
    r.d.update(state({ status: 'succeeded', output: 'x' }));
    await r.completed();
    expect(r.sent).toHaveLength(1);
    expect(r.attempts).toHaveLength(3);
    expect(new Set(r.attempts).size).toBe(1);
    const failures: string[] = [];
    const d = new WebhookDispatcher({
      secret: 'whsec_' + Buffer.alloc(32, 1).toString('base64'),
      retryDelaysMs: [1, 1],
      fetch: (async () => new Response(null, { status: 500 })) as unknown as typeof fetch,
      onFailure: (url, reason) => failures.push(`${url} ${reason}`),
    });
    expect(await d.deliver('http://127.0.0.1:1/hook', '{}')).toBe(false);
    expect(failures).toEqual(['http://127.0.0.1:1/hook answered 500']);
  });
});
