import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCogLabels } from '../../../src/main/core/docker/labels';
import { pullImage } from '../../../src/main/core/docker/pull';
import { docker, rejectionOf, requireEnv, type Fixtures } from './env';
import { loadLocalImage, removeImages } from './local-images';

let fx: Fixtures;
const LOCAL = 'cogdesk-docker-tests/bad-config:latest';
const fixtureFile = (name: string, file: string) => readFileSync(join(__dirname, '../../fixtures/cog-images', name, file), 'utf8');

beforeAll(async () => {
  fx = await requireEnv();
  for (const name of ['echo', 'legacy', 'no-labels', 'bad-schema']) await pullImage(docker, fx.images[name]!.ref, { auth: null });
});

afterAll(async () => {
  if (fx) await removeImages(docker, LOCAL);
});

describe('readCogLabels', () => {
  it('reads the run.cog.* labels of a current Cog image', async () => {
    const echo = fx.images.echo!;
    const labels = await readCogLabels(docker, echo.ref);
    expect(labels).toMatchObject({
      imageId: echo.imageId,
      digest: echo.digest,
      cogVersion: '0.15.5',
      legacyLabels: false,
      config: { build: { gpu: false, python_version: '3.11' }, predict: 'predict.py:Predictor' },
    });
    // The schema comes back as the label's text; parsing is another module's job.
    expect(typeof labels.openapiSchema).toBe('string');
    expect(JSON.parse(labels.openapiSchema)).toEqual(JSON.parse(fixtureFile('echo', 'openapi.json')));
    expect(labels.sizeBytes).toBeGreaterThan(1_000_000);
    expect(new Date(labels.createdAt).toString()).not.toBe('Invalid Date');
  });

  it('works by digest reference and by image id too', async () => {
    const echo = fx.images.echo!;
    expect((await readCogLabels(docker, echo.pinnedRef)).digest).toBe(echo.digest);
    const byId = await readCogLabels(docker, echo.imageId);
    expect(byId).toMatchObject({ imageId: echo.imageId, cogVersion: '0.15.5' });
  });

  it('reads the org.cogmodel.* labels of images from Cog 0.8 and older', async () => {
    const legacy = fx.images.legacy!;
    const labels = await readCogLabels(docker, legacy.ref);
    expect(labels).toMatchObject({ imageId: legacy.imageId, cogVersion: '0.8.6', legacyLabels: true, config: { predict: 'predict.py:Predictor' } });
    expect(JSON.parse(labels.openapiSchema)).toEqual(JSON.parse(fixtureFile('legacy', 'openapi.json')));
  });

  it('returns a broken schema label as it is (judging it is not this module’s job)', async () => {
    const labels = await readCogLabels(docker, fx.images['bad-schema']!.ref);
    expect(labels.openapiSchema).toBe(fixtureFile('bad-schema', 'openapi-label.txt').replace(/\n+$/, ''));
  });

  it('an image without Cog labels: not_a_cog_image with what to do', async () => {
    const ref = fx.images['no-labels']!.ref;
    const e = await rejectionOf(readCogLabels(docker, ref));
    expect(e.code).toBe('not_a_cog_image');
    expect(e.message).toBe(`${ref} has no Cog labels (run.cog.openapi_schema)`);
    expect(e.hint).toBe('Build it with `cog build`, or pick an image made by Cog.');
  });

  it('a config label that is not JSON gives config null, not an error; no repo digest for a local image', async () => {
    await loadLocalImage(docker, {
      ref: LOCAL,
      layers: [1000],
      labels: { 'run.cog.openapi_schema': '{"openapi":"3.0.2"}', 'run.cog.config': 'build: {gpu: true', 'run.cog.version': '0.9.0' },
    });
    const labels = await readCogLabels(docker, LOCAL);
    expect(labels).toMatchObject({ config: null, cogVersion: '0.9.0', openapiSchema: '{"openapi":"3.0.2"}', legacyLabels: false });
    expect(labels.digest).toBeUndefined();
  });

  it('an image that is not on this machine: image_not_found', async () => {
    const e = await rejectionOf(readCogLabels(docker, '127.0.0.1:5100/fixtures/not-pulled:latest'));
    expect(e.code).toBe('image_not_found');
    expect(e.hint).toContain('Pull it');
  });
});
