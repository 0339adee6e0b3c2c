/** Replicate's SKU table (every row of reference/hardware.md), both spellings, and the merge of GET /v1/hardware. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SKUS, findSku, mergeHardwareList, normalizeSku, otherSpellings, parseSku } from '../../../src/main/core/hardware/skus';

// reference/hardware.md, "Replicate's hardware SKUs": sku, GPU, count, GB per GPU, CPUs, RAM GB.
const ROWS: Array<[string, string | null, number, number | null, number | null, number | null]> = [
  ['cpu-small', null, 0, null, 1, 2],
  ['cpu', null, 0, null, 4, 8],
  ['gpu-t4', 'T4', 1, 16, 4, 16],
  ['gpu-a40-small', 'A40', 1, 48, 4, 16],
  ['gpu-a40-large', 'A40', 1, 48, 10, 72],
  ['gpu-a40-large-2x', 'A40', 2, 48, null, null],
  ['gpu-a40-large-4x', 'A40', 4, 48, null, null],
  ['gpu-a40-large-8x', 'A40', 8, 48, null, null],
  ['gpu-l40s', 'L40S', 1, 48, 10, 65],
  ['gpu-l40s-2x', 'L40S', 2, 48, 20, 144],
  ['gpu-l40s-4x', 'L40S', 4, 48, null, null],
  ['gpu-l40s-8x', 'L40S', 8, 48, null, null],
  ['gpu-a100-large', 'A100 80GB', 1, 80, 10, 144],
  ['gpu-a100-large-2x', 'A100 80GB', 2, 80, null, null],
  ['gpu-a100-large-4x', 'A100 80GB', 4, 80, null, null],
  ['gpu-a100-large-8x', 'A100 80GB', 8, 80, null, null],
  ['gpu-h100', 'H100', 1, 80, 13, 72],
  ['gpu-h100-2x', 'H100', 2, 80, null, null],
  ['gpu-h100-4x', 'H100', 4, 80, null, null],
  ['gpu-h100-8x', 'H100', 8, 80, null, null],
];

describe('the built-in table', () => {
  it('has exactly the rows of the reference', () => {
    expect(BUILTIN_SKUS.map((s) => s.sku)).toEqual(ROWS.map((r) => r[0]));
  });

  it.each(ROWS)('%s: %s × %i, %s GB each, %s CPUs, %s GB RAM', (sku, gpu, count, gb, cpus, ram) => {
    const s = findSku(sku)!;
    expect(s).toMatchObject({ sku, gpu, gpuCount: count, gpuMemoryGB: gb, cpus, ramGB: ram, source: 'builtin' });
  });

  it.each(ROWS.filter((r) => r[2] > 1))('%s is also found by its other spelling', (sku) => {
    const m = /^gpu-(.+)-(\d)x$/.exec(sku)!;
    const front = `gpu-${m[2]}x-${m[1]}`;
    expect(findSku(front)?.sku).toBe(sku);
    expect(findSku(front.toUpperCase())?.sku).toBe(sku);
  });

  it('knows gpu-2x-l40s, the spelling the reference names', () => {
    expect(findSku('gpu-2x-l40s')?.sku).toBe('gpu-l40s-2x');
    expect(normalizeSku('gpu-2x-l40s')).toBe('gpu-l40s-2x');
    expect(otherSpellings('gpu-l40s-2x')).toEqual(['gpu-2x-l40s']);
    expect(otherSpellings('gpu-t4')).toEqual([]);
  });

  it('finds nothing for SKUs it does not know', () => {
    expect(findSku('gpu-a100-small')).toBeNull();
    expect(findSku('gpu-l40s-3x')).toBeNull();
  });
});

describe('mergeHardwareList (GET /v1/hardware)', () => {
  // What the API answered (reference/replicate-recorded/hardware.list.json).
  const recorded = [
    { sku: 'cpu', name: 'CPU' },
    { sku: 'gpu-t4', name: 'Nvidia T4 GPU' },
    { sku: 'gpu-a40-small', name: 'Nvidia A40 GPU' },
    { sku: 'gpu-a40-large', name: 'Nvidia A40 (Large) GPU' },
  ];

  it('marks listed SKUs as from the API and keeps the rest', () => {
    const table = mergeHardwareList(recorded);
    expect(table).toHaveLength(BUILTIN_SKUS.length);
    expect(table.filter((s) => s.source === 'api').map((s) => s.sku)).toEqual(['cpu', 'gpu-t4', 'gpu-a40-small', 'gpu-a40-large']);
    expect(findSku('gpu-a40-large', table)).toMatchObject({ name: 'Nvidia A40 (Large) GPU', gpu: 'A40', gpuCount: 1, gpuMemoryGB: 48, cpus: 10 });
    expect(findSku('gpu-h100', table)?.source).toBe('builtin');
  });

  it("takes the API's spelling of a known SKU and still finds the other", () => {
    const table = mergeHardwareList([{ name: '2x Nvidia L40S GPU', sku: 'gpu-2x-l40s' }]);
    const s = findSku('gpu-l40s-2x', table)!;
    expect(s).toMatchObject({ sku: 'gpu-2x-l40s', name: '2x Nvidia L40S GPU', gpu: 'L40S', gpuCount: 2, source: 'api' });
    expect(s.aliases).toContain('gpu-l40s-2x');
    expect(findSku('gpu-2x-l40s', table)).toBe(s);
    expect(table.filter((e) => e.gpu === 'L40S' && e.gpuCount === 2)).toHaveLength(1);
  });

  it('adds SKUs it did not know, read from their names', () => {
    const table = mergeHardwareList([
      { name: 'Nvidia H200 GPU', sku: 'gpu-h200' },
      { name: '4x Nvidia H200 GPU', sku: 'gpu-4x-h200' },
      { name: 'Nvidia A100 (40GB) GPU', sku: 'gpu-a100-small' },
      { name: 'Nvidia B200 GPU', sku: 'gpu-b200-8x' },
    ]);
    expect(findSku('gpu-h200', table)).toMatchObject({ gpu: 'H200', gpuCount: 1, gpuMemoryGB: 141, source: 'api' });
    expect(findSku('gpu-h200-4x', table)).toMatchObject({ sku: 'gpu-4x-h200', gpu: 'H200', gpuCount: 4 });
    expect(findSku('gpu-a100-small', table)).toMatchObject({ gpu: 'A100 40GB', gpuMemoryGB: 40 });
    expect(findSku('gpu-b200-8x', table)).toMatchObject({ gpu: 'B200', gpuCount: 8, gpuMemoryGB: null });
  });

  it('does not change the table it was given, and skips entries without a sku', () => {
    const before = JSON.stringify(BUILTIN_SKUS);
    mergeHardwareList([{ name: 'X', sku: 'gpu-t4' }, { name: 'nothing', sku: '' }, null as unknown as { name: string; sku: string }]);
    expect(JSON.stringify(BUILTIN_SKUS)).toBe(before);
  });

  it('parseSku reads CPU SKUs as GPU-less', () => {
    expect(parseSku('cpu-large', 'CPU (large)')).toMatchObject({ gpu: null, gpuCount: 0 });
  });
});
