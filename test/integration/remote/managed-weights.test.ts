/**
 * A Replicate model whose image has managed weights (Cog's `weights:`, an OCI index with weight manifests):
 * its pull from a model page fetches the weights with the image, in the pull's progress; the version records
 * them; the kept weights list them (kind managed) and the disk use counts the weights folder. Real engine,
 * real registry (the managed-weights fixture copied to a repository of this test's own, so the image is not
 * here yet), the fake Replicate API.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../../src/shared/api';
import type { PullProgress } from '../../../src/shared/domain';
import { memoryTokenStore } from '../../../src/main/core/remote';
import { docker, openCore } from '../../helpers/core';
import { OPEN_REGISTRY, readManagedWeightsFixture } from '../../helpers/fixtures';
import { FAKE_TOKEN, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ACCEPT = [INDEX, MANIFEST, 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');
const MODEL = `cogdesk-test/mw-${randomBytes(4).toString('hex')}`;

let fake: FakeReplicate;
let versionId: string;
const saved = { api: process.env.COGDESK_REPLICATE_API, registry: process.env.COGDESK_REGISTRY };

async function getManifest(repo: string, ref: string): Promise<{ body: Buffer; type: string }> {
  const res = await fetch(`http://${OPEN_REGISTRY}/v2/${repo}/manifests/${ref}`, { headers: { accept: ACCEPT } });
  if (!res.ok) throw new Error(`GET manifest ${repo}@${ref}: ${res.status}`);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') ?? MANIFEST };
}

/** Copies an image index (and what it points at) to another repository of the test registry, by cross-mounting blobs. */
async function copyIndex(from: string, digest: string, to: string): Promise<void> {
  const index = await getManifest(from, digest);
  for (const m of (JSON.parse(index.body.toString('utf8')) as { manifests: Array<{ digest: string }> }).manifests) {
    const child = await getManifest(from, m.digest);
    const json = JSON.parse(child.body.toString('utf8')) as { config?: { digest: string }; layers?: Array<{ digest: string }> };
    for (const blob of [json.config, ...(json.layers ?? [])].filter((b): b is { digest: string } => !!b)) {
      const res = await fetch(`http://${OPEN_REGISTRY}/v2/${to}/blobs/uploads/?mount=${blob.digest}&from=${from}`, { method: 'POST' });
      expect(res.status, `mount ${blob.digest}`).toBe(201);
    }
    const put = await fetch(`http://${OPEN_REGISTRY}/v2/${to}/manifests/${m.digest}`, { method: 'PUT', headers: { 'content-type': child.type }, body: child.body });
    expect(put.status, `put ${m.digest}`).toBe(201);
  }
  const put = await fetch(`http://${OPEN_REGISTRY}/v2/${to}/manifests/${digest}`, { method: 'PUT', headers: { 'content-type': index.type }, body: index.body });
  expect(put.status, 'put the index').toBe(201);
}

beforeAll(async () => {
  const fx = readManagedWeightsFixture();
  await copyIndex(fx.repository, fx.indexDigest, MODEL);
  versionId = fx.indexDigest.replace(/^sha256:/, '');
  fake = await startFakeWithFixtures();
  const echo = fake.world.models.get('fixtures/echo')!;
  const version = { ...(echo.latest_version as Record<string, unknown>), id: versionId, cog_version: '0.16.8' };
  const [owner, name] = MODEL.split('/');
  fake.world.models.set(MODEL, { ...echo, owner, name, url: `https://replicate.com/${MODEL}`, default_example: null, latest_version: version });
  fake.world.versions.set(MODEL, [version]);
  Object.assign(process.env, { COGDESK_REPLICATE_API: fake.url, COGDESK_REGISTRY: OPEN_REGISTRY });
}, 120_000);

afterAll(async () => {
  await docker.getImage(`${OPEN_REGISTRY}/${MODEL}@sha256:${versionId}`).remove({ noprune: true }).catch(() => undefined);
  await fake?.close();
  if (saved.api === undefined) delete process.env.COGDESK_REPLICATE_API;
  else process.env.COGDESK_REPLICATE_API = saved.api;
  if (saved.registry === undefined) delete process.env.COGDESK_REGISTRY;
  else process.env.COGDESK_REGISTRY = saved.registry;
});

describe("a Replicate model's managed weights", { timeout: 180_000 }, () => {
  it('come with its pull, in the progress; are recorded, listed as kept (managed) and counted in the disk use', async () => {
    const fx = readManagedWeightsFixture();
    const core = await openCore({ recover: 'passive', tokenStore: memoryTokenStore(FAKE_TOKEN) });
    try {
      const progress: PullProgress[] = [];
      const ended = new Promise<TaskEvent>((res) =>
        core.on('task', (e) => {
          if (e.kind === 'pull' && e.state === 'running') progress.push(e.progress);
          else res(e);
        }),
      );
      await core.pullRemoteModel(MODEL);
      const end = await ended;
      expect(end, JSON.stringify(end)).toMatchObject({ state: 'succeeded', version: { id: versionId, modelId: MODEL } });
      expect(progress.map((p) => p.message)).toContainEqual(expect.stringMatching(/^Fetching weights: /));
      // The weights' bytes are in the pull's total from its first report.
      expect(progress[0]!.bytesTotal).toBeGreaterThanOrEqual(fx.weightBytes);

      expect(existsSync(join(core.paths.weights, 'versions', `${versionId}.json`))).toBe(true);
      const kept = await core.listKeptWeights();
      const managed = kept.filter((k) => k.kind === 'managed' && k.versionId === versionId);
      expect(managed.map((k) => k.name).sort()).toEqual(fx.weights.map((w) => w.name).sort());
      expect(managed.every((k) => k.bytes > 0)).toBe(true);
      expect((await core.getDiskUsage()).weightsBytes).toBeGreaterThanOrEqual(managed.reduce((n, k) => n + k.bytes, 0));
    } finally {
      await core.dispose();
    }
  });
});
