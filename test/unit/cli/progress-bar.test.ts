/**
 * The CLI's pull progress line, fed by the tracker over a recorded engine stream: bytes without a percent
 * while a layer's size is unknown (issue 11, item 10), then a bar with the percent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { progressLine, progressReporter } from '../../../src/main/cli/progress-bar';
import { PullProgressTracker, type PullEvent } from '../../../src/main/core/docker/progress';

function lines(name: string): string[] {
  const tracker = new PullProgressTracker('127.0.0.1:5190/exp/multi:latest');
  const events = readFileSync(join(__dirname, '../docker/recorded', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PullEvent);
  return events.map((e) => (tracker.apply(e), progressLine(tracker.snapshot()))).concat(progressLine(tracker.finish()));
}

describe('progressLine', () => {
  it('a fresh pull: no percent until the waiting layer tells its size, then percents that end at 100', () => {
    const all = lines('multi-fresh.jsonl');
    // Events 1-16: the fourth layer (40 kB) waits while 6.2 MB of the others arrive.
    for (const line of all.slice(0, 16)) expect(line).not.toMatch(/%/);
    expect(all[15]).toBe('[                        ]      6.2 MB so far, 0/4 layers downloading');
    for (const line of all.slice(16)) expect(line).toMatch(/^\[[#-]{24}\] +\d+% /);
    expect(all.at(-1)).toBe('[########################] 100% 6.2 MB/6.2 MB, 4/4 layers done');
  });

  it('before any layer is known: the engine\'s words, no percent', () => {
    const t = new PullProgressTracker('x');
    t.apply({ status: 'Pulling from fixtures/echo', id: 'latest' });
    expect(progressLine(t.snapshot())).toBe('[                        ]      Resolving layers resolving');
  });
});

describe('speed, time left, and a percent that agrees with the bytes', () => {
  const progress = (bytesDone: number, bytesTotal: number, percent: number | null): import('../../../src/shared/domain').PullProgress => ({
    ref: 'x',
    phase: 'downloading',
    layers: { total: 2, done: 0, downloading: 2, extracting: 0, alreadyExists: 0 },
    bytesDone,
    bytesTotal,
    percent,
    message: '',
  });

  it('the percent shown is the bytes done over the bytes in all, whatever the tracker said', () => {
    expect(progressLine(progress(25_000_000, 100_000_000, 40))).toMatch(/^\[######------------------\]  25% 25\.0 MB\/100 MB, 0\/2 layers downloading$/);
  });

  it('a rate adds the speed and the time left; without a known size, the speed only', () => {
    expect(progressLine(progress(25_000_000, 100_000_000, 25), 24, { bytesPerSecond: 5_000_000 })).toMatch(/ 25% 25\.0 MB\/100 MB, 0\/2 layers, 5\.0 MB\/s, 15s left downloading$/);
    expect(progressLine(progress(25_000_000, 0, null), 24, { bytesPerSecond: 5_000_000 })).toMatch(/25\.0 MB so far, 0\/2 layers, 5\.0 MB\/s downloading$/);
  });

  it('the reporter measures the rate on its clock (no rate in the first second)', () => {
    let t = 0;
    const written: string[] = [];
    const stream = { isTTY: true, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
    const reporter = progressReporter(stream, () => t);
    reporter.update(progress(0, 100_000_000, 0));
    t = 500;
    reporter.update(progress(5_000_000, 100_000_000, 5));
    expect(written.at(-1)).not.toMatch(/\/s/);
    t = 2000;
    reporter.update(progress(20_000_000, 100_000_000, 20));
    expect(written.at(-1)).toContain('10.0 MB/s, 8s left');
  });
});
