/**
 * Searching Replicate's catalog: the search endpoint (a beta: models with metadata, collections, pages),
 * else the older model search, else, when Replicate cannot be reached, the local full-text index of the
 * cached models, with a notice that says so.
 */
import type { Cached, SearchHit, SearchResults } from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import { type CatalogContext, normalizeQuery, oldest } from './catalog-context';
import { isRemoteError, type RemoteError, UNREACHABLE } from './remote-error';
import { isObj, list, toCollectionSummary } from './shapes';

/** What a search answered, cached under `search:<query>` (models by id: the cache holds them). */
interface SearchDoc {
  source: 'search' | 'models';
  hits: Array<{ id: string; tags: string[]; generatedDescription: string | null; score: number | null }>;
  collections: SearchResults['collections'];
  pages: SearchResults['pages'];
}

/** Searches Replicate (see above); `limit` is kept between 1 and 50. */
export async function searchCatalog(ctx: CatalogContext, query: string, { limit = 20 }: { limit?: number } = {}): Promise<Cached<SearchResults>> {
  const { client, cache, cachedModel, storeModels, now } = ctx;
  const q = query.trim();
  if (!q) throw new CogdeskError({ code: 'bad_request', message: 'Search for what?', hint: 'Give some words: cogdesk search upscale faces' });
  const max = Math.min(Math.max(Math.floor(limit), 1), 50);
  const key = `search:${normalizeQuery(q)}`;
  const answer = (d: SearchDoc, fetchedAt: string): Cached<SearchResults> => ({
    data: {
      query: q,
      source: d.source,
      models: d.hits.flatMap((h): SearchHit[] => {
        const m = cachedModel(h.id);
        return m ? [{ model: m.data, tags: h.tags, generatedDescription: h.generatedDescription, score: h.score }] : [];
      }),
      collections: d.collections,
      pages: d.pages,
    },
    fromCache: false,
    fetchedAt,
  });
  const offline = (e: RemoteError): Cached<SearchResults> => {
    const local = localSearch(ctx, q, max);
    const n = cache.modelCount();
    return { ...local, notice: `${e.message}. Searched the ${n} model${n === 1 ? '' : 's'} cached on this machine instead.` };
  };

  let searchFailure: RemoteError;
  try {
    const raw = await client.search(q, max);
    const at = now();
    const body = isObj(raw) ? raw : {};
    const items = Array.isArray(body.models) ? body.models : [];
    const hits: SearchDoc['hits'] = [];
    const models = items.flatMap((it) => (isObj(it) && isObj(it.model) ? [it.model] : []));
    storeModels(models, at);
    for (const it of items) {
      if (!isObj(it) || !isObj(it.model) || typeof it.model.owner !== 'string' || typeof it.model.name !== 'string') continue;
      const id = `${it.model.owner}/${it.model.name}`;
      const meta = isObj(it.metadata) ? it.metadata : {};
      const tags = Array.isArray(meta.tags) ? meta.tags.filter((t): t is string => typeof t === 'string') : [];
      const generatedDescription = typeof meta.generated_description === 'string' ? meta.generated_description : null;
      cache.setSearchMetadata(id, tags, generatedDescription);
      hits.push({ id, tags, generatedDescription, score: typeof meta.score === 'number' ? meta.score : null });
    }
    const collections = (Array.isArray(body.collections) ? body.collections : []).flatMap((c) => {
      const s = toCollectionSummary(c);
      const names = isObj(c) && Array.isArray(c.models) ? c.models.filter((m): m is string => typeof m === 'string') : [];
      return s ? [{ ...s, models: names }] : [];
    });
    const pages = (Array.isArray(body.pages) ? body.pages : []).flatMap((p) =>
      isObj(p) && typeof p.name === 'string' && typeof p.href === 'string' ? [{ name: p.name, href: p.href }] : [],
    );
    const d: SearchDoc = { source: 'search', hits, collections, pages };
    cache.putDocument(key, d, at);
    return answer(d, at);
  } catch (e) {
    if (!isRemoteError(e)) throw e;
    if (isRemoteError(e, 'network', 'throttled')) return offline(e);
    searchFailure = e;
  }
  // The search endpoint is a beta: when it fails, the older model search (QUERY /models).
  try {
    const page = await client.searchModels(q);
    const at = now();
    const ids = storeModels(Array.isArray(page.results) ? page.results : [], at).slice(0, max);
    const d: SearchDoc = {
      source: 'models',
      hits: ids.map((id) => ({ id, ...cache.getSearchMetadata(id), score: null })),
      collections: [],
      pages: [],
    };
    cache.putDocument(key, d, at);
    return answer(d, at);
  } catch (e) {
    if (isRemoteError(e, ...UNREACHABLE)) return offline(e);
    if (isRemoteError(e, 'unauthorized') && isRemoteError(searchFailure, ...UNREACHABLE)) {
      // Search needs no token but failed on Replicate's side; the fallback needs one that is missing.
      return offline(searchFailure);
    }
    throw e;
  }
}

/** The local full-text search over cached models only (what search falls back to offline). */
export function searchCached(ctx: CatalogContext, query: string, { limit = 20 }: { limit?: number } = {}): Cached<SearchResults> {
  return localSearch(ctx, query, Math.min(Math.max(Math.floor(limit), 1), 50));
}

function localSearch(ctx: CatalogContext, query: string, limit: number): Cached<SearchResults> {
  const { cache, cachedModels, doc, now } = ctx;
  const ids = cache.searchModels(query, limit);
  const found = cachedModels(ids);
  const words = normalizeQuery(query).split(' ').filter(Boolean);
  const collections = (doc<unknown>('collections')?.body ?? null) as unknown;
  const matching = list(collections, toCollectionSummary).filter((c) =>
    words.some((w) => `${c.name} ${c.slug} ${c.description}`.toLowerCase().includes(w)),
  );
  return {
    data: {
      query,
      source: 'local',
      models: found.map(({ data }) => ({ model: data, ...cache.getSearchMetadata(data.id), score: null })),
      collections: matching.map((c) => ({ ...c, models: [] })),
      pages: [],
    },
    fromCache: true,
    fetchedAt: oldest(
      found.map((f) => f.fetchedAt),
      now(),
    ),
  };
}
