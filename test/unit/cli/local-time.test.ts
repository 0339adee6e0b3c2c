/** Tables show local time (format.ts): a timestamp near midnight UTC falls on another local day east of UTC. */
import { afterEach, describe, expect, it } from 'vitest';
import { localDay, localTime, utcOffset } from '../../../src/main/cli/format';

const saved = process.env.TZ;
afterEach(() => {
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
});

describe('local time in tables', () => {
  it("shows this machine's time and date, not UTC's", () => {
    process.env.TZ = 'Asia/Kolkata';
    const at = '2026-12-05T20:00:00.000Z';
    expect(localTime(at)).toBe('2026-12-06 01:30:00');
    expect(localDay(at)).toBe('2026-12-06');
    expect(utcOffset(new Date(at))).toBe('UTC+05:30');
    expect(localDay(null)).toBe('-');
    expect(localTime(undefined)).toBe('-');
  });
});
