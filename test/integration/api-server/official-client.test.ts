/**
 * The official `replicate` npm client against the local API, changing nothing but its base URL: it runs the
 * fixture Cog models (real Docker, the local registry, a real SQLite file). Every answer it gets is checked
 * against Replicate's published schema (checkingFetch passes them on unchanged).
 */
import { readFileSync } from 'node:fs';
import Replicate from 'replicate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore, waitFor } from '../../helpers/core';
import { fixtureImage, COG_SERVERS, type CogServerFixture } from '../../helpers/fixtures';
import { checkingFetch } from './openapi';

type TestCore = Awaited<ReturnType<typeof openCore>>;
type ApiPrediction = Awaited<ReturnType<Replicate['predictions']['get']>>;

/** The local API's model name of a fixture served by one generation (`fixtures/stream`, `fixtures/coglet-stream`, ...). */
const modelOf = (s: CogServerFixture, predictor: 'stream' | 'fail') => s.image(predictor).replace(/^[^/]+\/(fixtures\/[^:]+):.*$/, '$1') as `fixtures/${string}`;

describe('the official replicate client against the local API', () => {
  let core: TestCore;
  let server: ApiServer;
  let replicate: Replicate;
  const problems: string[] = [];
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'stream', 'file', 'fail']) v[name] = await core.ensureVersion(fixtureImage(name));
    // The same streaming and failing models served by coglet and the Go runtime (model names fixtures/coglet-stream, ...).
    for (const s of COG_SERVERS) for (const name of ['stream', 'fail'] as const) await core.ensureVersion(s.image(name));
    // A small page so that the history spans several pages.
    server = await startApiServer(core, { port: 0, pageSize: 3 });
    replicate = new Replicate({ auth: server.token, baseUrl: server.url, fetch: checkingFetch(problems) });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await core?.dispose();
  });
  afterEach(() => {
    const found = problems.splice(0);
    expect(found, 'answers that do not follow replicate-openapi.json').toEqual([]);
  });

  it('runs a model with string output by owner/name and by owner/name:version, and records it as an api prediction', async () => {
    const seen: ApiPrediction[] = [];
    const output = await replicate.run('fixtures/echo', { input: { text: 'hi', times: 3, style: 'shout' } }, (p) => seen.push(p));
    expect(output).toBe('hello HI HI HI');
    const byVersion = await replicate.run(`fixtures/echo:${v.echo.id}`, { input: { text: 'yo' } });
    expect(byVersion).toBe('hello yo yo'); // times defaults to 2

    // Blocking create (Prefer: wait) answered the finished prediction: run() never had to poll.
    expect(seen[0].status).toBe('succeeded');
    const recorded = await core.getPrediction(seen[0].id);
    expect(recorded).toMatchObject({ source: 'api', status: 'succeeded', output: 'hello HI HI HI', versionId: v.echo.id, modelId: v.echo.modelId });
    expect((await core.listPredictions()).map((p) => p.id)).toContain(seen[0].id);
    const got = await replicate.predictions.get(seen[0].id);
    expect(got).toMatchObject({ id: seen[0].id, model: 'fixtures/echo', version: v.echo.id, status: 'succeeded', source: 'api', output: 'hello HI HI HI' });
    expect(got.urls.get).toBe(`${server.url}/predictions/${seen[0].id}`);
  });

  it('works with nothing but the base URL and token changed (the default fetch)', async () => {
    const plain = new Replicate({ auth: server.token, baseUrl: server.url });
    expect(await plain.run('fixtures/echo', { input: { text: 'plain' } })).toBe('hello plain plain');
  });

  it.each(COG_SERVERS)('streams an iterator model over server-sent events with replicate.stream, and run() collects it ($label)', async (s) => {
    const events: Array<{ event: string; data: string }> = [];
    for await (const e of replicate.stream(modelOf(s, 'stream'), { input: { prompt: 'w', n: 4, delay: 0.05 } })) {
      events.push({ event: e.event, data: String(e.data) });
    }
    expect(events.filter((e) => e.event === 'output').map((e) => e.data)).toEqual(['w-0 ', 'w-1 ', 'w-2 ', 'w-3 ']);
    expect(events.filter((e) => e.event === 'logs').map((e) => e.data)).toEqual(['token 0', 'token 1', 'token 2', 'token 3']);
    expect(events.at(-1)).toEqual({ event: 'done', data: '{}' });

    expect(await replicate.run(modelOf(s, 'stream'), { input: { prompt: 'r', n: 3, delay: 0.01 } })).toEqual(['r-0 ', 'r-1 ', 'r-2 ']);
  });

  it('takes a file input (uploaded through POST /v1/files) and gives the output file as a URL this server serves', async () => {
    const seen: ApiPrediction[] = [];
    const output = await replicate.run('fixtures/file', { input: { image: Buffer.from('hello world') } }, (p) => seen.push(p));
    expect(typeof output).toBe('string');
    const url = new URL(output as unknown as string);
    expect(url.origin).toBe(server.origin);
    // The client fetches output files with no Authorization header: the URL's signature is the key.
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('dlrow olleh');
    url.searchParams.set('signature', 'x'.repeat(43));
    expect((await fetch(url)).status).toBe(401);

    // The history keeps the upload's local path; the API shows the file URL the client sent.
    const id = seen[0].id;
    const recorded = (await core.getPrediction(id))!;
    expect(recorded.input.image).toMatch(new RegExp(`^${core.paths.home}/api-files/[a-z2-7]{26}/`));
    expect(readFileSync(recorded.input.image as string, 'utf8')).toBe('hello world');
    const shown = await replicate.predictions.get(id);
    const image = (shown.input as { image: string }).image;
    expect(image).toMatch(new RegExp(`^${server.url}/files/[a-z2-7]{26}$`));
    const upload = await replicate.files.get(image.split('/').pop()!);
    expect(upload).toMatchObject({ size: 11, checksums: { sha256: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9' } });
  });

  it('gives output files as data: URIs under the /data-uri base URL, which the client turns into FileOutput', async () => {
    const dataClient = new Replicate({ auth: server.token, baseUrl: `${server.origin}/data-uri/v1`, fetch: checkingFetch(problems) });
    const output = (await dataClient.run('fixtures/file', { input: { image: 'data:text/plain;base64,' + Buffer.from('abc').toString('base64') } })) as unknown as {
      blob(): Promise<Blob>;
      url(): URL;
    };
    expect(output.url().protocol).toBe('data:');
    expect(await (await output.blob()).text()).toBe('cba');
  });

  it('passes an output URL of one prediction as the file input of the next', async () => {
    const first = await replicate.run('fixtures/file', { input: { image: Buffer.from('abc') } });
    const second = await replicate.run('fixtures/file', { input: { image: first } });
    expect(await (await fetch(String(second))).text()).toBe('abc');
  });

  it.each(COG_SERVERS)('raises the model error of a failing model, from run() and from stream() ($label)', async (s) => {
    await expect(replicate.run(modelOf(s, 'fail'), { input: { text: 'q' } })).rejects.toThrow('Prediction failed: boom: q');
    const stream = async () => {
      for await (const e of replicate.stream(modelOf(s, 'fail'), { input: { text: 'z' } })) void e;
    };
    await expect(stream()).rejects.toThrow('boom: z');
    const failed = (await core.listPredictions({ status: 'failed', limit: 2 })).map((p) => p.error);
    expect(failed).toEqual(['boom: z', 'boom: q']);
  });

  it.each(COG_SERVERS)('cancels a prediction when run() is aborted, keeping what it produced so far ($label)', async (s) => {
    const controller = new AbortController();
    let id = '';
    const output = await replicate.run(
      modelOf(s, 'stream'),
      { input: { prompt: 'c', n: 50, delay: 0.2 }, wait: { mode: 'poll', interval: 50 }, signal: controller.signal },
      (p) => {
        id = p.id;
        if (Array.isArray(p.output) && p.output.length > 0) controller.abort();
      },
    );
    expect(Array.isArray(output)).toBe(true);
    const final = await replicate.predictions.get(id);
    expect(final.status).toBe('canceled');
    expect((final.output as string[]).length).toBeGreaterThan(0);
    expect((final.output as string[]).length).toBeLessThan(50);
    expect((await core.getPrediction(id))!.status).toBe('canceled');
  });

  it('cancels through predictions.cancel, and waits for it with replicate.wait', async () => {
    const created = await replicate.predictions.create({ version: v.stream.id, input: { prompt: 'k', n: 50, delay: 0.2 } });
    expect(created.status).toBe('starting');
    await waitFor(async () => ((await replicate.predictions.get(created.id)).output as string[] | null)?.length, 'first output');
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled.status).toBe('canceled');
    expect((await replicate.wait(canceled, {})).status).toBe('canceled');
  });

  it('answers a blocking create that runs out of time as starting, never processing, so run() goes on polling', async () => {
    const created = await replicate.predictions.create({ version: v.stream.id, input: { prompt: 's', n: 12, delay: 0.25 }, wait: 1 });
    expect(created.status).toBe('starting');
    const seen: string[] = [];
    const done = await replicate.wait(created, {}, async (p) => {
      seen.push(p.status);
      return false;
    });
    expect(done.status).toBe('succeeded');
    expect(done.output).toHaveLength(12);
    expect(seen).toContain('processing'); // a GET tells the truth; only the blocking answer says starting
  });

  it('walks the whole history with paginate, newest first, in pages', async () => {
    const pages: ApiPrediction[][] = [];
    for await (const page of replicate.paginate(() => replicate.predictions.list())) pages.push(page);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    const all = await core.listPredictions({ limit: 1000 });
    expect(pages.flat().map((p) => p.id)).toEqual(all.map((p) => p.id));
  });

  it('shows the local library as models and versions, and this machine as hardware', async () => {
    const model = await replicate.models.get('fixtures', 'echo');
    expect(model).toMatchObject({ owner: 'fixtures', name: 'echo', visibility: 'private', latest_version: { id: v.echo.id } });
    expect(model.latest_version?.openapi_schema).toEqual(v.echo.openapiSchema);
    const versions = await replicate.models.versions.list('fixtures', 'echo');
    expect(versions.results.map((x) => x.id)).toEqual([v.echo.id]);
    expect((await replicate.models.versions.get('fixtures', 'echo', v.echo.id)).id).toBe(v.echo.id);
    const listed: string[] = [];
    for await (const page of replicate.paginate(() => replicate.models.list())) listed.push(...page.map((m) => `${m.owner}/${m.name}`));
    const generations = ['coglet-fail', 'coglet-stream', 'go-fail', 'go-stream'].map((n) => `fixtures/${n}`);
    expect(listed.sort()).toEqual(['fixtures/echo', 'fixtures/fail', 'fixtures/file', 'fixtures/stream', ...generations].sort());
    expect(await replicate.hardware.list()).toEqual([{ name: 'CPU', sku: 'cpu' }]);
    await expect(replicate.models.get('fixtures', 'nope')).rejects.toMatchObject({ response: { status: 404 } });
  });

  it('keeps, lists and deletes uploaded files', async () => {
    const file = await replicate.files.create(Buffer.from('some bytes'), { purpose: 'test' });
    expect(file).toMatchObject({ size: 10, metadata: { purpose: 'test' } });
    const listed = await replicate.files.list();
    expect(listed.results.map((f) => f.id)).toContain(file.id);
    const download = await fetch((file.urls as Record<string, string>).download);
    expect(await download.text()).toBe('some bytes');
    expect(await replicate.files.delete(file.id)).toBe(true);
    await expect(replicate.files.get(file.id)).rejects.toMatchObject({ response: { status: 404 } });
  });
});
