import type { KnownSkus } from '../../../shared/api';
import type { Db } from './db';

/**
 * The hardware a push created a model with (migration 9), since Replicate's API does not say which SKU a
 * model runs on. Written when the model is created, so a push that fails later still knows it.
 */
export class ModelHardwareStore {
  constructor(private readonly db: Db) {}

  /** Records the SKU a model was created with (creating it again, e.g. after deleting it on the web, replaces it). */
  record(registry: string, modelId: string, sku: string, recordedAt = new Date().toISOString()): void {
    this.db
      .prepare(
        `INSERT INTO model_hardware (registry, model_id, sku, recorded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(registry, model_id) DO UPDATE SET sku = excluded.sku, recorded_at = excluded.recorded_at`,
      )
      .run(registry, modelId, sku, recordedAt);
  }

  /** The SKU a model on a registry was created with, or null when it was not created from here. */
  get(registry: string, modelId: string): string | null {
    const row = this.db.prepare('SELECT sku FROM model_hardware WHERE registry = ? AND model_id = ?').get(registry, modelId) as { sku: string } | undefined;
    return row?.sku ?? null;
  }

  /** What is known on a registry: each model's SKU, and each pushed local version's (its newest push to a model with one). */
  known(registry: string): KnownSkus {
    const models: Record<string, string> = {};
    for (const r of this.db.prepare('SELECT model_id, sku FROM model_hardware WHERE registry = ? ORDER BY model_id').all(registry) as Array<{ model_id: string; sku: string }>) {
      models[r.model_id] = r.sku;
    }
    const versions: Record<string, string> = {};
    const rows = this.db
      .prepare(
        `SELECT p.version_id, h.sku FROM pushes p JOIN model_hardware h ON h.registry = p.registry AND h.model_id = p.model_id
         WHERE p.registry = ? ORDER BY p.pushed_at ASC, p.rowid ASC`,
      )
      .all(registry) as Array<{ version_id: string; sku: string }>;
    // Oldest first, so the newest push of a version is the one kept.
    for (const r of rows) versions[r.version_id] = r.sku;
    return { models, versions };
  }
}
