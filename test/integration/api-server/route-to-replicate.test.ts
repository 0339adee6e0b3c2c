/**
 * The local API as one endpoint for both: the official `replicate` client pointed at Cogdesk runs a local
 * model here, and, with routing to Replicate on (the `routeToReplicate` setting or `cogdesk serve
 * --route-to-replicate`), a model that is not here on Replicate (the fake Replicate API behind the core),
 * never without the setting, never for a model marked local-only, never without a token; every answer says
 * where it ran (`ran_on` and `X-Cogdesk-Ran-On`). Real Docker, registry and SQLite; only Replicate is faked.
 */
import Replicate from 'replicate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PredictionRequest } from '../../../src/shared/api';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { API_URL_ENV, memoryTokenStore, type TokenStore } from '../../../src/main/core/remote';
import { serveInProcess } from './serve-in-process';
import { openCore, tempHome } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, GONE_VERSION_ID, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

type TestCore = Awaited<ReturnType<typeof openCore>>;
type ApiPrediction = Awaited<ReturnType<Replicate['predictions']['get']>> & { ran_on?: string };

/** A Replicate model the fake knows and this machine does not have. */
const CLOUD_MODEL = 'stability-ai/sdxl';

let fake: FakeReplicate;
let core: TestCore;
let tokens: TokenStore;
let server: ApiServer;
let replicate: Replicate;
let echo: Version;

/** What the local API answered, raw (status, headers, body). */
async function call(path: string, init: RequestInit = {}): Promise<{ status: number; ranOn: string | null; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });
  return { status: res.status, ranOn: res.headers.get('x-cogdesk-ran-on'), headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** Requests the fake got that would create a prediction on Replicate. */
const cloudCreates = () => fake.requests.filter((r) => r.method === 'POST' && /\/predictions$/.test(r.path));

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  tokens = memoryTokenStore(FAKE_TOKEN);
  core = await openCore({ recover: 'passive', tokenStore: tokens });
  await core.updateSettings({ replicateApiUrl: fake.url });
  echo = await core.ensureVersion(fixtureImage('echo'));
  server = await startApiServer(core, { port: 0 });
  replicate = new Replicate({ auth: server.token, baseUrl: server.url });
}, 180_000);
afterAll(async () => {
  await server?.close();
  await core?.dispose();
  expectAnswersValid(fake);
  await fake?.close();
});
beforeEach(async () => {
  fake.predictions.auto = false;
  await core.updateSettings({ routeToReplicate: false });
  await tokens.set(FAKE_TOKEN);
  await core.updateModelSettings(echo.modelId, { localOnly: false } as never);
});

describe('the local API as one endpoint for local and Replicate models', () => {
  it('routing is off by default, and a setting like any other', async () => {
    expect((await core.getSettings()).routeToReplicate).toBe(false);
    await expect(core.updateSettings({ routeToReplicate: 'yes' as never })).rejects.toThrow(/routeToReplicate must be true or false/);
  });

  it('runs a model that is here locally, with routing on, and says so (ran_on, X-Cogdesk-Ran-On)', async () => {
    await core.updateSettings({ routeToReplicate: true });
    const seen: ApiPrediction[] = [];
    expect(await replicate.run('fixtures/echo', { input: { text: 'here', times: 1 } }, (p) => seen.push(p))).toBe('hello here');
    expect(seen.at(-1)).toMatchObject({ status: 'succeeded', ran_on: 'local' });
    const got = await call(`/predictions/${seen[0].id}`);
    expect(got.ranOn).toBe('local');
    expect(got.body.ran_on).toBe('local');
    expect((await core.getPrediction(seen[0].id))?.runOn).toBe('local');
    expect(cloudCreates()).toEqual([]);
  });

  it('lets a page allowed by --cors read where a prediction ran (the header is exposed)', async () => {
    const open = await startApiServer(core, { port: 0, cors: ['http://app.example'] });
    try {
      const created = await fetch(`${open.url}/predictions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${open.token}`, 'Content-Type': 'application/json', Origin: 'http://app.example' },
        body: JSON.stringify({ version: 'fixtures/echo', input: { text: 'page' } }),
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('x-cogdesk-ran-on')).toBe('local');
      expect(created.headers.get('access-control-expose-headers')).toBe('X-Cogdesk-Ran-On');
      const p = (await created.json()) as { id: string };
      await core.waitForPrediction(p.id);
    } finally {
      await open.close();
    }
  });

  it('with the setting on but no Replicate token, answers 422 saying to set one (cogdesk login)', async () => {
    await core.updateSettings({ routeToReplicate: true });
    await tokens.clear();
    const r = await call(`/models/${CLOUD_MODEL}/predictions`, { method: 'POST', body: JSON.stringify({ input: { prompt: 'a cat' } }) });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('set a Replicate token: cogdesk login');
    expect(cloudCreates()).toEqual([]);
  });

  it('never sends a model marked local-only to Replicate, even a version of it that is not here', async () => {
    await core.updateSettings({ routeToReplicate: true });
    const saved = await core.updateModelSettings(echo.modelId, { localOnly: true } as never);
    expect(saved.localOnly).toBe(true);
    expect((await core.getModelSettings(echo.modelId)).localOnly).toBe(true);
    const r = await call('/predictions', { method: 'POST', body: JSON.stringify({ version: `fixtures/echo:${GONE_VERSION_ID}`, input: {} }) });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain(`fixtures/echo is marked local-only (${echo.modelId}), so it is not run on Replicate`);
    // The model itself still runs here.
    expect(await replicate.run('fixtures/echo', { input: { text: 'still', times: 1 } })).toBe('hello still');
    expect(cloudCreates()).toEqual([]);
  });
});

