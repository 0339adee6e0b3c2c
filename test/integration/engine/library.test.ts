import { afterEach, describe, expect, it } from 'vitest';
import { readFixtureManifest, fixtureImage } from '../../helpers/fixtures';
import { docker, openCore } from '../../helpers/core';

/**
 * Removes a reference and proves it is gone: a removal that fails for any reason but "no such image" fails
 * the test, so a pull that follows really pulls.
 */
async function removeReference(ref: string): Promise<void> {
  await docker
    .getImage(ref)
    .remove({ force: true })
    .catch((e: { statusCode?: number }) => {
      if (e?.statusCode !== 404) throw e;
    });
  await expect(docker.getImage(ref).inspect(), `${ref} is still here after its removal`).rejects.toMatchObject({ statusCode: 404 });
}

type TestCore = Awaited<ReturnType<typeof openCore>>;

describe('versions from Cog labels', () => {
  let core: TestCore | undefined;
  afterEach(async () => {
    await core?.dispose();
    core = undefined;
  });

  it('pulls by digest and registers the version with the digest as its id, the schema and the cog version', async () => {
    core = await openCore();
    const manifest = readFixtureManifest();
    const echo = manifest.images.echo;
    await removeReference(echo.pinnedRef);
    const version = await core.pull(echo.pinnedRef);
    expect((await docker.getImage(echo.pinnedRef).inspect()).Id).toBe(echo.imageId);
    expect(version.id).toBe(echo.digest.replace('sha256:', ''));
    expect(version.modelId).toBe('127.0.0.1:5100/fixtures/echo');
    expect(version.cogVersion).toBe('0.15.5');
    expect(version.legacyLabels).toBe(false);
    expect(version.cogConfig).toMatchObject({ build: { gpu: false } });
    expect((version.openapiSchema as { components: { schemas: Record<string, unknown> } }).components.schemas.Input).toBeTruthy();
    const models = await core.listModels();
    expect(models).toEqual([expect.objectContaining({ id: '127.0.0.1:5100/fixtures/echo', latestVersionId: version.id, versionCount: 1 })]);
    expect(await core.getVersion(`sha256:${version.id}`)).toEqual(version);
    // The same version by tag is the same row, not a second one.
    await core.pull(fixtureImage('echo'));
    expect((await core.listVersions(version.modelId)).map((x) => x.id)).toEqual([version.id]);
  });

  it('reads the older org.cogmodel.* labels', async () => {
    core = await openCore();
    const legacy = await core.ensureVersion(fixtureImage('legacy'));
    expect(legacy.legacyLabels).toBe(true);
    expect(legacy.cogVersion).toBeTruthy();
    const done = await core.waitForPrediction((await core.createPrediction({ version: legacy.id, input: { text: 'old' } })).id);
    expect(done.output).toBe('hello old old');
  });

  it('refuses an image without Cog labels, and one whose schema does not parse, saying what to do', async () => {
    core = await openCore();
    const plain = await core.ensureVersion(fixtureImage('no-labels')).catch((e) => e);
    expect(plain.code).toBe('not_a_cog_image');
    expect(plain.hint).toMatch(/cog build/);
    const bad = await core.ensureVersion(fixtureImage('bad-schema')).catch((e) => e);
    expect(bad.code).toBe('schema_invalid');
    expect(bad.hint).toMatch(/cog build/);
    expect(await core.listModels()).toEqual([]);
  });

  it('refuses a malformed reference and an image that is nowhere', async () => {
    core = await openCore();
    const malformed = await core.pull('Not A Ref!!').catch((e) => e);
    expect(malformed.code).toBe('bad_request');
    const missing = await core.pull('127.0.0.1:5100/fixtures/does-not-exist:latest').catch((e) => e);
    expect(missing.code).toBe('image_not_found');
    expect(missing.hint).toBeTruthy();
  });

  it('runs pulls as tasks with progress events and an end event', async () => {
    core = await openCore();
    const ref = fixtureImage('types');
    await removeReference(ref);
    const events: string[] = [];
    const ended = new Promise<unknown>((resolve) =>
      core!.on('task', (e) => {
        events.push(e.state);
        if (e.state !== 'running') resolve(e);
      }),
    );
    const { taskId } = await core.pullImage(ref);
    const end = (await ended) as { taskId: string; state: string; version: { modelId: string }; progress: { percent: number } };
    expect(end).toMatchObject({ taskId, state: 'succeeded', version: { modelId: '127.0.0.1:5100/fixtures/types' } });
    expect(end.progress.percent).toBe(100);
    expect(events.filter((s) => s === 'running').length).toBeGreaterThan(0);
  });
});

describe('pull tasks', () => {
  it('a pull that fails ends its task as failed (not canceled), with the reason', async () => {
    const core = await openCore();
    try {
      const ref = fixtureImage('does-not-exist');
      const ended = new Promise<{ taskId: string; kind: string; state: string; error?: { code: string; message: string; hint?: string } }>((resolve) =>
        core.on('task', (e) => {
          if (e.state !== 'running') resolve(e as never);
        }),
      );
      const { taskId } = await core.pullImage(ref);
      const end = await ended;
      expect(end).toMatchObject({ taskId, kind: 'pull', state: 'failed', error: { code: 'image_not_found', message: `${ref} was not found on 127.0.0.1:5100` } });
      expect(end.error?.hint).toBeTruthy();
      expect(await core.listModels()).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('cancels a pull task: a canceled end event, and no version recorded', async () => {
    const core = await openCore();
    try {
      const ref = fixtureImage('stream');
      await removeReference(ref);
      const ended = new Promise<{ state: string; error?: { code: string } }>((resolve) =>
        core.on('task', (e) => {
          if (e.state !== 'running') resolve(e as never);
        }),
      );
      const { taskId } = await core.pullImage(ref);
      await core.cancelTask(taskId);
      const end = await ended;
      expect(end.state).toBe('canceled');
      expect(end.error?.code).toBe('pull_canceled');
      expect(await core.listModels()).toEqual([]);
      await expect(core.cancelTask(taskId)).rejects.toMatchObject({ code: 'not_found' });
    } finally {
      await core.dispose();
      await docker.pull(fixtureImage('stream')).then((s) => new Promise((r) => docker.modem.followProgress(s, r)));
    }
  });
});

describe('without a Docker engine', () => {
  it('still opens the library and history, and says how to start Docker when it is needed', async () => {
    const core = await openCore();
    try {
      await core.updateSettings({ dockerHost: 'unix:///tmp/cogdesk-no-docker.sock' });
      expect(await core.listModels()).toEqual([]);
      expect(await core.listPredictions()).toEqual([]);
      const status = await core.getEngineStatus();
      expect(status.docker.ok).toBe(false);
      const error = await core.pull(fixtureImage('echo')).catch((e) => e);
      expect(error.code).toBe('docker_unavailable');
      expect(error.message).toMatch(/Docker is not running/);
      expect(error.hint).toMatch(/systemctl start docker|Docker Desktop/);
    } finally {
      await core.dispose();
    }
  });
});
