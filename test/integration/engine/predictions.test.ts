import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { CogdeskError } from '../../../src/shared/errors';
import { COG_SERVERS, fixtureImage } from '../../helpers/fixtures';
import { openCore, recordUpdates } from '../../helpers/core';

type TestCore = Awaited<ReturnType<typeof openCore>>;

describe('predictions through the engine: inputs, files and secrets (real Docker, fixture Cog images)', () => {
  let core: TestCore;
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'file', 'types']) v[name] = await core.ensureVersion(fixtureImage(name));
  }, 180_000);
  afterAll(async () => core?.dispose());

  it('rejects invalid input field by field before anything reaches the container', async () => {
    const before = (await core.listPredictions()).length;
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ text: 'x', times: 11 }, 'times', 'range'],
      [{ text: 'x', times: 'abc' }, 'times', 'type'],
      [{ text: 'x', style: 'loud' }, 'style', 'choices'],
      [{ times: 2 }, 'text', 'required'],
      [{ text: 'x', nope: 1 }, 'nope', 'unknown'],
    ];
    for (const [input, field, code] of cases) {
      const error = await core.createPrediction({ version: v.echo.id, input }).catch((e) => e);
      expect(error).toBeInstanceOf(CogdeskError);
      expect(error.code).toBe('input_invalid');
      expect(error.fields).toContainEqual(expect.objectContaining({ field, code }));
      expect(error.fields.find((f: { field: string }) => f.field === field).message).toContain(field);
    }
    expect((await core.listPredictions()).length).toBe(before);
  });

  it('sends a local file as a data URI and keeps paths, never base64, in the database', async () => {
    // From the window or the API a path is only taken inside the folders Cogdesk keeps inputs in.
    await mkdir(core.paths.inputs, { recursive: true });
    const input = join(core.paths.inputs, 'in.txt');
    await writeFile(input, 'hello world');
    const created = await core.createPrediction({ version: v.file.id, input: { image: input } });
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('succeeded');
    expect(done.input.image).toBe(input);
    expect(typeof done.output).toBe('string');
    const out = done.output as string;
    expect(out.startsWith(join(core.paths.outputs, created.id))).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('dlrow olleh');
    const db = new Database(core.paths.database, { readonly: true });
    const row = db.prepare('SELECT input, output FROM predictions WHERE id = ?').get(created.id) as { input: string; output: string };
    db.close();
    expect(row.input).not.toContain('base64');
    expect(row.output).not.toContain('base64');
    expect(JSON.parse(row.output)).toBe(out);
  });

  it('passes URLs and data URIs to file inputs unchanged, and names a missing local file', async () => {
    const created = await core.createPrediction({ version: v.file.id, input: { image: 'data:text/plain;base64,YWJj' } });
    const done = await core.waitForPrediction(created.id);
    expect(readFileSync(done.output as string, 'utf8')).toBe('cba');
    expect(done.input.image).toBe('data:text/plain;base64,YWJj');
    // A URL the model cannot download: the prediction's own error says which input, which URL and why.
    const closed = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: 'http://127.0.0.1:9/x.txt' } })).id);
    expect(closed.status).toBe('failed');
    expect(closed.error).toMatch(/^The model could not download image from http:\/\/127\.0\.0\.1:9\/x\.txt: connection refused/);
    expect(closed.logs).toMatch(/Errno 111|Connection refused/);
    const missing = await core.createPrediction({ version: v.file.id, input: { image: '/nonexistent/photo.png' } }).catch((e) => e);
    expect(missing.code).toBe('file_not_found');
    expect(missing.message).toContain('/nonexistent/photo.png');
  });

  it('takes local paths outside the data folder from the command line only', async () => {
    const outside = join(tmpdir(), `cogdesk-outside-${process.pid}.txt`);
    await writeFile(outside, 'secret');
    try {
      const refused = await core.createPrediction({ version: v.file.id, input: { image: outside }, source: 'app' }).catch((e) => e);
      expect(refused.code).toBe('bad_request');
      expect(refused.fields).toEqual([expect.objectContaining({ field: 'image' })]);
      expect(refused.hint).toMatch(/data: URI|upload/);
      const fromCli = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: outside }, source: 'cli' })).id);
      expect(readFileSync(fromCli.output as string, 'utf8')).toBe('terces');
    } finally {
      await rm(outside, { force: true });
    }
  });

  it("never takes the data folder's secrets or database as a file input from the window or the API", async () => {
    await writeFile(join(core.paths.home, 'replicate-token'), 'r8_not_for_models');
    for (const name of ['replicate-token', 'cogdesk.db', 'api-token', 'replicate-token.enc', 'outputs/../replicate-token']) {
      for (const source of ['app', 'api'] as const) {
        const refused = await core.createPrediction({ version: v.file.id, input: { image: join(core.paths.home, name) }, source }).catch((e) => e);
        expect(refused, `${name} from ${source}`).toBeInstanceOf(CogdeskError);
        expect(['bad_request', 'file_not_found']).toContain(refused.code);
      }
    }
    expect((await core.listPredictions({ limit: 1000 })).some((p) => JSON.stringify(p.input).includes('replicate-token'))).toBe(false);
  });

  it('keeps a large data URI input as a file under the data folder, not as base64 in the database', async () => {
    const text = 'x'.repeat(6000) + 'END';
    const uri = `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;
    const done = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: uri } })).id);
    expect(done.status).toBe('succeeded');
    const stored = done.input.image as string;
    expect(stored.startsWith(join(core.paths.home, 'inputs'))).toBe(true);
    expect(readFileSync(stored, 'utf8')).toBe(text);
    expect(readFileSync(done.output as string, 'utf8')).toBe([...text].reverse().join(''));
  });

  it('decodes files nested in object outputs and keeps masked secrets', async () => {
    const created = await core.createPrediction({ version: v.types.id, input: { token: 'sk-secret-value', mode: 2, tags: ['a', 'b'] } });
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('succeeded');
    const output = done.output as { text: string; length: number; files: string[] };
    expect(output.text).toBe('sk***');
    expect(output.files).toHaveLength(1);
    expect(readFileSync(output.files[0]).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    // The model got the secret (its output starts with it); the history keeps it masked, as Replicate does.
    expect(output.text.startsWith('sk')).toBe(true);
    expect(done.input).toMatchObject({ token: '**********', mode: 2 });
    const db = new Database(core.paths.database, { readonly: true });
    const rows = JSON.stringify(db.prepare('SELECT * FROM predictions').all());
    db.close();
    expect(rows).not.toContain('sk-secret-value');
    const example = await core.addExample(created.id);
    expect((await core.listExamples(example.modelId)).find((e) => e.predictionId === created.id)?.prediction.input.token).toBe('**********');
  });

  it('refuses a version it does not have, saying how to get it', async () => {
    const error = await core.createPrediction({ version: 'a'.repeat(64), input: {} }).catch((e) => e);
    expect(error.code).toBe('not_found');
    expect(error.hint).toContain('cogdesk pull');
  });
});

/** What goes over the wire to the model's server: the same for the Python server, coglet and the Go runtime. */
describe.each(COG_SERVERS)('predictions through the engine: the container protocol ($label)', (server) => {
  let core: TestCore;
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'stream', 'file', 'fail'] as const) v[name] = await core.ensureVersion(server.image(name));
  }, 180_000);
  afterAll(async () => core?.dispose());

  it('runs a prediction through the Replicate lifecycle and records it', async () => {
    const { of, stop } = recordUpdates(core);
    const created = await core.createPrediction({ version: v.echo.id, input: { text: 'hi', times: 3, style: 'shout' }, source: 'cli' });
    expect(created.status).toBe('starting');
    const done = await core.waitForPrediction(created.id);
    stop();
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello HI HI HI', error: null, source: 'cli', modelId: v.echo.modelId });
    expect(done.logs).toContain("predicting text='hi' times=3");
    expect(done.metrics?.predict_time).toBeGreaterThanOrEqual(0);
    expect(done.metrics?.total_time).toBeGreaterThanOrEqual(done.metrics!.predict_time!);
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt) - 1000);
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    const statuses = of(created.id).map((u) => u.p.status);
    expect(statuses[0]).toBe('starting');
    expect(statuses).toContain('processing');
    expect(statuses.at(-1)).toBe('succeeded');
    expect(await core.getPrediction(created.id)).toEqual(done);
  });

  it('sends a data URI to a file input and saves the file output under the data folder', async () => {
    const done = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: 'data:text/plain;base64,YWJj' } })).id);
    expect(done.status).toBe('succeeded');
    expect((done.output as string).startsWith(join(core.paths.outputs, done.id))).toBe(true);
    expect(readFileSync(done.output as string, 'utf8')).toBe('cba');
  });

  it('shows streamed output and logs while the model is still running', async () => {
    const { of, stop } = recordUpdates(core);
    const created = await core.createPrediction({ version: v.stream.id, input: { prompt: 'w', n: 6, delay: 0.3 } });
    const done = await core.waitForPrediction(created.id);
    stop();
    expect(done.status).toBe('succeeded');
    expect(done.output).toEqual(['w-0 ', 'w-1 ', 'w-2 ', 'w-3 ', 'w-4 ', 'w-5 ']);
    const live = of(created.id).filter((u) => u.p.status === 'processing' && Array.isArray(u.p.output));
    // Several partial outputs were seen while it was processing, each one a prefix of the next.
    const lengths = [...new Set(live.map((u) => (u.p.output as string[]).length))];
    expect(lengths.length).toBeGreaterThanOrEqual(3);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(live.some((u) => u.p.logs.includes('token 1') && !u.p.logs.includes('token 5'))).toBe(true);
  });

  it('records a failing model as failed with its error and its logs', async () => {
    const created = await core.createPrediction({ version: v.fail.id, input: { text: 'q' } });
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toBe('boom: q');
    expect(done.logs).toContain('about to fail');
    // The Python server puts the traceback in the logs; coglet and the Go runtime print it to the container's output.
    if (server.generation === 'python') expect(done.logs).toContain('Traceback');
    expect(done.output).toBeNull();
  });

  it('cancels a running prediction and keeps what it produced so far', async () => {
    const { of, stop } = recordUpdates(core);
    const created = await core.createPrediction({ version: v.stream.id, input: { prompt: 'c', n: 50, delay: 0.2 } });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (of(created.id).some((u) => Array.isArray(u.p.output) && u.p.output.length > 0)) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    await core.cancelPrediction(created.id);
    const done = await core.waitForPrediction(created.id);
    stop();
    expect(done.status).toBe('canceled');
    expect((done.output as string[]).length).toBeGreaterThan(0);
    expect((done.output as string[]).length).toBeLessThan(50);
    expect(done.completedAt).not.toBeNull();
  });

  it('queues predictions on one model and runs them one at a time', async () => {
    const a = await core.createPrediction({ version: v.stream.id, input: { prompt: 'a', n: 3, delay: 0.2 } });
    const b = await core.createPrediction({ version: v.stream.id, input: { prompt: 'b', n: 3, delay: 0.2 } });
    const [da, db] = await Promise.all([core.waitForPrediction(a.id), core.waitForPrediction(b.id)]);
    expect(da.status).toBe('succeeded');
    expect(db.status).toBe('succeeded');
    expect(db.output).toEqual(['b-0 ', 'b-1 ', 'b-2 ']);
    expect(Date.parse(db.startedAt!)).toBeGreaterThanOrEqual(Date.parse(da.completedAt!) - 5);
    expect(da.containerId).toBe(db.containerId);
  });

  it('cancels a queued prediction without it ever reaching the model', async () => {
    const a = await core.createPrediction({ version: v.stream.id, input: { prompt: 'a', n: 4, delay: 0.2 } });
    const b = await core.createPrediction({ version: v.stream.id, input: { prompt: 'b', n: 3, delay: 0.1 } });
    await core.cancelPrediction(b.id);
    const db = await core.waitForPrediction(b.id);
    expect(db.status).toBe('canceled');
    expect(db.output).toBeNull();
    expect((await core.waitForPrediction(a.id)).status).toBe('succeeded');
  });

  it('fails a prediction that runs past the timeout', async () => {
    await core.updateSettings({ predictionTimeoutSeconds: 1 });
    try {
      const created = await core.createPrediction({ version: v.stream.id, input: { prompt: 't', n: 40, delay: 0.1 } });
      const done = await core.waitForPrediction(created.id);
      expect(done.status).toBe('failed');
      expect(done.error).toMatch(/timed out/);
    } finally {
      await core.updateSettings({ predictionTimeoutSeconds: 1800 });
    }
  });
});
