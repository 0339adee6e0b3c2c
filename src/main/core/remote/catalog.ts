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
  SearchResults,
} from '../../../shared/catalog';
import type { Db } from '../store';
import { CatalogCache, type ApiModel } from '../store/catalog';
import { resolveApiUrl } from './api-url';
import { fetchOrCache } from './cache';
import { catalogContext, oldest } from './catalog-context';
import { checkSlug, checkVersionId, parseModelId } from './catalog-ids';
import { searchCached, searchCatalog } from './catalog-search';
import { RemoteClient, type RemoteClientOptions } from './client';
import { modelPage } from './model-page';
import { isRemoteError, RemoteError } from './remote-error';
import { cursorOf, isObj, list, toAccount, toCollection, toCollectionSummary, toHardware, toPrediction, toVersion } from './shapes';
import { cliTokenStore, type TokenStore } from './token';
import { originBoundTokens, type BoundTokenStatus, type OriginBoundTokens } from './token-origin';

export { parseModelId } from './catalog-ids';

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

interface ExploreDoc {
  ids: string[];
  next: string | null;
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

  const ctx = catalogContext(client, cache, now);
  const { cachedModel, cachedModels, doc, storeModels } = ctx;

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

    search: (query, options) => searchCatalog(ctx, query, options),
    searchCached: (query, options) => searchCached(ctx, query, options),

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

    modelPage: (ref) => modelPage(catalog, ref, now),

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

