/**
 * What a caller of the local API must never get: a file of this machine named as an input (the tokens, the
 * database), a served file that runs script on 127.0.0.1, a signed URL that works forever or with a second
 * signature, a webhook sent to a link-local address. Real Cog models in real containers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { deriveSecrets } from '../../../src/main/core/api-server/auth';
import { signUrl } from '../../../src/main/core/api-server/signed-urls';
import { openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { rawCall, uploadBody, type CallOptions } from './raw-call';

type TestCore = Awaited<ReturnType<typeof openCore>>;
type Fields = Array<{ field: string; type: string; description: string }>;

describe('the local API keeps the machine’s files and secrets out of reach', () => {
  let core: TestCore;
  let server: ApiServer;
  let file: Version;
  const problems: string[] = [];
  const call = (method: string, path: string, o: CallOptions = {}) => rawCall(server, method, path, o, problems);
  const pathOf = (url: string) => {
    const u = new URL(url);
    return u.pathname + u.search;
  };

  beforeAll(async () => {
    core = await openCore();
    file = await core.ensureVersion(fixtureImage('file'));
    server = await startApiServer(core, { port: 0 });
    writeFileSync(join(core.paths.home, 'replicate-token'), 'r8_not-a-real-token-but-a-secret\n', { mode: 0o600 });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });
  afterEach(() => {
    expect(problems.splice(0), 'answers that do not follow replicate-openapi.json or the problem shape').toEqual([]);
  });

  it('refuses a file input that names a path on this machine, and the model never sees it', async () => {
    const home = core.paths.home;
    const paths = [
      join(home, 'replicate-token'),
      join(home, 'cogdesk.db'),
      join(home, 'api-token'),
      join(home, 'outputs', '..', 'replicate-token'),
      `@${join(home, 'api-token')}`,
      `file://${join(home, 'replicate-token')}`,
      'replicate-token',
    ];
    for (const path of paths) {
      for (const [route, body] of [
        ['/v1/predictions', { version: file.id, input: { image: path } }],
        ['/v1/models/fixtures/file/predictions', { input: { image: path } }],
      ] as const) {
        const res = await call('POST', route, { body: JSON.stringify(body), headers: { Prefer: 'wait' } });
        expect(res.status, `${route} ${path}: ${res.text}`).toBe(422);
        const fields = res.json().invalid_fields as Fields;
        expect(fields).toEqual([expect.objectContaining({ field: 'image', type: 'format' })]);
        expect(fields[0].description).toContain('send the file itself (an upload, a data: URI) or an http(s) URL');
        expect(res.json().detail).not.toContain('r8_not-a-real-token');
      }
    }
    expect(await core.listPredictions()).toEqual([]);
  });

  it('serves an upload declared text/html and an SVG as sandboxed downloads, a PNG as an image', async () => {
    const cases = [
      { name: 'page.html', type: 'text/html', bytes: '<script>document.cookie="x=1"</script>', download: true },
      { name: 'pic.svg', type: 'image/svg+xml', bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', download: true },
      { name: 'odd', type: 'text/html\r\nX-Injected: 1', bytes: '<b>x</b>', download: false },
      { name: 'dot.png', type: 'image/png', bytes: '\x89PNG\r\n\x1a\n', download: false },
    ];
    for (const c of cases) {
      const { body, contentType } = await uploadBody(Buffer.from(c.bytes, 'latin1'), c.name, c.type);
      const created = await call('POST', '/v1/files', { body, headers: { 'Content-Type': contentType } });
      expect(created.status, created.text).toBe(201);
      const got = await call('GET', pathOf((created.json().urls as { download: string }).download), { token: null });
      expect(got.status).toBe(200);
      expect(got.headers['content-security-policy']).toBe('sandbox');
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      expect(got.headers['x-injected']).toBeUndefined();
      if (c.download) {
        expect(got.headers['content-type']).toBe(c.type);
        expect(got.headers['content-disposition']).toBe(`attachment; filename="${c.name}"; filename*=UTF-8''${c.name}`);
      } else {
        expect(got.headers['content-disposition']).toBeUndefined();
        expect(got.headers['content-type']).toMatch(/^(image\/png|application\/octet-stream)$/);
      }
    }
  });

  it('serves an SVG output file as a sandboxed download, and a text output inline but sandboxed', async () => {
    const res = await call('POST', '/v1/predictions', {
      body: JSON.stringify({ version: file.id, input: { image: 'data:text/plain;base64,' + Buffer.from('abc').toString('base64') } }),
      headers: { Prefer: 'wait' },
    });
    const p = res.json() as { id: string; status: string; output: string };
    expect(p.status).toBe('succeeded');
    const text = await call('GET', pathOf(p.output), { token: null });
    expect(text.text).toBe('cba');
    expect(text.headers['content-security-policy']).toBe('sandbox');
    expect(text.headers['content-disposition']).toBeUndefined();

    // A model's SVG output: a file in the prediction's outputs folder, at a URL signed the way the API signs.
    mkdirSync(join(core.paths.outputs, p.id), { recursive: true });
    writeFileSync(join(core.paths.outputs, p.id, 'drawing.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const expiry = Math.floor(Date.now() / 1000) + 3600;
    const signature = signUrl(deriveSecrets(server.token).signingKey, `outputs/${p.id}/drawing.svg`, expiry);
    const svg = await call('GET', `/v1/outputs/${p.id}/drawing.svg?expiry=${expiry}&signature=${signature}`, { token: null });
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-security-policy']).toBe('sandbox');
    expect(svg.headers['x-content-type-options']).toBe('nosniff');
    expect(svg.headers['content-disposition']).toMatch(/^attachment; filename="drawing.svg"/);
  });

  it('gives signed URLs a day, refuses an expired one saying how to get a fresh one, and takes one signature only', async () => {
    const res = await call('POST', '/v1/predictions', {
      body: JSON.stringify({ version: file.id, input: { image: 'data:text/plain;base64,' + Buffer.from('xyz').toString('base64') } }),
      headers: { Prefer: 'wait' },
    });
    const p = res.json() as { id: string; output: string; urls: { stream: string } };
    const output = new URL(p.output);
    const lifetimeH = (Number(output.searchParams.get('expiry')) * 1000 - Date.now()) / 3_600_000;
    expect(lifetimeH).toBeGreaterThan(24);
    expect(lifetimeH).toBeLessThanOrEqual(25);
    expect((await call('GET', pathOf(p.output), { token: null })).status).toBe(200);
    expect((await call('GET', pathOf(p.urls.stream), { token: null })).status).toBe(200);

    // Signed correctly, but an hour ago.
    const key = deriveSecrets(server.token).signingKey;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const name = output.pathname.split('/').pop()!;
    const expired = [
      `/v1/outputs/${p.id}/${name}?expiry=${past}&signature=${signUrl(key, `outputs/${p.id}/${name}`, past)}`,
      `/v1/predictions/${p.id}/stream?expiry=${past}&signature=${signUrl(key, `stream/${p.id}`, past)}`,
    ];
    for (const path of expired) {
      const old = await call('GET', path, { token: null });
      expect(old.status).toBe(403);
      expect(old.json()).toMatchObject({ title: 'Link expired', detail: expect.stringContaining(`expired at ${new Date(past * 1000).toISOString()}`) });
      expect(old.json().hint).toContain(`GET /v1/predictions/${p.id}`);
    }
    // A signature moved to another expiry is no signature at all.
    const moved = new URL(p.output);
    moved.searchParams.set('expiry', String(Number(moved.searchParams.get('expiry')) + 3600));
    expect((await call('GET', moved.pathname + moved.search, { token: null })).status).toBe(401);

    const signature = output.searchParams.get('signature')!;
    for (const extra of [`&signature=${signature}`, `&signature=${'A'.repeat(43)}`, `&expiry=${past}`]) {
      const twice = await call('GET', pathOf(p.output) + extra, { token: null });
      expect(twice.status, extra).toBe(400);
      expect(twice.json().detail).toMatch(/a signed URL has exactly one/);
    }
    const streamTwice = await call('GET', pathOf(p.urls.stream) + `&signature=${new URL(p.urls.stream).searchParams.get('signature')}`, { token: null });
    expect(streamTwice.status).toBe(400);
  });

  it('refuses an expired upload download URL', async () => {
    const { body, contentType } = await uploadBody(Buffer.from('bytes'), 'b.txt', 'text/plain');
    const created = (await call('POST', '/v1/files', { body, headers: { 'Content-Type': contentType } })).json() as { id: string };
    const past = Math.floor(Date.now() / 1000) - 60;
    const signature = signUrl(deriveSecrets(server.token).signingKey, `cogdesk ${created.id}`, past);
    const old = await call('GET', `/v1/files/${created.id}/download?owner=cogdesk&expiry=${past}&signature=${signature}`, { token: null });
    expect(old.status).toBe(403);
    expect(old.json().hint).toContain(`GET /v1/files/${created.id}`);
  });

  it('refuses webhooks to link-local addresses, saying why', async () => {
    for (const webhook of ['http://169.254.169.254/latest/meta-data/', 'https://169.254.0.1:8443/hook', 'http://[fe80::1]:8080/hook', 'http://[::ffff:169.254.10.1]/', 'http://2852039166/']) {
      const res = await call('POST', '/v1/predictions', { body: JSON.stringify({ version: file.id, input: { image: 'data:,x' }, webhook }) });
      expect(res.status, webhook).toBe(422);
      const fields = res.json().invalid_fields as Fields;
      expect(fields).toEqual([expect.objectContaining({ field: 'webhook' })]);
      expect(fields[0].description).toMatch(/link-local address .* cloud metadata/);
    }
    const before = (await core.listPredictions()).length;
    const ok = await call('POST', '/v1/predictions', { body: JSON.stringify({ version: file.id, input: { image: 'data:,x' }, webhook: 'http://127.0.0.1:9/hook' }) });
    expect(ok.status).toBe(201);
    await core.waitForPrediction(ok.json().id as string);
    expect((await core.listPredictions()).length).toBe(before + 1);
  });
});
