/**
 * Replicate's catalog, browsed through the API and kept in the local cache so it still reads offline:
 * explore (newest first, by cursor), search (the search endpoint, else the model search, else the local
 * full-text index), collections, a model's page (README, versions, examples, input schema), hardware and
 * the account behind the token.
 */
import type {
  Cached,
  CatalogPage,
  CollectionSummary,
  ModelPage,
  RemoteAccount,
  RemoteCollection,
  RemoteHardware,
  RemoteModel,
  RemotePrediction,
  RemoteVersion,
  SearchHit,
  SearchResults,
} from '../../../shared/catalog';
import { CogdeskError } from '../../../shared/errors';
import type { Db } from '../store';
import { CatalogCache, type ApiModel } from '../store/catalog';
import { fetchOrCache } from './cache';
import { isRemoteError, RemoteClient, resolveApiUrl, type RemoteClientOptions, RemoteError, UNREACHABLE } from './client';
import {
  cursorOf,
  inputSchemaOf,
  isObj,
  list,
  toAccount,
  toCollection,
  toCollectionSummary,
  toHardware,
  toModel,
  toPrediction,
  toVersion,
} from './shapes';
import { cliTokenStore, type TokenStore } from './token';
import { originBoundTokens, type BoundTokenStatus, type OriginBoundTokens } from './token-origin';

