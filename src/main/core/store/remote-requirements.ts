import type { Db } from './db';
import { parseJsonObject } from '../util/json';

/** What a Replicate version needs, as read once from its image's labels (migration 4). */
export interface RemoteRequirementRow {
  versionId: string;
  modelId: string;
  imageRef: string;
  /** true: needs a GPU; false: CPU only; null: the image has no cog.yaml label. */
  gpu: boolean | null;
  /** `cog.yaml` as JSON, as the image's label holds it; null when absent. */
  cogConfig: Record<string, unknown> | null;
  checkedAt: string;
}

interface Row {
  version_id: string;
  model_id: string;
  image_ref: string;
  gpu: number | null;
  cog_config: string | null;
  checked_at: string;
}

/**
 * The cache of remote versions' requirements: a version's image never changes, so an entry never expires
 * and Explore asks the registry once per version (and answers offline for versions seen before).
 */
export class RemoteRequirementStore {
  constructor(private readonly db: Db) {}

  get(versionId: string): RemoteRequirementRow | null {
    const r = this.db.prepare('SELECT * FROM remote_requirements WHERE version_id = ?').get(versionId) as Row | undefined;
    if (!r) return null;
    return {
      versionId: r.version_id,
      modelId: r.model_id,
      imageRef: r.image_ref,
      gpu: r.gpu === null ? null : r.gpu === 1,
      cogConfig: parseJsonObject(r.cog_config),
      checkedAt: r.checked_at,
    };
  }

  put(row: Omit<RemoteRequirementRow, 'checkedAt'> & { checkedAt?: string }): void {
    this.db
      .prepare(
        `INSERT INTO remote_requirements (version_id, model_id, image_ref, gpu, cog_config, checked_at)
         VALUES (@version_id, @model_id, @image_ref, @gpu, @cog_config, @checked_at)
         ON CONFLICT(version_id) DO UPDATE SET model_id = excluded.model_id, image_ref = excluded.image_ref,
           gpu = excluded.gpu, cog_config = excluded.cog_config, checked_at = excluded.checked_at`,
      )
      .run({
        version_id: row.versionId,
        model_id: row.modelId,
        image_ref: row.imageRef,
        gpu: row.gpu === null ? null : row.gpu ? 1 : 0,
        cog_config: row.cogConfig ? JSON.stringify(row.cogConfig) : null,
        checked_at: row.checkedAt ?? new Date().toISOString(),
      });
  }
}
