import { randomBytes } from 'node:crypto';
import type { Prediction, PredictionQuery, PredictionSource, PredictionStatus, RemotePredictionRef } from '../../../shared/domain';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { searchClauses } from './prediction-search';
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
  seq: number;
  // From remote_predictions (LEFT JOIN): all null for a local prediction.
  remote_id: string | null;
  remote_web_url: string | null;
  remote_model: string | null;
  remote_version: string | null;
  remote_stream_url: string | null;
}

/** A prediction row with its cloud columns (`p` the prediction, `r` its remote_predictions row). */
const SELECT = `SELECT p.*, r.remote_id, r.web_url AS remote_web_url, r.model AS remote_model, r.version AS remote_version,
  r.stream_url AS remote_stream_url`;
const FROM = 'predictions p LEFT JOIN remote_predictions r ON r.prediction_id = p.id';

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
    runOn: r.remote_id ? 'replicate' : 'local',
    remote: r.remote_id ? { id: r.remote_id, webUrl: r.remote_web_url, model: r.remote_model ?? r.model_id, version: r.remote_version } : null,
  };
}

/** A cloud prediction Cogdesk still follows: its stream (while it runs) and whether its outputs are here. */
export interface RemoteFollow {
  prediction: Prediction;
  streamUrl: string | null;
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
  /** The list's statements, by their SQL (a few dozen shapes at most). */
  private readonly statements = new Map<string, Statement>();

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

  /**
   * Keeps a prediction made on Replicate: its id here is Replicate's (a fresh one if a local prediction has
   * it). One record per Replicate id: a second call answers the first record unchanged.
   */
  createRemote(p: {
    remote: RemotePredictionRef;
    versionId: string;
    status: PredictionStatus;
    input: Record<string, unknown>;
    source: PredictionSource;
    createdAt: string;
    streamUrl: string | null;
  }): Prediction {
    const known = this.getByRemoteId(p.remote.id);
    if (known) return known;
    const id = this.get(p.remote.id) ? newPredictionId() : p.remote.id;
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO predictions (id, model_id, version_id, status, input, source, created_at, seq)
           VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM predictions))`,
        )
        .run(id, p.remote.model, p.versionId, p.status, JSON.stringify(p.input), p.source, p.createdAt);
      this.db
        .prepare('INSERT INTO remote_predictions (prediction_id, remote_id, web_url, model, version, stream_url) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, p.remote.id, p.remote.webUrl, p.remote.model, p.remote.version, p.streamUrl);
    })();
    return this.get(id)!;
  }

  getByRemoteId(remoteId: string): Prediction | null {
    const row = this.db.prepare(`${SELECT} FROM ${FROM} WHERE r.remote_id = ?`).get(remoteId) as PredictionRow | undefined;
    return row ? toPrediction(row) : null;
  }

  /** Cloud predictions Cogdesk still follows (not finished there, or their output files not yet here), oldest first. */
  remoteUnsynced(): RemoteFollow[] {
    const rows = this.db.prepare(`${SELECT} FROM ${FROM} WHERE r.remote_id IS NOT NULL AND r.synced_at IS NULL ORDER BY p.seq`).all() as PredictionRow[];
    return rows.map((r) => ({ prediction: toPrediction(r), streamUrl: r.remote_stream_url }));
  }

  /** A cloud prediction has finished and its output files are here: nothing more to follow. */
  markRemoteSynced(id: string): void {
    this.db.prepare('UPDATE remote_predictions SET synced_at = ?, stream_url = NULL WHERE prediction_id = ?').run(new Date().toISOString(), id);
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
    const row = this.db.prepare(`${SELECT} FROM ${FROM} WHERE p.id = ?`).get(id) as PredictionRow | undefined;
    return row ? toPrediction(row) : null;
  }

  /** Newest first; `query` searches the input values (see prediction-search.ts) and matches an exact id. */
  list(q: PredictionQuery = {}): Prediction[] {
    const limit = Math.min(Math.max(Number.isFinite(q.limit) ? Math.floor(q.limit!) : 50, 1), 1000);
    const search = searchClauses(typeof q.query === 'string' ? q.query : '');
    if (search.length === 0) return this.rows(`${SELECT} FROM ${FROM}`, this.filters(q, 'p.seq'), limit).map(toPrediction);

    // The index's rowid is seq: FTS5 walks it newest first and stops when the page is full.
    const where = this.filters(q, 'f.rowid');
    where.sql.unshift(...search.map((c) => c.sql));
    where.args.unshift(...search.map((c) => c.arg));
    const rows = this.rows(`${SELECT} FROM predictions_fts f JOIN predictions p ON p.seq = f.rowid LEFT JOIN remote_predictions r ON r.prediction_id = p.id`, where, limit, 'f.rowid');
    // An exact prediction id finds that prediction too (within the same filters and page).
    const text = q.query!.trim();
    if (/^[a-z0-9]+$/.test(text) && !rows.some((r) => r.id === text)) {
      const byId = this.filters(q, 'p.seq');
      byId.sql.unshift('p.id = ?');
      byId.args.unshift(text);
      const [hit] = this.rows(`${SELECT} FROM ${FROM}`, byId, 1);
      if (hit) {
        rows.push(hit);
        rows.sort((a, b) => b.seq - a.seq);
        if (rows.length > limit) rows.pop();
      }
    }
    return rows.map(toPrediction);
  }

  private filters(q: PredictionQuery, seq: string): { sql: string[]; args: unknown[] } {
    const sql: string[] = [];
    const args: unknown[] = [];
    if (q.modelId) {
      sql.push('p.model_id = ?');
      args.push(q.modelId);
    }
    if (q.status) {
      sql.push('p.status = ?');
      args.push(q.status);
    }
    if (q.runOn === 'replicate') sql.push('r.remote_id IS NOT NULL');
    if (q.runOn === 'local') sql.push('r.remote_id IS NULL');
    if (q.before) {
      sql.push(`${seq} < (SELECT seq FROM predictions WHERE id = ?)`);
      args.push(q.before);
    }
    return { sql, args };
  }

  private rows(from: string, where: { sql: string[]; args: unknown[] }, limit: number, order = 'p.seq'): PredictionRow[] {
    const sql = `${from} ${where.sql.length ? 'WHERE ' + where.sql.join(' AND ') : ''} ORDER BY ${order} DESC LIMIT ?`;
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt.all(...where.args, limit) as PredictionRow[];
  }

  /** How many predictions a model has in the history (a model's `run_count` in the local API). */
  countForModel(modelId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE model_id = ?').get(modelId) as { n: number }).n;
  }

  /** Unfinished local predictions with the process that runs them (null when none was recorded); cloud ones: remoteUnsynced. */
  unfinished(): Array<{ prediction: Prediction; runnerPid: number | null }> {
    const rows = this.db
      .prepare(`${SELECT} FROM ${FROM} WHERE p.status IN ('starting','processing') AND r.remote_id IS NULL ORDER BY p.seq`)
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
