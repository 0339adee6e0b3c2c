import type { Example } from '../../../shared/domain';
import type { Db } from './db';
import type { PredictionStore } from './predictions';

interface ExampleRow {
  prediction_id: string;
  model_id: string;
  position: number;
  is_default: number;
}

/** Predictions marked as examples of their model: ordered, at most one default per model. */
export class ExampleStore {
  constructor(
    private readonly db: Db,
    private readonly predictions: PredictionStore,
  ) {}

  /** Adds a prediction as the last example of its model (the first one becomes the default). */
  add(predictionId: string, options: { isDefault?: boolean } = {}): Example {
    const prediction = this.predictions.get(predictionId);
    if (!prediction) throw new Error(`prediction ${predictionId} does not exist`);
    this.db.transaction(() => {
      const existing = this.db.prepare('SELECT COUNT(*) AS n FROM examples WHERE model_id = ?').get(prediction.modelId) as { n: number };
      const makeDefault = options.isDefault === true || existing.n === 0;
      if (makeDefault) this.db.prepare('UPDATE examples SET is_default = 0 WHERE model_id = ?').run(prediction.modelId);
      this.db
        .prepare(
          `INSERT INTO examples (prediction_id, model_id, position, is_default)
           VALUES (?, ?, (SELECT COALESCE(MAX(position), -1) + 1 FROM examples WHERE model_id = ?), ?)
           ON CONFLICT(prediction_id) DO UPDATE SET is_default = MAX(is_default, excluded.is_default)`,
        )
        .run(predictionId, prediction.modelId, prediction.modelId, makeDefault ? 1 : 0);
    })();
    return this.list(prediction.modelId).find((e) => e.predictionId === predictionId)!;
  }

  list(modelId: string): Example[] {
    const rows = this.db
      .prepare('SELECT * FROM examples WHERE model_id = ? ORDER BY position')
      .all(modelId) as ExampleRow[];
    return rows.flatMap((r) => {
      const prediction = this.predictions.get(r.prediction_id);
      return prediction
        ? [{ modelId: r.model_id, predictionId: r.prediction_id, position: r.position, isDefault: r.is_default === 1, prediction }]
        : [];
    });
  }

  /** Removes an example; when it was the default, the first remaining one becomes the default. */
  remove(predictionId: string): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM examples WHERE prediction_id = ?').get(predictionId) as ExampleRow | undefined;
      if (!row) return false;
      this.db.prepare('DELETE FROM examples WHERE prediction_id = ?').run(predictionId);
      if (row.is_default === 1) {
        this.db
          .prepare(
            `UPDATE examples SET is_default = 1 WHERE prediction_id =
               (SELECT prediction_id FROM examples WHERE model_id = ? ORDER BY position LIMIT 1)`,
          )
          .run(row.model_id);
      }
      return true;
    })();
  }
}
