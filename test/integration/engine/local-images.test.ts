/**
 * Images built with `cog build` (any image with Cog labels) are local models without pulling, pushing or
 * naming them first: a scan of the real engine's images lists them, once; images without Cog labels and
 * images whose labels cannot be read are not models (the latter are named with why).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { docker, openCore, tempHome } from '../../helpers/core';
import { fixtureImage } from '../../helpers/fixtures';
import { buildCogImage, removeBuiltImages } from '../push/helpers';

type TestCore = Awaited<ReturnType<typeof openCore>>;
const CLI = resolve(fileURLToPath(new URL('../../../bin/cogdesk.js', import.meta.url)));

let core: TestCore | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
});
afterAll(() => removeBuiltImages());

describe('local Cog images are local models', { timeout: 120_000 }, () => {
  it('lists an image built here once, with its schema; images without Cog labels are left out', async () => {
    core = await openCore();
    const image = await buildCogImage(1024, `scan-${Date.now().toString(36)}`);
    const inspect = await docker.getImage(image).inspect();

    const first = await core.scanLocalImages();
    const mine = first.added.find((v) => v.imageRef === `docker.io/${image}`);
    expect(mine).toBeTruthy();
    expect(mine!.imageId).toBe(inspect.Id);
    expect((mine!.openapiSchema as { components: { schemas: Record<string, unknown> } }).components.schemas.Input).toBeTruthy();
    expect((await core.listModels()).map((m) => m.id)).toContain(mine!.modelId);
    expect(first.added.map((v) => v.imageRef)).not.toContain(fixtureImage('no-labels'));
    // Unreadable labels: named, with why, and not a model.
    const bad = first.skipped.find((s) => s.ref === fixtureImage('bad-schema'));
    expect(bad?.reason).toMatch(/schema label that Cogdesk cannot read/);
    expect((await core.listModels()).map((m) => m.id)).not.toContain('127.0.0.1:5100/fixtures/bad-schema');

    // Known now: a second scan adds nothing, and the version runs.
    expect((await core.scanLocalImages()).added).toEqual([]);
    const done = await core.waitForPrediction((await core.createPrediction({ version: mine!.id, input: { text: 'scan' } })).id);
    expect(done.status).toBe('succeeded');
  });

  it('another tag of a known image is the same version; a rebuild under the same tag is a new one', async () => {
    core = await openCore();
    const image = await buildCogImage(1024, `retag-${Date.now().toString(36)}`);
    const [known] = (await core.scanLocalImages()).added.filter((v) => v.imageRef === `docker.io/${image}`);
    const alias = `${image.replace(/:latest$/, '')}-alias:v1`;
    const [repo, tag] = alias.split(':');
    await docker.getImage(image).tag({ repo, tag });
    try {
      expect((await core.scanLocalImages()).added.map((v) => v.imageRef)).not.toContain(`docker.io/${alias}`);
      const name = image.split('/')[1]!.replace(/:latest$/, '');
      await buildCogImage(2048, name); // the same tag, a new image: what `cog build -t` again gives
      const again = (await core.scanLocalImages()).added.filter((v) => v.imageRef === `docker.io/${image}`);
      expect(again).toHaveLength(1);
      expect(again[0]!.id).not.toBe(known!.id);
      expect((await core.listVersions(known!.modelId)).map((v) => v.id)).toEqual([again[0]!.id, known!.id]);
    } finally {
      await docker.getImage(alias).remove().catch(() => undefined);
    }
  });

  it('`cogdesk models` lists what `cog build` made', async () => {
    const image = await buildCogImage(1024, `cli-${Date.now().toString(36)}`);
    const { home, cleanup } = tempHome();
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'models', '--json'], { env: { ...process.env, COGDESK_HOME: home }, maxBuffer: 256 * 1024 * 1024 });
      const models = JSON.parse(stdout) as Array<{ id: string; versions: Array<{ image: string }> }>;
      expect(models.some((m) => m.versions.some((v) => v.image === `docker.io/${image}`))).toBe(true);
    } finally {
      cleanup();
    }
  });
});
