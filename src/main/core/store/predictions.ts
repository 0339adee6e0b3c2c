import { randomBytes } from 'node:crypto';
import type { Prediction, PredictionQuery, PredictionSource, PredictionStatus } from '../../../shared/domain';
import type { Db } from './db';
import { fromJson, toJson } from './json';

interface PredictionRow {
  id: string;
  model_id: string;
  version_id: string;
  status: PredictionStatus;
  input: string;
  output: string | null;
  logs: string;
  error: string | null;
  source: PredictionSource;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  metrics: string | null;
  container_id: string | null;
  runner_pid: number | null;
}

function toPrediction(r: PredictionRow): Prediction {
  return {
    id: r.id,
    modelId: r.model_id,
    versionId: r.version_id,
    status: r.status,
    input: fromJson(r.input, {}),
    output: fromJson(r.output, null),
    logs: r.logs,
    error: r.error,
    source: r.source,
    createdAt: r.created_at,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    metrics: fromJson(r.metrics, null),
    containerId: r.container_id,
  };
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A prediction id shaped like Replicate's: 26 lowercase base32 characters. */
export function newPredictionId(): string {
  const bytes = randomBytes(26);
  let id = '';
  for (const b of bytes) id += ALPHABET[b & 31];
  return id;
}

export type PredictionPatch = Partial<
  Pick<Prediction, 'status' | 'output' | 'logs' | 'error' | 'startedAt' | 'completedAt' | 'metrics' | 'containerId'>
>;

const COLUMNS: Record<keyof PredictionPatch, string> = {
  status: 'status',
  output: 'output',
  logs: 'logs',
  error: 'error',
  startedAt: 'started_at',
  completedAt: 'completed_at',
  metrics: 'metrics',
  containerId: 'container_id',
};

export class PredictionStore {
  constructor(private readonly db: Db) {}

  create(p: { modelId: string; versionId: string; input: Record<string, unknown>; source: PredictionSource }): Prediction {
    const id = newPredictionId();
    this.db
      .prepare(
        `INSERT INTO predictions (id, model_id, version_id, status, input, source, created_at, seq)
         VALUES (?, ?, ?, 'starting', ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM predictions))`,
      )
      .run(id, p.modelId, p.versionId, JSON.stringify(p.input), p.source, new Date().toISOString());
    return this.get(id)!;
  }

  update(id: string, patch: PredictionPatch): Prediction {
    const keys = (Object.keys(patch) as Array<keyof PredictionPatch>).filter((k) => patch[k] !== undefined);
    if (keys.length > 0) {
      const sets = keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ');
      const values: Record<string, unknown> = { id };
      for (const k of keys) {
        const v = patch[k];
        values[k] = k === 'output' || k === 'metrics' ? toJson(v) : v;
      }
      this.db.prepare(`UPDATE predictions SET ${sets} WHERE id = @id`).run(values);
    }
    const updated = this.get(id);
    if (!updated) throw new Error(`prediction ${id} does not exist`);
    return updated;
  }

  get(id: string): Prediction | null {
    const row = this.db.prepare('SELECT * FROM predictions WHERE id = ?').get(id) as PredictionRow | undefined;
    return row ? toPrediction(row) : null;
  }

  /** Newest first. */
  list(q: PredictionQuery = {}): Prediction[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.modelId) {
      where.push('model_id = ?');
      args.push(q.modelId);
    }
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    const text = typeof q.query === 'string' ? q.query.trim() : '';
    if (text) {
      // The input is JSON text: a LIKE over it finds a word in any field; an exact id matches too.
      where.push("(id = ? OR input LIKE ? ESCAPE '\\')");
      args.push(text, `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
    }
    if (q.before) {
      where.push('seq < (SELECT seq FROM predictions WHERE id = ?)');
      args.push(q.before);
    }
    const sql = `SELECT * FROM predictions ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`;
    const limit = Number.isFinite(q.limit) ? Math.floor(q.limit!) : 50;
    args.push(Math.min(Math.max(limit, 1), 1000));
    return (this.db.prepare(sql).all(...args) as PredictionRow[]).map(toPrediction);
  }

  /** Unfinished predictions with the process that runs them (null when none was recorded). */
  unfinished(): Array<{ prediction: Prediction; runnerPid: number | null }> {
    const rows = this.db
      .prepare("SELECT * FROM predictions WHERE status IN ('starting','processing') ORDER BY seq")
      .all() as PredictionRow[];
    return rows.map((r) => ({ prediction: toPrediction(r), runnerPid: r.runner_pid }));
  }

  /** Records which process runs a prediction, so another process never takes over a live one. */
  setRunner(id: string, pid: number | null): void {
    this.db.prepare('UPDATE predictions SET runner_pid = ? WHERE id = ?').run(pid, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM predictions WHERE id = ?').run(id).changes > 0;
  }
}
