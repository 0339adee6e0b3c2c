/**
 * The fixture servers answer like the real ones, row by row of reference/cog-generations.md: raw HTTP against
 * the coglet and Go runtime fixture containers (the engine's handling of each row is in generations.test.ts
 * and the suites parametrized over COG_SERVERS). A fixture that drifted from the reference would make those
 * tests prove nothing.
 */
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { docker, waitFor } from '../../helpers/core';
import { fixtureImage, fixtureStats, type FixtureName } from '../../helpers/fixtures';

const started: string[] = [];
afterAll(async () => {
  await Promise.all(started.map((id) => docker.getContainer(id).remove({ force: true }).catch(() => undefined)));
});

/** Starts a fixture image the way the engine does (port 5000 on 127.0.0.1); answers its URL and id. */
async function run(name: FixtureName): Promise<{ url: string; id: string }> {
  const c = await docker.createContainer({
    Image: fixtureImage(name),
    ExposedPorts: { '5000/tcp': {} },
    HostConfig: { PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  started.push(c.id);
  await c.start();
  const port = (await c.inspect()).NetworkSettings.Ports['5000/tcp']![0].HostPort;
  const url = `http://127.0.0.1:${port}`;
  // Each try bounded: a connection made just as the container starts can hang in Docker's port proxy.
  const listening = () => fetch(`${url}/health-check`, { signal: AbortSignal.timeout(1000) }).then((r) => r.arrayBuffer().then(() => true), () => false);
  await waitFor(listening, `${name} to listen`);
  return { url, id: c.id };
}

const json = { 'content-type': 'application/json' };
/** fetch's Response, its JSON typed loosely (these tests check shapes field by field). */
type Answer = Omit<Response, 'json'> & { json: () => Promise<any> };
const post = (url: string, body: unknown, headers: Record<string, string> = json): Promise<Answer> =>
  fetch(`${url}/predictions`, { method: 'POST', headers, body: JSON.stringify(body) });
const health = async (url: string): Promise<any> => (await fetch(`${url}/health-check`)).json();
const ready = (url: string) => waitFor(async () => ['READY', 'SETUP_FAILED'].includes((await health(url)).status), 'setup to end');

/** A POST without any Content-Type header (fetch always adds one to a string body). */
function postWithoutContentType(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/predictions`, { method: 'POST', headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the coglet 0.22 fixture', () => {
  it('during setup: 503 for predictions, health and the schema; then READY with version.coglet', async () => {
    const { url } = await run('coglet-slow-setup');
    const during = await post(url, { input: { text: 'x' } });
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ error: expect.stringMatching(/^Setup has not finished yet/), status: 'failed' });
    const h = await fetch(`${url}/health-check`);
    expect(h.status).toBe(503);
    expect(await h.json()).toMatchObject({ status: 'STARTING', setup: { started_at: expect.stringMatching(/\.\d{9}Z$/), status: 'starting' }, version: { coglet: '0.22.0' } });
    expect((await fetch(`${url}/openapi.json`)).status).toBe(503);
    await ready(url);
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
    expect(await (await fetch(`${url}/`)).json()).toMatchObject({ cog_version: '0.22.0' });
    const missing = await fetch(`${url}/nope`);
    expect([missing.status, await missing.text()]).toEqual([404, '']);
  }, 30_000);

  it('answers short, 409s with its own body, 422s pydantic-style and reads no body without Content-Type', async () => {
    const { url } = await run('coglet-echo');
    await ready(url);
    const sync = await (await post(url, { input: { text: 'a', times: 1 } })).json();
    expect(Object.keys(sync)).toEqual(['id', 'output', 'logs', 'status', 'metrics']);
    expect(sync).toMatchObject({ output: 'hello a', status: 'succeeded', metrics: { predict_time: expect.any(Number) } });
    const invalid = await post(url, { input: { times: 99 } });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).detail).toEqual([
      { loc: ['body', 'input', 'text'], msg: 'field required', type: 'value_error.missing' },
      { loc: ['body', 'input', 'times'], msg: expect.any(String), type: 'value_error' },
    ]);
    expect((await postWithoutContentType(url, JSON.stringify({ input: { text: 'a' } }))).status).toBe(422);

    const accepted = await post(url, { id: 'slow1', input: { text: 's', sleep: 30 } }, { ...json, prefer: 'respond-async' });
    expect([accepted.status, await accepted.json()]).toEqual([202, { id: 'slow1', status: 'starting' }]);
    const again = await fetch(`${url}/predictions/slow1`, { method: 'PUT', headers: json, body: JSON.stringify({ input: { text: 's' } }) });
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ id: 'slow1', input: { text: 's', sleep: 30 }, status: 'processing' });
    const busy = await post(url, { input: { text: 'b' } });
    expect([busy.status, await busy.json()]).toEqual([409, { error: 'At capacity - all prediction slots busy', status: 'failed' }]);
    expect((await health(url)).status).toBe('BUSY');
    expect((await fetch(`${url}/predictions/slow1/cancel`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await fixtureStats(url)).inflight === 0, 'the cancel');

  }, 30_000);

  it('a sync call whose client disconnects is canceled', async () => {
    const { url } = await run('coglet-echo');
    await ready(url);
    const req = http.request(`${url}/predictions`, { method: 'POST', headers: json });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ input: { text: 'd', sleep: 30 } }));
    await waitFor(async () => (await fixtureStats(url)).inflight === 1, 'the call to start');
    req.destroy();
    await waitFor(async () => (await fixtureStats(url)).inflight === 0, 'the prediction to be canceled');
    expect((await health(url)).status).toBe('READY');
  }, 30_000);

  it('a worker crash fails what was in flight with "Worker crashed", then UNHEALTHY and 409 for good', async () => {
    const { url } = await run('coglet-echo-c4');
    await ready(url);
    const other = post(url, { input: { text: 'o', sleep: 30 } }).then((r) => r.json());
    await waitFor(async () => (await fixtureStats(url)).inflight === 1, 'the first to run');
    const crashed = await (await post(url, { input: { text: 'c', crash: true } })).json();
    expect(crashed).toMatchObject({ status: 'failed', error: 'Worker crashed', logs: '' });
    expect(await other).toMatchObject({ status: 'failed', error: 'Worker crashed' });
    expect(await health(url)).toMatchObject({ status: 'UNHEALTHY' });
    expect((await post(url, { input: { text: 'n' } })).status).toBe(409);
    expect((await fixtureStats(url)).max_inflight).toBe(2);
  }, 30_000);

  it('a failed setup: SETUP_FAILED with one line of setup logs, the traceback only in docker logs, and the container stays up', async () => {
    const { url, id } = await run('coglet-setup-fail');
    await ready(url);
    const h = await health(url);
    expect(h.status).toBe('SETUP_FAILED');
    expect(h.setup.logs.trim().split('\n')).toHaveLength(1);
    expect((await post(url, { input: {} })).status).toBe(503);
    expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
    const logs = String(await docker.getContainer(id).logs({ stdout: true, stderr: true }));
    expect(logs).toContain('Traceback');
  }, 30_000);
});

describe('the Go cog-runtime fixture', () => {
  it('plain-text errors, exact Content-Type, async only with a webhook, a PUT that is not idempotent, concurrency in its health', async () => {
    const { url } = await run('go-echo');
    await ready(url);
    expect(await health(url)).toMatchObject({ status: 'READY', concurrency: { max: 1, current: 0 } });
    const root = await fetch(`${url}/`);
    expect([root.status, await root.text()]).toEqual([200, '']);
    const wrongType = await post(url, { input: { text: 'a' } }, { 'content-type': 'application/json; charset=utf-8' });
    expect([wrongType.status, wrongType.headers.get('content-type'), await wrongType.text()]).toEqual([415, 'text/plain; charset=utf-8', 'invalid content type\n']);
    const asyncNoHook = await post(url, { input: { text: 'a' } }, { ...json, prefer: 'respond-async' });
    expect([asyncNoHook.status, await asyncNoHook.text()]).toEqual([400, 'Prefer: respond-async and webhook mismatch\n']);
    expect((await post(url, { input: { text: 'a' }, webhook: 'http://127.0.0.1:9/x' })).status).toBe(400);
    const hooked = { input: { text: 'p', sleep: 30 }, webhook: 'http://127.0.0.1:9/x' };
    const put = (id: string) => fetch(`${url}/predictions/${id}`, { method: 'PUT', headers: { ...json, prefer: 'respond-async' }, body: JSON.stringify(hooked) });
    const first = await put('g1');
    expect([first.status, await first.json()]).toEqual([202, { id: 'g1', status: 'starting' }]);
    const second = await put('g1');
    expect([second.status, await second.text()]).toEqual([409, 'prediction exists\n']);
    expect(await health(url)).toMatchObject({ status: 'BUSY', concurrency: { max: 1, current: 1 } });
    const busy = await post(url, { input: { text: 'b' } });
    expect([busy.status, await busy.text()]).toEqual([409, 'already running a prediction\n']);
    expect((await fetch(`${url}/predictions/g1/cancel`, { method: 'POST' })).status).toBe(200);
    const unknown = await fetch(`${url}/predictions/nope/cancel`, { method: 'POST' });
    expect([unknown.status, await unknown.text()]).toEqual([404, 'not found\n']);
    const sync = await (await post(url, { input: { text: 's', times: 1 } })).json();
    expect(sync).toMatchObject({ status: 'succeeded', output: 'hello s' });
    expect(sync).not.toHaveProperty('input');
  }, 30_000);

  it('a failed setup: 500 `setup failed` in plain text, the traceback in setup.logs', async () => {
    const { url } = await run('go-setup-fail');
    await ready(url);
    expect((await health(url)).setup.logs).toContain('Traceback');
    const refused = await post(url, { input: {} });
    expect([refused.status, await refused.text()]).toEqual([500, 'setup failed\n']);
  }, 30_000);
});
