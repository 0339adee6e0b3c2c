/**
 * The contract's push calls on a real core (createCore): planPush, pushVersion as a task whose progress and end arrive as
 * `task` events of kind 'push', cancelTask, listPushes, and the registry login calls. The CLI token of the
 * core is the registry password; COGDESK_REGISTRY points at the htpasswd registry; DOCKER_CONFIG is empty.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { API_METHODS } from '../../../src/shared/api';
import { CogdeskError } from '../../../src/shared/errors';
import { memoryTokenStore } from '../../../src/main/core/remote';
import type { Pusher, PushLink, PushPlan, PushProgress, PushRequest, PushResult, RegistryLoginStatus } from '../../../src/main/core/push';
import { openCore } from '../../helpers/core';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER } from '../../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, type FakeReplicate } from '../../fakes/replicate-api';
import { buildCogImage, dockerConfig, freshRepo, removeBuiltImages, startPushFake } from './helpers';
import { startUploadProxy } from './upload-proxy';
import { engineElsewhere } from '../docker/engine-elsewhere';

/** The calls this file drives: each must be in the contract and on the core, or the first test fails. */
const PUSH_CALLS = ['planPush', 'pushVersion', 'getRegistryLogin', 'setRegistryToken', 'clearRegistryToken', 'listPushes', 'getModelSkus', 'cancelTask'] as const;

/** What the core adds for pushes, as this file calls it. */
interface PushApi {
  updateSettings(patch: { dockerHost?: string }): Promise<unknown>;
  planPush(request: PushRequest): Promise<PushPlan>;
  pushVersion(request: PushRequest): Promise<{ taskId: string }>;
  getRegistryLogin(): Promise<RegistryLoginStatus>;
  setRegistryToken(token: string): Promise<RegistryLoginStatus>;
  clearRegistryToken(): Promise<RegistryLoginStatus>;
  listPushes(versionId: string): Promise<PushLink[]>;
  getModelSkus(): Promise<{ models: Record<string, string>; versions: Record<string, string> }>;
  cancelTask(taskId: string): Promise<void>;
  on(event: 'task', listener: (e: PushEvent) => void): () => void;
  readonly pusher: Pusher;
}
type PushEvent =
  | { taskId: string; kind: 'push'; state: 'running'; progress: PushProgress }
  | { taskId: string; kind: 'push'; state: 'succeeded'; progress: PushProgress; result: PushResult }
  | { taskId: string; kind: 'push' | 'pull'; state: 'failed' | 'canceled'; error: { code: string; message: string; hint?: string } };

