import { describe, expect, it } from 'vitest';
import { countOf, secondsBetween } from '../../../src/renderer/src/lib/format';

describe('countOf', () => {
  it('says a count as a person does: 1 version, 2 versions, 0 predictions', () => {
    expect(countOf(1, 'version')).toBe('1 version');
    expect(countOf(2, 'version')).toBe('2 versions');
    expect(countOf(0, 'prediction')).toBe('0 predictions');
  });
});

describe('secondsBetween', () => {
  it('counts to now from a start stamped by a clock ahead of this one (a run on Replicate) as 0, not a negative time', () => {
    const now = Date.parse('2026-12-06T05:00:00.000Z');
    expect(secondsBetween('2026-12-06T05:00:00.002Z', null, now)).toBe(0);
    expect(secondsBetween('2026-12-06T04:59:58.500Z', null, now)).toBe(1.5);
    expect(secondsBetween('2026-12-06T05:00:01.000Z', '2026-12-06T05:00:03.000Z', now)).toBe(2);
  });
});
