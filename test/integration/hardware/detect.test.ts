/**
 * Detection against each nvidia-smi stand-in (test/fixtures/nvidia-smi/<scenario>/nvidia-smi) run as a real
 * subprocess, and against this machine, which has no NVIDIA GPU and no nvidia-smi.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectHardware } from '../../../src/main/core/hardware/detect';
import { matchSku } from '../../../src/main/core/hardware/match';
import { findNvidiaSmi } from '../../../src/main/core/hardware/nvidia-smi';
import { waitFor } from '../../helpers/core';

const STANDINS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/nvidia-smi');
const smi = (scenario: string) => join(STANDINS, scenario, 'nvidia-smi');
const quick = { systemInfo: false } as const;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('detection with nvidia-smi stand-ins', () => {
  it('one H100: every field, and the compute capability from the separate query', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('h100') });
    expect(r.cpuOnly).toBe(false);
    expect(r.reason).toBeNull();
    expect(r.nvidiaSmi).toEqual({ status: 'ok', path: smi('h100'), message: null, hint: null, details: null, computeCapNote: null });
    expect(r.gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb',
        name: 'NVIDIA H100 80GB HBM3',
        memoryTotalMiB: 81559,
        memoryUsedMiB: 1,
        driverVersion: '535.129.03',
        computeCapability: '9.0',
        pciBusId: '00000000:18:00.0',
      },
    ]);
    expect(matchSku(r.gpus).sku).toBe('gpu-h100');
  });

  it('eight A100-SXM4-80GB: gpu-a100-large-8x', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('a100-8x') });
    expect(r.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(r.gpus.map((g) => g.uuid)).size).toBe(8);
    expect(r.gpus.every((g) => g.name === 'NVIDIA A100-SXM4-80GB' && g.memoryTotalMiB === 81920 && g.computeCapability === '8.0')).toBe(true);
    expect(r.gpus.map((g) => g.pciBusId)).toEqual([
      '00000000:07:00.0',
      '00000000:0F:00.0',
      '00000000:47:00.0',
      '00000000:4E:00.0',
      '00000000:87:00.0',
      '00000000:90:00.0',
      '00000000:B7:00.0',
      '00000000:BD:00.0',
    ]);
    expect(matchSku(r.gpus)).toMatchObject({ kind: 'exact', sku: 'gpu-a100-large-8x' });
  });

  it('two L40S: gpu-l40s-2x', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('l40s-2x') });
    expect(r.gpus.map((g) => [g.name, g.memoryTotalMiB, g.computeCapability])).toEqual([
      ['NVIDIA L40S', 46068, '8.9'],
      ['NVIDIA L40S', 46068, '8.9'],
    ]);
    expect(matchSku(r.gpus).sku).toBe('gpu-l40s-2x');
  });

  it('an old driver: Tesla T4 with 15109 MiB, no NVIDIA prefix, compute_cap rejected', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('t4-old-driver') });
    expect(r.gpus).toEqual([expect.objectContaining({ name: 'Tesla T4', memoryTotalMiB: 15109, driverVersion: '418.87.01', computeCapability: null })]);
    expect(r.nvidiaSmi.status).toBe('ok');
    expect(r.nvidiaSmi.computeCapNote).toBe('this driver cannot report compute capability (Field "compute_cap" is not a valid field to query.)');
    expect(matchSku(r.gpus)).toMatchObject({ kind: 'exact', sku: 'gpu-t4' });
  });

  it('a failing compute_cap query keeps the GPUs (A100 40GB on driver 470)', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('no-compute-cap') });
    expect(r.gpus).toEqual([expect.objectContaining({ name: 'NVIDIA A100-PCIE-40GB', memoryTotalMiB: 40960, computeCapability: null })]);
    expect(r.nvidiaSmi.computeCapNote).toContain('compute_cap');
    expect(matchSku(r.gpus)).toMatchObject({ kind: 'nearest', sku: null, nearest: 'gpu-t4' });
  });

  it('an RTX 4090 has no Replicate twin', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('rtx4090') });
    const m = matchSku(r.gpus);
    expect(m).toMatchObject({ kind: 'nearest', sku: null, nearest: 'gpu-t4' });
    expect(m.sentence).toContain('no exact match');
  });

  it('a laptop part', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('rtx3060-laptop') });
    expect(r.gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 3060 Laptop GPU', memoryTotalMiB: 6144, computeCapability: '8.6' });
    expect(matchSku(r.gpus).sentence).toContain('a laptop GPU');
  });

  it('[N/A] fields become null', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('na-fields') });
    expect(r.gpus).toEqual([
      {
        index: 0,
        uuid: 'GPU-f616733b-2cc0-4713-8c78-4e30b6c80835',
        name: 'NVIDIA GeForce RTX 3090',
        memoryTotalMiB: 24576,
        memoryUsedMiB: null,
        driverVersion: '546.33',
        computeCapability: null,
        pciBusId: null,
      },
    ]);
    expect(r.nvidiaSmi.computeCapNote).toBeNull();
  });

  it('mixed GPUs are described as they are', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('mixed') });
    const m = matchSku(r.gpus);
    expect(m.kind).toBe('mixed');
    expect(m.sentence).toContain('1 × NVIDIA GeForce RTX 4090 (24 GB), 1 × NVIDIA GeForce RTX 3060 (12 GB)');
  });

  it('a hanging nvidia-smi is killed at the timeout: a CPU-only report that says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-hang-'));
    const pidFile = join(dir, 'pid');
    try {
      const r = await detectHardware({ ...quick, nvidiaSmi: smi('hang'), timeoutMs: 300, env: { ...process.env, NVIDIA_SMI_STANDIN_PIDFILE: pidFile } });
      expect(r.cpuOnly).toBe(true);
      expect(r.gpus).toEqual([]);
      expect(r.nvidiaSmi.status).toBe('timeout');
      expect(r.reason).toBe('nvidia-smi did not answer within 300 ms and was stopped');
      expect(r.hint).toMatch(/reboot/);
      // The stand-in ignores SIGTERM: only SIGKILL ends it.
      const pid = Number(readFileSync(pidFile, 'utf8'));
      expect(pid).toBeGreaterThan(0);
      await waitFor(() => !alive(pid), `the stuck nvidia-smi (pid ${pid}) to be gone`, 10_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("no driver: nvidia-smi's own message, exit code 9", async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('no-driver') });
    expect(r).toMatchObject({ cpuOnly: true, gpus: [] });
    expect(r.nvidiaSmi.status).toBe('no_driver');
    expect(r.reason).toBe('nvidia-smi could not talk to the NVIDIA driver (it is not loaded)');
    expect(r.nvidiaSmi.details).toBe(
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
    );
    expect(r.hint).toMatch(/Install the NVIDIA driver/);
  });

  it('no devices', async () => {
    const r = await detectHardware({ ...quick, nvidiaSmi: smi('no-devices') });
    expect(r).toMatchObject({ cpuOnly: true, reason: 'nvidia-smi found no NVIDIA GPU' });
    expect(r.nvidiaSmi).toMatchObject({ status: 'no_devices', details: 'No devices were found' });
  });

  it('finds the stand-in through a PATH override', async () => {
    const r = await detectHardware({ ...quick, env: { PATH: `${join(STANDINS, 'l40s-2x')}:/usr/bin:/bin` }, wslPath: '/nonexistent/nvidia-smi' });
    expect(r.nvidiaSmi.path).toBe(smi('l40s-2x'));
    expect(r.gpus).toHaveLength(2);
  });

  it('takes COGDESK_NVIDIA_SMI, and says so when it points nowhere', async () => {
    const r = await detectHardware({ ...quick, env: { ...process.env, COGDESK_NVIDIA_SMI: smi('rtx4090') } });
    expect(r.gpus[0]?.name).toBe('NVIDIA GeForce RTX 4090');
    const missing = await detectHardware({ ...quick, env: { ...process.env, COGDESK_NVIDIA_SMI: '/nonexistent/nvidia-smi' } });
    expect(missing.nvidiaSmi.status).toBe('not_found');
    expect(missing.reason).toBe('nvidia-smi was not found at /nonexistent/nvidia-smi (from COGDESK_NVIDIA_SMI)');
  });

  it('CPU and memory come from systeminformation next to the GPUs', async () => {
    const r = await detectHardware({ nvidiaSmi: smi('h100') });
    expect(r.gpus).toHaveLength(1);
    expect(r.cpu?.cores).toBeGreaterThan(0);
    expect(r.memoryBytes).toBeGreaterThan(0);
    expect(r.otherGpus).toEqual([]);
  });
});

describe('detection on this machine (no NVIDIA GPU, no nvidia-smi)', () => {
  const env = { ...process.env };
  delete env.COGDESK_NVIDIA_SMI;
  const here = findNvidiaSmi({ env });
  it('has no nvidia-smi to find', () => {
    expect(here.path).toBeNull();
    expect(existsSync('/usr/lib/wsl/lib/nvidia-smi')).toBe(false);
  });

  it.skipIf(here.path !== null)('gives a CPU-only report that says why, with CPU and memory', async () => {
    const r = await detectHardware({ env });
    expect(r.platform).toBe('linux');
    expect(r.cpuOnly).toBe(true);
    expect(r.gpus).toEqual([]);
    expect(r.nvidiaSmi).toMatchObject({ status: 'not_found', path: null });
    expect(r.reason).toBe('nvidia-smi was not found (looked in PATH, /usr/lib/wsl/lib/nvidia-smi): no NVIDIA driver is installed');
    expect(r.hint).toContain('Install the NVIDIA driver');
    expect(r.cpu?.cores).toBeGreaterThan(0);
    expect(r.cpu?.brand).toBeTruthy();
    expect(r.memoryBytes).toBeGreaterThan(0);
    expect(matchSku(r.gpus)).toMatchObject({ kind: 'cpu', sku: 'cpu' });
  });
});