const ENV_KEYS = ['COGDESK_REPLICATE_API', 'COGDESK_REGISTRY', 'COGDESK_REGISTRY_VERIFY_URL', 'DOCKER_CONFIG', 'COGDESK_NVIDIA_SMI'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

let fake: FakeReplicate;
let core: Awaited<ReturnType<typeof openCore>>;
/** The core, as the wired contract sees it. */
let api: PushApi;
let config: ReturnType<typeof dockerConfig>;

beforeAll(async () => {
  fake = await startPushFake();
});
afterAll(async () => {
  expectAnswersValid(fake);
  await fake.close();
  await removeBuiltImages();
});
beforeEach(async () => {
  config = dockerConfig();
  Object.assign(process.env, {
    COGDESK_REPLICATE_API: fake.url,
    COGDESK_REGISTRY: AUTH_REGISTRY,
    COGDESK_REGISTRY_VERIFY_URL: fake.verifyUrl,
    DOCKER_CONFIG: config.dir,
    COGDESK_NVIDIA_SMI: '/nonexistent/nvidia-smi',
  });
  core = await openCore({ recover: 'passive', tokenStore: memoryTokenStore(FAKE_TOKEN), registryTokenStore: memoryTokenStore() } as never);
  api = core as unknown as PushApi;
});
afterEach(async () => {
  await core.dispose();
  config.cleanup();
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** Collects a task's events until it ends. */
function taskEnd(taskIdOf: () => string | null): { events: PushEvent[]; done: Promise<PushEvent> } {
  const events: PushEvent[] = [];
  let off = () => undefined as void;
  const done = new Promise<PushEvent>((resolve) => {
    off = api.on('task', (e) => {
      if (e.kind !== 'push') return;
      events.push(e);
      if (e.state !== 'running' && (taskIdOf() === null || e.taskId === taskIdOf())) resolve(e);
    });
  });
  return { events, done: done.finally(() => off()) };
}

describe('the contract: pushVersion as a task', { timeout: 120_000 }, () => {
  it('the contract and the core have every push call this file drives (a renamed one fails here, not silently)', () => {
    expect(API_METHODS).toEqual(expect.arrayContaining([...PUSH_CALLS]));
    for (const name of PUSH_CALLS) expect(typeof (api as unknown as Record<string, unknown>)[name], `core.${name}`).toBe('function');
  });

  it('plan, registry token, push with task events, the link; a bad name answers at once', async () => {
    const image = await buildCogImage();
    const repo = freshRepo('task');

    expect(await api.getRegistryLogin()).toMatchObject({ registry: AUTH_REGISTRY, source: null, kept: null });
    const plan = await api.planPush({ version: image, destination: repo, visibility: 'private' });
    expect(plan.model).toMatchObject({ exists: false, visibility: 'private', hardware: { sku: 'cpu' } });
    expect(await api.setRegistryToken(AUTH_PASSWORD)).toMatchObject({ source: 'cogdesk', username: AUTH_USER });

    await expect(api.pushVersion({ version: image, destination: 'cogdesk/Bad Name' })).rejects.toBeInstanceOf(CogdeskError);

    let taskId: string | null = null;
    const watch = taskEnd(() => taskId);
    taskId = (await api.pushVersion({ version: image, destination: repo, visibility: 'private' })).taskId;
    const end = await watch.done;
    expect(end).toMatchObject({ taskId, kind: 'push', state: 'succeeded' });
    const result = (end as Extract<PushEvent, { state: 'succeeded' }>).result;
    expect(watch.events.some((e) => e.state === 'running' && e.progress.phase === 'pushing')).toBe(true);
    expect(watch.events.some((e) => e.state === 'running' && e.progress.phase === 'processing')).toBe(true);
    expect(result.link).toMatchObject({ versionId: plan.version.id, modelId: repo });
    expect(fake.world.versions.get(repo)!.map((v) => v.id)).toEqual([result.link.remoteVersionId]);
    expect(await api.listPushes(plan.version.id)).toEqual([result.link]);
    // The hardware the model was created with (this machine: no GPU, cpu) is what its runs and the local
    // version's runs are priced on.
    const skus = await api.getModelSkus();
    expect(skus.models[repo]).toBe('cpu');
    expect(skus.versions[plan.version.id]).toBe('cpu');

    expect(await api.clearRegistryToken()).toMatchObject({ source: null, kept: null });
  });

  it('cancelTask: the push task ends canceled and nothing is linked', async () => {
    const proxy = await startUploadProxy({ target: AUTH_REGISTRY, bytesPerSecond: 256 * 1024 });
    try {
      process.env.COGDESK_REGISTRY = proxy.host;
      await api.setRegistryToken(AUTH_PASSWORD);
      const image = await buildCogImage(4 * 1024 * 1024);
      let taskId: string | null = null;
      const watch = taskEnd(() => taskId);
      taskId = (await api.pushVersion({ version: image, destination: freshRepo('task') })).taskId;
      await proxy.sent(64 * 1024);
      await api.cancelTask(taskId);
      const end = await watch.done;
      expect(end).toMatchObject({ taskId, kind: 'push', state: 'canceled', error: { code: 'canceled' } });
      expect(api.pusher.pushes.all()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('an engine not on this machine (the Docker host setting) gets no registry credentials: the push fails saying why, creating nothing', async () => {
    const image = await buildCogImage();
    await api.setRegistryToken(AUTH_PASSWORD);
    const elsewhere = await engineElsewhere();
    try {
      await api.updateSettings({ dockerHost: elsewhere.address });
      const repo = freshRepo('elsewhere');
      let taskId: string | null = null;
      const watch = taskEnd(() => taskId);
      taskId = (await api.pushVersion({ version: image, destination: repo })).taskId;
      const end = await watch.done;
      expect(end).toMatchObject({
        taskId,
        state: 'failed',
        error: {
          code: 'registry_unauthorized',
          message: `Cogdesk does not send your credentials for ${AUTH_REGISTRY} to the Docker engine at ${elsewhere.address}, which is not on this machine, so it cannot push from there`,
          hint: `To let that engine use them, set COGDESK_ENGINE_CREDENTIALS=${elsewhere.address}; or pull and push on that machine itself.`,
        },
      });
      expect(elsewhere.sawCredentials()).toBe(false);
      expect(fake.world.models.has(repo)).toBe(false);
      expect(api.pusher.pushes.all()).toEqual([]);
    } finally {
      await api.updateSettings({ dockerHost: '' });
      await elsewhere.close();
    }
  });
});
