/** Does a model fit this machine: a local version's cog.yaml or a Replicate SKU, against a hardware report. */
import { describe, expect, it } from 'vitest';
import type { DockerGpuSupport, Gpu, HardwareReport } from '../../../src/shared/hardware';
import { checkFit, requirementFromCogConfig, requirementFromSku } from '../../../src/main/core/hardware/fit';
import { gpuSupportFromInfo } from '../../../src/main/core/hardware/docker-gpu';

const gpu = (name: string, memoryTotalMiB: number | null, index = 0): Gpu => ({
  index,
  uuid: `GPU-${index}`,
  name,
  memoryTotalMiB,
  memoryUsedMiB: 0,
  driverVersion: '550.54.15',
  computeCapability: null,
  pciBusId: null,
});

function report(gpus: Gpu[], reason: string | null = null): HardwareReport {
  return {
    platform: 'linux',
    wsl: false,
    cpu: null,
    memoryBytes: null,
    gpus,
    nvidiaSmi: { status: gpus.length ? 'ok' : 'not_found', path: null, message: reason, hint: null, details: null, computeCapNote: null },
    otherGpus: [],
    cpuOnly: gpus.length === 0,
    reason: gpus.length ? null : reason,
    hint: null,
    detectedAt: '2025-01-01T00:00:00.000Z',
  };
}

const H100 = gpu('NVIDIA H100 80GB HBM3', 81559);
const RTX4090 = gpu('NVIDIA GeForce RTX 4090', 24564);
const T4_OLD = gpu('Tesla T4', 15109);
const L40S = (i: number) => gpu('NVIDIA L40S', 46068, i);
const cpuOnly = report([], 'nvidia-smi was not found (looked in PATH, /usr/lib/wsl/lib/nvidia-smi): no NVIDIA driver is installed');

describe('requirements', () => {
  it('from cog.yaml: build.gpu true needs a GPU of any size; false or absent is CPU; no label is unknown', () => {
    expect(requirementFromCogConfig({ build: { gpu: true, cuda: '12.1' } })).toEqual({ source: 'cog-config', sku: null, gpu: true, gpuCount: 1, gpuMemoryGB: null, cuda: '12.1' });
    expect(requirementFromCogConfig({ build: { gpu: true } }, ['PATH=/usr/bin', 'CUDA_VERSION=11.8.0'])).toMatchObject({ gpu: true, cuda: '11.8' });
    expect(requirementFromCogConfig({ build: { gpu: true } })).not.toHaveProperty('cuda');
    expect(requirementFromCogConfig({ build: { gpu: false, python_version: '3.11' }, predict: 'predict.py:Predictor' }).gpu).toBe(false);
    expect(requirementFromCogConfig({ predict: 'predict.py:Predictor' }).gpu).toBe(false);
    expect(requirementFromCogConfig(null).gpu).toBeNull();
  });

  it('from a SKU, in either spelling', () => {
    expect(requirementFromSku('gpu-a40-large')).toEqual({ source: 'sku', sku: 'gpu-a40-large', gpu: true, gpuCount: 1, gpuMemoryGB: 48 });
    expect(requirementFromSku('gpu-2x-l40s')).toEqual({ source: 'sku', sku: 'gpu-l40s-2x', gpu: true, gpuCount: 2, gpuMemoryGB: 48 });
    expect(requirementFromSku('cpu')).toMatchObject({ gpu: false, gpuCount: 0 });
    expect(requirementFromSku('gpu-h200')).toMatchObject({ gpu: true, gpuCount: 1, gpuMemoryGB: 141 });
    expect(requirementFromSku('tpu-v5')).toMatchObject({ gpu: null });
  });
});