export interface CatalogOptions {
  /** The open store (only `db` and `settings` are used). */
  store: { db: Db; settings?: { get(): object } };
  /** The data folder (the CLI's token file lives there). */
  home: string;
  /** Where COGDESK_REPLICATE_API and REPLICATE_API_TOKEN are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Default: REPLICATE_API_TOKEN, else `<home>/replicate-token` (the Electron shell passes safeStorage). */
  tokenStore?: TokenStore;
  /** The API base URL when neither COGDESK_REPLICATE_API nor the `replicateApiUrl` setting sets one. */
  apiUrl?: string;
  fetch?: typeof fetch;
  sleep?: RemoteClientOptions['sleep'];
  retryBudgetMs?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export interface Catalog {
  /** The API base URL in use now. */
  apiUrl(): string;
  /** The token, kept for the API origin it was entered for (see token-origin.ts). */
  readonly tokens: OriginBoundTokens;
  /** Whether there is a token for the API in use; `note` says when the kept one is for another host. */
  tokenStatus(): Promise<BoundTokenStatus>;
  /** Public models, newest version first; pass the previous page's `next` for the following page. */
  explore(options?: { cursor?: string | null }): Promise<Cached<CatalogPage<RemoteModel>>>;
  search(query: string, options?: { limit?: number }): Promise<Cached<SearchResults>>;
  /** The local full-text search over cached models only (what search falls back to offline). */
  searchCached(query: string, options?: { limit?: number }): Cached<SearchResults>;
  collections(): Promise<Cached<CollectionSummary[]>>;
  collection(slug: string): Promise<Cached<RemoteCollection>>;
  model(ref: string): Promise<Cached<RemoteModel>>;
  readme(ref: string): Promise<Cached<string | null>>;
  versions(ref: string): Promise<Cached<RemoteVersion[]>>;
  version(ref: string, versionId: string): Promise<Cached<RemoteVersion>>;
  examples(ref: string): Promise<Cached<RemotePrediction[]>>;
  /** The model, its README, versions, examples and the latest version's input schema. */
  modelPage(ref: string): Promise<Cached<ModelPage>>;
  hardware(): Promise<Cached<RemoteHardware[]>>;
  /** The account behind the token (needs a token). */
  account(): Promise<Cached<RemoteAccount>>;
  /** The cache itself (for tests and maintenance). */
  readonly cache: CatalogCache;
}

const NAME = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i;
const SLUG = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/i;
const VERSION_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/i;

/** Splits `owner/name` and checks both parts (they go into URL paths). */
export function parseModelId(ref: string): { owner: string; name: string; id: string } {
  const m = /^([^/\s]+)\/([^/\s:@]+)$/.exec(ref.trim());
  if (!m || !NAME.test(m[1]) || !NAME.test(m[2])) {
    throw new CogdeskError({
      code: 'bad_request',
      message: `"${ref}" is not a Replicate model name`,
      hint: 'Write it as owner/name, like stability-ai/sdxl.',
    });
  }
  return { owner: m[1], name: m[2], id: `${m[1]}/${m[2]}` };
}

function checkSlug(slug: string): string {
  if (!SLUG.test(slug)) {
    throw new CogdeskError({ code: 'bad_request', message: `"${slug}" is not a collection slug`, hint: 'List them with: cogdesk collections' });
  }
  return slug;
}

function checkVersionId(id: string): string {
  if (!VERSION_ID.test(id)) {
    throw new CogdeskError({ code: 'bad_request', message: `"${id}" is not a version id`, hint: 'A version id is 64 hex characters.' });
  }
  return id;
}

const normalizeQuery = (q: string) => q.trim().toLowerCase().replace(/\s+/g, ' ');
const oldest = (dates: string[], fallback: string) => (dates.length ? dates.reduce((a, b) => (a < b ? a : b)) : fallback);

interface ExploreDoc {
  ids: string[];
  next: string | null;
}
interface SearchDoc {
  source: 'search' | 'models';
  hits: Array<{ id: string; tags: string[]; generatedDescription: string | null; score: number | null }>;
  collections: SearchResults['collections'];
  pages: SearchResults['pages'];
}
interface CollectionDoc {
  slug: string;
  name: string;
  description: string;
  full_description: string | null;
  ids: string[];
}

export function createCatalog(o: CatalogOptions): Catalog {
  const env = o.env ?? process.env;
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  const cache = new CatalogCache(o.store.db);
  const setting = () => {
    const value = (o.store.settings?.get() as Record<string, unknown> | undefined)?.replicateApiUrl;
    return typeof value === 'string' && value ? value : (o.apiUrl ?? null);
  };
  const apiUrl = () => resolveApiUrl({ env, setting: setting() });
  const tokens = originBoundTokens(o.tokenStore ?? cliTokenStore({ home: o.home, env }), apiUrl);
  const client = new RemoteClient({
    baseUrl: apiUrl,
    token: () => tokens.forRequest(),
    fetch: o.fetch,
    sleep: o.sleep,
    retryBudgetMs: o.retryBudgetMs,
    timeoutMs: o.timeoutMs,
  });

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

  const localSearch = (query: string, limit: number): Cached<SearchResults> => {
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
  };

  const catalog: Catalog = {
    apiUrl,
    tokens,
    cache,
    tokenStatus: () => tokens.describe(),

    explore({ cursor = null } = {}) {
      const key = `explore:${cursor ?? ''}`;
      return fetchOrCache<CatalogPage<RemoteModel>>({
        fetch: async () => {
          const page = await client.listModels(cursor);
          const at = now();
          const ids = storeModels(Array.isArray(page.results) ? page.results : [], at);
          const next = cursorOf(page.next);
          cache.putDocument(key, { ids, next } satisfies ExploreDoc, at);
          return { data: { items: cachedModels(ids).map((m) => m.data), next }, fetchedAt: at };
        },
        cached: () => {
          const hit = doc<ExploreDoc>(key);
          if (hit?.body) return { data: { items: cachedModels(hit.body.ids).map((m) => m.data), next: hit.body.next }, fetchedAt: hit.fetchedAt };
          if (cursor) return null;
          // The first page was never fetched: every cached model, newest version first.
          const all = cachedModels(cache.listModels(50));
          return all.length ? { data: { items: all.map((m) => m.data), next: null }, fetchedAt: oldest(all.map((m) => m.fetchedAt), now()) } : null;
        },
      });
    },

    async search(query, { limit = 20 } = {}) {
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
        const local = localSearch(q, max);
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
    },

    searchCached(query, { limit = 20 } = {}) {
      return localSearch(query, Math.min(Math.max(Math.floor(limit), 1), 50));
    },

    collections() {
      return fetchOrCache<CollectionSummary[]>({
        fetch: async () => {
          const results: unknown[] = [];
          let cursor: string | null = null;
          for (let page = 0; page < 10; page++) {
            const answer = await client.listCollections(cursor);
            results.push(...(Array.isArray(answer.results) ? answer.results : []));
            cursor = cursorOf(answer.next);
            if (!cursor) break;
          }
          const at = now();
          cache.putDocument('collections', { results }, at);
          return { data: list({ results }, toCollectionSummary), fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown>('collections');
          return hit?.body ? { data: list(hit.body, toCollectionSummary), fetchedAt: hit.fetchedAt } : null;
        },
      });
    },

    async collection(slug) {
      checkSlug(slug);
      const key = `collection:${slug}`;
      const build = (d: CollectionDoc) => toCollection(d, cachedModels(d.ids).map((m) => m.data))!;
      return fetchOrCache<RemoteCollection>({
        fetch: async () => {
          const raw = await client.getCollection(slug);
          const at = now();
          const body = isObj(raw) ? raw : {};
          const ids = storeModels(Array.isArray(body.models) ? body.models : [], at);
          const d: CollectionDoc = {
            slug: typeof body.slug === 'string' ? body.slug : slug,
            name: typeof body.name === 'string' ? body.name : slug,
            description: typeof body.description === 'string' ? body.description : '',
            full_description: typeof body.full_description === 'string' ? body.full_description : null,
            ids,
          };
          cache.putDocument(key, d, at);
          return { data: build(d), fetchedAt: at };
        },
        cached: () => {
          const hit = doc<CollectionDoc>(key);
          return hit?.body ? { data: build(hit.body), fetchedAt: hit.fetchedAt } : null;
        },
      });
    },

    async model(ref) {
      const { owner, name, id } = parseModelId(ref);
      return fetchOrCache<RemoteModel>({
        fetch: async () => {
          const raw = await client.getModel(owner, name);
          const at = now();
          if (!isObj(raw) || typeof raw.owner !== 'string' || typeof raw.name !== 'string') {
            throw new RemoteError('bad_response', { message: `Replicate's answer about ${id} is not a model`, hint: 'Try again later.' });
          }
          cache.putModels([raw as ApiModel], at, { complete: true });
          return cachedModel(`${raw.owner}/${raw.name}`)!;
        },
        cached: () => cachedModel(id),
      });
    },

    async readme(ref) {
      const { owner, name, id } = parseModelId(ref);
      const key = `readme:${id}`;
      try {
        return await fetchOrCache<string | null>({
          fetch: async () => {
            const text = await client.readme(owner, name);
            const at = now();
            cache.putDocument(key, text, at);
            return { data: text, fetchedAt: at };
          },
          cached: () => {
            const hit = doc<string>(key);
            return hit ? { data: hit.body, fetchedAt: hit.fetchedAt } : null;
          },
        });
      } catch (e) {
        if (!isRemoteError(e, 'not_found')) throw e;
        // No README (or no model: model() says which): a known absence, cached as such.
        const at = now();
        cache.putDocument(key, null, at);
        return { data: null, fromCache: false, fetchedAt: at };
      }
    },

    async versions(ref) {
      const { owner, name, id } = parseModelId(ref);
      const key = `versions:${id}`;
      return fetchOrCache<RemoteVersion[]>({
        fetch: async () => {
          const page = await client.listVersions(owner, name);
          const at = now();
          const results = Array.isArray(page.results) ? page.results : [];
          cache.putDocument(key, results, at);
          return { data: list(results, toVersion), fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown[]>(key);
          return hit?.body ? { data: list(hit.body, toVersion), fetchedAt: hit.fetchedAt } : null;
        },
      });
    },

    async version(ref, versionId) {
      const { owner, name, id } = parseModelId(ref);
      checkVersionId(versionId);
      const key = `version:${id}:${versionId}`;
      return fetchOrCache<RemoteVersion>({
        fetch: async () => {
          const raw = await client.getVersion(owner, name, versionId);
          const at = now();
          const v = toVersion(raw);
          if (!v) throw new RemoteError('bad_response', { message: `Replicate's answer about version ${versionId} of ${id} is not a version`, hint: 'Try again later.' });
          cache.putDocument(key, raw, at);
          return { data: v, fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown>(key);
          const v = hit ? toVersion(hit.body) : null;
          if (hit && v) return { data: v, fetchedAt: hit.fetchedAt };
          // Else from the versions list or the model's latest version, when one of them has it.
          const listed = doc<unknown[]>(`versions:${id}`);
          const inList = listed?.body ? list(listed.body, toVersion).find((x) => x.id === versionId) : undefined;
          if (listed && inList) return { data: inList, fetchedAt: listed.fetchedAt };
          const model = cachedModel(id);
          if (model?.data.latestVersion?.id === versionId) return { data: model.data.latestVersion, fetchedAt: model.fetchedAt };
          return null;
        },
      });
    },

    async examples(ref) {
      const { owner, name, id } = parseModelId(ref);
      const key = `examples:${id}`;
      return fetchOrCache<RemotePrediction[]>({
        fetch: async () => {
          const page = await client.listExamples(owner, name);
          const at = now();
          const results = Array.isArray(page.results) ? page.results : [];
          cache.putDocument(key, results, at);
          return { data: list(results, toPrediction), fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown[]>(key);
          return hit?.body ? { data: list(hit.body, toPrediction), fetchedAt: hit.fetchedAt } : null;
        },
      });
    },

    async modelPage(ref) {
      const model = await catalog.model(ref);
      // One notice for the page: why the cache answered (the first reason), and which parts it lacked.
      let reason = model.notice ?? null;
      const missing: string[] = [];
      const part = async <T>(what: string, get: () => Promise<Cached<T>>, empty: T): Promise<Cached<T> | null> => {
        try {
          const got = await get();
          reason ??= got.notice ?? null;
          return got;
        } catch (e) {
          if (isRemoteError(e, 'not_found')) return { data: empty, fromCache: false, fetchedAt: now() };
          if (isRemoteError(e, ...UNREACHABLE)) {
            reason ??= e.message;
            missing.push(what);
            return null;
          }
          throw e;
        }
      };
      const [readme, versions, examples] = await Promise.all([
        part('the README', () => catalog.readme(ref), null as string | null),
        part('the versions', () => catalog.versions(ref), [] as RemoteVersion[]),
        part('the examples', () => catalog.examples(ref), [] as RemotePrediction[]),
      ]);
      const notices = reason ? [reason] : [];
      const order = ['the README', 'the versions', 'the examples'];
      missing.sort((a, b) => order.indexOf(a) - order.indexOf(b));
      if (missing.length) notices.push(`Not cached yet, so not shown: ${missing.join(', ')}.`);
      const parts = [model, readme, versions, examples].flatMap((p) => (p ? [{ fromCache: p.fromCache, fetchedAt: p.fetchedAt }] : []));
      let latest = model.data.latestVersion;
      if (latest && !latest.openapiSchema) {
        const full = versions?.data.find((v) => v.id === latest!.id);
        if (full?.openapiSchema) latest = { ...latest, openapiSchema: full.openapiSchema };
      }
      const page: ModelPage = {
        model: { ...model.data, latestVersion: latest },
        readme: readme?.data ?? null,
        versions: versions?.data ?? [],
        examples: examples?.data ?? [],
        inputSchema: inputSchemaOf(latest?.openapiSchema),
      };
      const result: Cached<ModelPage> = {
        data: page,
        fromCache: parts.some((p) => p.fromCache) || parts.length < 4,
        fetchedAt: oldest(
          parts.map((p) => p.fetchedAt),
          now(),
        ),
      };
      if (notices.length) result.notice = notices.join(' ');
      return result;
    },

    hardware() {
      return fetchOrCache<RemoteHardware[]>({
        fetch: async () => {
          const raw = await client.listHardware();
          const at = now();
          cache.putDocument('hardware', raw, at);
          return { data: toHardware(raw), fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown>('hardware');
          return hit?.body ? { data: toHardware(hit.body), fetchedAt: hit.fetchedAt } : null;
        },
      });
    },

    account() {
      return fetchOrCache<RemoteAccount>({
        fetch: async () => {
          const raw = await client.account();
          const at = now();
          const account = toAccount(raw);
          if (!account) throw new RemoteError('bad_response', { message: "Replicate's answer about the account has no username", hint: 'Try again later.' });
          cache.putDocument('account', raw, at);
          return { data: account, fetchedAt: at };
        },
        cached: () => {
          const hit = doc<unknown>('account');
          const account = hit ? toAccount(hit.body) : null;
          return hit && account ? { data: account, fetchedAt: hit.fetchedAt } : null;
        },
      });
    },
  };
  return catalog;
}

