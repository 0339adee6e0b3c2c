/**
 * Publishing a model built here to the Replicate account, against the real Docker engine, the htpasswd
 * registry on 127.0.0.1:5101 standing in for r8.im (COGDESK_REGISTRY), real SQLite, and the fake Replicate
 * API, which makes the version when the pushed manifest appears in the registry. Every push goes to a
 * fresh repository, so every push is real. Every failure says what to do and leaves nothing half-recorded.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectHardware } from '../../../src/main/core/hardware/detect';
import { createCatalog, memoryTokenStore } from '../../../src/main/core/remote';
import { createPusher, type PushProgress, type Pusher, type PusherOptions } from '../../../src/main/core/push';
import { docker, openCore } from '../../helpers/core';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, fixtureImage } from '../../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, type FakeReplicate } from '../../fakes/replicate-api';
import { buildCogImage, dockerConfig, freshRepo, hasLocal, registryDigest, removeBuiltImages, startPushFake } from './helpers';
import { startUploadProxy, type UploadProxy } from './upload-proxy';
import { rejection } from '../../helpers/errors';

type TestCore = Awaited<ReturnType<typeof openCore>>;

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const T4_SMI = join(ROOT, 'test', 'fixtures', 'nvidia-smi', 't4-old-driver', 'nvidia-smi');

let fake: FakeReplicate;
let core: TestCore;
let config: ReturnType<typeof dockerConfig>;
let proxy: UploadProxy | null = null;

beforeAll(async () => {
  // The account behind the API token is `cogdesk`, the registry user; its CLI token is the registry password.
  fake = await startPushFake();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
  await removeBuiltImages();
});
beforeEach(async () => {
  fake.pushes.hold(false);
  core = await openCore({ recover: 'passive' });
  config = dockerConfig({ host: AUTH_REGISTRY });
});
afterEach(async () => {
  await proxy?.close();
  proxy = null;
  await core.dispose();
  config.cleanup();
});

/** A pusher over the test core, the fake API, and `registry` (the test registry, or a proxy in front of it). */
function pusher(o: { registry?: string; configPath?: string } & Partial<PusherOptions> = {}): Pusher {
  const catalog = createCatalog({ store: core.store, home: core.paths.home, env: {}, apiUrl: fake.url, tokenStore: memoryTokenStore(FAKE_TOKEN) });
  return createPusher({
    docker: () => core.docker(),
    store: core.store,
    catalog,
    home: core.paths.home,
    registryTokens: memoryTokenStore(),
    env: { COGDESK_REGISTRY: o.registry ?? AUTH_REGISTRY, COGDESK_REGISTRY_VERIFY_URL: fake.verifyUrl },
    dockerConfigPath: o.configPath ?? config.path,
    // This machine, as far as the default hardware goes: one Tesla T4 (Replicate's gpu-t4).
    detectHardware: () => detectHardware({ systemInfo: false, nvidiaSmi: T4_SMI }),
    versionPollMs: 100,
    ...o,
  });
}

const posts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/models').length;
const remoteVersions = (repo: string) => (fake.world.versions.get(repo) ?? []).map((v) => v.id as string);

