/** CUDA against the driver: nvidia-smi's header, the driver table, the image's CUDA, and the fit's sentence. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions, cudaForDriver, cudaMajorMinor, cudaMismatch, imageCuda, parseCudaFromSmi } from '../../../src/main/core/hardware/cuda';
import { checkFit, requirementFromCogConfig } from '../../../src/main/core/hardware/fit';
import type { HardwareReport } from '../../../src/shared/hardware';

const STANDINS = join(process.cwd(), 'test/fixtures/nvidia-smi');

describe("the driver's CUDA version", () => {
  it("is the header's CUDA Version, in the 535 and the older 525 layouts and in `nvidia-smi -q`", () => {
    expect(parseCudaFromSmi('| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |')).toBe('12.2');
    expect(parseCudaFromSmi('| NVIDIA-SMI 525.85.12    Driver Version: 525.85.12    CUDA Version: 12.0     |')).toBe('12.0');
    expect(parseCudaFromSmi('Driver Version                            : 570.86.15\nCUDA Version                              : 12.8\n')).toBe('12.8');
    expect(parseCudaFromSmi('| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: N/A      |')).toBeNull();
    expect(parseCudaFromSmi('No devices were found')).toBeNull();
  });

  it("is what the stand-ins' headers say for their drivers", () => {
    const header = (scenario: string) => parseCudaFromSmi(execFileSync(join(STANDINS, scenario, 'nvidia-smi'), { encoding: 'utf8' }));
    expect(header('h100')).toBe('12.2'); // 535.129.03
    expect(header('rtx4090')).toBe('12.3'); // 545.29.06
    expect(header('l40s-2x')).toBe('12.4'); // 550.54.15
    expect(header('a100-8x')).toBe('12.0'); // 525.85.12
  });

  it("from the driver version when the header has none: NVIDIA's minimum drivers", () => {
    expect(cudaForDriver('535.104.05')).toBe('12.2');
    expect(cudaForDriver('535.54.03')).toBe('12.2');
    expect(cudaForDriver('535.54.02')).toBe('12.1');
    expect(cudaForDriver('550.54.15')).toBe('12.4');
    expect(cudaForDriver('470.82.01')).toBe('11.4');
    expect(cudaForDriver('390.157')).toBeNull();
    expect(cudaForDriver('[N/A]')).toBeNull();
  });
});

describe("the image's CUDA version", () => {
  it("is cog.yaml's build.cuda, else the base image's CUDA_VERSION", () => {
    expect(imageCuda({ build: { gpu: true, cuda: '12.4' } })).toBe('12.4');
    expect(imageCuda({ build: { gpu: true, cuda: 11.8 } })).toBe('11.8');
    expect(imageCuda({ build: { gpu: true } }, ['CUDA_VERSION=12.1.1', 'NVIDIA_REQUIRE_CUDA=cuda>=12.1'])).toBe('12.1');
    expect(imageCuda({ build: { gpu: true, cuda: 'latest' } })).toBeNull();
    expect(imageCuda(null)).toBeNull();
    expect(cudaMajorMinor('12')).toBe('12.0');
  });

  it('compares as versions, not as text', () => {
    expect(compareVersions('12.10', '12.4')).toBeGreaterThan(0);
    expect(compareVersions('12.4', '12.4.0')).toBe(0);
    expect(cudaMismatch('12.4', { version: '12.2', driver: '535.104.05', source: 'nvidia-smi' })).toBe(
      'needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver',
    );
    expect(cudaMismatch('12.2', { version: '12.2', driver: '535.104.05', source: 'nvidia-smi' })).toBeNull();
    expect(cudaMismatch('12.4', null)).toBeNull();
  });
});

describe('the fit', () => {
  const report = (cuda: string | null): HardwareReport => ({
    platform: 'linux',
    wsl: false,
    cpu: null,
    memoryBytes: null,
    gpus: [{ index: 0, uuid: 'GPU-0', name: 'NVIDIA GeForce RTX 4090', memoryTotalMiB: 24564, memoryUsedMiB: 0, driverVersion: '535.104.05', computeCapability: null, pciBusId: null }],
    nvidiaSmi: { status: 'ok', path: null, message: null, hint: null, details: null, computeCapNote: null },
    otherGpus: [],
    cpuOnly: false,
    reason: null,
    hint: null,
    detectedAt: '2025-01-01T00:00:00.000Z',
    driverCuda: cuda ? { version: cuda, driver: '535.104.05', source: 'nvidia-smi' } : null,
  });

  it('says the driver is too old for the CUDA the image needs, and nothing when it is new enough or unknown', () => {
    const needs = requirementFromCogConfig({ build: { gpu: true, cuda: '12.4' } });
    expect(checkFit(report('12.2'), needs)).toEqual({
      kind: 'needs_gpu',
      reason: 'cuda_too_old',
      requiredGB: null,
      requiredCount: 1,
      sentence: 'Needs CUDA 12.4; your driver (535.104.05) supports up to 12.2: update the driver.',
    });
    expect(checkFit(report('12.4'), needs)).toMatchObject({ kind: 'gpu' });
    expect(checkFit(report(null), needs)).toMatchObject({ kind: 'gpu' });
    expect(checkFit(report('12.2'), requirementFromCogConfig({ build: { gpu: true } }))).toMatchObject({ kind: 'gpu' });
  });
});
