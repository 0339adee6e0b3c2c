/**
 * Running on Replicate from the core, against the fake Replicate API (the one fake; its answers validated
 * against the published OpenAPI schema) and a real SQLite history: create with a file input (a data URI
 * when small, uploaded through the files API when not), the stream's output and logs as prediction
 * events, cancel, the output files downloaded into the data folder, 402, 429 with Retry-After, the network
 * gone mid-stream and back, a restarted Cogdesk following what it left, import by id, and the list filter.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/shared/domain';
import { API_URL_ENV, memoryTokenStore } from '../../../src/main/core/remote';
import { openCore, recordUpdates, tempHome, waitFor } from '../../helpers/core';
import { expectAnswersValid, FAKE_TOKEN, startFakeOffline, type FakeReplicate } from '../../fakes/replicate-api';

type TestCore = Awaited<ReturnType<typeof openCore>>;

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

let fake: FakeReplicate;
let core: TestCore;
let savedUrl: string | undefined;
const files = tempHome('cogdesk-cloud-files-');

beforeAll(async () => {
  fake = await startFakeOffline();
  savedUrl = process.env[API_URL_ENV];
  process.env[API_URL_ENV] = fake.url;
});
afterAll(async () => {
  if (savedUrl === undefined) delete process.env[API_URL_ENV];
  else process.env[API_URL_ENV] = savedUrl;
  expectAnswersValid(fake);
  await fake.close();
  files.cleanup();
});
beforeEach(async () => {
  await fake.start();
  fake.predictions.auto = false;
  core = await openCore({ recover: 'passive', tokenStore: memoryTokenStore(FAKE_TOKEN) });
});
afterEach(async () => {
  await core.dispose();
});

/** What a call that must fail threw. */
async function failure(p: Promise<unknown>): Promise<{ message: string; hint?: string }> {
  return p.then(
    () => {
      throw new Error('expected it to fail');
    },
    (e: unknown) => e as { message: string; hint?: string },
  );
}

const lastCreated = () => [...fake.predictions.runs.keys()].at(-1)!;
const run = (input: Record<string, unknown>) => core.createPrediction({ version: 'fixtures/echo', input, source: 'cli', on: 'replicate' });