describe('pushing a model built here', { timeout: 120_000 }, () => {
  it('becomes a new version of a new model on the account: planned first, created with this machine\'s SKU, pushed with progress, linked', async () => {
    const image = await buildCogImage();
    const repo = freshRepo();
    const p = pusher();

    const plan = await p.plan({ version: image, destination: repo });
    expect(plan).toMatchObject({
      registry: AUTH_REGISTRY,
      destination: { id: repo, image: `${AUTH_REGISTRY}/${repo}` },
      account: AUTH_USER,
      model: { exists: false, visibility: 'public', hardware: { sku: 'gpu-t4', name: 'Nvidia T4 GPU', source: 'this-machine' } },
      credentials: { source: 'docker-config', username: AUTH_USER },
      alreadyPushed: null,
      warnings: [],
    });
    expect((plan.model as { hardware: { reason: string } }).hardware.reason).toMatch(/Tesla T4.*gpu-t4/);
    // The local image is a local version with its schema (imported by name).
    const local = core.store.library.getVersion(plan.version.id)!;
    expect(local.imageRef).toBe(`docker.io/${image}`);
    expect(local.openapiSchema).toHaveProperty('components');
    expect(fake.pushes.created).toHaveLength(0);

    const progress: PushProgress[] = [];
    let createdBeforePlan = -1;
    const result = await p.push(
      { version: image, destination: repo },
      { onProgress: (x) => progress.push(x), onPlan: () => (createdBeforePlan = fake.pushes.created.length) },
    );
    expect(createdBeforePlan).toBe(0);
    expect(fake.pushes.created).toEqual([{ owner: AUTH_USER, name: repo.split('/')[1], visibility: 'public', hardware: 'gpu-t4', description: null }]);

    // What the registry has is what Replicate made the version from, and what is linked.
    const digest = await registryDigest(repo);
    const versionId = digest!.replace(/^sha256:/, '');
    expect(result.createdModel).toBe(true);
    expect(result.url).toBe(`https://replicate.com/${repo}`);
    expect(result.link).toMatchObject({ versionId: local.id, registry: AUTH_REGISTRY, modelId: repo, remoteVersionId: versionId, imageRef: `${AUTH_REGISTRY}/${repo}@${digest}` });
    expect(remoteVersions(repo)).toEqual([versionId]);
    const labels = (await docker.getImage(image).inspect()).Config.Labels ?? {};
    expect(fake.world.versions.get(repo)![0].openapi_schema).toEqual(JSON.parse(labels['run.cog.openapi_schema']!));
    expect(fake.pushes.looks(repo)).toBeGreaterThanOrEqual(2); // the version took a look to appear, and was waited for

    // Progress: the phases in order, the new layer's bytes, done at 100.
    const phases = progress.map((x) => x.phase).filter((ph, i, all) => ph !== all[i - 1]);
    expect(phases).toEqual(expect.arrayContaining(['pushing', 'processing', 'done']));
    expect(phases.indexOf('processing')).toBeGreaterThan(phases.indexOf('pushing'));
    expect(progress.map((x) => x.percent)).toEqual([...progress.map((x) => x.percent)].sort((a, b) => a - b));
    expect(progress.some((x) => x.bytesDone > 0 && x.phase === 'pushing')).toBe(true);
    expect(result.progress).toMatchObject({ phase: 'done', percent: 100, layers: { total: 4, done: 4 } });
    expect(result.progress.message).toBe(`Pushed as ${repo}:${versionId.slice(0, 12)}`);

    // The link is in SQLite (and survives a reopen); Docker's tags are as they were.
    expect(p.links(local.id)).toEqual([result.link]);
    expect(await hasLocal(`${AUTH_REGISTRY}/${repo}:latest`)).toBe(false);
    expect(await hasLocal(image)).toBe(true);

    // A second version built here: the model is not created again; both versions are linked.
    const second = await buildCogImage();
    const again = await p.push({ version: second, destination: repo, hardware: 'cpu', visibility: 'private' });
    expect(again.createdModel).toBe(false);
    expect(fake.pushes.created).toHaveLength(1);
    expect(remoteVersions(repo)).toEqual([again.link.remoteVersionId, versionId]);
    expect(again.link.versionId).not.toBe(local.id);
    expect(p.pushes.forModel(AUTH_REGISTRY, repo).map((l) => l.remoteVersionId)).toEqual([again.link.remoteVersionId, versionId]);
    // The hardware the model was created with is kept (Replicate's API does not say it): its runs, and the
    // local runs of both versions pushed to it, are priced on it; asking for cpu on an existing model changes nothing.
    expect(p.hardware.get(AUTH_REGISTRY, repo)).toBe('gpu-t4');
    const known = p.hardware.known(AUTH_REGISTRY);
    expect(known.models[repo]).toBe('gpu-t4');
    expect(known.versions[local.id]).toBe('gpu-t4');
    expect(known.versions[again.link.versionId]).toBe('gpu-t4');

    const replan = await p.plan({ version: image, destination: repo, hardware: 'cpu', visibility: 'private' });
    expect(replan.model).toMatchObject({ exists: true, visibility: 'public', latestVersionId: again.link.remoteVersionId });
    expect(replan.alreadyPushed).toEqual(result.link);
    expect(replan.warnings).toEqual([
      `${repo} exists and is public: the visibility asked for (private) is not applied.`,
      `${repo} exists: its hardware stays as it is (hardware cannot be changed through the API).`,
    ]);
  });

  it('an image without Cog labels is not a model to push', async () => {
    const e = await rejection(pusher().plan({ version: fixtureImage('no-labels'), destination: freshRepo() }));
    expect(e.code).toBe('not_a_cog_image');
  });
});

