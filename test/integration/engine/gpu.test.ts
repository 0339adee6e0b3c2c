import type Docker from 'dockerode';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureImage } from '../../helpers/fixtures';
import { managedContainers, openCore } from '../../helpers/core';

type TestCore = Awaited<ReturnType<typeof openCore>>;

/**
 * Records the options of every model container the core creates (the engine itself stays real). The probe
 * that looks for /.cog/weights.json at a version's first cold start (never started, labelled cogdesk.probe)
 * is not one: it asks for no GPU.
 */
async function recordCreates(core: TestCore): Promise<Docker.ContainerCreateOptions[]> {
  const d = await core.docker();
  const seen: Docker.ContainerCreateOptions[] = [];
  const original = d.createContainer.bind(d);
  d.createContainer = ((opts: Docker.ContainerCreateOptions) => {
    if (!opts.Labels?.['cogdesk.probe']) seen.push(structuredClone(opts));
    return original(opts);
  }) as typeof d.createContainer;
  return seen;
}

// This engine has no NVIDIA runtime and the machine no GPU: the refusal path is the real one.
describe('models built with gpu: true', () => {
  let core: TestCore | undefined;
  afterEach(async () => {
    await core?.dispose();
    core = undefined;
  });

  it('asks Docker for all GPUs like cog predict does, and says what is missing when the engine refuses', async () => {
    core = await openCore();
    const creates = await recordCreates(core);
    const gpu = await core.ensureVersion(fixtureImage('gpu'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: gpu.id, input: { text: 'g' } })).id);
    expect(creates[0].HostConfig?.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/NVIDIA Container Toolkit/);
    expect(done.logs).toMatch(/could not select device driver/);
    expect(await managedContainers(core.paths.homeId)).toHaveLength(0);
  });

  it('asks for the chosen GPUs by uuid', async () => {
    core = await openCore();
    await core.updateSettings({ gpuDeviceIds: ['GPU-5f3c1e0a-1111-2222-3333-444455556666'] });
    const creates = await recordCreates(core);
    const gpu = await core.ensureVersion(fixtureImage('gpu'));
    await core.waitForPrediction((await core.createPrediction({ version: gpu.id, input: { text: 'g' } })).id);
    expect(creates[0].HostConfig?.DeviceRequests).toEqual([
      expect.objectContaining({ Driver: 'nvidia', Count: 0, DeviceIDs: ['GPU-5f3c1e0a-1111-2222-3333-444455556666'] }),
    ]);
  });

  it('runs on the CPU only when allowed, and then says so on the prediction', async () => {
    core = await openCore();
    await core.updateSettings({ allowCpuFallback: true });
    const creates = await recordCreates(core);
    const gpu = await core.ensureVersion(fixtureImage('gpu'));
    const done = await core.waitForPrediction((await core.createPrediction({ version: gpu.id, input: { text: 'cpu' } })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'hello cpu cpu' });
    expect(done.logs.split('\n')[0]).toMatch(/^\[cogdesk\] No GPU: .*Running on the CPU instead/);
    expect(creates.map((c) => c.HostConfig?.DeviceRequests)).toEqual([expect.any(Array), undefined]);
    expect((await core.getEngineStatus()).warmContainers).toEqual([expect.objectContaining({ versionId: gpu.id, runsOn: 'cpu' })]);
  });

  it('tells before running whether a version or a Replicate SKU fits this machine', async () => {
    core = await openCore();
    const gpu = await core.ensureVersion(fixtureImage('gpu'));
    const echo = await core.ensureVersion(fixtureImage('echo'));
    const saved = process.env.COGDESK_NVIDIA_SMI;
    process.env.COGDESK_NVIDIA_SMI = '/nonexistent/nvidia-smi';
    try {
      expect(await core.checkFit({ version: gpu.id })).toMatchObject({ kind: 'needs_gpu', reason: 'no_gpu' });
      expect(await core.checkFit({ version: echo.id })).toMatchObject({ kind: 'cpu' });
      expect(await core.checkFit({ sku: 'cpu' })).toMatchObject({ kind: 'cpu' });
      process.env.COGDESK_NVIDIA_SMI = join(process.cwd(), 'test/fixtures/nvidia-smi/h100/nvidia-smi');
      // The GPU is there, but this engine cannot hand it to containers: that is what the fit says.
      const h100 = await core.checkFit({ sku: 'gpu-h100' });
      expect(h100).toMatchObject({ kind: 'needs_gpu', reason: 'docker_cannot_use_gpu' });
      expect(h100.sentence).toMatch(/Docker/);
      expect(await core.checkFit({ sku: 'gpu-a100-large-8x' })).toMatchObject({ kind: 'needs_gpu', reason: 'not_enough_gpus' });
      const overview = await core.getHardware();
      expect(overview.match).toMatchObject({ kind: 'exact', sku: 'gpu-h100' });
      expect(overview.docker.nvidiaRuntime).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.COGDESK_NVIDIA_SMI;
      else process.env.COGDESK_NVIDIA_SMI = saved;
    }
  });

  it('never asks for a GPU for a CPU model', async () => {
    core = await openCore();
    const creates = await recordCreates(core);
    const echo = await core.ensureVersion(fixtureImage('echo'));
    await core.waitForPrediction((await core.createPrediction({ version: echo.id, input: { text: 'c' } })).id);
    expect(creates[0].HostConfig?.DeviceRequests).toBeUndefined();
    expect((await core.getEngineStatus()).warmContainers[0].runsOn).toBe('cpu');
  });
});
