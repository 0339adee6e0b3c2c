import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core';
import { openStore } from '../../../src/main/core/store';
import { homePaths } from '../../../src/main/core/paths';
import { COG_SERVERS, fixtureImage } from '../../helpers/fixtures';
import { docker, managedContainers, tempHome } from '../../helpers/core';
import { killedMidPrediction as killedRun } from '../../helpers/killed';

const killedMidPrediction = async (...args: Parameters<typeof killedRun>) => (await killedRun(...args))[0];

describe('start-up recovery of what a dead process left', () => {
  const homes: Array<() => void> = [];
  afterEach(() => homes.splice(0).forEach((c) => c()));

  // Re-attaching asks the container's health and takes the result by webhook: never a PUT, which the Go runtime
  // does not take twice.
  describe.each(COG_SERVERS)('$label', (server) => {
    it('re-attaches a prediction whose container is still running it, and gets its full result', async () => {
      const { home, cleanup } = tempHome();
      homes.push(cleanup);
      const id = await killedMidPrediction(home, server.image('stream'), { prompt: 'r', n: 12, delay: 0.25 });
      const core = await createCore({ home });
      try {
        expect(core.recovery?.reattached).toEqual([id]);
        const done = await core.waitForPrediction(id);
        expect(done, done.error ?? '').toMatchObject({ status: 'succeeded' });
        expect(done.output).toHaveLength(12);
        expect(done.logs).toContain('token 11');
      } finally {
        await core.close();
      }
      expect(await managedContainers(homePaths(home).homeId)).toHaveLength(0);
    }, 90_000);

    it('marks a prediction failed with the reason when its container is gone, keeping input and logs', async () => {
      const { home, cleanup } = tempHome();
      homes.push(cleanup);
      const id = await killedMidPrediction(home, server.image('stream'), { prompt: 'g', n: 100, delay: 0.2 });
      for (const c of await managedContainers(homePaths(home).homeId)) {
        await docker.getContainer(c.Id).remove({ force: true });
      }
      const core = await createCore({ home });
      try {
        expect(core.recovery?.failed).toEqual([id]);
        const p = (await core.getPrediction(id))!;
        expect(p.status).toBe('failed');
        expect(p.error).toMatch(/container is gone/);
        expect(p.input).toEqual({ prompt: 'g', n: 100, delay: 0.2 });
        expect(p.logs).toContain('token 0');
        expect(p.completedAt).not.toBeNull();
      } finally {
        await core.close();
      }
    }, 90_000);

    it('adopts a warm container a dead process left and removes a stopped one', async () => {
      const { home, cleanup } = tempHome();
      homes.push(cleanup);
      const id = await killedMidPrediction(home, server.image('echo'), { text: 'left' }, '--until-done');
      const [left] = await managedContainers(homePaths(home).homeId);
      expect(left.State).toBe('running');
      const core = await createCore({ home });
      try {
        expect(core.recovery).toMatchObject({ adopted: [left.Id], removed: [], reattached: [], failed: [] });
        expect((await core.getPrediction(id))?.status).toBe('succeeded');
        const again = await core.waitForPrediction((await core.createPrediction({ version: (await core.getPrediction(id))!.versionId, input: { text: 'again' } })).id);
        expect(again).toMatchObject({ status: 'succeeded', output: 'hello again again', containerId: left.Id });
      } finally {
        await core.close();
      }

      const second = await killedMidPrediction(home, server.image('echo'), { text: 'stopped' }, '--until-done');
      expect(second).toBeTruthy();
      const [stopped] = await managedContainers(homePaths(home).homeId);
      await docker.getContainer(stopped.Id).stop({ t: 1 });
      const core2 = await createCore({ home });
      try {
        expect(core2.recovery).toMatchObject({ adopted: [], removed: [stopped.Id] });
        expect(await managedContainers(homePaths(home).homeId)).toHaveLength(0);
      } finally {
        await core2.close();
      }
    }, 90_000);
  });

  it('re-attaches every prediction in flight on a container that runs several at once (coglet, concurrency 2)', async () => {
    const { home, cleanup } = tempHome();
    homes.push(cleanup);
    const image = fixtureImage('coglet-stream');
    const first = await createCore({ home });
    try {
      await first.updateModelSettings((await first.ensureVersion(image)).modelId, { concurrency: 2 });
    } finally {
      await first.close();
    }
    const input = { prompt: 'c', n: 16, delay: 0.25 };
    const ids = await killedRun(home, image, input, '', { RUN_QUEUE: '1', RUN_SOURCE: 'api' });
    expect(ids).toHaveLength(2);
    const core = await createCore({ home });
    try {
      expect([...(core.recovery?.reattached ?? [])].sort()).toEqual([...ids].sort());
      expect(core.recovery?.adopted).toHaveLength(1);
      for (const id of ids) {
        const done = await core.waitForPrediction(id);
        expect(done, done.error ?? '').toMatchObject({ status: 'succeeded' });
        expect(done.output).toHaveLength(16);
      }
    } finally {
      await core.close();
    }
    expect(await managedContainers(homePaths(home).homeId)).toHaveLength(0);
  }, 120_000);

  it('leaves alone a prediction whose process is still alive', async () => {
    const { home, cleanup } = tempHome();
    homes.push(cleanup);
    const store = openStore(homePaths(home).database);
    const p = store.predictions.create({ modelId: 'm', versionId: 'v', input: {}, source: 'api' });
    store.predictions.setRunner(p.id, process.ppid);
    store.close();
    const core = await createCore({ home });
    try {
      expect(core.recovery?.failed).toEqual([]);
      expect((await core.getPrediction(p.id))?.status).toBe('starting');
    } finally {
      await core.close();
    }
  });
});