describe('registry credentials', { timeout: 120_000 }, () => {
  it('none: refused before anything is created; then a CLI token (not an API token, not an unknown one) is verified, kept and used', async () => {
    const image = await buildCogImage();
    const repo = freshRepo();
    const empty = dockerConfig();
    try {
      const p = pusher({ configPath: empty.path });
      expect((await p.plan({ version: image, destination: repo })).credentials).toEqual({ registry: AUTH_REGISTRY, source: null, username: null, where: null, kept: null });
      const before = posts();
      const none = await rejection(p.push({ version: image, destination: repo }));
      expect(none.code).toBe('registry_unauthorized');
      expect(none.message).toBe(`Cogdesk has no credentials for ${AUTH_REGISTRY}, so it cannot push there`);
      expect(none.hint).toMatch(/cog login.*replicate\.com\/auth\/token/);
      expect(posts()).toBe(before);

      const verifies = () => fake.requests.filter((r) => r.path === '/cog/v1/verify-token').length;
      const sent = verifies();
      const apiToken = await rejection(p.login(FAKE_TOKEN));
      expect(apiToken.message).toMatch(/API token \(r8_…\), not a CLI auth token/);
      expect(verifies()).toBe(sent); // never sent anywhere

      const unknown = await rejection(p.login('not-a-cli-token'));
      expect(unknown.code).toBe('registry_unauthorized');
      expect(unknown.message).toMatch(/does not know that CLI token/);
      expect((await p.loginStatus()).kept).toBeNull();

      expect(await p.login(AUTH_PASSWORD)).toMatchObject({ source: 'cogdesk', username: AUTH_USER, kept: { username: AUTH_USER, where: 'memory' } });
      const result = await p.push({ version: image, destination: repo });
      expect(remoteVersions(repo)).toEqual([result.link.remoteVersionId]);
      expect(p.links(result.link.versionId)).toEqual([result.link]);

      expect(await p.logout()).toMatchObject({ source: null, kept: null });
    } finally {
      empty.cleanup();
    }
  });

  it('a `cog login` the registry refuses: found before a model is created', async () => {
    const image = await buildCogImage();
    const repo = freshRepo();
    const bad = dockerConfig({ host: AUTH_REGISTRY, password: 'not-the-password' });
    try {
      const before = posts();
      const e = await rejection(pusher({ configPath: bad.path }).push({ version: image, destination: repo }));
      expect(e.code).toBe('registry_unauthorized');
      expect(e.message).toBe(`${AUTH_REGISTRY} refused your \`cog login\` credentials (user ${AUTH_USER})`);
      expect(e.hint).toMatch(/Run `cog login` again/);
      expect(posts()).toBe(before);
      expect(fake.world.models.has(repo)).toBe(false);
      expect(await registryDigest(repo)).toBeNull();
    } finally {
      bad.cleanup();
    }
  });
});

describe('destinations that cannot be pushed to: refused before anything is created', { timeout: 120_000 }, () => {
  it('names that break the rules, another owner, a model of another owner, hardware Replicate does not offer, a bad visibility', async () => {
    const image = await buildCogImage();
    const p = pusher();
    const before = posts();
    const cases: Array<[Parameters<Pusher['push']>[0], RegExp]> = [
      [{ version: image, destination: `${AUTH_USER}/My Model` }, /"cogdesk\/My Model" is not a name Replicate can push to: the model name "My Model" contains spaces/],
      [{ version: image, destination: `${AUTH_USER}/-model` }, /starts or ends with "-"/],
      [{ version: image, destination: 'no-owner' }, /it has no owner/],
      [{ version: image, destination: 'someone-else/model' }, /^Cannot create someone-else\/model: new models can only be created for cogdesk/],
      [{ version: image, destination: 'fixtures/echo' }, /^fixtures\/echo already exists and belongs to fixtures, not to cogdesk/],
      [{ version: image, destination: freshRepo(), hardware: 'gpu-h100' }, /^Replicate does not offer the hardware "gpu-h100"$/],
      [{ version: image, destination: freshRepo(), visibility: 'secret' as never }, /^Visibility must be "public" or "private"/],
      [{ version: 'cogdesk-push-test/never-built:latest', destination: freshRepo() }, /^No local model version/],
    ];
    for (const [request, message] of cases) {
      const e = await rejection(p.push(request));
      expect(e.message, JSON.stringify(request)).toMatch(message);
      expect(e.hint, JSON.stringify(request)).toBeTruthy();
    }
    expect(posts()).toBe(before);
    expect(p.pushes.all()).toEqual([]);
  });
});

