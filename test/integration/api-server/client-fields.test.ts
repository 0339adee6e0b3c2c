/**
 * Every kind of object the local API returns carries each field the official Python and JavaScript clients
 * require (test/fixtures/client-fields.json, read from the clients' sources): predictions, models,
 * versions, files, hardware, the account, the webhook secret, and the pages they come in.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { checkClientFields } from './client-fields';
import { rawCall, uploadBody, type CallOptions } from './raw-call';

type TestCore = Awaited<ReturnType<typeof openCore>>;

describe('the objects of the local API against the fields the official clients require', () => {
  let core: TestCore;
  let server: ApiServer;
  const v: Record<string, Version> = {};
  const problems: string[] = [];
  const get = async (type: string, method: string, path: string, o: CallOptions = {}) => {
    const res = await rawCall(server, method, path, o, problems);
    expect(res.status, `${method} ${path}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    const body = res.json();
    expect(checkClientFields(type, body, `${method} ${path}`)).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'file', 'stream', 'fail', 'legacy'] as const) v[name] = await core.ensureVersion(fixtureImage(name));
    server = await startApiServer(core, { port: 0, pageSize: 2 });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });
  afterEach(() => {
    expect(problems.splice(0), 'answers that do not follow replicate-openapi.json').toEqual([]);
  });

  it('predictions: created, got, listed, canceled, failed and with file output', async () => {
    const wait = { Prefer: 'wait' };
    const done = await get('Prediction', 'POST', '/v1/predictions', { body: JSON.stringify({ version: v.echo.id, input: { text: 'a' } }), headers: wait });
    expect(done.status).toBe('succeeded');
    await get('Prediction', 'POST', '/v1/models/fixtures/echo/predictions', { body: JSON.stringify({ input: { text: 'b' } }), headers: wait });
    await get('Prediction', 'POST', '/v1/predictions', {
      body: JSON.stringify({ version: v.file.id, input: { image: 'data:text/plain;base64,YWJj' } }),
      headers: wait,
    });
    const failed = await get('Prediction', 'POST', '/v1/predictions', { body: JSON.stringify({ version: v.fail.id, input: { text: 'd' } }), headers: wait });
    expect(failed.status).toBe('failed');
    const running = await get('Prediction', 'POST', '/v1/predictions', { body: JSON.stringify({ version: v.stream.id, input: { prompt: 'c', n: 50, delay: 0.2 } }) });
    await get('Prediction', 'GET', `/v1/predictions/${running.id}`);
    await get('Prediction', 'POST', `/v1/predictions/${running.id}/cancel`);
    await get('Prediction', 'GET', `/v1/predictions/${done.id}`);
    const page = await get('Page<Prediction>', 'GET', '/v1/predictions');
    expect(page.next).toBeTruthy();
    await get('Page<Prediction>', 'GET', new URL(page.next as string).pathname + new URL(page.next as string).search);
  });

  it('models and versions, a legacy image’s included', async () => {
    const page = await get('Page<Model>', 'GET', '/v1/models');
    const all = [...(page.results as Array<{ owner: string; name: string }>)];
    let next = page.next as string | null;
    for (let i = 0; next && i < 10; i++) {
      const more = await get('Page<Model>', 'GET', new URL(next).pathname + new URL(next).search);
      all.push(...(more.results as typeof all));
      next = more.next as string | null;
    }
    expect(all.length).toBe(5);
    // Each model's run_count is its runs in the history here: together, the whole history.
    let runs = 0;
    for (const m of all) {
      const model = await get('Model', 'GET', `/v1/models/${m.owner}/${m.name}`);
      expect(model.run_count).toEqual(expect.any(Number));
      runs += model.run_count as number;
      const versions = await get('Page<Version>', 'GET', `/v1/models/${m.owner}/${m.name}/versions`);
      for (const version of versions.results as Array<{ id: string }>) await get('Version', 'GET', `/v1/models/${m.owner}/${m.name}/versions/${version.id}`);
    }
    const history = (await core.listPredictions({ limit: 1000 })).length;
    expect(history).toBeGreaterThan(0);
    expect(runs).toBe(history);
  });

  it('files, hardware, the account and the webhook secret', async () => {
    const { body, contentType } = await uploadBody(Buffer.from('hello'), 'hello.txt', 'text/plain');
    const file = await get('File', 'POST', '/v1/files', { body, headers: { 'Content-Type': contentType } });
    expect(file.etag).toBe('5d41402abc4b2a76b9719d911017c592'); // md5 of "hello"
    await get('File', 'GET', `/v1/files/${file.id}`);
    await get('Page<File>', 'GET', '/v1/files');
    await get('List<Hardware>', 'GET', '/v1/hardware');
    await get('Account', 'GET', '/v1/account');
    await get('WebhookSecret', 'GET', '/v1/webhooks/default/secret');
  });
});
