import { describe, expect, it } from 'vitest';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const hex = (c: string) => c.repeat(64);
const MODEL = '127.0.0.1:5100/fixtures/coglet-echo-c4';

function register(versionId: string) {
  return t.store.library.register(
    { id: MODEL, owner: 'fixtures', name: 'coglet-echo-c4', repository: MODEL },
    { id: versionId, modelId: MODEL, imageRef: `${MODEL}:latest`, imageId: `sha256:${hex('9')}`, cogVersion: '0.22.0', openapiSchema: {}, cogConfig: null, legacyLabels: false, sizeBytes: 1 },
  );
}

describe("model settings: a person's own concurrency per local model", () => {
  it('has none until set; is kept across a restart; is read for any version of the model; goes back to none', () => {
    register(hex('a'));
    register(hex('b'));
    expect(t.store.modelSettings.get(MODEL)).toEqual({ modelId: MODEL, concurrency: null, localOnly: false });
    expect(t.store.modelSettings.concurrencyOfVersion(hex('a'))).toBeNull();
    expect(t.store.modelSettings.update(MODEL, { concurrency: 3 })).toEqual({ modelId: MODEL, concurrency: 3, localOnly: false });
    const again = t.reopen();
    expect(again.modelSettings.get(MODEL).concurrency).toBe(3);
    expect(again.modelSettings.concurrencyOfVersion(hex('a'))).toBe(3);
    expect(again.modelSettings.concurrencyOfVersion(hex('b'))).toBe(3);
    expect(again.modelSettings.concurrencyOfVersion(hex('c'))).toBeNull();
    expect(again.modelSettings.update(MODEL, { concurrency: null }).concurrency).toBeNull();
  });

  it('goes with its model, and the database refuses a limit under 1', () => {
    register(hex('a'));
    t.store.modelSettings.update(MODEL, { concurrency: 2 });
    expect(() => t.store.modelSettings.update(MODEL, { concurrency: 0 })).toThrow(/CHECK constraint/);
    t.store.library.deleteVersion(hex('a')); // the last version: the model goes, and its settings with it
    expect(t.store.db.prepare('SELECT COUNT(*) AS n FROM model_settings').get()).toEqual({ n: 0 });
  });

  it('keeps Local only beside the concurrency, each changed without the other, across a restart', () => {
    register(hex('a'));
    expect(t.store.modelSettings.update(MODEL, { localOnly: true })).toEqual({ modelId: MODEL, concurrency: null, localOnly: true });
    expect(t.store.modelSettings.update(MODEL, { concurrency: 2 })).toEqual({ modelId: MODEL, concurrency: 2, localOnly: true });
    const again = t.reopen();
    expect(again.modelSettings.get(MODEL)).toEqual({ modelId: MODEL, concurrency: 2, localOnly: true });
    expect(again.modelSettings.update(MODEL, { localOnly: false })).toEqual({ modelId: MODEL, concurrency: 2, localOnly: false });
    expect(() => again.db.prepare('UPDATE model_settings SET local_only = 2').run()).toThrow(/CHECK constraint/);
  });
});
