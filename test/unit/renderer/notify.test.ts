import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../../src/main/core/settings';
import { DEFAULT_SETTINGS } from '../../../src/shared/domain';
import { notificationFor, type FinishedWork } from '../../../src/renderer/src/lib/notify';

const away = { focused: false, enabled: true };
const prediction = (outcome: FinishedWork['outcome'], error: string | null = null): FinishedWork => ({ kind: 'prediction', model: 'acme/sdxl', id: 'p1', outcome, error });

describe('a desktop notification when long work ends in the background', () => {
  it('a prediction notifies only past 30 s, only in the background, only with the setting on', () => {
    expect(notificationFor(prediction('succeeded'), { ...away, durationMs: 45_000 })).toEqual({
      title: 'acme/sdxl: prediction done',
      body: 'Succeeded in 45.0 s. Click to see the output.',
      tag: 'prediction:p1',
    });
    expect(notificationFor(prediction('succeeded'), { ...away, durationMs: 30_000 })).toBeNull();
    expect(notificationFor(prediction('succeeded'), { ...away, durationMs: 12_000 })).toBeNull();
    expect(notificationFor(prediction('succeeded'), { ...away, durationMs: 45_000, focused: true })).toBeNull();
    expect(notificationFor(prediction('succeeded'), { ...away, durationMs: 45_000, enabled: false })).toBeNull();
  });

  it("a failed prediction says why, in the error's first line", () => {
    expect(notificationFor(prediction('failed', 'CUDA out of memory\nTraceback ...'), { ...away, durationMs: 125_000 })).toEqual({
      title: 'acme/sdxl: prediction failed',
      body: 'After 2 min 5 s: CUDA out of memory',
      tag: 'prediction:p1',
    });
  });

  it('pulls and pushes notify whatever their length; a cancel (the person did it) never does', () => {
    const pull: FinishedWork = { kind: 'pull', ref: 'r8.im/acme/sdxl', outcome: 'succeeded' };
    expect(notificationFor(pull, { ...away, durationMs: 800 })).toEqual({ title: 'Pulled r8.im/acme/sdxl', body: 'Ready to run in the Playground.', tag: 'pull:r8.im/acme/sdxl' });
    expect(notificationFor({ ...pull, outcome: 'failed', error: 'No space left on device' }, { ...away, durationMs: 800 })).toMatchObject({
      title: 'Pull failed: r8.im/acme/sdxl',
      body: 'No space left on device',
    });
    expect(notificationFor({ ...pull, outcome: 'canceled' }, { ...away, durationMs: 90_000 })).toBeNull();
    expect(notificationFor(pull, { ...away, durationMs: 90_000, focused: true })).toBeNull();
    const push: FinishedWork = { kind: 'push', model: 'r8.im/me/model', outcome: 'succeeded', url: 'https://replicate.com/me/model' };
    expect(notificationFor(push, { ...away, durationMs: 60_000 })).toMatchObject({ title: 'Pushed r8.im/me/model', body: 'Published on Replicate: https://replicate.com/me/model' });
    expect(notificationFor({ ...push, outcome: 'failed', error: 'unauthorized' }, { ...away, durationMs: 1 })).toMatchObject({ title: 'Push failed: r8.im/me/model', body: 'unauthorized' });
    expect(notificationFor(push, { ...away, durationMs: 60_000, enabled: false })).toBeNull();
  });

  it('the setting is on by default, and saved only as true or false', () => {
    expect(DEFAULT_SETTINGS.notifyWhenDone).toBe(true);
    expect(() => validateSettings({ notifyWhenDone: false })).not.toThrow();
    expect(() => validateSettings({ notifyWhenDone: 'no' as unknown as boolean })).toThrow(/notifyWhenDone must be true or false/);
  });
});
