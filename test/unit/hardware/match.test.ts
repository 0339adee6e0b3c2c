/** Local GPUs to Replicate's SKUs: every name and every SKU row of reference/hardware.md. */
import { describe, expect, it } from 'vitest';
import type { Gpu } from '../../../src/shared/hardware';
import { gpuFamily, matchSku } from '../../../src/main/core/hardware/match';
import { BUILTIN_SKUS, mergeHardwareList } from '../../../src/main/core/hardware/skus';

let uuid = 0;
const gpu = (name: string, memoryTotalMiB: number | null, index = 0): Gpu => ({
  index,
  uuid: `GPU-test-${++uuid}`,
  name,
  memoryTotalMiB,
  memoryUsedMiB: 0,
  driverVersion: '550.54.15',
  computeCapability: null,
  pciBusId: null,
});
const many = (n: number, name: string, mib: number) => Array.from({ length: n }, (_, i) => gpu(name, mib, i));

// reference/hardware.md, "Real names and memory.total values": name, MiB, family, what one of it matches.
const NAMES: Array<[string, number, string | null, 'exact' | 'nearest', string]> = [
  ['Tesla T4', 15360, 'T4', 'exact', 'gpu-t4'],
  ['Tesla T4', 15109, 'T4', 'exact', 'gpu-t4'],
  ['NVIDIA L40S', 46068, 'L40S', 'exact', 'gpu-l40s'],
  ['NVIDIA A40', 46068, 'A40', 'exact', 'gpu-a40-large'],
  ['NVIDIA A100-PCIE-40GB', 40960, 'A100 40GB', 'nearest', 'gpu-t4'],
  ['NVIDIA A100-SXM4-40GB', 40960, 'A100 40GB', 'nearest', 'gpu-t4'],
  ['NVIDIA A100 80GB PCIe', 81920, 'A100 80GB', 'exact', 'gpu-a100-large'],
  ['NVIDIA A100-SXM4-80GB', 81920, 'A100 80GB', 'exact', 'gpu-a100-large'],
  ['NVIDIA H100 80GB HBM3', 81559, 'H100', 'exact', 'gpu-h100'],
  ['NVIDIA H100 PCIe', 81559, 'H100', 'exact', 'gpu-h100'],
  ['NVIDIA H200', 143771, 'H200', 'nearest', 'gpu-h100'],
  ['NVIDIA GeForce RTX 4090', 24564, null, 'nearest', 'gpu-t4'],
  ['NVIDIA GeForce RTX 3090', 24576, null, 'nearest', 'gpu-t4'],
  ['NVIDIA GeForce RTX 3060', 12288, null, 'nearest', 'gpu-t4'],
];

describe('one GPU of each real name', () => {
  it.each(NAMES)('%s (%i MiB) is %s: %s %s', (name, mib, family, kind, sku) => {
    expect(gpuFamily(name, mib).family).toBe(family);
    const m = matchSku([gpu(name, mib)]);
    expect(m.kind).toBe(kind);
    if (kind === 'exact') {
      expect(m.sku).toBe(sku);
      expect(m.nearest).toBeNull();
      expect(m.sentence).toContain(`matches Replicate's ${sku}`);
    } else {
      expect(m.sku).toBeNull();
      expect(m.nearest).toBe(sku);
      expect(m.sentence).toContain('no exact match');
      expect(m.sentence).toContain(sku);
    }
  });

  it.each(NAMES.filter(([n]) => n.startsWith('NVIDIA ')))('%s without the `NVIDIA ` prefix (drivers before about 470) is the same', (name, mib, family, kind, sku) => {
    const bare = name.replace(/^NVIDIA /, '');
    expect(gpuFamily(bare, mib).family).toBe(family);
    const m = matchSku([gpu(bare, mib)]);
    expect(m.kind).toBe(kind);
    expect(m.sku ?? m.nearest).toBe(sku);
  });

  it('a consumer card is never passed off as a Replicate GPU', () => {
    const m = matchSku([gpu('NVIDIA GeForce RTX 4090', 24564)]);
    expect(m.sentence).toBe("1 × NVIDIA GeForce RTX 4090 (24 GB): no exact match on Replicate; nearest by GPU memory gpu-t4 (1 × T4, 16 GB).");
  });

  it('says when no SKU fits in a small card', () => {
    expect(matchSku([gpu('NVIDIA GeForce RTX 3060', 12288)]).sentence).toContain('no Replicate SKU fits in 12 GB; the smallest is gpu-t4');
  });

  it('a laptop part has no twin, and says it is a laptop GPU', () => {
    expect(gpuFamily('NVIDIA GeForce RTX 3060 Laptop GPU', 6144)).toEqual({ family: null, laptop: true });
    const m = matchSku([gpu('NVIDIA GeForce RTX 3060 Laptop GPU', 6144)]);
    expect(m).toMatchObject({ kind: 'nearest', nearest: 'gpu-t4' });
    expect(m.sentence).toContain('a laptop GPU');
    expect(m.groups[0]).toMatchObject({ laptop: true, family: null });
  });

  it('tells look-alike names apart', () => {
    expect(gpuFamily('NVIDIA GH200 480GB', 97871).family).toBeNull();
    expect(gpuFamily('NVIDIA RTX A4000', 16376).family).toBeNull();
    expect(gpuFamily('NVIDIA T400', 2048).family).toBeNull();
    expect(gpuFamily('NVIDIA L40', 46068).family).toBeNull();
    expect(gpuFamily('NVIDIA H100 NVL', 95830).family).toBe('H100');
    expect(gpuFamily('NVIDIA A100-SXM4-80GB', null).family).toBe('A100 80GB');
    expect(gpuFamily('NVIDIA A100-SXM4-40GB', null).family).toBe('A100 40GB');
  });

  it('an L40 (no S) is nearest to the L40S by memory, not claimed as one', () => {
    const m = matchSku([gpu('NVIDIA L40', 46068)]);
    expect(m).toMatchObject({ kind: 'nearest', nearest: 'gpu-l40s', sku: null });
  });

  it('a GPU whose memory nvidia-smi could not give has no nearest SKU', () => {
    const m = matchSku([gpu('NVIDIA GeForce RTX 3090', null)]);
    expect(m).toMatchObject({ kind: 'none', sku: null, nearest: null });
  });
});

