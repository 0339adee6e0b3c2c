/**
 * CUDA against the driver, before anything is downloaded: the test registry holds fixtures/cuda124 (its
 * cog.yaml says gpu: true, cuda: "12.4"); the nvidia-smi stand-in says the driver supports up to 12.2. The
 * fit says so, and the pull is refused with Docker's image list unchanged; with a 12.4 driver it pulls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRemoteImageConfig } from '../../../src/main/core/docker/registry-config';
import { detectHardware } from '../../../src/main/core/hardware/detect';
import { docker, openCore } from '../../helpers/core';
import { rejection } from '../../helpers/errors';
import { fixtureImage, OPEN_REGISTRY } from '../../helpers/fixtures';
import { gpuStandin, RTX4090, type GpuStandin } from '../../helpers/gpu-standin';

const REF = fixtureImage('cuda124');
const DRIVER_122 = { driver: '535.104.05', gpus: [RTX4090()] };
let smi: GpuStandin;
let versionId: string;
const savedRegistry = process.env.COGDESK_REGISTRY;

async function imageIds(): Promise<string[]> {
  return (await docker.listImages({ all: true })).map((i) => i.Id).sort();
}

async function removeCuda124(): Promise<void> {
  // Only this test's image: pulled by the test, removed by it.
  for (const ref of [REF, `${OPEN_REGISTRY}/fixtures/cuda124@sha256:${versionId}`]) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
}

beforeAll(async () => {
  smi = gpuStandin(DRIVER_122);
  smi.use();
  process.env.COGDESK_REGISTRY = OPEN_REGISTRY;
  versionId = (await readRemoteImageConfig(REF)).manifestDigest.replace(/^sha256:/, '');
  await removeCuda124();
});

afterEach(async () => {
  smi.set(DRIVER_122);
  await removeCuda124();
});

afterAll(() => {
  smi.restore();
  if (savedRegistry === undefined) delete process.env.COGDESK_REGISTRY;
  else process.env.COGDESK_REGISTRY = savedRegistry;
});

describe('the driver CUDA version', () => {
  it("is read from nvidia-smi's header", async () => {
    const report = await detectHardware({ systemInfo: false });
    expect(report.driverCuda).toEqual({ version: '12.2', driver: '535.104.05', source: 'nvidia-smi' });
  });
});

describe('an image built for CUDA 12.4 on a driver that supports 12.2', () => {
  it('does not fit, and the fit says why before anything is pulled', async () => {
    const core = await openCore();
    try {
      const fit = await core.checkFit({ model: 'fixtures/cuda124', version: versionId });
      expect(fit).toMatchObject({ kind: 'needs_gpu', reason: 'cuda_too_old' });
      expect(fit.sentence).toBe('Needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver.');
      expect(await docker.getImage(REF).inspect().catch(() => null)).toBeNull();
    } finally {
      await core.dispose();
    }
  });

  it('is refused before the pull: Docker has no new image', async () => {
    const core = await openCore();
    try {
      const before = await imageIds();
      const e = await rejection(core.ensureVersion(REF));
      expect(e.code).toBe('pull_failed');
      expect(e.message).toBe(`${REF} needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver`);
      expect(e.hint).toMatch(/^Nothing was downloaded\. Install a newer NVIDIA driver/);
      expect(await imageIds()).toEqual(before);
      expect(await core.listModels()).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('with a driver that supports 12.4 it fits, and pulls', async () => {
    smi.set({ driver: '550.54.15', gpus: [RTX4090()] });
    const core = await openCore();
    try {
      const fit = await core.checkFit({ model: 'fixtures/cuda124', version: versionId });
      // This Docker engine has no NVIDIA runtime: the CUDA check passed, Docker is what is missing.
      expect(fit.reason).toBe('docker_cannot_use_gpu');
      const version = await core.ensureVersion(REF);
      expect(version.cogConfig).toMatchObject({ build: { gpu: true, cuda: '12.4' } });
    } finally {
      await core.dispose();
    }
  });
});
