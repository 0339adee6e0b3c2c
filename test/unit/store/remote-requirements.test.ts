import { describe, expect, it } from 'vitest';
import { RemoteRequirementStore } from '../../../src/main/core/store/remote-requirements';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const V = 'a'.repeat(64);

describe('RemoteRequirementStore (migration 4): what a Replicate version needs, kept for good', () => {
  it('keeps a version\'s cog.yaml and GPU need across a restart', () => {
    const s = new RemoteRequirementStore(t.store.db);
    expect(s.get(V)).toBeNull();
    s.put({ versionId: V, modelId: 'owner/name', imageRef: `r8.im/owner/name@sha256:${V}`, gpu: true, cogConfig: { build: { gpu: true } }, checkedAt: '2026-01-02T03:04:05.000Z' });
    const again = new RemoteRequirementStore(t.reopen().db);
    expect(again.get(V)).toEqual({
      versionId: V,
      modelId: 'owner/name',
      imageRef: `r8.im/owner/name@sha256:${V}`,
      gpu: true,
      cogConfig: { build: { gpu: true } },
      checkedAt: '2026-01-02T03:04:05.000Z',
    });
  });

  it('an image without a cog.yaml label is kept as such (gpu null), and a second put replaces the first', () => {
    const s = new RemoteRequirementStore(t.store.db);
    s.put({ versionId: V, modelId: 'a/b', imageRef: 'x', gpu: null, cogConfig: null });
    expect(s.get(V)).toMatchObject({ gpu: null, cogConfig: null });
    s.put({ versionId: V, modelId: 'a/b', imageRef: 'x', gpu: false, cogConfig: { build: { gpu: false } } });
    expect(s.get(V)).toMatchObject({ gpu: false, cogConfig: { build: { gpu: false } } });
  });
});
