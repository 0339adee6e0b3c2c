import type { ModelSettings } from '../../../shared/domain';
import type { Db } from './db';

interface Row {
  model_id: string;
  concurrency: number | null;
}

/** A person's own settings for a local model (migration 6); a model without a row has none. */
export class ModelSettingsStore {
  private readonly byModel: ReturnType<Db['prepare']>;
  private readonly upsert: ReturnType<Db['prepare']>;
  private readonly ofVersion: ReturnType<Db['prepare']>;

  constructor(db: Db) {
    this.ofVersion = db.prepare('SELECT s.concurrency FROM versions v JOIN model_settings s ON s.model_id = v.model_id WHERE v.id = ?');
    this.byModel = db.prepare('SELECT model_id, concurrency FROM model_settings WHERE model_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO model_settings (model_id, concurrency, updated_at) VALUES (@model_id, @concurrency, @updated_at)
       ON CONFLICT(model_id) DO UPDATE SET concurrency = excluded.concurrency, updated_at = excluded.updated_at`,
    );
  }

  get(modelId: string): ModelSettings {
    const row = this.byModel.get(modelId) as Row | undefined;
    return { modelId, concurrency: row?.concurrency ?? null };
  }

  /** The person's concurrency for the model a version belongs to, or null (read on every prediction: one indexed lookup). */
  concurrencyOfVersion(versionId: string): number | null {
    const row = this.ofVersion.get(versionId) as { concurrency: number | null } | undefined;
    return row?.concurrency ?? null;
  }

  update(modelId: string, patch: Partial<Omit<ModelSettings, 'modelId'>>): ModelSettings {
    const next = { ...this.get(modelId), ...patch, modelId };
    this.upsert.run({ model_id: modelId, concurrency: next.concurrency ?? null, updated_at: new Date().toISOString() });
    return this.get(modelId);
  }
}
