/**
 * Faults that must never lose or mix up predictions (issue 11, "Predictions lost or stuck"): a container
 * killed under a queue, processes killed with SIGKILL mid-prediction (a `cogdesk run`, a server with a
 * queue), a model that ignores a cancel, a short command moving the webhook port a server depends on.
 * Real Docker, real fixture Cog containers, real child processes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { demuxLogs } from '../../../src/main/core/docker/containers';
import { homePaths } from '../../../src/main/core/paths';
import { openStore } from '../../../src/main/core/store';
import { fixtureImage } from '../../helpers/fixtures';
import { docker, managedContainers, recordUpdates, tempHome, waitFor } from '../../helpers/core';
import { killedMidPrediction } from '../../helpers/killed';

/** What a container printed so far. */
async function containerOutput(id: string): Promise<string> {
  const buf = (await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as Buffer;
  return demuxLogs(buf);
}

describe('faults that must not lose or mix up predictions', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const home = () => {
    const h = tempHome();
    cleanups.push(h.cleanup);
    return h.home;
  };
  const open = async (h: string, o: Parameters<typeof createCore>[0] = {}): Promise<Core> => {
    const core = await createCore({ home: h, ...o });
    cleanups.push(() => core.close());
    return core;
  };

  it('a container killed under a queue fails only the prediction it ran; the waiting ones run on a fresh container, their logs their own', async () => {
    const core = await open(home());
    const version = await core.ensureVersion(fixtureImage('stream'));
    const { of, stop } = recordUpdates(core);
    const first = await core.createPrediction({ version: version.id, input: { prompt: 'first', n: 40, delay: 0.1 } });
    const second = await core.createPrediction({ version: version.id, input: { prompt: 'second', n: 2, delay: 0.05 } });
    const third = await core.createPrediction({ version: version.id, input: { prompt: 'third', n: 2, delay: 0.05 } });
    await waitFor(() => of(first.id).some((u) => Array.isArray(u.p.output) && u.p.output.length > 2), 'the first prediction to produce output');
    const killed = (await core.getPrediction(first.id))!.containerId!;
    await docker.getContainer(killed).kill();
    const [a, b, c] = await Promise.all([first, second, third].map((p) => core.waitForPrediction(p.id)));
    stop();
    expect(a.status).toBe('failed');
    // Docker's own exit code for a kill, read once the container has really exited (not 0 while it was going).
    expect(a.error).toMatch(/exit code 137, killed/);
    expect(a.logs).toContain('token 1');
    for (const p of [b, c]) {
      expect(p.status, `${p.error}\n${p.logs}`).toBe('succeeded');
      expect(p.containerId).not.toBe(killed);
      expect(p.logs).not.toContain('first');
      expect(p.logs).not.toMatch(/token (2|3|4|5|6|7|8|9)/);
    }
    expect(b.output).toEqual(['second-0 ', 'second-1 ']);
  }, 90_000);

  it('a cancel ends the prediction even when the model does not listen: its container is stopped after the grace', async () => {
    const core = await open(home(), { cancelGraceMs: 1_500 });
    const version = await core.ensureVersion(fixtureImage('stream'));
    const { of, stop } = recordUpdates(core);
    const p = await core.createPrediction({ version: version.id, input: { prompt: 'deaf', n: 200, delay: 0.1 } });
    await waitFor(() => of(p.id).some((u) => Array.isArray(u.p.output) && u.p.output.length > 0), 'output');
    const container = (await core.getPrediction(p.id))!.containerId!;
    // A frozen model: it gets the cancel request but never answers it.
    await docker.getContainer(container).pause();
    const started = Date.now();
    await core.cancelPrediction(p.id);
    const done = await core.waitForPrediction(p.id);
    stop();
    expect(done.status).toBe('canceled');
    expect(done.logs).toMatch(/did not stop within 2 s of the cancel, so its container was stopped/);
    expect(Date.now() - started).toBeLessThan(30_000);
    await waitFor(async () => !(await managedContainers(core.paths.homeId)).some((c) => c.Id === container), 'the frozen container to be removed');
    // The model works again on a fresh container.
    const again = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { prompt: 'ok', n: 1, delay: 0 } })).id);
    expect(again.status).toBe('succeeded');
  }, 90_000);

  it('a server killed with a queue: the running prediction is re-attached and cancelable, the queued ones fail as never run', async () => {
    const h = home();
    const [running, ...queued] = await killedMidPrediction(h, fixtureImage('stream'), { prompt: 'q', n: 300, delay: 0.1 }, '', { RUN_SOURCE: 'api', RUN_QUEUE: '3' });
    expect(queued).toHaveLength(3);
    const core = await open(h, { cancelGraceMs: 2_000 });
    expect(core.recovery?.reattached).toEqual([running]);
    expect([...(core.recovery?.failed ?? [])].sort()).toEqual([...queued].sort());
    for (const id of queued) {
      const p = (await core.getPrediction(id))!;
      expect(p.status).toBe('failed');
      expect(p.error).toMatch(/stopped before this prediction ran/);
    }
    await core.cancelPrediction(running);
    const done = await core.waitForPrediction(running);
    expect(done.status).toBe('canceled');
    // Its model's queue is free again.
    const next = await core.waitForPrediction((await core.createPrediction({ version: done.versionId, input: { prompt: 'n', n: 1, delay: 0 } })).id);
    expect(next.status).toBe('succeeded');
  }, 120_000);

  it('a re-attached prediction always ends: past its time limit it is canceled and failed as timed out', async () => {
    const h = home();
    const setup = openStore(homePaths(h).database);
    setup.settings.update({ predictionTimeoutSeconds: 4 });
    setup.close();
    const [id] = await killedMidPrediction(h, fixtureImage('stream'), { prompt: 't', n: 600, delay: 0.1 }, '', { RUN_SOURCE: 'api' });
    const core = await open(h, { cancelGraceMs: 1_000 });
    expect(core.recovery?.reattached).toEqual([id]);
    const done = await core.waitForPrediction(id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/timed out/);
  }, 90_000);

  it('a killed `cogdesk run`: the next command of any kind settles its prediction and stops the model it left running', async () => {
    const h = home();
    const [id] = await killedMidPrediction(h, fixtureImage('stream'), { prompt: 'k', n: 300, delay: 0.1 });
    const [left] = await managedContainers(homePaths(h).homeId);
    expect(left.State).toBe('running');
    // What `cogdesk predictions list` opens: a passive core.
    const core = await open(h, { recover: 'passive' });
    const p = (await core.getPrediction(id))!;
    expect(p.status).toBe('failed');
    expect(p.error).toMatch(/`cogdesk` command that ran it stopped .* before this prediction finished, so the model was stopped too/);
    expect(p.logs).toContain('token 0');
    expect(core.recovery?.removed).toContain(left.Id);
    expect(await managedContainers(homePaths(h).homeId)).toHaveLength(0);
  }, 90_000);

  it('a result that arrives after its `cogdesk run` was killed is collected by the next command', async () => {
    const h = home();
    // Killed at the first token; the model goes on for about 2 s and then sends `completed`, retried while
    // no process listens on the data folder's webhook port (the model stays busy while it retries).
    const [id] = await killedMidPrediction(h, fixtureImage('stream'), { prompt: 'late', n: 8, delay: 0.25 });
    // The model finishes about 2 s later (its last token in the container's output); its `completed` webhook
    // is then retried while no process listens.
    const [left] = await managedContainers(homePaths(h).homeId);
    await waitFor(async () => (await containerOutput(left.Id)).includes('token 7'), 'the model to finish on its own', 30_000);
    const core = await open(h, { recover: 'passive' });
    const done = await waitFor(async () => {
      const p = await core.getPrediction(id);
      return p && p.status !== 'processing' ? p : null;
    }, 'the retried completed webhook', 30_000);
    expect(done.status).toBe('succeeded');
    expect(done.output).toHaveLength(8);
    expect(done.logs).toContain('token 7');
  }, 90_000);

  it('a short command never moves the webhook port a server depends on, so a restarted server still gets its result', async () => {
    const h = home();
    const server = await open(h);
    const version = await server.ensureVersion(fixtureImage('stream'));
    const port = server.store.engineState.get('webhookPort');
    expect(Number(port)).toBeGreaterThan(0);
    // A CLI command while the server runs: it cannot have the port, and must not take the saved one.
    const cli = await createCore({ home: h, recover: 'passive' });
    await cli.close();
    const store = openStore(homePaths(h).database);
    expect(store.engineState.get('webhookPort')).toBe(port);
    store.close();
    await server.close();
    cleanups.pop();
    // The server, killed mid-prediction; a CLI command; the server again.
    const [id] = await killedMidPrediction(h, version.imageRef, { prompt: 's', n: 12, delay: 0.25 }, '', { RUN_SOURCE: 'api' });
    const between = await createCore({ home: h, recover: 'passive' });
    expect((await between.getPrediction(id))?.status).toBe('processing');
    await between.close();
    const again = await open(h);
    expect(again.recovery?.reattached).toEqual([id]);
    const done = await again.waitForPrediction(id);
    expect(done.status).toBe('succeeded');
    expect(done.output).toHaveLength(12);
  }, 120_000);
});
