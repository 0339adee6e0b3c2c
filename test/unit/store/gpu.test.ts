/** Migration 7: what each version held on a GPU (the most seen), and the GPUs a model is pinned to; both go with their version or model. */
import { describe, expect, it } from 'vitest';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();
const hex = (c: string) => c.repeat(64);

function register(modelId: string, versionId: string) {
  return t.store.library.register(
    { id: modelId, owner: 'fixtures', name: modelId.split('/')[1]!, repository: modelId },
    {
      id: versionId,
      modelId,
      imageRef: `${modelId}:latest`,
      imageId: `sha256:${hex('9')}`,
      cogVersion: '0.15.5',
      openapiSchema: { openapi: '3.0.2' },
      cogConfig: { build: { gpu: true } },
      legacyLabels: false,
      sizeBytes: 1,
    },
  );
}

describe('GPU memory per version', () => {
  it('keeps the most seen, survives a restart, and goes with its version', () => {
    register('fixtures/gpu', hex('a'));
    expect(t.store.gpu.memory(hex('a'))).toBeNull();
    t.store.gpu.recordMemory(hex('a'), 20480, 'NVIDIA GeForce RTX 4090');
    t.store.gpu.recordMemory(hex('a'), 18000, 'NVIDIA GeForce RTX 4090');
    expect(t.store.gpu.memory(hex('a'))).toMatchObject({ usedMiB: 20480, gpuName: 'NVIDIA GeForce RTX 4090' });
    t.store.gpu.recordMemory(hex('a'), 18000, null, true);
    expect(t.reopen().gpu.memory(hex('a'))).toMatchObject({ usedMiB: 18000 });
    // A version that is not (or no longer) here is never recorded.
    t.store.gpu.recordMemory(hex('b'), 100, null);
    expect(t.store.gpu.memory(hex('b'))).toBeNull();
    t.store.library.deleteVersion(hex('a'));
    expect(t.store.gpu.memory(hex('a'))).toBeNull();
  });
});

describe('GPU pins per model', () => {
  it('pins, reads by version, unpins with an empty list', () => {
    register('fixtures/gpu', hex('a'));
    expect(t.store.gpu.pins('fixtures/gpu')).toEqual([]);
    t.store.gpu.setPins('fixtures/gpu', ['GPU-1', 'GPU-0', 'GPU-1']);
    expect(t.store.gpu.pins('fixtures/gpu')).toEqual(['GPU-1', 'GPU-0']);
    expect(t.store.gpu.pinsOfVersion(hex('a'))).toEqual(['GPU-1', 'GPU-0']);
    t.store.gpu.setPins('fixtures/gpu', []);
    expect(t.reopen().gpu.pins('fixtures/gpu')).toEqual([]);
  });
});
