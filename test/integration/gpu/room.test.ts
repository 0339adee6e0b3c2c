/**
 * Room in VRAM and placement, against real containers (Docker, the fixture images) and the nvidia-smi
 * stand-in: the stand-in says which container process holds how much on which GPU (pids from Docker's own
 * top of the real containers). This engine has no NVIDIA runtime, so the GPU starts fall back to the CPU
 * (allowed in the settings); the decisions (which to stop, which GPU, refuse with numbers) are the real ones.
 */
import type Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Version } from '../../../src/shared/domain';
import { runCommand } from '../../../src/main/cli/run';
import { docker, managedContainers, openCore, recordUpdates, waitFor } from '../../helpers/core';
import { rejection } from '../../helpers/errors';
import { fixtureImage } from '../../helpers/fixtures';
import { gpuStandin, RTX4090, type GpuStandin } from '../../helpers/gpu-standin';

type TestCore = Awaited<ReturnType<typeof openCore>>;

const GPU0 = RTX4090('GPU-7bc87ffe-7fd5-477b-ad2f-30505eaa703a', '00000000:01:00.0');
const GPU1 = RTX4090('GPU-5bc514cc-7ea0-48bd-8870-1c8827d3aca4', '00000000:02:00.0');
const ONE_GPU = { driver: '550.54.15', gpus: [GPU0] };
let smi: GpuStandin;
let core: TestCore | undefined;

beforeAll(() => {
  smi = gpuStandin(ONE_GPU);
  smi.use();
});
afterEach(async () => {
  await core?.dispose();
  core = undefined;
  smi.set(ONE_GPU);
});
afterAll(() => smi.restore());

async function gpuCore(): Promise<TestCore> {
  core = await openCore();
  await core.updateSettings({ allowCpuFallback: true, idleTimeoutSeconds: 3600 });
  return core;
}

/** The host pid of a warm version's container (its first process), as Docker's top gives it. */
async function pidOf(c: TestCore, versionId: string): Promise<{ containerId: string; pid: number }> {
  const warm = (await c.getEngineStatus()).warmContainers.find((w) => w.versionId === versionId);
  if (!warm) throw new Error(`${versionId} is not warm`);
  const top = (await docker.getContainer(warm.containerId).top()) as { Titles: string[]; Processes: string[][] };
  return { containerId: warm.containerId, pid: Number(top.Processes[0]![top.Titles.indexOf('PID')]) };
}

async function run(c: TestCore, v: Version, input: Record<string, unknown>) {
  return c.waitForPrediction((await c.createPrediction({ version: v.id, input })).id);
}

/** Records the DeviceRequests of every container the core creates asking for GPUs (the engine itself stays real). */
async function recordGpuRequests(c: TestCore): Promise<Docker.DeviceRequest[][]> {
  const d = await c.docker();
  const seen: Docker.DeviceRequest[][] = [];
  const original = d.createContainer.bind(d);
  d.createContainer = ((opts: Docker.ContainerCreateOptions) => {
    if (opts.HostConfig?.DeviceRequests) seen.push(structuredClone(opts.HostConfig.DeviceRequests));
    return original(opts);
  }) as typeof d.createContainer;
  return seen;
}

