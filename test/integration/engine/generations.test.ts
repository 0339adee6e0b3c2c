/**
 * What differs between the three Cog servers (reference/cog-generations.md), through the engine, against the
 * fixture servers that answer like each (test/fixtures/cog-server/): what is the same for all three lives in
 * the suites parametrized over COG_SERVERS (predictions, recovery, the local API).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { CogdeskError } from '../../../src/shared/errors';
import { readCogLabels } from '../../../src/main/core/docker/labels';
import { docker, openCore, recordUpdates } from '../../helpers/core';
import { fixtureImage, type FixtureName } from '../../helpers/fixtures';

type TestCore = Awaited<ReturnType<typeof openCore>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('which server a version runs: from its labels, confirmed by its health check', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await openCore();
  }, 60_000);
  afterAll(async () => core?.dispose());

  it.each([
    ['echo', 'python'],
    ['coglet-echo', 'coglet'],
    ['go-echo', 'go'],
  ] as Array<[FixtureName, string]>)('%s runs the %s server', async (name, server) => {
    const version = await core.ensureVersion(fixtureImage(name));
    expect((await readCogLabels(docker, version.imageId)).server).toBe(server);
    const done = await core.waitForPrediction((await core.createPrediction({ version: version.id, input: { text: 'g' } })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello g g' });
    const warm = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === version.id);
    // The engine's status names the server its health check confirmed.
    expect(warm?.server).toBe(server);
    const health = await fetch(`${warm!.url}/health-check`).then((r) => r.text());
    // What the engine's client concluded from the same answer.
    const { serverFromHealth } = await import('../../../src/main/core/cog/server-kind');
    expect(serverFromHealth(JSON.parse(health))).toBe(server);
  });
});

describe('coglet 0.22 and the Go cog-runtime, where they differ from the Python server', () => {
  let core: TestCore;
  const v: Record<string, Version> = {};

  beforeAll(async () => {
    core = await openCore();
    for (const name of ['coglet-echo', 'go-echo', 'coglet-slow-health', 'coglet-setup-fail', 'go-setup-fail', 'go-stream'] as FixtureName[]) {
      v[name] = await core.ensureVersion(fixtureImage(name));
    }
  }, 180_000);
  afterAll(async () => core?.dispose());

  it('runs a Go runtime prediction async with its webhook (the runtime refuses a sync call that names one), live logs and output included', async () => {
    const { of, stop } = recordUpdates(core);
    const created = await core.createPrediction({ version: v['go-stream'].id, input: { prompt: 'g', n: 4, delay: 0.3 } });
    const done = await core.waitForPrediction(created.id);
    stop();
    expect(done).toMatchObject({ status: 'succeeded', output: ['g-0 ', 'g-1 ', 'g-2 ', 'g-3 '], error: null });
    expect(done.logs).toContain('token 3');
    expect(done.metrics?.predict_time).toBeGreaterThan(0);
    // Streamed while it ran: the webhooks reached the prediction before its end.
    expect(of(created.id).some((u) => u.p.status === 'processing' && Array.isArray(u.p.output) && u.p.output.length > 0)).toBe(true);
  });

  it('keeps the input and times Cogdesk recorded when coglet answers without them, and a late webhook changes nothing', async () => {
    const created = await core.createPrediction({ version: v['coglet-echo'].id, input: { text: 'late', times: 1 } });
    const done = await core.waitForPrediction(created.id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello late', input: { text: 'late', times: 1 } });
    expect(done.logs).toContain("predicting text='late'");
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt) - 1000);
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    // The fixture sends a stale `output` (a one-item array, status processing) 0.2 s after `completed`.
    await sleep(1000);
    expect(await core.getPrediction(created.id)).toEqual(done);
  });

  it('waits for a health check that takes seconds once READY (coglet runs the model’s own check)', async () => {
    const done = await core.waitForPrediction((await core.createPrediction({ version: v['coglet-slow-health'].id, input: { text: 'slow' } })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello slow slow' });
  }, 60_000);

  it.each(['coglet-setup-fail', 'go-setup-fail'])('%s: a failed setup fails at once with the traceback, though the container stays up', async (name) => {
    const created = await core.createPrediction({ version: v[name].id, input: { text: 'x' } });
    const done = await core.waitForPrediction(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/setup failed/i);
    // coglet keeps one line in setup.logs: the traceback comes from the container's output.
    expect(done.logs).toContain('Traceback');
    expect(done.logs).toContain('RuntimeError: weights missing');
  }, 60_000);

  it('takes the Go runtime’s plain-text 409 for “busy, try again”, and learns which server it talks to from the health check', async () => {
    const { CogClient } = await import('../../../src/main/core/cog/client');
    const container = await docker.createContainer({
      Image: fixtureImage('go-echo'),
      HostConfig: { AutoRemove: true, PortBindings: { '5000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      ExposedPorts: { '5000/tcp': {} },
    });
    await container.start();
    try {
      const port = (await container.inspect()).NetworkSettings.Ports['5000/tcp']![0].HostPort;
      const client = new CogClient(`http://127.0.0.1:${port}`);
      for (let i = 0; i < 100 && (await client.health().catch(() => null))?.status !== 'READY'; i++) await sleep(100);
      expect(client.server).toBe('go');
      // Two at once on one slot: the second gets the plain-text 409, which is "busy, try again".
      const first = client.predict({ id: 'p1', input: { text: 'a', sleep: 1 } });
      await sleep(200);
      const second = await client.predict({ id: 'p2', input: { text: 'b' } }).catch((e) => e);
      expect(second).toBeInstanceOf(CogdeskError);
      expect(second.constructor.name).toBe('CogBusyError');
      expect(second.message).toContain('already running a prediction');
      expect(await first).toMatchObject({ status: 'succeeded', output: 'hello a a' });
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  });
});
