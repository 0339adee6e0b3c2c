import type { ModelSettings } from '../../../shared/domain';
import type { Db } from './db';

interface Row {
  model_id: string;
  concurrency: number | null;
  local_only: number;
}

type Statement = ReturnType<Db['prepare']>;

/** A person's own settings for a local model (migrations 6 and 9); a model without a row has none. */
export class ModelSettingsStore {
  private statements: { byModel: Statement; ofVersion: Statement; upsert: Statement } | null = null;

  constructor(private readonly db: Db) {}

  /** Prepared once, at first use (the warm path reads the concurrency at every prediction). */
  private get sql() {
    return (this.statements ??= {
      byModel: this.db.prepare('SELECT model_id, concurrency, local_only FROM model_settings WHERE model_id = ?'),
      ofVersion: this.db.prepare('SELECT s.concurrency FROM versions v JOIN model_settings s ON s.model_id = v.model_id WHERE v.id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO model_settings (model_id, concurrency, local_only, updated_at) VALUES (@model_id, @concurrency, @local_only, @updated_at)
         ON CONFLICT(model_id) DO UPDATE SET concurrency = excluded.concurrency, local_only = excluded.local_only, updated_at = excluded.updated_at`,
      ),
    });
  }

  get(modelId: string): ModelSettings {
    const row = this.sql.byModel.get(modelId) as Row | undefined;
    return { modelId, concurrency: row?.concurrency ?? null, localOnly: row?.local_only === 1 };
  }

  /** The person's concurrency for the model a version belongs to, or null (one indexed lookup). */
  concurrencyOfVersion(versionId: string): number | null {
    const row = this.sql.ofVersion.get(versionId) as { concurrency: number | null } | undefined;
    return row?.concurrency ?? null;
  }

  update(modelId: string, patch: Partial<Omit<ModelSettings, 'modelId'>>): ModelSettings {
    const next = { ...this.get(modelId), ...patch, modelId };
    this.sql.upsert.run({
      model_id: modelId,
      concurrency: next.concurrency ?? null,
      local_only: next.localOnly === true ? 1 : 0,
      updated_at: new Date().toISOString(),
    });
    return this.get(modelId);
  }
}