describe('the registry and the network failing mid-push', { timeout: 240_000 }, () => {
  it('the registry refusing the push: says so, records nothing, and Docker\'s tags are as they were', async () => {
    proxy = await startUploadProxy({ target: AUTH_REGISTRY, deny: 'manifest' });
    const viaProxy = dockerConfig({ host: proxy.host });
    try {
      const image = await buildCogImage();
      const repo = freshRepo();
      const p = pusher({ registry: proxy.host, configPath: viaProxy.path });
      const e = await rejection(p.push({ version: image, destination: repo }));
      expect(e.code).toBe('registry_unauthorized');
      expect(e.message).toBe(`${proxy.host} refused the push to ${proxy.host}/${repo}`);
      expect(e.details).toMatch(/denied/);
      // The model was created before the push: the error says it stays.
      expect(e.hint).toMatch(new RegExp(`The model ${repo} was created on Replicate and stays`));
      expect(p.pushes.all()).toEqual([]);
      // The model stays on Replicate with the hardware it was created with: that is kept too.
      expect(p.hardware.get(proxy.host, repo)).toBe('gpu-t4');
      expect(remoteVersions(repo)).toEqual([]);
      expect(await hasLocal(`${proxy.host}/${repo}:latest`)).toBe(false);
    } finally {
      viaProxy.cleanup();
    }
  });

  it('the network dropping mid-push: a clear error and nothing recorded; a second push resumes with the layers already there', async () => {
    // One big layer (2 MB of random bytes) is cut after 256 kB, once a smaller layer has made it.
    proxy = await startUploadProxy({ target: AUTH_REGISTRY, cutAfterBytes: 256 * 1024, cutAfterCompleted: 1 });
    const viaProxy = dockerConfig({ host: proxy.host });
    try {
      const image = await buildCogImage(2 * 1024 * 1024);
      const repo = freshRepo();
      const p = pusher({ registry: proxy.host, configPath: viaProxy.path });
      const first: PushProgress[] = [];
      const dropped = await rejection(p.push({ version: image, destination: repo }, { onProgress: (x) => first.push(x) }));
      expect(proxy.requests.length).toBeGreaterThan(0);
      expect(dropped.code).toBe('registry_error');
      expect(dropped.message).toBe(`The connection to ${proxy.host} dropped while pushing ${proxy.host}/${repo}`);
      expect(dropped.hint).toMatch(/^Check the network and push again: layers already uploaded are not uploaded again\./);
      // Docker retried before giving up, and the progress said so.
      expect(first.some((x) => /^Upload interrupted; retrying in \d+ seconds?$/.test(x.message))).toBe(true);
      expect(p.pushes.all()).toEqual([]);
      expect(remoteVersions(repo)).toEqual([]);
      expect(await registryDigest(repo)).toBeNull();
      const uploadedBefore = [...proxy.completed];
      expect(uploadedBefore.length).toBeGreaterThanOrEqual(1);

      await proxy.heal();
      const result = await p.push({ version: image, destination: repo });
      // The layers that made it the first time were not uploaded again, and the push says they were there.
      const uploadedAgain = proxy.completed.slice(uploadedBefore.length);
      expect(uploadedAgain.filter((d) => uploadedBefore.includes(d))).toEqual([]);
      expect(result.progress.layers.alreadyExists).toBeGreaterThanOrEqual(uploadedBefore.length);
      expect(result.createdModel).toBe(false);
      expect(remoteVersions(repo)).toEqual([result.link.remoteVersionId]);
      expect(p.pushes.all()).toEqual([result.link]);
    } finally {
      viaProxy.cleanup();
    }
  });

  it('cancel mid-push: canceled, nothing recorded, Docker\'s tags as they were', async () => {
    proxy = await startUploadProxy({ target: AUTH_REGISTRY, bytesPerSecond: 256 * 1024 });
    const viaProxy = dockerConfig({ host: proxy.host });
    try {
      const image = await buildCogImage(4 * 1024 * 1024);
      const repo = freshRepo();
      const p = pusher({ registry: proxy.host, configPath: viaProxy.path });
      const controller = new AbortController();
      void proxy.sent(64 * 1024).then(() => controller.abort());
      const e = await rejection(p.push({ version: image, destination: repo }, { signal: controller.signal }));
      expect(e.code).toBe('canceled');
      expect(e.message).toBe(`Push to ${proxy.host}/${repo} canceled`);
      expect(p.pushes.all()).toEqual([]);
      expect(remoteVersions(repo)).toEqual([]);
      expect(await hasLocal(`${proxy.host}/${repo}:latest`)).toBe(false);
    } finally {
      viaProxy.cleanup();
    }
  });

  it('Replicate never showing the version: times out saying what to do, and records no link', async () => {
    const image = await buildCogImage();
    const repo = freshRepo();
    fake.pushes.hold(true);
    const p = pusher({ versionTimeoutMs: 1_000, versionPollMs: 100 });
    const e = await rejection(p.push({ version: image, destination: repo }));
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(new RegExp(`^${AUTH_REGISTRY.replace(/\./g, '\\.')}/${repo} is pushed, but Replicate has not shown version [0-9a-f]{12} of ${repo}`));
    expect(await registryDigest(repo)).not.toBeNull();
    expect(p.pushes.all()).toEqual([]);

    // Later, once it is there, pushing the same version again only records the link.
    fake.pushes.hold(false);
    const result = await p.push({ version: image, destination: repo });
    expect(result.link.remoteVersionId).toBe((await registryDigest(repo))!.replace(/^sha256:/, ''));
    expect(p.pushes.all()).toEqual([result.link]);
  });
});
