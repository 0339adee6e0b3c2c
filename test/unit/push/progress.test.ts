/**
 * The push progress: the engine's per-layer push events (as Docker 20.10+ writes them) folded into one
 * value with layer counts, already-present layers counted apart, bytes, a percent that only goes up, the
 * digest, and the phases preparing -> pushing -> processing -> done.
 */
import { describe, expect, it } from 'vitest';
import { PushProgressTracker, type PushEvent } from '../../../src/main/core/push/progress';

const REF = '127.0.0.1:5101/cogdesk/m';
const DIGEST = 'sha256:' + '9'.repeat(64);

/** A real push's events: two base layers mounted from another repository, one already there, one uploaded. */
const EVENTS: PushEvent[] = [
  { status: 'The push refers to repository [127.0.0.1:5101/cogdesk/m]' },
  { status: 'Preparing', progressDetail: {}, id: 'aaaa' },
  { status: 'Preparing', progressDetail: {}, id: 'bbbb' },
  { status: 'Preparing', progressDetail: {}, id: 'cccc' },
  { status: 'Preparing', progressDetail: {}, id: 'dddd' },
  { status: 'Waiting', progressDetail: {}, id: 'dddd' },
  { status: 'Mounted from private/echo', progressDetail: {}, id: 'bbbb' },
  { status: 'Layer already exists', progressDetail: {}, id: 'cccc' },
  { status: 'Pushing', progressDetail: { current: 512, total: 4000 }, progress: '[>   ]', id: 'aaaa' },
  { status: 'Pushing', progressDetail: { current: 2000, total: 4000 }, progress: '[==> ]', id: 'aaaa' },
  { status: 'Mounted from private/echo', progressDetail: {}, id: 'dddd' },
  { status: 'Pushing', progressDetail: { current: 4000, total: 4000 }, progress: '[====]', id: 'aaaa' },
  { status: 'Pushed', progressDetail: {}, id: 'aaaa' },
  { status: `latest: digest: ${DIGEST} size: 1156` },
  { progressDetail: {}, aux: { Tag: 'latest', Digest: DIGEST, Size: 1156 } },
];

describe('PushProgressTracker', () => {
  it('folds a push: layers, already-present layers, bytes, digest, a percent that only goes up', () => {
    const t = new PushProgressTracker(REF);
    expect(t.snapshot()).toMatchObject({ ref: REF, phase: 'preparing', percent: 0, message: 'Contacting the registry' });
    const seen = EVENTS.map((e) => (t.apply(e), t.snapshot()));
    const percents = seen.map((s) => s.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(seen[4]).toMatchObject({ phase: 'preparing', layers: { total: 4, done: 0, pushing: 0, alreadyExists: 0 }, message: 'Preparing 4 layers' });
    expect(seen[9]).toMatchObject({ phase: 'pushing', layers: { total: 4, done: 2, pushing: 1, alreadyExists: 2 }, bytesDone: 2000, bytesTotal: 4000 });
    expect(seen[9].message).toBe('Pushing 2 layers (2.0 kB of 4.0 kB), 2 already there');

    const last = t.snapshot();
    expect(last).toMatchObject({ phase: 'pushing', layers: { total: 4, done: 4, pushing: 0, alreadyExists: 3 }, bytesDone: 4000, bytesTotal: 4000 });
    expect(last.percent).toBeLessThan(95);
    expect(t.digest).toBe(DIGEST);
    expect(t.manifestSize).toBe(1156);

    expect(t.processing()).toMatchObject({ phase: 'processing', percent: 95, message: 'Pushed; waiting for Replicate to make the version' });
    expect(t.finish()).toMatchObject({ phase: 'done', percent: 100, message: 'Pushed 1 layer, 3 already there' });
  });

  it('a retry (the upload broke) starts the layer over and says so; later events go on', () => {
    const t = new PushProgressTracker(REF);
    t.apply({ status: 'Preparing', id: 'aaaa' });
    t.apply({ status: 'Pushing', progressDetail: { current: 3000, total: 4000 }, id: 'aaaa' });
    const before = t.snapshot();
    expect(before.bytesDone).toBe(3000);
    expect(t.apply({ status: 'Retrying in 5 seconds', id: 'aaaa' })).toBe(true);
    const retrying = t.snapshot();
    expect(retrying.bytesDone).toBe(0);
    expect(retrying.percent).toBe(before.percent); // never backwards
    expect(retrying.message).toBe('Upload interrupted; retrying in 5 seconds');
    t.apply({ status: 'Pushing', progressDetail: { current: 1000, total: 4000 }, id: 'aaaa' });
    expect(t.snapshot().message).toMatch(/^Pushing 1 layer \(1\.0 kB of 4\.0 kB\)$/);
  });

  it('every layer already there: done says so; unknown events and a finished layer\'s late events change nothing', () => {
    const t = new PushProgressTracker(REF);
    t.apply({ status: 'Preparing', id: 'aaaa' });
    t.apply({ status: 'Layer already exists', id: 'aaaa' });
    expect(t.apply({ status: 'Pushing', progressDetail: { current: 1, total: 2 }, id: 'aaaa' })).toBe(false);
    expect(t.apply({ status: 'Something new', id: 'aaaa' })).toBe(false);
    expect(t.apply({})).toBe(false);
    expect(t.finish()).toMatchObject({ layers: { total: 1, done: 1, alreadyExists: 1 }, message: 'Pushed (every layer was already there)' });
  });

  it('takes the digest from the summary line when there is no aux', () => {
    const t = new PushProgressTracker(REF);
    t.apply({ status: `latest: digest: ${DIGEST} size: 528` });
    expect(t.digest).toBe(DIGEST);
    expect(t.manifestSize).toBe(528);
  });
});
