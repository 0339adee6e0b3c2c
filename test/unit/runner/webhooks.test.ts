import { afterEach, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../../src/main/core/cog/webhooks';

async function post(port: number, path: string, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  await res.arrayBuffer();
  return res.status;
}

describe('webhook receiver', () => {
  const open: WebhookReceiver[] = [];
  afterEach(async () => Promise.all(open.splice(0).map((r) => r.close())));

  it('delivers a prediction webhook to its listener only on its own signed path', async () => {
    const r = new WebhookReceiver('secret');
    open.push(r);
    await r.listen(['127.0.0.1']);
    const got: unknown[] = [];
    const path = r.register('abc234', (s) => got.push(s));
    expect(await post(r.port, path, { status: 'processing', logs: 'x' })).toBe(200);
    expect(got).toEqual([{ status: 'processing', logs: 'x' }]);
    expect(await post(r.port, path.replace(/[0-9a-f]{4}$/, '0000'), { status: 'succeeded' })).toBe(404);
    expect(await post(r.port, '/webhook/other/' + '0'.repeat(32), {})).toBe(404);
    r.unregister('abc234');
    expect(await post(r.port, path, { status: 'succeeded' })).toBe(404);
    expect(got).toHaveLength(1);
  });

  it('gives the same path after a restart with the same secret, and binds the same port when it is free', async () => {
    const a = new WebhookReceiver('secret');
    await a.listen(['127.0.0.1']);
    const path = a.register('p1', () => undefined);
    const port = a.port;
    await a.close();
    const b = new WebhookReceiver('secret');
    open.push(b);
    await b.listen(['127.0.0.1'], port);
    expect(b.port).toBe(port);
    const got: unknown[] = [];
    expect(b.register('p1', (s) => got.push(s))).toBe(path);
    expect(await post(port, path, { status: 'succeeded' })).toBe(200);
    expect(got).toHaveLength(1);
  });

  it('takes another port when the preferred one is taken', async () => {
    const a = new WebhookReceiver('s');
    const b = new WebhookReceiver('s');
    open.push(a, b);
    expect(await a.listen(['127.0.0.1'])).toBe(false);
    expect(await b.listen(['127.0.0.1'], a.port)).toBe(false);
    expect(b.port).not.toBe(a.port);
    expect(b.port).toBeGreaterThan(0);
    const c = new WebhookReceiver('s');
    await b.close();
    open.push(c);
    expect(await c.listen(['127.0.0.1'], b.port)).toBe(true);
  });

  it("hands an authentic webhook of a prediction nobody listens for to the orphan handler, which decides the answer", async () => {
    const r = new WebhookReceiver('secret');
    open.push(r);
    await r.listen(['127.0.0.1']);
    const path = r.register('gone1', () => undefined);
    r.unregister('gone1');
    // Without a handler: 404, as before.
    expect(await post(r.port, path, { status: 'succeeded' })).toBe(404);
    const seen: Array<[string, unknown]> = [];
    let take = false;
    r.onOrphan = async (id, state) => {
      seen.push([id, state]);
      return take;
    };
    // Not taken: 503, so that Cog tries `completed` again later.
    expect(await post(r.port, path, { status: 'succeeded', output: 'late' })).toBe(503);
    take = true;
    expect(await post(r.port, path, { status: 'succeeded', output: 'late' })).toBe(200);
    expect(seen).toEqual([
      ['gone1', { status: 'succeeded', output: 'late' }],
      ['gone1', { status: 'succeeded', output: 'late' }],
    ]);
    // A forged token never reaches it.
    expect(await post(r.port, path.replace(/[0-9a-f]{4}$/, '0000'), { status: 'succeeded' })).toBe(404);
    expect(seen).toHaveLength(2);
  });
});
