/**
 * The cache of Replicate's catalog (migration 2): every model the API showed, as the API's own JSON, and
 * every other answer (pages, searches, collections, READMEs, versions, examples, hardware, the account) as a
 * keyed document, each with when it was fetched. A full-text index over the cached models serves search
 * offline. Nothing here is ever deleted by an error: a failed fetch simply does not write.
 */
import type { Db } from './db';

type Obj = Record<string, unknown>;

/** A model object as Replicate's API returns it (snake_case); only the keys the cache reads are typed. */
export interface ApiModel extends Obj {
  owner: string;
  name: string;
  description?: string | null;
  run_count?: number | null;
  latest_version?: (Obj & { id?: string; created_at?: string; openapi_schema?: unknown }) | null;
}

export interface CacheEntry<T> {
  body: T;
  fetchedAt: string;
}

interface ModelRow {
  seq: number;
  id: string;
  owner: string;
  name: string;
  body: string;
  tags: string | null;
  generated_description: string | null;
  fetched_at: string;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEmpty = (v: unknown) => v === undefined || v === null || (isObj(v) && Object.keys(v).length === 0);

/**
 * Merges a newer answer about a model into the cached one. A complete answer (GET /models/{owner}/{name})
 * replaces every key it has; a partial one (a list, a search) never blanks what the cache knows: its nulls
 * and empty schemas (the search endpoint sends `openapi_schema: {}` and `default_example: null`) keep the
 * cached values.
 */
export function mergeModel(old: ApiModel | null, incoming: ApiModel, complete: boolean): ApiModel {
  if (!old) return incoming;
  const out: ApiModel = { ...old };
  for (const [key, value] of Object.entries(incoming)) {
    if (key === 'latest_version') {
      out.latest_version = mergeVersion(old.latest_version ?? null, (value as ApiModel['latest_version']) ?? null, complete);
    } else if (complete || (value !== null && value !== undefined)) {
      out[key] = value;
    }
  }
  return out;
}

function mergeVersion(old: ApiModel['latest_version'], incoming: ApiModel['latest_version'], complete: boolean): ApiModel['latest_version'] {
  if (!incoming) return complete ? null : (old ?? null);
  if (old && old.id === incoming.id && isEmpty(incoming.openapi_schema) && !isEmpty(old.openapi_schema)) {
    return { ...incoming, openapi_schema: old.openapi_schema };
  }
  return incoming;
}

/** Turns what a person typed into an FTS5 query: every word as a prefix, all required (or any, with `any`). */
export function ftsQuery(text: string, any = false): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return words.map((w) => `"${w}"*`).join(any ? ' OR ' : ' ');
}

