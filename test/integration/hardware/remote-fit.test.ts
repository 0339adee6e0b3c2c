/**
 * Whether a Replicate model fits this machine, before any pull: the image's `cog.yaml` label read from the
 * real test registries (127.0.0.1:5100 open, 127.0.0.1:5101 with basic auth) over the registry HTTP API,
 * the fake Replicate API for "which version is the latest", nvidia-smi stand-ins for GPUs, and the SQLite
 * cache answering once the registry is gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatModelPage, remoteFitFor } from '../../../src/main/cli/catalog';
import { readRemoteImageConfig } from '../../../src/main/core/docker/registry-config';
import { detectHardware } from '../../../src/main/core/hardware/detect';
import { checkFit } from '../../../src/main/core/hardware/fit';
import { remoteRequirement } from '../../../src/main/core/hardware/remote-fit';
import { memoryTokenStore } from '../../../src/main/core/remote';
import { RemoteRequirementStore } from '../../../src/main/core/store/remote-requirements';
import { openCore, tempHome } from '../../helpers/core';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { FAKE_TOKEN, GONE_VERSION_ID, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';
import { rejection } from '../../helpers/errors';

const STANDINS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/nvidia-smi');
const hex = (digest: string) => digest.replace(/^sha256:/, '');
const ENV_KEYS = ['COGDESK_REPLICATE_API', 'COGDESK_REGISTRY', 'COGDESK_NVIDIA_SMI', 'DOCKER_CONFIG'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let fake: FakeReplicate;
let noLogin: string;
const cleanups: Array<() => Promise<void> | void> = [];

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** A temp DOCKER_CONFIG folder, with the auth registry's login when `login`. */
function dockerConfig(login: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'cogdesk-docker-config-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const auths = login ? { [AUTH_REGISTRY]: { auth: Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64') } } : {};
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths }));
  return dir;
}

async function core(home?: string) {
  const c = await openCore({ tokenStore: memoryTokenStore(FAKE_TOKEN), ...(home ? { home } : {}) });
  cleanups.push(() => c.dispose());
  return c;
}

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  process.env.COGDESK_REPLICATE_API = fake.url;
  process.env.COGDESK_REGISTRY = OPEN_REGISTRY;
  // This machine has no NVIDIA GPU; say so explicitly so the answers do not depend on it.
  process.env.COGDESK_NVIDIA_SMI = '/nonexistent/nvidia-smi';
  process.env.DOCKER_CONFIG = noLogin = dockerConfig(false);
});

afterEach(async () => {
  process.env.COGDESK_REGISTRY = OPEN_REGISTRY;
  process.env.COGDESK_NVIDIA_SMI = '/nonexistent/nvidia-smi';
  process.env.DOCKER_CONFIG = noLogin;
  while (cleanups.length > 1) await cleanups.pop()!(); // [0] is noLogin's folder
});

afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
  await fake?.close();
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe('reading an image config from the registry, without pulling', () => {
  it('reads the echo and gpu fixtures: digests verified, labels as pushed', async () => {
    const echo = fixtureEntry('echo');
    const r = await readRemoteImageConfig(echo.pinnedRef);
    expect(r.manifestDigest).toBe(echo.digest);
    expect(r.configDigest).toBe(echo.imageId);
    expect(JSON.parse(r.labels['run.cog.config']!)).toMatchObject({ build: { gpu: false } });
    const gpu = await readRemoteImageConfig(fixtureEntry('gpu').pinnedRef);
    expect(JSON.parse(gpu.labels['run.cog.config']!)).toMatchObject({ build: { gpu: true } });
    const legacy = await readRemoteImageConfig(fixtureEntry('legacy').pinnedRef);
    expect(legacy.labels['run.cog.config']).toBeUndefined();
    expect(JSON.parse(legacy.labels['org.cogmodel.config']!)).toMatchObject({ build: { gpu: false } });
  });
});

