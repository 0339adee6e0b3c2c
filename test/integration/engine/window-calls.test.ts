/**
 * The contract calls the window's pages added: validateInput (the same check as createPrediction, for
 * inline errors), readPredictionFile and showPredictionFile (only a prediction's own files, only inside the
 * data folder),
 * deletePrediction, deleteVersion (container and image), listPredictions' text search, getDiskUsage.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { CogdeskError } from '../../../src/shared/errors';
import { docker, openCore } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';

type TestCore = Awaited<ReturnType<typeof openCore>>;

const dataUri = (text: string, mime = 'text/plain') => `data:${mime};base64,${Buffer.from(text).toString('base64')}`;

describe('the window\'s calls over the real core', () => {
  let core: TestCore;
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['echo', 'file', 'stream']) v[name] = await core.ensureVersion(fixtureImage(name));
  }, 180_000);
  afterAll(async () => core?.dispose());

  it('validateInput answers the field errors createPrediction would, without running anything', async () => {
    expect(await core.validateInput(v.echo.id, { text: 'hi', times: 3 })).toEqual([]);
    expect(await core.validateInput(v.echo.id, { times: 11, style: 'loud' })).toEqual([
      { field: 'text', code: 'required', message: 'text is required' },
      { field: 'times', code: 'range', message: 'times must be at most 10, got 11' },
      expect.objectContaining({ field: 'style', code: 'choices' }),
    ]);
    // A file kept by path (a past prediction's input) counts as a file; the file is not read for a check.
    expect(await core.validateInput(v.file.id, { image: '/nonexistent/kept.png' })).toEqual([]);
    expect(await core.validateInput(v.file.id, { image: 42 })).toEqual([expect.objectContaining({ field: 'image', code: 'type' })]);
    const missing = await core.validateInput('f'.repeat(64), {}).catch((e) => e);
    expect(missing).toBeInstanceOf(CogdeskError);
    expect(missing.code).toBe('not_found');
    expect(await core.listPredictions()).toEqual([]);
  });

  it('readPredictionFile reads an output file and an uploaded input as data: URIs, and nothing else', async () => {
    const big = 'x'.repeat(8000); // over the inline limit: the engine keeps it under inputs/
    const p = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: dataUri(big) } })).id);
    expect(p.status).toBe('succeeded');
    const out = p.output as string;
    expect(out.startsWith(join(core.paths.outputs, p.id))).toBe(true);
    const file = await core.readPredictionFile(p.id, out);
    expect(file).toMatchObject({ path: out, name: 'output.txt', mime: 'text/plain', sizeBytes: 8000 });
    expect(Buffer.from(file.dataUri.split(',')[1], 'base64').toString()).toBe(big);
    // A thumbnail asks for small files only: a larger one is refused before it is read.
    const tooLarge = await core.readPredictionFile(p.id, out, { maxBytes: 4096 }).catch((e) => e);
    expect(tooLarge).toMatchObject({ code: 'bad_request', message: 'output.txt is too large to show here (8 KiB)' });
    expect((await core.readPredictionFile(p.id, out, { maxBytes: 8000 })).sizeBytes).toBe(8000);

    const kept = p.input.image as string;
    expect(kept.startsWith(core.paths.inputs)).toBe(true);
    expect((await core.readPredictionFile(p.id, kept)).sizeBytes).toBe(8000);

    const refused = async (id: string, path: string) => {
      const e = await core.readPredictionFile(id, path).catch((err) => err);
      expect(e).toBeInstanceOf(CogdeskError);
      return e as CogdeskError;
    };
    // Not a file of this prediction.
    expect((await refused(p.id, join(core.paths.home, 'cogdesk.db'))).code).toBe('bad_request');
    expect((await refused(p.id, '/etc/hostname')).code).toBe('bad_request');
    // A path the prediction names, but outside the data folder (a CLI run with a local file).
    const local = join(core.paths.home, 'local.txt');
    await writeFile(local, 'local');
    const byPath = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: local }, source: 'cli' })).id);
    expect(byPath.input.image).toBe(local);
    expect((await refused(byPath.id, local)).message).toContain('not in this prediction');
    // An output swapped for a link that leads out of the outputs folder.
    const swapped = byPath.output as string;
    await rm(swapped);
    await symlink('/etc/hostname', swapped);
    expect((await refused(byPath.id, swapped)).code).toBe('bad_request');
    // Gone from disk.
    await rm(swapped);
    expect((await refused(byPath.id, swapped)).code).toBe('file_not_found');
    expect((await refused('nope', out)).code).toBe('not_found');
  });

  it('showPredictionFile hands only a prediction\'s own files to the file manager (showDataFolder the data folder), answering the path', async () => {
    const p = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: dataUri('show me') } })).id);
    const out = p.output as string;
    // This core has no file manager to ask (like the CLI's): the path comes back to open by hand.
    expect(await core.showPredictionFile(p.id, out)).toEqual({ path: out, shown: false });

    expect(await core.showDataFolder()).toEqual({ path: core.paths.home, shown: false });

    const asked: string[] = [];
    const app = await openCore({
      home: core.paths.home,
      recover: 'passive',
      showInFolder: async (path) => void asked.push(path),
      showFolder: async (path) => void asked.push(`folder ${path}`),
    });
    try {
      expect(await app.showDataFolder()).toEqual({ path: core.paths.home, shown: true });
      asked.length = 0;
      expect(await app.showPredictionFile(p.id, out)).toEqual({ path: out, shown: true });
      const e = await app.showPredictionFile(p.id, '/etc/hostname').catch((err) => err);
      expect(e).toBeInstanceOf(CogdeskError);
      expect(e.code).toBe('bad_request');
      expect(asked).toEqual([out]);
    } finally {
      await app.close();
    }
  });

  it('listPredictions finds text in the inputs (and ids), with LIKE wildcards taken literally', async () => {
    const a = await core.waitForPrediction((await core.createPrediction({ version: v.echo.id, input: { text: 'a red fox' } })).id);
    const b = await core.waitForPrediction((await core.createPrediction({ version: v.echo.id, input: { text: '100%_sure' } })).id);
    expect((await core.listPredictions({ query: 'RED FOX' })).map((p) => p.id)).toEqual([a.id]);
    expect((await core.listPredictions({ query: '0%_s' })).map((p) => p.id)).toEqual([b.id]);
    expect(await core.listPredictions({ query: '%' })).toEqual([expect.objectContaining({ id: b.id })]);
    expect((await core.listPredictions({ query: a.id })).map((p) => p.id)).toEqual([a.id]);
    expect((await core.listPredictions({ query: 'fox', modelId: v.file.modelId })).length).toBe(0);
    expect((await core.listPredictions({ query: '  ' })).length).toBe((await core.listPredictions()).length);
  });

  it('deletePrediction removes the row, its example and its outputs folder; a running one is refused', async () => {
    const p = await core.waitForPrediction((await core.createPrediction({ version: v.file.id, input: { image: dataUri('bye') } })).id);
    await core.addExample(p.id);
    expect(existsSync(join(core.paths.outputs, p.id))).toBe(true);
    await core.deletePrediction(p.id);
    expect(await core.getPrediction(p.id)).toBeNull();
    expect((await core.listExamples(v.file.modelId)).map((e) => e.predictionId)).not.toContain(p.id);
    expect(existsSync(join(core.paths.outputs, p.id))).toBe(false);
    expect(((await core.deletePrediction(p.id).catch((e) => e)) as CogdeskError).code).toBe('not_found');

    const running = await core.createPrediction({ version: v.stream.id, input: { prompt: 'x', n: 20, delay: 0.2 } });
    const refused = (await core.deletePrediction(running.id).catch((e) => e)) as CogdeskError;
    expect(refused.code).toBe('bad_request');
    expect(refused.hint).toContain('Cancel it first');
    await core.cancelPrediction(running.id);
    await core.waitForPrediction(running.id);
    await core.deletePrediction(running.id);
  });

  it('getDiskUsage counts outputs per model, uploaded inputs, the database and the images', async () => {
    const usage = await core.getDiskUsage();
    expect(usage.dataDir).toBe(core.paths.home);
    expect(usage.databaseBytes).toBeGreaterThan(0);
    expect(usage.inputsBytes).toBeGreaterThanOrEqual(8000);
    expect(usage.outputsBytes).toBeGreaterThanOrEqual(8000);
    const file = usage.models.find((m) => m.modelId === v.file.modelId)!;
    expect(file.outputsBytes).toBeGreaterThanOrEqual(8000);
    expect(file.imagesBytes).toBe(v.file.sizeBytes);
    expect(usage.imagesBytes).toBeGreaterThanOrEqual(v.file.sizeBytes! + v.echo.sizeBytes!);
  });

  it('deleteVersion stops its warm container and removes its image reference, keeping other tags and the history', async () => {
    const repo = `127.0.0.1:5100/e2e/delete-me-${Date.now().toString(36)}`;
    await docker.getImage(fixtureImage('echo')).tag({ repo, tag: 'latest' });
    const ref = `${repo}:latest`;
    const version = await core.ensureVersion(ref);
    const p = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'last' } })).id);
    expect(p.status).toBe('succeeded');
    const warm = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === version.id)!;
    expect(warm).toBeTruthy();

    await core.deleteVersion(version.id);
    expect(await core.getVersion(version.id)).toBeNull();
    expect((await core.listModels()).map((m) => m.id)).not.toContain(version.modelId);
    expect((await core.getEngineStatus()).warmContainers.some((w) => w.versionId === version.id)).toBe(false);
    expect(await docker.getContainer(warm.containerId).inspect().catch((e) => e.statusCode)).toBe(404);
    expect(await docker.getImage(ref).inspect().catch((e) => e.statusCode)).toBe(404);
    expect((await docker.getImage(fixtureImage('echo')).inspect()).Id).toBe(version.imageId); // the fixture's own tag stays
    expect(await core.getPrediction(p.id)).toMatchObject({ status: 'succeeded', output: 'hello last last' });
    expect(((await core.deleteVersion(version.id).catch((e) => e)) as CogdeskError).code).toBe('not_found');
  });

  it('leaves no outputs folder behind for deleted predictions', () => {
    const folders = readdirSync(core.paths.outputs);
    for (const id of folders) expect(core.store.predictions.get(id)).not.toBeNull();
  });
});