describe('checkFit', () => {
  it('runs here on GPU', () => {
    const f = checkFit(report([H100]), requirementFromSku('gpu-a100-large'));
    expect(f).toEqual({ kind: 'gpu', reason: null, requiredGB: 80, requiredCount: 1, sentence: 'Runs here on GPU: NVIDIA H100 80GB HBM3 (80 GB).' });
  });

  it('a T4 with 15109 MiB holds what gpu-t4 needs (memory with a tolerance)', () => {
    expect(checkFit(report([T4_OLD]), requirementFromSku('gpu-t4')).kind).toBe('gpu');
    expect(checkFit(report([L40S(0)]), requirementFromSku('gpu-a40-large')).kind).toBe('gpu');
  });

  it('a local GPU model runs on every GPU here', () => {
    const f = checkFit(report([L40S(0), L40S(1)]), requirementFromCogConfig({ build: { gpu: true } }));
    expect(f).toMatchObject({ kind: 'gpu', sentence: 'Runs here on GPU: 2 × NVIDIA L40S (45 GB).' });
  });

  it('needs a GPU with at least N GB: not enough memory', () => {
    const f = checkFit(report([RTX4090]), requirementFromSku('gpu-a40-large'));
    expect(f).toEqual({
      kind: 'needs_gpu',
      reason: 'not_enough_memory',
      requiredGB: 48,
      requiredCount: 1,
      sentence: 'Needs a GPU with at least 48 GB (gpu-a40-large); the largest here is NVIDIA GeForce RTX 4090 with 24 GB.',
    });
  });

  it('needs a GPU with at least N GB: no GPU, with the reason', () => {
    const f = checkFit(cpuOnly, requirementFromSku('gpu-l40s'));
    expect(f.kind).toBe('needs_gpu');
    expect(f.reason).toBe('no_gpu');
    expect(f.sentence).toBe(
      'Needs a GPU with at least 48 GB (gpu-l40s); this machine has none (nvidia-smi was not found (looked in PATH, /usr/lib/wsl/lib/nvidia-smi): no NVIDIA driver is installed).',
    );
    expect(checkFit(cpuOnly, requirementFromCogConfig({ build: { gpu: true } })).sentence).toMatch(/^Needs an NVIDIA GPU; this machine has none/);
  });

  it('needs more GPUs than there are', () => {
    const f = checkFit(report([H100]), requirementFromSku('gpu-a100-large-8x'));
    expect(f).toMatchObject({ kind: 'needs_gpu', reason: 'not_enough_gpus', requiredCount: 8 });
    expect(f.sentence).toBe('Needs 8 GPUs with at least 80 GB each (gpu-a100-large-8x); this machine has NVIDIA H100 80GB HBM3 (80 GB).');
  });

  it('counts only GPUs big enough', () => {
    const f = checkFit(report([RTX4090, gpu('NVIDIA GeForce RTX 4090', 24564, 1)]), requirementFromSku('gpu-l40s-2x'));
    expect(f).toMatchObject({ kind: 'needs_gpu', reason: 'not_enough_memory' });
  });

  it('CPU only, even with GPUs here', () => {
    expect(checkFit(report([H100]), requirementFromCogConfig({ build: { gpu: false } }))).toMatchObject({ kind: 'cpu', sentence: 'CPU only: it runs here on the CPU.' });
    expect(checkFit(cpuOnly, requirementFromSku('cpu')).sentence).toBe('CPU only: it runs here on the CPU (Replicate runs it on cpu).');
  });

  it('unknown when it cannot tell', () => {
    expect(checkFit(report([H100]), requirementFromCogConfig(null))).toMatchObject({ kind: 'unknown' });
    expect(checkFit(report([H100]), requirementFromSku('tpu-v5')).sentence).toContain('"tpu-v5"');
  });

  it('a GPU Docker cannot hand to containers does not count', () => {
    const noToolkit = gpuSupportFromInfo({ ServerVersion: '20.10.24', OperatingSystem: 'Debian GNU/Linux 12 (bookworm)', Runtimes: { runc: { path: 'runc' } }, CDISpecDirs: null });
    const f = checkFit(report([H100]), requirementFromSku('gpu-h100'), noToolkit);
    expect(f).toMatchObject({ kind: 'needs_gpu', reason: 'docker_cannot_use_gpu' });
    expect(f.sentence).toBe('Needs a GPU with at least 80 GB (gpu-h100): this machine has NVIDIA H100 80GB HBM3 (80 GB), but Docker cannot give it to containers (NVIDIA Container Toolkit missing).');

    const withRuntime = gpuSupportFromInfo({ Runtimes: { nvidia: { path: 'nvidia-container-runtime' }, runc: { path: 'runc' } } });
    expect(checkFit(report([H100]), requirementFromSku('gpu-h100'), withRuntime).kind).toBe('gpu');

    const probed: DockerGpuSupport = { ...withRuntime, probe: { ok: false, image: 'x', method: 'nvidia', check: null, conclusive: true, error: { code: 'container_failed', message: 'Docker started the container, but it sees no GPU' } } };
    expect(checkFit(report([H100]), requirementFromSku('gpu-h100'), probed)).toMatchObject({ kind: 'needs_gpu', reason: 'docker_cannot_use_gpu' });
    // CPU models do not care.
    expect(checkFit(report([H100]), requirementFromSku('cpu'), noToolkit).kind).toBe('cpu');
  });
});
