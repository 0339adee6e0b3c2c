/**
 * What the catalog's parts share: the API client, the cache, the clock, and reading models and documents
 * back from the cache (a cached model whose body no longer reads as one counts as not cached).
 */
import type { RemoteModel } from '../../../shared/catalog';
import type { ApiModel, CacheEntry, CatalogCache } from '../store/catalog';
import type { RemoteClient } from './client';
import { isObj, toModel } from './shapes';

export interface CatalogContext {
  client: RemoteClient;
  cache: CatalogCache;
  /** Now, as an ISO date (what `fetchedAt` holds). */
  now: () => string;
  cachedModel(id: string): { data: RemoteModel; fetchedAt: string } | null;
  cachedModels(ids: string[]): Array<{ data: RemoteModel; fetchedAt: string }>;
  doc<T>(key: string): CacheEntry<T | null> | null;
  /** Caches the models of an answer (those with an owner and a name) and gives their ids, in order. */
  storeModels(raw: unknown[], at: string, complete?: boolean): string[];
}

export function catalogContext(client: RemoteClient, cache: CatalogCache, now: () => string): CatalogContext {
const cachedModel = (id: string): { data: RemoteModel; fetchedAt: string } | null => {
  const hit = cache.getModel(id);
  const model = hit ? toModel(hit.body) : null;
  return hit && model ? { data: model, fetchedAt: hit.fetchedAt } : null;
};
const cachedModels = (ids: string[]) => ids.flatMap((id) => cachedModel(id) ?? []);
const doc = <T>(key: string) => cache.getDocument<T>(key);

const storeModels = (raw: unknown[], at: string, complete = false): string[] => {
  const models = raw.filter((m): m is ApiModel => isObj(m) && typeof m.owner === 'string' && typeof m.name === 'string');
  cache.putModels(models, at, { complete });
  return models.map((m) => `${m.owner}/${m.name}`);
};

  return { client, cache, now, cachedModel, cachedModels, doc, storeModels };
}

export const normalizeQuery = (q: string) => q.trim().toLowerCase().replace(/\s+/g, ' ');
/** The oldest of some ISO dates (what a combined answer's `fetchedAt` says), else the fallback. */
export const oldest = (dates: string[], fallback: string) => (dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : fallback);
