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
    await a.listen(['127.0.0.1']);
    await b.listen(['127.0.0.1'], a.port);
    expect(b.port).not.toBe(a.port);
    expect(b.port).toBeGreaterThan(0);
  });
});
