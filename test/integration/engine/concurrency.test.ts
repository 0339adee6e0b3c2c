/**
 * Predictions run concurrently up to what the model allows (the person's setting, the image's
 * COG_MAX_CONCURRENCY, cog.yaml, else 1) and queue beyond it, through the engine and through the local
 * API; the fixture servers count the most predictions in flight at once (`GET /_fixture/stats`). A worker
 * that dies fails what was in flight with the reason, and the next prediction runs in a fresh container.
 * Nothing here asserts on wall time: only on the fixture's counter and on the order of events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prediction, Version } from '../../../src/shared/domain';
import { startApiServer, type ApiServer } from '../../../src/main/core/api-server';
import { openCore, recordUpdates, waitFor } from '../../helpers/core';
import { fixtureImage, fixtureStats } from '../../helpers/fixtures';
import { CogClient } from '../../../src/main/core/cog/client';
import type { WarmContainer } from '../../../src/main/core/runner/pool';
import { sendPrediction, StuckWorkerError } from '../../../src/main/core/runner/worker-health';

type TestCore = Awaited<ReturnType<typeof openCore>>;

const N = 4;

describe('predictions run concurrently up to the model’s limit', () => {
  let core: TestCore;
  let c4: Version; // coglet echo, COG_MAX_CONCURRENCY=4 in its image
  let one: Version; // coglet echo that says nothing: 1
  let go: Version; // Go runtime echo

  beforeAll(async () => {
    core = await openCore();
    c4 = await core.ensureVersion(fixtureImage('coglet-echo-c4'));
    one = await core.ensureVersion(fixtureImage('coglet-echo'));
    go = await core.ensureVersion(fixtureImage('go-echo'));
  }, 240_000);
  afterAll(async () => core?.dispose());

  /** Starts the version's container (one quick prediction) and resets its fixture counters; its base URL. */
  const warm = async (v: Version): Promise<string> => {
    const p = await core.waitForPrediction((await core.createPrediction({ version: v.id, input: { text: 'warm' } })).id);
    expect(p.status, p.error ?? '').toBe('succeeded');
    const url = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === v.id)!.url;
    await waitFor(async () => (await fixtureStats(url)).inflight === 0, 'the warm-up to leave its slot');
    await fixtureStats(url, true);
    return url;
  };
  const statusesOf = async (ids: string[]) => Promise.all(ids.map(async (id) => (await core.getPrediction(id))!.status));

  it(`runs N+2 predictions on a model that allows N=${N}: at most N at once, the rest queued in order, all succeed`, async () => {
    const url = await warm(c4);
    expect((await core.getEngineStatus()).warmContainers.find((w) => w.versionId === c4.id)).toMatchObject({ limit: N });
    const events = recordUpdates(core);
    const ids: string[] = [];
    for (let i = 0; i < N + 2; i++) ids.push((await core.createPrediction({ version: c4.id, input: { text: `p${i}`, sleep: 1.5 } })).id);
    // While the first N run, the last two wait: running (processing) and queued (starting) apart.
    await waitFor(async () => (await fixtureStats(url)).inflight === N, `${N} predictions in flight`);
    expect(await statusesOf(ids)).toEqual([...Array(N).fill('processing'), 'starting', 'starting']);
    const status = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === c4.id)!;
    expect(status).toMatchObject({ running: N, queued: N + 2, limit: N });

    const finals = await Promise.all(ids.map((id) => core.waitForPrediction(id)));
    events.stop();
    expect(finals.map((p) => p.status)).toEqual(Array(N + 2).fill('succeeded'));
    expect(finals.map((p) => p.output)).toEqual(ids.map((_, i) => `hello p${i} p${i}`));
    const stats = await fixtureStats(url);
    expect(stats.max_inflight).toBe(N);
    expect(stats.total).toBe(N + 2);
    // Two waves: the first N all started before any ended; the last two each started after one of them ended.
    const at = (id: string, s: Prediction['status']) => events.updates.findIndex((u) => u.p.id === id && u.p.status === s);
    const firstEnd = Math.min(...ids.slice(0, N).map((id) => at(id, 'succeeded')));
    for (const id of ids.slice(0, N)) expect(at(id, 'processing')).toBeLessThan(firstEnd);
    for (const id of ids.slice(N)) expect(at(id, 'processing')).toBeGreaterThan(firstEnd);
    // Queued in order: the fifth started before the sixth.
    expect(at(ids[N], 'processing')).toBeLessThan(at(ids[N + 1], 'processing'));
  }, 120_000);

  it('does the same through the local API, which shows queued (starting) and running (processing) apart', async () => {
    const url = await warm(c4);
    const server: ApiServer = await startApiServer(core, { port: 0 });
    try {
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${server.url}${path.replace(/^\/v1/, '')}`, { ...init, headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json', ...init.headers } }).then(async (r) => {
          expect(r.status, await r.clone().text()).toBeLessThan(300);
          return (await r.json()) as { id: string; status: string; output: unknown };
        });
      const created = [];
      for (let i = 0; i < N + 2; i++) created.push(await api('/v1/predictions', { method: 'POST', body: JSON.stringify({ version: c4.id, input: { text: `a${i}`, sleep: 1.5 } }) }));
      await waitFor(async () => (await fixtureStats(url)).inflight === N, `${N} predictions in flight`);
      const seen = await Promise.all(created.map((p) => api(`/v1/predictions/${p.id}`)));
      expect(seen.map((p) => p.status)).toEqual([...Array(N).fill('processing'), 'starting', 'starting']);
      const finals = await Promise.all(
        created.map((p) => waitFor(async () => {
          const now = await api(`/v1/predictions/${p.id}`);
          return now.status === 'succeeded' || now.status === 'failed' ? now : null;
        }, `prediction ${p.id} to end`, 60_000)),
      );
      expect(finals.map((p) => p.status)).toEqual(Array(N + 2).fill('succeeded'));
      expect(await fixtureStats(url)).toMatchObject({ max_inflight: N, total: N + 2 });
    } finally {
      await server.close();
    }
  }, 120_000);

  it("takes the person's own setting over the image's, both lower and higher; 1 when nothing says otherwise", async () => {
    // Nothing says otherwise: one at a time.
    let url = await warm(one);
    expect((await core.getEngineStatus()).warmContainers.find((w) => w.versionId === one.id)).toMatchObject({ limit: 1 });
    let ids = await Promise.all([0, 1, 2].map(async (i) => (await core.createPrediction({ version: one.id, input: { text: `d${i}`, sleep: 0.3 } })).id));
    expect((await Promise.all(ids.map((id) => core.waitForPrediction(id)))).map((p) => p.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(await fixtureStats(url)).toMatchObject({ max_inflight: 1, total: 3 });

    // Lower than the image's 4.
    expect(await core.getModelSettings(c4.modelId)).toMatchObject({ concurrency: null, imageConcurrency: { limit: 4, source: 'env' } });
    expect(await core.updateModelSettings(c4.modelId, { concurrency: 2 })).toMatchObject({ concurrency: 2 });
    url = await warm(c4);
    ids = await Promise.all([0, 1, 2, 3, 4].map(async (i) => (await core.createPrediction({ version: c4.id, input: { text: `s${i}`, sleep: 0.5 } })).id));
    expect((await Promise.all(ids.map((id) => core.waitForPrediction(id)))).every((p) => p.status === 'succeeded')).toBe(true);
    expect(await fixtureStats(url)).toMatchObject({ max_inflight: 2, total: 5 });

    // Higher than the image's 1: the server is told (COG_MAX_CONCURRENCY) when its container starts.
    await core.updateModelSettings(one.modelId, { concurrency: 3 });
    url = await warm(one);
    expect((await fixtureStats(url)).max_concurrency).toBe(3);
    ids = await Promise.all([0, 1, 2, 3].map(async (i) => (await core.createPrediction({ version: one.id, input: { text: `h${i}`, sleep: 0.8 } })).id));
    expect((await Promise.all(ids.map((id) => core.waitForPrediction(id)))).every((p) => p.status === 'succeeded')).toBe(true);
    expect(await fixtureStats(url)).toMatchObject({ max_inflight: 3, total: 4 });

    // Back to the image's own; a bad value is refused with what to do.
    expect(await core.updateModelSettings(c4.modelId, { concurrency: null })).toMatchObject({ concurrency: null });
    await core.updateModelSettings(one.modelId, { concurrency: null });
    await expect(core.updateModelSettings(c4.modelId, { concurrency: 0 })).rejects.toThrow(/whole number from 1/);
  }, 180_000);

  it('fails every prediction in flight when the worker dies, with why, and runs the next one in a fresh container', async () => {
    const url = await warm(c4);
    const before = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === c4.id)!.containerId;
    const sleepers = [];
    for (let i = 0; i < 2; i++) sleepers.push((await core.createPrediction({ version: c4.id, input: { text: `w${i}`, sleep: 20 } })).id);
    await waitFor(async () => (await fixtureStats(url)).inflight === 2, 'two predictions in flight');
    const crasher = (await core.createPrediction({ version: c4.id, input: { text: 'boom', crash: true } })).id;
    const failed = await Promise.all([...sleepers, crasher].map((id) => core.waitForPrediction(id)));
    for (const p of failed) {
      expect(p.status).toBe('failed');
      expect(p.error).toMatch(/^The model's worker crashed: Worker crashed\. Cogdesk restarted its container/);
    }
    const next = await core.waitForPrediction((await core.createPrediction({ version: c4.id, input: { text: 'after' } })).id);
    expect(next.status).toBe('succeeded');
    expect(next.containerId).toBeTruthy();
    expect(next.containerId).not.toBe(before);
  }, 120_000);

  it.each([
    ['after a quick one: sent sync, its answer says it failed', 0],
    ['after a slow one: sent async, by webhook, and the server answers 503 defunct', 1.2],
  ])('the Go runtime (DEFUNCT after a crash), %s: it fails with why, the next one runs in a fresh container', async (_, sleep) => {
    await warm(go);
    if (sleep) expect((await core.waitForPrediction((await core.createPrediction({ version: go.id, input: { text: 'slow', sleep } })).id)).status).toBe('succeeded');
    const before = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === go.id)!.containerId;
    const crashed = await core.waitForPrediction((await core.createPrediction({ version: go.id, input: { text: 'boom', crash: true } })).id);
    expect(crashed.status).toBe('failed');
    expect(crashed.error).toMatch(/^The model's worker crashed: .*Cogdesk restarted its container/);
    const next = await core.waitForPrediction((await core.createPrediction({ version: go.id, input: { text: 'after' } })).id);
    expect(next.status).toBe('succeeded');
    expect(next.containerId).not.toBe(before);
  }, 120_000);

  it('a container whose worker died with nothing of ours in flight (it answers only BUSY) is restarted, and the prediction runs on a fresh one', async () => {
    const url = await warm(one);
    const before = (await core.getEngineStatus()).warmContainers.find((w) => w.versionId === one.id)!.containerId;
    // Its worker dies outside Cogdesk: from then on coglet answers every prediction 409.
    await fetch(`${url}/predictions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ input: { text: 'x', crash: true } }) });
    const p = await core.waitForPrediction((await core.createPrediction({ version: one.id, input: { text: 'fresh' } })).id);
    expect(p.status).toBe('succeeded');
    expect(p.output).toBe('hello fresh fresh');
    expect(p.containerId).not.toBe(before);
    expect(p.logs).toMatch(/\[cogdesk\] The model's previous container was restarted: its server reports UNHEALTHY \(its worker crashed\)/);
  }, 120_000);

  it('a BUSY that does not clear while none of our predictions runs there, past the grace, is a stuck worker', async () => {
    const url = await warm(one);
    // Its one slot taken by something that is not Cogdesk's, for longer than the grace.
    const outsider = fetch(`${url}/predictions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ input: { text: 'x', sleep: 6 } }) });
    await waitFor(async () => (await fixtureStats(url)).inflight === 1, 'the outsider to run');
    const client = new CogClient(url);
    await client.health();
    const container = { client, running: 1 } as WarmContainer;
    const sent = sendPrediction(container, () => client.predict({ id: 'stuck-1', input: { text: 'y' } }), { canceled: () => false, busyGraceMs: 1_500 });
    await expect(sent).rejects.toThrow(StuckWorkerError);
    await expect(sent).rejects.toThrow(/answered BUSY for \d+\.\d s while none of Cogdesk's predictions ran on it \(its worker is stuck\)/);
    // With one of ours running there (two counted), BUSY is ours, and it is waited out.
    const ours = { client, running: 2 } as WarmContainer;
    const waited = await sendPrediction(ours, () => client.predict({ id: 'stuck-2', input: { text: 'z' } }), { canceled: () => false, busyGraceMs: 1_500 });
    expect(waited.status).toBe('succeeded');
    await outsider;
  }, 60_000);
});
