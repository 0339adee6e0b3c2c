/**
 * The local API at the HTTP level: auth, the Host check, CORS, body limits, and the status and problem
 * body of each kind of bad request. Every answer is checked against the schema (or the problem shape).
 */
import http from 'node:http';
import { statSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { checkAnswer } from './openapi';

type TestCore = Awaited<ReturnType<typeof openCore>>;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => Record<string, unknown>;
}

const problems: string[] = [];

/** One raw request (any Host, any body, chunked when asked); the answer is checked against the schema. */
function call(
  server: ApiServer,
  method: string,
  path: string,
  o: { token?: string | null; body?: string | Buffer; headers?: Record<string, string>; chunked?: boolean } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: `127.0.0.1:${server.port}`, ...o.headers };
    const token = o.token === undefined ? server.token : o.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
    if (body && !o.chunked) headers['Content-Length'] = String(body.length);
    if (body && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const type = String(res.headers['content-type'] ?? '');
        problems.push(...checkAnswer(method, path.split('?')[0], res.statusCode ?? 0, type, /json/.test(type) ? text : ''));
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    if (body && o.chunked) {
      // In pieces, without a Content-Length: the limit must hold while the body arrives.
      for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
      req.end();
    } else {
      req.end(body);
    }
  });
}

describe('the local API over HTTP: auth, Host, CORS, limits, bad requests', () => {
  let core: TestCore;
  let server: ApiServer;
  let echo: Version;

  beforeAll(async () => {
    core = await openCore();
    echo = await core.ensureVersion(fixtureImage('echo'));
    server = await startApiServer(core, { port: 0, maxBodyBytes: 4096, maxUploadBytes: 8192 });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });
  afterEach(() => {
    const found = problems.splice(0);
    expect(found, 'answers that do not follow replicate-openapi.json or the problem shape').toEqual([]);
  });

  it('answers 401 with Replicate’s problem body without the token or with a wrong one', async () => {
    for (const token of [null, 'cogdesk_wrong-token-wrong-token-wrong-token']) {
      const res = await call(server, 'GET', '/v1/predictions', { token });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toMatchObject({ title: 'Unauthenticated', detail: expect.stringContaining('You did not pass a valid authentication token'), status: 401 });
    }
    const created = await call(server, 'POST', '/v1/predictions', { token: null, body: JSON.stringify({ version: echo.id, input: { text: 'x' } }) });
    expect(created.status).toBe(401);
    expect((await core.listPredictions()).length).toBe(0);
    expect((await call(server, 'GET', '/v1/predictions')).status).toBe(200);
  });

  it('keeps the token in the data folder, readable by its owner only, and reuses it', async () => {
    expect(statSync(server.tokenFile).mode & 0o777).toBe(0o600);
    const again = await startApiServer(core, { port: 0 });
    try {
      expect(again.token).toBe(server.token);
      expect(again.webhookSecret).toBe(server.webhookSecret);
    } finally {
      await again.close();
    }
  });

  it('refuses a Host that is not a loopback name (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1.nip.io', `localhost.evil.example:${server.port}`]) {
      const res = await call(server, 'GET', '/v1/predictions', { headers: { Host: host } });
      expect(res.status).toBe(403);
      expect(res.json().detail).toContain('loopback');
    }
    for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, `127.0.0.1:${server.port}`]) {
      expect((await call(server, 'GET', '/v1/hardware', { headers: { Host: host } })).status).toBe(200);
    }
  });

  it('answers cross-origin requests only when CORS is turned on, for the origins given', async () => {
    const denied = await call(server, 'GET', '/v1/hardware', { headers: { Origin: 'http://page.example' } });
    expect(denied.status).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
    expect((await call(server, 'OPTIONS', '/v1/predictions', { token: null, headers: { Origin: 'http://page.example', 'Access-Control-Request-Method': 'POST' } })).status).toBe(403);

    const open = await startApiServer(core, { port: 0, cors: ['http://app.example'] });
    try {
      const preflight = await call(open, 'OPTIONS', '/v1/predictions', { token: null, headers: { Origin: 'http://app.example', 'Access-Control-Request-Method': 'POST' } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('http://app.example');
      expect(preflight.headers['access-control-allow-headers']).toContain('Authorization');
      const get = await call(open, 'GET', '/v1/hardware', { headers: { Origin: 'http://app.example' } });
      expect(get.status).toBe(200);
      expect(get.headers['access-control-allow-origin']).toBe('http://app.example');
      expect((await call(open, 'GET', '/v1/hardware', { headers: { Origin: 'http://other.example' } })).status).toBe(403);
    } finally {
      await open.close();
    }
  });

  it('refuses bodies over the limit with 413, whether announced or not, and stays up', async () => {
    const big = JSON.stringify({ version: echo.id, input: { text: 'x'.repeat(10_000) } });
    const announced = await call(server, 'POST', '/v1/predictions', { body: big });
    expect(announced.status).toBe(413);
    expect(announced.json().title).toBe('Content Too Large');
    const chunked = await call(server, 'POST', '/v1/predictions', { body: big, chunked: true });
    expect(chunked.status).toBe(413);
    const form = new FormData();
    form.append('content', new Blob([Buffer.alloc(20_000)]), 'big.bin');
    const upload = new Request('http://x/', { method: 'POST', body: form });
    const res = await call(server, 'POST', '/v1/files', {
      body: Buffer.from(await upload.arrayBuffer()),
      headers: { 'Content-Type': upload.headers.get('content-type')! },
    });
    expect(res.status).toBe(413);
    expect((await core.listPredictions()).length).toBe(0);
    expect((await call(server, 'GET', '/v1/hardware')).status).toBe(200);
  });

  it('answers 422 with invalid_fields for an unknown version, bad input, a missing input and unknown keys', async () => {
    const unknown = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: 'a'.repeat(64), input: {} }) });
    expect(unknown.status).toBe(422);
    expect(unknown.json()).toMatchObject({ title: 'Invalid version', invalid_fields: [{ field: 'version' }] });
    expect((await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: 'nobody/nothing', input: {} }) })).status).toBe(422);
    expect((await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: `fixtures/echo:${'b'.repeat(64)}`, input: {} }) })).status).toBe(422);

    const bad = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: echo.id, input: { text: 'x', times: 11, nope: 1 } }) });
    expect(bad.status).toBe(422);
    const fields = bad.json().invalid_fields as Array<{ field: string; type: string; description: string }>;
    expect(fields).toContainEqual(expect.objectContaining({ field: 'times', type: 'out_of_range' }));
    expect(fields).toContainEqual(expect.objectContaining({ field: 'nope', type: 'additional_property_not_allowed' }));

    const missing = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: echo.id }) });
    expect(missing.status).toBe(422);
    expect(missing.json().invalid_fields).toEqual([{ type: 'required', field: 'input', description: expect.stringContaining('input is required') }]);
    const extra = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: echo.id, input: {}, inptu: {} }) });
    expect(extra.status).toBe(422);
    expect(extra.json().detail).toContain('Additional property inptu is not allowed');
    const hook = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: echo.id, input: { text: 'x' }, webhook: 'ftp://x', webhook_events_filter: ['sometimes'] }) });
    expect(hook.status).toBe(422);
    expect((hook.json().invalid_fields as Array<{ field: string }>).map((f) => f.field)).toEqual(['webhook', 'webhook_events_filter']);
    expect((await core.listPredictions()).length).toBe(0);
  });

  it('answers 400, 404 and 405 with problem bodies', async () => {
    expect((await call(server, 'POST', '/v1/predictions', { body: '{"version": ' })).json()).toMatchObject({ status: 400, title: 'Invalid JSON' });
    expect((await call(server, 'POST', '/v1/predictions', { body: '[1]' })).status).toBe(400);
    expect((await call(server, 'GET', '/v1/predictions/nosuchprediction')).status).toBe(404);
    expect((await call(server, 'POST', '/v1/predictions/nosuchprediction/cancel')).status).toBe(404);
    expect((await call(server, 'POST', '/v1/models/fixtures/nope/predictions', { body: '{"input": {}}' })).status).toBe(404);
    expect((await call(server, 'GET', '/v1/models/fixtures/echo/versions/' + 'c'.repeat(64))).status).toBe(404);
    expect((await call(server, 'GET', '/v1/collections')).status).toBe(404);
    expect((await call(server, 'GET', '/elsewhere')).status).toBe(404);
    expect((await call(server, 'GET', '/v1/predictions?cursor=%%%')).status).toBe(400);
    const wrong = await call(server, 'DELETE', '/v1/predictions');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST, GET');
    expect((await call(server, 'GET', '/v1/files/aaaaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
  });

  it('cancels a prediction at its Cancel-After deadline, and refuses a deadline under 5 seconds', async () => {
    const stream = await core.ensureVersion(fixtureImage('stream'));
    const body = JSON.stringify({ version: stream.id, input: { prompt: 'd', n: 100, delay: 0.2 } });
    expect((await call(server, 'POST', '/v1/predictions', { body, headers: { 'Cancel-After': '1s' } })).status).toBe(400);
    const created = await call(server, 'POST', '/v1/predictions', { body, headers: { 'Cancel-After': '5s' } });
    expect(created.status).toBe(201);
    const p = created.json() as { id: string; created_at: string; deadline: string };
    expect(Date.parse(p.deadline) - Date.parse(p.created_at)).toBe(5000);
    const done = await core.waitForPrediction(p.id);
    expect(done.status).toBe('canceled');
    expect((done.output as string[]).length).toBeLessThan(100);
  });

  it('serves the stream URL to its signature alone, and nothing else without the token', async () => {
    const created = await call(server, 'POST', '/v1/predictions', { body: JSON.stringify({ version: echo.id, input: { text: 'sse' } }), headers: { Prefer: 'wait' } });
    expect(created.status).toBe(201);
    const p = created.json() as { id: string; status: string; urls: { stream: string } };
    expect(p.status).toBe('succeeded');
    const stream = new URL(p.urls.stream);
    const open = await call(server, 'GET', stream.pathname + stream.search, { token: null });
    expect(open.status).toBe(200);
    expect(open.headers['content-type']).toBe('text/event-stream');
    expect(open.text).toContain('event: output\nid: 1\ndata: hello sse sse\n\n');
    expect(open.text.endsWith('event: done\nid: 2\ndata: {}\n\n')).toBe(true);
    expect((await call(server, 'GET', stream.pathname, { token: null })).status).toBe(401);
    expect((await call(server, 'GET', `${stream.pathname}?signature=${'A'.repeat(43)}`, { token: null })).status).toBe(401);
    expect((await call(server, 'GET', `/v1/predictions/${p.id}`, { token: null })).status).toBe(401);
  });
});
