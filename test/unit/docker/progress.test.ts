/**
 * Pull progress folded from real engine output. The recordings in ./recorded are the raw bodies of
 * POST /images/create from Docker 20.10 pulling a 4-layer image (3.0 MB, 2.5 MB, 700 kB, 40 kB) from a
 * local registry: fresh, with the base layer already present, already up to date, and through
 * test/helpers/flaky-proxy.ts cutting blob responses after 500 kB (Docker retries and resumes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PullProgressTracker, type PullEvent } from '../../../src/main/core/docker/progress';
import { formatBytes } from '../../../src/shared/format';
import type { PullProgress } from '../../../src/shared/domain';

const SIZES = { '9452035c6c6c': 3001235, '003c658f26b0': 2500953, d8588120f7f1: 700403, '91ff2e3a2a9c': 40204 };
const ALL = Object.values(SIZES).reduce((a, b) => a + b, 0);

function recorded(name: string): PullEvent[] {
  return readFileSync(join(__dirname, 'recorded', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PullEvent);
}

function replay(events: PullEvent[]): { tracker: PullProgressTracker; snaps: PullProgress[] } {
  const tracker = new PullProgressTracker('127.0.0.1:5190/exp/multi:latest');
  const snaps = [tracker.snapshot()];
  for (const e of events) {
    tracker.apply(e);
    snaps.push(tracker.snapshot());
  }
  return { tracker, snaps };
}

/** Percents only go up, and once shown never turn back to unknown. */
function expectSane(snaps: PullProgress[]): void {
  let last: number | null = null;
  for (const s of snaps) {
    if (last !== null) expect(s.percent).not.toBeNull();
    if (s.percent !== null) {
      expect(Number.isFinite(s.percent)).toBe(true);
      expect(s.percent).toBeGreaterThanOrEqual(last ?? 0);
      expect(s.percent).toBeLessThanOrEqual(100);
    }
    expect(s.bytesDone).toBeLessThanOrEqual(s.bytesTotal);
    expect(s.layers.done).toBeLessThanOrEqual(s.layers.total);
    expect(s.message).not.toMatch(/NaN|undefined|null/);
    last = s.percent;
  }
}

describe('PullProgressTracker on recorded pulls', () => {
  it('a fresh pull: four layers, bytes add up to the layer sizes, phases in order, 100 only at the end', () => {
    const { tracker, snaps } = replay(recorded('multi-fresh.jsonl'));
    expectSane(snaps);
    expect(snaps[0]).toMatchObject({ phase: 'resolving', percent: null, bytesTotal: 0 });
    const beforeFinish = snaps.at(-1)!;
    expect(beforeFinish.layers).toEqual({ total: 4, done: 4, downloading: 0, extracting: 0, alreadyExists: 0 });
    expect(beforeFinish.bytesTotal).toBe(ALL);
    expect(beforeFinish.bytesDone).toBe(ALL);
    expect(beforeFinish.percent).toBeLessThan(100);
    expect(snaps.some((s) => s.phase === 'downloading' && s.layers.downloading > 0)).toBe(true);
    expect(snaps.some((s) => s.phase === 'extracting' && s.layers.extracting === 1)).toBe(true);
    const order = [...new Set(snaps.map((s) => s.phase))];
    expect(order).toEqual(['resolving', 'downloading', 'extracting']);

    const done = tracker.finish();
    expect(done).toMatchObject({ phase: 'done', percent: 100, bytesDone: ALL, bytesTotal: ALL });
    expect(done.message).toBe('Pulled 4 layers (6.2 MB of 6.2 MB)');
  });

  it('a layer that already exists counts as done and adds no bytes to download', () => {
    const { tracker, snaps } = replay(recorded('multi-base-exists.jsonl'));
    expectSane(snaps);
    const end = tracker.finish();
    expect(end.layers).toMatchObject({ total: 4, done: 4, alreadyExists: 1 });
    expect(end.bytesTotal).toBe(ALL - SIZES['9452035c6c6c']);
    // The existing layer is progress already, as soon as the others' sizes are known.
    const firstPercent = snaps.find((s) => s.percent !== null)!;
    expect(firstPercent.layers.alreadyExists).toBe(1);
    expect(firstPercent.percent).toBeGreaterThan(0);
  });

  it('an image that is up to date has no layers and ends at 100', () => {
    const { tracker, snaps } = replay(recorded('up-to-date.jsonl'));
    expectSane(snaps);
    expect(snaps.at(-1)).toMatchObject({ phase: 'resolving', percent: null, layers: { total: 0 } });
    expect(tracker.finish()).toMatchObject({ phase: 'done', percent: 100, message: 'Image is up to date' });
  });

  it('resumed downloads (Docker reports only the rest after a retry) keep the full layer size', () => {
    const events = recorded('resumed-then-failed.jsonl');
    const { snaps } = replay(events);
    expectSane(snaps);
    // Sizes never shrink to the resumed remainder.
    const maxTotal = Math.max(...snaps.map((s) => s.bytesTotal));
    expect(maxTotal).toBe(ALL);
    expect(snaps.at(-1)!.bytesTotal).toBe(ALL);
    // While Docker waits to retry, the message says so.
    expect(snaps.some((s) => /retrying in \d+ seconds?/.test(s.message))).toBe(true);
    // The stream ends with an error object: that is not a layer event and changes nothing.
    expect(events.at(-1)!.errorDetail?.message).toBe('unexpected EOF');
  });

  it('a cut followed by a missing blob: progress stays sane up to the failure', () => {
    const { snaps } = replay(recorded('cut-then-blob-gone.jsonl'));
    expectSane(snaps);
    expect(snaps.at(-1)!.phase).toBe('downloading');
  });
});