export class CatalogCache {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = CatalogCache.prepare(db);
  }

  private static prepare(db: Db) {
    return {
      getModel: db.prepare('SELECT * FROM catalog_models WHERE id = ?'),
      upsertModel: db.prepare(
        `INSERT INTO catalog_models (id, owner, name, body, run_count, latest_version_created_at, fetched_at)
         VALUES (@id, @owner, @name, @body, @run_count, @latest, @fetched_at)
         ON CONFLICT(id) DO UPDATE SET body = excluded.body, run_count = excluded.run_count,
           latest_version_created_at = excluded.latest_version_created_at, fetched_at = excluded.fetched_at`,
      ),
      setMeta: db.prepare('UPDATE catalog_models SET tags = ?, generated_description = ? WHERE id = ?'),
      getDoc: db.prepare('SELECT body, fetched_at FROM catalog_documents WHERE key = ?'),
      putDoc: db.prepare(
        `INSERT INTO catalog_documents (key, body, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at`,
      ),
      ftsDelete: db.prepare('DELETE FROM catalog_models_fts WHERE rowid = ?'),
      ftsInsert: db.prepare(
        'INSERT INTO catalog_models_fts (rowid, name, owner, description, readme, tags) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      search: db.prepare(
        `SELECT m.id FROM catalog_models_fts f JOIN catalog_models m ON m.seq = f.rowid
         WHERE catalog_models_fts MATCH ? ORDER BY bm25(catalog_models_fts, 10.0, 4.0, 2.0, 1.0, 3.0), m.run_count DESC LIMIT ?`,
      ),
      list: db.prepare(
        `SELECT id FROM catalog_models ORDER BY latest_version_created_at DESC NULLS LAST, seq DESC LIMIT ? OFFSET ?`,
      ),
      count: db.prepare('SELECT COUNT(*) AS n FROM catalog_models'),
    };
  }

  /** Records models from one answer (in one transaction) and re-indexes them for search. */
  putModels(models: ApiModel[], fetchedAt: string, options: { complete: boolean }): void {
    this.db.transaction(() => {
      for (const incoming of models) {
        if (!incoming || typeof incoming.owner !== 'string' || typeof incoming.name !== 'string') continue;
        const id = `${incoming.owner}/${incoming.name}`;
        const old = this.stmts.getModel.get(id) as ModelRow | undefined;
        const merged = mergeModel(old ? (JSON.parse(old.body) as ApiModel) : null, incoming, options.complete);
        const latest = merged.latest_version;
        this.stmts.upsertModel.run({
          id,
          owner: merged.owner,
          name: merged.name,
          body: JSON.stringify(merged),
          run_count: typeof merged.run_count === 'number' ? merged.run_count : null,
          latest: typeof latest?.created_at === 'string' ? latest.created_at : typeof merged.created_at === 'string' ? merged.created_at : null,
          fetched_at: fetchedAt,
        });
        this.reindex(id);
      }
    })();
  }

  getModel(id: string): CacheEntry<ApiModel> | null {
    const row = this.stmts.getModel.get(id) as ModelRow | undefined;
    return row ? { body: JSON.parse(row.body) as ApiModel, fetchedAt: row.fetched_at } : null;
  }

  /** The search endpoint's extra words about a model (tags, a generated description): indexed too. */
  setSearchMetadata(id: string, tags: string[], generatedDescription: string | null): void {
    this.db.transaction(() => {
      this.stmts.setMeta.run(JSON.stringify(tags), generatedDescription, id);
      this.reindex(id);
    })();
  }

  getSearchMetadata(id: string): { tags: string[]; generatedDescription: string | null } {
    const row = this.stmts.getModel.get(id) as ModelRow | undefined;
    return { tags: row?.tags ? (JSON.parse(row.tags) as string[]) : [], generatedDescription: row?.generated_description ?? null };
  }

  /** Stores any other answer under a key; `null` records a known absence (a model without a README). */
  putDocument(key: string, body: unknown, fetchedAt: string): void {
    this.db.transaction(() => {
      this.stmts.putDoc.run(key, body === null || body === undefined ? null : JSON.stringify(body), fetchedAt);
      if (key.startsWith('readme:')) this.reindex(key.slice('readme:'.length));
    })();
  }

  getDocument<T>(key: string): CacheEntry<T | null> | null {
    const row = this.stmts.getDoc.get(key) as { body: string | null; fetched_at: string } | undefined;
    return row ? { body: row.body === null ? null : (JSON.parse(row.body) as T), fetchedAt: row.fetched_at } : null;
  }

  /** Full-text search over the cached models (names, owners, descriptions, READMEs, tags); best first. */
  searchModels(text: string, limit = 20): string[] {
    const all = ftsQuery(text);
    if (!all) return [];
    const hits = (this.stmts.search.all(all, limit) as Array<{ id: string }>).map((r) => r.id);
    if (hits.length > 0) return hits;
    const any = ftsQuery(text, true)!;
    return any === all ? [] : (this.stmts.search.all(any, limit) as Array<{ id: string }>).map((r) => r.id);
  }

  /** Cached models, newest version first. */
  listModels(limit: number, offset = 0): string[] {
    return (this.stmts.list.all(limit, offset) as Array<{ id: string }>).map((r) => r.id);
  }

  modelCount(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  private reindex(id: string): void {
    const row = this.stmts.getModel.get(id) as ModelRow | undefined;
    if (!row) return;
    const body = JSON.parse(row.body) as ApiModel;
    const readme = this.getDocument<string>(`readme:${id}`)?.body ?? '';
    const tags = row.tags ? (JSON.parse(row.tags) as string[]).join(' ') : '';
    const description = [body.description, row.generated_description].filter((s) => typeof s === 'string' && s).join('\n');
    this.stmts.ftsDelete.run(row.seq);
    this.stmts.ftsInsert.run(row.seq, row.name, row.owner, description, typeof readme === 'string' ? readme : '', tags);
  }
}
