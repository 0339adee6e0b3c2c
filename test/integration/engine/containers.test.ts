import { afterEach, describe, expect, it } from 'vitest';
import { COG_SERVERS, fixtureImage } from '../../helpers/fixtures';
import { docker, managedContainers, openCore, waitFor } from '../../helpers/core';

type TestCore = Awaited<ReturnType<typeof openCore>>;

describe('containers: started like `cog predict`, kept warm, stopped on exit', () => {
  let core: TestCore | undefined;
  afterEach(async () => {
    await core?.dispose();
    core = undefined;
  });

  it('publishes port 5000 on 127.0.0.1 only, with shared memory and our labels, and reuses it while warm', async () => {
    core = await openCore();
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const a = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'a' } })).id);
    const b = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'b' } })).id);
    expect(a.containerId).toBeTruthy();
    expect(b.containerId).toBe(a.containerId);
    const info = await docker.getContainer(a.containerId!).inspect();
    expect(info.HostConfig.PortBindings['5000/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '' }]);
    expect(info.NetworkSettings.Ports['5000/tcp']?.every((p) => p.HostIp === '127.0.0.1')).toBe(true);
    expect(info.HostConfig.ShmSize).toBe(6 * 1024 ** 3);
    expect(info.HostConfig.Privileged).toBe(false);
    expect(info.Config.Labels['cogdesk.managed']).toBe('true');
    expect(info.Config.Labels['cogdesk.version']).toBe(echo.id);
    expect(info.Config.Labels['cogdesk.home']).toBe(core.paths.homeId);
    const status = await core.getEngineStatus();
    expect(status.warmContainers).toEqual([expect.objectContaining({ versionId: echo.id, containerId: a.containerId, busy: false })]);
  });

  // Removed or stopped outside Cogdesk (`docker rm -f`, `cogdesk stop` from another process, a crash while
  // idle): the next prediction runs on a fresh container instead of failing on the one that is gone.
  it.each([
    ['removed (docker rm -f)', (id: string) => docker.getContainer(id).remove({ force: true })],
    ['killed (docker kill)', (id: string) => docker.getContainer(id).kill()],
  ] as const)('a warm container %s outside Cogdesk: the next prediction starts a fresh one', async (_, end) => {
    core = await openCore();
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const a = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'a' } })).id);
    expect(a.status).toBe('succeeded');
    await end(a.containerId!);
    const b = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'b' } })).id);
    expect(b, b.error ?? '').toMatchObject({ status: 'succeeded', output: 'hello b b' });
    expect(b.containerId).not.toBe(a.containerId);
    // The old one is not left behind (a killed one is removed), the fresh one is warm.
    await waitFor(async () => (await managedContainers(core!.paths.homeId)).every((c) => c.Id !== a.containerId), 'the old container to be removed');
    expect((await core.getEngineStatus()).warmContainers.map((w) => w.containerId)).toEqual([b.containerId]);
  });

  it('stops a warm container after the idle timeout', async () => {
    core = await openCore();
    await core.updateSettings({ idleTimeoutSeconds: 1 });
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'a' } })).id);
    expect(done.status).toBe('succeeded');
    await waitFor(async () => (await managedContainers(core!.paths.homeId)).length === 0, 'the idle container to stop', 15_000);
    expect((await core.getEngineStatus()).warmContainers).toEqual([]);
  });

  it('stops the containers it started when it closes', async () => {
    const opened = await openCore();
    const echo = await opened.ensureVersion(fixtureImage('echo'));
    await opened.waitForPrediction((await opened.createPrediction({ version: echo.id, input: { text: 'a' } })).id);
    expect(await managedContainers(opened.paths.homeId)).toHaveLength(1);
    const homeId = opened.paths.homeId;
    await opened.dispose();
    expect(await managedContainers(homeId)).toHaveLength(0);
  });

  it.each(COG_SERVERS)('waits through a slow setup (STARTING) before sending the prediction ($label)', async (server) => {
    core = await openCore();
    const slow = await core.ensureVersion(server.image('slow-setup'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: slow.id, input: { text: 'late' } })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'late' });
  });

  it('fails a prediction that times out while its model is still starting, and still warms the model', async () => {
    core = await openCore();
    await core.updateSettings({ predictionTimeoutSeconds: 1 });
    const slow = await core.ensureVersion(fixtureImage('slow-setup'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: slow.id, input: { text: 'late' } })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/timed out/);
    expect(done.startedAt).toBeNull();
    await waitFor(async () => (await core!.getEngineStatus()).warmContainers.length === 1, 'the model to finish starting');
  });

  it.each(COG_SERVERS)('fails the prediction when setup fails, showing the setup logs, and leaves no container behind ($label)', async (server) => {
    core = await openCore();
    const broken = await core.ensureVersion(server.image('setup-fail'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: broken.id, input: {} })).id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/setup failed/i);
    expect(done.logs).toContain('weights missing');
    expect(await managedContainers(core.paths.homeId)).toHaveLength(0);
  });

  it.each(COG_SERVERS)('fails a prediction whose container is killed, keeps its logs, and starts a fresh container next time ($label)', async (server) => {
    core = await openCore();
    const stream = await core.ensureVersion(server.image('stream'));
    const created = await core.createPrediction({ version: stream.id, input: { prompt: 'k', n: 100, delay: 0.1 } });
    const running = await waitFor(async () => {
      const p = await core!.getPrediction(created.id);
      return p && p.logs.includes('token 2') ? p : null;
    }, 'the prediction to print');
    await docker.getContainer(running.containerId!).kill();
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/container stopped/);
    expect(done.logs).toContain('token 2');
    const next = await core.waitForPrediction((await core.createPrediction({ version: stream.id, input: { prompt: 'n', n: 1, delay: 0 } })).id);
    expect(next.status).toBe('succeeded');
    expect(next.containerId).not.toBe(running.containerId);
  });

  it('runs on the host network when asked, with PORT set', async () => {
    core = await openCore();
    await core.updateSettings({ hostNetwork: true });
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'net' } })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello net net' });
    const info = await docker.getContainer(done.containerId!).inspect();
    expect(info.HostConfig.NetworkMode).toBe('host');
    expect(info.Config.Env.some((e) => /^PORT=\d+$/.test(e))).toBe(true);
  });
});