// Every GPU row of the SKU table, built from the real name of its GPU.
const REAL: Record<string, [string, number]> = {
  T4: ['Tesla T4', 15360],
  A40: ['NVIDIA A40', 46068],
  L40S: ['NVIDIA L40S', 46068],
  'A100 80GB': ['NVIDIA A100-SXM4-80GB', 81920],
  H100: ['NVIDIA H100 80GB HBM3', 81559],
};

describe('every SKU row, from GPUs of its kind and count', () => {
  it.each(BUILTIN_SKUS.filter((s) => s.gpu).map((s) => [s.sku, s.gpu!, s.gpuCount] as const))('%s: %i × %s', (sku, family, count) => {
    const [name, mib] = REAL[family]!;
    const m = matchSku(many(count, name, mib));
    expect(m.kind).toBe('exact');
    expect([m.sku, ...m.alternatives]).toContain(sku);
    expect(m.groups).toEqual([expect.objectContaining({ family, count })]);
  });

  it('cpu and cpu-small: a machine without NVIDIA GPUs', () => {
    const m = matchSku([]);
    expect(m).toMatchObject({ kind: 'cpu', sku: 'cpu', nearest: null, groups: [] });
    expect(m.sentence).toContain('No NVIDIA GPU');
  });

  it('eight A100 80GB are gpu-a100-large-8x', () => {
    expect(matchSku(many(8, 'NVIDIA A100-SXM4-80GB', 81920)).sku).toBe('gpu-a100-large-8x');
    expect(matchSku(many(8, 'NVIDIA A100 80GB PCIe', 81920)).sku).toBe('gpu-a100-large-8x');
  });

  it('two L40S are gpu-l40s-2x', () => {
    expect(matchSku(many(2, 'NVIDIA L40S', 46068)).sku).toBe('gpu-l40s-2x');
  });

  it('an A40 is gpu-a40-large on a host with its CPUs and RAM, else gpu-a40-small', () => {
    const a40 = [gpu('NVIDIA A40', 46068)];
    expect(matchSku(a40, BUILTIN_SKUS, { cpus: 32, memoryBytes: 128e9 })).toMatchObject({ sku: 'gpu-a40-large', alternatives: ['gpu-a40-small'] });
    expect(matchSku(a40, BUILTIN_SKUS, { cpus: 8, memoryBytes: 32e9 })).toMatchObject({ sku: 'gpu-a40-small', alternatives: ['gpu-a40-large'] });
  });

  it('a count Replicate does not offer is no exact match; the nearest uses fewer GPUs', () => {
    const m = matchSku(many(3, 'NVIDIA L40S', 46068));
    expect(m).toMatchObject({ kind: 'nearest', sku: null, nearest: 'gpu-l40s-2x' });
    expect(m.sentence).toContain('using 2 of the 3 GPUs');
    expect(matchSku(many(2, 'Tesla T4', 15360))).toMatchObject({ kind: 'nearest', nearest: 'gpu-t4' });
  });

  it('an H200 matches exactly once the API lists gpu-h200', () => {
    const table = mergeHardwareList([{ name: 'Nvidia H200 GPU', sku: 'gpu-h200' }]);
    expect(matchSku([gpu('NVIDIA H200', 143771)], table)).toMatchObject({ kind: 'exact', sku: 'gpu-h200' });
  });
});

describe('mixed GPUs', () => {
  it('describes each kind and matches none', () => {
    const m = matchSku([gpu('NVIDIA GeForce RTX 4090', 24564, 0), gpu('NVIDIA GeForce RTX 3060', 12288, 1)]);
    expect(m.kind).toBe('mixed');
    expect(m.sku).toBeNull();
    expect(m.groups.map((g) => [g.name, g.count, g.indices])).toEqual([
      ['NVIDIA GeForce RTX 4090', 1, [0]],
      ['NVIDIA GeForce RTX 3060', 1, [1]],
    ]);
    expect(m.sentence).toBe(
      'Mixed GPUs: 1 × NVIDIA GeForce RTX 4090 (24 GB), 1 × NVIDIA GeForce RTX 3060 (12 GB). No Replicate SKU mixes GPU kinds. On its own, the NVIDIA GeForce RTX 4090 is nearest to gpu-t4.',
    );
    expect(m.nearest).toBe('gpu-t4');
  });

  it('says which part matches a SKU on its own', () => {
    const m = matchSku([gpu('NVIDIA GeForce RTX 4090', 24564, 0), ...many(2, 'NVIDIA H100 80GB HBM3', 81559).map((g, i) => ({ ...g, index: i + 1 }))]);
    expect(m).toMatchObject({ kind: 'mixed', sku: null, nearest: 'gpu-h100-2x' });
    expect(m.sentence).toContain('the 2 × NVIDIA H100 80GB HBM3 match gpu-h100-2x');
  });

  it('groups two spellings of one family together', () => {
    const m = matchSku([gpu('NVIDIA A100-SXM4-80GB', 81920, 0), gpu('A100-SXM4-80GB', 81920, 1)]);
    expect(m).toMatchObject({ kind: 'exact', sku: 'gpu-a100-large-2x' });
  });
});
