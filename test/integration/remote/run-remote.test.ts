/**
 * Running a public model here, against the fake Replicate API and the real Docker engine and registry:
 * `fixtures/echo` is `127.0.0.1:5100/fixtures/echo@sha256:<latest version id>` (COGDESK_REGISTRY), pulled
 * with progress, registered with the API's schema, and run from its default example.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PullProgress } from '../../../src/shared/domain';
import { createCatalog, memoryTokenStore, resolveRemoteRef, runRemoteModel, type Catalog } from '../../../src/main/core/remote';
import { docker, openCore } from '../../helpers/core';
import { fixtureEntry, OPEN_REGISTRY } from '../../helpers/fixtures';
import { expectAnswersValid, FAKE_TOKEN, GONE_VERSION_ID, startFakeWithFixtures, type FakeReplicate } from '../../fakes/replicate-api';

type TestCore = Awaited<ReturnType<typeof openCore>>;

let fake: FakeReplicate;
let savedRegistry: string | undefined;
let core: TestCore;
let catalog: Catalog;
const echo = () => fixtureEntry('echo');
const echoId = () => echo().digest.replace(/^sha256:/, '');

beforeAll(async () => {
  fake = await startFakeWithFixtures();
  savedRegistry = process.env.COGDESK_REGISTRY;
  process.env.COGDESK_REGISTRY = OPEN_REGISTRY;
});
afterAll(async () => {
  if (savedRegistry === undefined) delete process.env.COGDESK_REGISTRY;
  else process.env.COGDESK_REGISTRY = savedRegistry;
  expectAnswersValid(fake);
  await fake.close();
});
beforeEach(async () => {
  await fake.start();
  core = await openCore({ recover: 'passive' });
  catalog = createCatalog({ store: core.store, home: core.paths.home, env: {}, apiUrl: fake.url, tokenStore: memoryTokenStore(FAKE_TOKEN) });
});
afterEach(async () => {
  await core.dispose();
});

/** Drops the pinned reference only: `fixtures/echo:latest`, which other tests use, stays. */
async function forgetPinnedEcho(): Promise<void> {
  await docker.getImage(echo().pinnedRef).remove().catch(() => undefined);
}

describe('running a public model here', () => {
  it('owner/name: pulls the latest version as <registry>/owner/name@sha256:<id> with progress, registers it with the API schema', async () => {
    await forgetPinnedEcho();
    const progress: PullProgress[] = [];
    const r = await resolveRemoteRef(core, catalog, 'fixtures/echo', { onProgress: (p) => progress.push(p), env: { COGDESK_REGISTRY: OPEN_REGISTRY } });
    expect(r).not.toBeNull();
    expect(r!.ref).toBe(`${OPEN_REGISTRY}/fixtures/echo@sha256:${echoId()}`);
    expect(r!.pulled).toBe(true);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done', percent: 100 });

    expect(r!.version).toMatchObject({ id: echoId(), modelId: 'fixtures/echo', imageRef: r!.ref, imageId: echo().imageId, cogVersion: '0.15.5' });
    expect(r!.version.openapiSchema).toEqual(fake.world.versions.get('fixtures/echo')![0].openapi_schema);
    expect(r!.startingInput).toEqual({ text: 'world', times: 3 });
    expect(r!.example?.id).toBe('ex1echoworld000000000000a');

    const model = core.store.library.getModel('fixtures/echo');
    expect(model).toMatchObject({ owner: 'fixtures', name: 'echo', repository: `${OPEN_REGISTRY}/fixtures/echo`, latestVersionId: echoId() });
    // The core finds it again by the pinned reference, the version id or the model name.
    expect(core.resolveVersion(r!.ref).id).toBe(echoId());
    expect(core.resolveVersion('fixtures/echo').id).toBe(echoId());

    // Run with the default example as the starting input.
    const p = await core.createPrediction({ version: r!.version.id, input: r!.startingInput, source: 'cli' });
    const done = await core.waitForPrediction(p.id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello world world world', modelId: 'fixtures/echo', versionId: echoId() });
  });

  it('run: the default example is the starting input and what is given goes on top; a remote example re-runs here', async () => {
    const { prediction, resolution } = await runRemoteModel(core, catalog, 'fixtures/echo', { input: { times: 1 }, source: 'cli' });
    expect(resolution.pulled).toBe(false); // here since the test before, or tagged as fixtures/echo:latest
    expect((await core.waitForPrediction(prediction.id)).output).toBe('hello world');
    expect(prediction.input).toEqual({ text: 'world', times: 1 });

    const again = await runRemoteModel(core, catalog, 'fixtures/echo', { example: 'ex2echoshout000000000000b' });
    expect(again.prediction.source).toBe('example');
    expect(again.prediction.input).toEqual({ text: 'again', times: 2, style: 'shout' });
    expect((await core.waitForPrediction(again.prediction.id)).output).toBe('hello AGAIN AGAIN');

    await expect(runRemoteModel(core, catalog, 'fixtures/echo', { example: 'nosuchexample' })).rejects.toMatchObject({
      code: 'not_found',
      hint: expect.stringContaining('ex1echoworld000000000000a'),
    });
  });

  it('owner/name:version pins a version; a version whose image is gone from the registry says so, and what to do', async () => {
    const pinned = await resolveRemoteRef(core, catalog, `fixtures/echo:${echoId()}`);
    expect(pinned?.version.id).toBe(echoId());

    const err = await resolveRemoteRef(core, catalog, `fixtures/echo:${GONE_VERSION_ID}`).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'image_not_found',
      message: expect.stringMatching(/^The image of fixtures\/echo version deaddeaddead is gone from 127\.0\.0\.1:5100/),
      hint: expect.stringContaining('cogdesk model fixtures/echo'),
    });
    // Nothing was registered for it, and the catalog still has everything.
    expect(core.store.library.getVersion(GONE_VERSION_ID)).toBeNull();
    expect(catalog.cache.getModel('fixtures/echo')).not.toBeNull();
  });

  it('offline: a model pulled before resolves from the cache (and says so); one never seen and never pulled is an error', async () => {
    await resolveRemoteRef(core, catalog, 'fixtures/echo');
    await fake.stop();
    const offline = await resolveRemoteRef(core, catalog, 'fixtures/echo');
    expect(offline?.version.id).toBe(echoId());
    expect(offline?.pulled).toBe(false);
    expect(offline?.notice).toMatch(/Cannot reach Replicate's API .* Showing what was cached/);
    expect(offline?.startingInput).toEqual({ text: 'world', times: 3 });

    await expect(resolveRemoteRef(core, catalog, 'stability-ai/sdxl')).rejects.toMatchObject({ reason: 'network' });
  });

  it('leaves alone what is not a Replicate model name: registry references, digests, tags (local images are in local-name.test.ts)', async () => {
    for (const arg of [echo().ref, echo().pinnedRef, 'ubuntu', 'library/ubuntu:22.04', echoId(), 'fixtures/echo:latest']) {
      expect(await resolveRemoteRef(core, catalog, arg), arg).toBeNull();
    }
    await expect(resolveRemoteRef(core, catalog, 'nobody/nothing')).rejects.toMatchObject({ code: 'not_found', message: 'No model nobody/nothing on Replicate' });
    await expect(resolveRemoteRef(core, catalog, 'mattt/empty')).rejects.toMatchObject({ message: 'mattt/empty has no versions on Replicate yet' });
  });
});
