/**
 * Webhooks of predictions made through the local API, received by a real HTTP server on loopback and
 * checked with the official client's own `validateWebhook` and the secret it reads from the API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Replicate, { validateWebhook } from 'replicate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore, waitFor } from '../../helpers/core';
import { COG_SERVERS, fixtureImage } from '../../helpers/fixtures';
import { checkingFetch, schemaValidator } from './openapi';

type TestCore = Awaited<ReturnType<typeof openCore>>;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; status: string; output: unknown; logs: string };
}

describe('webhooks from the local API', () => {
  let core: TestCore;
  let server: ApiServer;
  let replicate: Replicate;
  let receiver: http.Server;
  let hookBase = '';
  const received: Received[] = [];
  /** Paths whose first delivery is answered 500. */
  const failOnce = new Set<string>();
  const problems: string[] = [];
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    v.stream = await core.ensureVersion(fixtureImage('stream'));
    for (const s of COG_SERVERS) v[`stream-${s.generation}`] = await core.ensureVersion(s.image('stream'));
    v.echo = await core.ensureVersion(fixtureImage('echo'));
    server = await startApiServer(core, { port: 0, webhookRetryDelaysMs: [20, 20] });
    replicate = new Replicate({ auth: server.token, baseUrl: server.url, fetch: checkingFetch(problems) });
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        if (failOnce.delete(path)) {
          res.writeHead(500).end();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ path, headers: req.headers, body, json: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookBase = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await new Promise((r) => receiver?.close(r));
    await core?.dispose();
  });

  const of = (path: string) => received.filter((r) => r.path === path);
  /** A received webhook as the Fetch Request a receiver would hand to validateWebhook. */
  const asRequest = (h: Received, body = h.body) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(h.headers)) if (typeof v === 'string') headers.set(k, v);
    return new Request(hookBase + h.path, { method: 'POST', headers, body });
  };

  // The model's own webhooks differ by server (coglet sends each on its own, a stale one after `completed`):
  // what the local API sends on stays in order.
  it.each(COG_SERVERS)('sends start, output and completed, signed so that validateWebhook accepts them ($label)', async (s) => {
    const path = `/hook/all-${s.generation}`;
    const created = await replicate.predictions.create({
      version: v[`stream-${s.generation}`].id,
      input: { prompt: 'h', n: 5, delay: 0.15 },
      webhook: hookBase + path,
      webhook_events_filter: ['start', 'output', 'completed'],
    });
    await waitFor(() => of(path).some((r) => r.json.status === 'succeeded'), 'the completed webhook');
    const hooks = of(path);
    expect(hooks[0].json).toMatchObject({ id: created.id, status: 'starting' });
    expect(hooks.at(-1)!.json).toMatchObject({ id: created.id, status: 'succeeded', output: ['h-0 ', 'h-1 ', 'h-2 ', 'h-3 ', 'h-4 '] });
    // Between them, partial outputs that only grow.
    const lengths = hooks.map((h) => (Array.isArray(h.json.output) ? h.json.output.length : 0));
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(hooks.filter((h) => h.json.status === 'succeeded')).toHaveLength(1);
    // Nothing after the end, however late the model's own events come.
    await new Promise((r) => setTimeout(r, 600));
    expect(of(path).at(-1)!.json.status).toBe('succeeded');

    const { key } = await replicate.webhooks.default.secret.get();
    expect(key).toBe(server.webhookSecret);
    expect(key).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const isPrediction = schemaValidator('schemas_prediction_response');
    for (const h of hooks) {
      expect(h.headers['webhook-id']).toMatch(/^msg_/);
      expect(Number(h.headers['webhook-timestamp'])).toBeGreaterThan(0);
      expect(await validateWebhook(asRequest(h), key)).toBe(true);
      expect(isPrediction(JSON.parse(h.body)), JSON.stringify(isPrediction.errors)).toBe(true);
    }
    // A body changed on the way no longer passes.
    const forged = hooks.at(-1)!.body.replace('succeeded', 'failed');
    expect(await validateWebhook(asRequest(hooks.at(-1)!, forged), key)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('sends only the events asked for', async () => {
    const path = '/hook/completed-only';
    await replicate.predictions.create({ version: v.stream.id, input: { prompt: 'o', n: 4, delay: 0.1 }, webhook: hookBase + path, webhook_events_filter: ['completed'] });
    const done = await waitFor(() => of(path).find((r) => r.json.status === 'succeeded'), 'the completed webhook');
    // One prediction's webhooks go out one after another, so nothing sent before `completed` can still be
    // on its way: no start, no output.
    expect(of(path)).toEqual([done]);
  });

  it('tries a failed delivery again with the same webhook-id', async () => {
    const path = '/hook/flaky';
    failOnce.add(path);
    await replicate.run('fixtures/echo', { input: { text: 'r' }, webhook: hookBase + path, webhook_events_filter: ['completed'] });
    const hook = await waitFor(() => of(path)[0], 'the retried webhook');
    expect(failOnce.has(path)).toBe(false); // the first try was refused
    expect(hook.json.status).toBe('succeeded');
    expect(await validateWebhook(asRequest(hook), server.webhookSecret)).toBe(true);
  });
});
