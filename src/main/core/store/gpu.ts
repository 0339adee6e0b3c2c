import type { Db } from './db';

/** What a version holds on a GPU once warm, as measured (migration 7). */
export interface GpuMemoryRow {
  versionId: string;
  usedMiB: number;
  gpuName: string | null;
  measuredAt: string;
}

// The most seen wins; a version that is gone is not recorded (its row would go with it anyway).
const UPSERT_MEMORY = `INSERT INTO gpu_memory (version_id, used_mib, gpu_name, measured_at)
  SELECT @version_id, @used_mib, @gpu_name, @measured_at WHERE EXISTS (SELECT 1 FROM versions WHERE id = @version_id)
  ON CONFLICT(version_id) DO UPDATE SET used_mib = excluded.used_mib, gpu_name = excluded.gpu_name, measured_at = excluded.measured_at
  WHERE excluded.used_mib > gpu_memory.used_mib OR @replace = 1`;
const UPSERT_PIN = `INSERT INTO gpu_pins (model_id, gpu_ids, updated_at) VALUES (@model_id, @gpu_ids, @updated_at)
  ON CONFLICT(model_id) DO UPDATE SET gpu_ids = excluded.gpu_ids, updated_at = excluded.updated_at`;

/**
 * The GPU memory each version was seen to hold (the most seen: a model's use grows with its inputs), and the
 * GPUs a person pinned a model to.
 */
export class GpuStore {
  /** Prepared on first use: a store opened over a file whose tables are not there yet still opens. */
  private readonly stmts = new Map<string, ReturnType<Db['prepare']>>();

  constructor(private readonly db: Db) {}

  private sql(text: string): ReturnType<Db['prepare']> {
    let s = this.stmts.get(text);
    if (!s) this.stmts.set(text, (s = this.db.prepare(text)));
    return s;
  }

  memory(versionId: string): GpuMemoryRow | null {
    const r = this.sql('SELECT version_id, used_mib, gpu_name, measured_at FROM gpu_memory WHERE version_id = ?').get(versionId) as { version_id: string; used_mib: number; gpu_name: string | null; measured_at: string } | undefined;
    return r ? { versionId: r.version_id, usedMiB: r.used_mib, gpuName: r.gpu_name, measuredAt: r.measured_at } : null;
  }

  /** Records what a version holds; kept only when more than seen before (or `replace`). */
  recordMemory(versionId: string, usedMiB: number, gpuName: string | null, replace = false): void {
    this.sql(UPSERT_MEMORY).run({ version_id: versionId, used_mib: Math.round(usedMiB), gpu_name: gpuName, measured_at: new Date().toISOString(), replace: replace ? 1 : 0 });
  }

  /** The GPUs a model is pinned to (uuids); empty when it is not. */
  pins(modelId: string): string[] {
    return parseIds((this.sql('SELECT gpu_ids FROM gpu_pins WHERE model_id = ?').get(modelId) as { gpu_ids: string } | undefined)?.gpu_ids);
  }

  pinsOfVersion(versionId: string): string[] {
    return parseIds((this.sql('SELECT p.gpu_ids FROM versions v JOIN gpu_pins p ON p.model_id = v.model_id WHERE v.id = ?').get(versionId) as { gpu_ids: string } | undefined)?.gpu_ids);
  }

  /** Pins a model to GPUs; an empty list unpins it. */
  setPins(modelId: string, gpuIds: readonly string[]): void {
    if (gpuIds.length === 0) this.sql('DELETE FROM gpu_pins WHERE model_id = ?').run(modelId);
    else this.sql(UPSERT_PIN).run({ model_id: modelId, gpu_ids: JSON.stringify([...new Set(gpuIds)]), updated_at: new Date().toISOString() });
  }
}

function parseIds(text: string | undefined): string[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
