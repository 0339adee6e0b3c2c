/**
 * Pulls that do not go smoothly: canceled by the user, or a registry connection that breaks mid-blob.
 * The registry sits behind test/helpers/flaky-proxy.ts; images are pulled as 127.0.0.1:<proxy port>/...
 * (Docker uses plain HTTP for 127.0.0.0/8). The image is the 3-layer one of known sizes (env.ts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pullImage } from '../../../src/main/core/docker/pull';
import type { PullProgress } from '../../../src/shared/domain';
import { startFlakyProxy, type FlakyProxy } from '../../helpers/flaky-proxy';
import { docker, ensureLayeredImage, LAYERED, rejectionOf, requireEnv, type Fixtures } from './env';
import { imageExists, removeImageCompletely } from './local-images';

let fx: Fixtures;
let layered: Awaited<ReturnType<typeof ensureLayeredImage>>;
let proxy: FlakyProxy | undefined;
const NO_CONFIG = { configPath: '/nonexistent/cogdesk-test/config.json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fx = await requireEnv();
  layered = await ensureLayeredImage(fx);
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  if (!layered) return; // requireEnv failed: that failure is the report
  await removeImageCompletely(docker, layered.imageId);
});

async function throughProxy(options: Omit<Parameters<typeof startFlakyProxy>[0], 'target'>): Promise<string> {
  await removeImageCompletely(docker, layered.imageId);
  proxy = await startFlakyProxy({ target: fx.openRegistry, ...options });
  return `${proxy.host}/${LAYERED.repo}:${LAYERED.tag}`;
}

describe('canceling a pull', () => {
  it('aborting mid-download rejects with pull_canceled at once, and Docker stops downloading', async () => {
    const ref = await throughProxy({ bytesPerSecond: 250_000 });
    const controller = new AbortController();
    const events: PullProgress[] = [];
    const pulling = pullImage(docker, ref, { signal: controller.signal, onProgress: (p) => events.push(p), ...NO_CONFIG });
    await proxy!.sent(300_000);
    await sleep(150);
    const t0 = Date.now();
    controller.abort();
    const e = await rejectionOf(pulling);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(e.code).toBe('pull_canceled');
    expect(e.message).toBe(`Pull of ${ref} canceled`);
    expect(e.hint).toBeTruthy();
    // Progress had started, and was not reported as finished.
    expect(events.some((p) => p.phase === 'downloading' && p.bytesDone > 0)).toBe(true);
    expect(events.every((p) => p.phase !== 'done')).toBe(true);

    // The engine dropped the pull: no more bytes flow and no image appears.
    await sleep(500);
    const sent = proxy!.blobBytes;
    await sleep(1500);
    expect(proxy!.blobBytes).toBe(sent);
    expect(sent).toBeLessThan(layered.blobSizes.reduce((a, b) => a + b, 0));
    expect(await imageExists(docker, ref)).toBe(false);
  });

  it('an already aborted signal rejects with pull_canceled without pulling', async () => {
    const ref = await throughProxy({});
    const controller = new AbortController();
    controller.abort();
    expect((await rejectionOf(pullImage(docker, ref, { signal: controller.signal, ...NO_CONFIG }))).code).toBe('pull_canceled');
    expect(proxy!.requests).toEqual([]);
  });
});

describe('a registry connection that breaks mid-blob', () => {
  it('a one-off cut: Docker retries, resuming where it stopped, and the pull succeeds', async () => {
    const ref = await throughProxy({ cutAfterBytes: 400_000, maxCuts: 1, afterCut: 'up' });
    const events: PullProgress[] = [];
    const result = await pullImage(docker, ref, { onProgress: (p) => events.push(p), ...NO_CONFIG });
    expect(result).toMatchObject({ ref, imageId: layered.imageId, digest: layered.digest });
    expect(proxy!.cuts).toBe(1);
    expect(proxy!.requests.some((r) => r.includes('range=bytes=400000-'))).toBe(true);
    expect(events.some((p) => /retrying in \d+ seconds?/.test(p.message))).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done', percent: 100, bytesDone: events.at(-1)!.bytesTotal });
  }, 60_000);

  it('the registry dies mid-blob (and is back without the data): a failure, not a success; a later pull works', async () => {
    const ref = await throughProxy({ cutAfterBytes: 400_000, afterCut: 'gone' });
    const events: PullProgress[] = [];
    const e = await rejectionOf(pullImage(docker, ref, { onProgress: (p) => events.push(p), ...NO_CONFIG }));
    expect(e.code).toBe('pull_failed');
    expect(e.message).toContain(proxy!.host);
    expect(e.hint).toMatch(/pull again/i);
    expect(proxy!.cuts).toBeGreaterThanOrEqual(1);
    expect(events.every((p) => p.phase !== 'done')).toBe(true);
    expect(await imageExists(docker, ref)).toBe(false);

    // The registry is healthy again: the same pull now succeeds.
    await proxy!.heal();
    const result = await pullImage(docker, ref, NO_CONFIG);
    expect(result).toMatchObject({ ref, imageId: layered.imageId, digest: layered.digest });
  }, 90_000);

  // Slow by nature (about 75 s here): the engine's own back-off (5 attempts, waiting 5 + 10 + 15 + 20 s)
  // cannot be shortened without reconfiguring the shared engine, and it is the only test of a registry that
  // never comes back. It runs in the normal suite so that path cannot break unseen.
  it(
    'the registry dies mid-blob and stays down: Docker retries, then a pull_failed naming the registry',
    async () => {
      const ref = await throughProxy({ cutAfterBytes: 400_000, afterCut: 'down' });
      const e = await rejectionOf(pullImage(docker, ref, NO_CONFIG));
      expect(e.code).toBe('pull_failed');
      expect(e.message).toBe(`Pulling ${ref} failed: could not reach ${proxy!.host}`);
      await proxy!.heal();
      expect((await pullImage(docker, ref, NO_CONFIG)).imageId).toBe(layered.imageId);
    },
    300_000,
  );
});