describe('no percent until every layer to download has a known size (issue 11, item 10)', () => {
  it('a fresh pull: bytes only while the waiting layer has not told its size, then a percent that fits the bytes', () => {
    const events = recorded('multi-fresh.jsonl');
    const { snaps } = replay(events);
    // Line 17 is the first Downloading event of 91ff2e3a2a9c, which waited while the three others downloaded.
    expect(events[16]).toMatchObject({ status: 'Downloading', id: '91ff2e3a2a9c' });
    const before = snaps.slice(0, 17);
    expect(before.every((s) => s.percent === null)).toBe(true);
    // Three layers (6.2 MB) are down, so the bytes are shown, without an "of".
    expect(snaps[16].message).toBe('Downloading 4 layers (6.2 MB so far)');
    expect(snaps[17].percent).not.toBeNull();
    expect(snaps[17].percent!).toBeLessThan(100 * (snaps[17].bytesDone / ALL) + 1);
    expect(snaps[17].message).toMatch(/^Downloading 4 layers \(6\.2 MB of 6\.2 MB\)$/);
  });

  it('25.6 MB of a 300 MB image, the big layer still waiting: no percent (it was 85 % before)', () => {
    const t = new PullProgressTracker('x');
    t.apply({ status: 'Pulling fs layer', id: 'small' });
    t.apply({ status: 'Pulling fs layer', id: 'big' });
    t.apply({ status: 'Waiting', id: 'big' });
    t.apply({ status: 'Downloading', id: 'small', progressDetail: { current: 25_600_000, total: 25_600_000 } });
    t.apply({ status: 'Download complete', id: 'small' });
    const early = t.snapshot();
    expect(early.percent).toBeNull();
    expect(early.bytesDone).toBe(25_600_000);
    expect(early.message).toBe('Downloading 2 layers (25.6 MB so far)');
    t.apply({ status: 'Downloading', id: 'big', progressDetail: { current: 0, total: 274_400_000 } });
    const sized = t.snapshot();
    expect(sized.percent).not.toBeNull();
    expect(sized.percent!).toBeLessThan(10);
    expect(sized.message).toBe('Downloading 2 layers (25.6 MB of 300 MB)');
  });

  it('sizes known from the manifest (knowSizes): a percent from the first byte, in step with the bytes', () => {
    const events = recorded('multi-fresh.jsonl');
    const t = new PullProgressTracker('x');
    t.knowSizes(Object.fromEntries(Object.entries(SIZES).map(([id, size]) => [`sha256:${id}${'0'.repeat(52)}`, size])));
    expect(t.snapshot()).toMatchObject({ phase: 'resolving', percent: null, layers: { total: 0 } });
    const snaps = events.map((e) => (t.apply(e), t.snapshot()));
    expectSane(snaps);
    // After the four "Pulling fs layer" lines every size is known: 0 %, and the total is the image's.
    expect(snaps[4]).toMatchObject({ percent: 0, bytesTotal: ALL, message: 'Downloading 4 layers (0 B of 6.2 MB)' });
    expect(snaps[15].percent!).toBeGreaterThan(70);
    expect(t.finish()).toMatchObject({ percent: 100, bytesDone: ALL, bytesTotal: ALL });
  });

  it('a layer that is downloaded without telling its size does not hold the percent back', () => {
    const t = new PullProgressTracker('x');
    t.apply({ status: 'Pulling fs layer', id: 'a' });
    t.apply({ status: 'Pulling fs layer', id: 'b' });
    t.apply({ status: 'Download complete', id: 'a' });
    expect(t.snapshot().percent).toBeNull();
    t.apply({ status: 'Downloading', id: 'b', progressDetail: { current: 10, total: 100 } });
    expect(t.snapshot().percent).not.toBeNull();
  });
});

