import { describe, expect, it } from 'vitest';
import { parseDuration, parsePreferWait } from '../../../src/main/core/api-server/prefer';

describe('Prefer: wait', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['respond-async', null],
    ['wait', 60],
    ['WAIT', 60],
    ['wait=5', 5],
    ['wait=60', 60],
    ['wait=1', 1],
    // A preference, bent into range rather than refused (the JS client sends wait=N for any timeout).
    ['wait=0', 1],
    ['wait=120', 60],
    ['wait=2.5', 3],
    ['wait=abc', 60],
    ['respond-async, wait=10', 10],
    ['handling=lenient; x=1, wait="7"', 7],
    [['return=minimal', 'wait=4'], 4],
  ])('%j -> %j', (header, seconds) => {
    expect(parsePreferWait(header)).toBe(seconds);
  });
});

describe('Cancel-After durations', () => {
  it.each([
    ['30', 30_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m45s', 5_445_000],
    ['2h30m', 9_000_000],
    [' 90S ', 90_000],
    ['1.5m', 90_000],
    ['', null],
    ['5 minutes', null],
    ['m', null],
    ['-5s', null],
    ['30s5m', null],
  ])('%j -> %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});