describe('running on Replicate', () => {
  it('creates it with a small file as a data URI, streams output and logs as events, downloads the output files, and keeps it marked as run there', async () => {
    const image = join(files.home, 'small.png');
    const bytes = Buffer.from('a small png, really');
    writeFileSync(image, bytes);
    const seen = recordUpdates(core);
    const created = await run({ text: 'hello', image });
    const remoteId = lastCreated();
    expect(created).toMatchObject({ runOn: 'replicate', modelId: 'fixtures/echo', status: 'starting', input: { text: 'hello', image } });
    expect(created.remote).toEqual({ id: remoteId, webUrl: `https://replicate.com/p/${remoteId}`, model: 'fixtures/echo', version: 'e'.repeat(64) });
    expect(fake.predictions.runs.get(remoteId)!.body.input).toEqual({ text: 'hello', image: `data:image/png;base64,${bytes.toString('base64')}` });
    expect(fake.predictions.uploads).toHaveLength(0);

    fake.predictions.log(remoteId, 'loading the model');
    fake.predictions.output(remoteId, 'hel');
    await waitFor(() => seen.of(created.id).find((u) => Array.isArray(u.p.output) && u.p.output.join('') === 'hel'), 'the first token');
    fake.predictions.output(remoteId, 'lo');
    const streamed = await waitFor(() => seen.of(created.id).find((u) => Array.isArray(u.p.output) && u.p.output.join('') === 'hello'), 'the second token');
    expect(streamed.p).toMatchObject({ status: 'processing', logs: 'loading the model\n' });

    const done = core.waitForPrediction(created.id);
    const out = Buffer.from('PNG bytes of the output');
    fake.predictions.succeed(remoteId, [fake.predictions.file('out-0.png', out)]);
    const final = await done;
    expect(final.status).toBe('succeeded');
    const [file] = final.output as string[];
    expect(file).toBe(join(core.paths.outputs, created.id, 'output-0.png'));
    expect(readFileSync(file)).toEqual(out);
    expect(final.metrics!.predict_time).toBeGreaterThan(0);
    expect(final.startedAt).not.toBeNull();
    expect(final.completedAt).not.toBeNull();
    seen.stop();

    // One history: the same record read back, and the filter by where it ran.
    expect(await core.getPrediction(created.id)).toEqual(final);
    expect((await core.listPredictions({ runOn: 'replicate' })).map((p) => p.id)).toEqual([created.id]);
    expect(await core.listPredictions({ runOn: 'local' })).toEqual([]);
  });

  it('uploads a file too large for a data URI through the files API', async () => {
    const audio = join(files.home, 'large.wav');
    const bytes = Buffer.alloc(300 * 1024, 7);
    writeFileSync(audio, bytes);
    await run({ audio });
    expect(fake.predictions.uploads).toHaveLength(1);
    const [upload] = fake.predictions.uploads;
    expect(upload).toMatchObject({ name: 'large.wav', contentType: 'audio/wav' });
    expect(upload.bytes.equals(bytes)).toBe(true);
    expect(fake.predictions.runs.get(lastCreated())!.body.input).toEqual({ audio: `${fake.url}/files/${upload.id}` });
  });

  it('from the window or the local API, reads only files Cogdesk keeps for predictions, and sends none of the others', async () => {
    const secret = join(files.home, 'private.txt');
    writeFileSync(secret, 'not for the cloud');
    const before = fake.predictions.runs.size;
    const err = await failure(core.createPrediction({ version: 'fixtures/echo', input: { document: secret }, source: 'api', on: 'replicate' }));
    expect(err.message).toBe(`The input "document" names a file Cogdesk does not keep for predictions (${secret})`);
    expect(fake.predictions.runs.size).toBe(before);
  });

  it('a secret input goes to Replicate and is kept masked in the history', async () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'cog-images', 'types', 'openapi.json'), 'utf8')) as Record<string, unknown>;
    const latest = { id: '7'.repeat(64), created_at: '2025-06-01T12:00:00.000000Z', cog_version: '0.15.5', openapi_schema: schema };
    const echoModel = fake.world.models.get('fixtures/echo')!;
    fake.world.models.set('fixtures/types', { ...echoModel, name: 'types', url: 'https://replicate.com/fixtures/types', latest_version: latest, default_example: null });
    fake.world.versions.set('fixtures/types', [latest]);
    const created = await core.createPrediction({ version: 'fixtures/types', input: { token: 'sk-very-secret-value', seed: 1 }, on: 'replicate' });
    expect(fake.predictions.runs.get(lastCreated())!.body.input).toEqual({ token: 'sk-very-secret-value', seed: 1 });
    expect(created.input).toEqual({ token: '**********', seed: 1 });
    expect((await core.getPrediction(created.id))!.input).toEqual({ token: '**********', seed: 1 });
  });

  it('cancels it on Replicate', async () => {
    const created = await run({ text: 'long' });
    fake.predictions.output(lastCreated(), 'lo');
    await core.cancelPrediction(created.id);
    const final = await core.waitForPrediction(created.id);
    expect(final.status).toBe('canceled');
    expect(fake.predictions.runs.get(lastCreated())!.body.status).toBe('canceled');
  });

  it('402: says the account has no credit and where to add it; nothing is kept', async () => {
    fake.predictions.noCredit(1);
    const err = await failure(run({ text: 'hi' }));
    expect(err.message).toMatch(/^Replicate refused to run fixtures\/echo: the account has no credit left \(402: .*You have insufficient credit/);
    expect(err.hint).toMatch(/replicate\.com\/account\/billing/);
    expect(await core.listPredictions()).toEqual([]);
  });

  it('429: waits as Retry-After says and creates it', async () => {
    const before = fake.requests.length;
    fake.throttle(1, 1, /^\/v1\/predictions$/);
    const created = await run({ text: 'hi' });
    const posts = fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/v1/predictions');
    expect(posts).toHaveLength(2);
    expect(fake.responses.filter((r) => r.path === '/v1/predictions' && r.status === 429)).toHaveLength(1);
    expect(created.remote!.id).toBe(lastCreated());
  });

  it('a model that cannot run there, and no token: errors that say what to do', async () => {
    const err = await failure(core.createPrediction({ version: 'someone/private-thing', input: {}, on: 'replicate' }));
    expect(err.message).toMatch(/^someone\/private-thing cannot run on Replicate with this token \(422: /);
    expect(err.hint).toMatch(/private model runs there only with its owner's token/);

    const tokenless = await openCore({ recover: 'passive', tokenStore: memoryTokenStore(null) });
    try {
      const e = await failure(tokenless.createPrediction({ version: 'fixtures/echo', input: {}, on: 'replicate' }));
      expect(e.message).toBe('Cannot run fixtures/echo on Replicate: Replicate needs your API token, and none is set');
      expect(e.hint).toMatch(/cogdesk login/);
    } finally {
      await tokenless.dispose();
    }
  });

  it('the network gone mid-stream: the record stays, and polling takes it to the end when the API is back', async () => {
    const seen = recordUpdates(core);
    const created = await run({ text: 'a b' });
    const remoteId = lastCreated();
    fake.predictions.output(remoteId, 'a ');
    await waitFor(() => seen.of(created.id).some((u) => Array.isArray(u.p.output)), 'the first token');
    await fake.stop();
    // While it is gone: Replicate carries on; Cogdesk keeps its record.
    fake.predictions.output(remoteId, 'b ');
    fake.predictions.succeed(remoteId);
    expect((await core.getPrediction(created.id))!.status).toBe('processing');
    const done = core.waitForPrediction(created.id);
    await fake.start();
    const final = await done;
    expect(final).toMatchObject({ status: 'succeeded', output: ['a ', 'b '] });
    seen.stop();
  });

  it('a restarted Cogdesk follows the cloud predictions it left unfinished', async () => {
    const { home, cleanup } = tempHome();
    try {
      const first = await openCore({ home, recover: 'full', tokenStore: memoryTokenStore(FAKE_TOKEN) });
      const created = await first.createPrediction({ version: 'fixtures/echo', input: { text: 'x' }, on: 'replicate' });
      const waiting = first.waitForPrediction(created.id);
      await first.close();
      // Whoever waited gets the record as it was: unfinished, still on Replicate.
      expect((await waiting).status).toBe('starting');
      fake.predictions.succeed(lastCreated(), ['done']);
      const second = await openCore({ home, recover: 'full', tokenStore: memoryTokenStore(FAKE_TOKEN) });
      try {
        const final: Prediction = await second.waitForPrediction(created.id);
        expect(final).toMatchObject({ id: created.id, status: 'succeeded', output: ['done'], runOn: 'replicate' });
      } finally {
        await second.close();
      }
    } finally {
      cleanup();
    }
  });

  it('imports a prediction made elsewhere by its id, with its output files; a second import answers the same record', async () => {
    const out = Buffer.from('made on the web');
    const remoteId = fake.predictions.seed({ model: 'fixtures/echo', version: 'e'.repeat(64), input: { text: 'web' }, output: fake.predictions.file('result.txt', out) });
    const imported = await core.importPrediction(remoteId);
    expect(imported).toMatchObject({ id: remoteId, runOn: 'replicate', source: 'api', input: { text: 'web' }, remote: { id: remoteId, model: 'fixtures/echo' } });
    const final = await core.waitForPrediction(imported.id);
    expect(final.status).toBe('succeeded');
    expect(readFileSync(final.output as string, 'utf8')).toBe('made on the web');
    expect(await core.importPrediction(remoteId)).toEqual(final);
    expect((await failure(core.importPrediction('nosuchprediction'))).message).toMatch(/Replicate has no prediction nosuchprediction/);
  });
});