describe('PullProgressTracker edge cases', () => {
  it('ignores non-layer statuses and never makes NaN from odd numbers', () => {
    const t = new PullProgressTracker('x');
    expect(t.apply({ status: 'Pulling from fixtures/echo', id: 'latest' })).toBe(false);
    expect(t.apply({ status: 'Digest: sha256:abc' })).toBe(false);
    expect(t.apply({ status: 'Status: Downloaded newer image for x' })).toBe(false);
    expect(t.snapshot().layers.total).toBe(0);
    t.apply({ status: 'Pulling fs layer', id: 'a', progressDetail: {} });
    t.apply({ status: 'Downloading', id: 'a', progressDetail: { current: 5, total: 0 } });
    t.apply({ status: 'Downloading', id: 'a', progressDetail: { current: Number.NaN, total: Number.NaN } });
    t.apply({ status: 'Extracting', id: 'a', progressDetail: { current: 3 } });
    const s = t.snapshot();
    expect(s.percent === null || Number.isFinite(s.percent)).toBe(true);
    expect(s.bytesTotal).toBe(0);
    expect(s.layers.total).toBe(1);
  });

  it('a layer that skips Downloading (Download complete right away) still moves the percent', () => {
    const t = new PullProgressTracker('x');
    t.apply({ status: 'Pulling fs layer', id: 'a' });
    t.apply({ status: 'Pulling fs layer', id: 'b' });
    t.apply({ status: 'Downloading', id: 'a', progressDetail: { current: 50, total: 100 } });
    const mid = t.snapshot().percent;
    expect(mid).toBeNull(); // b's size is not known yet
    t.apply({ status: 'Download complete', id: 'b' });
    expect(t.snapshot().percent).toBeGreaterThan(0);
    t.apply({ status: 'Pull complete', id: 'a' });
    t.apply({ status: 'Pull complete', id: 'b' });
    expect(t.snapshot().percent).toBe(99);
    expect(t.finish().percent).toBe(100);
  });

  it('late events never move a finished layer back', () => {
    const t = new PullProgressTracker('x');
    t.apply({ status: 'Downloading', id: 'a', progressDetail: { current: 100, total: 100 } });
    t.apply({ status: 'Pull complete', id: 'a' });
    t.apply({ status: 'Downloading', id: 'a', progressDetail: { current: 10, total: 100 } });
    expect(t.snapshot().layers.done).toBe(1);
  });

  it('formats bytes in decimal units like Docker', () => {
    expect(formatBytes(953)).toBe('953 B');
    expect(formatBytes(40204)).toBe('40.2 kB');
    expect(formatBytes(3001235)).toBe('3.0 MB');
    expect(formatBytes(512e6)).toBe('512 MB');
    expect(formatBytes(2.5e9)).toBe('2.5 GB');
  });
});
