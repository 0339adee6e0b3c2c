/**
 * The hardware a push created a model with (migration 9): kept per registry and `owner/name`, and what a
 * pushed local version is priced on (the SKU of the model it was last pushed to, where known).
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/core/store';
import { MIGRATIONS } from '../../../src/main/core/store/migrations';
import { ModelHardwareStore } from '../../../src/main/core/store/model-hardware';
import { PushStore } from '../../../src/main/core/store/pushes';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const V1 = '1'.repeat(64);
const V2 = '2'.repeat(64);
const V3 = '3'.repeat(64);
const R = (c: string) => c.repeat(64);

function register(id: string) {
  t.store.library.register(
    { id: 'local/model', owner: 'local', name: 'model', repository: 'local/model' },
    { id, modelId: 'local/model', imageRef: `local/model:${id.slice(0, 4)}`, imageId: `sha256:${id}`, cogVersion: '0.15.5', openapiSchema: {}, cogConfig: null, legacyLabels: false, sizeBytes: 1 },
  );
}

describe('model hardware (migration 9)', () => {
  it('is migration 9 and creates the table', () => {
    expect(MIGRATIONS.findIndex((m) => /CREATE TABLE IF NOT EXISTS model_hardware/.test(m))).toBe(8);
    expect(t.store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('records the SKU per registry and model; creating the model again replaces it', () => {
    const hw = new ModelHardwareStore(t.store.db);
    expect(hw.get('r8.im', 'alice/m')).toBeNull();
    hw.record('r8.im', 'alice/m', 'gpu-t4');
    hw.record('other.example', 'alice/m', 'cpu');
    expect(hw.get('r8.im', 'alice/m')).toBe('gpu-t4');
    hw.record('r8.im', 'alice/m', 'gpu-l40s');
    expect(hw.get('r8.im', 'alice/m')).toBe('gpu-l40s');
    expect(hw.known('r8.im').models).toEqual({ 'alice/m': 'gpu-l40s' });
    expect(hw.known('other.example').models).toEqual({ 'alice/m': 'cpu' });
  });

  it('a pushed local version gets the SKU of the model it was last pushed to, where that is known', () => {
    [V1, V2, V3].forEach(register);
    const pushes = new PushStore(t.store.db);
    const hw = new ModelHardwareStore(t.store.db);
    hw.record('r8.im', 'alice/t4', 'gpu-t4');
    hw.record('r8.im', 'alice/a100', 'gpu-a100-large');
    const push = (versionId: string, modelId: string, remote: string, pushedAt: string) =>
      pushes.record({ versionId, registry: 'r8.im', modelId, remoteVersionId: R(remote), imageRef: `r8.im/${modelId}@sha256:${R(remote)}`, pushedAt });
    push(V1, 'alice/t4', 'a', '2025-01-01T00:00:00.000Z');
    push(V1, 'alice/a100', 'a', '2025-01-02T00:00:00.000Z'); // pushed again elsewhere, later: that model's SKU
    push(V2, 'alice/t4', 'b', '2025-01-01T00:00:00.000Z');
    push(V3, 'alice/not-created-here', 'c', '2025-01-01T00:00:00.000Z'); // a model whose hardware is not known
    expect(hw.known('r8.im')).toEqual({ models: { 'alice/a100': 'gpu-a100-large', 'alice/t4': 'gpu-t4' }, versions: { [V1]: 'gpu-a100-large', [V2]: 'gpu-t4' } });
    // Deleting a version forgets its pushes, not the model's hardware.
    t.store.db.prepare('DELETE FROM versions WHERE id = ?').run(V2);
    expect(hw.known('r8.im').versions).toEqual({ [V1]: 'gpu-a100-large' });
    expect(hw.get('r8.im', 'alice/t4')).toBe('gpu-t4');
  });

  it('a database written at schema 8 gets the table when opened', () => {
    const file = `${t.file}.schema8`;
    const old = new Database(file);
    for (const m of MIGRATIONS.slice(0, 8)) old.exec(m);
    old.pragma('user_version = 8');
    old.close();
    const store = openStore(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      new ModelHardwareStore(store.db).record('r8.im', 'alice/m', 'cpu');
      expect(new ModelHardwareStore(store.db).get('r8.im', 'alice/m')).toBe('cpu');
    } finally {
      store.close();
    }
  });
});