describe('room in VRAM on one 24 GB GPU', () => {
  it('the second start stops the idle first one (which held 20 GB), says so, and keeps what the first held', async () => {
    const c = await gpuCore();
    const a = await c.ensureVersion(fixtureImage('gpu'));
    const b = await c.ensureVersion(fixtureImage('cuda124'));
    expect(await run(c, a, { text: 'a' })).toMatchObject({ status: 'succeeded' });
    const held = await pidOf(c, a.id);
    smi.update((s) => ({ ...s, apps: [{ pid: held.pid, gpu: GPU0.uuid, memoryMiB: 20480 }] }));
    c.store.gpu.recordMemory(b.id, 8192, GPU0.name);

    const updates = recordUpdates(c);
    const done = await run(c, b, { text: 'b' });
    updates.stop();
    expect(done.status).toBe('succeeded');
    const said = updates.of(done.id).map((u) => u.p.logs);
    expect(said).toContainEqual(expect.stringContaining(`[cogdesk] Stopped ${a.modelId} to make room on GPU 0.`));
    // The prediction that waited for the room keeps the note in its final logs, on its own line among the notes at the top.
    expect(done.logs).toMatch(new RegExp(`^(\\[cogdesk\\] .*\\n)*\\[cogdesk\\] Stopped ${a.modelId} to make room on GPU 0\\.\\n`));
    const left = (await managedContainers(c.paths.homeId)).map((x) => x.Id);
    expect(left).not.toContain(held.containerId);
    expect((await c.getEngineStatus()).warmContainers.map((w) => w.versionId)).toEqual([b.id]);
    // What the first one held was measured and kept for its next start.
    expect(c.store.gpu.memory(a.id)).toMatchObject({ usedMiB: 20480, gpuName: GPU0.name });
  });

  it('a model running a prediction is never stopped: the start waits with the reason, and goes on once it is idle', async () => {
    const c = await gpuCore();
    const a = await c.ensureVersion(fixtureImage('stream'));
    const b = await c.ensureVersion(fixtureImage('cuda124'));
    expect(await run(c, a, { prompt: 'warm', n: 1, delay: 0 })).toMatchObject({ status: 'succeeded' });
    const held = await pidOf(c, a.id);
    smi.update((s) => ({ ...s, apps: [{ pid: held.pid, gpu: GPU0.uuid, memoryMiB: 20480 }] }));
    c.store.gpu.recordMemory(b.id, 8192, GPU0.name);

    const long = await c.createPrediction({ version: a.id, input: { prompt: 'long', n: 600, delay: 0.5 } });
    await waitFor(() => c.store.predictions.get(long.id)?.status === 'processing', 'the long prediction to run');
    const pb = await c.createPrediction({ version: b.id, input: { text: 'b' } });
    await waitFor(() => /Waiting for room/.test(c.store.predictions.get(pb.id)?.logs ?? ''), 'the start to wait');
    const waiting = c.store.predictions.get(pb.id)!;
    expect(waiting.status).toBe('starting');
    expect(waiting.logs).toContain(`[cogdesk] Waiting for room on GPU 0: it needs 8 GB of GPU memory, and ${a.modelId} (20 GB) is running a prediction. It starts when that finishes.`);
    // Still there, still running.
    expect(c.store.predictions.get(long.id)?.status).toBe('processing');
    expect((await managedContainers(c.paths.homeId)).map((x) => x.Id)).toContain(held.containerId);

    await c.cancelPrediction(long.id);
    expect((await c.waitForPrediction(long.id)).status).toBe('canceled');
    const done = await c.waitForPrediction(pb.id);
    expect(done.status).toBe('succeeded');
    expect((await managedContainers(c.paths.homeId)).map((x) => x.Id)).not.toContain(held.containerId);
  });

  it('a model that needs more than the GPU has fails at once, with the numbers, and stops nothing', async () => {
    const c = await gpuCore();
    const a = await c.ensureVersion(fixtureImage('gpu'));
    const b = await c.ensureVersion(fixtureImage('cuda124'));
    expect(await run(c, a, { text: 'a' })).toMatchObject({ status: 'succeeded' });
    c.store.gpu.recordMemory(b.id, 30000, GPU0.name);
    const done = await run(c, b, { text: 'b' });
    expect(done.status).toBe('failed');
    expect(done.error).toBe(
      `Not started: ${b.modelId} needs 29 GB of GPU memory (measured when it last ran); the largest GPU here, GPU 0 (NVIDIA GeForce RTX 4090), has 24 GB: it cannot run on this machine's GPUs.`,
    );
    expect((await c.getEngineStatus()).warmContainers.map((w) => w.versionId)).toEqual([a.id]);
  });

  it('a driver too old for the image refuses the start of an image already here', async () => {
    const c = await gpuCore();
    await c.updateSettings({ allowCpuFallback: false });
    const b = await c.ensureVersion(fixtureImage('cuda124'));
    smi.set({ driver: '535.104.05', gpus: [GPU0] });
    const done = await run(c, b, { text: 'b' });
    expect(done.status).toBe('failed');
    expect(done.error).toBe(`${b.modelId} needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver`);
  });

  it("an image whose cog.yaml does not say its CUDA is checked by its base image's CUDA_VERSION", async () => {
    const c = await gpuCore();
    await c.updateSettings({ allowCpuFallback: false });
    await c.ensureVersion(fixtureImage('gpu')); // pulled: the base of the image below
    const tag = `cogdesk-test/gpu-cuda-env:${Date.now().toString(36)}`;
    execFileSync('docker', ['build', '-q', '-t', tag, '-'], { input: `FROM ${fixtureImage('gpu')}\nENV CUDA_VERSION=12.4.1\n`, stdio: ['pipe', 'ignore', 'inherit'] });
    try {
      const v = await c.ensureVersion(tag);
      smi.set({ driver: '535.104.05', gpus: [GPU0] });
      const done = await run(c, v, { text: 'x' });
      expect(done.error).toBe(`${v.modelId} needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver`);
    } finally {
      await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  });
});

describe('placement on two GPUs', () => {
  it('each cold start goes to the GPU with the most free memory; a pinned model gets its GPUs together', async () => {
    // GPU 0 has 10 GB taken by something else (not Cogdesk's).
    smi.set({ driver: '550.54.15', gpus: [GPU0, GPU1], apps: [{ pid: 999_999, gpu: GPU0.uuid, memoryMiB: 10240 }] });
    const c = await gpuCore();
    const requests = await recordGpuRequests(c);
    const a = await c.ensureVersion(fixtureImage('gpu'));
    const b = await c.ensureVersion(fixtureImage('cuda124'));
    c.store.gpu.recordMemory(b.id, 8192, GPU0.name);
    expect(await run(c, a, { text: 'a' })).toMatchObject({ status: 'succeeded' });
    expect(requests[0]).toEqual([expect.objectContaining({ Driver: 'nvidia', Count: 0, DeviceIDs: [GPU1.uuid] })]);

    // Now a holds 20 GB on GPU 1: b (8 GB) fits better on GPU 0, and nothing is stopped.
    const held = await pidOf(c, a.id);
    smi.update((s) => ({ ...s, apps: [...(s.apps ?? []), { pid: held.pid, gpu: GPU1.uuid, memoryMiB: 20480 }] }));
    const before = requests.length;
    expect(await run(c, b, { text: 'b' })).toMatchObject({ status: 'succeeded' });
    expect(requests[before]).toEqual([expect.objectContaining({ DeviceIDs: [GPU0.uuid] })]);
    expect((await c.getEngineStatus()).warmContainers).toHaveLength(2);

    // Pinned to both GPUs: gets both, together.
    await c.dispose();
    core = undefined;
    const c2 = await gpuCore();
    const requests2 = await recordGpuRequests(c2);
    const again = await c2.ensureVersion(fixtureImage('gpu'));
    c2.store.gpu.setPins(again.modelId, [GPU0.uuid, GPU1.uuid]);
    expect(await run(c2, again, { text: 'pinned' })).toMatchObject({ status: 'succeeded' });
    expect(requests2[0]).toEqual([expect.objectContaining({ DeviceIDs: [GPU0.uuid, GPU1.uuid] })]);
  });
});

describe('cogdesk run --gpus and the model pin', () => {
  it('--gpus 1 gives this run GPU 1 (by its index), over the placement', async () => {
    smi.set({ driver: '550.54.15', gpus: [GPU0, GPU1] });
    const c = await gpuCore();
    const requests = await recordGpuRequests(c);
    const final = await runCommand(c, fixtureImage('gpu'), { input: ['text=g'], gpus: '1' });
    expect(final.status).toBe('succeeded');
    expect(requests[0]).toEqual([expect.objectContaining({ DeviceIDs: [GPU1.uuid] })]);
  });

  it('a model is pinned by uuid through the contract; anything else is refused with why', async () => {
    const c = await gpuCore();
    const v = await c.ensureVersion(fixtureImage('gpu'));
    expect(await c.setModelGpus(v.modelId, [GPU1.uuid, GPU0.uuid])).toEqual([GPU1.uuid, GPU0.uuid]);
    expect(await c.getModelGpus(v.modelId)).toEqual([GPU1.uuid, GPU0.uuid]);
    expect((await rejection(c.setModelGpus(v.modelId, ['0; rm -rf /']))).code).toBe('bad_request');
    expect((await rejection(c.getModelGpus('nobody/nothing'))).code).toBe('not_found');
    expect(await c.setModelGpus(v.modelId, [])).toEqual([]);
  });
});

describe('live use', () => {
  it('per GPU: memory, utilization, temperature, and what each warm model holds', async () => {
    smi.set({ driver: '550.54.15', gpus: [{ ...GPU0, utilization: 87, temperature: 71, baseUsedMiB: 300 }, GPU1] });
    const c = await gpuCore();
    const a = await c.ensureVersion(fixtureImage('gpu'));
    expect(await run(c, a, { text: 'a' })).toMatchObject({ status: 'succeeded' });
    const held = await pidOf(c, a.id);
    smi.update((s) => ({ ...s, apps: [{ pid: held.pid, gpu: GPU0.uuid, memoryMiB: 20480 }] }));
    const usage = await c.getGpuUsage();
    expect(usage.message).toBeNull();
    expect(usage.gpus).toEqual([
      {
        index: 0,
        uuid: GPU0.uuid,
        name: GPU0.name,
        memoryTotalMiB: 24564,
        memoryUsedMiB: 20780,
        memoryFreeMiB: 3784,
        utilization: 87,
        temperatureC: 71,
        models: [{ versionId: a.id, modelId: a.modelId, containerId: held.containerId, memoryMiB: 20480, busy: false }],
      },
      expect.objectContaining({ index: 1, memoryFreeMiB: 24564, models: [] }),
    ]);
  });

  it('MIG instances are GPUs of their own', async () => {
    const A100 = { uuid: 'GPU-64d06f04-d83d-4273-986e-c52d93019e0a', name: 'NVIDIA A100-SXM4-40GB', memoryTotalMiB: 40960 };
    smi.set({
      driver: '550.54.15',
      gpus: [A100],
      mig: [
        { parent: 0, profile: '3g.20gb', uuid: 'MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f' },
        { parent: 0, profile: '3g.20gb', uuid: 'MIG-0f2c3a4e-1d5b-5a8e-9c7f-2b3d4e5f6a7b' },
      ],
    });
    const c = await gpuCore();
    const usage = await c.getGpuUsage();
    expect(usage.gpus.map((g) => [g.uuid, g.name, g.memoryTotalMiB])).toEqual([
      ['MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f', 'NVIDIA A100-SXM4-40GB MIG 3g.20gb', 20480],
      ['MIG-0f2c3a4e-1d5b-5a8e-9c7f-2b3d4e5f6a7b', 'NVIDIA A100-SXM4-40GB MIG 3g.20gb', 20480],
    ]);
  });
});
