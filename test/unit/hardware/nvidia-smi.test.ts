/** Parsing nvidia-smi's CSV and `-L` output (real lines), and finding the binary on Linux, WSL 2 and Windows. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findNvidiaSmi, parseComputeCaps, parseGpuList, parseGpuQuery, smiValue } from '../../../src/main/core/hardware/nvidia-smi';

describe('parseGpuQuery', () => {
  it('reads one GPU a line, memory in MiB', () => {
    const out =
      '0, GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb, NVIDIA H100 80GB HBM3, 81559, 1, 535.129.03, 00000000:18:00.0\n' +
      '1, GPU-d7d1515d-86a6-476d-ae4d-167181cd4282, Tesla T4, 15109, 0, 418.87.01, 00000000:00:1E.0\n';
    expect(parseGpuQuery(out)).toEqual({
      gpus: [
        {
          index: 0,
          uuid: 'GPU-8c9f276c-4397-4c9a-9807-a0e7dd9608fb',
          name: 'NVIDIA H100 80GB HBM3',
          memoryTotalMiB: 81559,
          memoryUsedMiB: 1,
          driverVersion: '535.129.03',
          computeCapability: null,
          pciBusId: '00000000:18:00.0',
        },
        {
          index: 1,
          uuid: 'GPU-d7d1515d-86a6-476d-ae4d-167181cd4282',
          name: 'Tesla T4',
          memoryTotalMiB: 15109,
          memoryUsedMiB: 0,
          driverVersion: '418.87.01',
          computeCapability: null,
          pciBusId: '00000000:00:1E.0',
        },
      ],
      unparsed: [],
    });
  });

  it('turns [N/A] and the other bracketed markers into null', () => {
    const { gpus } = parseGpuQuery('0, GPU-f616733b-2cc0-4713-8c78-4e30b6c80835, NVIDIA GeForce RTX 3090, [N/A], [N/A], [Not Supported], [N/A]\n');
    expect(gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 3090', memoryTotalMiB: null, memoryUsedMiB: null, driverVersion: null, pciBusId: null });
    expect(smiValue('[Insufficient Permissions]')).toBeNull();
    expect(smiValue('[Unknown Error]')).toBeNull();
    expect(smiValue(' 9.0 ')).toBe('9.0');
  });

  it('takes Windows line ends and a name with a comma in it', () => {
    const { gpus } = parseGpuQuery('0, GPU-a, NVIDIA RTX A6000, Rev 2, 49140, 0, 552.22, 00000000:01:00.0\r\n');
    expect(gpus[0]).toMatchObject({ name: 'NVIDIA RTX A6000, Rev 2', memoryTotalMiB: 49140, driverVersion: '552.22', pciBusId: '00000000:01:00.0' });
  });

  it('keeps the GPUs when nvidia-smi prints a warning before them', () => {
    const r = parseGpuQuery('WARNING: infoROM is corrupted at gpu 0000:01:00.0\n0, GPU-7bc87ffe-7fd5-477b-ad2f-30505eaa703a, NVIDIA GeForce RTX 4090, 24564, 1187, 545.29.06, 00000000:01:00.0\n');
    expect(r.gpus.map((g) => g.name)).toEqual(['NVIDIA GeForce RTX 4090']);
    expect(r.unparsed).toEqual(['WARNING: infoROM is corrupted at gpu 0000:01:00.0']);
  });

  it("keeps what is not a GPU line apart (nvidia-smi's own messages)", () => {
    const r = parseGpuQuery("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n");
    expect(r.gpus).toEqual([]);
    expect(r.unparsed).toHaveLength(1);
  });
});

describe('parseComputeCaps', () => {
  it('maps uuid to compute capability, [N/A] to null, and ignores error text', () => {
    const caps = parseComputeCaps('GPU-a, 9.0\nGPU-b, [N/A]\r\n');
    expect([...caps]).toEqual([
      ['GPU-a', '9.0'],
      ['GPU-b', null],
    ]);
    expect(parseComputeCaps('Field "compute_cap" is not a valid field to query.\n\n').size).toBe(0);
  });
});

describe('parseGpuList', () => {
  it('reads `nvidia-smi -L` and leaves MIG lines out', () => {
    const out = [
      'GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-64d06f04-d83d-4273-986e-c52d93019e0a)',
      '  MIG 3g.40gb     Device  0: (UUID: MIG-5c2a3b1e-0d3f-5a8e-9b6c-2f1e0d9c8b7a)',
      'GPU 1: Tesla T4 (UUID: GPU-d7d1515d-86a6-476d-ae4d-167181cd4282)',
    ].join('\n');
    expect(parseGpuList(out).map(({ index, name, uuid }) => ({ index, name, uuid }))).toEqual([
      { index: 0, name: 'NVIDIA A100-SXM4-80GB', uuid: 'GPU-64d06f04-d83d-4273-986e-c52d93019e0a' },
      { index: 1, name: 'Tesla T4', uuid: 'GPU-d7d1515d-86a6-476d-ae4d-167181cd4282' },
    ]);
    expect(parseGpuList('No devices were found')).toEqual([]);
  });
});

describe('findNvidiaSmi', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = '';
  });
  const file = (p: string, mode = 0o755) => {
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, '#!/bin/sh\n');
    chmodSync(p, mode);
    return p;
  };

  it('Linux: the first executable nvidia-smi on PATH', () => {
    dir = mkdtempSync(join(tmpdir(), 'smi-find-'));
    file(join(dir, 'a', 'nvidia-smi'), 0o644); // not executable: skipped
    const b = file(join(dir, 'b', 'nvidia-smi'));
    const r = findNvidiaSmi({ platform: 'linux', env: { PATH: [join(dir, 'none'), join(dir, 'a'), join(dir, 'b')].join(':') }, wslPath: join(dir, 'wsl', 'nvidia-smi') });
    expect(r.path).toBe(b);
  });

  it("WSL 2: /usr/lib/wsl/lib/nvidia-smi when PATH has none", () => {
    dir = mkdtempSync(join(tmpdir(), 'smi-find-'));
    const wsl = file(join(dir, 'wsl', 'nvidia-smi'));
    expect(findNvidiaSmi({ platform: 'linux', env: { PATH: join(dir, 'bin') }, wslPath: wsl }).path).toBe(wsl);
  });

  it('Linux: says where it looked when there is none', () => {
    dir = mkdtempSync(join(tmpdir(), 'smi-find-'));
    const wsl = join(dir, 'wsl', 'nvidia-smi');
    expect(findNvidiaSmi({ platform: 'linux', env: { PATH: join(dir, 'bin') }, wslPath: wsl })).toEqual({ path: null, searched: ['PATH', wsl] });
  });

  it('Windows: System32 first, else the newest in the DriverStore, else NVSMI, else PATH', () => {
    dir = mkdtempSync(join(tmpdir(), 'smi-find-'));
    const windir = join(dir, 'Windows');
    const programFiles = join(dir, 'Program Files');
    const env = { WINDIR: windir, ProgramFiles: programFiles, PATH: join(dir, 'path') };
    expect(findNvidiaSmi({ platform: 'win32', env }).path).toBeNull();

    const onPath = file(join(dir, 'path', 'nvidia-smi.exe'));
    expect(findNvidiaSmi({ platform: 'win32', env }).path).toBe(onPath);

    const nvsmi = file(join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe'));
    expect(findNvidiaSmi({ platform: 'win32', env }).path).toBe(nvsmi);

    const repo = join(windir, 'System32', 'DriverStore', 'FileRepository');
    const dated = (folder: string, date: string) => {
      const p = file(join(repo, folder, 'nvidia-smi.exe'));
      utimesSync(p, new Date(date), new Date(date));
      return p;
    };
    dated('nv_dispi.inf_amd64_a1', '2023-01-01T00:00:00Z');
    const newest = dated('nv_dispi.inf_amd64_b2', '2024-06-01T00:00:00Z');
    dated('nv_dispi.inf_amd64_c3', '2023-09-01T00:00:00Z');
    mkdirSync(join(repo, 'some_other_driver.inf_amd64_d4')); // no nvidia-smi in it
    expect(findNvidiaSmi({ platform: 'win32', env }).path).toBe(newest);

    const system = file(join(windir, 'System32', 'nvidia-smi.exe'));
    expect(findNvidiaSmi({ platform: 'win32', env }).path).toBe(system);
  });

  it('macOS: none', () => {
    expect(findNvidiaSmi({ platform: 'darwin', env: { PATH: '/usr/bin' } }).path).toBeNull();
  });
});
