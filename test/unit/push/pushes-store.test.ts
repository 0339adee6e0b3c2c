/**
 * The push link in SQLite (migration 3): "pushed as owner/name:<version>" per local version; pushing the
 * same again updates when; it goes with its local version; an older database gets the table on open.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/core/store';
import { MIGRATIONS } from '../../../src/main/core/store/migrations';
import { PushStore } from '../../../src/main/core/store/pushes';
import { useTempStore } from '../../helpers/store';

const t = useTempStore();

const V1 = '1'.repeat(64);
const V2 = '2'.repeat(64);
const R1 = 'a'.repeat(64);
const R2 = 'b'.repeat(64);

function register(id: string) {
  return t.store.library.register(
    { id: 'local/model', owner: 'local', name: 'model', repository: 'local/model' },
    { id, modelId: 'local/model', imageRef: `local/model:${id.slice(0, 4)}`, imageId: `sha256:${id}`, cogVersion: '0.15.5', openapiSchema: {}, cogConfig: null, legacyLabels: false, sizeBytes: 1 },
  );
}

describe('pushes (migration 3)', () => {
  it('is migration 3, appended after the catalog cache, and creates the pushes table', () => {
    expect(MIGRATIONS.findIndex((m) => /CREATE TABLE IF NOT EXISTS pushes/.test(m))).toBe(2);
    expect(MIGRATIONS[1]).toMatch(/CREATE TABLE catalog_models/);
    expect(t.store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('records, lists newest first, and updates a push made again', () => {
    register(V1);
    register(V2);
    const pushes = new PushStore(t.store.db);
    const a = pushes.record({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: `r8.im/alice/m@sha256:${R1}`, pushedAt: '2025-01-01T00:00:00.000Z' });
    expect(a).toEqual({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: `r8.im/alice/m@sha256:${R1}`, pushedAt: '2025-01-01T00:00:00.000Z' });
    pushes.record({ versionId: V2, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R2, imageRef: `r8.im/alice/m@sha256:${R2}`, pushedAt: '2025-01-02T00:00:00.000Z' });
    pushes.record({ versionId: V1, registry: 'r8.im', modelId: 'alice/other', remoteVersionId: R1, imageRef: `r8.im/alice/other@sha256:${R1}`, pushedAt: '2025-01-03T00:00:00.000Z' });

    expect(pushes.forVersion(V1).map((l) => l.modelId)).toEqual(['alice/other', 'alice/m']);
    expect(pushes.forModel('r8.im', 'alice/m').map((l) => l.versionId)).toEqual([V2, V1]);
    expect(pushes.byRemoteVersion(R2)?.versionId).toBe(V2);
    expect(pushes.byRemoteVersion('c'.repeat(64))).toBeNull();

    pushes.record({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: `r8.im/alice/m@sha256:${R1}`, pushedAt: '2025-02-01T00:00:00.000Z' });
    expect(pushes.all()).toHaveLength(3);
    expect(pushes.forVersion(V1)[0]).toMatchObject({ modelId: 'alice/m', pushedAt: '2025-02-01T00:00:00.000Z' });
  });

  it('a push of a version that is not in the library cannot be recorded; deleting the version deletes its pushes', () => {
    const pushes = new PushStore(t.store.db);
    expect(() => pushes.record({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: 'x' })).toThrow(/FOREIGN KEY/);
    register(V1);
    pushes.record({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: 'x' });
    t.store.db.prepare('DELETE FROM versions WHERE id = ?').run(V1);
    expect(pushes.all()).toEqual([]);
  });

  it('a database written at schema 2 gets the table when opened, keeping its data', () => {
    const file = `${t.file}.schema2`;
    const old = new Database(file);
    old.exec(MIGRATIONS[0]);
    old.exec(MIGRATIONS[1]);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO models (id, owner, name, repository, created_at) VALUES ('local/model', 'local', 'model', 'local/model', '2025-01-01')").run();
    old
      .prepare("INSERT INTO versions (id, model_id, image_ref, image_id, openapi_schema, created_at) VALUES (?, 'local/model', 'local/model:1', 'sha256:1', '{}', '2025-01-01')")
      .run(V1);
    old.close();
    const reopened = openStore(file);
    try {
      expect(reopened.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(reopened.library.getVersion(V1)).not.toBeNull();
      new PushStore(reopened.db).record({ versionId: V1, registry: 'r8.im', modelId: 'alice/m', remoteVersionId: R1, imageRef: 'x' });
      expect(new PushStore(reopened.db).forVersion(V1)).toHaveLength(1);
    } finally {
      reopened.close();
    }
  });
});
