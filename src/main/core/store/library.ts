import type { Model, Version } from '../../../shared/domain';
import type { Db } from './db';
import { fromJson, toJson } from './json';

interface ModelRow {
  id: string;
  owner: string | null;
  name: string;
  repository: string;
  created_at: string;
  latest_version_id: string | null;
  version_count: number;
}

interface VersionRow {
  id: string;
  model_id: string;
  image_ref: string;
  image_id: string;
  cog_version: string | null;
  openapi_schema: string;
  cog_config: string | null;
  legacy_labels: number;
  size_bytes: number | null;
  created_at: string;
}

const MODEL_SELECT = `
  SELECT m.*,
    (SELECT v.id FROM versions v WHERE v.model_id = m.id ORDER BY v.created_at DESC, v.rowid DESC LIMIT 1) AS latest_version_id,
    (SELECT COUNT(*) FROM versions v WHERE v.model_id = m.id) AS version_count
  FROM models m`;

function toModel(r: ModelRow): Model {
  return {
    id: r.id,
    owner: r.owner,
    name: r.name,
    repository: r.repository,
    createdAt: r.created_at,
    latestVersionId: r.latest_version_id,
    versionCount: r.version_count,
  };
}

function toVersion(r: VersionRow): Version {
  return {
    id: r.id,
    modelId: r.model_id,
    imageRef: r.image_ref,
    imageId: r.image_id,
    cogVersion: r.cog_version,
    openapiSchema: fromJson(r.openapi_schema, {}),
    cogConfig: fromJson(r.cog_config, null),
    legacyLabels: r.legacy_labels === 1,
    sizeBytes: r.size_bytes,
    createdAt: r.created_at,
  };
}

/** Models and their versions: what has been pulled or found on this machine. */
export class LibraryStore {
  constructor(private readonly db: Db) {}

  /** Records a model and one of its versions; registering the same version again updates it. */
  register(model: Pick<Model, 'id' | 'owner' | 'name' | 'repository'>, version: Omit<Version, 'createdAt'> & { createdAt?: string }): Version {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO models (id, owner, name, repository, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET repository = excluded.repository`,
        )
        .run(model.id, model.owner, model.name, model.repository, now);
      this.db
        .prepare(
          `INSERT INTO versions (id, model_id, image_ref, image_id, cog_version, openapi_schema, cog_config, legacy_labels, size_bytes, created_at)
           VALUES (@id, @model_id, @image_ref, @image_id, @cog_version, @openapi_schema, @cog_config, @legacy_labels, @size_bytes, @created_at)
           ON CONFLICT(id) DO UPDATE SET image_ref = excluded.image_ref, image_id = excluded.image_id,
             cog_version = excluded.cog_version, openapi_schema = excluded.openapi_schema,
             cog_config = excluded.cog_config, legacy_labels = excluded.legacy_labels, size_bytes = excluded.size_bytes`,
        )
        .run({
          id: version.id,
          model_id: model.id,
          image_ref: version.imageRef,
          image_id: version.imageId,
          cog_version: version.cogVersion,
          openapi_schema: JSON.stringify(version.openapiSchema),
          cog_config: toJson(version.cogConfig),
          legacy_labels: version.legacyLabels ? 1 : 0,
          size_bytes: version.sizeBytes,
          created_at: version.createdAt ?? now,
        });
    })();
    return this.getVersion(version.id)!;
  }

  listModels(): Model[] {
    return (this.db.prepare(`${MODEL_SELECT} ORDER BY m.created_at DESC, m.rowid DESC`).all() as ModelRow[]).map(toModel);
  }

  getModel(id: string): Model | null {
    const row = this.db.prepare(`${MODEL_SELECT} WHERE m.id = ?`).get(id) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  /** Finds a model by its id, or by a name that ends its id (`echo` or `fixtures/echo`). */
  findModel(nameOrId: string): Model | null {
    const exact = this.getModel(nameOrId);
    if (exact) return exact;
    const rows = this.db
      .prepare(`${MODEL_SELECT} WHERE substr(m.id, -length(@name) - 1) = '/' || @name ORDER BY m.created_at DESC`)
      .all({ name: nameOrId }) as ModelRow[];
    return rows.length === 1 ? toModel(rows[0]) : null;
  }

  listVersions(modelId: string): Version[] {
    return (
      this.db.prepare('SELECT * FROM versions WHERE model_id = ? ORDER BY created_at DESC, rowid DESC').all(modelId) as VersionRow[]
    ).map(toVersion);
  }

  getVersion(id: string): Version | null {
    const row = this.db.prepare('SELECT * FROM versions WHERE id = ?').get(id) as VersionRow | undefined;
    return row ? toVersion(row) : null;
  }

  /** Forgets a version, and its model when no version is left; predictions keep their history. */
  deleteVersion(id: string): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT model_id FROM versions WHERE id = ?').get(id) as { model_id: string } | undefined;
      if (!row) return false;
      this.db.prepare('DELETE FROM versions WHERE id = ?').run(id);
      this.db
        .prepare('DELETE FROM models WHERE id = ? AND NOT EXISTS (SELECT 1 FROM versions WHERE model_id = ?)')
        .run(row.model_id, row.model_id);
      return true;
    })();
  }

  /** The newest version recorded for an image reference or image id. */
  findVersionByImage(refOrImageId: string): Version | null {
    const row = this.db
      .prepare('SELECT * FROM versions WHERE image_ref = ? OR image_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .get(refOrImageId, refOrImageId) as VersionRow | undefined;
    return row ? toVersion(row) : null;
  }
}