describe('cogdesk serve --route-to-replicate (the server option), with the cloud create injected', () => {
  let routed: ApiServer;
  let client: Replicate;
  const asked: PredictionRequest[] = [];

  beforeAll(async () => {
    // What the core's createRemotePrediction does first: keep the record it made on Replicate.
    routed = await startApiServer(core, {
      port: 0,
      routeToReplicate: true,
      createRemotePrediction: async (request) => {
        asked.push(request);
        const id = `r${asked.length}${'x'.repeat(20)}`;
        return core.store.predictions.createRemote({
          remote: { id, webUrl: `https://replicate.com/p/${id}`, model: CLOUD_MODEL, version: null },
          versionId: '',
          status: 'starting',
          input: request.input,
          source: 'api',
          createdAt: new Date().toISOString(),
          streamUrl: null,
        });
      },
    });
    client = new Replicate({ auth: routed.token, baseUrl: routed.url });
  });
  afterAll(async () => {
    await routed?.close();
  });

  it('creates a model that is not here on Replicate (setting off, flag on), with uploads as local files, and says where it ran', async () => {
    const created = (await client.predictions.create({ model: CLOUD_MODEL, input: { prompt: 'a cat', image: Buffer.from('cat bytes') } })) as ApiPrediction;
    expect(created).toMatchObject({ model: CLOUD_MODEL, status: 'starting', ran_on: 'replicate' });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ version: CLOUD_MODEL, on: 'replicate', source: 'api', input: { prompt: 'a cat' } });
    // The upload went to the local API; the core gets its file here, to send to Replicate itself.
    expect(asked[0].input.image).toMatch(new RegExp(`^${core.paths.home}/api-files/`));

    const res = await fetch(`${routed.url}/predictions/${created.id}`, { headers: { Authorization: `Bearer ${routed.token}` } });
    expect(res.headers.get('x-cogdesk-ran-on')).toBe('replicate');
    expect(await res.json()).toMatchObject({ id: created.id, ran_on: 'replicate', model: CLOUD_MODEL });

    // A version of a Replicate model by owner/name:version goes the same way.
    const v = 'b'.repeat(64);
    await client.predictions.create({ version: `${CLOUD_MODEL}:${v}`, input: { prompt: 'a dog' } });
    expect(asked[1]).toMatchObject({ version: `${CLOUD_MODEL}:${v}`, on: 'replicate' });

    // The other server, without the flag and with the setting off, still answers 404 for it.
    const e = await replicate.predictions.create({ model: CLOUD_MODEL, input: { prompt: 'a cat' } }).then(() => null, (x: { response?: Response }) => x);
    expect(e?.response?.status).toBe(404);
  });

  it('refuses a path on this machine as an input of a cloud prediction (nothing local is sent that a client merely named)', async () => {
    const before = asked.length;
    const r = await fetch(`${routed.url}/models/${CLOUD_MODEL}/predictions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${routed.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: { image: '/etc/passwd' } }),
    });
    expect(r.status).toBe(422);
    expect(((await r.json()) as { detail: string }).detail).toContain('"/etc/passwd" is a path on this machine');
    expect(asked.length).toBe(before);
  });
});

/** The server-sent events of a stream URL, read until `until` says enough (or the stream ends). */
async function readEvents(url: string, until: (events: Array<{ event: string; data: string }>) => boolean): Promise<Array<{ event: string; data: string }>> {
  const res = await fetch(url, { headers: { Accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  const events: Array<{ event: string; data: string }> = [];
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
      events.push({ event, data });
    }
    if (until(events)) break;
  }
  return events;
}

describe('with the real core and the fake Replicate API behind it', () => {
  const lastCreated = () => [...fake.predictions.runs.keys()].at(-1)!;

  it('runs a model that is not here on Replicate only with the setting, says where it ran, and keeps it as run there', async () => {
    fake.predictions.auto = true;
    const off = await replicate.run(CLOUD_MODEL, { input: { prompt: 'a red fox' } }).then(() => null, (x: { response?: Response }) => x);
    expect(off?.response?.status).toBe(404);
    expect(cloudCreates()).toEqual([]);

    await core.updateSettings({ routeToReplicate: true });
    const seen: ApiPrediction[] = [];
    const output = await replicate.run(CLOUD_MODEL, { input: { prompt: 'a red fox' } }, (p) => seen.push(p));
    expect(output).toBeTruthy();
    expect(cloudCreates()).toHaveLength(1);
    expect(fake.predictions.runs.get(lastCreated())!.body.input).toEqual({ prompt: 'a red fox' });
    expect(seen.at(-1)).toMatchObject({ status: 'succeeded', ran_on: 'replicate', model: CLOUD_MODEL });

    const id = seen[0].id;
    const got = await call(`/predictions/${id}`);
    expect(got.ranOn).toBe('replicate');
    expect(got.body).toMatchObject({ id, ran_on: 'replicate', status: 'succeeded', source: 'api' });
    expect(await core.getPrediction(id)).toMatchObject({ runOn: 'replicate', source: 'api', status: 'succeeded', remote: { id: lastCreated(), model: CLOUD_MODEL } });
  });

  it('sends a file uploaded to the local API on to Replicate (a small one as a data: URI)', async () => {
    await core.updateSettings({ routeToReplicate: true });
    fake.predictions.auto = true;
    const created = (await replicate.predictions.create({ model: CLOUD_MODEL, input: { prompt: 'with a file', image: Buffer.from('cat bytes') } })) as ApiPrediction;
    expect(created.ran_on).toBe('replicate');
    const sent = fake.predictions.runs.get(lastCreated())!.body.input as Record<string, unknown>;
    expect(sent.prompt).toBe('with a file');
    expect(String(sent.image)).toMatch(/^data:[^;]*;base64,/);
    expect(Buffer.from(String(sent.image).split(',')[1], 'base64').toString()).toBe('cat bytes');
  });

  it('streams a cloud prediction and cancels it through the local API', async () => {
    await core.updateSettings({ routeToReplicate: true });
    const created = (await replicate.predictions.create({ model: CLOUD_MODEL, input: { prompt: 'slow' } })) as ApiPrediction;
    expect(created).toMatchObject({ status: 'starting', ran_on: 'replicate' });
    const remoteId = lastCreated();
    fake.predictions.begin(remoteId);
    fake.predictions.log(remoteId, 'loading');
    fake.predictions.output(remoteId, 'to');
    const events = await readEvents(created.urls.stream!, (e) => e.some((x) => x.event === 'output'));
    expect(events).toContainEqual({ event: 'output', data: 'to' });
    expect(events).toContainEqual({ event: 'logs', data: 'loading' });

    const canceled = (await replicate.predictions.cancel(created.id)) as ApiPrediction;
    expect(canceled).toMatchObject({ id: created.id, status: 'canceled', ran_on: 'replicate' });
    expect(fake.predictions.runs.get(remoteId)!.body.status).toBe('canceled');
  });

  it("passes Replicate's 402 (no credit) and 429 (with its Retry-After) through with their meaning", async () => {
    await core.updateSettings({ routeToReplicate: true });
    fake.predictions.noCredit(1);
    const paid = await call(`/models/${CLOUD_MODEL}/predictions`, { method: 'POST', body: JSON.stringify({ input: { prompt: 'x' } }) });
    expect(paid.status).toBe(402);
    expect(paid.body.detail).toMatch(/no credit/);
    expect(paid.body.hint).toContain('https://replicate.com/account/billing');

    // Longer than the client waits: it gives up at once and says when to come back.
    fake.throttle(10, 60);
    const slow = await call(`/models/${CLOUD_MODEL}/predictions`, { method: 'POST', body: JSON.stringify({ input: { prompt: 'x' } }) });
    fake.throttle(0);
    expect(slow.status).toBe(429);
    expect(slow.headers.get('retry-after')).toBe('60');
    expect(slow.body.detail).toContain('Replicate is limiting requests');
  });
});

describe('cogdesk serve --route-to-replicate', () => {
  it('turns routing on for that server while the saved setting stays off', async () => {
    const { home, cleanup } = tempHome();
    const savedUrl = process.env[API_URL_ENV];
    process.env[API_URL_ENV] = fake.url;
    let serving: Awaited<ReturnType<typeof serveInProcess>> | undefined;
    try {
      serving = await serveInProcess(['--port', '0', '--quiet', '--route-to-replicate'], { home, recover: 'passive', tokenStore: memoryTokenStore(FAKE_TOKEN) });
      fake.predictions.auto = true;
      const client = new Replicate({ auth: serving.server.token, baseUrl: serving.server.url });
      const p = (await client.predictions.create({ model: CLOUD_MODEL, input: { prompt: 'from serve' }, wait: 30 })) as ApiPrediction;
      expect(p).toMatchObject({ model: CLOUD_MODEL, ran_on: 'replicate' });
    } finally {
      serving?.stop.abort();
      await serving?.done.catch(() => undefined);
      if (savedUrl === undefined) delete process.env[API_URL_ENV];
      else process.env[API_URL_ENV] = savedUrl;
      // The saved setting was never turned on: the flag did it.
      const after = await openCore({ home, recover: 'passive' });
      expect((await after.getSettings()).routeToReplicate).toBe(false);
      await after.close();
      cleanup();
    }
  });
});