describe('checkFit({model, version}) for Replicate models', () => {
  it('fixtures/echo (cog.yaml gpu: false), latest version from the catalog: runs here on the CPU', async () => {
    const c = await core();
    const fit = await c.checkFit({ model: 'fixtures/echo' });
    expect(fit).toMatchObject({ kind: 'cpu', reason: null });
    expect(fit.sentence).toBe('CPU only: it runs here on the CPU.');
    // Read once from the registry, and kept.
    const row = new RemoteRequirementStore(c.store.db).get(hex(fixtureEntry('echo').digest));
    expect(row).toMatchObject({ modelId: 'fixtures/echo', gpu: false, imageRef: fixtureEntry('echo').pinnedRef });
    expect(await c.checkFit({ model: 'fixtures/echo', version: `sha256:${hex(fixtureEntry('echo').digest)}` })).toEqual(fit);
  });

  it('fixtures/gpu (gpu: true) on this GPU-less machine: needs a GPU, and says why', async () => {
    const c = await core();
    const fit = await c.checkFit({ model: 'fixtures/gpu', version: hex(fixtureEntry('gpu').digest) });
    expect(fit).toMatchObject({ kind: 'needs_gpu', reason: 'no_gpu' });
    expect(fit.sentence).toMatch(/^Needs an NVIDIA GPU; this machine has none \(/);
  });

  it('fixtures/gpu with an nvidia-smi stand-in on PATH: runs here on the GPU (Docker aside); the engine adds what Docker says', async () => {
    const c = await core();
    const version = hex(fixtureEntry('gpu').digest);
    const r = await remoteRequirement({ store: c.store, catalog: c.catalog }, { model: 'fixtures/gpu', version });
    expect(r).toMatchObject({ kind: 'known', from: 'registry', requirement: { gpu: true } });
    if (r.kind !== 'known') throw new Error('unreachable');
    const report = await detectHardware({ systemInfo: false, env: { PATH: `${join(STANDINS, 'h100')}:/usr/bin:/bin` }, wslPath: '/nonexistent/nvidia-smi' });
    expect(checkFit(report, r.requirement, null)).toMatchObject({ kind: 'gpu', sentence: 'Runs here on GPU: NVIDIA H100 80GB HBM3 (80 GB).' });

    // Through the engine the same version, now from the cache; this Docker engine has no GPU support.
    process.env.COGDESK_NVIDIA_SMI = join(STANDINS, 'h100', 'nvidia-smi');
    const fit = await c.checkFit({ model: 'fixtures/gpu', version });
    expect(fit).toMatchObject({ kind: 'needs_gpu', reason: 'docker_cannot_use_gpu' });
  });

  it('a private image: unauthorized without Docker credentials, read with those of a temp DOCKER_CONFIG', async () => {
    process.env.COGDESK_REGISTRY = AUTH_REGISTRY;
    const version = hex(fixtureEntry('private-echo').digest);
    const c = await core();
    process.env.DOCKER_CONFIG = dockerConfig(false);
    const e = await rejection(c.checkFit({ model: 'private/echo', version }));
    expect(e.code).toBe('registry_unauthorized');
    expect(e.message).toBe(`${AUTH_REGISTRY} needs credentials to read private/echo`);
    expect(e.hint).toContain(`docker login ${AUTH_REGISTRY}`);
    // Nothing cached from a refusal.
    expect(new RemoteRequirementStore(c.store.db).get(version)).toBeNull();

    const wrong = mkdtempSync(join(tmpdir(), 'cogdesk-docker-config-'));
    cleanups.push(() => rmSync(wrong, { recursive: true, force: true }));
    writeFileSync(join(wrong, 'config.json'), JSON.stringify({ auths: { [AUTH_REGISTRY]: { auth: Buffer.from(`${AUTH_USER}:not-the-password`).toString('base64') } } }));
    process.env.DOCKER_CONFIG = wrong;
    const refused = await rejection(c.checkFit({ model: 'private/echo', version }));
    expect(refused.code).toBe('registry_unauthorized');
    expect(refused.message).toBe(`${AUTH_REGISTRY} refused the Docker credentials for private/echo`);

    process.env.DOCKER_CONFIG = dockerConfig(true);
    expect(await c.checkFit({ model: 'private/echo', version })).toMatchObject({ kind: 'cpu' });
  });

  it('a version whose image does not exist: a clear not_found', async () => {
    const c = await core();
    const e = await rejection(c.checkFit({ model: 'fixtures/echo', version: GONE_VERSION_ID }));
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`${OPEN_REGISTRY}/fixtures/echo@sha256:${GONE_VERSION_ID} is not in ${OPEN_REGISTRY}`);
    expect(e.hint).toMatch(/version/);
    const bad = await rejection(c.checkFit({ model: 'fixtures/echo', version: 'latest' }));
    expect(bad.code).toBe('bad_request');
  });

  it('the SQLite cache answers after the registry and the API are unreachable (and after a restart); never seen: unknown, with why', async () => {
    const { home, cleanup } = tempHome();
    cleanups.push(cleanup);
    const first = await openCore({ tokenStore: memoryTokenStore(FAKE_TOKEN), home });
    expect(await first.checkFit({ model: 'fixtures/echo' })).toMatchObject({ kind: 'cpu' });
    await first.close(); // a restart: the next core opens the same SQLite file

    const port = await closedPort();
    process.env.COGDESK_REGISTRY = `127.0.0.1:${port}`;
    await fake.stop();
    try {
      const again = await core(home);
      // The latest version from the catalog's cache, its requirement from the fit cache.
      expect(await again.checkFit({ model: 'fixtures/echo' })).toMatchObject({ kind: 'cpu', sentence: 'CPU only: it runs here on the CPU.' });
      const never = await again.checkFit({ model: 'fixtures/echo', version: hex(fixtureEntry('stream').digest) });
      expect(never.kind).toBe('unknown');
      expect(never.sentence).toMatch(new RegExp(`^Could not check whether it needs a GPU: Cannot reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\. Check the network connection`));
      // A model the catalog never saw, offline: the latest version cannot be known.
      const unseen = await again.checkFit({ model: 'fixtures/never-seen' });
      expect(unseen.kind).toBe('unknown');
      expect(unseen.sentence).toMatch(/^Could not check whether it needs a GPU: which version is the latest is unknown/);
    } finally {
      await fake.start();
    }
  });

  it('a local version with that id answers from its own labels, without the registry', async () => {
    const c = await core();
    const gpu = await c.ensureVersion(fixtureEntry('gpu').pinnedRef);
    expect(gpu.id).toBe(hex(fixtureEntry('gpu').digest));
    process.env.COGDESK_REGISTRY = `127.0.0.1:${await closedPort()}`;
    expect(await c.checkFit({ model: 'someone/else', version: gpu.id })).toMatchObject({ kind: 'needs_gpu', reason: 'no_gpu' });
  });

  it('the CLI model page prints the fit line', async () => {
    const c = await core();
    const page = await c.getModelPage('fixtures/echo');
    const fit = await remoteFitFor(c.store, c.catalog, page.data);
    expect(fit).toMatchObject({ kind: 'cpu' });
    expect(formatModelPage(page.data, fit)).toMatch(/^Fit: {5}runs here \(CPU\): CPU only: it runs here on the CPU\.$/m);

    process.env.COGDESK_REGISTRY = `127.0.0.1:${await closedPort()}`;
    const other = { ...page.data, model: { ...page.data.model, latestVersion: { ...page.data.model.latestVersion!, id: GONE_VERSION_ID } } };
    const offline = await remoteFitFor(c.store, c.catalog, other);
    expect(offline).toMatchObject({ kind: 'unknown' });
    expect(formatModelPage(other, offline)).toMatch(/^Fit: {5}unknown: Could not check whether it needs a GPU: Cannot reach/m);
  });
});
