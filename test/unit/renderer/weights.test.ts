/**
 * Kept weights as the window shows them, pure (src/renderer/src/lib/weights.ts): added up per version (a
 * version may have several, one per environment or GPU request) and in all, and the lines the Library and
 * Settings show.
 */
import { describe, expect, it } from 'vitest';
import type { KeptWeightsInfo } from '../../../src/shared/domain';
import { keptByVersion, keptLine, keptSummary, keptTotal } from '../../../src/renderer/src/lib/weights';

const at = '2026-06-30T12:00:00.000Z';
const kept: KeptWeightsInfo[] = [
  { versionId: 'v1', bytes: 4_200_000, setupMs: 3000, createdAt: at },
  { versionId: 'v2', bytes: 1_000_000_000, setupMs: 190_000, createdAt: at },
  { versionId: 'v1', bytes: 800_000, setupMs: 2000, createdAt: at },
];

describe('kept weights in the window', () => {
  it('adds up per version and in all', () => {
    expect(keptByVersion(kept)).toEqual({ v1: 5_000_000, v2: 1_000_000_000 });
    expect(keptTotal(kept)).toEqual({ bytes: 1_005_000_000, versions: 2 });
    expect(keptByVersion([])).toEqual({});
    expect(keptTotal([])).toEqual({ bytes: 0, versions: 0 });
  });

  it('a version reads "weights kept: 4.2 MB"; Settings the total, or that nothing is kept', () => {
    expect(keptLine(4_200_000)).toBe('weights kept: 4.2 MB');
    expect(keptLine(4_200_000_000)).toBe('weights kept: 4.2 GB');
    expect(keptSummary(kept)).toBe('1.0 GB kept for 2 versions.');
    expect(keptSummary(kept.slice(0, 1))).toBe('4.2 MB kept for 1 version.');
    expect(keptSummary([])).toBe('No weights are kept now.');
  });
});
