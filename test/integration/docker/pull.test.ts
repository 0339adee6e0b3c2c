import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullImage } from '../../../src/main/core/docker/pull';
import type { PullProgress } from '../../../src/shared/domain';
import { docker, ensureLayeredImage, rejectionOf, requireEnv, type Fixtures } from './env';
import { imageExists, removeImageCompletely, removeImages } from './local-images';

let fx: Fixtures;
let layered: Awaited<ReturnType<typeof ensureLayeredImage>>;
const NO_CONFIG = { configPath: '/nonexistent/cogdesk-test/config.json' };

beforeAll(async () => {
  fx = await requireEnv();
  layered = await ensureLayeredImage(fx);
});

afterAll(async () => {
  if (!layered) return; // requireEnv failed: that failure is the report
  await removeImages(docker, layered.ref);
  // Leave the fixture tagged as setup.sh does, for the tests that run it.
  await pullImage(docker, fx.images.echo!.ref, NO_CONFIG);
});

/** Records progress with arrival times, and checks what must hold for every pull. */
function recorder() {
  const events: Array<PullProgress & { at: number }> = [];
  return {
    events,
    onProgress: (p: PullProgress) => events.push({ ...p, at: Date.now() }),
    checkInvariants() {
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events[0]!.phase).toBe('resolving');
      let last = -1;
      for (const e of events) {
        // No percent until every layer's size is known; once known, it never goes back to unknown.
        if (e.percent === null) {
          expect(last, 'the percent went back to unknown').toBe(-1);
          continue;
        }
        expect(Number.isNaN(e.percent)).toBe(false);
        expect(e.percent).toBeGreaterThanOrEqual(last);
        expect(e.percent).toBeLessThanOrEqual(100);
        expect(e.bytesDone).toBeLessThanOrEqual(e.bytesTotal);
        last = e.percent;
      }
      const final = events.at(-1)!;
      expect(final).toMatchObject({ phase: 'done', percent: 100 });
      expect(events.slice(0, -1).every((e) => e.phase !== 'done' && (e.percent === null || e.percent < 100))).toBe(true);
      // At most ~10 a second: only the final one may follow closer than the throttle.
      for (let i = 1; i < events.length - 1; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(95);
      return final;
    },
  };
}

describe('pullImage from the test registry', () => {
  it('pulls a fixture with aggregated progress, returning the image id and the registry digest', async () => {
    const echo = fx.images.echo!;
    await removeImageCompletely(docker, echo.imageId);
    expect(await imageExists(docker, echo.ref)).toBe(false);

    const rec = recorder();
    const result = await pullImage(docker, echo.ref, { onProgress: rec.onProgress, ...NO_CONFIG });
    expect(result).toEqual({ ref: echo.ref, imageId: echo.imageId, digest: echo.digest });
    const final = rec.checkInvariants();
    // All fixtures are built from one Dockerfile and differ only in labels (the image config), so their
    // layers are usually here already ("Already exists"); any that are not are downloaded in full.
    expect(final.layers.total).toBe(3);
    expect(final.layers.done).toBe(final.layers.total);
    expect(final.layers.alreadyExists).toBeGreaterThanOrEqual(1);
    expect(final.bytesDone).toBe(final.bytesTotal);
    expect(final.ref).toBe(echo.ref);
    expect(await imageExists(docker, echo.ref)).toBe(true);
  });

  it('counts every byte of a 3-layer image: bytesTotal is the sum of the registry blob sizes', async () => {
    await removeImageCompletely(docker, layered.ref);
    const rec = recorder();
    const result = await pullImage(docker, layered.ref, { onProgress: rec.onProgress, ...NO_CONFIG });
    expect(result.digest).toBe(layered.digest);
    const final = rec.checkInvariants();
    const sum = layered.blobSizes.reduce((a, b) => a + b, 0);
    expect(final.layers).toEqual({ total: 3, done: 3, downloading: 0, extracting: 0, alreadyExists: 0 });
    expect(final.bytesTotal).toBe(sum);
    expect(final.bytesDone).toBe(sum);
    expect(final.message).toMatch(/^Pulled 3 layers \(2\.8 MB of 2\.8 MB\)$/);
    // Progress went through the phases in order.
    const phases = [...new Set(rec.events.map((e) => e.phase))];
    expect(phases[0]).toBe('resolving');
    expect(phases.at(-1)).toBe('done');
  });

  it('pulls by digest (repo@sha256:...)', async () => {
    const echo = fx.images.echo!;
    await removeImageCompletely(docker, echo.imageId);
    const rec = recorder();
    const result = await pullImage(docker, echo.pinnedRef, { onProgress: rec.onProgress, ...NO_CONFIG });
    expect(result).toEqual({ ref: echo.pinnedRef, imageId: echo.imageId, digest: echo.digest });
    rec.checkInvariants();
    const info = await docker.getImage(echo.pinnedRef).inspect();
    expect(info.RepoDigests).toContain(echo.pinnedRef);
  });

  it('an image that is already here: done at once with "Image is up to date"', async () => {
    const echo = fx.images.echo!;
    await pullImage(docker, echo.ref, NO_CONFIG);
    const rec = recorder();
    await pullImage(docker, echo.ref, { onProgress: rec.onProgress, ...NO_CONFIG });
    expect(rec.checkInvariants()).toMatchObject({ message: 'Image is up to date', layers: { total: 0 } });
  });

  it('a repository that does not exist: image_not_found with a hint to check the name', async () => {
    const ref = `${fx.openRegistry}/fixtures/does-not-exist:latest`;
    const e = await rejectionOf(pullImage(docker, ref, NO_CONFIG));
    expect(e.code).toBe('image_not_found');
    expect(e.message).toBe(`${ref} was not found on ${fx.openRegistry}`);
    expect(e.hint).toMatch(/check the image name/i);
    expect(e.details).toContain('manifest unknown');
  });

  it('a tag that does not exist: image_not_found', async () => {
    const ref = `${fx.openRegistry}/fixtures/echo:no-such-tag`;
    const e = await rejectionOf(pullImage(docker, ref, NO_CONFIG));
    expect(e.code).toBe('image_not_found');
    expect(e.message).toContain('echo:no-such-tag');
  });

  it('a digest that does not exist: image_not_found', async () => {
    const ref = `${fx.openRegistry}/fixtures/echo@sha256:${'0'.repeat(64)}`;
    expect((await rejectionOf(pullImage(docker, ref, NO_CONFIG))).code).toBe('image_not_found');
  });

  it('a registry nobody listens on: pull_failed saying it could not reach it', async () => {
    const e = await rejectionOf(pullImage(docker, '127.0.0.1:1/some/image:latest', NO_CONFIG));
    expect(e.code).toBe('pull_failed');
    expect(e.message).toContain('could not reach 127.0.0.1:1');
    expect(e.hint).toMatch(/pull again/);
  });

  it('an invalid reference: bad_request before Docker is asked', async () => {
    expect((await rejectionOf(pullImage(docker, 'Not A Ref', NO_CONFIG))).code).toBe('bad_request');
  });
});
